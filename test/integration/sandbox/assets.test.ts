// Asset Management v3 assets over real HTTP: the seeded plant, HAL paging, sort, the filter language, hierarchy paths,
// aspects and variables, and the full write cycle with etags (create, update, merge-patch, move, location, delete).
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { AM, type Harness, firstOfType, harness, qs } from './helpers';

let h: Harness;
before(async () => {
  h = await harness();
});
after(() => h.close());

const list = (params: Record<string, string | number | boolean>) => h.get(`${AM}/assets?${qs(params)}`);
const filter = (f: unknown, extra: Record<string, string | number> = {}) => list({ filter: JSON.stringify(f), size: 200, ...extra });
const names = (r: { json: any }) => (r.json._embedded?.assets ?? []).map((a: { name: string }) => a.name); // eslint-disable-line @typescript-eslint/no-explicit-any

test('the seeded plant: root, sites, areas, pumps, turbines and motors with 32-hex ids, identical for the same seed', async () => {
  const root = await h.get(`${AM}/assets/root`);
  assert.equal(root.status, 200);
  assert.equal(root.json.name, 'makers01');
  assert.equal(root.json.typeId, 'core.basicenterprise');
  assert.deepEqual(root.json.hierarchyPath, []);
  assert.equal(root.headers.get('etag'), '"0"');

  const all = await list({ size: 2000 });
  assert.equal(all.json.page.totalElements, 40, 'default plant size');
  const assets = all.json._embedded.assets;
  for (const a of assets) assert.match(a.assetId, /^[a-f0-9]{32}$/);
  const types = new Set(assets.map((a: { typeId: string }) => a.typeId));
  for (const t of ['core.basicsite', 'core.basicarea', 'makers01.Pump', 'makers01.CNGTurbine', 'makers01.LPGTurbine', 'makers01.Motor']) {
    assert.ok(types.has(t), `the plant has a ${t}`);
  }
  const pump = assets.find((a: { typeId: string }) => a.typeId === 'makers01.Pump');
  assert.equal(pump.hierarchyPath.length, 3, 'root > site > area');
  assert.equal(pump.hierarchyPath[0].name, 'makers01');

  const again = await harness();
  try {
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- an API body
    const other: any = await (await fetch(`${again.sb.url}${AM}/assets?size=2000`, { headers: { Authorization: `Bearer ${await again.token()}` } })).json();
    assert.deepEqual(other._embedded.assets.map((a: { assetId: string; name: string }) => [a.assetId, a.name]),
      assets.map((a: { assetId: string; name: string }) => [a.assetId, a.name]));
  } finally {
    await again.close();
  }
});

test('HAL paging: page object, links, default size 10, empty pages without _embedded, size above 2000 refused', async () => {
  const first = await list({});
  assert.equal(first.headers.get('content-type'), 'application/hal+json; charset=utf-8');
  assert.deepEqual(first.json.page, { size: 10, totalElements: 40, totalPages: 4, number: 0 });
  assert.equal(first.json._embedded.assets.length, 10);
  assert.ok(first.json._links.next.href.includes('page=1'));
  assert.equal(first.json._links.prev, undefined);
  assert.ok(first.json._links.last.href.includes('page=3'));
  assert.ok(first.json._links.self.href.startsWith(h.sb.url));

  const last = await h.get(new URL(first.json._links.last.href).pathname + new URL(first.json._links.last.href).search);
  assert.equal(last.json._embedded.assets.length, 10);
  assert.equal(last.json._links.next, undefined);

  const beyond = await list({ page: 9 });
  assert.equal(beyond.status, 200);
  assert.equal(beyond.json._embedded, undefined);

  for (const bad of [{ size: 2001 }, { size: 0 }, { page: -1 }, { size: 'ten' }] as Record<string, string | number>[]) {
    const r = await list(bad);
    assert.equal(r.status, 400, JSON.stringify(bad));
    assert.equal(r.json.errors[0].code, 'mdsp.core.generic.invalidParameter');
  }
});

test('sort by name ascending by default, descending on request, unknown fields refused', async () => {
  const asc = names(await list({ size: 2000 }));
  assert.deepEqual(asc, [...asc].sort());
  const desc = names(await list({ size: 2000, sort: 'name,desc' }));
  assert.deepEqual(desc, [...asc].reverse());
  const r = await list({ sort: 'color,asc' });
  assert.equal(r.status, 400);
  assert.match(r.json.errors[0].message, /sort/);
});

