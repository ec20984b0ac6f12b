// What a rule is, and what it is given: a request (with its filter and orderby parsed once, lazily, and shared by all
// rules), a contract, or the raw text of a file. Rules report with offsets relative to the text they were given; the
// linter turns those into document ranges.
import type { ParsedContract } from '../contract/parse';
import { type JsonParseResult, parseJson } from '../contract/json';
import {
  type Comparison, collectComparisons, type FilterParseResult, type OrderByParseResult, parseFilter, parseOrderBy, placeholderEnd,
} from '../odata';
import { parseIsoTime } from '../time';
import type { ParsedRequest, RequestParam } from './requests';
import type { Mapped } from './text';
import type { TenantSchema } from './tenant-schema';
import type { RuleId, Severity } from './types';

export interface RawEdit {
  readonly start: number;
  readonly end: number;
  readonly newText: string;
}

export interface RawFix {
  readonly title: string;
  readonly isPreferred: boolean;
  readonly edits: readonly RawEdit[];
}

export interface RawRelated {
  readonly fileName: string;
  readonly start: number;
  readonly end: number;
  readonly message: string;
}

export interface Report {
  readonly start: number;
  readonly end: number;
  readonly message: string;
  /** Defaults to the rule's severity. */
  readonly severity?: Severity;
  readonly fixes?: readonly RawFix[];
  readonly related?: readonly RawRelated[];
}

export interface RawFinding extends Report {
  readonly ruleId: RuleId;
  readonly severity: Severity;
}

export type Reporter = (report: Report) => void;

export interface RuleMeta {
  readonly id: RuleId;
  /** The severity of most of its findings (for SARIF and the docs). */
  readonly severity: Severity;
  /** One line: what the rule catches. */
  readonly description: string;
}

export interface ParsedParam<T> {
  readonly param: RequestParam;
  readonly result: T;
}

/** A request plus its parsed parts, computed once and shared by every rule. */
export class RequestContext {
  private filterCache?: (ParsedParam<FilterParseResult> & { comparisons: Comparison[] }) | null;
  private orderByCache?: ParsedParam<OrderByParseResult> | null;
  private assetFilterCache?: ParsedParam<JsonParseResult> | null;

  constructor(
    readonly request: ParsedRequest,
    readonly schema: TenantSchema | undefined,
    /** The text the request was found in (an .http block, or a whole source file): offsets index into it. */
    readonly source: string,
    /** Whether the source is an .http block (fixes may add requests) or a source file. */
    readonly sourceKind: 'http' | 'code',
  ) {}

  /** The last parameter of that name (servers read the last one), case-sensitive as MindSphere is. */
  param(name: string): RequestParam | undefined {
    const params = this.request.params;
    for (let i = params.length - 1; i >= 0; i--) if (params[i]?.name === name) return params[i];
    return undefined;
  }

  private times?: Map<string, number | undefined>;

  /** The instant of a time parameter (`from`, `to`), undefined when absent or not an ISO 8601 time. */
  time(name: string): number | undefined {
    this.times ??= new Map();
    if (!this.times.has(name)) {
      const text = this.param(name)?.value.text.trim();
      this.times.set(name, text ? parseIsoTime(text) : undefined);
    }
    return this.times.get(name);
  }

  /** The parsed `$filter` of a Data Hub OData request. */
  get filter(): (ParsedParam<FilterParseResult> & { comparisons: Comparison[] }) | undefined {
    if (this.filterCache === undefined) {
      const param = this.request.kind === 'odata' ? this.param('$filter') : undefined;
      const result = param ? parseFilter(param.value.text) : undefined;
      this.filterCache = param && result ? { param, result, comparisons: collectComparisons(result.ast) } : null;
    }
    return this.filterCache ?? undefined;
  }

  get orderBy(): ParsedParam<OrderByParseResult> | undefined {
    if (this.orderByCache === undefined) {
      const param = this.request.kind === 'odata' ? this.param('$orderby') : undefined;
      this.orderByCache = param ? { param, result: parseOrderBy(param.value.text) } : null;
    }
    return this.orderByCache ?? undefined;
  }

  /** The Asset Management `filter` JSON, when the value is JSON (not the legacy `name eq x` form or a placeholder). */
  get assetFilter(): ParsedParam<JsonParseResult> | undefined {
    if (this.assetFilterCache === undefined) {
      const param = this.request.kind === 'asset' ? this.param('filter') : undefined;
      const text = param?.value.text.trim() ?? '';
      this.assetFilterCache = param && /^[{[]/.test(text) && !isOnlyPlaceholder(text)
        ? { param, result: parseJson(param.value.text) } : null;
    }
    return this.assetFilterCache ?? undefined;
  }

  /** Source range of a decoded range of a parameter value. */
  at(value: Mapped, start: number, end: number): { start: number; end: number } {
    return { start: value.source(start), end: value.source(end) };
  }

  /** An edit replacing a decoded range of a value, written back in the value's encoding. */
  edit(value: Mapped, start: number, end: number, newText: string): RawEdit {
    return { start: value.source(start), end: value.source(end), newText: value.encode(newText) };
  }
}

export interface ContractContext {
  readonly fileName: string;
  readonly text: string;
  readonly parsed: ParsedContract;
  readonly schema: TenantSchema | undefined;
}

export interface ContractFile {
  readonly fileName: string;
  readonly parsed: ParsedContract;
}

export interface Rule {
  readonly meta: RuleMeta;
  /** Checks one MindSphere request of an .http block or a source file. */
  request?(context: RequestContext, report: Reporter): void;
  /** Checks one contract file. */
  contract?(context: ContractContext, report: Reporter): void;
  /** Checks the raw text of a file (or of one .http block), given the file name to tell formats apart. */
  text?(fileName: string, text: string, report: Reporter): void;
  /** Checks all contracts of a workspace together. */
  workspace?(contracts: readonly ContractFile[], schema: TenantSchema | undefined,
    report: (fileName: string, report: Report) => void): void;
}

/**
 * True when a value stands for something the linter cannot know: `{{var}}`, `${expr}`, `%s`, and any `{…}` without
 * quotes: Python f-strings and str.format (`{start.isoformat()}`, `{}`, `{t:%Y}`), C# interpolation and String.Format
 * (`{from:O}`, `{2}`), OpenAPI path templates (`{assetId}`). JSON (`{"name": …}`) has quotes, so it is still read.
 */
export function hasPlaceholder(text: string): boolean {
  return /\{\{|\$\{|\{[^{}"'\n]*\}|%[sd]/.test(text);
}

/** True when the whole value is one placeholder (`{{filter}}`, `${JSON.stringify({ … })}`). */
export function isOnlyPlaceholder(text: string): boolean {
  const t = text.trim();
  const brace = t.startsWith('{{') ? 0 : t.startsWith('${') ? 1 : -1;
  return brace >= 0 && placeholderEnd(t, brace) === t.length;
}
