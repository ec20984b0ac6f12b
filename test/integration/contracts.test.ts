// Contracts in the sandbox tenant over real HTTP (seed §2.3.3, §9.2): create with Asset Manager's defaults, list, read,
// replace and delete with etags, publish to Data Hub (the 200-character AGGR_ limit and unknown asset types), and the
// CSDL download; then the same through the client and the CLI.
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { CliIO } from '../../src/cli/io';
import { main } from '../../src/cli/main';
import { createClient, MindSphereError } from '../../src/client';
import { type Harness, harness } from './sandbox/helpers';

const C = '/api/datacontracts/v1/contracts';
const AM = '/api/assetmanagement/v3';

let h: Harness;
before(async () => {
  h = await harness();
});
after(() => h.close());

const client = () => createClient({ connection: { name: 'sandbox', tokenUrl: h.sb.tokenUrl, clientId: h.sb.clientId, clientSecret: h.sb.clientSecret }, fetch });
const errorMessage = (r: { json: { errors?: { message: string }[] } }) => r.json?.errors?.[0]?.message ?? '';

describe('the contracts API', () => {
  test('seed 2.3.3: a new contract gets the application name mdsp_ + tenant, and is saved unpublished', async () => {
    const r = await h.call('POST', C, { body: { name: 'Pumps', assetTypes: ['makers01.Pump'] } });
    assert.equal(r.status, 201, r.text);
    assert.equal(r.headers.get('etag'), '"0"');
    assert.deepEqual({ ...r.json, id: undefined, _links: undefined, createdAt: undefined, modifiedAt: undefined }, {
      id: undefined, name: 'Pumps', version: '1.0.0', tenant: 'makers01', applicationName: 'mdsp_makers01', environmentType: 'Sandbox',
      description: '', assetTypes: ['makers01.Pump'], status: 'Not published', publishedAt: null, etag: 0,
      entitySets: ['Assets', 'TS_Flow_Flow_Pump', 'AGGR_Flow_Flow_Pump', 'TS_PowerConsumption_PrimaryMotor_Pump',
        'AGGR_PowerConsumption_PrimaryMotor_Pump', 'TS_Vibration_Vibration_Pump', 'AGGR_Vibration_Vibration_Pump'],
      createdAt: undefined, modifiedAt: undefined, _links: undefined,
    });
    assert.match(r.json.id, /^[0-9a-f]{32}$/);
    const read = await h.get(`${C}/${r.json.id}`);
    assert.equal(read.status, 200);
    assert.equal(read.json.name, 'Pumps');
    assert.equal((await h.call('DELETE', `${C}/${r.json.id}`, { headers: { 'If-Match': '0' } })).status, 204);
  });

  test('a fresh tenant lists its seeded, published Plant contract in a HAL page', async () => {
    const r = await h.get(`${C}?size=5&sort=name,desc`);
    assert.equal(r.status, 200);
    const plant = r.json._embedded.contracts.find((c: { name: string }) => c.name === 'Plant');
    assert.equal(plant.status, 'Published');
    assert.deepEqual(plant.assetTypes, ['makers01.CNGTurbine', 'makers01.LPGTurbine', 'makers01.Motor', 'makers01.Pump']);
    assert.equal(plant._links.service.href, `${h.sb.url}/odata/mdsp_makers01/`);
    assert.equal(r.json.page.size, 5);
  });

  test('the Plant contract is the seed plant\'s four types, even when a type was created before contracts were first used', async () => {
    const fresh = await harness();
    try {
      assert.equal((await fresh.call('PUT', `${AM}/aspecttypes/makers01.OvenTemp`, { body: { name: 'OvenTemp', category: 'dynamic',
        variables: [{ name: 'a', dataType: 'DOUBLE' }] } })).status, 201);
      assert.equal((await fresh.call('PUT', `${AM}/assettypes/makers01.Oven`, { body: { name: 'Oven', parentTypeId: 'core.basicasset',
        aspects: [{ name: 'T', aspectTypeId: 'makers01.OvenTemp' }] } })).status, 201);
      const plant = (await fresh.get(C)).json._embedded.contracts.find((c: { name: string }) => c.name === 'Plant');
      assert.deepEqual(plant.assetTypes, ['makers01.CNGTurbine', 'makers01.LPGTurbine', 'makers01.Motor', 'makers01.Pump']);
    } finally {
      await fresh.close();
    }
  });

  test('bad bodies get a 400 in MindSphere\'s error shape that names the field and what to write', async () => {
    const cases: [unknown, RegExp][] = [
      [{ name: 'X', assetTypes: ['makers01.Pump'], asetTypes: [] }, /Unknown contract property 'asetTypes'/],
      [{ name: 'X', assetTypes: ['makers01.Pump'], environmentType: 'sandbox' }, /'environmentType' 'sandbox' is not one of Sandbox, production, non-production/],
      [{ name: 'X' }, /'assetTypes' is required/],
      [{ name: 'X', assetTypes: ['Pump'] }, /assetTypes\[0\] is not an asset type id: write \{tenant\}\.\{name\}/],
      [{ name: 'X', assetTypes: ['makers01.Pump'], applicationName: 'mdsp/x' }, /'applicationName' 'mdsp\/x' is not valid/],
      [{ name: 'X', assetTypes: ['makers01.Pump'], tenant: 'other' }, /'tenant' is 'other', but this is tenant makers01/],
      [{ assetTypes: ['makers01.Pump'] }, /'name' is required/],
      ['{"name": "X",', /not valid JSON/],
    ];
    for (const [body, message] of cases) {
      const r = await h.call('POST', C, { body });
      assert.equal(r.status, 400, JSON.stringify(body));
      assert.match(r.json.errors[0].code, /^mdsp\.core\.generic\./);
      assert.match(errorMessage(r), message);
    }
    const dup = await h.call('POST', C, { body: { name: 'Plant', version: '1.0.0', assetTypes: ['makers01.Pump'] } });
    assert.equal(dup.status, 409);
    assert.match(errorMessage(dup), /named 'Plant' with version 1\.0\.0 already exists/);
    assert.equal((await h.get(`${C}/0123456789abcdef0123456789abcdef`)).status, 404);
  });

  test('replace and delete need the current etag (428 without, 412 when stale)', async () => {
    const created = (await h.call('POST', C, { body: { name: 'Motors', assetTypes: ['makers01.Motor'] } })).json;
    const body = { name: 'Motors', version: '1.1.0', description: 'drives', assetTypes: ['makers01.Motor'] };
    assert.equal((await h.call('PUT', `${C}/${created.id}`, { body })).status, 428);
    assert.equal((await h.call('PUT', `${C}/${created.id}`, { body, headers: { 'If-Match': '7' } })).status, 412);
    const put = await h.call('PUT', `${C}/${created.id}`, { body, headers: { 'If-Match': '0' } });
    assert.equal(put.status, 200, put.text);
    assert.equal(put.json.version, '1.1.0');
    assert.equal(put.json.etag, 1);
    assert.equal((await h.call('DELETE', `${C}/${created.id}`, { headers: { 'If-Match': '0' } })).status, 412);
    assert.equal((await h.call('DELETE', `${C}/${created.id}`, { headers: { 'If-Match': '1' } })).status, 204);
    assert.equal((await h.get(`${C}/${created.id}`)).status, 404);
  });

  test('publishing a contract whose asset type does not exist is a 400 naming it; nothing is served', async () => {
    const created = await h.call('POST', C, { body: { name: 'Ghosts', applicationName: 'mdsp_ghosts', assetTypes: ['makers01.Pump', 'makers01.Ghost'] } });
    assert.equal(created.status, 201);
    assert.deepEqual(created.json.missingAssetTypes, ['makers01.Ghost']);
    const r = await h.call('POST', `${C}/${created.json.id}/publish`);
    assert.equal(r.status, 400);
    assert.match(errorMessage(r), /Asset type 'makers01\.Ghost' \(contract Ghosts\) does not exist in tenant makers01/);
    assert.equal((await h.get(`${C}/${created.json.id}`)).json.status, 'Not published');
    assert.equal((await h.get('/odata/mdsp_ghosts/')).status, 404);
    assert.equal((await h.get(`${C}/${created.json.id}/metadata`)).status, 400);
  });

  test('publishing refuses entity set names that clash or are not OData identifiers (400 naming them); nothing is served', async () => {
    const put = async (path: string, body: unknown) => assert.equal((await h.call('PUT', `${AM}/${path}`, { body })).status, 201);
    const variables = [{ name: 'a', dataType: 'DOUBLE' }];
    await put('aspecttypes/makers01.X_Y', { name: 'X_Y', category: 'dynamic', variables });
    await put('aspecttypes/makers01.X', { name: 'X', category: 'dynamic', variables });
    const type = (id: string, aspects: Array<[string, string]>) =>
      put(`assettypes/${id}`, { name: id, parentTypeId: 'core.basicasset', aspects: aspects.map(([name, aspectTypeId]) => ({ name, aspectTypeId })) });
    await type('makers01.T', [['Z', 'makers01.X_Y'], ['Y_Z', 'makers01.X']]);
    await type('makers01.Pump.v2', [['Flow', 'makers01.X']]);
    await type('makers01.B_U', [['A', 'makers01.X']]);
    await type('makers01.U', [['A_B', 'makers01.X']]);
    const publish = async (name: string, applicationName: string, assetTypes: string[]) => {
      const created = await h.call('POST', C, { body: { name, applicationName, assetTypes } });
      assert.equal(created.status, 201, created.text);
      return h.call('POST', `${C}/${created.json.id}/publish`);
    };
    const clash = await publish('Clash', 'mdsp_clash', ['makers01.T']);
    assert.equal(clash.status, 400);
    assert.equal(clash.json.errors[0].code, 'mdsp.core.generic.invalidRequestBodyProperty');
    assert.match(errorMessage(clash), /aspect 'Z' \(makers01\.X_Y\) of makers01\.T and aspect 'Y_Z' \(makers01\.X\) of makers01\.T both make the entity set TS_X_Y_Z_T/);
    assert.equal((await h.get('/odata/mdsp_clash/$metadata')).status, 404);
    const dotted = await publish('Dotted', 'mdsp_dotted', ['makers01.Pump.v2']);
    assert.equal(dotted.status, 400);
    assert.match(errorMessage(dotted), /the entity set name TS_X_Flow_Pump\.v2 of aspect 'Flow' \(makers01\.X\) of makers01\.Pump\.v2 is not an OData identifier/);
    assert.equal((await h.get('/odata/mdsp_dotted/$metadata')).status, 404);
    // Across the contracts one application name serves: TS_X_A_B_U from B_U's aspect A and from U's aspect A_B.
    assert.equal((await publish('JointOne', 'mdsp_joint', ['makers01.B_U'])).status, 200);
    const joint = await publish('JointTwo', 'mdsp_joint', ['makers01.U']);
    assert.equal(joint.status, 400);
    assert.match(errorMessage(joint), /both make the entity set TS_X_A_B_U \(with the published contracts of mdsp_joint\)/);
    assert.equal((await h.get('/odata/mdsp_joint/$metadata')).status, 200);
  });

  test('an asset type a published contract uses cannot be deleted (409), so the contracts of its application name stay served', async () => {
    assert.equal((await h.call('PUT', `${AM}/aspecttypes/makers01.OvenTemp`, { body: { name: 'OvenTemp', category: 'dynamic',
      variables: [{ name: 'a', dataType: 'DOUBLE' }] } })).status, 201);
    assert.equal((await h.call('PUT', `${AM}/assettypes/makers01.Oven`, { body: { name: 'Oven', parentTypeId: 'core.basicasset',
      aspects: [{ name: 'T', aspectTypeId: 'makers01.OvenTemp' }] } })).status, 201);
    const created = (await h.call('POST', C, { body: { name: 'Ovens', assetTypes: ['makers01.Oven'] } })).json;
    const published = await h.call('POST', `${C}/${created.id}/publish`);
    assert.equal(published.status, 200, published.text);
    const refused = await h.call('DELETE', `${AM}/assettypes/makers01.Oven`, { headers: { 'If-Match': '0' } });
    assert.equal(refused.status, 409);
    assert.equal(errorMessage(refused), "Asset type 'makers01.Oven' is in use by contract 'Ovens' 1.0.0 (published as mdsp_makers01); " +
      'delete or change the contract first.');
    assert.equal((await h.get('/odata/mdsp_makers01/$metadata')).status, 200, 'Plant, under the same application name, is still served');
    assert.equal((await h.call('DELETE', `${C}/${created.id}`, { headers: { 'If-Match': String(published.json.etag) } })).status, 204);
    assert.equal((await h.call('DELETE', `${AM}/assettypes/makers01.Oven`, { headers: { 'If-Match': '0' } })).status, 204);
  });

  test('publishing serves the contract at /odata/{applicationName}/, and a published contract stays consistent', async () => {
    const created = (await h.call('POST', C, { body: { name: 'Turbines', applicationName: 'mdsp_turbines', environmentType: 'non-production',
      assetTypes: ['makers01.CNGTurbine', 'makers01.LPGTurbine'] } })).json;
    assert.equal((await h.get('/odata/mdsp_turbines/')).status, 404);
    const published = await h.call('POST', `${C}/${created.id}/publish`);
    assert.equal(published.status, 200, published.text);
    assert.equal(published.json.status, 'Published');
    assert.ok(Date.parse(published.json.publishedAt) > Date.now() - 60_000);
    const service = await h.get('/odata/mdsp_turbines/');
    assert.equal(service.status, 200);
    const names = service.json.value.map((e: { name: string }) => e.name);
    assert.ok(names.includes('TS_Flow_GasSupply_LPGTurbine') && names.includes('AGGR_PowerConsumption_PrimaryMotor_CNGTurbine'));
    assert.ok(!names.some((n: string) => n.endsWith('_Pump')));
    // Adding a type the tenant lacks would break the served contract: refused, and the contract stays as it was.
    const broken = await h.call('PUT', `${C}/${created.id}`, { body: { name: 'Turbines', applicationName: 'mdsp_turbines', assetTypes: ['makers01.Nope'] },
      headers: { 'If-Match': String(published.json.etag) } });
    assert.equal(broken.status, 400);
    assert.deepEqual((await h.get(`${C}/${created.id}`)).json.assetTypes, ['makers01.CNGTurbine', 'makers01.LPGTurbine']);
    // Deleting it takes the service down.
    assert.equal((await h.call('DELETE', `${C}/${created.id}`, { headers: { 'If-Match': String(published.json.etag) } })).status, 204);
    assert.equal((await h.get('/odata/mdsp_turbines/Assets')).status, 404);
  });

  test('seed 9.2: publishing fails with HTTP 500 when AGGR_{AspectType}_{AspectName}_{AssetType} is over 200 characters', async () => {
    // AGGR_ (5) + aspect type (100) + _ + aspect "Drv" (3) + _ + asset type (90 or 91) = 200 or 201 characters.
    const aspectType = `makers01.${'A'.repeat(100)}`;
    const put = (path: string, body: unknown) => h.call('PUT', `${AM}/${path}`, { body });
    assert.equal((await put(`aspecttypes/${aspectType}`, { name: 'Long', category: 'dynamic', variables: [{ name: 'Power', dataType: 'DOUBLE', unit: 'kW' }] })).status, 201);
    for (const length of [90, 91]) {
      const id = `makers01.${'T'.repeat(length)}`;
      const r = await put(`assettypes/${id}`, { name: `T${length}`, parentTypeId: 'core.basicasset', aspects: [{ name: 'Drv', aspectTypeId: aspectType }] });
      assert.equal(r.status, 201, r.text);
    }
    const contract = async (length: number) => (await h.call('POST', C, { body: { name: `Long${length}`, applicationName: `mdsp_long${length}`,
      assetTypes: [`makers01.${'T'.repeat(length)}`] } })).json;
    const ok = await contract(90);
    const fine = await h.call('POST', `${C}/${ok.id}/publish`);
    assert.equal(fine.status, 200, fine.text);
    assert.equal(fine.json.entitySets[2].length, 200);
    const tooLong = await contract(91);
    const r = await h.call('POST', `${C}/${tooLong.id}/publish`);
    assert.equal(r.status, 500);
    assert.equal(r.json.errors[0].code, 'mdsp.core.generic.internalServerError');
    assert.match(errorMessage(r), new RegExp(`the entity name AGGR_A{100}_Drv_T{91} is 201 characters long, and Data Hub allows at most 200`));
    assert.equal((await h.get(`${C}/${tooLong.id}`)).json.status, 'Not published');
    assert.equal((await h.get('/odata/mdsp_long91/')).status, 404);
    // The client keeps the status: a MindSphereError with 500, the message and the code.
    await assert.rejects(client().contracts.publish(tooLong.id), (e: unknown) =>
      e instanceof MindSphereError && e.status === 500 && e.code === 'mdsp.core.generic.internalServerError' && /201 characters/.test(e.message));
    // Re-publishing the published Long90 with the too long type is a PUT that fails the same lasting way: sent once.
    const replaces = () => h.events.filter((e) => e.route === `PUT ${C}/{id}`).length;
    const before = replaces();
    await assert.rejects(client().contracts.publishInput({ name: 'Long90', applicationName: 'mdsp_long90', assetTypes: [`makers01.${'T'.repeat(91)}`] }),
      (e: unknown) => e instanceof MindSphereError && e.status === 500 && /201 characters/.test(e.message));
    assert.equal(replaces() - before, 1, 'the 500 of a replace is not retried');
    assert.deepEqual((await h.get(`${C}/${ok.id}`)).json.assetTypes, [`makers01.${'T'.repeat(90)}`]);
  });

  test('a contract downloads as OData CSDL XML, published or not', async () => {
    const created = (await h.call('POST', C, { body: { name: 'Draft', description: 'pumps & motors', assetTypes: ['makers01.Pump'] } })).json;
    const r = await h.get(`${C}/${created.id}/metadata`);
    assert.equal(r.status, 200);
    assert.match(r.headers.get('content-type') ?? '', /^application\/xml/);
    assert.equal(r.headers.get('content-disposition'), 'attachment; filename="Draft-1.0.0.xml"');
    assert.match(r.text, /^<\?xml version="1\.0" encoding="utf-8"\?>\n<edmx:Edmx Version="4\.0"/);
    assert.match(r.text, /<EntityType Name="TS_Flow_Flow_Pump">\n\s*<Key><PropertyRef Name="assetId"\/><PropertyRef Name="timestamp"\/><\/Key>/);
    assert.match(r.text, /<Annotation Term="Core\.Description" String="Draft 1\.0\.0: pumps &amp; motors"\/>/);
    assert.equal(await client().contracts.metadata(created.id), r.text);
  });
});

