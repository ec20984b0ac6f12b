import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { z } from 'zod';
import { CLIENT_ERROR_CODES, collect, InputError, MindSphereError, type MindSphereClient } from '../../../src/client';
import { fakeTenant, findPump, generatedBody, json, MB, sandbox, type TestSandbox } from './helpers';

let t: TestSandbox;
let client: MindSphereClient;
let pump: { assetId: string; aspect: string };

before(async () => {
  t = await sandbox();
  client = t.client();
  pump = await findPump(client);
});
after(() => t.close());

test('assets: listing pages through everything, filters, sorts, and finds root, children and one asset', async () => {
  const all = await collect(client.assets.list({ pageSize: 200 }));
  const paged = await collect(client.assets.list({ pageSize: 7 }));
  assert.equal(all.length, 40);
  assert.deepEqual(paged.map((a) => a.assetId).sort(), all.map((a) => a.assetId).sort());
  const firstPage = await client.assets.page(0, { pageSize: 7 });
  assert.equal(firstPage.totalElements, 40);
  assert.equal(firstPage.totalPages, 6);

  const pumps = await collect(client.assets.list({ filter: { typeId: { endsWith: 'Pump' } }, sort: 'name,desc' }));
  assert.ok(pumps.length > 0 && pumps.every((a) => a.typeId.endsWith('Pump')));
  assert.deepEqual(pumps.map((a) => a.name), [...pumps.map((a) => a.name)].sort().reverse());
  assert.deepEqual(await collect(client.assets.list({ filter: { name: 'no such asset' } })), []);

  const root = await client.assets.root();
  assert.equal(root.parentId ?? null, null);
  const children = await collect(client.assets.children(root.assetId));
  assert.ok(children.length > 0 && children.every((c) => c.parentId === root.assetId));
  assert.equal((await client.assets.get(pump.assetId)).assetId, pump.assetId);
});

test('aspects, variables, asset types and aspect types are typed and complete', async () => {
  const aspects = await collect(client.assets.aspects(pump.assetId));
  const vibration = aspects.find((a) => a.name === 'Vibration');
  assert.deepEqual(vibration?.variables?.map((v) => [v.name, v.qualityCode]), [['Velocity', true], ['Acceleration', true], ['Temperature', true]]);
  const variables = await collect(client.assets.variables(pump.assetId));
  assert.ok(variables.length > 0 && variables.every((v) => typeof v.name === 'string' && typeof v.dataType === 'string'));

  const assetTypes = await collect(client.assets.assetTypes());
  const pumpType = assetTypes.find((x) => x.id.endsWith('Pump'));
  assert.ok(pumpType);
  assert.equal((await client.assets.assetType(pumpType.id)).id, pumpType.id);
  const aspectTypes = await collect(client.assets.aspectTypes());
  const vibrationType = aspectTypes.find((x) => x.name === 'Vibration');
  assert.equal(vibrationType?.category, 'dynamic');
  assert.equal((await client.assets.aspectType(vibrationType.id)).variables.length, 3);
});

test('time series: a write replaces records at their timestamps, and a delete removes a range', async () => {
  const from = '2024-06-01T00:00:00Z';
  const to = '2024-06-01T00:00:10Z';
  const written = [
    { _time: '2024-06-01T00:00:02.500Z', Velocity: 1.5, Velocity_qc: 0, Acceleration: 0.5, Temperature: 40 },
    { _time: '2024-06-01T00:00:07.250Z', Velocity: 2.5, Acceleration: 0.7, Temperature: 41 },
  ];
  await client.timeSeries.write(pump.assetId, pump.aspect, written);
  const records = await client.readTimeSeries(pump.assetId, pump.aspect, from, to);
  const times = new Set(written.map((w) => w._time));
  assert.deepEqual(records.filter((r) => times.has(r._time)), written);
  const latest = await client.timeSeries.latest(pump.assetId, pump.aspect, { select: 'Temperature' });
  assert.ok(latest && Date.now() - Date.parse(latest._time) < 3_600_000, 'the latest record is recent');
  assert.equal(typeof latest.Temperature, 'number');
  await client.timeSeries.delete(pump.assetId, pump.aspect, from, to);
  assert.deepEqual(await client.readTimeSeries(pump.assetId, pump.aspect, from, to), []);
});

