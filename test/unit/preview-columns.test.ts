import assert from 'node:assert/strict';
import { test } from 'node:test';
import { downsampleMinMax } from '../../src/core/downsample';
import { aggregateTable, fullSeries, qualityOf, RawTableBuilder } from '../../src/host/preview/columns';
import { exportPieces } from '../../src/host/preview/export';
import { QUALITY } from '../../src/protocol/preview';

const VARIABLES = [{ name: 'Velocity', unit: 'mm/s' }];
const T = (s: number) => new Date(Date.UTC(2026, 6, 1) + s * 1000).toISOString();

function rawOf(records: Record<string, unknown>[][]) {
  const builder = new RawTableBuilder(VARIABLES);
  for (const page of records) builder.add(page as never);
  return builder.finish();
}

test('a record whose time cannot be read is left out and counted: the others keep their place on the chart and in the export', () => {
  const table = rawOf([[{ _time: T(0), Velocity: 1 }, { _time: 'garbage', Velocity: 2 }], [{ Velocity: 9 }, { _time: T(2), Velocity: 3 }]]);
  assert.deepEqual([...table.times], [Date.parse(T(0)), Date.parse(T(2))]);
  assert.deepEqual([...(table.columns[0]?.values ?? [])], [1, 3]);
  assert.deepEqual(table.unreadable, { times: 2, values: 0 });
  const [line] = fullSeries(table, []);
  assert.ok(line);
  const drawn = downsampleMinMax(line.columns, { from: Date.parse(T(0)), to: Date.parse(T(3)) }, 100);
  assert.deepEqual([...drawn.values], [1, 3], 'the point after the unreadable one is still drawn');
  assert.match([...exportPieces(table, 'csv')].join(''), /^_time,Velocity\n2026-07-01T00:00:00\.000Z,1\n2026-07-01T00:00:02\.000Z,3\n$/);
});

test('values that are text are not numbers: left out, and counted so the panel can say so', () => {
  const table = rawOf([[{ _time: T(0), Velocity: '1.5' }, { _time: T(1), Velocity: null }, { _time: T(2), Velocity: true }, { _time: T(3) }]]);
  assert.deepEqual([...(table.columns[0]?.values ?? [])], [Number.NaN, Number.NaN, 1, Number.NaN]);
  assert.deepEqual(table.unreadable, { times: 0, values: 1 }, 'null and missing are no value, not unreadable ones');
});

test('quality codes that no OPC UA status code can be are unknown (unmarked), not bad', () => {
  const table = rawOf([[-1, 2 ** 32 + 2 ** 31, '0x80000000', 0.5, '2147483648', 0x80000000, 0x40000000].map((qc, i) => ({ _time: T(i), Velocity: i, Velocity_qc: qc }))]);
  const qualities = [...(fullSeries(table, [])[0]?.columns.severity ?? [])];
  assert.deepEqual(qualities, [QUALITY.good, QUALITY.good, QUALITY.good, QUALITY.good, QUALITY.bad, QUALITY.bad, QUALITY.uncertain]);
  assert.equal(qualityOf(Number.NaN), QUALITY.good);
});

test('an interval whose start or end cannot be read is left out and counted; every Aggregates v4 field is kept', () => {
  const fields = { firsttime: '2026-07-01T00:00:00.963Z', firstvalue: 1.6, lasttime: '2026-07-01T00:59:59.963Z', lastvalue: 1.5,
    mintime: '2026-07-01T00:03:28.963Z', minvalue: 1.2, maxtime: '2026-07-01T00:59:42.963Z', maxvalue: 1.8, average: 1.5, sum: 5519.4,
    sd: 0.14, countgood: 3574, countuncertain: 16, countbad: 10 };
  const table = aggregateTable([
    { starttime: 'garbage', endtime: '2026-07-01T00:00:00Z', Velocity: { average: 9 } },
    { starttime: '2026-07-01T00:00:00Z', endtime: '2026-07-01T01:00:00Z', Velocity: fields },
  ], VARIABLES);
  assert.deepEqual([...table.starts], [Date.parse('2026-07-01T00:00:00Z')]);
  assert.deepEqual(table.unreadable, { times: 1, values: 0 });
  const [interval] = JSON.parse([...exportPieces(table, 'json')].join('')) as Record<string, unknown>[];
  assert.deepEqual(interval, { starttime: '2026-07-01T00:00:00Z', endtime: '2026-07-01T01:00:00Z', Velocity: fields });
  const csv = [...exportPieces(table, 'csv')].join('').split('\n');
  assert.equal(csv[0], `starttime,endtime,${Object.keys(fields).map((k) => `Velocity.${k}`).join(',')}`);
  assert.equal(csv[1], `2026-07-01T00:00:00Z,2026-07-01T01:00:00Z,${Object.values(fields).join(',')}`);
});
