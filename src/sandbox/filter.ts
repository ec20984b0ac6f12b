// Asset Management's JSON `filter` language (API §1.3): field functions eq, in, startsWith, endsWith, contains, before,
// after, between; operations and, or, not (over fields or over function lists); `hasType` for a type and every type
// derived from it. Fields outside the documented list are ignored, as MindSphere does. Generic over the resource, so
// asset types and aspect types filter with the same language.
import { ASSET_FILTER } from '../core/limits';
import { parseIsoTime } from '../core/time';
import { badRequest, shortJson } from './http';
import type { Asset, AssetModel, AspectType, AssetType } from './model';

export interface CompiledFilter<T> {
  readonly test: (item: T) => boolean;
  /** True when the filter names `deleted`: only then do deleted assets appear in lists. */
  readonly mentionsDeleted: boolean;
}

type FieldValue = string | null;
type ValuePredicate = (value: FieldValue) => boolean;

/** What a filter can see of one kind of resource. */
export interface FilterSubject<T> {
  readonly fields: ReadonlySet<string>;
  value(item: T, field: string): FieldValue;
  /** The `hasType` function, for resources that have a type. */
  hasType?(item: T, typeId: string): boolean;
}

const MAX_DEPTH = 32;

const invalid = (message: string) =>
  badRequest(`Invalid filter: ${message} See the filtering reference: {"name":{"startsWith":"Pump"}}, {"or":{…}}, {"hasType":"core.basicasset"}.`);

export function assetSubject(model: AssetModel): FilterSubject<Asset> {
  return { fields: new Set(ASSET_FILTER.value.fields), value: assetField, hasType: (a, typeId) => model.hasType(a.typeId, typeId) };
}

/** Asset types and aspect types filter on their scalar fields (the sandbox's choice; the reference covers assets). */
export const assetTypeSubject: FilterSubject<AssetType> = {
  fields: new Set(['id', 'name', 'description', 'parentTypeId', 'tenantId', 'scope']),
  value: (t, f) => scalar((t as unknown as Record<string, unknown>)[f]),
};
export const aspectTypeSubject: FilterSubject<AspectType> = {
  fields: new Set(['id', 'name', 'description', 'category', 'tenantId', 'scope']),
  value: (t, f) => scalar((t as unknown as Record<string, unknown>)[f]),
};

function scalar(v: unknown): FieldValue {
  return v === null || v === undefined ? null : String(v);
}

function assetField(asset: Asset, field: string): FieldValue {
  switch (field) {
    case 'assetId': return asset.assetId;
    case 'tenantId': return asset.tenantId;
    case 'name': return asset.name;
    case 'externalId': return asset.externalId;
    case 'timezone': return asset.timezone;
    case 'twinType': return asset.twinType;
    case 'deleted': return asset.deleted;
    case 'parentId': return asset.parentId;
    case 'typeId': return asset.typeId;
    default: return null; // t2tenant, subTenant, fileId: not used by the sandbox's assets
  }
}

