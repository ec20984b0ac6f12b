// The REST rules (Asset Management, IoT Time Series, Aggregates v4), on .http requests and URL strings in code.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { fixOf, http, lint, squiggles } from './helpers';

const TSR = '{{host}}/api/iottimeseries/v3/timeseries/{{assetId}}/Hydraulics';
const AGG = '{{host}}/api/iottsaggregates/v4/aggregates?assetId={{assetId}}&aspectName=Hydraulics';
const ASSETS = '{{host}}/api/assetmanagement/v3/assets';

const CLEAN = http(
  `GET ${TSR}?from=2024-01-01T00:00:00Z&to=2024-01-02T00:00:00Z&limit=2000&sort=desc&select=flow,pressure`,
  `GET ${TSR}\n    ?from=2024-01-01T00:00:00.000Z\n    &to={{$datetime iso8601}}\nAuthorization: Bearer {{token}}`,
  `GET ${TSR}?latestValue=true`,
  `GET ${AGG}&from=2024-01-01T00:00:00Z&to=2024-01-07T00:00:00Z&intervalUnit=hour&intervalValue=1`,
  `GET ${AGG}&from=2024-01-01&to=2024-03-30&intervalUnit=day&intervalValue=1`,
  `GET ${AGG}&intervalUnit=minute&intervalValue=30&from=2024-01-01T00:00:00%2B01:00&to=2024-01-01T12:00:00%2B01:00`,
  `GET ${ASSETS}?filter={"name":{"startsWith":"Pump"},"typeId":"makers01.Pump"}&size=200&sort=name,asc`,
  `GET ${ASSETS}?filter=${encodeURIComponent('{"name":{"in":{"value":["P1","P2"]}},"deleted":{"eq":null}}')}`,
  `GET ${ASSETS}?filter={"or":{"deleted":{"eq":null},"name":{"startsWith":"My"}}}`,
  `GET ${ASSETS}?filter={"deleted":{"between":"[2018-01-01T00:00:00.00Z, 2018-01-31T00:00:00.00Z)"}}`,
  `GET ${ASSETS}?filter={{assetFilter}}`,
  `GET {{host}}/api/assetmanagement/v3/assettypes?filter={"id":"makers01.Pump"}`,
  `PUT ${TSR}\nContent-Type: application/json\n\n[{"_time":"2024-01-01T00:00:00Z","flow":1}]`,
  'GET {{host}}/api/iottsbulk/v3/timeseries/{{assetId}}/Hydraulics?from=2024-01-01T00:00:00Z&to=2024-02-01T00:00:00Z',
);

