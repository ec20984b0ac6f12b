import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { SeriesPayload } from '../../src/protocol/preview';
import { align } from '../../webview/preview/data';

const T0 = Date.UTC(2026, 6, 1);

function line(variable: string, values: number[], times = values.map((_, i) => T0 + i * 1000)): SeriesPayload {
  return { variable, unit: '', field: 'value', times: Float64Array.from(times), values: Float64Array.from(values),
    quality: new Uint8Array(values.length), sourceCount: values.filter((v) => !Number.isNaN(v)).length, sourceBad: 0,
    sourceUncertain: 0, downsampled: false };
}

test("a gap of the asset breaks every line at one time and counts once in the panel's summary", () => {
  const aligned = align([line('Velocity', [1, Number.NaN, 3, 4]), line('Temperature', [5, Number.NaN, 7, 8]), line('Pressure', [1, 2, 3, 4])]);
  assert.equal(aligned.stats.gaps, 1);
  assert.deepEqual(aligned.lines.map((l) => [...l.values]), [[1, null, 3, 4], [5, null, 7, 8], [1, 2, 3, 4]]);
});

test('gaps at different times count apart, also on lines with times of their own', () => {
  const aligned = align([line('Velocity', [1, Number.NaN, 3, Number.NaN, 5]), line('Flow', [2, Number.NaN, 4], [T0 + 500, T0 + 1500, T0 + 2500])]);
  assert.equal(aligned.stats.gaps, 3);
  assert.equal(aligned.x.length, 8);
});

test('two points of one line at the same time keep a slot each, also when the lines have different times: no spike is lost', () => {
  const aligned = align([line('Velocity', [1, 100, -100, 1], [T0, T0 + 1000, T0 + 1000, T0 + 2000]), line('Flow', [5, 6], [T0, T0 + 1500])]);
  assert.deepEqual([...aligned.x], [T0, T0 + 1000, T0 + 1000, T0 + 1500, T0 + 2000]);
  assert.deepEqual(aligned.lines.map((l) => [...l.values]), [[1, 100, -100, undefined, 1], [5, undefined, undefined, 6, undefined]]);
  assert.equal(aligned.stats.points, 6);
});

test('a time that is no number (NaN) cannot hang the panel: align ends and keeps the readable points', () => {
  // The host leaves such records out (columns.ts); this guards the webview against any message that still has one.
  const aligned = align([line('Velocity', [1, 2], [T0, Number.NaN]), line('Flow', [5], [T0 + 500])]);
  assert.equal(aligned.lines[0]?.values[0], 1);
  assert.ok(aligned.lines[1]?.values.includes(5));
});
