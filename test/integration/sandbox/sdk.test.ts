// The official Siemens Node SDK (@mindconnect/mindconnect-nodejs) with service credentials works against the sandbox
// unchanged: token (JWT verified against /token_keys), assets, time series with its own Link paging, and aggregates v4.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { harness, type Harness } from './helpers';

// The SDK honours http_proxy and ignores no_proxy (API §1.9 #10): loopback calls must not go through a proxy.
for (const name of ['http_proxy', 'https_proxy', 'HTTP_PROXY', 'HTTPS_PROXY', 'all_proxy', 'ALL_PROXY']) delete process.env[name];

let h: Harness;
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the SDK's types are not part of this project's surface
let sdk: any;
before(async () => {
  h = await harness();
  const { MindSphereSdk } = await import('@mindconnect/mindconnect-nodejs');
  sdk = new MindSphereSdk({ gateway: h.sb.url, tenant: h.sb.tenant, basicAuth: `Basic ${Buffer.from(`${h.sb.clientId}:${h.sb.clientSecret}`).toString('base64')}` });
});
after(() => h.close());

test('the SDK gets a token it verifies against /token_keys', async () => {
  const token: string = await sdk.GetToken();
  assert.match(token, /^eyJ/);
  assert.ok(h.events.some((e) => e.route === 'POST /oauth/token' && e.status === 200));
  assert.ok(h.events.some((e) => e.route === 'GET /token_keys' && e.status === 200), 'the SDK fetched the key to verify the token');
});

test('the SDK reads the root asset, assets, asset types, aspect types and an asset\'s aspects', async () => {
  const am = sdk.GetAssetManagementClient();
  const root = await am.GetRootAsset();
  assert.equal(root.name, 'makers01');
  const assets = await am.GetAssets({ size: 100, filter: JSON.stringify({ typeId: 'makers01.Pump' }) });
  assert.ok(assets._embedded.assets.length > 0);
  const pump = assets._embedded.assets[0];
  const types = await am.GetAssetTypes({ size: 20 });
  assert.ok(types._embedded.assetTypes.some((t: { id: string }) => t.id === 'makers01.LPGTurbine'));
  const aspectTypes = await am.GetAspectTypes({ size: 20 });
  assert.ok(aspectTypes._embedded.aspectTypes.some((t: { id: string }) => t.id === 'makers01.Vibration'));
  const aspects = await am.GetAspects(pump.assetId);
  assert.ok(aspects._embedded.aspects.some((a: { name: string }) => a.name === 'PrimaryMotor'));
});

test('the SDK pages time series by the Link header, writes records, and reads aggregates v4', async () => {
  const am = sdk.GetAssetManagementClient();
  const pump = (await am.GetAssets({ size: 1, filter: JSON.stringify({ typeId: 'makers01.Pump' }) }))._embedded.assets[0];
  const ts = sdk.GetTimeSeriesClient();
  const from = new Date('2024-03-05T00:00:00Z');
  const to = new Date('2024-03-05T01:10:00Z'); // 4200 records: three pages
  let page = await ts.GetTimeSeriesBulkStyle(pump.assetId, 'Vibration', { from, to });
  const records = [...page.records];
  let pages = 1;
  while (page.nextRecord) {
    page = await ts.GetNextRecordsBulkStyle(page.nextRecord);
    records.push(...page.records);
    pages++;
  }
  assert.equal(pages, 3);
  assert.equal(records.length, 4200);
  assert.equal(new Set(records.map((r: { _time: string }) => r._time)).size, 4200, 'no record twice');
  assert.equal(records[0].Velocity_qc !== undefined, true);

  await ts.PutTimeSeries(pump.assetId, 'Flow', [{ _time: '2034-01-01T00:00:00.000Z', FlowRate: 12.5, Pressure: 4 }]);
  const written = await ts.GetTimeSeries(pump.assetId, 'Flow', { from: new Date('2033-12-31T00:00:00Z'), to: new Date('2034-01-02T00:00:00Z') });
  assert.deepEqual(written, [{ _time: '2034-01-01T00:00:00.000Z', FlowRate: 12.5, Pressure: 4 }]);

  const aggregates = await sdk.GetTimeSeriesAggregateClientV4().GetAggregates({ assetId: pump.assetId, aspectName: 'PrimaryMotor',
    from: '2024-03-04T00:00:00Z', to: '2024-03-06T00:00:00Z', intervalUnit: 'day', intervalValue: 1 });
  assert.equal(aggregates.aggregates.length, 2);
  const power = aggregates.aggregates[0].Power;
  assert.equal(aggregates.aggregates[0].starttime, '2024-03-04T00:00:00Z');
  assert.ok(power.countgood > 80_000 && power.countgood <= 86_400, `one point a second, minus gaps (${power.countgood})`);
  assert.ok(power.minvalue <= power.average && power.average <= power.maxvalue);
});

test('a wrong secret makes the SDK fail with the 401', async () => {
  const { MindSphereSdk } = await import('@mindconnect/mindconnect-nodejs');
  const wrong = new MindSphereSdk({ gateway: h.sb.url, tenant: h.sb.tenant, basicAuth: `Basic ${Buffer.from(`${h.sb.clientId}:wrong`).toString('base64')}` });
  await assert.rejects(() => wrong.GetToken(), /401|Unauthorized|invalid_client/);
});
