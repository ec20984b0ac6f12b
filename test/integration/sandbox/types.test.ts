// Asset Management v3 asset types and aspect types over real HTTP: derivation and `exploded`, create-or-update with PUT,
// merge-patch, delete, the rules on ids, variables and types in use.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { AM, type Harness, harness, qs } from './helpers';

let h: Harness;
before(async () => {
  h = await harness();
});
after(() => h.close());

test('asset types: LPGTurbine derives from CNGTurbine; exploded adds what it inherits', async () => {
  const lpg = await h.get(`${AM}/assettypes/makers01.LPGTurbine`);
  assert.equal(lpg.status, 200);
  assert.equal(lpg.json.parentTypeId, 'makers01.CNGTurbine');
  assert.deepEqual(lpg.json.aspects.map((a: { name: string }) => a.name), ['GasSupply']);
  assert.equal(lpg.json.aspects[0].aspectType.id, 'makers01.Flow');
  const exploded = await h.get(`${AM}/assettypes/makers01.LPGTurbine?exploded=true`);
  assert.deepEqual(exploded.json.aspects.map((a: { name: string }) => a.name).sort(), ['GasSupply', 'Nameplate', 'PrimaryMotor', 'Vibration']);
  const inherited = exploded.json.aspects.find((a: { name: string }) => a.name === 'PrimaryMotor');
  assert.match(inherited._links.origin.href, /assettypes\/makers01\.CNGTurbine$/);
  assert.ok(exploded.json.variables.some((v: { name: string }) => v.name === 'CommissioningYear'));

  const cng = await h.get(`${AM}/assettypes/makers01.CNGTurbine`);
  assert.deepEqual(cng.json.aspects.find((a: { name: string }) => a.name === 'PrimaryMotor').aspectType.name, 'PowerConsumption',
    'seed §8.2: CNGTurbine has aspect PrimaryMotor of type PowerConsumption');

  const listed = await h.get(`${AM}/assettypes?${qs({ size: 50, filter: JSON.stringify({ id: { startsWith: 'makers01.' } }) })}`);
  assert.deepEqual(listed.json._embedded.assetTypes.map((t: { id: string }) => t.id).sort(),
    ['makers01.CNGTurbine', 'makers01.LPGTurbine', 'makers01.Motor', 'makers01.Pump']);
  assert.equal((await h.get(`${AM}/assettypes/makers01.Nope`)).status, 404);
});

test('aspect types: the plant\'s dynamic aspects with quality codes, and the static nameplate', async () => {
  const list = await h.get(`${AM}/aspecttypes?size=20`);
  assert.equal(list.status, 200);
  const byName = new Map(list.json._embedded.aspectTypes.map((t: { name: string }) => [t.name, t]));
  for (const name of ['PowerConsumption', 'Vibration', 'Flow', 'Nameplate']) assert.ok(byName.has(name), name);
  const vibration = byName.get('Vibration') as { category: string; variables: { name: string; qualityCode: boolean; dataType: string }[] };
  assert.equal(vibration.category, 'dynamic');
  assert.ok(vibration.variables.every((v) => /^[A-Za-z0-9_]+$/.test(v.name) && v.qualityCode));
  const dynamic = await h.get(`${AM}/aspecttypes?${qs({ filter: JSON.stringify({ category: 'static' }) })}`);
  assert.deepEqual(dynamic.json._embedded.aspectTypes.map((t: { name: string }) => t.name), ['Nameplate']);
});