test('a variable that is not in the aspect is refused with the server\'s words and status 400', async () => {
  const error = await client.timeSeries.write(pump.assetId, pump.aspect, [{ _time: '2024-06-01T00:00:00Z', T130: 1 }]).then(() => undefined, (e: unknown) => e);
  assert.ok(error instanceof MindSphereError);
  assert.equal(error.status, 400);
  assert.match(error.message, /^MindSphere refused PUT \/api\/iottimeseries\/v3\/timeseries\/\w+\/Vibration \(400\): Property with name T130 does not belong to property set with name Vibration!/);
});

test('aggregates past the 24-hour cap of 2-minute intervals come back whole: every interval once, in order', async () => {
  const from = Date.parse('2025-02-01T00:00:00Z');
  const to = from + 36 * 3_600_000;
  const progress: number[] = [];
  const aggregates = await client.readAggregates(pump.assetId, pump.aspect, from, to,
    { intervalUnit: 'minute', intervalValue: 2, onProgress: (p) => progress.push(p.chunksDone) });
  // The reference: the two windows one request may cover, asked for directly (intervals without data are absent).
  const token = (await client.token()).accessToken;
  const direct = async (a: number, b: number) => ((await (await fetch(`${t.sb.url}/api/iottsaggregates/v4/aggregates?${new URLSearchParams({
    assetId: pump.assetId, aspectName: pump.aspect, from: new Date(a).toISOString(), to: new Date(b).toISOString(),
    intervalUnit: 'minute', intervalValue: '2' })}`, { headers: { Authorization: `Bearer ${token}` } })).json()) as { aggregates: unknown[] }).aggregates;
  const reference = [...await direct(from, from + 86_400_000), ...await direct(from + 86_400_000, to)];
  assert.ok(reference.length > 1000);
  assert.deepEqual(aggregates, reference);
  assert.ok(aggregates.every((a, i) => i === 0 || Date.parse(a.starttime) > Date.parse(aggregates[i - 1]!.starttime)));
  assert.deepEqual(progress.sort(), [1, 2]);
  const velocity = aggregates[0]?.Velocity as { average?: number; countgood?: number } | undefined;
  assert.equal(typeof velocity?.average, 'number');
  // Without an interval, MindSphere picks one for a range one request can cover.
  const auto = await client.readAggregates(pump.assetId, pump.aspect, from, from + 3 * 86_400_000);
  assert.ok(auto.length > 0);
  await assert.rejects(client.readAggregates(pump.assetId, pump.aspect, from, to, { intervalUnit: 'minute', intervalValue: 3 }), InputError);
});

