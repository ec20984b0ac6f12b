// The query options of a Data Hub OData request ($filter, $orderby, $top, $skip, $count, $select, $skiptoken), read
// against one entity set with THE OData parser of src/core/odata, and refused where MindSphere refuses them (seed §8):
// filters only on the attributes and operators of the §8.5 table, time literals only as 'YYYY-MM-DDTHH:mm:ss' strings
// (§8.3), interval units only as §8.4 lists them, time series sorted only by timestamp (§8.7). Every refusal for a
// documented limitation ends in "(Data Hub limitation 8.x)", so people and tests can tell it from a plain mistake.
import { DATA_HUB_TIME, ENTITY_LABEL, filterRules } from '../../core/lint/rules/helpers';
import { didYouMean, suggest } from '../../core/lint/similar';
import { DATA_HUB_AGGREGATION_TYPES, DATA_HUB_INTERVAL_UNITS, LIMITS } from '../../core/limits';
import { type Comparison, collectComparisons, type FilterNode, type LiteralNode, parseFilter, parseOrderBy } from '../../core/odata';
import { parseIsoTime } from '../../core/time';
import { ApiError, badRequest } from '../http';
import type { EntitySetDef } from './service';

export type Value = string | number | boolean | null;

/** One object of an entity set: its time in ms (time series and aggregates; NaN for assets) and its property values. */
export interface Row {
  readonly time: number;
  readonly values: Readonly<Record<string, Value>>;
}

export type Section = '8.1' | '8.3' | '8.4' | '8.5' | '8.7';

/** A refusal for a documented Data Hub limitation (seed §8): the message names the unsupported part and the section. */
export function limitation(section: Section, message: string, status = 400, headers: Record<string, string> = {}): ApiError {
  return new ApiError(status, status === 405 ? 'methodNotAllowed' : 'invalidParameter', `${message} (Data Hub limitation ${section})`,
    undefined, headers);
}

const INT32_MAX = 2 ** 31 - 1;

const quoted = (items: Iterable<string>) => [...items].map((i) => `'${i}'`).join(', ');

export interface OrderItem {
  readonly property: string;
  readonly descending: boolean;
}

export interface ODataQuery {
  readonly predicate: (row: Row) => boolean;
  /**
   * Time series and aggregates: the range (from, to] the timestamp conditions give, in ms; -Infinity or Infinity where
   * an `or` leaves a side open, undefined where no condition speaks of it.
   */
  readonly from?: number;
  readonly to?: number;
  /** Values that top-level `eq` conditions (or an `or` of them on one attribute) allow, per attribute. */
  readonly equals: ReadonlyMap<string, ReadonlySet<Value>>;
  /** Every attribute the filter compares. */
  readonly attributes: ReadonlySet<string>;
  readonly orderBy: readonly OrderItem[];
  readonly top?: number;
  readonly skip: number;
  readonly select?: readonly string[];
  readonly count: boolean;
  readonly skiptoken?: string;
}

const SUPPORTED = new Set(['$filter', '$orderby', '$top', '$skip', '$count', '$inlinecount', '$select', '$format', '$skiptoken']);

/** Reads and checks the query options of a request to `set`. */
export function readQuery(query: URLSearchParams, set: EntitySetDef): ODataQuery {
  for (const name of new Set(query.keys())) {
    if (query.getAll(name).length > 1) throw badRequest(`The query option ${name} is given ${query.getAll(name).length} times; give it once.`);
    if (!name.startsWith('$') || SUPPORTED.has(name)) continue;
    if (name === '$expand') {
      throw badRequest(`$expand is not supported: the entity types of ${set.name} have no navigation properties. Query the related entity set with $filter instead.`);
    }
    throw badRequest(`The query option ${name} is not supported here; Data Hub entity sets take ${[...SUPPORTED].join(', ')}.`);
  }
  const format = query.get('$format');
  if (format !== null && !/^(json|application\/json(;.*)?)$/i.test(format)) {
    throw badRequest(`$format=${format} is not supported: Data Hub answers in JSON ($format=json).`);
  }
  const text = (name: string) => query.get(name)?.trim() || undefined;
  const filter = compileFilter(text('$filter'), set);
  return {
    ...filter,
    orderBy: readOrderBy(text('$orderby'), set),
    ...optional('top', wholeNumber(query, '$top')),
    skip: wholeNumber(query, '$skip') ?? 0,
    ...optional('select', readSelect(text('$select'), set)),
    count: readCount(query),
    ...optional('skiptoken', text('$skiptoken')),
  };
}

