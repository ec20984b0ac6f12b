// What "Run with MindSphere" sends for a request of a file: resolved against the active connection's gateway, with the
// file's own credentials dropped, and never to another host.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { findRequests } from '../../../src/host/lint/locate';
import { prepareRequest, rangeRead, readsSeries, TOKEN_PLACEHOLDER } from '../../../src/host/lint/prepare-request';

const GATEWAY = 'http://127.0.0.1:4711';
const NOW = Date.parse('2024-05-01T12:00:00Z');

function prepare(text: string, fileName = 'run.http', index = 0) {
  const found = findRequests(text, fileName)[index];
  assert.ok(found, 'the request is found');
  return prepareRequest(text, fileName, found, GATEWAY, NOW);
}

test('a path-only request goes to the gateway; the file\'s Authorization header is dropped, a token variable kept for the client', () => {
  const result = prepare([
    'GET /api/assetmanagement/v3/assets?size=10',
    'Authorization: Bearer eyJhbGciOiJSUzI1NiJ9.secret',
    'X-Token: {{token}}',
    '',
  ].join('\n'));
  assert.ok(result.ok, !result.ok ? result.message : '');
  assert.equal(result.request.url.href, `${GATEWAY}/api/assetmanagement/v3/assets?size=10`);
  assert.deepEqual(result.request.headers, { 'X-Token': TOKEN_PLACEHOLDER });
});

test('an undefined {{gateway}} stands for the connection\'s gateway; file variables and continuation lines resolve', () => {
  const result = prepare([
    '@asset = 0a1b2c3d4e5f60718293a4b5c6d7e8f9',
    '### raw',
    'GET {{gateway}}/api/iottimeseries/v3/timeseries/{{asset}}/Motor',
    '    ?from={{$datetime iso8601 -1 d}}',
    '    &to=2024-05-01T12:00:00Z',
  ].join('\n'));
  assert.ok(result.ok, !result.ok ? result.message : '');
  assert.equal(result.request.url.pathname, '/api/iottimeseries/v3/timeseries/0a1b2c3d4e5f60718293a4b5c6d7e8f9/Motor');
  assert.equal(result.request.url.searchParams.get('from'), '2024-04-30T12:00:00.000Z');
  assert.deepEqual(result.request.read, { kind: 'timeseries', assetId: '0a1b2c3d4e5f60718293a4b5c6d7e8f9', aspect: 'Motor',
    from: '2024-04-30T12:00:00.000Z', to: '2024-05-01T12:00:00Z', descending: false });
});

test('a Data Hub entity set query is read page after page; other OData options are sent as written', () => {
  const filter = "assetId eq 'a1' and timestamp gt '2024-03-01T00:00:00' and timestamp le '2024-03-01T01:00:00'";
  const paged = prepare(`GET /odata/mdsp_makers01/TS_Vibration_Vibration_Pump?$filter=${filter}&$select=timestamp,Velocity&$count=true\n`);
  assert.ok(paged.ok, !paged.ok ? paged.message : '');
  assert.deepEqual(paged.request.read, { kind: 'odata', service: 'mdsp_makers01', entitySet: 'TS_Vibration_Vibration_Pump',
    query: { filter, select: 'timestamp,Velocity', count: true } });
  const topped = prepare('GET /odata/mdsp_makers01/Assets?$top=10&$skip=20\n');
  assert.ok(topped.ok && topped.request.read?.kind === 'odata');
  assert.deepEqual(topped.request.read.query, { top: 10, skip: 20 });
  for (const asWritten of ['GET /odata/mdsp_makers01/Assets?$expand=x\n', 'GET /odata/mdsp_makers01/Assets?$top=ten\n']) {
    const r = prepare(asWritten);
    assert.ok(r.ok, asWritten);
    assert.equal(r.request.read, undefined, asWritten);
  }
});

