import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { downsampleMinMax, gapThreshold, insertGaps, type SeriesColumns } from '../../src/core/downsample';

function series(values: number[], { step = 1000, t0 = 0, severity }: { step?: number; t0?: number; severity?: number[] } = {}): SeriesColumns {
  return {
    times: Float64Array.from(values, (_, i) => t0 + i * step),
    values: Float64Array.from(values),
    severity: Uint8Array.from(severity ?? values.map(() => 0)),
  };
}

test('a series that fits in the width is passed through untouched', () => {
  const s = series([1, 5, 2, 8]);
  const out = downsampleMinMax(s, { from: 0, to: 3000 }, 100);
  assert.equal(out.downsampled, false);
  assert.equal(out.sourceCount, 4);
  assert.deepEqual(out.sourceSeverity, [4]);
  assert.deepEqual([...out.values], [1, 5, 2, 8]);
});

test('a million points shrink to at most four per pixel and keep the spike and the dip', () => {
  const n = 1_000_000;
  const values = new Float64Array(n);
  for (let i = 0; i < n; i++) values[i] = Math.sin(i / 1000);
  values[123_457] = 50; // one spike and one dip that a naive every-k-th-point decimation would drop
  values[876_543] = -50;
  const s = { times: Float64Array.from({ length: n }, (_, i) => i), values, severity: new Uint8Array(n) };
  const out = downsampleMinMax(s, { from: 0, to: n - 1 }, 800);
  assert.equal(out.downsampled, true);
  assert.equal(out.sourceCount, n);
  assert.ok(out.times.length <= 800 * 4, `${out.times.length} points for 800 pixels`);
  assert.ok(out.times.length > 800 * 2, 'every column keeps at least its extremes');
  assert.ok(out.values.includes(50) && out.values.includes(-50));
  assert.equal(out.times[0], 0);
  assert.equal(out.times[out.times.length - 1], n - 1);
});

test('a gap and the worst quality mark in a column survive downsampling', () => {
  const values = Array.from({ length: 1000 }, (_, i) => i % 7);
  values[500] = Number.NaN;
  const severity = values.map(() => 0);
  severity[300] = 1;
  severity[301] = 2; // bad beats uncertain in the same column
  const out = downsampleMinMax(series(values, { severity }), { from: 0, to: 999_000 }, 10);
  assert.ok(out.times.length <= 40);
  assert.ok([...out.values].some(Number.isNaN), 'the gap is kept');
  assert.ok(out.times.includes(301_000) && out.severity[out.times.indexOf(301_000)] === 2, 'the bad point is kept');
  assert.deepEqual(out.sourceSeverity, [997, 1, 1], 'points by severity before downsampling (the gap has no value)');
  assert.equal(out.sourceCount, 999, 'the mark of the gap is not a point of the source');
  assert.equal(downsampleMinMax(series(values), { from: 0, to: 999_000 }, 1000).sourceCount, 999, 'nor when every point is kept');
});

test('the window selects the visible part plus one neighbour on each side', () => {
  const s = series(Array.from({ length: 100 }, (_, i) => i));
  const out = downsampleMinMax(s, { from: 10_000, to: 20_000 }, 500);
  assert.equal(out.sourceCount, 11);
  assert.deepEqual([out.times[0], out.times[out.times.length - 1]], [9000, 21_000]);
  const empty = downsampleMinMax(s, { from: 200_000, to: 300_000 }, 500);
  assert.equal(empty.sourceCount, 0);
  assert.deepEqual([...empty.times], [99_000], 'only the last point before the window, so the line reaches in');
});

test('property: output is sorted, bounded, and keeps every column\'s min and max', () => {
  fc.assert(
    fc.property(
      fc.array(fc.double({ min: -1e6, max: 1e6, noNaN: true }), { minLength: 1, maxLength: 3000 }),
      fc.integer({ min: 1, max: 200 }),
      (values, width) => {
        const s = series(values);
        const to = (values.length - 1) * 1000;
        const out = downsampleMinMax(s, { from: 0, to }, width);
        assert.ok(out.times.length <= width * 4 + 2);
        for (let i = 1; i < out.times.length; i++) assert.ok((out.times[i] as number) > (out.times[i - 1] as number));
        assert.equal(Math.max(...out.values), Math.max(...values));
        assert.equal(Math.min(...out.values), Math.min(...values));
      },
    ),
    { numRuns: 200 },
  );
});

test('gaps: a step much longer than usual becomes a NaN point between the two records', () => {
  const s = { times: Float64Array.from([0, 1000, 2000, 60_000, 61_000]), values: Float64Array.from([1, 2, 3, 4, 5]),
    severity: new Uint8Array(5) };
  const threshold = gapThreshold(s.times);
  assert.equal(threshold, 5000);
  const out = insertGaps(s, threshold);
  assert.deepEqual([...out.times], [0, 1000, 2000, 31_000, 60_000, 61_000]);
  assert.ok(Number.isNaN(out.values[3]));
  assert.deepEqual([...out.values].filter((v) => !Number.isNaN(v)), [1, 2, 3, 4, 5]);
  assert.equal(insertGaps(series([1, 2, 3]), 5000).times.length, 3, 'regular data gets no gaps');
  assert.equal(gapThreshold(Float64Array.from([5])), Infinity);
});