test('the filter language: eq, in, startsWith, endsWith, contains, not, and, or, hasType, parentId, unknown fields', async () => {
  const root = (await h.get(`${AM}/assets/root`)).json;
  const sites = names(await filter({ parentId: root.assetId }));
  assert.equal(sites.length, 2);
  assert.ok(sites.every((n: string) => n.endsWith('Plant')));

  assert.deepEqual(names(await filter({ name: sites[0] })), [sites[0]]);
  assert.deepEqual(names(await filter({ name: { eq: sites[0] } })), [sites[0]]);
  assert.deepEqual(names(await filter({ name: { in: { value: sites } } })), sites);
  assert.ok(names(await filter({ name: { startsWith: 'Pump ' } })).every((n: string) => n.startsWith('Pump ')));
  assert.ok(names(await filter({ name: { endsWith: 'Plant' } })).length === 2);
  assert.ok(names(await filter({ name: { contains: 'Turbine' } })).every((n: string) => n.includes('Turbine')));

  const turbines = names(await filter({ hasType: 'makers01.CNGTurbine' }));
  const cng = names(await filter({ typeId: 'makers01.CNGTurbine' }));
  const lpg = names(await filter({ typeId: 'makers01.LPGTurbine' }));
  assert.ok(lpg.length > 0 && cng.length > 0);
  assert.equal(turbines.length, cng.length + lpg.length, 'hasType includes the derived LPGTurbine');

  const notTurbines = names(await filter({ not: { hasType: 'makers01.CNGTurbine' } }));
  assert.equal(notTurbines.length, 40 - turbines.length);
  const either = names(await filter({ or: { typeId: 'makers01.Pump', name: { startsWith: 'Motor' } } }));
  assert.ok(either.every((n: string) => n.startsWith('Pump') || n.startsWith('Motor')));
  assert.ok(either.some((n: string) => n.startsWith('Motor')));
  const fieldOr = names(await filter({ name: { or: [{ startsWith: 'Pump' }, { endsWith: 'Plant' }] } }));
  assert.ok(fieldOr.some((n: string) => n.endsWith('Plant')) && fieldOr.some((n: string) => n.startsWith('Pump')));
  const both = names(await filter({ and: { typeId: 'makers01.Pump', name: { contains: '-101' } } }));
  assert.ok(both.length >= 1 && both.every((n: string) => n.includes('-101')));
  assert.equal(names(await filter({ color: 'red' })).length, 40, 'unknown fields are ignored');

  for (const bad of ['name eq Pump', '{"name":{"like":"x"}}', '{"name":{"in":"x"}}', '{"deleted":{"between":"2018"}}', '[1]', '{"hasType":3}']) {
    const r = await list({ filter: bad });
    assert.equal(r.status, 400, bad);
    assert.match(r.json.errors[0].message, /Invalid filter/);
  }
  assert.match((await list({ filter: 'name eq Pump' })).json.errors[0].message, /legacy/);
  const deep = await list({ filter: '{"not":'.repeat(100) + '{}' + '}'.repeat(100) });
  assert.equal(deep.status, 400);
});

test('one asset, its aspects (inherited included) and its variables', async () => {
  const lpg = await firstOfType(h, 'LPGTurbine');
  const one = await h.get(`${AM}/assets/${lpg.assetId}`);
  assert.equal(one.status, 200);
  assert.equal(one.json.assetId, lpg.assetId);
  assert.equal(one.json._links.self.href, `${h.sb.url}${AM}/assets/${lpg.assetId}`);
  assert.ok(one.json.aspects.some((a: { name: string }) => a.name === 'Nameplate'), 'static aspect values');
  const basic = await h.get(`${AM}/assets/${lpg.assetId}?basicFieldsOnly=true`);
  assert.equal(basic.json.aspects, undefined);

  const aspects = await h.get(`${AM}/assets/${lpg.assetId}/aspects?size=50`);
  const list = aspects.json._embedded.aspects;
  assert.deepEqual(list.map((a: { name: string }) => a.name).sort(), ['GasSupply', 'Nameplate', 'PrimaryMotor', 'Vibration']);
  const vibration = list.find((a: { name: string }) => a.name === 'Vibration');
  assert.equal(vibration.aspectTypeId, 'makers01.Vibration');
  assert.equal(vibration.category, 'dynamic');
  assert.equal(vibration.holderAssetId, lpg.assetId);
  assert.ok(vibration.variables.every((v: { qualityCode: boolean }) => v.qualityCode === true));

  const variables = await h.get(`${AM}/assets/${lpg.assetId}/variables?size=100`);
  const vars = variables.json._embedded.variables.map((v: { name: string }) => v.name);
  assert.ok(vars.includes('CommissioningYear') && vars.includes('PrimaryMotor.Power') && vars.includes('GasSupply.FlowRate'));

  const missing = await h.get(`${AM}/assets/${'f'.repeat(32)}`);
  assert.equal(missing.status, 404);
  assert.equal(missing.json.errors[0].code, 'mdsp.core.generic.noMatch');
  assert.equal((await h.get(`${AM}/assets/${'f'.repeat(32)}/aspects`)).status, 404);

  const cached = await h.get(`${AM}/assets/${lpg.assetId}`, { 'If-None-Match': one.headers.get('etag')! });
  assert.equal(cached.status, 304);
});

