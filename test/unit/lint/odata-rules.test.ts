// The Data Hub OData rules, on .http requests as a maker writes them.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { fixDocument } from '../../../src/core/lint';
import { fixOf, http, lint, squiggles } from './helpers';

const TS = '{{dataHub}}/TS_PumpHydraulics_Hydraulics_Pump';
const AGGR = '{{dataHub}}/AGGR_PumpHydraulics_Hydraulics_Pump';
const BOUNDED = "timestamp gt '2024-01-01T00:00:00' and timestamp le '2024-01-02T00:00:00'";

const CLEAN = http(
  `GET ${TS}?$filter=assetId eq '{{pumpId}}' and ${BOUNDED}&$orderby=timestamp desc&$top=2000\nAuthorization: Bearer {{token}}`,
  `GET ${AGGR}?$filter=assetId eq '{{pumpId}}' and intervalUnit eq 'days' and intervalValue eq 1 and ${BOUNDED}`,
  "GET {{dataHub}}/Assets?$filter=contains(name,'Pump') and typeId eq 'makers01.Pump' and startswith(name,'P')&$top=50",
  `GET ${TS}?$filter=${encodeURIComponent(`assetId eq 'a1' and ${BOUNDED}`)}`,
  "GET https://example.com/odata/Customers?$filter=Country ne 'DE'",
);