const optional = <K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } =>
  (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };

function wholeNumber(query: URLSearchParams, name: string): number | undefined {
  const text = query.get(name);
  if (text === null) return undefined;
  if (!/^\s*\d{1,15}\s*$/.test(text)) throw badRequest(`${name}=${text} is not a whole number of 0 or more.`);
  return Number(text);
}

function readCount(query: URLSearchParams): boolean {
  const count = query.get('$count');
  const inline = query.get('$inlinecount');
  if (count !== null && count !== 'true' && count !== 'false') throw badRequest(`$count=${count} is not valid: write $count=true or $count=false.`);
  if (inline !== null && inline !== 'allpages' && inline !== 'none') {
    throw badRequest(`$inlinecount=${inline} is not valid: write $inlinecount=allpages or none (or $count=true, OData v4).`);
  }
  return count === 'true' || inline === 'allpages';
}

function unknownProperty(set: EntitySetDef, name: string, option: string): ApiError {
  const names = set.properties.map((p) => p.name);
  return badRequest(`${option}: '${name}' is not a property of ${set.name}; its properties are ${names.join(', ')}.${didYouMean(suggest(name, names))}`);
}

function readSelect(text: string | undefined, set: EntitySetDef): string[] | undefined {
  if (text === undefined || text === '*') return undefined;
  const names = text.split(',').map((s) => s.trim());
  for (const name of names) if (!set.properties.some((p) => p.name === name)) throw unknownProperty(set, name, '$select');
  return [...new Set(names)];
}

function readOrderBy(text: string | undefined, set: EntitySetDef): OrderItem[] {
  if (text === undefined) return [];
  const parsed = parseOrderBy(text);
  if (parsed.errors[0]) throw badRequest(`$orderby: ${parsed.errors[0].message}`);
  return parsed.items.map((item) => {
    const e = item.expression;
    const name = e.type === 'member' ? e.path : text.slice(e.start, e.end);
    if (set.kind !== 'asset' && name !== 'timestamp') {
      throw limitation('8.7', `$orderby=${text}: MindSphere sorts ${ENTITY_LABEL[set.kind]} entities only by timestamp, not by '${name}'. ` +
        'Sort by timestamp and sort by other values in your app.');
    }
    if (e.type !== 'member') throw badRequest(`$orderby: '${name}' is not a property; sort by properties of ${set.name}.`);
    if (!set.properties.some((p) => p.name === name)) throw unknownProperty(set, name, '$orderby');
    return { property: name, descending: item.direction === 'desc' };
  });
}

type Predicate = (row: Row) => boolean;

type CompiledFilter = Pick<ODataQuery, 'predicate' | 'from' | 'to' | 'equals' | 'attributes'>;

function compileFilter(text: string | undefined, set: EntitySetDef): CompiledFilter {
  if (text === undefined) return { predicate: () => true, equals: new Map(), attributes: new Set() };
  const parsed = parseFilter(text);
  const error = parsed.errors[0];
  if (error || !parsed.ast) throw badRequest(`$filter: ${error?.message ?? 'empty'} (at character ${(error?.start ?? 0) + 1} of '${text}').`);
  const comparisons = new Map<FilterNode, Comparison>(collectComparisons(parsed.ast).map((c) => [c.node, c]));
  const compiled = new Map<FilterNode, { comparison: Comparison; value: Value }>();
  const predicate = compileCondition(parsed.ast, set, text, comparisons, compiled);
  const attributes = new Set([...compiled.values()].map((c) => c.comparison.attribute));
  return { predicate, attributes, ...bounds(parsed.ast, compiled) };
}

