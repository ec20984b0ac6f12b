// The linter as the extension uses it: ranges, per-rule settings, the block cache, requests for CodeLenses, fixing.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
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

  test('after an edit only the blocks whose text changed are checked again, also when blocks are added or removed', () => {
    const checked: string[] = [];
    const linter = new Linter([...RULES, { meta: { id: 'mdsp/page-limit', severity: 'warning', description: 'counts' },
      text(_fileName, text) { checked.push(text.trim()); } }]);
    const blocks = Array.from({ length: 20 }, (_, i) => `GET ${TS}?$filter=assetId eq 'a${i}'`);
    const lint = (...requests: string[]) => {
      checked.length = 0;
      linter.lintDocument({ fileName: 'p.http', text: http(...requests) });
      return checked.map((t) => t.replace(/^###\s*/, ''));
    };
    assert.equal(lint(...blocks).length, 20);
    assert.deepEqual(lint('GET /new', ...blocks), ['GET /new'], 'a block added at the top');
    assert.deepEqual(lint('GET /new', ...blocks.slice(0, 5), ...blocks.slice(6)), [], 'a block removed in the middle');
    assert.deepEqual(lint('GET /new', ...blocks.slice(0, 5), 'GET /changed', ...blocks.slice(7)), ['GET /changed'], 'a block edited');
  });

  test('after any sequence of edits (blocks changed, added, removed, moved, repeated), a reused linter finds what a fresh one finds', () => {
    const pool = [
      BAD.trim(),
      `GET ${TS}?$filter=assetId eq 'a1' and timestamp ge '2024-01-01T00:00:00' and timestamp le '2024-01-02T00:00:00'`,
      `GET ${TS}?$filter=assetId eq 'a2'`,
      'GET {{host}}/api/assetmanagement/v3/assets?size=5000',
      '# only a comment',
      'GET https://example.com/unrelated',
    ];
    const versions = fc.array(fc.array(fc.integer({ min: 0, max: pool.length - 1 }), { maxLength: 8 }), { minLength: 2, maxLength: 6 });
    fc.assert(fc.property(versions, (docs) => {
      const linter = new Linter();
      for (const doc of docs) {
        const text = http(...doc.map((k) => pool[k] as string));
        assert.deepEqual(linter.lintDocument({ fileName: 'p.http', text }), new Linter().lintDocument({ fileName: 'p.http', text }));
      }
    }), { numRuns: 200 });
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

  test('a quoted word is shortened from 121 characters on, not at 120', () => {
    const message = (value: string) =>
      lintDocument({ fileName: 'p.http', text: `GET /api/iottimeseries/v3/timeseries/a/b?from=${value}&to=2024-01-02T00:00:00Z\n` })[0]?.message ?? '';
    const word = (length: number) => `'from=${'x'.repeat(length - "'from='".length)}'`;
    assert.ok(message('x'.repeat(113)).startsWith(`${word(120)} is not`), 'a word of 120 characters is quoted whole');
    assert.match(message('x'.repeat(114)), /^'from=x{74}…x{29}' is not/);
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
