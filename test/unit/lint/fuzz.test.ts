// Robustness: random and mutated queries, contracts and files never make the parsers or the linter throw, every range
// stays inside the text, fixes apply cleanly, and each run takes bounded time. Sizes are small on purpose (2 cores).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import fc from 'fast-check';
import { parseJson } from '../../../src/core/contract';
import { applyFixes, type Finding, Linter, RULE_CRASH } from '../../../src/core/lint';
import { type FilterNode, parseFilter, parseOrderBy, walkFilter } from '../../../src/core/odata';
import { SCHEMA } from './helpers';

const RUNS = 300;
/**
 * Far above what one small input takes (well under a millisecond): only a runaway loop would get near it. CPU time, not
 * wall time, so a loaded machine that leaves the test waiting for a core does not fail it.
 */
const MAX_CPU_MS_PER_RUN = 1000;

const FILTERS = [
  "assetId eq '4a7d' and timestamp gt '2024-03-01T00:00:00' and timestamp le '2024-03-02T00:00:00'",
  "contains(name,'Pump') or not (typeId eq 'makers01.Pump')",
  "intervalUnit eq 'days' and intervalValue eq 1 and timestamp ge 2024-03-01T00:00:00Z",
  "Tags/any(t: t/name eq 'x') and (a add 2 mul 3) gt -5 and b in ('a', 'b') and c eq {{var}}",
];
const SAMPLES = [
  readFileSync('examples/queries/datahub.http', 'utf8'),
  readFileSync('examples/queries/rest.http', 'utf8'),
];
const CONTRACT = readFileSync('examples/contracts/pumps.contract.json', 'utf8');
const CODE = readFileSync('examples/src/pumps.ts', 'utf8');
const TOKENS = ["'", '"', '(', ')', ',', '/', ':', ' eq ', ' and ', ' or ', 'not ', '{{', '}}', '${', '}', '%', '%2B', '+', '&',
  '?', '=', '$filter=', '$orderby=', '$top=', '\n', '###', '\\', '[', ']', '{', '"name":', 'timestamp', '2024-03-01T00:00:00'];

/** Text with up to `n` random edits: deletions, insertions of tokens or random characters, and duplicated slices. */
const mutated = (base: fc.Arbitrary<string>, n = 6) => fc.tuple(base, fc.array(fc.tuple(fc.nat(), fc.nat({ max: 8 }),
  fc.oneof(fc.constantFrom(...TOKENS), fc.string({ maxLength: 4 }))), { maxLength: n })).map(([text, edits]) => {
  let out = text;
  for (const [at, del, insert] of edits) {
    const i = out.length ? at % (out.length + 1) : 0;
    out = out.slice(0, i) + insert + out.slice(i + del);
  }
  return out;
});

function checkRanges(length: number, nodes: ReadonlyArray<{ start: number; end: number }>): void {
  for (const n of nodes) assert.ok(n.start >= 0 && n.start <= n.end && n.end <= length, `range ${n.start}-${n.end} outside 0-${length}`);
}

function checkFindings(text: string, findings: readonly Finding[]): void {
  for (const f of findings) {
    assert.ok(!f.message.includes(RULE_CRASH), f.message);
    checkRanges(text.length, [f.range, ...f.fixes.flatMap((x) => x.edits.map((e) => e.range))]);
    assert.ok(f.range.line >= 1 && f.range.column >= 1);
  }
}

function timed<T>(run: () => T): T {
  const start = process.cpuUsage();
  const result = run();
  const used = process.cpuUsage(start);
  const ms = (used.user + used.system) / 1000;
  assert.ok(ms < MAX_CPU_MS_PER_RUN, `took ${ms.toFixed(0)} ms of CPU`);
  return result;
}

test('the OData parser accepts any text: trees and errors stay inside it', () => {
  fc.assert(fc.property(fc.oneof(fc.string({ maxLength: 80 }), mutated(fc.constantFrom(...FILTERS))), (text) => {
    const filter = timed(() => parseFilter(text));
    const nodes: FilterNode[] = [];
    walkFilter(filter.ast, (n) => nodes.push(n));
    checkRanges(text.length, [...nodes, ...filter.errors]);
    const orderBy = parseOrderBy(text);
    checkRanges(text.length, [...orderBy.items, ...orderBy.errors]);
  }), { numRuns: RUNS });
});

test('the JSON parser accepts any text', () => {
  fc.assert(fc.property(fc.oneof(fc.string({ maxLength: 60 }), mutated(fc.constant(CONTRACT.slice(0, 400)))), (text) => {
    const r = timed(() => parseJson(text));
    checkRanges(text.length, r.errors);
  }), { numRuns: RUNS });
});

test('the linter never throws on mutated .http files, contracts, code and config, and its fixes apply', () => {
  const files = fc.oneof(
    mutated(fc.constantFrom(...SAMPLES.map((s) => s.slice(0, 900)))).map((text) => ({ fileName: 'q.http', text })),
    mutated(fc.constant(CONTRACT.slice(0, 700)), 4).map((text) => ({ fileName: 'x.contract.json', text })),
    mutated(fc.constant(CODE.slice(0, 700))).map((text) => ({ fileName: 'x.ts', text })),
    mutated(fc.constant('MDSP_CLIENT_SECRET=abcdefgh12345678\nmanifest: x\n')).map((text) => ({ fileName: 'manifest.yml', text })),
    fc.string({ maxLength: 200 }).map((text) => ({ fileName: 'r.http', text })),
  );
  fc.assert(fc.property(files, fc.boolean(), (file, withSchema) => {
    const linter = new Linter();
    const options = withSchema ? { schema: SCHEMA } : {};
    const findings = timed(() => linter.lintWorkspace([file], options));
    checkFindings(file.text, findings);
    const fixed = applyFixes(file.text, findings.flatMap((f) => f.fixes));
    checkFindings(fixed.text, timed(() => linter.lintDocument({ fileName: file.fileName, text: fixed.text }, options)));
  }), { numRuns: RUNS });
});