describe('REST rules', () => {
  test('well-formed REST requests stay clean', () => {
    assert.deepEqual(lint('rest.http', CLEAN).map((f) => f.message), []);
  });

  test('mdsp/datetime-format: invalid REST times, epoch numbers, a raw + and a space', () => {
    const text = http(`GET ${TSR}?from=2024-02-30T00:00:00Z&to=1704153600000`,
      `GET ${TSR}?from=2024-01-01T00:00:00+01:00&to=2024-01-02 00:00:00`);
    const findings = lint('d.http', text);
    assert.deepEqual(squiggles(text, findings, 'mdsp/datetime-format'), [['2024-02-30T00:00:00Z', 'error'], ['1704153600000', 'error'],
      ['2024-01-01T00:00:00+01:00', 'error'], ['2024-01-02 00:00:00', 'error']]);
    assert.deepEqual(findings.filter((f) => f.ruleId === 'mdsp/datetime-format').map((f) => f.fixes[0]?.edits[0]?.newText),
      [undefined, '2024-01-02T00:00:00Z', '%2B', '2024-01-02T00:00:00Z']);
  });

  test('mdsp/enum-value: v4 units, sort directions and latestValue, with did-you-mean', () => {
    const text = http(`GET ${AGG}&intervalUnit=days&intervalValue=1`, `GET ${TSR}?from=2024-01-01T00:00:00Z&to=2024-01-02T00:00:00Z&sort=DESC`,
      `GET ${TSR}?latestValue=yes`, `GET ${ASSETS}?sort=name,ascending`);
    const findings = lint('e.http', text);
    assert.deepEqual(squiggles(text, findings, 'mdsp/enum-value'), [['days', 'error'], ['DESC', 'error'], ['yes', 'error'], ['ascending', 'error']]);
    const one = http(`GET ${AGG}&intervalUnit=days&intervalValue=1`);
    assert.match(fixOf(one, lint('e.http', one), 'mdsp/enum-value'), /intervalUnit=day&/);
  });

  test('mdsp/orderby-timeseries: a REST sort by a field', () => {
    const text = http(`GET ${TSR}?from=2024-01-01T00:00:00Z&to=2024-01-02T00:00:00Z&sort=flow`,
      `GET ${TSR}?from=2024-01-01T00:00:00Z&to=2024-01-02T00:00:00Z&sort=_time,desc`);
    const findings = lint('o.http', text);
    assert.deepEqual(squiggles(text, findings, 'mdsp/orderby-timeseries'), [['flow', 'error'], ['_time,desc', 'error']]);
    assert.deepEqual(findings.map((f) => f.fixes[0]?.isPreferred), [false, true]);
  });

  test('mdsp/page-limit: limit, size and count above 2000, with a clamp', () => {
    const text = http(`GET ${TSR}?from=2024-01-01T00:00:00Z&to=2024-01-02T00:00:00Z&limit=10000`, `GET ${ASSETS}?size=5000`,
      `GET ${AGG}&count=3000`);
    const findings = lint('p.http', text);
    assert.deepEqual(squiggles(text, findings, 'mdsp/page-limit'), [['10000', 'warning'], ['5000', 'warning'], ['3000', 'warning']]);
    assert.deepEqual(findings.map((f) => f.fixes[0]?.isPreferred), [true, true, false]);
  });

  test('mdsp/query-syntax: paging numbers that are not whole numbers', () => {
    const text = http(`GET ${TSR}?limit=ten`, `GET ${ASSETS}?page=-1&size=20.5`);
    assert.deepEqual(squiggles(text, lint('q.http', text), 'mdsp/query-syntax'), [['ten', 'error'], ['20.5', 'error'], ['-1', 'error']]
      .sort((a, b) => text.indexOf(a[0] as string) - text.indexOf(b[0] as string)));
  });

  test('mdsp/aggregate-interval: unit/value pairs and range caps, with a split', () => {
    const text = http(`GET ${AGG}&intervalUnit=minute&intervalValue=5&from=2024-01-01T00:00:00Z&to=2024-01-01T06:00:00Z`,
      `GET ${AGG}&intervalUnit=hour&intervalValue=1&from=2024-01-01T00:00:00Z&to=2024-01-15T00:00:00Z`,
      `GET ${AGG}&intervalUnit=month&intervalValue=4`);
    const findings = lint('a.http', text);
    assert.deepEqual(squiggles(text, findings, 'mdsp/aggregate-interval'), [['5', 'error'],
      ['from=2024-01-01T00:00:00Z&to=2024-01-15T00:00:00Z', 'error'], ['4', 'error']]);
    assert.deepEqual(findings[0]?.fixes.map((f) => f.title), ['Use intervalValue=4', 'Use intervalValue=6']);
    const one = http(`GET ${AGG}&intervalUnit=hour&intervalValue=1&from=2024-01-01T00:00:00Z&to=2024-01-15T00:00:00Z`);
    const split = fixOf(one, lint('a.http', one), 'mdsp/aggregate-interval', /Split into 2 requests/);
    assert.equal(split.match(/^GET /gm)?.length, 2);
    assert.match(split, /from=2024-01-01T00:00:00Z&to=2024-01-08T00:00:00Z/);
    assert.match(split, /from=2024-01-08T00:00:00Z&to=2024-01-15T00:00:00Z/);
    assert.deepEqual(lint('a.http', split), []);
  });

  test('mdsp/aggregate-interval: the split writes the line endings of a CRLF file; 25 hours reads as 25 hours', () => {
    const one = http(`GET ${AGG}&intervalUnit=minute&intervalValue=2&from=2024-01-01T00:00:00Z&to=2024-01-02T01:00:00Z`)
      .replace(/\n/g, '\r\n');
    const finding = lint('a.http', one).find((f) => f.ruleId === 'mdsp/aggregate-interval');
    assert.match(finding?.message ?? '', /cover at most 24 hours per request, and .* is 25 hours:/);
    assert.deepEqual(finding?.fixes.map((f) => f.title), ['Split into 2 requests of at most 24 hours', 'Aggregate by hour instead']);
    const split = fixOf(one, lint('a.http', one), 'mdsp/aggregate-interval', /Split/);
    assert.equal(split.match(/^GET /gm)?.length, 2);
    assert.doesNotMatch(split, /[^\r]\n/, 'only CRLF line endings');
  });

  test('mdsp/time-range: from after to, one-sided reads, bulk bounds', () => {
    const text = http(`GET ${TSR}?from=2024-01-02T00:00:00Z&to=2024-01-01T00:00:00Z`, `GET ${TSR}?from=2024-01-01T00:00:00Z`,
      'GET {{host}}/api/iottsbulk/v3/timeseries/{{assetId}}/Hydraulics?from=2024-01-01T00:00:00Z',
      'GET {{host}}/api/iottsbulk/v3/timeseries/{{assetId}}/Hydraulics?from=2024-01-01T00:00:00Z&to=2024-06-01T00:00:00Z');
    const findings = lint('t.http', text).filter((f) => f.ruleId === 'mdsp/time-range');
    assert.deepEqual(findings.map((f) => [f.range.line, f.severity]), [[2, 'error'], [5, 'warning'], [8, 'error'], [11, 'error']]);
    assert.match(findings[2]?.message ?? '', /requires both 'from' and 'to' \(missing: to\)/);
  });

  test('mdsp/asset-filter-json: invalid JSON, legacy form, unknown functions and fields, bare arrays', () => {
    const text = http(`GET ${ASSETS}?filter={"name":"Pump"`, `GET ${ASSETS}?filter=name eq Pump1`,
      `GET ${ASSETS}?filter={"name":{"like":"Pump%"}}`, `GET ${ASSETS}?filter={"nmae":"Pump"}`,
      `GET ${ASSETS}?filter={"typeId":["a","b"]}`, `GET ${ASSETS}?filter={"deleted":{"between":"2018-01-01 to 2018-02-01"}}`);
    const findings = lint('f.http', text);
    assert.deepEqual(squiggles(text, findings, 'mdsp/asset-filter-json'), [['{', 'error'], ['name eq Pump1', 'error'],
      ['"like"', 'error'], ['"nmae"', 'warning'], ['["a","b"]', 'error'], ['"2018-01-01 to 2018-02-01"', 'error']]);
    const objectValue = http(`GET ${ASSETS}?filter={"name":{"startsWith":{"a":1}}}`);
    assert.match(lint('f.http', objectValue).map((f) => f.message).join('\n'), /"startsWith" takes a single value \(a string, number, boolean or null\), not an object\./);
    const legacy = http(`GET ${ASSETS}?filter=name eq 'Pump 1'`);
    assert.match(fixOf(legacy, lint('f.http', legacy), 'mdsp/asset-filter-json'), /filter=\{"name":"Pump 1"\}/);
    const encoded = http(`GET ${ASSETS}?filter=${encodeURIComponent('{"name":{"startswith":"P"}}')}`);
    const fixed = fixOf(encoded, lint('f.http', encoded), 'mdsp/asset-filter-json');
    assert.equal(decodeURIComponent(fixed.split('filter=')[1]?.trim() ?? ''), '{"name":{"startsWith":"P"}}');
  });

  test('URL strings in TypeScript, Java, C# and Python are checked, concatenations tolerated', () => {
    const ts = [
      "const url = `${base}/api/iottimeseries/v3/timeseries/${assetId}/Hydraulics?from=${from}&to=${to}&limit=5000`;",
      "// a comment with a quote ' and /api/iottimeseries/v3/timeseries/x/y?limit=9999 is not code",
      "await axios.post(`${dataHub}/TS_PumpHydraulics_Hydraulics_Pump`, body);",
      "const q = \"/TS_PumpHydraulics_Hydraulics_Pump?$filter=assetId eq '\" + id + \"' and timestamp le '2024-01-02T00:00:00'\";",
    ].join('\n');
    const findings = lint('src/pumps.ts', ts);
    assert.deepEqual(findings.map((f) => [f.ruleId, f.range.line]), [['mdsp/page-limit', 1], ['mdsp/read-only', 3]]);
    // Placeholders with braces inside, and a service path quoted in a message, are not mistakes.
    const clean = [
      "const a = `${gw}/api/assetmanagement/v3/assets?filter=${encodeURIComponent(JSON.stringify({ typeId: 'makers01.Pump' }))}`;",
      "const b = `${hub}/TS_Flow_Flow_Pump?$filter=timestamp le '${iso({ at: now })}' and assetId eq '${id}'`;",
      'const c = \'{"status":400,"message":"range must be < 90 days","path":"/api/iottsbulk/v3/timeseries"}\';',
    ].join('\n');
    assert.deepEqual(lint('src/clean.ts', clean).map((f) => f.message), []);
    const java = 'String url = base + "/api/iottsaggregates/v4/aggregates?intervalUnit=days&intervalValue=1&assetId=" + id;';
    assert.deepEqual(lint('Pumps.java', java).map((f) => f.ruleId), ['mdsp/enum-value']);
    const cs = 'var url = $"{gateway}/api/assetmanagement/v3/assets?filter={{\\"name\\":\\"x\\"}}&size=9000";\nvar v = @"C:\\path";';
    assert.deepEqual(lint('Pumps.cs', cs).map((f) => f.ruleId), ['mdsp/page-limit']);
    const py = 'url = f"{gateway}/api/iottimeseries/v3/timeseries/{asset_id}/Hydraulics?from={start}&to={end}&sort=temperature"  # it\'s fine';
    assert.deepEqual(lint('pumps.py', py).map((f) => f.ruleId), ['mdsp/orderby-timeseries']);
  });

  test('interpolation holes of Python and C# (calls, format specs, positional and empty holes) are values the linter cannot know', () => {
    const py = [
      'url = f"{gw}/api/iottimeseries/v3/timeseries/{asset_id}/Flow?from={start.isoformat()}&to={end:%Y-%m-%dT%H:%M:%SZ}&limit={2000}"',
      'url2 = "{}/api/iottimeseries/v3/timeseries/{}/Flow?from={}&to={}".format(gw, a, s, e)',
      "url3 = f\"{dh}/TS_Flow_Flow_Pump?$filter=timestamp gt '{fmt(a)}' and timestamp le '{fmt(b)}'&$top={page_size}\"",
      // A written mistake beside the holes is still found.
      'url4 = f"{gw}/api/iottimeseries/v3/timeseries/{asset_id}/Flow?from={start.isoformat()}&to=yesterday"',
    ].join('\n');
    assert.deepEqual(lint('pumps.py', py).map((f) => [f.ruleId, f.range.line]), [['mdsp/datetime-format', 4]]);
    const cs = [
      'var u = string.Format("{0}/api/iottimeseries/v3/timeseries/{1}/Flow?from={2}&to={3}&limit={4}", gw, id, from, to, 100);',
      'var v = $"{gw}/api/iottimeseries/v3/timeseries/{id}/Flow?from={from:O}&to={to.ToString("o")}";',
    ].join('\n');
    assert.deepEqual(lint('Pumps.cs', cs).map((f) => f.message), []);
  });

  test('a fix inside an escaped string literal keeps the escaping', () => {
    const java = 'String q = "/TS_PumpHydraulics_Hydraulics_Pump?$filter=timestamp ge \\"2024-01-01T00:00:00\\" and timestamp le \'2024-01-02T00:00:00\'";';
    const findings = lint('Q.java', java);
    const syntax = findings.find((f) => f.ruleId === 'mdsp/query-syntax');
    assert.equal(java.slice(syntax?.range.start, syntax?.range.end), '\\"2024-01-01T00:00:00\\"');
    assert.match(fixOf(java, findings, 'mdsp/query-syntax'), /timestamp ge '2024-01-01T00:00:00' and/);
  });
});