function compileCondition(node: FilterNode, set: EntitySetDef, text: string, comparisons: ReadonlyMap<FilterNode, Comparison>,
  compiled: Map<FilterNode, { comparison: Comparison; value: Value }>): Predicate {
  const recurse = (n: FilterNode) => compileCondition(n, set, text, comparisons, compiled);
  const comparison = comparisons.get(node);
  if (comparison) {
    const value = checkComparison(comparison, set, text);
    compiled.set(node, { comparison, value });
    return comparisonPredicate(comparison, value);
  }
  if (node.type === 'binary' && (node.operator === 'and' || node.operator === 'or')) {
    const left = recurse(node.left);
    const right = recurse(node.right);
    return node.operator === 'and' ? (r) => left(r) && right(r) : (r) => left(r) || right(r);
  }
  if (node.type === 'unary' && node.operator === 'not') {
    throw limitation('8.5', `$filter: MindSphere does not support 'not' (${text.slice(node.start, node.end)}): ` +
      `${ENTITY_LABEL[set.kind]} filters allow only the operators of the table, joined with 'and' and 'or'. Rewrite the condition without 'not'.`);
  }
  throw badRequest(`$filter: '${text.slice(node.start, node.end)}' is not a condition; compare a property with a value, ` +
    "for example assetId eq '…', and join conditions with 'and' or 'or'.");
}

/** Checks one `attribute operator value` against seed §8.5, §8.3 and §8.4, and returns the value to compare with. */
function checkComparison(c: Comparison, set: EntitySetDef, text: string): Value {
  const label = ENTITY_LABEL[set.kind];
  const allowed = filterRules(set.kind).get(c.attribute);
  const part = text.slice(c.node.start, c.node.end);
  if (!allowed) {
    const known = set.properties.some((p) => p.name === c.attribute);
    const attributes = [...filterRules(set.kind).keys()];
    throw limitation('8.5', `$filter: MindSphere cannot filter ${label} entities on '${c.attribute}' (${part})` +
      `${known ? '' : `, which is not a property of ${set.name}`}: it filters them only on ${quoted(attributes)}.` +
      didYouMean(suggest(c.attribute, attributes)));
  }
  if (!allowed.includes(c.operator)) {
    const meaning = c.attribute === 'timestamp' ? " ('gt' means after, 'le' means before or at)" : '';
    throw limitation('8.5', `$filter: MindSphere does not allow '${c.operator}' on ${c.attribute} of ${label} entities (${part}): ` +
      `it accepts only ${quoted(allowed)} there${meaning}.`);
  }
  if (c.node.type === 'call' && (c.flipped || c.node.args.length !== 2)) {
    throw badRequest(`$filter: write ${c.operator}(${c.attribute}, '…') with the property first and one value (${part}).`);
  }
  const literal = c.value?.type === 'literal' ? c.value : undefined;
  if (!literal || literal.kind === 'placeholder') {
    throw badRequest(`$filter: compare ${c.attribute} with a literal value (${part})${literal ? ': the placeholder was not replaced' : ''}.`);
  }
  return literalValue(c.attribute, literal, set);
}

function literalValue(attribute: string, literal: LiteralNode, set: EntitySetDef): Value {
  if (attribute === 'timestamp') {
    const ms = literal.kind === 'string' && DATA_HUB_TIME.test(String(literal.value)) ? parseIsoTime(String(literal.value)) : undefined;
    if (ms === undefined) {
      throw limitation('8.3', `$filter: Data Hub compares timestamp as a string written ${LIMITS.dataHubDateTimeFormat.value} (UTC), ` +
        `and ${literal.raw} is not one; write for example '2024-01-31T23:00:00'.`);
    }
    return ms;
  }
  if (attribute === 'intervalUnit' && !(literal.kind === 'string' && DATA_HUB_INTERVAL_UNITS.value.includes(String(literal.value)))) {
    throw limitation('8.4', `$filter: intervalUnit ${literal.raw} is not valid: MindSphere accepts only ` +
      `${quoted(DATA_HUB_INTERVAL_UNITS.value)}.${didYouMean(suggest(String(literal.value), DATA_HUB_INTERVAL_UNITS.value))}`);
  }
  if (attribute === 'aggregationType' && !(DATA_HUB_AGGREGATION_TYPES.value as readonly Value[]).includes(literal.value)) {
    const types = DATA_HUB_AGGREGATION_TYPES.value;
    throw badRequest(`$filter: aggregationType ${literal.raw} is not one of ${quoted(types)}.${didYouMean(suggest(String(literal.value), types))}`);
  }
  const type = set.properties.find((p) => p.name === attribute)?.type;
  if (type === 'Edm.Int32') {
    if (literal.kind !== 'number' || !Number.isInteger(literal.value) || (literal.value as number) < 1 || (literal.value as number) > INT32_MAX) {
      throw badRequest(`$filter: ${attribute} is an Edm.Int32, a whole number from 1 to ${INT32_MAX}, not ${literal.raw}.`);
    }
    return literal.value as number;
  }
  if (literal.kind !== 'string' && literal.kind !== 'null') {
    throw badRequest(`$filter: ${attribute} is a string: write the value in single quotes, not ${literal.raw}.`);
  }
  return literal.value as string | null;
}

