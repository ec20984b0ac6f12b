// --data-dir keeps what clients change in the tenant (aspect types, asset types, assets, contracts) in tenant.json,
// written before each answer: a restart shows the same tenant. A file that cannot be read is moved aside, never lost.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { AM, firstOfType, harness, withDataDir } from './helpers';

const CONTRACTS = '/api/datacontracts/v1/contracts';


test('--data-dir keeps created and changed types, assets and contracts across restarts', withDataDir(async (dir) => {
  const first = await harness({ dataDir: dir });
  const pump = await firstOfType(first, 'Pump');
  const aspectType = { name: 'Environment', category: 'dynamic', scope: 'private', variables: [{ name: 'Humidity', dataType: 'DOUBLE', unit: '%' }] };
  assert.equal((await first.call('PUT', `${AM}/aspecttypes/makers01.Environment`, { body: aspectType })).status, 201);
  const parentId = (await first.get(`${AM}/assets/${pump.assetId}`)).json.parentId as string;
  const created = await first.call('POST', `${AM}/assets`, { body: { name: 'Spare Pump', typeId: 'makers01.Pump', parentId } });
  assert.equal(created.status, 201, created.text);
  const renamed = await first.call('PUT', `${AM}/assets/${pump.assetId}`, { body: { name: 'Pump P-101 (overhauled)' }, headers: { 'If-Match': String(pump.etag) } });
  assert.equal(renamed.status, 200, renamed.text);
  const contract = await first.call('POST', CONTRACTS, { body: { name: 'Pumps', assetTypes: ['makers01.Pump'] } });
  assert.equal(contract.status, 201, contract.text);
  await first.close();

  const second = await harness({ dataDir: dir });
  try {
    assert.equal((await second.get(`${AM}/aspecttypes/makers01.Environment`)).json.variables[0].name, 'Humidity');
    const spare = await second.get(`${AM}/assets/${created.json.assetId as string}`);
    assert.equal(spare.json.name, 'Spare Pump');
    assert.equal(spare.json.parentId, parentId);
    const overhauled = await second.get(`${AM}/assets/${pump.assetId}`);
    assert.equal(overhauled.json.name, 'Pump P-101 (overhauled)');
    assert.equal(overhauled.json.etag, pump.etag + 1);
    const listed = (await second.get(CONTRACTS)).json._embedded.contracts as { name: string }[];
    assert.deepEqual(listed.map((c) => c.name).sort(), ['Plant', 'Pumps']);
    // The restored tenant works as before: its seeded pump still has generated time series under the new name.
    const series = await second.get(`/api/iottimeseries/v3/timeseries/${pump.assetId}/Flow?from=2025-03-01T00:00:00Z&to=2025-03-01T00:00:10Z`);
    assert.ok(series.json.length > 0);
  } finally {
    await second.close();
  }
}));

test('a tenant.json that cannot be read is moved aside and the tenant starts from the seed; a file of another plant (seed, tenant, size) is refused', withDataDir(async (dir) => {
  writeFileSync(join(dir, 'tenant.json'), '{"version":1,"plant":{"seed":"makers","tenant":"makers01","assets":40},"rootId":"x","assets":[{"assetId":');
  const h = await harness({ dataDir: dir });
  try {
    assert.equal((await firstOfType(h, 'Pump')).name.startsWith('Pump'), true, 'the seeded plant');
    const aside = readdirSync(dir).filter((f) => f.startsWith('tenant.json.unreadable-'));
    assert.equal(aside.length, 1);
    assert.match(readFileSync(join(dir, aside[0]!), 'utf8'), /"assets":\[\{"assetId":$/, 'the unreadable file is kept as it was');
    // The next change writes a fresh tenant.json.
    assert.equal((await h.call('POST', CONTRACTS, { body: { name: 'Pumps', assetTypes: ['makers01.Pump'] } })).status, 201);
    assert.equal(JSON.parse(readFileSync(join(dir, 'tenant.json'), 'utf8')).contracts.length, 2);
  } finally {
    await h.close();
  }
  await assert.rejects(harness({ dataDir: dir, seed: 'other' }),
    /holds the tenant 'makers01' of seed 'makers' with 40 seeded assets, not the tenant 'makers01' of seed 'other' with 40 seeded assets/);
  await assert.rejects(harness({ dataDir: dir, assets: 100 }), /with 40 seeded assets, not the tenant 'makers01' of seed 'makers' with 100 seeded assets/);
}));
