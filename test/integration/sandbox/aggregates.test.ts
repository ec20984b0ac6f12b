// IoT TS Aggregates v4 over real HTTP: values that agree with the raw time series, interval boundaries (> starttime,
// <= endtime), every aggregate field, select, count, the documented auto-completion rules and range caps.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { AGG, type Harness, firstOfType, harness, qs, TS } from './helpers';

let h: Harness;
let pump: string;
before(async () => {
  h = await harness();
  pump = (await firstOfType(h, 'Pump')).assetId;
});
after(() => h.close());

const aggregates = (params: Record<string, string | number>) => h.get(`${AGG}?${qs({ assetId: pump, aspectName: 'Vibration', ...params })}`);
type Rec = Record<string, number | string>;

async function raw(from: string, to: string, variable: string): Promise<Rec[]> {
  const out: Rec[] = [];
  let url: string | undefined = `${TS}/${pump}/Vibration?${qs({ from, to, select: variable })}`;
  while (url) {
    const r = await h.get(url);
    out.push(...r.json);
    url = r.headers.get('link')?.replace('; rel="next"', '').replace(/[<>]/g, '').replace(h.sb.url, '');
  }
  return out;
}

test('an hour of aggregates equals what the raw time series says, field by field', async () => {
  const from = '2024-03-05T08:00:00Z';
  const to = '2024-03-05T09:00:00Z';
  const r = await aggregates({ from, to, intervalUnit: 'hour', intervalValue: 1 });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.aggregates.length, 1);
  const a = r.json.aggregates[0];
  assert.equal(a.starttime, '2024-03-05T08:00:00Z');
  assert.equal(a.endtime, '2024-03-05T09:00:00Z');
  const v = a.Velocity;
  assert.deepEqual(Object.keys(v), ['firsttime', 'firstvalue', 'lasttime', 'lastvalue', 'mintime', 'minvalue', 'maxtime', 'maxvalue', 'average', 'sum', 'sd',
    'countgood', 'countuncertain', 'countbad']);

  const records = await raw(from, to, 'Velocity');
  const usable = records.filter((x) => x.Velocity_qc !== 2147483648);
  const values = usable.map((x) => x.Velocity as number);
  assert.equal(v.countgood + v.countuncertain + v.countbad, records.length);
  assert.equal(v.countbad, records.length - usable.length);
  assert.equal(v.countuncertain, usable.filter((x) => x.Velocity_qc === 1083310080).length);
  assert.equal(v.firsttime, usable[0]!._time);
  assert.equal(v.firstvalue, values[0]);
  assert.equal(v.lasttime, usable.at(-1)!._time);
  assert.equal(v.minvalue, Math.min(...values));
  assert.equal(v.maxvalue, Math.max(...values));
  assert.equal(usable.find((x) => x._time === v.maxtime)!.Velocity, v.maxvalue);
  const sum = values.reduce((s, x) => s + x, 0);
  assert.ok(Math.abs(v.sum - sum) < 1e-6);
  assert.ok(Math.abs(v.average - sum / values.length) < 1e-9);
  const mean = sum / values.length;
  const sd = Math.sqrt(values.reduce((s, x) => s + (x - mean) ** 2, 0) / (values.length - 1));
  assert.ok(Math.abs(v.sd - sd) < 1e-6, `sd ${v.sd} vs ${sd}`);
});

test('the same intervals with another selection of variables: each answer has the variables it asked for', async () => {
  const range = { from: '2024-03-06T08:00:00Z', to: '2024-03-06T10:00:00Z', intervalUnit: 'hour', intervalValue: 1 };
  const one = await aggregates({ ...range, select: 'Velocity' });
  assert.equal(one.status, 200, one.text);
  const all = await aggregates(range);
  assert.equal(all.status, 200, all.text);
  assert.deepEqual(Object.keys(all.json.aggregates[0]), ['starttime', 'endtime', 'Velocity', 'Acceleration', 'Temperature']);
  assert.deepEqual(all.json.aggregates.map((a: Rec) => a.Velocity), one.json.aggregates.map((a: Rec) => a.Velocity));
});