function comparisonPredicate(c: Comparison, value: Value): Predicate {
  const attribute = c.attribute;
  if (attribute === 'timestamp') {
    const t = value as number;
    return c.operator === 'gt' ? (r) => r.time > t : (r) => r.time <= t;
  }
  const text = String(value);
  switch (c.operator) {
    case 'contains': return (r) => typeof r.values[attribute] === 'string' && (r.values[attribute] as string).includes(text);
    case 'startswith': return (r) => typeof r.values[attribute] === 'string' && (r.values[attribute] as string).startsWith(text);
    case 'endswith': return (r) => typeof r.values[attribute] === 'string' && (r.values[attribute] as string).endsWith(text);
    default: return (r) => (r.values[attribute] ?? null) === value;
  }
}

/** The conditions every result must meet: the operands of top-level `and`s. */
function conjuncts(node: FilterNode): FilterNode[] {
  return node.type === 'binary' && node.operator === 'and' ? [...conjuncts(node.left), ...conjuncts(node.right)] : [node];
}

function disjuncts(node: FilterNode): FilterNode[] {
  return node.type === 'binary' && node.operator === 'or' ? [...disjuncts(node.left), ...disjuncts(node.right)] : [node];
}

type Compiled = ReadonlyMap<FilterNode, { comparison: Comparison; value: Value }>;

/**
 * The timestamp range (from, to] a condition confines its results to: `and` narrows, `or` spans its branches. A side is
 * undefined where no timestamp condition speaks of it, and infinite where an `or` leaves it open (a branch without it).
 */
function timeRange(node: FilterNode, compiled: Compiled): { from?: number; to?: number } {
  const one = compiled.get(node);
  if (one) {
    if (one.comparison.attribute !== 'timestamp') return {};
    return one.comparison.operator === 'gt' ? { from: one.value as number } : { to: one.value as number };
  }
  if (node.type !== 'binary') return {};
  const l = timeRange(node.left, compiled);
  const r = timeRange(node.right, compiled);
  const and = (a: number | undefined, b: number | undefined, pick: (x: number, y: number) => number) =>
    a === undefined ? b : b === undefined ? a : pick(a, b);
  const or = (a: number | undefined, b: number | undefined, pick: (x: number, y: number) => number, open: number) =>
    a === undefined && b === undefined ? undefined : pick(a ?? open, b ?? open);
  return node.operator === 'and'
    ? { from: and(l.from, r.from, Math.max), to: and(l.to, r.to, Math.min) }
    : { from: or(l.from, r.from, Math.min, -Infinity), to: or(l.to, r.to, Math.max, Infinity) };
}

/** What the conditions say about every result: the timestamp range and the allowed values per attribute. */
function bounds(ast: FilterNode, compiled: Compiled): Pick<ODataQuery, 'from' | 'to' | 'equals'> {
  const { from, to } = timeRange(ast, compiled);
  const equals = new Map<string, Set<Value>>();
  for (const conjunct of conjuncts(ast)) {
    // `a eq 1` or `a eq 1 or a eq 2`: the attribute takes one of these values.
    const options = disjuncts(conjunct).map((d) => compiled.get(d));
    const attribute = options[0]?.comparison.attribute;
    if (!attribute || !options.every((o) => o?.comparison.operator === 'eq' && o.comparison.attribute === attribute)) continue;
    const values = new Set(options.map((o) => o!.value));
    const before = equals.get(attribute);
    equals.set(attribute, before ? new Set([...before].filter((v) => values.has(v))) : values);
  }
  return { ...optional('from', from), ...optional('to', to), equals };
}