test('a response that does not match the schema names the field; an unknown asset is a clear 404', async () => {
  const error = await client.request({ method: 'GET', path: '/api/assetmanagement/v3/assets/root',
    schema: z.object({ assetId: z.string(), serialNumber: z.string() }) }).then(() => undefined, (e: unknown) => e);
  assert.ok(error instanceof MindSphereError);
  assert.equal(error.code, CLIENT_ERROR_CODES.invalidResponse);
  assert.match(error.message, /^MindSphere gave an unusable answer to GET \/api\/assetmanagement\/v3\/assets\/root \(200\): the response does not have the expected shape: field 'serialNumber'/);
  // The generic request can also return a body as text, for APIs that do not answer JSON.
  const text = await client.request<string>({ method: 'GET', path: '/api/assetmanagement/v3/assets/root', responseType: 'text' });
  assert.equal(typeof text.data, 'string');
  assert.match(text.data, /^\{"assetId":"[0-9a-f]{32}"/);
  const missing = await client.assets.get('0'.repeat(32)).then(() => undefined, (e: unknown) => e);
  assert.ok(missing instanceof MindSphereError);
  assert.equal(missing.status, 404);
  assert.match(missing.message, /\(404\): .*Check the asset ID, aspect name or type ID\./);
});

test('an endless response is refused past 64 MB with a clear error, and the client stops reading it', async () => {
  // The sandbox answers the token; the asset's answer never ends, or says at once that it is 1 GB.
  const endless = generatedBody();
  const hostile = t.client({ fetch: async (input, init) => String(input).includes('/assets/root') ? new Response(endless.stream) : fetch(input, init) });
  const error = await hostile.assets.root().then(() => undefined, (e: unknown) => e);
  assert.ok(error instanceof MindSphereError);
  assert.equal(error.code, CLIENT_ERROR_CODES.invalidResponse);
  assert.match(error.message, /GET \/api\/assetmanagement\/v3\/assets\/root.*larger than 64 MB/);
  assert.ok(endless.cancelled(), 'the body was cancelled');
  assert.ok(endless.made() <= 66 * MB, `read ${endless.made()} bytes`);

  const declared = generatedBody();
  const tooLarge = t.client({ fetch: async (input, init) => String(input).includes('/assets/root')
    ? new Response(declared.stream, { headers: { 'Content-Length': String(2 ** 30) } }) : fetch(input, init) });
  await assert.rejects(tooLarge.assets.root(), /larger than 64 MB/);
  assert.ok(declared.made() <= 2 * MB, `read ${declared.made()} bytes of a body declared too large`);
});

test('a server that ignores the page asked for stops a list with a clear error instead of repeating it', async () => {
  const pageDropped = t.client({ fetch: async (input, init) => {
    const url = new URL(String(input));
    url.searchParams.delete('page');
    return fetch(url, init);
  } });
  const error = await collect(pageDropped.assets.list({ pageSize: 5 })).then(() => undefined, (e: unknown) => e);
  assert.ok(error instanceof MindSphereError);
  assert.equal(error.code, CLIENT_ERROR_CODES.invalidResponse);
  assert.match(error.message, /GET \/api\/assetmanagement\/v3\/assets.*asked for page 1 of the list, the server answered page 0/);
});

test('a list whose server ignores the page and sends no page object stops at the repeated page with a clear error', async () => {
  const tenant = await fakeTenant((_req, res, url) => {
    const size = Number(url.searchParams.get('size'));
    json(res, { _embedded: { assets: Array.from({ length: size }, (_, i) => ({ assetId: `a${i}`, name: `n${i}`, typeId: 't' })) } });
  });
  try {
    const error = await collect(tenant.client().assets.list({ pageSize: 10, signal: AbortSignal.timeout(5000) })).then(() => undefined, (e: unknown) => e);
    assert.ok(error instanceof MindSphereError);
    assert.equal(error.code, CLIENT_ERROR_CODES.invalidResponse);
    assert.match(error.message, /GET \/api\/assetmanagement\/v3\/assets.*page 1 of the list repeats page 0: the server ignores the page asked for/);
    assert.equal(tenant.requests.filter((r) => r.includes('/assets')).length, 2);
  } finally {
    await tenant.close();
  }
});

test('a list reads no more pages than totalElements fills, whatever totalPages claims', async () => {
  const tenant = await fakeTenant((_req, res, url) => {
    const n = Number(url.searchParams.get('page'));
    json(res, { _embedded: { assets: n < 2 ? [{ assetId: `a${n}`, name: `n${n}`, typeId: 't' }] : [{ assetId: `x${n}`, name: 'more', typeId: 't' }] },
      page: { size: 1, totalElements: 2, totalPages: 1_000_000, number: n } });
  });
  try {
    const assets = await collect(tenant.client().assets.list({ pageSize: 1 }));
    assert.deepEqual(assets.map((a) => a.assetId), ['a0', 'a1']);
  } finally {
    await tenant.close();
  }
});