test('aspect type lifecycle: create with PUT, If-None-Match *, update with If-Match, patch, in-use rules, delete', async () => {
  const id = 'makers01.Environment';
  const body = { name: 'Environment', category: 'dynamic', scope: 'private',
    variables: [{ name: 'Humidity', dataType: 'DOUBLE', unit: '%', qualityCode: true }, { name: 'Note', dataType: 'BIG_STRING' }] };
  const created = await h.call('PUT', `${AM}/aspecttypes/${id}`, { body });
  assert.equal(created.status, 201, created.text);
  assert.equal(created.json.etag, 0);
  assert.equal(created.json.variables[1].length, 100000);

  assert.equal((await h.call('PUT', `${AM}/aspecttypes/${id}`, { body, headers: { 'If-None-Match': '*' } })).status, 412);
  assert.equal((await h.call('PUT', `${AM}/aspecttypes/${id}`, { body })).status, 428);
  const updated = await h.call('PUT', `${AM}/aspecttypes/${id}`, { body: { ...body, description: 'air' }, headers: { 'If-Match': '0' } });
  assert.equal(updated.status, 200);
  assert.equal(updated.json.etag, 1);
  const patched = await h.call('PATCH', `${AM}/aspecttypes/${id}`, { body: { description: 'room air' }, headers: { 'If-Match': '1', 'Content-Type': 'application/merge-patch+json' } });
  assert.equal(patched.status, 200, patched.text);
  assert.equal(patched.json.description, 'room air');
  assert.equal(patched.json.variables.length, 2);

  // Used by an asset type, existing variables stay; adding works.
  const type = await h.call('PUT', `${AM}/assettypes/makers01.Room`, { body: { name: 'Room', parentTypeId: 'core.basicasset', aspects: [{ name: 'Air', aspectTypeId: id }] } });
  assert.equal(type.status, 201, type.text);
  const shrink = await h.call('PUT', `${AM}/aspecttypes/${id}`, { body: { ...body, variables: [body.variables[0]] }, headers: { 'If-Match': '2' } });
  assert.equal(shrink.status, 409);
  const grow = await h.call('PUT', `${AM}/aspecttypes/${id}`, { body: { ...body, variables: [...body.variables, { name: 'CO2', dataType: 'INT', unit: 'ppm' }] }, headers: { 'If-Match': '2' } });
  assert.equal(grow.status, 200, grow.text);
  const resize = await h.call('PUT', `${AM}/aspecttypes/${id}`, { body: { ...body, variables: [body.variables[0], { ...body.variables[1], length: 10 },
    { name: 'CO2', dataType: 'INT', unit: 'ppm' }] },
    headers: { 'If-Match': '3' } });
  assert.equal(resize.status, 409, 'a variable\'s length stays while the type is in use');
  assert.equal((await h.call('DELETE', `${AM}/aspecttypes/${id}`, { headers: { 'If-Match': '3' } })).status, 409);
  assert.equal((await h.call('DELETE', `${AM}/assettypes/makers01.Room`, { headers: { 'If-Match': '0' } })).status, 204);
  assert.equal((await h.call('DELETE', `${AM}/aspecttypes/${id}`, { headers: { 'If-Match': '3' } })).status, 204);
  assert.equal((await h.get(`${AM}/aspecttypes/${id}`)).status, 404);
});

test('aspect type validation: ids, reserved words, data types, BIG_STRING and quality codes only in dynamic aspects', async () => {
  const put = (id: string, body: unknown) => h.call('PUT', `${AM}/aspecttypes/${id}`, { body });
  const ok = { name: 'X', category: 'dynamic', variables: [{ name: 'a', dataType: 'INT' }] };
  const cases: [string, unknown, number, RegExp][] = [
    ['other.X', ok, 400, /tenant prefix/],
    ['makers01.bad-id', ok, 400, /not valid/],
    ['core.basicasset', ok, 403, /core type/],
    ['makers01.X', { ...ok, category: 'sometimes' }, 400, /category/],
    ['makers01.X', { ...ok, variables: [] }, 400, /at least one variable/],
    ['makers01.X', { ...ok, variables: [{ name: 'etag', dataType: 'INT' }] }, 400, /reserved/],
    ['makers01.X', { ...ok, variables: [{ name: 'a b', dataType: 'INT' }] }, 400, /not valid/],
    ['makers01.X', { ...ok, variables: [{ name: 'a', dataType: 'FLOAT' }] }, 400, /dataType/],
    ['makers01.X', { ...ok, variables: [{ name: 'a', dataType: 'INT' }, { name: 'a', dataType: 'INT' }] }, 400, /twice/],
    ['makers01.X', { ...ok, category: 'static', variables: [{ name: 'a', dataType: 'BIG_STRING' }] }, 400, /BIG_STRING/],
    ['makers01.X', { ...ok, category: 'static', variables: [{ name: 'a', dataType: 'INT', qualityCode: true }] }, 400, /qualityCode/],
    ['makers01.X', { ...ok, variables: [{ name: 'a', dataType: 'STRING', length: 256 }] }, 400, /length/],
    ['makers01.X', { ...ok, variables: [{ name: 'a', dataType: 'DOUBLE', defaultValue: { a: 1 } }] }, 400, /defaultValue of 'a' must be a string, not \{"a":1\}/],
  ];
  for (const [id, body, status, message] of cases) {
    const r = await put(id, body);
    assert.equal(r.status, status, `${id} ${JSON.stringify(body)} → ${r.text}`);
    assert.match(r.json.errors[0].message, message);
  }
});

