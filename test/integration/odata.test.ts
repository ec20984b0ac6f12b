// Data Hub OData in the sandbox tenant over real HTTP: a contract created and published, its $metadata, each kind of
// entity set queried (and checked against the IoT Time Series and Aggregates v4 APIs, which read the same data), and
// every seed §8 limitation answered as documented in docs/sandbox.md ("Data Hub OData").
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createClient } from '../../src/client';
import { parseIsoTime } from '../../src/core/time';
import { type Harness, harness, type Reply } from './sandbox/helpers';

const C = '/api/datacontracts/v1/contracts';
const ROOT = '/odata/mdsp_pumps';
const HOUR = "timestamp gt '2024-01-01T00:00:00' and timestamp le '2024-01-01T01:00:00'";

let h: Harness;
let pumps: { assetId: string; name: string }[];
let pump: string;

/** GET with the query values percent-encoded as a client sends them. */
function odata(path: string, query: Record<string, string | number> = {}, headers?: Record<string, string>): Promise<Reply> {
  const qs = new URLSearchParams(Object.entries(query).map(([k, v]): [string, string] => [k, String(v)])).toString().replace(/\+/g, '%20');
  return h.get(`${path}${qs ? `?${qs}` : ''}`, headers);
}

/** Follows @odata.nextLink from `first` to the end; every response is checked to hold at most 2000 objects. */
async function readAll(first: Reply): Promise<{ rows: Record<string, unknown>[]; pages: Reply[] }> {
  const pages = [first];
  for (let r = first; r.json['@odata.nextLink']; ) {
    const link = new URL(r.json['@odata.nextLink'] as string);
    assert.equal(link.origin, h.sb.url, 'next links point back to the host the client called');
    r = await h.get(`${link.pathname}${link.search}`);
    assert.equal(r.status, 200, r.text);
    pages.push(r);
  }
  for (const p of pages) assert.ok(p.json.value.length <= 2000, `a response holds ${p.json.value.length} objects`);
  return { rows: pages.flatMap((p) => p.json.value), pages };
}

const message = (r: Reply) => (r.json?.errors?.[0]?.message ?? '') as string;

/** A 400 that names the seed §8 section and the part of the query MindSphere does not support. */
function refused(r: Reply, section: string, part: RegExp): void {
  assert.equal(r.status, 400, r.text);
  assert.equal(r.json.errors[0].code, 'mdsp.core.generic.invalidParameter');
  assert.match(message(r), part);
  assert.match(message(r), new RegExp(`\\(Data Hub limitation ${section.replace('.', '\\.')}\\)$`));
}

before(async () => {
  h = await harness();
  const created = await h.call('POST', C, { body: { name: 'Pumps', applicationName: 'mdsp_pumps', assetTypes: ['makers01.Pump'] } });
  assert.equal((await h.call('POST', `${C}/${created.json.id}/publish`)).status, 200);
  pumps = (await odata(`${ROOT}/Assets`, { $orderby: 'name' })).json.value;
  pump = pumps[0]!.assetId;
});
after(() => h.close());

