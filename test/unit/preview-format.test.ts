import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formatTicks, formatValue, TABLE_DIGITS, toRangeField } from '../../webview/preview/format';

test('axis labels take their precision from the tick increment: neighbouring ticks never read the same', () => {
  const ticks = (from: number, step: number, n: number) => Array.from({ length: n }, (_, i) => from + i * step);
  assert.deepEqual(formatTicks(ticks(0.001, 0.0002, 6), 0.0002), ['0.0010', '0.0012', '0.0014', '0.0016', '0.0018', '0.0020']);
  assert.deepEqual(formatTicks(ticks(100, 0.0002, 3), 0.0002), ['100.0000', '100.0002', '100.0004']);
  assert.deepEqual(formatTicks(ticks(0, 0.25, 3), 0.25), ['0.00', '0.25', '0.50']);
  assert.deepEqual(formatTicks(ticks(0, 2000, 3), 2000), ['0', '2,000', '4,000']);
  assert.deepEqual(formatTicks(ticks(1e-300, 5e-301, 3), 5e-301), ['1.0e-300', '1.5e-300', '2.0e-300']);
  for (const [from, step] of [[1, 1e-12], [0.0001, 0.00001], [-3, 0.5], [1e12, 2e11]] as const) {
    const labels = formatTicks(ticks(from, step, 8), step);
    assert.equal(new Set(labels).size, labels.length, labels.join(' '));
  }
});

test('values keep their significant digits: the readout six, the table enough to tell neighbouring points apart', () => {
  assert.equal(formatValue(0.00012345), '0.00012345');
  assert.equal(formatValue(1234.5678), '1,234.57');
  assert.equal(formatValue(1e308), '1e+308');
  assert.equal(formatValue(2e-300), '2e-300');
  assert.equal(formatValue(null), '–');
  const table = [1, 1 + 1e-12, 1 + 2e-12].map((v) => formatValue(v, TABLE_DIGITS));
  assert.deepEqual(table, ['1', '1.000000000001', '1.000000000002']);
  assert.equal(formatValue(0.1 + 0.2, TABLE_DIGITS), '0.3', 'no float noise');
});

test('a range time with an offset is shown as its UTC instant in the (UTC) fields', () => {
  assert.equal(toRangeField('2026-07-01T00:00:00+02:00'), '2026-06-30T22:00');
  assert.equal(toRangeField('2026-07-01T06:00:00Z'), '2026-07-01T06:00');
  assert.equal(toRangeField('2026-07-01T06:00'), '2026-07-01T06:00');
  assert.equal(toRangeField('not a time'), 'not a time', 'text that is no time stays as typed');
});