test('a request to another host is refused, naming both hosts', () => {
  const result = prepare('GET https://evil.example.com/api/assetmanagement/v3/assets\n');
  assert.equal(result.ok, false);
  assert.match(!result.ok ? result.message : '', /Not sent: this request goes to https:\/\/evil\.example\.com, but the active connection's gateway is http:\/\/127\.0\.0\.1:4711/);
  const defined = prepare('@gateway = https://gateway.eu1.mindsphere.io\nGET {{gateway}}/api/assetmanagement/v3/assets\n');
  assert.equal(defined.ok, false, 'a gateway the file defines for another tenant is another host too');
});

test('a token in the URL, an unknown variable or a value only the program knows are refused with what to do', () => {
  const inUrl = prepare('GET /api/assetmanagement/v3/assets?access_token={{token}}\n');
  assert.match(!inUrl.ok ? inUrl.message : '', /never in a URL/);
  const unknown = prepare('GET /api/iottimeseries/v3/timeseries/{{assetId}}/Motor\n');
  assert.match(!unknown.ok ? unknown.message : '', /uses \{\{assetId\}\}, which this file does not define/);
  const code = 'fetch(`${base}/api/iottimeseries/v3/timeseries/${assetId}/Motor?from=2024-01-01T00:00:00Z&to=2024-01-02T00:00:00Z`)';
  const inCode = prepareRequest(code, 'app.ts', findRequests(code, 'app.ts')[0]!, GATEWAY, NOW);
  assert.match(!inCode.ok ? inCode.message : '', /contains \$\{assetId\}, a value only your program knows/);
});

test('a string literal with a complete URL runs; an explicit small limit is sent as written', () => {
  const code = 'const url = "/api/iottimeseries/v3/timeseries/a1/Motor?from=2024-01-01T00:00:00Z&to=2024-01-02T00:00:00Z&limit=100";';
  const result = prepareRequest(code, 'app.ts', findRequests(code, 'app.ts')[0]!, GATEWAY, NOW);
  assert.ok(result.ok);
  assert.equal(result.request.read, undefined, 'limit=100 asks for one page');
  assert.equal(result.request.url.searchParams.get('limit'), '100');
});

test('a JSON body is sent parsed; a body that is not JSON is refused', () => {
  const put = prepare('PUT /api/iottimeseries/v3/timeseries/a1/Motor\nContent-Type: application/json\n\n[{"_time": "2024-01-01T00:00:00Z", "current": 1}]\n');
  assert.ok(put.ok);
  assert.deepEqual(put.request.body, [{ _time: '2024-01-01T00:00:00Z', current: 1 }]);
  const bad = prepare('POST /api/assetmanagement/v3/assets\n\nname=x\n');
  assert.match(!bad.ok ? bad.message : '', /not JSON/);
});

test('what "Preview Time Series" charts of a query: the range of a time series or aggregates read, whatever its paging', () => {
  const paged = prepare('GET /api/iottimeseries/v3/timeseries/a1/Motor?from=2024-01-01T00:00:00Z&to=2024-01-02T00:00:00Z&limit=100&select=current,current_qc\n');
  assert.ok(paged.ok);
  assert.deepEqual(rangeRead(paged.request.method, paged.request.url), { kind: 'timeseries', assetId: 'a1', aspect: 'Motor',
    from: '2024-01-01T00:00:00Z', to: '2024-01-02T00:00:00Z', descending: false, select: 'current,current_qc' });
  const aggregates = prepare('GET /api/iottsaggregates/v4/aggregates?assetId=a1&aspectName=Motor&from=2024-01-01T00:00:00Z&to=2024-01-02T00:00:00Z&intervalUnit=hour&intervalValue=1&count=5\n');
  assert.ok(aggregates.ok);
  assert.deepEqual(rangeRead(aggregates.request.method, aggregates.request.url), { kind: 'aggregates', assetId: 'a1', aspect: 'Motor',
    from: '2024-01-01T00:00:00Z', to: '2024-01-02T00:00:00Z', intervalUnit: 'hour', intervalValue: 1 });
  assert.equal(aggregates.request.read, undefined, 'count=5 asks for five intervals: Run sends it as written');
  const open = prepare('GET /api/iottimeseries/v3/timeseries/a1/Motor?from=2024-01-01T00:00:00Z\n');
  assert.ok(open.ok);
  assert.equal(rangeRead(open.request.method, open.request.url), undefined, 'no end: no range to chart');
});

test('the Preview Time Series CodeLens goes on GETs of time series and aggregates only, as written (variables unresolved)', () => {
  const text = [
    'GET {{gateway}}/api/iottimeseries/v3/timeseries/{{asset}}/Motor?from={{$datetime iso8601 -1 d}}&to={{$datetime iso8601}}',
    '###',
    'GET /api/iottsaggregates/v4/aggregates?assetId={{asset}}&aspectName=Motor&from=2024-01-01T00:00:00Z&to=2024-01-02T00:00:00Z',
    '###',
    'PUT /api/iottimeseries/v3/timeseries/a1/Motor',
    '###',
    'GET /api/assetmanagement/v3/assets',
    '###',
    'GET /api/iottimeseries/v3/timeseries',
  ].join('\n');
  assert.deepEqual(findRequests(text, 'q.http').map((f) => readsSeries(f.request)), [true, true, false, false, false]);
});