export function compileFilter<T>(text: string, subject: FilterSubject<T>): CompiledFilter<T> {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    const legacy = /^\s*\w+\s+(eq|ne|gt|lt)\s+/i.test(text) ? ` It looks like the legacy "field eq value" syntax, which the API does not accept.` : '';
    throw invalid(`'${text.slice(0, 100)}' is not JSON.${legacy}`);
  }
  let mentionsDeleted = false;

  type Predicate = (item: T) => boolean;
  const group = (node: unknown, depth: number): Predicate => {
    if (depth > MAX_DEPTH) throw invalid(`it nests deeper than ${MAX_DEPTH} levels.`);
    if (typeof node !== 'object' || node === null || Array.isArray(node)) throw invalid(`expected an object of conditions, got ${shortJson(node, 60)}.`);
    const parts: Predicate[] = [];
    for (const [key, value] of Object.entries(node)) {
      if (key === 'and') parts.push(all(list(value, depth)));
      else if (key === 'or') parts.push(any(list(value, depth)));
      else if (key === 'not') {
        const inner = group(value, depth + 1);
        parts.push((a) => !inner(a));
      } else if (key === 'hasType' && subject.hasType) {
        const hasType = subject.hasType;
        if (typeof value !== 'string') throw invalid('hasType takes a type id string such as "core.basicasset".');
        parts.push((a) => hasType(a, value));
      } else if (subject.fields.has(key)) {
        if (key === 'deleted') mentionsDeleted = true;
        const test = condition(value, key, depth + 1);
        parts.push((a) => test(subject.value(a, key)));
      } // other fields are ignored (API §1.3: "All other field names are ignored")
    }
    return all(parts);
  };

  /** `and`/`or` operands: an array of groups, or one object whose sibling keys are the operands. */
  const list = (value: unknown, depth: number): Predicate[] => {
    if (Array.isArray(value)) return value.map((v) => group(v, depth + 1));
    if (typeof value === 'object' && value !== null) return Object.entries(value).map(([k, v]) => group({ [k]: v }, depth + 1));
    throw invalid('and/or take an object or an array of conditions.');
  };

  const condition = (value: unknown, field: string, depth: number): ValuePredicate => {
    if (depth > MAX_DEPTH) throw invalid(`it nests deeper than ${MAX_DEPTH} levels.`);
    if (value === null || typeof value !== 'object') return eq(value, field);
    if (Array.isArray(value)) throw invalid(`${field} takes a value or an object of functions, not an array.`);
    const tests: ValuePredicate[] = [];
    for (const [fn, arg] of Object.entries(value)) tests.push(fieldFunction(fn, arg, field, depth));
    return (v) => tests.every((t) => t(v));
  };

  const fieldFunction = (fn: string, arg: unknown, field: string, depth: number): ValuePredicate => {
    switch (fn) {
      case 'eq':
        return eq(arg, field);
      case 'in': {
        const values = Array.isArray(arg) ? arg : (arg as { value?: unknown } | null)?.value;
        if (!Array.isArray(values)) throw invalid(`${field}.in takes {"value":[…]}.`);
        const set = new Set(values.map((v) => (v === null ? null : String(v))));
        return (v) => set.has(v);
      }
      case 'startsWith':
      case 'endsWith':
      case 'contains': {
        const s = stringArg(arg, field, fn);
        return (v) => v !== null && (fn === 'startsWith' ? v.startsWith(s) : fn === 'endsWith' ? v.endsWith(s) : v.includes(s));
      }
      case 'before':
      case 'after': {
        const t = time(arg, field, fn);
        return (v) => {
          const x = v === null ? undefined : parseIsoTime(v);
          return x !== undefined && (fn === 'before' ? x < t : x > t);
        };
      }
      case 'between':
        return between(arg, field);
      case 'not': {
        const inner = condition(arg, field, depth + 1);
        return (v) => !inner(v);
      }
      case 'or':
      case 'and': {
        const items = Array.isArray(arg) ? arg : typeof arg === 'object' && arg !== null ? Object.entries(arg).map(([k, v]) => ({ [k]: v })) : undefined;
        if (!items) throw invalid(`${field}.${fn} takes an array of conditions.`);
        const tests = items.map((item) => condition(item, field, depth + 1));
        return fn === 'or' ? (v) => tests.some((t) => t(v)) : (v) => tests.every((t) => t(v));
      }
      default:
        throw invalid(`'${fn}' is not a filter function; use one of ${ASSET_FILTER.value.functions.join(', ')}.`);
    }
  };

  const test = group(json, 0);
  return { test, mentionsDeleted };
}

function eq(arg: unknown, field: string): ValuePredicate {
  if (arg !== null && typeof arg === 'object') throw invalid(`${field}.eq takes a value.`);
  const s = arg === null ? null : String(arg);
  return (v) => v === s;
}

function stringArg(arg: unknown, field: string, fn: string): string {
  if (typeof arg !== 'string') throw invalid(`${field}.${fn} takes a string.`);
  return arg;
}

function time(arg: unknown, field: string, fn: string): number {
  const t = typeof arg === 'string' ? parseIsoTime(arg) : undefined;
  if (t === undefined) throw invalid(`${field}.${fn} takes a time such as "2018-01-01T00:00:00.00Z".`);
  return t;
}

/** `"[2018-01-01T00:00:00.00Z, 2018-01-31T00:00:00.00Z)"`: square brackets include the end, round ones exclude it. */
function between(arg: unknown, field: string): ValuePredicate {
  const m = typeof arg === 'string' ? /^\s*([[(])\s*([^,]+?)\s*,\s*([^,]+?)\s*([\])])\s*$/.exec(arg) : null;
  const from = m ? parseIsoTime(m[2]!) : undefined;
  const to = m ? parseIsoTime(m[3]!) : undefined;
  if (!m || from === undefined || to === undefined) {
    throw invalid(`${field}.between takes an interval such as "[2018-01-01T00:00:00.00Z, 2018-01-31T00:00:00.00Z)".`);
  }
  const fromIncl = m[1] === '[';
  const toIncl = m[4] === ']';
  return (v) => {
    const x = v === null ? undefined : parseIsoTime(v);
    return x !== undefined && (fromIncl ? x >= from : x > from) && (toIncl ? x <= to : x < to);
  };
}

const all = <T>(parts: ((item: T) => boolean)[]) => (item: T) => parts.every((p) => p(item));
const any = <T>(parts: ((item: T) => boolean)[]) => (item: T) => parts.some((p) => p(item));