test('a defaultValue must fit its variable\'s data type and length; the 400 names the variable, the type and the value', async () => {
  const put = (variable: Record<string, unknown>) =>
    h.call('PUT', `${AM}/aspecttypes/makers01.Defaults`, { body: { name: 'Defaults', category: 'dynamic', variables: [{ name: 'v', ...variable }] } });
  const refused: [Record<string, unknown>, RegExp][] = [
    [{ dataType: 'DOUBLE', defaultValue: 'abc' }, /^variables\[0\]: 'v' is DOUBLE, so its defaultValue cannot be "abc": send a finite decimal number/],
    [{ dataType: 'DOUBLE', defaultValue: '1e999' }, /'v' is DOUBLE/],
    [{ dataType: 'INT', defaultValue: 1.5 }, /'v' is INT, so its defaultValue cannot be 1\.5/],
    [{ dataType: 'LONG', defaultValue: '9223372036854775808' }, /'v' is LONG.*send a whole number from -9223372036854775808 to 9223372036854775807/],
    [{ dataType: 'BOOLEAN', defaultValue: 'yes' }, /'v' is BOOLEAN, so its defaultValue cannot be "yes": send true or false/],
    [{ dataType: 'TIMESTAMP', defaultValue: 'tomorrow' }, /'v' is TIMESTAMP.*ISO 8601/],
    [{ dataType: 'STRING', length: 5, defaultValue: 'abcdef' }, /'v' is STRING.*at most 5 characters \(this value has 6\)/],
    [{ dataType: 'BIG_STRING', length: 3, defaultValue: 'abcd' }, /'v' is BIG_STRING.*at most 3 characters/],
  ];
  for (const [variable, message] of refused) {
    const r = await put(variable);
    assert.equal(r.status, 400, `${JSON.stringify(variable)} → ${r.text}`);
    assert.match(r.json.errors[0].message, message);
  }
  const fits: Record<string, unknown>[] = [
    { dataType: 'DOUBLE', defaultValue: '-1.5e3' }, { dataType: 'DOUBLE', defaultValue: 2 }, { dataType: 'INT', defaultValue: '-2147483648' },
    { dataType: 'LONG', defaultValue: '9223372036854775807' }, { dataType: 'BOOLEAN', defaultValue: false },
    { dataType: 'TIMESTAMP', defaultValue: '2024-01-31T00:00:00.000Z' }, { dataType: 'STRING', length: 5, defaultValue: 'abcde' },
  ];
  let etag: string | undefined;
  for (const variable of fits) {
    const r = await h.call('PUT', `${AM}/aspecttypes/makers01.Defaults`, { body: { name: 'Defaults', category: 'dynamic',
      variables: [{ name: `v${variable.dataType}`, ...variable }] }, headers: etag ? { 'If-Match': etag } : {} });
    assert.ok(r.status === 200 || r.status === 201, `${JSON.stringify(variable)} → ${r.text}`);
    assert.equal(r.json.variables[0].defaultValue, String(variable.defaultValue), 'kept as a string');
    etag = String(r.json.etag);
  }
  assert.equal((await h.call('DELETE', `${AM}/aspecttypes/makers01.Defaults`, { headers: { 'If-Match': etag! } })).status, 204);
});

test('asset types in use keep their aspects; cycles, unknown parents and deleting used types are refused', async () => {
  const put = (id: string, body: unknown, headers: Record<string, string> = {}) => h.call('PUT', `${AM}/assettypes/${id}`, { body, headers });
  assert.equal((await put('makers01.Pump', { name: 'Pump', parentTypeId: 'core.basicasset', aspects: [] }, { 'If-Match': '0' })).status, 409);
  const grown = await put('makers01.Pump', { name: 'Pump', parentTypeId: 'core.basicasset',
    aspects: [{ name: 'Flow', aspectTypeId: 'makers01.Flow' }, { name: 'PrimaryMotor', aspectTypeId: 'makers01.PowerConsumption' },
      { name: 'Vibration', aspectTypeId: 'makers01.Vibration' }, { name: 'Nameplate', aspectTypeId: 'makers01.Nameplate' },
      { name: 'Seal', aspectTypeId: 'makers01.Vibration' }],
    variables: [{ name: 'CommissioningYear', dataType: 'INT' }] }, { 'If-Match': '0' });
  assert.equal(grown.status, 200, grown.text);
  assert.equal(grown.json.etag, 1);
  assert.equal((await put('makers01.CNGTurbine', { name: 'CNG', parentTypeId: 'makers01.LPGTurbine' }, { 'If-Match': '0' })).status, 400);
  assert.match((await put('makers01.New', { name: 'New', parentTypeId: 'makers01.Ghost' })).json.errors[0].message, /does not exist/);
  assert.match((await put('makers01.New', { name: 'New', parentTypeId: 'makers01.CNGTurbine', aspects: [{ name: 'Vibration', aspectTypeId: 'makers01.Vibration' }] })).json.errors[0].message,
    /already defined/);
  const del = await h.call('DELETE', `${AM}/assettypes/makers01.CNGTurbine`, { headers: { 'If-Match': '0' } });
  assert.equal(del.status, 409);
  assert.match(del.json.errors[0].message, /derived types makers01\.LPGTurbine/);
});
