// The linter's public data: what a finding is, how fixes are expressed, and the options. Plain data only, so the CLI can
// print it and the extension can turn it into diagnostics, code actions and hovers without translation.
import type { TenantSchema } from './tenant-schema';

export const RULE_IDS = [
  'mdsp/query-syntax',
  'mdsp/filter-attribute',
  'mdsp/filter-operator',
  'mdsp/orderby-timeseries',
  'mdsp/datetime-format',
  'mdsp/enum-value',
  'mdsp/page-limit',
  'mdsp/read-only',
  'mdsp/aggregate-interval',
  'mdsp/asset-filter-json',
  'mdsp/time-range',
  'mdsp/contract-schema',
  'mdsp/contract-name-length',
  'mdsp/contract-app-prefix',
  'mdsp/contract-split-hierarchy',
  'mdsp/secret-in-file',
  'mdsp/unknown-name',
] as const;

export type RuleId = (typeof RULE_IDS)[number];

/** `error`: MindSphere rejects it. `warning`: it silently misbehaves (truncation, wrong counts). `information`: advice. */
export type Severity = 'error' | 'warning' | 'information';

/** The per-rule setting (`mdsp.lint.rules` in the extension): turn a rule off or change its severity. */
export type RuleSetting = 'off' | Severity;

/** A range in a document: 0-based offsets (end exclusive) and the same range as 1-based lines and columns. */
export interface FindingRange {
  readonly start: number;
  readonly end: number;
  readonly line: number;
  readonly column: number;
  readonly endLine: number;
  readonly endColumn: number;
}

export interface TextEdit {
  readonly range: FindingRange;
  readonly newText: string;
}

export interface Fix {
  readonly title: string;
  /** Safe to apply without looking (`--fix` and "Fix All" apply only these). */
  readonly isPreferred: boolean;
  readonly edits: readonly TextEdit[];
}

export interface RelatedLocation {
  readonly fileName: string;
  readonly range: FindingRange;
  readonly message: string;
}

export interface Finding {
  readonly ruleId: RuleId;
  readonly severity: Severity;
  readonly message: string;
  readonly fileName: string;
  readonly range: FindingRange;
  readonly related?: readonly RelatedLocation[];
  readonly fixes: readonly Fix[];
}

export interface LintDocumentInput {
  readonly fileName: string;
  readonly text: string;
}

export interface LintOptions {
  /** The tenant's asset and aspect types (see tenant-schema.ts); enables `mdsp/unknown-name`. */
  readonly schema?: TenantSchema;
  /** Rule id → off | information | warning | error. Rules not listed keep their default severity. */
  readonly rules?: Readonly<Partial<Record<string, RuleSetting>>>;
}
