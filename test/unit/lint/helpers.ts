// Shared by the linter tests: lint a text, pick one rule's findings, apply a finding's fix.
import assert from 'node:assert/strict';
import { applyFixes, type Finding, Linter, type LintOptions, readTenantSchema } from '../../../src/core/lint';

export function lint(fileName: string, text: string, options: LintOptions = {}): Finding[] {
  return new Linter().lintDocument({ fileName, text }, options);
}

/** The findings of one rule, as `[text under the finding, severity]` pairs: what a user sees squiggled. */
export function squiggles(text: string, findings: readonly Finding[], ruleId: string): Array<[string, string]> {
  return findings.filter((f) => f.ruleId === ruleId).map((f) => [text.slice(f.range.start, f.range.end), f.severity]);
}

/** The text after applying the fix (by default the preferred one) of the only finding of `ruleId`. */
export function fixOf(text: string, findings: readonly Finding[], ruleId: string, title?: RegExp): string {
  const mine = findings.filter((f) => f.ruleId === ruleId);
  assert.equal(mine.length, 1, `expected one ${ruleId} finding, got ${mine.length}: ${mine.map((f) => f.message).join(' | ')}`);
  const fix = (mine[0]?.fixes ?? []).find((f) => (title ? title.test(f.title) : f.isPreferred));
  assert.ok(fix, `no ${title ? `fix matching ${title}` : 'preferred fix'} among: ${mine[0]?.fixes.map((f) => f.title).join(' | ')}`);
  return applyFixes(text, [fix]).text;
}

/** A .http file with one request per line given, each in its own `###` block. */
export function http(...requests: string[]): string {
  return requests.map((r) => `###\n${r}\n`).join('\n');
}

/** The tenant schema used by the tests: a pump type deriving from a rotating-machine type. */
export const SCHEMA = readTenantSchema({
  assetTypes: {
    _embedded: {
      assetTypes: [
        { id: 'makers01.RotatingMachine', name: 'RotatingMachine', parentTypeId: 'core.basicasset',
          aspects: [{ name: 'Vibration', aspectType: { id: 'makers01.Vibration', name: 'Vibration', category: 'dynamic',
            variables: [{ name: 'rms', dataType: 'DOUBLE' }, { name: 'peak', dataType: 'DOUBLE' }] } }] },
        { id: 'makers01.Pump', name: 'Pump', parentTypeId: 'makers01.RotatingMachine',
          aspects: [{ name: 'Hydraulics', aspectType: { id: 'makers01.PumpHydraulics', name: 'PumpHydraulics',
            category: 'dynamic', variables: [{ name: 'flow', dataType: 'DOUBLE' }, { name: 'pressure', dataType: 'DOUBLE' }] } }] },
      ],
    },
  },
  aspectTypes: [],
}).schema;
