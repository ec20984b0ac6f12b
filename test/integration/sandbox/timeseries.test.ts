// IoT Time Series v3 over real HTTP: generated data (deterministic, cycles, gaps, quality codes), from exclusive / to
// inclusive, limit and the Link header, select, sort, latestValue, PUT overwrite, DELETE, persistence in --data-dir,
// and the errors for unknown properties, ids and bad parameters.
import assert from 'node:assert/strict';
import { appendFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { AM, type Harness, firstOfType, harness, qs, TS } from './helpers';

let h: Harness;
let pump: string;
before(async () => {
  h = await harness();
  pump = (await firstOfType(h, 'Pump')).assetId;
});
after(() => h.close());

const series = (aspect: string, params: Record<string, string | number | boolean> = {}, asset = pump) =>
  h.get(`${TS}/${asset}/${aspect}${Object.keys(params).length ? `?${qs(params)}` : ''}`);
const at = (iso: string) => Date.parse(iso);
type Rec = Record<string, number | string | boolean>;

test('one point per second, from exclusive and to inclusive, with the variables of the aspect and their _qc', async () => {
  const r = await series('Vibration', { from: '2024-03-05T10:00:00Z', to: '2024-03-05T10:01:00Z' });
  assert.equal(r.status, 200);
  const records: Rec[] = r.json;
  assert.equal(records.length, 60);
  const times = records.map((x) => at(x._time as string));
  assert.ok(times[0]! > at('2024-03-05T10:00:00Z') && times[59]! <= at('2024-03-05T10:01:00Z'));
  assert.ok(times.every((t, i) => i === 0 || t - times[i - 1]! === 1000));
  assert.match(records[0]!._time as string, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
  assert.deepEqual(Object.keys(records[0]!).sort(), ['_time', 'Acceleration', 'Acceleration_qc', 'Temperature', 'Temperature_qc', 'Velocity', 'Velocity_qc'].sort());
  const flow = (await series('Flow', { from: '2024-03-05T10:00:00Z', to: '2024-03-05T10:00:02Z' })).json[0];
  assert.equal(typeof flow.Running, 'boolean');
  assert.ok(['AUTO', 'MANUAL'].includes(flow.Mode));
  assert.equal(flow.Running_qc, undefined, 'no _qc for variables without quality codes');

  const exact = times[0]!;
  const boundary = await series('Vibration', { from: new Date(exact).toISOString(), to: new Date(exact + 1000).toISOString() });
  assert.deepEqual(boundary.json.map((x: Rec) => x._time), [new Date(exact + 1000).toISOString()], 'from excludes, to includes');
});

test('identical across runs for the same seed, different for another seed', async () => {
  const range = { from: '2024-02-01T00:00:00Z', to: '2024-02-01T00:10:00Z' };
  const mine = (await series('PrimaryMotor', range)).text;
  const twin = await harness();
  const other = await harness({ seed: 'elsewhere' });
  try {
    const twinPump = (await firstOfType(twin, 'Pump')).assetId;
    assert.equal(twinPump, pump);
    assert.equal((await twin.get(`${TS}/${pump}/PrimaryMotor?${qs(range)}`)).text, mine);
    const otherPump = (await firstOfType(other, 'Pump')).assetId;
    assert.notEqual(otherPump, pump);
    assert.notEqual((await other.get(`${TS}/${otherPump}/PrimaryMotor?${qs(range)}`)).text, mine);
  } finally {
    await twin.close();
    await other.close();
  }
});

test('daily and weekly cycles: busier at noon than at night, quieter on Sundays; 90 days back is served', async () => {
  const mean = async (from: string, to: string) => {
    const r: Rec[] = (await series('PrimaryMotor', { from, to, select: 'Power' })).json;
    return r.reduce((s, x) => s + (x.Power as number), 0) / r.length;
  };
  const noon = await mean('2024-03-06T11:50:00Z', '2024-03-06T12:10:00Z'); // a Wednesday
  const night = await mean('2024-03-06T01:50:00Z', '2024-03-06T02:10:00Z');
  const sunday = await mean('2024-03-10T11:50:00Z', '2024-03-10T12:10:00Z');
  assert.ok(noon > night * 1.5, `noon ${noon} vs night ${night}`);
  assert.ok(sunday < noon * 0.7, `sunday ${sunday} vs weekday ${noon}`);
  const old = new Date(Date.now() - 89 * 24 * 3600e3);
  const r = await series('PrimaryMotor', { from: old.toISOString(), to: new Date(old.getTime() + 60e3).toISOString() });
  assert.ok(r.json.length >= 50, '89 days ago has data');
  const future = await series('PrimaryMotor', { from: new Date(Date.now() + 3600e3).toISOString(), to: new Date(Date.now() + 7200e3).toISOString() });
  assert.deepEqual(future.json, [], 'nothing is generated in the future');
});

test('occasional gaps and bad or uncertain quality codes appear over a month', async () => {
  // A point every 100 s keeps a month to 13 pages; gaps last 3 to 42 minutes, so they still show as missing points.
  const sparse = await harness({ pointsPerSecond: 0.01 });
  try {
    let gaps = 0;
    let pages = 0;
    const codes = new Set<number>();
    // Follow the Link header through a month of Vibration, as a client would.
    let url: string | undefined = `${TS}/${pump}/Vibration?${qs({ from: '2024-03-01T00:00:00Z', to: '2024-03-31T00:00:00Z', select: 'Velocity' })}`;
    while (url && pages < 50) {
      const r = await sparse.get(url);
      const records: Rec[] = r.json;
      for (let i = 1; i < records.length; i++) if (at(records[i]!._time as string) - at(records[i - 1]!._time as string) > 150_000) gaps++;
      for (const x of records) codes.add(x.Velocity_qc as number);
      url = r.headers.get('link')?.replace('; rel="next"', '').replace(/[<>]/g, '').replace(sparse.sb.url, '');
      pages++;
    }
    assert.equal(pages, 13, 'paged through 25,920 records');
    assert.ok(gaps >= 3, `gaps in a month (found ${gaps})`);
    assert.ok(codes.has(0) && codes.has(2147483648) && codes.has(1083310080), `good, bad and uncertain codes: ${[...codes].join(', ')}`);
  } finally {
    await sparse.close();
  }
});

test('limit, the Link header exactly as the SDK parses it, and paging without loss or overlap', async () => {
  const range = { from: '2024-03-05T00:00:00Z', to: '2024-03-05T01:00:00Z' };
  const full: Rec[] = (await series('Flow', range)).json;
  assert.equal(full.length, 2000, 'default and maximum limit 2000');
  const first = await series('Flow', { ...range, limit: 1500 });
  assert.equal(first.json.length, 1500);
  const link = first.headers.get('link')!;
  assert.match(link, /^<http:\/\/127\.0\.0\.1:\d+\/api\/iottimeseries\/v3\/timeseries\/[a-f0-9]{32}\/Flow\?[^>]*>; rel="next"$/);
  // The Siemens SDK's own parsing (GetNextRecordsBulkStyle): strip '; rel="next"', '<', '>' and the gateway.
  const next = link.replace('; rel="next"', '').replace(/</g, '').replace(/>/g, '').replace(h.sb.url, '');
  assert.ok(next.includes(`from=${encodeURIComponent(first.json[1499]._time)}`), 'from moves to the last record sent');
  assert.match(next, /limit=1500/);
  const rest: Rec[] = [];
  let url: string | undefined = next;
  while (url) {
    const r = await h.get(url);
    rest.push(...r.json);
    url = r.headers.get('link')?.replace('; rel="next"', '').replace(/[<>]/g, '').replace(h.sb.url, '');
  }
  const all = [...first.json, ...rest];
  assert.equal(all.length, 3600);
  assert.equal(new Set(all.map((x) => x._time)).size, 3600, 'no overlap');
  assert.deepEqual(all.slice(0, 2000), full);

  const exact = await series('Flow', { from: '2024-03-05T00:00:00Z', to: '2024-03-05T00:33:20Z' });
  assert.equal(exact.json.length, 2000);
  assert.equal(exact.headers.get('link'), null, 'no Link when exactly the limit remains');

  for (const bad of [{ limit: 2001 }, { limit: 0 }, { limit: 'many' }]) {
    const r = await series('Flow', { ...range, ...bad });
    assert.equal(r.status, 400);
    assert.deepEqual(Object.keys(r.json).sort(), ['id', 'message']);
  }
});

test('select, sort=desc with paging backwards, latestValue and the latest record', async () => {
  const range = { from: '2024-03-05T00:00:00Z', to: '2024-03-05T00:00:10Z' };
  const some = await series('Vibration', { ...range, select: 'Velocity,Temperature' });
  assert.deepEqual(Object.keys(some.json[0]).sort(), ['_time', 'Temperature', 'Temperature_qc', 'Velocity', 'Velocity_qc'].sort());
  const unknown = await series('Vibration', { ...range, select: 'Velocity,Color' });
  assert.equal(unknown.status, 400);
  assert.equal(unknown.json.message, 'Property with name Color does not belong to property set with name Vibration!');

  const asc: Rec[] = (await series('Vibration', range)).json;
  const desc = await series('Vibration', { ...range, sort: 'desc', limit: 6 });
  assert.deepEqual(desc.json, asc.slice(4).reverse());
  const back = desc.headers.get('link')!.replace('; rel="next"', '').replace(/[<>]/g, '').replace(h.sb.url, '');
  const rest = await h.get(back);
  assert.deepEqual(rest.json, asc.slice(0, 4).reverse());
  assert.equal((await series('Vibration', { ...range, sort: 'up' })).status, 400);

  const latest = await series('Vibration');
  assert.equal(latest.json.length, 1, 'no range: the latest record');
  assert.ok(Date.now() - at(latest.json[0]._time) < 60_000);
  const lv = await series('Vibration', { latestValue: true, select: 'Velocity' });
  assert.equal(lv.json.length, 1);
  assert.ok(lv.json[0].Velocity !== undefined && lv.json[0].Temperature === undefined);
  assert.equal((await series('Vibration', { from: '2024-03-05T00:00:00Z' })).status, 400, 'from without to');
  assert.equal((await series('Vibration', { from: '2024-03-05T00:00:10Z', to: '2024-03-05T00:00:00Z' })).status, 400, 'from after to');
  const badTime = await series('Vibration', { from: 'yesterday', to: '2024-03-05T00:00:00Z' });
  assert.equal(badTime.status, 400);
  assert.match(badTime.json.message, /ISO 8601/);
});

test('PUT overwrites whole records, overlays generated data, and DELETE removes a range', async () => {
  const motor = (await firstOfType(h, 'Motor')).assetId;
  const path = `${TS}/${motor}/Vibration`;
  const range = { from: '2024-04-01T00:00:00Z', to: '2024-04-01T00:00:05Z' };
  const before: Rec[] = (await h.get(`${path}?${qs(range)}`)).json;
  const target = before[2]!._time as string;
  const put = await h.call('PUT', path, { body: [{ _time: target, Velocity: 99.5, Velocity_qc: 0 }, { _time: '2024-04-01T00:00:04.500Z', Temperature: 20 }] });
  assert.equal(put.status, 204, put.text);
  const after: Rec[] = (await h.get(`${path}?${qs(range)}`)).json;
  assert.equal(after.length, 6);
  assert.deepEqual(after[2], { _time: target, Velocity: 99.5, Velocity_qc: 0 }, 'the whole record is replaced: unwritten variables are null');
  const added = after.findIndex((x) => x._time === '2024-04-01T00:00:04.500Z');
  assert.deepEqual(after[added], { _time: '2024-04-01T00:00:04.500Z', Temperature: 20 });
  assert.deepEqual(after.map((x) => x._time), [...after.map((x) => x._time)].sort(), 'written records merge in time order');
  assert.deepEqual(after.filter((_, i) => i !== 2 && i !== added), before.filter((_, i) => i !== 2));

  const del = await h.call('DELETE', `${path}?${qs({ from: '2024-04-01T00:00:01Z', to: '2024-04-01T00:00:04.600Z' })}`);
  assert.equal(del.status, 204);
  const left: Rec[] = (await h.get(`${path}?${qs(range)}`)).json;
  const outside = (t: string) => at(t) <= at('2024-04-01T00:00:01Z') || at(t) > at('2024-04-01T00:00:04.600Z');
  assert.deepEqual(left.map((x) => x._time), after.map((x) => x._time).filter((t) => outside(t as string)));
  assert.ok(left.length < after.length);
  assert.equal((await h.call('DELETE', path)).status, 400, 'DELETE needs from and to');

  // A new asset has no generated data: what is written is all there is.
  const created = await h.call('PUT', `${TS}/${motor}/PowerConsumption`, { body: [{ _time: '2030-01-01T00:00:00Z', Power: 1 }] });
  assert.equal(created.status, 204);
  const future = await h.get(`${TS}/${motor}/PowerConsumption?${qs({ from: '2029-12-31T00:00:00Z', to: '2030-01-02T00:00:00Z' })}`);
  assert.deepEqual(future.json, [{ _time: '2030-01-01T00:00:00.000Z', Power: 1 }]);
});

test('PUT validation: unknown properties, wrong types, bad _time, static aspects, unknown assets, huge records', async () => {
  const path = `${TS}/${pump}/Flow`;
  const cases: [unknown, number, RegExp][] = [
    [[{ _time: '2024-01-01T00:00:00Z', T130: 1 }], 400, /^Property with name T130 does not belong to property set with name Flow!$/],
    [[{ _time: '2024-01-01T00:00:00Z', FlowRate: 'fast' }], 400, /number \(DOUBLE\)/],
    [[{ _time: '2024-01-01T00:00:00Z', Running: 1 }], 400, /boolean/],
    [[{ _time: '2024-01-01T00:00:00Z', Mode: 'x'.repeat(256) }], 400, /at most 255/],
    [[{ _time: '2024-01-01T00:00:00Z', FlowRate_qc: 1.5 }], 400, /quality code/],
    [[{ _time: '2024-01-01T00:00:00Z', Running_qc: 0 }], 400, /does not belong/],
    [[{ _time: 'noon', FlowRate: 1 }], 400, /_time/],
    [[{ FlowRate: 1 }], 400, /_time/],
    [[], 400, /no records/],
    [{ _time: '2024-01-01T00:00:00Z' }, 400, /JSON array/],
    [[{ _time: '2024-01-01T00:00:00Z', Mode: 'x'.repeat(250), FlowRate: 1 }, ...Array(1).fill(0)], 400, /Record 1/],
  ];
  for (const [body, status, message] of cases) {
    const r = await h.call('PUT', path, { body });
    assert.equal(r.status, status, `${JSON.stringify(body).slice(0, 80)} → ${r.text}`);
    assert.match(r.json.message, message);
  }
  const malformed = await h.call('PUT', path, { body: '[{"_time": ' });
  assert.equal(malformed.status, 400);
  assert.match(malformed.json.message, /not valid JSON/);
  const deep = await h.call('PUT', path, { body: `[{"_time":"2024-01-01T00:00:00Z","Mode":${'['.repeat(5000)}${']'.repeat(5000)}}]` });
  assert.equal(deep.status, 400, deep.text.slice(0, 200));
  assert.match(deep.json.message, /more than 64 levels deep/);
  const long = await h.call('PUT', path, { body: [{ _time: '2024-01-01T00:00:00Z', FlowRate: 'x'.repeat(100_000) }] });
  assert.equal(long.status, 400);
  assert.ok(long.json.message.length < 300, `the message repeats the value back: ${long.json.message.length} characters`);
  const huge = await h.call('PUT', path, { body: Array.from({ length: 30_000 }, (_, i) => ({ _time: new Date(i * 1000).toISOString(), FlowRate: i })) });
  assert.equal(huge.status, 413);
  assert.match(huge.json.message, /larger than 1048576 bytes/);

  assert.equal((await h.call('PUT', `${TS}/${pump}/Nameplate`, { body: [{ _time: '2024-01-01T00:00:00Z' }] })).status, 400, 'static aspect');
  const noAsset = await h.get(`${TS}/${'a'.repeat(32)}/Flow?${qs({ from: '2024-01-01T00:00:00Z', to: '2024-01-01T00:01:00Z' })}`);
  assert.equal(noAsset.status, 404);
  assert.deepEqual(Object.keys(noAsset.json).sort(), ['id', 'message']);
  const noAspect = await h.get(`${TS}/${pump}/Color`);
  assert.equal(noAspect.status, 404);
  assert.match(noAspect.json.message, /has no aspect 'Color'.*Flow/);
  assert.equal((await h.get(`${TS}/not-an-id/Flow`)).status, 400);
});

test('PUT /timeseries for several assets at once, within the documented limits', async () => {
  const motor = (await firstOfType(h, 'Motor')).assetId;
  const body = { timeseries: [
    { entityId: pump, propertySetName: 'Flow', data: [{ _time: '2031-01-01T00:00:00Z', FlowRate: 5 }] },
    { entityId: motor, propertySetName: 'Vibration', data: [{ _time: '2031-01-01T00:00:00Z', Velocity: 1 }] },
  ] };
  assert.equal((await h.call('PUT', TS, { body })).status, 202);
  const r = await h.get(`${TS}/${motor}/Vibration?${qs({ from: '2030-12-31T00:00:00Z', to: '2031-01-02T00:00:00Z' })}`);
  assert.deepEqual(r.json, [{ _time: '2031-01-01T00:00:00.000Z', Velocity: 1 }]);
  // Each pair is validated on its own: the valid ones are written, and the 202 lists what was wrong with the others.
  const mixed = await h.call('PUT', TS, { body: { timeseries: [
    { entityId: pump, propertySetName: 'Flow', data: [{ _time: '2032-01-01T00:00:00Z', FlowRate: 7 }] },
    { entityId: motor, propertySetName: 'Vibration', data: [{ _time: '2032-01-01T00:00:00Z', NoSuchVar: 1 }] },
    { propertySetName: 'Flow', data: [] },
  ] } });
  assert.equal(mixed.status, 202, mixed.text);
  assert.deepEqual(mixed.json.errors.map((e: { index: number }) => e.index), [1, 2]);
  assert.match(mixed.json.errors[0].message, /^timeseries\[1\]: Property with name NoSuchVar does not belong to property set with name Vibration!$/);
  assert.match(mixed.json.errors[1].message, /^timeseries\[2\]: The item needs string fields entityId and propertySetName/);
  const kept = await h.get(`${TS}/${pump}/Flow?${qs({ from: '2031-12-31T00:00:00Z', to: '2032-01-02T00:00:00Z' })}`);
  assert.deepEqual(kept.json, [{ _time: '2032-01-01T00:00:00.000Z', FlowRate: 7 }], 'the valid pair was written');
  const six = { timeseries: Array.from({ length: 6 }, () => body.timeseries[0]) };
  assert.match((await h.call('PUT', TS, { body: six })).json.message, /at most 5/);
  const many = { timeseries: [{ ...body.timeseries[0], data: Array.from({ length: 101 }, (_, i) => ({ _time: new Date(i).toISOString(), FlowRate: i })) }] };
  assert.match((await h.call('PUT', TS, { body: many })).json.message, /at most 100/);
});

test('--data-dir: a torn last line (the process died mid-write) is skipped, and what is written after it is kept', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'sandbox-data-'));
  const at = (time: string) => qs({ from: new Date(Date.parse(time) - 1000).toISOString(), to: time });
  try {
    const first = await harness({ dataDir: dir });
    const path = `${TS}/${(await firstOfType(first, 'Pump')).assetId}/Flow`;
    assert.equal((await first.call('PUT', path, { body: [{ _time: '2032-06-01T00:00:00Z', FlowRate: 1 }] })).status, 204);
    await first.close();
    appendFileSync(join(dir, 'timeseries.jsonl'), '{"put":"torn","records":[[195');
    const second = await harness({ dataDir: dir });
    assert.equal((await second.call('PUT', path, { body: [{ _time: '2032-06-02T00:00:00Z', FlowRate: 2 }] })).status, 204);
    await second.close();
    const third = await harness({ dataDir: dir });
    try {
      assert.deepEqual((await third.get(`${path}?${at('2032-06-01T00:00:00Z')}`)).json, [{ _time: '2032-06-01T00:00:00.000Z', FlowRate: 1 }]);
      assert.deepEqual((await third.get(`${path}?${at('2032-06-02T00:00:00Z')}`)).json, [{ _time: '2032-06-02T00:00:00.000Z', FlowRate: 2 }],
        'the write after the torn line survives the next restart');
    } finally {
      await third.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('--data-dir keeps written data across restarts', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'sandbox-data-'));
  try {
    const first = await harness({ dataDir: dir });
    const asset = (await firstOfType(first, 'Pump')).assetId;
    const path = `${TS}/${asset}/Flow`;
    assert.equal((await first.call('PUT', path, { body: [{ _time: '2032-05-01T00:00:00Z', FlowRate: 42 }] })).status, 204);
    assert.equal((await first.call('DELETE', `${TS}/${asset}/Vibration?${qs({ from: '2024-01-01T00:00:00Z', to: '2024-01-02T00:00:00Z' })}`)).status, 204);
    await first.close();
    const second = await harness({ dataDir: dir });
    try {
      const r = await second.get(`${path}?${qs({ from: '2032-04-30T00:00:00Z', to: '2032-05-02T00:00:00Z' })}`);
      assert.deepEqual(r.json, [{ _time: '2032-05-01T00:00:00.000Z', FlowRate: 42 }]);
      const deleted = await second.get(`${TS}/${asset}/Vibration?${qs({ from: '2024-01-01T00:00:00Z', to: '2024-01-02T00:00:00Z' })}`);
      assert.deepEqual(deleted.json, []);
    } finally {
      await second.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

// Not a speed test: at 1000 points a second, a walk back over 90 days for a variable without values would take the
// tenant hours, so the timeout only tells an answer from none.
test('latestValue: values at least 5 minutes old; a variable without values costs no walk back over 90 days', { timeout: 60_000 }, async () => {
  const own = await harness({ pointsPerSecond: 1000 });
  try {
    const motor = (await firstOfType(own, 'Motor')).assetId;
    const path = `${TS}/${motor}/Vibration`;
    const aspectType = (await own.get('/api/assetmanagement/v3/aspecttypes/makers01.Vibration')).json;
    const added = await own.call('PATCH', '/api/assetmanagement/v3/aspecttypes/makers01.Vibration', {
      body: { variables: [...aspectType.variables, { name: 'Extra', dataType: 'DOUBLE', unit: '' }] },
      headers: { 'If-Match': String(aspectType.etag), 'Content-Type': 'application/merge-patch+json' } });
    assert.equal(added.status, 200, added.text);
    const all = await own.get(`${path}?${qs({ latestValue: true })}`);
    const none = await own.get(`${path}?${qs({ latestValue: true, select: 'Extra' })}`);
    assert.equal(all.json.length, 1);
    assert.equal(all.json[0].Extra, undefined);
    assert.ok(Date.now() - at(all.json[0]._time) >= 5 * 60_000, `${all.json[0]._time} is less than 5 minutes old`);
    assert.deepEqual(none.json, []);
    // Written 10 days ago, and a newer write that is too young to count yet.
    const old = new Date(Date.now() - 10 * 86_400_000).toISOString();
    const young = new Date(Date.now() - 60_000).toISOString();
    assert.equal((await own.call('PUT', path, { body: [{ _time: old, Extra: 1.5 }, { _time: young, Extra: 2.5 }] })).status, 204);
    const written = await own.get(`${path}?${qs({ latestValue: true, select: 'Extra,Velocity' })}`);
    assert.equal(written.json.length, 2);
    assert.deepEqual(written.json[0], { _time: old, Extra: 1.5 });
    assert.ok(written.json[1].Velocity !== undefined && Date.now() - at(written.json[1]._time) >= 5 * 60_000);
  } finally {
    await own.close();
  }
});

test('PUT limits: INT is a signed 32-bit integer, a STRING at most its declared length, and a record at most 200,000 bytes of UTF-8', async () => {
  const root = (await h.get('/api/assetmanagement/v3/assets/root')).json.assetId;
  const aspectType = await h.call('PUT', '/api/assetmanagement/v3/aspecttypes/makers01.Probe', { body: { name: 'Probe', category: 'dynamic',
    variables: [{ name: 'Count', dataType: 'INT', unit: '' }, { name: 'Text', dataType: 'BIG_STRING', unit: '' },
      { name: 'Code', dataType: 'STRING', unit: '', length: 10 }] } });
  assert.ok(aspectType.status < 300, aspectType.text);
  const assetType = await h.call('PUT', '/api/assetmanagement/v3/assettypes/makers01.ProbeType', { body: { name: 'ProbeType',
    parentTypeId: 'core.basicasset', aspects: [{ name: 'Probe', aspectTypeId: 'makers01.Probe' }] } });
  assert.ok(assetType.status < 300, assetType.text);
  const probe = (await h.call('POST', '/api/assetmanagement/v3/assets', { body: { name: 'probe', typeId: 'makers01.ProbeType', parentId: root } })).json.assetId;
  const put = (record: Rec) => h.call('PUT', `${TS}/${probe}/Probe`, { body: [{ _time: '2024-01-01T00:00:00Z', ...record }] });
  for (const count of [2 ** 31 - 1, -(2 ** 31)]) assert.equal((await put({ Count: count })).status, 204, `INT ${count}`);
  for (const count of [2 ** 31, -(2 ** 31) - 1]) {
    const r = await put({ Count: count });
    assert.equal(r.status, 400, `INT ${count}`);
    assert.match(r.json.message, /is not a 32-bit integer \(INT\)/);
  }
  assert.equal((await put({ Code: 'x'.repeat(10) })).status, 204);
  const long = await put({ Code: 'x'.repeat(11) });
  assert.equal(long.status, 400, long.text);
  assert.match(long.json.message, /Code = "x{11}" is not a string of at most 10 characters \(STRING\)/);
  // '€' is 3 bytes of UTF-8 and 1 character: 67,000 of them are within the 100,000 characters of a BIG_STRING but
  // over 200,000 bytes.
  assert.equal((await put({ Text: '€'.repeat(66_000) })).status, 204);
  const big = await put({ Text: '€'.repeat(67_000) });
  assert.equal(big.status, 413, big.text);
  assert.match(big.json.message, /Record 0 is larger than 200000 bytes/);
});

test('writes take JSON in UTF-8 only: another Content-Type or charset is 415, in IoT Time Series as in Asset Management', async () => {
  const path = `${TS}/${pump}/Flow`;
  const data = [{ _time: '2032-07-01T00:00:00Z', Mode: 'Vorwärts' }];
  const root = (await h.get(`${AM}/assets/root`)).json.assetId as string;
  for (const type of ['application/json; charset=ISO-8859-1', 'application/xml', 'text/plain']) {
    const r = await h.call('PUT', path, { body: data, headers: { 'Content-Type': type } });
    assert.equal(r.status, 415, type);
    assert.match(r.json.message, /send application\/json in UTF-8/);
    assert.equal(typeof r.json.id, 'string', 'the IoT error shape');
    const many = { timeseries: [{ entityId: pump, propertySetName: 'Flow', data }] };
    assert.equal((await h.call('PUT', TS, { body: many, headers: { 'Content-Type': type } })).status, 415, type);
    const asset = { name: 'Charset test', typeId: 'makers01.Pump', parentId: root };
    assert.equal((await h.call('POST', `${AM}/assets`, { body: asset, headers: { 'Content-Type': type } })).status, 415, type);
  }
  assert.equal((await h.call('PUT', path, { body: data, headers: { 'Content-Type': 'application/json; charset=UTF-8' } })).status, 204);
  const back = await h.get(`${path}?${qs({ from: '2032-06-30T23:59:59Z', to: '2032-07-01T00:00:00Z' })}`);
  assert.deepEqual(back.json, [{ _time: '2032-07-01T00:00:00.000Z', Mode: 'Vorwärts' }]);
});