test('intervals hold > starttime and <= endtime; written data counts; select and count', async () => {
  const motor = (await firstOfType(h, 'Motor')).assetId;
  const put = await h.call('PUT', `${TS}/${motor}/PowerConsumption`, { body: [
    { _time: '2033-01-01T00:00:00Z', Power: 1 }, { _time: '2033-01-01T00:02:00Z', Power: 3 }, { _time: '2033-01-01T00:02:00.001Z', Power: 10 },
  ] });
  assert.equal(put.status, 204);
  const r = await h.get(`${AGG}?${qs({ assetId: motor, aspectName: 'PowerConsumption', from: '2032-12-31T23:58:00Z', to: '2033-01-01T00:04:00Z',
    intervalUnit: 'minute', intervalValue: 2, select: 'Power.sum,Power.countgood,Power.maxvalue' })}`);
  assert.equal(r.status, 200, r.text);
  assert.deepEqual(r.json.aggregates, [
    { starttime: '2032-12-31T23:58:00Z', endtime: '2033-01-01T00:00:00Z', Power: { sum: 1, countgood: 1, maxvalue: 1 } },
    { starttime: '2033-01-01T00:00:00Z', endtime: '2033-01-01T00:02:00Z', Power: { sum: 3, countgood: 1, maxvalue: 3 } },
    { starttime: '2033-01-01T00:02:00Z', endtime: '2033-01-01T00:04:00Z', Power: { sum: 10, countgood: 1, maxvalue: 10 } },
  ], 'a record at 00:00:00 belongs to the interval ending then; intervals without data are left out');

  const counted = await aggregates({ from: '2024-03-05T00:00:00Z', to: '2024-03-06T00:00:00Z', intervalUnit: 'hour', intervalValue: 1, count: 5 });
  assert.equal(counted.json.aggregates.length, 5);
  const some = await aggregates({ from: '2024-03-05T00:00:00Z', to: '2024-03-05T02:00:00Z', intervalUnit: 'hour', intervalValue: 1, select: 'Temperature' });
  assert.deepEqual(Object.keys(some.json.aggregates[0]).sort(), ['Temperature', 'endtime', 'starttime']);
  for (const bad of ['Color', 'Velocity.median', 'Velocity.sum.x']) {
    const e = await aggregates({ from: '2024-03-05T00:00:00Z', to: '2024-03-05T02:00:00Z', intervalUnit: 'hour', intervalValue: 1, select: bad });
    assert.equal(e.status, 400, bad);
  }
});

test('auto-completion: defaults, only from, only to, unit+value+count, from+to+count, unaligned bounds widened', async (t) => {
  // Sparse data (a point every 100 s): the 90-day ranges the rules produce stay cheap to aggregate.
  const sparse = await harness({ pointsPerSecond: 0.01 });
  const aggregates = (params: Record<string, string | number>) => sparse.get(`${AGG}?${qs({ assetId: pump, aspectName: 'Vibration', ...params })}`);
  t.after(() => sparse.close());
  const day = 86_400_000;
  const none = await aggregates({});
  assert.equal(none.status, 200);
  const spans = none.json.aggregates.map((a: Rec) => Date.parse(a.endtime as string) - Date.parse(a.starttime as string));
  assert.ok(spans.every((s: number) => s === day), 'no parameters: day intervals');
  assert.ok(none.json.aggregates.length >= 7 && none.json.aggregates.length <= 8, 'over the last 7 days');

  const onlyFrom = await aggregates({ from: '2024-01-10T13:00:00Z' });
  assert.equal(onlyFrom.json.aggregates[0].starttime, '2024-01-10T00:00:00Z');
  assert.equal(onlyFrom.json.aggregates.at(-1).endtime, '2024-04-09T00:00:00Z', 'to = from (date only) + 90 days');

  const onlyTo = await aggregates({ to: '2024-04-09T00:00:00Z' });
  assert.equal(onlyTo.json.aggregates[0].starttime, '2024-01-10T00:00:00Z', 'from = to − 90 days');

  const forward = await aggregates({ from: '2024-03-05T00:00:00Z', intervalUnit: 'hour', intervalValue: 2, count: 3 });
  assert.deepEqual(forward.json.aggregates.map((a: Rec) => a.starttime), ['2024-03-05T00:00:00Z', '2024-03-05T02:00:00Z', '2024-03-05T04:00:00Z']);
  const backward = await aggregates({ to: '2024-03-05T06:00:00Z', intervalUnit: 'hour', intervalValue: 2, count: 3 });
  assert.deepEqual(backward.json.aggregates.map((a: Rec) => a.starttime), forward.json.aggregates.map((a: Rec) => a.starttime));

  const derived = await aggregates({ from: '2024-03-05T00:00:00Z', to: '2024-03-05T01:00:00Z', count: 6 });
  assert.equal(derived.json.aggregates.length, 6);
  assert.equal(derived.json.aggregates[0].endtime, '2024-03-05T00:10:00Z', '60 min / 6 = minute/10');
  assert.equal((await aggregates({ from: '2024-03-05T00:00:00Z', to: '2024-03-05T01:00:00Z', count: 7 })).status, 400);

  const largest = await aggregates({ from: '2024-03-05T00:00:00Z', to: '2024-03-05T05:00:00Z' });
  assert.equal(largest.json.aggregates.length, 5, 'no unit: the largest pre-calculated interval that fits (1 hour)');

  const widened = await aggregates({ from: '2024-03-05T00:30:00Z', to: '2024-03-05T02:10Z', intervalUnit: 'hour', intervalValue: 1 });
  assert.deepEqual([widened.json.aggregates[0].starttime, widened.json.aggregates.at(-1).endtime], ['2024-03-05T00:00:00Z', '2024-03-05T03:00:00Z']);

  const weeks = await aggregates({ from: '2024-03-01T00:00:00Z', to: '2024-03-20T00:00:00Z', intervalUnit: 'week', intervalValue: 1 });
  assert.equal(new Date(weeks.json.aggregates[0].starttime).getUTCDay(), 1, 'weeks start on Monday');
  const months = await aggregates({ from: '2024-01-15T00:00:00Z', to: '2024-03-10T00:00:00Z', intervalUnit: 'month', intervalValue: 1, select: 'Velocity.countgood' });
  assert.deepEqual(months.json.aggregates.map((a: Rec) => a.starttime), ['2024-01-01T00:00:00Z', '2024-02-01T00:00:00Z', '2024-03-01T00:00:00Z']);

  const short = await aggregates({ from: '2024-02-20T10:30-05:00', to: '2024-02-20T12:30-05:00', intervalUnit: 'hour', intervalValue: 1 });
  assert.equal(short.json.aggregates[0].starttime, '2024-02-20T15:00:00Z', 'dates with a zone offset');
});