describe('contracts through the client and the CLI', () => {
  let dir: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'mdsp-contracts-'));
  });
  after(() => rm(dir, { recursive: true, force: true }));

  async function run(argv: string[]) {
    let stdout = '';
    let stderr = '';
    const io: CliIO = { stdout: (s) => void (stdout += s), stderr: (s) => void (stderr += s), cwd: dir, signal: new AbortController().signal,
      env: { MDSP_TOKEN_URL: h.sb.tokenUrl, MDSP_CLIENT_ID: h.sb.clientId, MDSP_CLIENT_SECRET: h.sb.clientSecret } };
    const code = await main(argv, io);
    assert.ok(!`${stdout}${stderr}`.includes(h.sb.clientSecret), 'the secret leaked');
    return { code, stdout, stderr };
  }

  test('the client creates, finds, publishes, replaces and deletes contracts', async () => {
    const c = client();
    const input = { name: 'ClientMade', assetTypes: ['makers01.Motor'] };
    const published = await c.contracts.publishInput(input);
    assert.equal(published.status, 'Published');
    const again = await c.contracts.publishInput({ ...input, description: 'second' });
    assert.equal(again.id, published.id, 'the same name and version update the contract');
    assert.equal(again.description, 'second');
    assert.equal((await c.contracts.find('ClientMade'))?.id, published.id);
    assert.equal((await c.contracts.find(published.id))?.name, 'ClientMade');
    await assert.rejects(c.contracts.delete(published.id, 0), (e: unknown) => e instanceof MindSphereError && e.status === 412);
    await c.contracts.delete(published.id, again.etag);
    assert.equal(await c.contracts.find('ClientMade'), undefined);
  });

  test('contracts list, get, publish (from a *.contract.json file) and metadata on the command line', async () => {
    const file = {
      name: 'FromFile', version: '2.0.0', tenant: 'makers01', applicationName: 'mdsp_fromfile', environmentType: 'production',
      assetTypes: [{ id: 'makers01.Pump', name: 'Pump', aspects: [] }],
    };
    await writeFile(join(dir, 'pumps.contract.json'), JSON.stringify(file));
    const published = await run(['contracts', 'publish', 'pumps.contract.json']);
    assert.equal(published.code, 0, published.stderr);
    assert.match(published.stdout, /^Published FromFile 2\.0\.0 to Data Hub: http:\/\/127\.0\.0\.1:\d+\/odata\/mdsp_fromfile\/ \(7 entity sets: Assets, TS_Flow_Flow_Pump,/);
    const list = await run(['contracts']);
    assert.match(list.stdout, /^name\s+version\s+applicationName\s+environmentType\s+status/);
    assert.match(list.stdout, /\nFromFile\s+2\.0\.0\s+mdsp_fromfile\s+production\s+Published\s+1\s+[0-9a-f]{32}\n/);
    const get = await run(['contracts', 'get', 'FromFile']);
    assert.equal(JSON.parse(get.stdout).applicationName, 'mdsp_fromfile');
    const metadata = await run(['contracts', 'metadata', 'FromFile', '--out', 'fromfile.xml']);
    assert.equal(metadata.code, 0, metadata.stderr);
    assert.match(await readFile(join(dir, 'fromfile.xml'), 'utf8'), /<EntityContainer Name="mdsp_fromfile">/);
    const missing = await run(['contracts', 'get', 'Nothing']);
    assert.equal(missing.code, 1);
    assert.match(missing.stderr, /No contract 'Nothing' on this tenant; its contracts: .*FromFile/);
    await writeFile(join(dir, 'bad.contract.json'), JSON.stringify({ ...file, environmentType: 'prod' }));
    const bad = await run(['contracts', 'publish', 'bad.contract.json']);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /bad\.contract\.json is not a valid contract .*\n\s+"environmentType" must be one of "Sandbox", "production", "non-production", not "prod"/);
    assert.equal((await run(['contracts', 'unpublish', 'FromFile'])).code, 2);
  });
});
