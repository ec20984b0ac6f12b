// Every rule has a page in docs/rules/, and its examples tell the truth: the "Bad" .http and YAML examples trigger the
// rule, the "Good" ones do not.
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { test } from 'node:test';
import { readTenantSchema, RULES, ruleDocPath } from '../../../src/core/lint';
import { lint } from './helpers';

const schema = readTenantSchema(JSON.parse(readFileSync('examples/tenant-schema.json', 'utf8'))).schema;

/** The fenced code blocks of a section (`## Bad` / `## Good`) with their language. */
function examples(page: string, section: string): Array<{ lang: string; code: string }> {
  const start = page.indexOf(`## ${section}`);
  if (start < 0) return [];
  const next = page.indexOf('\n## ', start + 1);
  const body = page.slice(start, next < 0 ? undefined : next);
  return [...body.matchAll(/```(\w+)\n([\s\S]*?)```/g)].map((m) => ({ lang: m[1] ?? '', code: m[2] ?? '' }));
}

/** Request lines listed one after another in a doc are separate requests. */
const asHttpFile = (code: string) => (code.includes('###') ? code : code.replace(/^(?=(GET|POST|PUT|PATCH|DELETE|MERGE) )/gm, '###\n'));

for (const rule of RULES) {
  test(`${rule.meta.id}: documented in ${ruleDocPath(rule.meta.id)} with examples that hold`, () => {
    assert.ok(existsSync(ruleDocPath(rule.meta.id)), `missing ${ruleDocPath(rule.meta.id)}`);
    const page = readFileSync(ruleDocPath(rule.meta.id), 'utf8');
    assert.match(page, new RegExp(`^# ${rule.meta.id}$`, 'm'));
    const bad = examples(page, 'Bad');
    const good = examples(page, 'Good');
    assert.ok(bad.length > 0 && good.length > 0, 'a Bad and a Good example');
    const check = (lang: string, code: string) => {
      if (lang === 'http') return lint('doc.http', asHttpFile(code), { schema });
      if (lang === 'yaml') return lint('manifest.yml', code, { schema });
      return undefined; // JSON snippets are parts of contracts; the contract tests cover those rules
    };
    for (const { lang, code } of bad) {
      const findings = check(lang, code);
      if (findings) assert.ok(findings.some((f) => f.ruleId === rule.meta.id), `Bad example not caught:\n${code}`);
    }
    for (const { lang, code } of good) {
      const findings = check(lang, code);
      if (findings) assert.deepEqual(findings.filter((f) => f.ruleId === rule.meta.id).map((f) => f.message), [], `Good example flagged:\n${code}`);
    }
  });
}

test('the rule index lists every rule', () => {
  const index = readFileSync('docs/rules/README.md', 'utf8');
  for (const rule of RULES) assert.ok(index.includes(`[\`${rule.meta.id}\`](${ruleDocPath(rule.meta.id).replace('docs/rules/', '')})`), rule.meta.id);
});
