// The linter and the sandbox agree about Data Hub (seed §8): a shared corpus of OData queries
// (test/fixtures/section8-corpus.json) is walked through both. Every query the linter accepts (no error finding), the
// sandbox answers; every query the sandbox refuses for a seed §8 reason, the linter flags with that section's rule.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { type Finding, lintDocument } from '../../src/core/lint';
import { type Harness, harness } from './sandbox/helpers';

interface CorpusQuery {
  readonly name: string;
  readonly method?: string;
  readonly path: string;
  readonly headers?: Readonly<Record<string, string>>;
  /** What the sandbox answers: `ok`, or the seed §8 section it refuses the query for. */
  readonly expect: string;
}

const corpus = JSON.parse(readFileSync(join(__dirname, '../fixtures/section8-corpus.json'), 'utf8')) as { queries: CorpusQuery[] };

/** The linter's rules for each seed §8 section the sandbox refuses for. */
const RULES_OF_SECTION: Readonly<Record<string, readonly string[]>> = {
  '8.1': ['mdsp/read-only'],
  '8.3': ['mdsp/datetime-format'],
  '8.4': ['mdsp/enum-value'],
  '8.5': ['mdsp/filter-attribute', 'mdsp/filter-operator'],
  '8.7': ['mdsp/orderby-timeseries'],
};

/** The path with each query value percent-encoded, as a client sends it (quotes and commas kept readable). */
function encodePath(path: string): string {
  const [resource = '', query] = path.split('?');
  const encoded = query?.split('&').map((pair) => {
    const eq = pair.indexOf('=');
    return `${pair.slice(0, eq + 1)}${encodeURIComponent(pair.slice(eq + 1)).replace(/%27/g, "'").replace(/%2C/g, ',')}`;
  }).join('&');
  return `/odata/mdsp_makers01/${encodeURI(resource)}${encoded ? `?${encoded}` : ''}`;
}

let h: Harness;
const ids: Record<string, string> = {};

before(async () => {
  h = await harness();
  const assets = (await h.get('/odata/mdsp_makers01/Assets?$select=assetId,typeId')).json.value as { assetId: string; typeId: string }[];
  for (const type of ['Pump', 'Motor']) ids[type.toLowerCase()] = assets.find((a) => a.typeId === `makers01.${type}`)!.assetId;
});
after(() => h.close());

test('the corpus covers every seed §8 section the sandbox refuses for, and queries both answer', () => {
  const expected = new Set(corpus.queries.map((q) => q.expect));
  for (const section of [...Object.keys(RULES_OF_SECTION), 'ok']) assert.ok(expected.has(section), `no corpus query expects ${section}`);
  assert.ok(corpus.queries.length >= 40);
});

for (const q of corpus.queries) {
  test(`${q.expect === 'ok' ? 'answered' : `seed ${q.expect}`}: ${q.name}`, async () => {
    const path = encodePath(q.path.replace('{pump}', ids.pump!).replace('{motor}', ids.motor!));
    const method = q.method ?? 'GET';
    const headers = Object.entries(q.headers ?? {}).map(([k, v]) => `${k}: ${v}\n`).join('');
    const findings = lintDocument({ fileName: 'corpus.http', text: `${method} https://gateway.eu1.mindsphere.io${path}\n${headers}` });
    const r = await h.call(method, path, { headers: { ...q.headers } });
    const section = /\(Data Hub limitation (8\.\d)\)/.exec(r.text)?.[1];
    const outcome = r.status === 200 ? 'ok' : section ?? `HTTP ${r.status}: ${r.text}`;
    const describe = (fs: readonly Finding[]) => fs.map((f) => `${f.ruleId} (${f.severity}): ${f.message}`).join('\n') || 'no findings';

    assert.equal(outcome, q.expect, `the sandbox answered ${outcome}; the linter said:\n${describe(findings)}`);
    const errors = findings.filter((f) => f.severity === 'error');
    if (errors.length === 0) assert.equal(r.status, 200, `the linter accepts it, so the sandbox must answer it: ${r.text}`);
    if (section) {
      assert.ok(r.status === 400 || r.status === 405, `a refusal keeps a client error status, not ${r.status}`);
      assert.ok(r.json?.errors?.[0]?.code?.startsWith('mdsp.core.generic.'), `MindSphere's error shape: ${r.text}`);
      const flagged = findings.filter((f) => RULES_OF_SECTION[section]!.includes(f.ruleId));
      assert.ok(flagged.length > 0, `the sandbox refuses it for seed §${section}, so the linter must flag it with ` +
        `${RULES_OF_SECTION[section]!.join(' or ')}; it said:\n${describe(findings)}`);
    }
  });
}