test('create, update, merge-patch, move, location and delete with etags; 428 without If-Match, 412 when stale', async () => {
  const area = await firstOfType(h, 'Pump').then((p) => h.get(`${AM}/assets/${p.assetId}`)).then((r) => r.json.parentId as string);
  const created = await h.call('POST', `${AM}/assets`, { body: { name: 'Test Pump', typeId: 'makers01.Pump', parentId: area,
    externalId: 'T-1', variables: [{ name: 'CommissioningYear', value: '2025' }],
    aspects: [{ name: 'Nameplate', variables: [{ name: 'Manufacturer', value: 'ACME' }] }] } });
  assert.equal(created.status, 201, created.text);
  const id = created.json.assetId;
  assert.match(id, /^[a-f0-9]{32}$/);
  assert.equal(created.json.etag, 0);
  assert.equal(created.json.hierarchyPath.length, 3);
  assert.equal(created.json.timezone, 'Europe/Berlin', 'inherits the parent time zone');
  assert.equal(created.json.variables.find((v: { name: string }) => v.name === 'CommissioningYear').value, '2025');

  const noMatch = await h.call('PUT', `${AM}/assets/${id}`, { body: { name: 'Renamed' } });
  assert.equal(noMatch.status, 428);
  assert.match(noMatch.json.errors[0].message, /If-Match/);

  const put = await h.call('PUT', `${AM}/assets/${id}`, { body: { name: 'Renamed', description: 'x' }, headers: { 'If-Match': '0' } });
  assert.equal(put.status, 200, put.text);
  assert.equal(put.json.etag, 1);
  assert.equal(put.json.externalId, '', 'PUT replaces: fields left out are cleared');

  const stale = await h.call('PATCH', `${AM}/assets/${id}`, { body: { description: 'y' }, headers: { 'If-Match': '0', 'Content-Type': 'application/merge-patch+json' } });
  assert.equal(stale.status, 412);
  assert.equal(stale.json.errors[0].code, 'mdsp.core.generic.noMatch', 'the generic code documented for 412');
  assert.match(stale.json.errors[0].message, /current etag is 1/);
  const weak = await h.call('PATCH', `${AM}/assets/${id}`, { body: { description: 'y' }, headers: { 'If-Match': 'W/"1"', 'Content-Type': 'application/merge-patch+json' } });
  assert.equal(weak.status, 412, 'a weak etag never matches If-Match, not even the current one');
  assert.match(weak.json.errors[0].message, /weak etag.*send If-Match: "1"/);

  const patch = await h.call('PATCH', `${AM}/assets/${id}`, { body: { description: 'patched', location: { country: 'Germany', latitude: 49.4 } },
    headers: { 'If-Match': '"1"', 'Content-Type': 'application/merge-patch+json' } });
  assert.equal(patch.status, 200, patch.text);
  assert.equal(patch.json.name, 'Renamed', 'merge-patch keeps what it does not name');
  assert.equal(patch.json.description, 'patched');
  assert.equal(patch.json.location.country, 'Germany');
  assert.equal(patch.json.etag, 2);
  // RFC 7396: null removes a member, also inside an object; the cleared fields read as after a PUT that leaves them out.
  const nested = await h.call('PATCH', `${AM}/assets/${id}`, { body: { externalId: 'T-2', location: { latitude: null } },
    headers: { 'If-Match': '2', 'Content-Type': 'application/merge-patch+json' } });
  assert.deepEqual([nested.json.externalId, nested.json.location.country, nested.json.location.latitude], ['T-2', 'Germany', undefined]);
  const cleared = await h.call('PATCH', `${AM}/assets/${id}`, { body: { description: null, externalId: null, location: null },
    headers: { 'If-Match': '3', 'Content-Type': 'application/merge-patch+json' } });
  assert.equal(cleared.status, 200, cleared.text);
  assert.deepEqual([cleared.json.name, cleared.json.description, cleared.json.externalId, cleared.json.location], ['Renamed', '', '', undefined]);
  const unnamed = await h.call('PATCH', `${AM}/assets/${id}`, { body: { name: null }, headers: { 'If-Match': '4', 'Content-Type': 'application/merge-patch+json' } });
  assert.equal(unnamed.status, 400, 'the name cannot be removed');

  const plain = await h.call('PATCH', `${AM}/assets/${id}`, { body: 'description=x', headers: { 'If-Match': '4', 'Content-Type': 'text/plain' } });
  assert.equal(plain.status, 415);

  const root = (await h.get(`${AM}/assets/root`)).json.assetId;
  const moved = await h.call('POST', `${AM}/assets/${id}/move`, { body: { newParentId: root }, headers: { 'If-Match': '4' } });
  assert.equal(moved.status, 200, moved.text);
  assert.equal(moved.json.parentId, root);
  assert.equal(moved.json.hierarchyPath.length, 1);
  const sdkMove = await h.call('POST', `${AM}/assets/${id}`, { body: { newParentId: area }, headers: { 'If-Match': '5' } });
  assert.equal(sdkMove.status, 200, 'POST /assets/{id} with newParentId (the SDK form) moves too');
  const cycle = await h.call('POST', `${AM}/assets/${root}/move`, { body: { newParentId: id }, headers: { 'If-Match': '0' } });
  assert.equal(cycle.status, 400);

  const location = await h.call('PUT', `${AM}/assets/${id}/location`, { body: { locality: 'Erlangen', longitude: 11 }, headers: { 'If-Match': '6' } });
  assert.equal(location.status, 200, location.text);
  assert.equal(location.json.locality, 'Erlangen');
  const badLocation = await h.call('PUT', `${AM}/assets/${id}/location`, { body: { latitude: 123 }, headers: { 'If-Match': '7' } });
  assert.equal(badLocation.status, 400);
  assert.equal((await h.call('DELETE', `${AM}/assets/${id}/location`, { headers: { 'If-Match': '7' } })).status, 204);

  const parent = await h.call('DELETE', `${AM}/assets/${area}`, { headers: { 'If-Match': '0' } });
  assert.equal(parent.status, 409, 'an asset with children cannot be deleted');
  const gone = await h.call('DELETE', `${AM}/assets/${id}`, { headers: { 'If-Match': '8' } });
  assert.equal(gone.status, 204, gone.text);
  assert.equal((await h.get(`${AM}/assets/${id}`)).status, 404);
  const deleted = await filter({ deleted: { after: '2020-01-01T00:00:00Z' } });
  assert.deepEqual(names(deleted), ['Renamed'], 'deleted assets show up only when the filter asks about deleted');
});

