// mdsp/asset-filter-json: the Asset Management `filter` is a JSON language (API §1.3): fields, functions (eq, in,
// startsWith, …) and operations (and, or, not). Invalid JSON, unknown functions and the legacy `name eq x` string form are
// errors; unknown fields are ignored by MindSphere (a warning: the filter silently matches more than intended).
import type { JsonNode } from '../../contract/json';
import { ASSET_FILTER } from '../../limits';
import { parseIsoTime } from '../../time';
import { isOnlyPlaceholder, type RawFix, type Reporter, type RequestContext, type Rule } from '../rule';
import type { Mapped } from '../text';
import { didYouMean, suggest } from '../similar';
import { listing } from './helpers';
import { jsonTypeInWords } from '../../words';

const FIELDS: readonly string[] = ASSET_FILTER.value.fields;
const FUNCTIONS: readonly string[] = ASSET_FILTER.value.functions;
const OPERATIONS: readonly string[] = ASSET_FILTER.value.operations;
const LEGACY = /^([A-Za-z_][\w.]*)\s+(eq|ne|gt|ge|lt|le|like|contains|startswith|endswith)\s+(.+)$/i;
const INTERVAL = /^[[(]\s*([^,]+?)\s*,\s*([^,]+?)\s*[\])]$/;

class FilterChecker {
  constructor(
    private readonly rc: RequestContext,
    private readonly value: Mapped,
    private readonly report: Reporter,
    /** Field names are checked for /assets only: other resources (asset types, files) have fields of their own. */
    private readonly checkFields: boolean,
  ) {}

  private at(node: { start: number; end: number }) {
    return this.rc.at(this.value, node.start, node.end);
  }

  private renameFixes(keyStart: number, keyEnd: number, suggestions: readonly string[], wrong: string): RawFix[] {
    return suggestions.map((s) => ({
      title: `Change to "${s}"`,
      isPreferred: suggestions.length === 1 && s.toLowerCase() === wrong.toLowerCase(),
      edits: [this.rc.edit(this.value, keyStart, keyEnd, JSON.stringify(s))],
    }));
  }

  /** An object whose keys are fields or operations: the whole filter, or the operand of and/or/not. */
  fields(node: JsonNode | undefined): void {
    if (!node || node.type === 'placeholder') return;
    if (node.type !== 'object') {
      this.report({ ...this.at(node), message: `An Asset Management filter is a JSON object of fields, such as {"name":"Pump 1"}, not ${jsonTypeInWords(node.type)}.` });
      return;
    }
    for (const p of node.properties) {
      if (OPERATIONS.includes(p.key)) this.operation(p.key, p.value, (n) => this.fields(n));
      else if (FIELDS.includes(p.key) || !this.checkFields) this.condition(p.value);
      else if (FUNCTIONS.includes(p.key)) {
        this.report({ start: this.value.source(p.keyStart), end: this.value.source(p.keyEnd),
          message: `"${p.key}" is a function and needs a field around it, for example {"name":{"${p.key}":…}}.` });
      } else {
        const suggestions = suggest(p.key, FIELDS);
        this.report({ start: this.value.source(p.keyStart), end: this.value.source(p.keyEnd), severity: 'warning',
          message: `MindSphere cannot filter assets on "${p.key}" and silently ignores it, so the filter matches more than ` +
            `intended. Filterable fields: ${FIELDS.join(', ')}.${didYouMean(suggestions)}`,
          fixes: this.renameFixes(p.keyStart, p.keyEnd, suggestions, p.key) });
        this.condition(p.value);
      }
    }
  }

  /** `and`/`or` take an object or an array of them; `not` takes an object. */
  private operation(name: string, node: JsonNode | undefined, check: (n: JsonNode | undefined) => void): void {
    if (!node) return;
    if (name !== 'not' && node.type === 'array') node.items.forEach(check);
    else if (node.type === 'object' || node.type === 'placeholder') check(node);
    else this.report({ ...this.at(node), message: `"${name}" takes ${name === 'not' ? 'an object' : 'an object or an array of objects'}, not ${jsonTypeInWords(node.type)}.` });
  }