describe('Data Hub OData rules', () => {
  test('a well-formed set of Data Hub queries stays clean', () => {
    assert.deepEqual(lint('pumps.http', CLEAN), []);
  });

  test('mdsp/query-syntax: broken filters, with safe repairs', () => {
    const text = http(`GET ${TS}?$filter=assetId EQ 'x' and ${BOUNDED}`, `GET ${TS}?$filter=assetId eq "x" and ${BOUNDED}`,
      `GET ${TS}?$filter=(assetId eq 'x' and ${BOUNDED}`, `GET ${TS}?$filter=${BOUNDED}&$top=lots`);
    const findings = lint('q.http', text);
    assert.deepEqual(squiggles(text, findings, 'mdsp/query-syntax'), [['EQ', 'error'], ['"x"', 'error'], ['(', 'error'], ['lots', 'error']]);
    assert.match(fixOf(http(`GET ${TS}?$filter=assetId EQ 'x' and ${BOUNDED}`),
      lint('q.http', http(`GET ${TS}?$filter=assetId EQ 'x' and ${BOUNDED}`)), 'mdsp/query-syntax'), /assetId eq 'x'/);
  });

  test('mdsp/filter-attribute: a value column or a misspelt attribute', () => {
    const text = http(`GET ${TS}?$filter=flow gt 5 and ${BOUNDED}`, "GET {{dataHub}}/Assets?$filter=AssetId eq 'a1'&$top=10");
    const findings = lint('a.http', text);
    assert.deepEqual(squiggles(text, findings, 'mdsp/filter-attribute'), [['flow', 'error'], ['AssetId', 'error']]);
    assert.match(findings.find((f) => f.ruleId === 'mdsp/filter-attribute')?.message ?? '', /only on 'assetId' and 'timestamp'/);
    const one = http("GET {{dataHub}}/Assets?$filter=AssetId eq 'a1'");
    assert.match(fixOf(one, lint('a.http', one), 'mdsp/filter-attribute'), /\$filter=assetId eq 'a1'/);
  });

  test("mdsp/filter-operator: 'ge' on timestamp is rewritten to 'gt' one second earlier", () => {
    const text = http(`GET ${TS}?$filter=timestamp ge '2024-01-01T00:00:00' and timestamp lt '2024-01-02T00:00:00'`);
    const findings = lint('o.http', text);
    assert.deepEqual(squiggles(text, findings, 'mdsp/filter-operator'), [['ge', 'error'], ['lt', 'error']]);
    // Query times have whole seconds but records may not: the message says what the rewrite does to those.
    const [ge, lt] = findings.filter((f) => f.ruleId === 'mdsp/filter-operator').map((f) => f.message);
    assert.match(ge ?? '', /exact for records on whole seconds; a record within the second before .* is returned too/);
    assert.match(lt ?? '', /exact for records on whole seconds; a record within the second before .* is left out/);
    const afterFirst = fixOf(http(`GET ${TS}?$filter=timestamp ge '2024-01-01T00:00:00' and timestamp le '2024-01-02T00:00:00'`),
      lint('o.http', http(`GET ${TS}?$filter=timestamp ge '2024-01-01T00:00:00' and timestamp le '2024-01-02T00:00:00'`)), 'mdsp/filter-operator');
    assert.match(afterFirst, /timestamp gt '2023-12-31T23:59:59' and timestamp le '2024-01-02T00:00:00'/);
    assert.deepEqual(lint('o.http', afterFirst), []);
  });

  test("mdsp/filter-operator: 'ne', 'not', and 'contains' on a Time Series assetId", () => {
    const text = http(`GET ${TS}?$filter=assetId ne 'a1' and ${BOUNDED}`, `GET ${TS}?$filter=contains(assetId,'a1') and ${BOUNDED}`,
      `GET ${TS}?$filter=not (assetId eq 'a1') and ${BOUNDED}`, "GET {{dataHub}}/Assets?$filter=name ne 'Pump 1'");
    const findings = lint('o.http', text);
    assert.deepEqual(squiggles(text, findings, 'mdsp/filter-operator'), [['ne', 'error'], ['contains', 'error'], ['not', 'error'], ['ne', 'error']]);
    // The exact-match rewrite of contains() matches less: offered, never applied unasked.
    const contains = findings.find((f) => f.message.includes("'contains'"));
    assert.deepEqual(contains?.fixes.map((f) => [f.title, f.isPreferred]), [["Use assetId eq 'a1' (exact match)", false]]);
  });

  test('mdsp/orderby-timeseries: sorting by a value column', () => {
    const text = http(`GET ${TS}?$filter=${BOUNDED}&$orderby=flow desc,timestamp`, `GET ${TS}?$filter=${BOUNDED}&$orderby=timestamp desc`,
      "GET {{dataHub}}/Assets?$orderby=name");
    const findings = lint('s.http', text);
    assert.deepEqual(squiggles(text, findings, 'mdsp/orderby-timeseries'), [['flow', 'error']]);
  });

  test('mdsp/datetime-format: typed and ISO literals become the Data Hub string form', () => {
    const text = http(`GET ${TS}?$filter=timestamp gt 2024-01-01T00:00:00Z and timestamp le datetime'2024-01-02T00:00:00'`,
      `GET ${TS}?$filter=timestamp gt '2024-01-01' and timestamp le '2024-01-01T12:00:00.500%2B01:00'`,
      `GET ${TS}?$filter=timestamp gt '2024-13-01T00:00:00' and timestamp le '{{to}}'`);
    const findings = lint('d.http', text);
    assert.deepEqual(squiggles(text, findings, 'mdsp/datetime-format'), [['2024-01-01T00:00:00Z', 'error'],
      ["datetime'2024-01-02T00:00:00'", 'error'], ["'2024-01-01'", 'error'], ["'2024-01-01T12:00:00.500%2B01:00'", 'error'],
      ["'2024-13-01T00:00:00'", 'error']]);
    const offset = findings.find((f) => f.message.includes('fractions'));
    assert.deepEqual(offset?.fixes.map((f) => [f.title, f.isPreferred]), [["Write '2024-01-01T11:00:00'", false]]);
    const one = http(`GET ${TS}?$filter=timestamp gt 2024-01-01T00:00:00Z and timestamp le '2024-01-02T00:00:00'`);
    assert.match(fixOf(one, lint('d.http', one), 'mdsp/datetime-format'), /timestamp gt '2024-01-01T00:00:00' and/);
    // A raw '+' in a query is a space: the offset is lost on the way, and the fix encodes it.
    const plus = http(`GET ${TS}?$filter=timestamp gt '2024-01-01T00:00:00+01:00' and timestamp le '2024-01-02T00:00:00'`);
    assert.match(fixOf(plus, lint('d.http', plus), 'mdsp/datetime-format'), /gt '2024-01-01T00:00:00%2B01:00' and/);
  });

  test("mdsp/datetime-format: an unquoted time whose '+' offset arrived as a space gets %2B, not a rewrite an hour off", () => {
    const text = http(`GET ${TS}?$filter=timestamp gt 2024-03-01T00:00:00+01:00 and timestamp le '2024-03-02T00:00:00'`);
    const findings = lint('d.http', text);
    assert.deepEqual(squiggles(text, findings, 'mdsp/datetime-format'), [['2024-03-01T00:00:00+01:00', 'error']]);
    assert.match(findings.find((f) => f.ruleId === 'mdsp/datetime-format')?.message ?? '', /a '\+' means a space/);
    assert.match(fixOf(text, findings, 'mdsp/datetime-format'), /gt 2024-03-01T00:00:00%2B01:00 and/);
    // Then the time reads with its offset, and is rewritten to the same instant in UTC.
    assert.match(fixDocument({ fileName: 'd.http', text }).text, /gt '2024-02-29T23%3A00%3A00' and/);
    // An encoded space (%20) is not a lost plus sign: no %2B fix, and no preferred rewrite that leaves '01:00' behind.
    const space = http(`GET ${TS}?$filter=timestamp gt 2024-03-01T00:00:00%2001:00 and timestamp le '2024-03-02T00:00:00'`);
    const fixes = lint('d.http', space).filter((f) => f.ruleId === 'mdsp/datetime-format').flatMap((f) => f.fixes);
    assert.deepEqual(fixes.map((f) => [f.title, f.isPreferred]), [["Write '2024-03-01T00:00:00'", false]]);
  });

  test('mdsp/enum-value: Data Hub interval units with did-you-mean', () => {
    const text = http(`GET ${AGGR}?$filter=intervalUnit eq 'day' and ${BOUNDED}`, `GET ${AGGR}?$filter=intervalUnit eq 'fortnight' and ${BOUNDED}`);
    const findings = lint('e.http', text);
    assert.deepEqual(squiggles(text, findings, 'mdsp/enum-value'), [["'day'", 'error'], ["'fortnight'", 'error']]);
    assert.match(findings[0]?.message ?? '', /Did you mean 'days'\?/);
    const one = http(`GET ${AGGR}?$filter=intervalUnit eq 'day' and ${BOUNDED}`);
    assert.match(fixOf(one, lint('e.http', one), 'mdsp/enum-value'), /intervalUnit eq 'days'/);
  });

  test('mdsp/page-limit: $top over 2000, no upper timestamp bound, $count', () => {
    const text = http(`GET ${TS}?$filter=${BOUNDED}&$top=5000`, `GET ${TS}?$filter=timestamp gt '2024-01-01T00:00:00'`,
      `GET ${AGGR}?$filter=${BOUNDED}&$count=true`, `GET ${TS}/$count?$filter=${BOUNDED}`, 'GET {{dataHub}}/Assets?$top=5000');
    const findings = lint('p.http', text);
    assert.deepEqual(squiggles(text, findings, 'mdsp/page-limit'), [['5000', 'warning'],
      ['TS_PumpHydraulics_Hydraulics_Pump', 'warning'], ['$count=true', 'warning'], ['$count', 'warning']]);
    const one = http(`GET ${TS}?$filter=${BOUNDED}&$top=5000`);
    assert.match(fixOf(one, lint('p.http', one), 'mdsp/page-limit'), /\$top=2000$/m);
    const count = http(`GET ${AGGR}?$filter=${BOUNDED}&$count=true`);
    assert.match(fixOf(count, lint('p.http', count), 'mdsp/page-limit', /Remove/), /timestamp le '2024-01-02T00:00:00'$/m);
  });

  test('mdsp/page-limit: a read by key, or of at most 2000 objects, needs no upper timestamp bound', () => {
    const text = http(`GET ${TS}(assetId='a',timestamp='2024-03-01T00:00:00')`,
      `GET ${TS}?$filter=assetId eq 'a'&$orderby=timestamp desc&$top=1`, `GET ${TS}?$filter=assetId eq 'a'&$top=2000`,
      `GET ${TS}?$filter=assetId eq 'a'&$top=2001`, `GET ${TS}?$filter=assetId eq 'a'&$top={{n}}`);
    const findings = lint('p.http', text).filter((f) => f.ruleId === 'mdsp/page-limit');
    assert.deepEqual(findings.map((f) => [f.range.line, text.slice(f.range.start, f.range.end)]), [
      [11, 'TS_PumpHydraulics_Hydraulics_Pump'], [11, '2001'], [14, 'TS_PumpHydraulics_Hydraulics_Pump']]);
  });

  test('mdsp/read-only: writes against Data Hub, including X-HTTP-Method', () => {
    const text = http(`POST ${TS}\nContent-Type: application/json\n\n{"flow": 1}`, `PATCH {{dataHub}}/Assets('a1')`,
      `POST ${TS}\nX-HTTP-Method: MERGE`, `GET ${TS}?$filter=${BOUNDED}`, 'POST {{host}}/api/assetmanagement/v3/assets');
    const findings = lint('r.http', text);
    assert.deepEqual(squiggles(text, findings, 'mdsp/read-only'), [['POST', 'error'], ['PATCH', 'error'], ['POST', 'error'], ['MERGE', 'error']]);
  });

  test('mdsp/time-range: bounds that exclude each other', () => {
    const text = http(`GET ${TS}?$filter=timestamp gt '2024-02-01T00:00:00' and timestamp le '2024-01-01T00:00:00'`,
      `GET ${TS}?$filter=(timestamp gt '2024-02-01T00:00:00' and assetId eq 'a') or timestamp le '2024-01-01T00:00:00'`);
    assert.deepEqual(squiggles(text, lint('t.http', text), 'mdsp/time-range'), [["timestamp gt '2024-02-01T00:00:00'", 'error']]);
  });

  test("mdsp/time-range: 'or' inside a string is not an alternative", () => {
    const text = http(`GET ${TS}?$filter=assetId eq 'motor or pump' and timestamp gt '2024-02-01T00:00:00' and timestamp le '2024-01-01T00:00:00'`);
    assert.deepEqual(squiggles(text, lint('t.http', text), 'mdsp/time-range'), [["timestamp gt '2024-02-01T00:00:00'", 'error']]);
  });
});