test('bad asset bodies get 400 with the reason; unknown ids 404; wrong methods 405; huge bodies 413', async () => {
  const area = (await filter({ typeId: 'core.basicarea' })).json._embedded.assets[0].assetId;
  const cases: [unknown, RegExp][] = [
    [{ typeId: 'makers01.Pump', parentId: area }, /'name' is required/],
    [{ name: 'x', parentId: area }, /typeId/],
    [{ name: 'x', typeId: 'makers01.Nope', parentId: area }, /does not exist/],
    [{ name: 'x', typeId: 'core.basicenterprise', parentId: area }, /not instantiable/],
    [{ name: 'x', typeId: 'makers01.Pump' }, /parentId/],
    [{ name: 'x', typeId: 'makers01.Pump', parentId: 'f'.repeat(32) }, /Parent asset/],
    [{ name: 'x', typeId: 'makers01.Pump', parentId: area, timezone: 'Mars/Olympus' }, /time zone/],
    [{ name: 'x', typeId: 'makers01.Pump', parentId: area, variables: [{ name: 'Color', value: 'red' }] }, /not a variable/],
    [{ name: 'x', typeId: 'makers01.Pump', parentId: area, aspects: [{ name: 'Vibration', variables: [] }] }, /not a static aspect/],
    [{ name: 'a/b', typeId: 'makers01.Pump', parentId: area }, /not valid/],
    [[1, 2], /JSON object/],
  ];
  for (const [body, message] of cases) {
    const r = await h.call('POST', `${AM}/assets`, { body });
    assert.equal(r.status, 400, `${JSON.stringify(body)} → ${r.text}`);
    assert.match(r.json.errors[0].message, message);
  }
  const malformed = await h.call('POST', `${AM}/assets`, { body: '{"name": ' });
  assert.equal(malformed.status, 400);
  assert.match(malformed.json.errors[0].message, /not valid JSON/);
  // Nested thousands deep, a body used to overflow the stack of the merge patch: a 500 instead of a 400.
  const deep = `{"name":"x","typeId":"makers01.Pump","parentId":"${area}","location":${'{"a":'.repeat(5000)}1${'}'.repeat(5000)}}`;
  for (const [method, path] of [['POST', `${AM}/assets`], ['PATCH', `${AM}/assets/${area}`]] as const) {
    const r = await h.call(method, path, { body: deep, headers: { 'If-Match': '*' } });
    assert.equal(r.status, 400, `${method} → ${r.text.slice(0, 200)}`);
    assert.match(r.json.errors[0].message, /nests arrays and objects more than 64 levels deep/);
  }

  const huge = await h.call('POST', `${AM}/assets`, { body: JSON.stringify({ name: 'x', description: 'y'.repeat(1_100_000) }) });
  assert.equal(huge.status, 413);
  assert.equal(huge.json.errors[0].code, 'mdsp.core.generic.payloadTooLarge');

  const wrong = await h.call('DELETE', `${AM}/assets`);
  assert.equal(wrong.status, 405);
  assert.equal(wrong.headers.get('allow'), 'GET, HEAD, POST');
  const head = await h.call('HEAD', `${AM}/assets?size=1`);
  assert.equal(head.status, 200, 'HEAD answers as GET does, without the body');
  assert.equal(head.text, '');
  assert.match(head.headers.get('content-type') ?? '', /json/);
  const unknown = await h.get(`${AM}/nothing-here`);
  assert.equal(unknown.status, 404);
  assert.ok(unknown.json.errors);
});