describe('create → publish → $metadata → query', () => {
  test('the service document lists Assets and a TS_ and an AGGR_ entity set per dynamic aspect', async () => {
    const r = await h.get(`${ROOT}/`);
    assert.equal(r.status, 200);
    assert.equal(r.headers.get('odata-version'), '4.0');
    assert.equal(r.json['@odata.context'], `${h.sb.url}${ROOT}/$metadata`);
    assert.deepEqual(r.json.value.map((e: { name: string }) => e.name), ['Assets', 'TS_Flow_Flow_Pump', 'AGGR_Flow_Flow_Pump',
      'TS_PowerConsumption_PrimaryMotor_Pump', 'AGGR_PowerConsumption_PrimaryMotor_Pump', 'TS_Vibration_Vibration_Pump', 'AGGR_Vibration_Vibration_Pump']);
  });

  test('$metadata declares keys and the capabilities Mendix reads: Countable, Filterable, Sortable, not Insertable', async () => {
    const r = await h.get(`${ROOT}/$metadata`);
    assert.equal(r.status, 200);
    assert.match(r.headers.get('content-type') ?? '', /^application\/xml/);
    const xml = r.text;
    const entitySet = (name: string) => new RegExp(`<EntitySet Name="${name}"[^]*?</EntitySet>`).exec(xml)?.[0] ?? '';
    const type = (name: string) => new RegExp(`<EntityType Name="${name}">[^]*?</EntityType>`).exec(xml)?.[0] ?? '';
    assert.match(type('Assets'), /<Key><PropertyRef Name="assetId"\/><\/Key>\n\s*<Property Name="assetId" Type="Edm.String" Nullable="false"\/>/);
    assert.match(type('TS_Flow_Flow_Pump'), /<Property Name="FlowRate" Type="Edm.Double" Nullable="true"\/>\n\s*<Property Name="FlowRate_qc" Type="Edm.Int64"/);
    assert.match(type('TS_Flow_Flow_Pump'), /<Property Name="Running" Type="Edm.Boolean"/);
    assert.match(type('TS_Flow_Flow_Pump'), /<Property Name="timestamp" Type="Edm.String" Nullable="false"\/>/);
    assert.match(type('AGGR_Flow_Flow_Pump'), /<Key><PropertyRef Name="assetId"\/><PropertyRef Name="variableName"\/><PropertyRef Name="aggregationType"\/><PropertyRef Name="timestamp"\/><\/Key>/);
    const ts = entitySet('TS_Flow_Flow_Pump');
    assert.match(ts, /Term="Capabilities.CountRestrictions">\s*<Record>\s*<PropertyValue Property="Countable" Bool="true"\/>/);
    assert.match(ts, /<PropertyValue Property="NonFilterableProperties"><Collection><PropertyPath>FlowRate<\/PropertyPath><PropertyPath>FlowRate_qc<\/PropertyPath>/);
    assert.match(ts, /<PropertyValue Property="NonSortableProperties"><Collection><PropertyPath>assetId<\/PropertyPath><PropertyPath>FlowRate<\/PropertyPath>/);
    assert.doesNotMatch(ts, /<PropertyPath>timestamp<\/PropertyPath>/);
    for (const [term, property] of [['InsertRestrictions', 'Insertable'], ['UpdateRestrictions', 'Updatable'], ['DeleteRestrictions', 'Deletable']]) {
      assert.match(ts, new RegExp(`Term="Capabilities.${term}">\\s*<Record>\\s*<PropertyValue Property="${property}" Bool="false"/>`));
    }
    assert.match(entitySet('Assets'), /NonFilterableProperties"><Collection><PropertyPath>description<\/PropertyPath><PropertyPath>externalId<\/PropertyPath><\/Collection>/);
    assert.doesNotMatch(entitySet('Assets'), /NonSortableProperties/);
    assert.match(entitySet('AGGR_Flow_Flow_Pump'), /NonFilterableProperties"><Collection><PropertyPath>value<\/PropertyPath><\/Collection>/);
  });

  test('Assets: the contract\'s assets, with a correct count, by key, and by the filters of the table', async () => {
    const all = await odata(`${ROOT}/Assets`, { $count: 'true' });
    const rest = await h.get(`/api/assetmanagement/v3/assets?filter=${encodeURIComponent('{"typeId":"makers01.Pump"}')}&size=100`);
    assert.equal(all.json['@odata.count'], rest.json.page.totalElements);
    assert.equal(all.json.value.length, rest.json.page.totalElements);
    assert.ok(all.json.value.every((a: { typeId: string }) => a.typeId === 'makers01.Pump'));
    const one = await h.get(`${ROOT}/Assets('${pump}')`);
    assert.equal(one.status, 200);
    assert.deepEqual({ ...one.json, '@odata.context': undefined }, { ...all.json.value.find((a: { assetId: string }) => a.assetId === pump), '@odata.context': undefined });
    assert.equal((await h.get(`${ROOT}/Assets('00000000000000000000000000000000')`)).status, 404);
    const named = await odata(`${ROOT}/Assets`, { $filter: `startswith(name,'Pump P-10') and endswith(name,'1') and contains(name,'P-')`, $select: 'name' });
    assert.ok(named.json.value.length > 0 && named.json.value.every((a: { name: string }) => /^Pump P-10\d*1$/.test(a.name)));
    assert.deepEqual(Object.keys(named.json.value[0]), ['name']);
    const two = await odata(`${ROOT}/Assets`, { $filter: `assetId eq '${pumps[0]!.assetId}' or assetId eq '${pumps[1]!.assetId}'`, $orderby: 'name desc' });
    assert.deepEqual(two.json.value.map((a: { name: string }) => a.name), [pumps[1]!.name, pumps[0]!.name]);
    assert.equal((await h.get(`${ROOT}/Assets/$count`)).text, String(pumps.length));
  });

  test('TS_: the same records the IoT Time Series API returns, as objects with assetId and timestamp', async () => {
    const r = await odata(`${ROOT}/TS_Flow_Flow_Pump`, { $filter: `assetId eq '${pump}' and timestamp gt '2024-01-01T00:00:00' and timestamp le '2024-01-01T00:20:00'` });
    assert.equal(r.status, 200, r.text);
    const { rows } = await readAll(r);
    const client = createClient({ connection: { name: 's', tokenUrl: h.sb.tokenUrl, clientId: h.sb.clientId, clientSecret: h.sb.clientSecret }, fetch });
    const records = await client.readTimeSeries(pump, 'Flow', '2024-01-01T00:00:00Z', '2024-01-01T00:20:00Z');
    assert.equal(rows.length, records.length);
    assert.ok(records.length > 1000);
    // Data Hub writes times as 'YYYY-MM-DDTHH:mm:ss' in UTC without a zone (seed §8.3), fractions only where there are some.
    assert.deepEqual(rows, records.map(({ _time, ...values }) => ({ assetId: pump, timestamp: _time.replace(/(\.000)?Z$/, ''), ...values })));
  });

  test('AGGR_: one object per variable, aggregation type and interval, with the values Aggregates v4 computes', async () => {
    const r = await odata(`${ROOT}/AGGR_Flow_Flow_Pump`, { $filter: `assetId eq '${pump}' and intervalUnit eq 'minutes' and intervalValue eq 2 and ` +
      `variableName eq 'Pressure' and ${HOUR}` });
    const rows = (await readAll(r)).rows as { aggregationType: string; timestamp: string; value: number; intervalCount: number }[];
    assert.equal(rows.length, 30 * 10);
    assert.ok(rows.every((row) => row.intervalCount === 30));
    assert.ok(rows.every((row) => /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d$/.test(row.timestamp)), 'interval ends in the documented form, seed §8.3');
    const client = createClient({ connection: { name: 's', tokenUrl: h.sb.tokenUrl, clientId: h.sb.clientId, clientSecret: h.sb.clientSecret }, fetch });
    const v4 = await client.readAggregates(pump, 'Flow', '2024-01-01T00:00:00Z', '2024-01-01T01:00:00Z', { intervalUnit: 'minute', intervalValue: 2 });
    assert.equal(v4.length, 30);
    for (const interval of v4) {
      const expected = interval.Pressure as Record<string, number>;
      for (const type of ['average', 'minvalue', 'maxvalue', 'firstvalue', 'lastvalue', 'sum', 'countgood', 'countuncertain', 'countbad']) {
        const row = rows.find((x) => x.aggregationType === type && parseIsoTime(x.timestamp) === Date.parse(interval.endtime));
        assert.ok(row, `${type} at ${interval.endtime}`);
        assert.ok(Math.abs(row.value - expected[type]!) < 1e-9, `${type} at ${interval.endtime}: ${row.value} vs ${expected[type]}`);
      }
    }
  });
});

describe('seed §8 limitations, answered as MindSphere answers them', () => {
  test('seed 8.1: Data Hub is read-only: writes get 405 with Allow: GET, HEAD, also through X-HTTP-Method; HEAD reads', async () => {
    for (const method of ['POST', 'PUT', 'PATCH', 'DELETE', 'MERGE']) {
      const r = await h.call(method, `${ROOT}/TS_Flow_Flow_Pump`, { body: { assetId: pump } });
      assert.equal(r.status, 405, method);
      assert.equal(r.headers.get('allow'), 'GET, HEAD');
      assert.equal(r.json.errors[0].code, 'mdsp.core.generic.methodNotAllowed');
      assert.match(message(r), new RegExp(`^Data Hub is read-only: MindSphere refuses ${method} on TS_Flow_Flow_Pump\\..*REST APIs.*\\(Data Hub limitation 8\\.1\\)$`));
    }
    const tunnelled = await h.call('POST', `${ROOT}/Assets`, { headers: { 'X-HTTP-Method': 'DELETE' } });
    assert.equal(tunnelled.status, 405);
    assert.match(message(tunnelled), /refuses DELETE on Assets/);
    const head = await fetch(`${h.sb.url}${ROOT}/Assets`, { method: 'HEAD', headers: { Authorization: `Bearer ${await h.token()}` } });
    assert.equal(head.status, 200);
    assert.equal(await head.text(), '');
  });

  test('seed 8.2: related asset types published in one contract are one service; there are no navigation properties', async () => {
    const plant = await h.get('/odata/mdsp_makers01/');
    const names: string[] = plant.json.value.map((e: { name: string }) => e.name);
    // LPGTurbine derives from CNGTurbine: its entity sets include the inherited PrimaryMotor aspect next to its own.
    assert.ok(names.includes('TS_PowerConsumption_PrimaryMotor_LPGTurbine') && names.includes('TS_Flow_GasSupply_LPGTurbine'));
    const turbines = await odata('/odata/mdsp_makers01/Assets', { $filter: "endswith(typeId,'Turbine')", $select: 'typeId' });
    assert.deepEqual([...new Set(turbines.json.value.map((a: { typeId: string }) => a.typeId))].sort(), ['makers01.CNGTurbine', 'makers01.LPGTurbine']);
    const expand = await odata(`${ROOT}/Assets`, { $expand: 'TimeSeries' });
    assert.equal(expand.status, 400);
    assert.match(message(expand), /\$expand is not supported: the entity types of Assets have no navigation properties/);
  });

  test("seed 8.3: times are strings written 'YYYY-MM-DDTHH:mm:ss' (UTC); any other form is refused naming it", async () => {
    const ok = await odata(`${ROOT}/TS_Flow_Flow_Pump`, { $filter: `assetId eq '${pump}' and timestamp gt '2024-01-01T00:00:00' and timestamp le '2024-01-01T00:00:03'` });
    assert.deepEqual(ok.json.value.map((r: { timestamp: string }) => r.timestamp.slice(0, 19)), ['2024-01-01T00:00:00', '2024-01-01T00:00:01', '2024-01-01T00:00:02']);
    for (const literal of ["'2024-01-01T00:00:00Z'", '2024-01-01T00:00:00Z', "'2024-01-01'", "'2024-01-01 00:00:00'", "datetime'2024-01-01T00:00:00'",
      "'2024-02-30T00:00:00'", '1704067200']) {
      const r = await odata(`${ROOT}/TS_Flow_Flow_Pump`, { $filter: `timestamp gt ${literal} and timestamp le '2024-01-02T00:00:00'` });
      refused(r, '8.3', new RegExp(`timestamp as a string written YYYY-MM-DDTHH:mm:ss \\(UTC\\), and ${literal.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} is not one`));
    }
  });

  test('seed 8.4: interval units are days, minutes or seconds; anything else is refused with a did-you-mean', async () => {
    for (const [unit, value, seconds] of [['seconds', 30, 30], ['minutes', 15, 900], ['days', 1, 86_400]] as const) {
      const r = await odata(`${ROOT}/AGGR_Flow_Flow_Pump`, { $filter: `assetId eq '${pump}' and intervalUnit eq '${unit}' and intervalValue eq ${value} and ` +
        `variableName eq 'FlowRate' and aggregationType eq 'countgood' and intervalCount eq 2 and timestamp le '2024-01-02T00:00:00'` });
      assert.equal(r.status, 200, r.text);
      const times = r.json.value.map((x: { timestamp: string }) => parseIsoTime(x.timestamp));
      assert.deepEqual(times, [Date.parse('2024-01-02T00:00:00Z') - seconds * 1000, Date.parse('2024-01-02T00:00:00Z')], unit);
      assert.ok(r.json.value.every((x: { intervalUnit: string; value: number }) => x.intervalUnit === unit && x.value > 0));
    }
    refused(await odata(`${ROOT}/AGGR_Flow_Flow_Pump`, { $filter: "intervalUnit eq 'day'" }), '8.4', /intervalUnit 'day' is not valid: MindSphere accepts only 'days', 'minutes', 'seconds'\. Did you mean 'days'\?/);
    refused(await odata(`${ROOT}/AGGR_Flow_Flow_Pump`, { $filter: "intervalUnit eq 'hours'" }), '8.4', /intervalUnit 'hours' is not valid/);
  });

  test('seed 8.5: only the attributes and operators of the table filter; the rest is refused naming the part', async () => {
    const allowed: [string, string][] = [
      ['Assets', "assetId eq 'x' or name eq 'x' or parentId eq 'x' or timezone eq 'x' or typeId eq 'x'"],
      ['Assets', "contains(assetId,'a') or startswith(name,'P') or endswith(parentId,'0') or contains(timezone,'/') or startswith(typeId,'m')"],
      ['TS_Flow_Flow_Pump', `assetId eq '${pump}' and ${HOUR}`],
      ['AGGR_Flow_Flow_Pump', `assetId eq '${pump}' and aggregationType eq 'sum' and variableName eq 'FlowRate' and intervalUnit eq 'minutes' and intervalValue eq 30 and intervalCount eq 2 and ${HOUR}`],
    ];
    for (const [set, filter] of allowed) assert.equal((await odata(`${ROOT}/${set}`, { $filter: filter })).status, 200, `${set}: ${filter}`);
    const cases: [string, string, RegExp][] = [
      ['Assets', "description eq 'x'", /cannot filter Asset entities on 'description' \(description eq 'x'\): it filters them only on 'assetId', 'name', 'parentId', 'timezone', 'typeId'/],
      ['Assets', "name ne 'x'", /does not allow 'ne' on name of Asset entities \(name ne 'x'\)/],
      ['Assets', "not startswith(name,'P')", /does not support 'not' \(not startswith\(name,'P'\)\)/],
      ['TS_Flow_Flow_Pump', `contains(assetId,'${pump.slice(0, 4)}')`, /does not allow 'contains' on assetId of Time Series entities/],
      ['TS_Flow_Flow_Pump', "timestamp ge '2024-01-01T00:00:00'", /does not allow 'ge' on timestamp .* it accepts only 'gt', 'le' there \('gt' means after, 'le' means before or at\)/],
      ['TS_Flow_Flow_Pump', "timestamp lt '2024-01-01T00:00:00'", /'lt' on timestamp/],
      ['TS_Flow_Flow_Pump', 'FlowRate gt 10', /cannot filter Time Series entities on 'FlowRate'/],
      ['TS_Flow_Flow_Pump', "Flowrate gt 10", /on 'Flowrate' \(Flowrate gt 10\), which is not a property of TS_Flow_Flow_Pump/],
      ['AGGR_Flow_Flow_Pump', 'value gt 1', /cannot filter Time Series Aggregate entities on 'value'/],
      ['AGGR_Flow_Flow_Pump', 'intervalCount le 5', /does not allow 'le' on intervalCount/],
    ];
    for (const [set, filter, part] of cases) refused(await odata(`${ROOT}/${set}`, { $filter: filter }), '8.5', part);
  });

  test('seed 8.6: at most 2000 objects per response; @odata.nextLink reads every object exactly once, in order', async () => {
    const filter = `assetId eq '${pump}' and timestamp gt '2024-01-01T00:00:00' and timestamp le '2024-01-01T02:00:00'`;
    const first = await odata(`${ROOT}/TS_Flow_Flow_Pump`, { $filter: filter, $select: 'timestamp,Pressure' });
    assert.equal(first.json.value.length, 2000);
    const link = decodeURIComponent(first.json['@odata.nextLink']);
    assert.match(link, /\$skiptoken=\d+\.\d+/);
    assert.match(link, /\$select=timestamp,Pressure/);
    const { rows, pages } = await readAll(first);
    const times = rows.map((r) => Date.parse(r.timestamp as string));
    assert.equal(pages.length, 4);
    assert.equal(times.length, new Set(times).size, 'no object twice');
    assert.ok(times.every((t, i) => i === 0 || t > times[i - 1]!), 'in time order');
    const rest = await h.get(`/api/iottimeseries/v3/timeseries/${pump}/Flow?from=2024-01-01T00:00:00Z&to=2024-01-01T00:00:10Z`);
    assert.equal(Date.parse(rows[0]!.timestamp as string), Date.parse(rest.json[0]._time));
    assert.equal(rows.length, 7200 - (await gapSeconds(filter)));
    // Aggregates page the same way: an hour of 1-minute intervals of every pump is far more than 2000 objects.
    const aggregates = await readAll(await odata(`${ROOT}/AGGR_Flow_Flow_Pump`, { $filter: `intervalUnit eq 'minutes' and ${HOUR}` }));
    const keys = aggregates.rows.map((r) => `${r.timestamp}|${r.assetId}|${r.variableName}|${r.aggregationType}`);
    assert.ok(aggregates.pages.length > 2);
    assert.equal(keys.length, new Set(keys).size);
    assert.equal(keys.length, 60 * pumps.length * 2 * 10);
  });

  test('seed 8.6: $top above 2000 is cut at 2000 with a next link for the rest', async () => {
    const filter = `assetId eq '${pump}' and ${HOUR}`;
    const first = await odata(`${ROOT}/TS_Flow_Flow_Pump`, { $filter: filter, $top: 2500 });
    assert.equal(first.json.value.length, 2000);
    assert.match(decodeURIComponent(first.json['@odata.nextLink']), /\$top=500/);
    const { rows } = await readAll(first);
    assert.equal(rows.length, 2500);
    const skipped = await odata(`${ROOT}/TS_Flow_Flow_Pump`, { $filter: filter, $skip: 10, $top: 5 });
    assert.deepEqual(skipped.json.value, rows.slice(10, 15));
    assert.equal(skipped.json['@odata.nextLink'], undefined);
  });

  test('seed 8.6: the count of Time Series and Aggregates is wrong: it counts one response (at most 2000), not the total', async () => {
    const filter = `assetId eq '${pump}' and ${HOUR}`;
    const counted = await odata(`${ROOT}/TS_Flow_Flow_Pump`, { $filter: filter, $count: 'true', $top: 3 });
    assert.equal(counted.json['@odata.count'], 3);
    const whole = await readAll(await odata(`${ROOT}/TS_Flow_Flow_Pump`, { $filter: filter }));
    assert.ok(whole.rows.length > 3000);
    assert.equal((await odata(`${ROOT}/TS_Flow_Flow_Pump`, { $filter: filter, $count: 'true' })).json['@odata.count'], 2000);
    assert.equal((await odata(`${ROOT}/TS_Flow_Flow_Pump/$count`, { $filter: filter })).text, '2000');
    assert.equal((await odata(`${ROOT}/TS_Flow_Flow_Pump`, { $filter: filter, $inlinecount: 'allpages', $top: 1 })).json['@odata.count'], 1);
  });

  test('seed 8.7: time series and aggregates sort only by timestamp', async () => {
    const desc = await odata(`${ROOT}/TS_Flow_Flow_Pump`, { $filter: `assetId eq '${pump}' and ${HOUR}`, $orderby: 'timestamp desc', $top: 3 });
    const times = desc.json.value.map((r: { timestamp: string }) => r.timestamp);
    assert.deepEqual(times, [...times].sort().reverse());
    assert.equal(times[0].slice(0, 16), '2024-01-01T00:59');
    refused(await odata(`${ROOT}/TS_Flow_Flow_Pump`, { $orderby: 'Pressure desc' }), '8.7', /^\$orderby=Pressure desc: MindSphere sorts Time Series entities only by timestamp, not by 'Pressure'/);
    refused(await odata(`${ROOT}/AGGR_Flow_Flow_Pump`, { $orderby: 'timestamp,value' }), '8.7', /Time Series Aggregate entities only by timestamp, not by 'value'/);
    assert.equal((await odata(`${ROOT}/Assets`, { $orderby: 'timezone,name desc' })).status, 200, 'assets sort by any property');
  });
});

describe('mistakes get MindSphere errors that say what to do', () => {
  test('unknown services, entity sets and properties are named, with a did-you-mean', async () => {
    const service = await h.get('/odata/mdsp_pump/Assets');
    assert.equal(service.status, 404);
    assert.match(message(service), /No published contract has the application name 'mdsp_pump' in tenant makers01: publish one .*Did you mean 'mdsp_pumps'\?/);
    const set = await h.get(`${ROOT}/TS_Flow_Flow_Pumps`);
    assert.equal(set.status, 404);
    assert.match(message(set), /no entity set 'TS_Flow_Flow_Pumps'\. Did you mean 'TS_Flow_Flow_Pump'/);
    const select = await odata(`${ROOT}/Assets`, { $select: 'assetID' });
    assert.equal(select.status, 400);
    assert.match(message(select), /\$select: 'assetID' is not a property of Assets.*Did you mean 'assetId'\?/);
  });

  test('malformed options are 400s that point at the problem', async () => {
    const cases: [Record<string, string>, RegExp][] = [
      [{ $filter: "name eq 'x" }, /\$filter: This string is never closed/],
      [{ $filter: "name eq 'x' and" }, /\$filter: .* \(at character \d+ of/],
      [{ $top: '-1' }, /\$top=-1 is not a whole number/],
      [{ $count: 'yes' }, /\$count=yes is not valid/],
      [{ $search: 'pump' }, /The query option \$search is not supported here/],
      [{ $format: 'xml' }, /\$format=xml is not supported: Data Hub answers in JSON/],
      [{ $skiptoken: 'abc' }, /\$skiptoken=abc is not one this service issued/],
      [{ $filter: "assetId eq 5" }, /assetId is a string: write the value in single quotes, not 5/],
      [{ $filter: "typeId eq {{type}}" }, /the placeholder was not replaced/],
    ];
    for (const [query, part] of cases) {
      const r = await odata(`${ROOT}/Assets`, query);
      assert.equal(r.status, 400, JSON.stringify(query));
      assert.match(message(r), part);
      assert.doesNotMatch(message(r), /Data Hub limitation/, 'a plain mistake is not a documented limitation');
    }
    const twice = await h.get(`${ROOT}/Assets?$top=1&$top=2`);
    assert.match(message(twice), /\$top is given 2 times/);
    const variable = await odata(`${ROOT}/AGGR_Flow_Flow_Pump`, { $filter: `variableName eq 'Presure' and ${HOUR}` });
    assert.match(message(variable), /variableName 'Presure' is not a numeric variable of AGGR_Flow_Flow_Pump; its numeric variables are FlowRate, Pressure\. Did you mean 'Pressure'\?/);
    const units = await odata(`${ROOT}/AGGR_Flow_Flow_Pump`, { $filter: `(intervalUnit eq 'minutes' or intervalUnit eq 'seconds') and ${HOUR}` });
    assert.match(message(units), /intervalUnit chooses how MindSphere aggregates: give it once/);
  });

  test('the bearer token and its scopes are checked like every other API', async () => {
    const none = await fetch(`${h.sb.url}${ROOT}/Assets`);
    assert.equal(none.status, 401);
    const tsOnly = await h.token('iot.tim.r');
    const assets = await h.get(`${ROOT}/Assets`, { Authorization: `Bearer ${tsOnly}` });
    assert.equal(assets.status, 403);
    assert.match(message(assets), /Reading Assets needs one of the scopes mdsp:core:assetmanagement\.standarduser/);
    assert.equal((await h.get(`${ROOT}/TS_Flow_Flow_Pump?$top=1`, { Authorization: `Bearer ${tsOnly}` })).status, 200);
  });
});

describe('AGGR_: the range of intervals and the work of one response', () => {
  const seconds = (range: string, more = '') =>
    `assetId eq '${pump}' and variableName eq 'FlowRate' and aggregationType eq 'sum' and intervalUnit eq 'seconds' and ${range}${more}`;

  // Not a speed test: computed one by one, the 315 million intervals would take the tenant about twenty minutes (it
  // did: 3 s per 10 days), so the timeout only tells an answer from none.
  test('a range without data is answered: the intervals up to the next point are skipped, not computed one by one', { timeout: 60_000 }, async () => {
    // Two records before the history starts (2020), in a range of ten years of 1-second intervals.
    const put = await h.call('PUT', `/api/iottimeseries/v3/timeseries/${pump}/Flow`, { body: [
      { _time: '2019-06-01T12:00:00.500Z', FlowRate: 1, Pressure: 2 }, { _time: '2019-06-30T12:00:00.500Z', FlowRate: 3, Pressure: 4 }] });
    assert.equal(put.status, 204, put.text);
    const range = "timestamp gt '2010-01-01T00:00:00' and timestamp le '2019-12-31T00:00:00'";
    for (const order of ['timestamp asc', 'timestamp desc']) {
      const { rows } = await readAll(await odata(`${ROOT}/AGGR_Flow_Flow_Pump`, { $filter: seconds(range), $orderby: order }));
      const expected = [['2019-06-01T12:00:01', 1], ['2019-06-30T12:00:01', 3]];
      assert.deepEqual(rows.map((r) => [String(r.timestamp).slice(0, 19), r.value]), order === 'timestamp asc' ? expected : expected.reverse());
    }
  });

  test('intervals that hold points but no values end a response at the point budget, with a next link', async () => {
    // A variable added to the aspect type has no values: every 1-second interval of 3 days (259,200 points) is empty.
    const at = (await h.get('/api/assetmanagement/v3/aspecttypes/makers01.Vibration')).json;
    const patched = await h.call('PATCH', '/api/assetmanagement/v3/aspecttypes/makers01.Vibration', {
      body: { variables: [...at.variables, { name: 'Extra', dataType: 'DOUBLE', unit: '' }] },
      headers: { 'If-Match': String(at.etag), 'Content-Type': 'application/merge-patch+json' } });
    assert.equal(patched.status, 200, patched.text);
    const filter = `assetId eq '${pump}' and variableName eq 'Extra' and intervalUnit eq 'seconds' and ` +
      "timestamp gt '2024-01-01T00:00:00' and timestamp le '2024-01-04T00:00:00'";
    const first = await odata(`${ROOT}/AGGR_Vibration_Vibration_Pump`, { $filter: filter });
    assert.equal(first.status, 200, first.text);
    assert.deepEqual(first.json.value, []);
    assert.ok(first.json['@odata.nextLink'], 'the budget ended the response before the range did');
    const { rows, pages } = await readAll(first);
    assert.deepEqual(rows, []);
    assert.ok(pages.length >= 2);
  });

  test('intervalValue and intervalCount are Edm.Int32, and the intervals must end within the years 0001 to 9999', async () => {
    for (const [more, pattern] of [
      [" and intervalCount eq 2147483648", /intervalCount is an Edm\.Int32, a whole number from 1 to 2147483647, not 2147483648/],
      [" and intervalCount eq 999999999999", /intervalCount is an Edm\.Int32/],
      [" and intervalValue eq 60 and intervalCount eq 2147483647", /beyond the years 0001 to 9999 .*make intervalValue or intervalCount smaller/],
    ] as const) {
      const r = await odata(`${ROOT}/AGGR_Flow_Flow_Pump`, { $filter: seconds("timestamp le '2024-01-01T00:00:00'", more) });
      assert.equal(r.status, 400, r.text);
      assert.equal(r.json.errors[0].code, 'mdsp.core.generic.invalidParameter');
      assert.match(message(r), pattern);
    }
    const days = await odata(`${ROOT}/AGGR_Flow_Flow_Pump`, { $filter: `assetId eq '${pump}' and intervalUnit eq 'days' and ` +
      "intervalValue eq 200000000 and intervalCount eq 3 and timestamp gt '2024-01-01T00:00:00'" });
    assert.equal(days.status, 400, days.text);
    assert.match(message(days), /beyond the years 0001 to 9999/);
    const ok = await odata(`${ROOT}/AGGR_Flow_Flow_Pump`, { $filter: seconds("timestamp le '2024-01-01T00:00:00'", ' and intervalCount eq 2') });
    assert.equal(ok.json.value.length, 2);
  });

  test("timestamp ranges in the branches of an 'or' plan the intervals of every branch; an open branch is a 400", async () => {
    const A = "(timestamp gt '2024-01-01T00:00:00' and timestamp le '2024-01-01T00:00:03')";
    const B = "(timestamp gt '2024-01-02T00:00:00' and timestamp le '2024-01-02T00:00:02')";
    const times = async (range: string) =>
      (await readAll(await odata(`${ROOT}/AGGR_Flow_Flow_Pump`, { $filter: seconds(range) }))).rows.map((r) => r.timestamp);
    const both = await times(`(${A} or ${B})`);
    assert.equal(both.length, 5);
    assert.deepEqual(both, [...(await times(A)), ...(await times(B))]);
    for (const open of [`(${A} or assetId eq 'x')`, "(timestamp gt '2024-01-01T00:00:00' or timestamp le '2024-01-02T00:00:00')"]) {
      const r = await odata(`${ROOT}/AGGR_Flow_Flow_Pump`, { $filter: seconds(open) });
      assert.equal(r.status, 400, r.text);
      assert.match(message(r), /timestamp is not bounded.*give every branch of the 'or' its own 'timestamp gt … and timestamp le …'/);
    }
  });
});

/** Seconds of the range without data for the pump (the generator's connectivity gaps), read through the REST API. */
async function gapSeconds(filter: string): Promise<number> {
  assert.match(filter, /2024-01-01T00:00:00.*2024-01-01T02:00:00/);
  const client = createClient({ connection: { name: 's', tokenUrl: h.sb.tokenUrl, clientId: h.sb.clientId, clientSecret: h.sb.clientSecret }, fetch });
  return 7200 - (await client.readTimeSeries(pump, 'Flow', '2024-01-01T00:00:00Z', '2024-01-01T02:00:00Z')).length;
}
