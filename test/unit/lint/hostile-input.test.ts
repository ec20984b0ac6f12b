// Input a fuzzer does not find, but generated files and pasted blobs contain: long runs, flat chains thousands long,
// deep nesting and minified one-line bundles. The linter checks them (or says where it stopped), and never crashes.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { type Finding, Linter, RULE_CRASH } from '../../../src/core/lint';
import { collectComparisons, collectMembers, parseFilter, walkFilter } from '../../../src/core/odata';
import { exitCode } from '../../../src/cli/commands/lint';
import { http, lint } from './helpers';

const TS = '{{dataHub}}/TS_PumpHydraulics_Hydraulics_Pump';
const BOUNDED = "timestamp gt '2024-01-01T00:00:00' and timestamp le '2024-01-02T00:00:00'";
const noCrash = (findings: readonly Finding[]) => assert.deepEqual(findings.filter((f) => f.message.includes(RULE_CRASH)), []);

describe('hostile input', () => {
  test('a run of 130,000 invalid percent-escapes is decoded, and the other blocks are still checked', () => {
    const blob = '%FF'.repeat(130_000);
    const text = http(`GET {{host}}/api/iottimeseries/v3/timeseries/{{assetId}}/Flow?from=${blob}&to=2024-01-01T00:00:00Z`,
      `GET ${TS}?$filter=${BOUNDED}&$top=5000`);
    const findings = lint('ff.http', text);
    noCrash(findings);
    assert.deepEqual(findings.map((f) => [f.range.line, f.ruleId]), [[2, 'mdsp/datetime-format'], [5, 'mdsp/page-limit']]);
    const code = lint('ff.ts', `const u = "/api/iottimeseries/v3/timeseries/x/y?from=${blob}&to=2024-01-01T00:00:00Z";`);
    assert.deepEqual(code.map((f) => f.ruleId), ['mdsp/datetime-format']);
  });

  test('a rule that throws becomes an information finding, and `lint` exits 2 for it (the rule checked nothing)', () => {
    const broken = new Linter([{ meta: { id: 'mdsp/page-limit', severity: 'warning', description: 'x' },
      request() { throw new Error('boom'); } }]);
    const findings = broken.lintDocument({ fileName: 'a.http', text: http(`GET ${TS}?$filter=${BOUNDED}`) });
    assert.equal(findings.length, 1);
    assert.equal(findings[0]?.severity, 'information');
    assert.equal(exitCode(findings), 2);
    assert.equal(exitCode(lint('a.http', http(`GET ${TS}?$filter=${BOUNDED}&$top=5000`))), 0);
    assert.equal(exitCode(lint('a.http', http(`POST ${TS}`))), 1);
  });

  test('flat and/or chains of thousands of comparisons are walked without recursion', () => {
    const and = Array.from({ length: 10_000 }, (_, i) => `name eq 'p${i}'`).join(' and ');
    const or = parseFilter(Array.from({ length: 10_000 }, () => "assetId eq 'a'").join(' or ')).ast;
    assert.equal(collectComparisons(parseFilter(and).ast).length, 10_000);
    assert.equal(collectMembers(or).length, 10_000);
    let nodes = 0;
    walkFilter(or, () => nodes++);
    assert.equal(nodes, 10_000 * 3 + 9_999);
    // Order and negation are kept: source order, and `not` marks what it covers.
    const mixed = collectComparisons(parseFilter("a eq 1 and not (b eq 2 or c/any(x: x eq 3)) and startswith(d,'x')").ast);
    assert.deepEqual(mixed.map((c) => [c.attribute, c.operator, c.negatedBy !== undefined]),
      [['a', 'eq', false], ['b', 'eq', true], ['d', 'startswith', false]]);
    // Through the linter: every comparison of a long generated filter is checked (no rule crashes and exits 0).
    const text = http(`GET ${TS}?$filter=${Array.from({ length: 4_000 }, () => "timestamp ge '2024-01-01T00:00:00'").join(' and ')}`);
    const findings = lint('long.http', text);
    noCrash(findings);
    assert.equal(findings.filter((f) => f.ruleId === 'mdsp/filter-operator').length, 4_000);
  });

  test("nesting through 'not', '-', lambdas and 'in' lists is bounded like parentheses", () => {
    const cases: Array<[string, string]> = [
      ['not '.repeat(5_000) + "assetId eq 'a'", 'Negations are nested more than 100 deep.'],
      ['-'.repeat(5_000) + '1 eq a', 'Negations are nested more than 100 deep.'],
      ['a/any(x: '.repeat(2_000) + 'x eq 1' + ')'.repeat(2_000), 'Lambdas are nested more than 100 deep.'],
      ['a in ('.repeat(2_000) + '1' + ')'.repeat(2_000), 'Parentheses are nested more than 100 deep.'],
    ];
    for (const [filter, message] of cases) {
      const r = parseFilter(filter);
      assert.deepEqual(r.errors.map((e) => e.message), [message], filter.slice(0, 20));
      collectComparisons(r.ast);
    }
    // Within the bound nothing changes.
    assert.deepEqual(parseFilter('not '.repeat(99) + "assetId eq 'a'").errors, []);
    const findings = lint('n.http', http(`GET ${TS}?$filter=${'not '.repeat(5_000)}${BOUNDED}`));
    noCrash(findings);
    assert.ok(findings.some((f) => f.ruleId === 'mdsp/query-syntax' && /nested more than 100 deep/.test(f.message)));
  });

  test('on a minified one-line bundle the method is read from the call just before each URL', () => {
    const url = (n: number) => `"https://dh/odata/mdsp_t/v1/TS_Flow_Flow_Pump?$filter=timestamp le '2024-01-0${n}T00:00:00'"`;
    const filler = 'var a=function(b,c){return b+c};'.repeat(5);
    const line = [1, 2, 3, 4].map((n) => `${filler}e.${n % 2 ? 'get' : 'post'}(${url(n)});`).join('');
    const findings = lint('vendor.min.js', line);
    assert.deepEqual(findings.filter((f) => f.ruleId === 'mdsp/read-only').length, 2);
    // Only the last 200 characters before a literal are read for its call: a bundle is one line of megabytes, and
    // reading back to its start for every literal was quadratic.
    assert.deepEqual(lint('far.js', `e.post(${' '.repeat(250)}${url(1)});`).filter((f) => f.ruleId === 'mdsp/read-only'), []);
    assert.equal(lint('near.js', `e.post(${' '.repeat(150)}${url(1)});`).filter((f) => f.ruleId === 'mdsp/read-only').length, 1);
  });
});