test('asset variable values are strings whose content must fit the variable\'s data type, named in the 400', async () => {
  const pump = await firstOfType(h, 'Pump').then((p) => h.get(`${AM}/assets/${p.assetId}`)).then((r) => r.json);
  const create = (extra: Record<string, unknown>) =>
    h.call('POST', `${AM}/assets`, { body: { name: 'Typed Pump', typeId: 'makers01.Pump', parentId: pump.parentId, ...extra } });
  const nameplate = (variables: unknown[]) => ({ aspects: [{ name: 'Nameplate', variables }] });
  const cases: [Record<string, unknown>, RegExp][] = [
    [{ variables: [{ name: 'CommissioningYear', value: 'abc' }] },
      /^variables\[0\]: 'CommissioningYear' is INT, so its value cannot be "abc": send a whole number from -2147483648 to 2147483647\.$/],
    [{ variables: [{ name: 'CommissioningYear', value: 1.5 }] }, /'CommissioningYear' is INT, so its value cannot be 1\.5/],
    [{ variables: [{ name: 'CommissioningYear', value: '2147483648' }] }, /'CommissioningYear' is INT/],
    [nameplate([{ name: 'RatedPower', value: 'abc' }]), /^aspects\[0\]\.variables\[0\]: 'RatedPower' is DOUBLE, so its value cannot be "abc"/],
    [nameplate([{ name: 'RatedPower', value: true }]), /'RatedPower' is DOUBLE, so its value cannot be true/],
    [nameplate([{ name: 'Manufacturer', value: 'x'.repeat(256) }]), /'Manufacturer' is STRING, .*: send at most 255 characters \(this value has 256\)/],
  ];
  for (const [body, message] of cases) {
    const r = await create(body);
    assert.equal(r.status, 400, `${JSON.stringify(body).slice(0, 120)} → ${r.text}`);
    assert.match(r.json.errors[0].message, message);
  }
  // Numbers and booleans may come as JSON values; they are kept as the strings MindSphere returns.
  const ok = await create({ variables: [{ name: 'CommissioningYear', value: 2024 }],
    ...nameplate([{ name: 'RatedPower', value: '7.5e1' }, { name: 'Manufacturer', value: null }]) });
  assert.equal(ok.status, 201, ok.text);
  assert.equal(ok.json.variables.find((v: { name: string }) => v.name === 'CommissioningYear').value, '2024');
  // What a seeded asset reads back can be written again: the seed's values fit their types.
  const copy = await create({ variables: pump.variables, aspects: pump.aspects });
  assert.equal(copy.status, 201, copy.text);
});

test('every link of the billboard leads to a resource the sandbox serves', async () => {
  const billboard = await h.get(AM);
  assert.equal(billboard.status, 200, billboard.text);
  assert.deepEqual(Object.keys(billboard.json).sort(), ['aspectTypes', 'assetTypes', 'assets', 'self']);
  for (const [name, link] of Object.entries(billboard.json as Record<string, { href: string }>)) {
    const r = await h.get(new URL(link.href).pathname);
    assert.equal(r.status, 200, `${name} → ${link.href}: ${r.text.slice(0, 200)}`);
  }
});
