// The editor help inside MindSphere queries (hover and completion), without an editor: what a user sees when they point
// at or type into a query in an .http file or a string literal.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { readTenantSchema } from '../../../src/core/lint/tenant-schema';
import { completionsAt, schemaEntitySets } from '../../../src/host/lint/completion-items';
import { hoverInfo } from '../../../src/host/lint/hover-info';
import { findRequests, requestAt } from '../../../src/host/lint/locate';

const HTTP = [
  '@dh = https://gateway.eu1.mindsphere.io/api/datahub/odata',
  '',
  '### pump currents',
  "GET {{dh}}/TS_Electrical_Motor_Pump?$filter=timestamp gt '2024-01-01T00:00:00' and assetId eq 'a1'&$top=100",
  '',
  '### aggregates',
  'GET /api/iottsaggregates/v4/aggregates?assetId=a1&aspectName=Motor&intervalUnit=minute&intervalValue=',
  '',
].join('\n');

/** The document offset of the n-th occurrence of `needle` (plus `delta`). */
const at = (text: string, needle: string, delta = 0): number => {
  const i = text.indexOf(needle);
  assert.ok(i >= 0, `'${needle}' is in the text`);
  return i + delta;
};

const schema = readTenantSchema({
  assetTypes: [{ id: 'makers01.Pump', name: 'Pump', aspects: [{ name: 'Motor', aspectType: { id: 'makers01.Electrical', name: 'Electrical',
    variables: [{ name: 'current' }, { name: 'voltage' }] } }] }],
}).schema;

test('finds each request of an .http file with document offsets', () => {
  const found = findRequests(HTTP, 'queries.http');
  assert.deepEqual(found.map((f) => f.request.kind), ['odata', 'aggregates']);
  const first = found[0];
  assert.ok(first);
  assert.equal(HTTP.slice(first.base + first.request.start, first.base + first.request.start + 3), 'GET');
  assert.equal(findRequests(HTTP, 'notes.txt').length, 0, 'a file the linter does not read has no requests');
});

test('after an edit, the requests found are those of the new text (unchanged blocks come from the last call)', () => {
  const fresh = (text: string) => findRequests(text, `fresh-${text.length}-${Math.random()}.http`);
  const shape = (found: ReturnType<typeof findRequests>) => found.map((f) => [f.base, f.request.kind, f.request.url.text]);
  findRequests(HTTP, 'edited.http');
  const edited = `### added first\nGET /api/assetmanagement/v3/assets?size=5\n\n${HTTP.replace('GET ', 'GET  ')}`;
  assert.deepEqual(shape(findRequests(edited, 'edited.http')), shape(fresh(edited)));
  assert.deepEqual(shape(findRequests(HTTP, 'edited.http')), shape(fresh(HTTP)), 'and back');
});

test('hover on a filter attribute names the operators MindSphere allows, with the source', () => {
  const offset = at(HTTP, 'timestamp gt', 3);
  const found = requestAt(HTTP, 'q.http', offset);
  assert.ok(found);
  const hover = hoverInfo(found.request, offset - found.base);
  assert.ok(hover);
  assert.match(hover.markdown, /\*\*timestamp\*\* on Time Series: MindSphere allows `gt`, `le`/);
  assert.match(hover.markdown, /Source: Mendix, \*MindSphere IIoT for Makers\* §8\.5/);
  assert.doesNotMatch(hover.markdown, /seed|API §/, 'no citation a user cannot look up');
  assert.equal(HTTP.slice(found.base + hover.start, found.base + hover.end), 'timestamp', 'the hover covers the attribute');
});

test('hover on $top shows the 2000-object cap', () => {
  const offset = at(HTTP, '$top', 1);
  const found = requestAt(HTTP, 'q.http', offset);
  assert.ok(found);
  assert.match(hoverInfo(found.request, offset - found.base)?.markdown ?? '', /at most 2000 .*MindSphere IIoT for Makers\* §8\.6; Siemens, IoT Time Series v3 API/s);
});

test('after a time series attribute, only the operators MindSphere accepts are offered', () => {
  const text = "GET /odata/TS_Electrical_Motor_Pump?$filter=timestamp ";
  const result = completionsAt(text, 'q.http', text.length, schema);
  assert.deepEqual(result?.items.filter((i) => i.kind === 'operator').map((i) => i.label), ['gt', 'le']);
});

test('at the start of an asset filter: the filterable attributes and the functions', () => {
  const text = 'GET /odata/Assets?$filter=';
  const labels = completionsAt(text, 'q.http', text.length, schema)?.items.map((i) => i.label) ?? [];
  for (const expected of ['assetId', 'name', 'parentId', 'timezone', 'typeId', 'contains', 'startswith', 'endswith']) {
    assert.ok(labels.includes(expected), `${expected} in ${labels.join(', ')}`);
  }
  assert.ok(!labels.includes('description'), 'an attribute MindSphere cannot filter is not offered');
});

test('an interval unit in a Data Hub filter completes to the documented values, replacing the typed word', () => {
  const text = "GET /odata/AGGR_Electrical_Motor_Pump?$filter=intervalUnit eq 'mi";
  const result = completionsAt(text, 'q.http', text.length, schema);
  assert.deepEqual(result?.items.map((i) => i.label), ['days', 'minutes', 'seconds']);
  assert.equal(text.slice(result?.start, result?.end), 'mi');
});

test('variableName values come from the tenant schema', () => {
  const text = 'GET /odata/AGGR_Electrical_Motor_Pump?$filter=variableName eq ';
  assert.deepEqual(completionsAt(text, 'q.http', text.length, schema)?.items.map((i) => i.insertText), ["'current'", "'voltage'"]);
});

test('intervalValue offers exactly the values allowed with the chosen unit', () => {
  const offset = HTTP.indexOf('intervalValue=') + 'intervalValue='.length;
  const labels = completionsAt(HTTP, 'q.http', offset, schema)?.items.map((i) => i.label);
  assert.deepEqual(labels, Array.from({ length: 30 }, (_, i) => String(2 * (i + 1))));
});

test('entity sets of the schema are offered on an OData path, and in a string literal too', () => {
  assert.deepEqual(schemaEntitySets(schema).map((s) => s.name), ['Assets', 'TS_Electrical_Motor_Pump', 'AGGR_Electrical_Motor_Pump']);
  const text = 'GET https://gateway.eu1.mindsphere.io/api/datahub/odata/TS_';
  assert.deepEqual(completionsAt(text, 'q.http', text.length, schema)?.items.map((i) => i.label).slice(0, 2),
    ['Assets', 'TS_Electrical_Motor_Pump']);
  const code = 'const url = "/odata/TS_Electrical_Motor_Pump?$filter=timestamp ";';
  const offset = code.indexOf('timestamp ') + 'timestamp '.length;
  assert.deepEqual(completionsAt(code, 'app.ts', offset, schema)?.items.filter((i) => i.kind === 'operator').map((i) => i.label), ['gt', 'le']);
});

test('query parameter names after ? and &', () => {
  const text = 'GET /api/iottimeseries/v3/timeseries/a1/Motor?from=2024-01-01T00:00:00Z&';
  const labels = completionsAt(text, 'q.http', text.length, schema)?.items.map((i) => i.label);
  assert.deepEqual(labels, ['from', 'to', 'limit', 'select', 'sort', 'latestValue']);
});
