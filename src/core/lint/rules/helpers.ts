// Knowledge several rules share: which attributes and operators Data Hub allows per entity kind (from limits.ts), how
// Data Hub writes times, and how to read a time out of a filter literal.
import { DATA_HUB_FILTERS, type DataHubEntityKind } from '../../limits';
import type { FilterNode, LiteralNode } from '../../odata';
import { parseIsoTime } from '../../time';

export const ENTITY_LABEL: Readonly<Record<DataHubEntityKind, string>> = {
  asset: 'Asset', timeSeries: 'Time Series', aggregate: 'Time Series Aggregate',
};

/** Attribute → the operators Data Hub allows on it (lower case, as OData writes them), for one entity kind. */
export function filterRules(kind: DataHubEntityKind): ReadonlyMap<string, readonly string[]> {
  return FILTER_RULES[kind];
}

const FILTER_RULES: Readonly<Record<DataHubEntityKind, ReadonlyMap<string, readonly string[]>>> = (() => {
  const out = { asset: new Map<string, string[]>(), timeSeries: new Map<string, string[]>(), aggregate: new Map<string, string[]>() };
  for (const rule of DATA_HUB_FILTERS.value) {
    for (const a of rule.attributes) out[rule.entity].set(a, rule.operators.map((o) => o.toLowerCase()));
  }
  return out;
})();

/** `'a', 'b' and 'c'` (or `… or 'c'`). */
export function listing(items: readonly string[], quote = "'", conjunction: 'and' | 'or' = 'and'): string {
  const q = items.map((i) => `${quote}${i}${quote}`);
  return q.length <= 1 ? (q[0] ?? '') : `${q.slice(0, -1).join(', ')} ${conjunction} ${q[q.length - 1]}`;
}

/** Data Hub's time form (seed §8.3: strings written YYYY-MM-DDTHH:mm:ss). */
export const DATA_HUB_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}$/;

const DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** Two decimal digits at `i`, or -1. */
function twoDigits(t: string, i: number): number {
  const a = t.charCodeAt(i) - 48;
  const b = t.charCodeAt(i + 1) - 48;
  return a >= 0 && a <= 9 && b >= 0 && b <= 9 ? a * 10 + b : -1;
}

/** Epoch ms of `YYYY-MM-DDTHH:mm:ss` (a valid calendar time, UTC), else undefined. Runs for every Data Hub time literal. */
export function dataHubTimeMs(t: string): number | undefined {
  if (t.length !== 19 || t[4] !== '-' || t[7] !== '-' || t[10] !== 'T' || t[13] !== ':' || t[16] !== ':') return undefined;
  const century = twoDigits(t, 0);
  const yy = twoDigits(t, 2);
  const month = twoDigits(t, 5);
  const day = twoDigits(t, 8);
  const hour = twoDigits(t, 11);
  const minute = twoDigits(t, 14);
  const second = twoDigits(t, 17);
  if (century < 0 || yy < 0 || month < 1 || month > 12 || day < 1 || hour < 0 || hour > 23 || minute < 0 || minute > 59 ||
    second < 0 || second > 59) return undefined;
  const year = century * 100 + yy;
  const leap = month === 2 && year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  if (day > (DAYS[month - 1] ?? 0) + (leap ? 1 : 0)) return undefined;
  return Date.UTC(year, month - 1, day, hour, minute, second);
}

export function formatDataHubTime(ms: number): string {
  return new Date(ms).toISOString().slice(0, 19);
}

export interface LiteralTime {
  readonly ms: number;
  /** True when the Data Hub form keeps the instant exactly (no sub-second part is dropped). */
  readonly lossless: boolean;
  /** True when the literal is already a string in Data Hub's form. */
  readonly canonical: boolean;
}

/** The instant a filter literal denotes (`'2024-01-01T00:00:00'`, `2024-01-01T00:00:00Z`, `datetime'…'`), if any. */
export function literalTime(node: FilterNode | undefined): LiteralTime | undefined {
  if (node?.type !== 'literal') return undefined;
  if (node.kind === 'string') {
    // The common case, a time already in Data Hub's form, read without a regular expression or a Date.
    const ms = dataHubTimeMs(String(node.value));
    if (ms !== undefined) return { ms, lossless: true, canonical: true };
  }
  const text = timeText(node);
  const ms = text === undefined ? undefined : parseIsoTime(text);
  if (ms === undefined || text === undefined) return undefined;
  return { ms, lossless: ms % 1000 === 0, canonical: node.kind === 'string' && DATA_HUB_TIME.test(text) };
}

/** The time text inside a literal, or undefined when the literal cannot be a time. */
export function timeText(node: LiteralNode): string | undefined {
  switch (node.kind) {
    case 'string': return String(node.value);
    case 'dateTimeOffset':
    case 'date': return node.raw;
    case 'typed': {
      const type = node.typeName?.toLowerCase();
      return type === 'datetime' || type === 'datetimeoffset' ? node.raw.slice(node.raw.indexOf("'") + 1, -1) : undefined;
    }
    default: return undefined;
  }
}

/** Clamps a positive integer parameter to a maximum: the value and its fix, or undefined when within it or not a number. */
export function overMax(text: string, max: number): number | undefined {
  const t = text.trim();
  if (!/^\d+$/.test(t)) return undefined;
  const n = Number(t);
  return n > max ? n : undefined;
}