  /** The value of a field: a plain value (meaning eq) or an object of functions and operations. */
  private condition(node: JsonNode | undefined): void {
    if (!node) return;
    if (node.type === 'array') {
      const fixed = `{"in":{"value":${this.value.text.slice(node.start, node.end)}}}`;
      this.report({ ...this.at(node), message: 'A list of values is written {"in":{"value":[…]}}: MindSphere rejects a bare array.',
        fixes: [{ title: 'Wrap in {"in":{"value":[…]}}', isPreferred: true, edits: [this.rc.edit(this.value, node.start, node.end, fixed)] }] });
      return;
    }
    if (node.type !== 'object') return;
    for (const p of node.properties) {
      if (OPERATIONS.includes(p.key)) {
        this.operation(p.key, p.value, (n) => this.condition(n));
      } else if (FUNCTIONS.includes(p.key)) {
        this.functionValue(p.key, p.value);
      } else {
        const suggestions = suggest(p.key, FUNCTIONS);
        this.report({ start: this.value.source(p.keyStart), end: this.value.source(p.keyEnd),
          message: `"${p.key}" is not an Asset Management filter function, so MindSphere rejects the filter. Use ` +
            `${listing(FUNCTIONS, '"', 'or')}.${didYouMean(suggestions)}`,
          fixes: this.renameFixes(p.keyStart, p.keyEnd, suggestions, p.key) });
      }
    }
  }

  private functionValue(name: string, node: JsonNode | undefined): void {
    if (!node || node.type === 'placeholder') return;
    if (name === 'in') {
      const list = node.type === 'object' ? node.properties.find((p) => p.key === 'value')?.value : undefined;
      if (list?.type === 'array' || list?.type === 'placeholder') return;
      const fixes: RawFix[] = node.type === 'array' ? [{ title: 'Wrap in {"value":[…]}', isPreferred: true,
        edits: [this.rc.edit(this.value, node.start, node.end, `{"value":${this.value.text.slice(node.start, node.end)}}`)] }] : [];
      this.report({ ...this.at(node), message: '"in" takes {"value":[…]}, for example {"name":{"in":{"value":["Pump 1","Pump 2"]}}}.', fixes });
    } else if (name === 'before' || name === 'after') {
      if (node.type !== 'string' || parseIsoTime(node.value) === undefined) {
        this.report({ ...this.at(node), message: `"${name}" takes an ISO 8601 time such as "2018-01-01T00:00:00.00Z".` });
      }
    } else if (name === 'between') {
      const m = node.type === 'string' ? INTERVAL.exec(node.value.trim()) : null;
      if (!m || parseIsoTime(m[1] ?? '') === undefined || parseIsoTime(m[2] ?? '') === undefined) {
        this.report({ ...this.at(node), message: '"between" takes an interval string of two ISO 8601 times, such as ' +
          '"[2018-01-01T00:00:00.00Z, 2018-01-31T00:00:00.00Z)" ([ or ] includes the end, ( or ) excludes it).' });
      }
    } else if (node.type === 'object' || node.type === 'array') {
      this.report({ ...this.at(node), message: `"${name}" takes a single value (a string, number, boolean or null), not ${jsonTypeInWords(node.type)}.` });
    }
  }
}

export const assetFilterJson: Rule = {
  meta: {
    id: 'mdsp/asset-filter-json',
    severity: 'error',
    description: "An Asset Management filter that is not valid JSON, uses an unknown function or field, or uses the legacy 'name eq x' string form.",
  },
  request(rc, report) {
    if (rc.request.kind !== 'asset') return;
    const param = rc.param('filter');
    const value = param?.value;
    const text = value?.text.trim() ?? '';
    if (!param || !value || !text || isOnlyPlaceholder(text)) return;
    const parsed = rc.assetFilter;
    if (!parsed) {
      const legacy = LEGACY.exec(text);
      const fieldValue = legacy?.[3]?.trim().replace(/^'(.*)'$|^"(.*)"$/, '$1$2');
      const fixed = legacy && legacy[2]?.toLowerCase() === 'eq' && fieldValue !== undefined
        ? JSON.stringify({ [legacy[1] as string]: fieldValue }) : undefined;
      report({ start: value.sourceStart, end: value.sourceEnd,
        message: (legacy ? `'${text}' is the legacy string form of a filter, which is not the documented language: ` +
          'MindSphere rejects or ignores it. ' : `'${text}' is not a JSON filter, so MindSphere rejects it. `) +
          `Write JSON, for example ${fixed ?? '{"name":"Pump 1"}'}.`,
        fixes: fixed ? [{ title: `Write ${fixed}`, isPreferred: true, edits: [rc.edit(value, 0, value.text.length, fixed)] }] : [] });
      return;
    }
    const error = parsed.result.errors[0];
    if (error) {
      report({ ...rc.at(value, error.start, error.end),
        message: `The filter is not valid JSON (${error.message.replace(/\.$/, '')}), so MindSphere rejects the request with HTTP 400.` });
      return;
    }
    new FilterChecker(rc, value, report, rc.request.resource[0] === 'assets').fields(parsed.result.root);
  },
};