test('invalid units, values, combinations and ranges get 400 with the documented message', async () => {
  const cases: [Record<string, string | number>, RegExp][] = [
    [{ intervalUnit: 'second', intervalValue: 1 }, /intervalUnit 'second' is not supported/],
    [{ intervalUnit: 'minute', intervalValue: 3 }, /intervalValue 3 is not supported for intervalUnit minute/],
    [{ intervalUnit: 'month', intervalValue: 4 }, /not supported for intervalUnit month/],
    [{ intervalUnit: 'hour' }, /go together/],
    [{ intervalValue: 2 }, /go together/],
    [{ from: '2024-03-01T00:00:00Z', to: '2024-03-09T00:00:00Z', intervalUnit: 'hour', intervalValue: 1 }, /maximum time range for querying HOUR aggregates is 7 days/],
    [{ from: '2024-03-01T00:00:00Z', to: '2024-03-02T01:00:00Z', intervalUnit: 'minute', intervalValue: 2 }, /2 MINUTE aggregates is 24 hours/],
    [{ from: '2024-01-01T00:00:00Z', to: '2024-04-02T00:00:00Z', intervalUnit: 'day', intervalValue: 1 }, /DAY aggregates is 90 days/],
    [{ from: '2024-03-02T00:00:00Z', to: '2024-03-01T00:00:00Z' }, /must be before/],
    [{ from: 'last week' }, /ISO 8601/],
  ];
  for (const [params, message] of cases) {
    const r = await aggregates(params);
    assert.equal(r.status, 400, `${JSON.stringify(params)} → ${r.text}`);
    assert.equal(r.json.errors[0].code, 'mdsp.core.generic.invalidParameter');
    assert.match(r.json.errors[0].message, message);
  }
  const missing = await h.get(`${AGG}?aspectName=Vibration`);
  assert.equal(missing.status, 400);
  assert.match(missing.json.errors[0].message, /assetId/);
  assert.equal((await h.get(`${AGG}?${qs({ assetId: pump, aspectName: 'Nameplate' })}`)).status, 400, 'static aspects have no aggregates');
  assert.equal((await h.get(`${AGG}?${qs({ assetId: 'b'.repeat(32), aspectName: 'Vibration' })}`)).status, 404);
});
