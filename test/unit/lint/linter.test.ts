// The linter as the extension uses it: ranges, per-rule settings, the block cache, requests for CodeLenses, fixing.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { fixDocument, Linter, RULE_IDS, RULES, findRequests, lintDocument } from '../../../src/core/lint';
import { http } from './helpers';

const TS = '{{dataHub}}/TS_PumpHydraulics_Hydraulics_Pump';
const BAD = http(`GET ${TS}?$filter=timestamp ge '2024-01-01T00:00:00' and timestamp le '2024-01-02T00:00:00'&$top=5000`);

describe('linter', () => {
  test('every rule id has exactly one rule', () => {
    assert.deepEqual(RULES.map((r) => r.meta.id), [...RULE_IDS]);
  });

  test('findings carry offsets and 1-based lines and columns that agree', () => {
    const text = `# pumps\n\n${BAD}`;
    const [first] = lintDocument({ fileName: 'p.http', text });
    assert.ok(first);
    const before = text.slice(0, first.range.start);
    assert.equal(first.range.line, before.split('\n').length);
    assert.equal(first.range.column, first.range.start - before.lastIndexOf('\n'));
    assert.equal(first.fileName, 'p.http');
  });

  test('mdsp.lint.rules: a rule can be turned off or change severity', () => {
    const all = new Linter().lintDocument({ fileName: 'p.http', text: BAD });
    assert.deepEqual(all.map((f) => [f.ruleId, f.severity]), [['mdsp/filter-operator', 'error'], ['mdsp/page-limit', 'warning']]);
    const tuned = new Linter().lintDocument({ fileName: 'p.http', text: BAD },
      { rules: { 'mdsp/filter-operator': 'off', 'mdsp/page-limit': 'error' } });
    assert.deepEqual(tuned.map((f) => [f.ruleId, f.severity]), [['mdsp/page-limit', 'error']]);
  });

  test('re-linting after an edit reuses the unchanged blocks and shifts their findings', () => {
    const blocks = Array.from({ length: 50 }, (_, i) => `GET ${TS}?$filter=assetId eq 'a${i}' and timestamp ge '2024-01-01T00:00:00' and timestamp le '2024-01-02T00:00:00'`);
    const text = http(...blocks);
    const linter = new Linter();
    const first = linter.lintDocument({ fileName: 'big.http', text });
    assert.equal(first.length, 50);
    // Insert a line at the top: every block moves, none changes.
    const edited = `# a new comment line\n${text}`;
    const second = linter.lintDocument({ fileName: 'big.http', text: edited });
    assert.deepEqual(second.map((f) => f.range.line), first.map((f) => f.range.line + 1));
    assert.deepEqual(second.map((f) => edited.slice(f.range.start, f.range.end)), first.map(() => 'ge'));
    // Cached results are the same as fresh ones.
    assert.deepEqual(second, new Linter().lintDocument({ fileName: 'big.http', text: edited }));
  });

  test('finds the MindSphere requests of a document for CodeLenses', () => {
    const text = `@host = https://gateway.eu1.mindsphere.io\n\n${http(`GET ${TS}?$filter=assetId eq 'a1'`,
      'GET {{host}}/api/iottimeseries/v3/timeseries/{{assetId}}/Hydraulics\n    ?from=2024-01-01T00:00:00Z\n    &to=2024-01-02T00:00:00Z',
      'GET https://example.com/unrelated')}`;
    const requests = findRequests({ fileName: 'p.http', text });
    assert.deepEqual(requests.map((r) => [r.kind, r.method, r.entitySet?.kind ?? r.service, r.range.line]),
      [['odata', 'GET', 'timeSeries', 4], ['timeseries', 'GET', 'iottimeseries', 7]]);
    const ts = requests[1];
    assert.deepEqual(ts?.params.map((p) => [p.name, p.value, p.valueRange.line]), [
      ['from', '2024-01-01T00:00:00Z', 8], ['to', '2024-01-02T00:00:00Z', 9]]);
    assert.equal(ts?.url, text.slice(ts?.urlRange.start, ts?.urlRange.end));
    assert.match(ts?.url ?? '', /^\{\{host\}\}\/api\/iottimeseries.*\n\s+\?from=.*\n\s+&to=2024-01-02T00:00:00Z$/);
    assert.deepEqual(findRequests({ fileName: 'notes.md', text }), []);
  });

  test('fixDocument applies preferred fixes until the document is clean of them', () => {
    const result = fixDocument({ fileName: 'p.http', text: BAD });
    assert.equal(result.applied, 2);
    assert.match(result.text, /timestamp gt '2023-12-31T23:59:59' and timestamp le '2024-01-02T00:00:00'&\$top=2000/);
    assert.deepEqual(result.findings, []);
  });

  test('a value of a megabyte is quoted by its start and end, not whole', () => {
    const value = `2024-${'x'.repeat(1_000_000)}-end`;
    const [finding] = lintDocument({ fileName: 'p.http', text: `GET /api/iottimeseries/v3/timeseries/a/b?from=${value}&to=2024-01-02T00:00:00Z\n` });
    assert.equal(finding?.ruleId, 'mdsp/datetime-format');
    assert.ok(finding.message.length < 400, `the message is ${finding.message.length} characters`);
    assert.match(finding.message, /^'from=2024-x+…x+-end' is not an ISO 8601 time, so MindSphere rejects the request with HTTP 400\./);
  });

  test('a byte order mark before the first request does not hide its method', () => {
    const text = `\uFEFFPOST ${TS}?$filter=timestamp gt '2024-01-01T00:00:00' and timestamp le '2024-01-02T00:00:00'\n`;
    const findings = new Linter().lintDocument({ fileName: 'bom.http', text });
    assert.deepEqual(findings.map((f) => [f.ruleId, text.slice(f.range.start, f.range.end)]), [['mdsp/read-only', 'POST']]);
    assert.equal(findRequests({ fileName: 'bom.http', text })[0]?.method, 'POST');
  });

  test('files it does not read give no findings', () => {
    assert.deepEqual(lintDocument({ fileName: 'README.md', text: BAD }), []);
    assert.deepEqual(lintDocument({ fileName: 'image.png', text: '\u0000\u0001' }), []);
  });
});
