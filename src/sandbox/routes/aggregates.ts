// IoT TS Aggregates v4 (API §1.5): `GET /api/iottsaggregates/v4/aggregates` with the documented units, values, range
// caps and auto-completion. Aggregates are computed from the same records the time series API returns (generated plus
// written), over intervals that hold `> starttime` and `<= endtime`. Sums per base bucket (2 minutes, 1 hour) are cached,
// as MindSphere pre-calculates them, so long ranges are computed once.
import { type AggregateUnit, type AggregateUnitRule, AGGREGATE_UNITS, aggregateUnitRule } from '../../core/limits';
import { DAY_MS, HOUR_MS, MINUTE_MS, formatIsoSeconds, formatIsoTime } from '../../core/time';
import * as aggregateStats from '../aggregate-stats';
import { type AggregateStats, type AggregateValueField, emptyStats, hasNoRecords, mergeStats, statValue } from '../aggregate-stats';
import { SCOPES } from '../auth';
import type { SandboxContext } from '../context';
import { ApiError, badRequest, type Exchange } from '../http';
import { intParam, listParam, timeParam } from '../params';
import type { ApiModule } from '../router';
import { type Fields, type Series, scanSeries } from '../series';

// A local copy for the per-point loop (see signal.ts on imported bindings).
const { addValue } = aggregateStats;

const FIELDS = ['firsttime', 'firstvalue', 'lasttime', 'lastvalue', 'mintime', 'minvalue', 'maxtime', 'maxvalue', 'average', 'sum', 'sd',
  'countgood', 'countuncertain', 'countbad'] as const;
const NUMERIC = new Set(['INT', 'LONG', 'DOUBLE']);
const DEFAULT_RANGE_MS = 7 * DAY_MS;
const AUTO_RANGE_MS = 90 * DAY_MS;
/** The pre-calculated interval lengths, largest first: "the largest available interval length fitting" is one of them. */
const PRECALCULATED: [AggregateUnit, number][] = [['day', 1], ['hour', 1], ['minute', 2]];
// Mondays start weeks: 1970-01-05 was the first Monday after the epoch.
const FIRST_MONDAY_MS = 4 * DAY_MS;

type Field = (typeof FIELDS)[number];
const isTimeField = (f: Field): f is Exclude<Field, AggregateValueField> => f.endsWith('time');

/** The selected fields of one variable's aggregate, in the order given. */
function render(s: AggregateStats, fields: readonly Field[]): Record<string, unknown> {
  return Object.fromEntries(fields.map((f) => [f, isTimeField(f) ? (s.n > 0 ? formatIsoTime(s[f]) : null) : statValue(s, f)]));
}

/** Interval arithmetic for one unit and value, aligned to UTC (the sandbox tenant's time zone). */
class Interval {
  constructor(
    readonly rule: AggregateUnitRule,
    readonly value: number,
  ) {}

  get unit(): AggregateUnit {
    return this.rule.unit;
  }

  /** Nominal length, months counted as 30 days as the range caps are. */
  get nominalMs(): number {
    return this.rule.unitMs * this.value;
  }

  /** The interval boundary at or before `t`. */
  floor(t: number): number {
    if (this.unit === 'month') {
      const d = new Date(t);
      const index = d.getUTCFullYear() * 12 + d.getUTCMonth();
      const start = index - (((index % this.value) + this.value) % this.value);
      return Date.UTC(Math.floor(start / 12), start % 12, 1);
    }
    const len = this.nominalMs;
    const origin = this.unit === 'week' ? FIRST_MONDAY_MS : 0;
    return Math.floor((t - origin) / len) * len + origin;
  }

  next(boundary: number): number {
    if (this.unit !== 'month') return boundary + this.nominalMs;
    const d = new Date(boundary);
    return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + this.value, 1);
  }

  ceil(t: number): number {
    const f = this.floor(t);
    return f === t ? t : this.next(f);
  }

  /** The cached base bucket: 2 minutes for minute intervals, 1 hour otherwise; every boundary is a multiple. */
  get baseMs(): number {
    return this.unit === 'minute' ? 2 * MINUTE_MS : HOUR_MS;
  }
}

function interval(unit: AggregateUnit, value: number): Interval {
  return new Interval(aggregateUnitRule(unit)!, value);
}

/** Finds the unit and value whose length is exactly `ms` (from, to and count given). */
function intervalOfLength(ms: number): Interval | undefined {
  for (const rule of [...AGGREGATE_UNITS.value].reverse()) {
    if (rule.unit === 'month') continue; // months have no fixed length
    const value = ms / rule.unitMs;
    if (rule.allowedValues.includes(value)) return new Interval(rule, value);
  }
  return undefined;
}

interface Plan {
  from: number;
  to: number;
  interval: Interval;
  count: number | undefined;
}

/** Applies the documented auto-completion rules (API §1.5) to the given parameters. */
function plan(x: Exchange, now: number): Plan {
  const q = x.query;
  let from = timeParam(q, 'from');
  let to = timeParam(q, 'to');
  const unitText = q.get('intervalUnit');
  const units = AGGREGATE_UNITS.value.map((r) => r.unit);
  const unitName = unitText === null ? undefined : unitText.toLowerCase();
  if (unitName !== undefined && !units.includes(unitName as AggregateUnit)) {
    throw badRequest(`intervalUnit '${unitText}' is not supported; use one of ${units.join(', ')}.`);
  }
  const rule = unitName ? aggregateUnitRule(unitName) : undefined;
  const value = intParam(q, 'intervalValue', 1, 90);
  const count = intParam(q, 'count', 1, 100_000);
  if ((rule === undefined) !== (value === undefined)) {
    throw badRequest('intervalUnit and intervalValue go together: give both (e.g. intervalUnit=hour&intervalValue=1) or neither.');
  }
  if (rule && value !== undefined && !rule.allowedValues.includes(value)) {
    throw badRequest(`intervalValue ${value} is not supported for intervalUnit ${rule.unit}; supported values: ${describe(rule.allowedValues)}.`);
  }
  let iv = rule && value !== undefined ? new Interval(rule, value) : undefined;
  if (from === undefined && to === undefined && !iv && count === undefined) {
    // Nothing given: one week of daily aggregates up to now.
    iv = interval('day', 1);
    to = now;
    from = now - DEFAULT_RANGE_MS;
  } else if (from === undefined || to === undefined) {
    const span = iv && count !== undefined ? iv.nominalMs * count : undefined;
    if (from === undefined && to === undefined) {
      to = now;
      from = to - (span ?? DEFAULT_RANGE_MS);
    } else if (to === undefined) {
      // "from is truncated to date-only for this calculation"
      to = span !== undefined ? from! + span : Math.min(Math.floor(from! / DAY_MS) * DAY_MS + AUTO_RANGE_MS, now);
    } else {
      from = span !== undefined ? to - span : to - AUTO_RANGE_MS;
    }
  }
  if (from! >= to!) throw badRequest(`'from' (${formatIsoTime(from!)}) must be before 'to' (${formatIsoTime(to!)}).`);
  if (!iv && count !== undefined) {
    iv = intervalOfLength((to! - from!) / count);
    if (!iv) throw badRequest(`Cannot derive an interval: (to − from) / count = ${(to! - from!) / count} ms is not a supported intervalUnit and intervalValue.`);
  }
  if (!iv) {
    const range = to! - from!;
    const [unit, v] = PRECALCULATED.find(([u, n]) => aggregateUnitRule(u)!.unitMs * n <= range) ?? PRECALCULATED[PRECALCULATED.length - 1]!;
    iv = interval(unit, v);
  }
  if (to! - from! > iv.rule.maxRangeMs) {
    const days = iv.rule.maxRangeMs / DAY_MS;
    const label = iv.unit === 'minute' ? '2 MINUTE' : iv.unit.toUpperCase();
    throw badRequest(`The maximum time range for querying ${label} aggregates is ${days === 1 ? '24 hours' : `${days} days`}; the request covers ${((to! - from!) / DAY_MS).toFixed(2)} days.`);
  }
  return { from: iv.floor(from!), to: iv.ceil(to!), interval: iv, count };
}

function describe(values: readonly number[]): string {
  return values.length > 6 ? `${values[0]}, ${values[1]}, … ${values[values.length - 1]}` : values.join(', ');
}

/** Cached statistics per base bucket: key → variable → stats. First in, first out when full. */
class BucketCache {
  private readonly map = new Map<string, Map<string, AggregateStats>>();
  constructor(private readonly max: number) {}
  get(key: string): Map<string, AggregateStats> | undefined {
    return this.map.get(key);
  }
  set(key: string, value: Map<string, AggregateStats>): void {
    if (this.map.size >= this.max) this.map.delete(this.map.keys().next().value!);
    this.map.set(key, value);
  }
}

const caches = new WeakMap<SandboxContext, BucketCache>();

/** Statistics of each variable over (start, end], from cached base buckets that lie fully in the past. */
function bucketStats(ctx: SandboxContext, series: Series, variables: readonly string[], start: number, end: number, now: number): Map<string, AggregateStats> {
  let cache = caches.get(ctx);
  if (!cache) caches.set(ctx, (cache = new BucketCache(50_000)));
  // The variables are part of the key: a bucket computed for some variables holds no stats for the others.
  const key = `${series.key}|${series.overlay?.version ?? 0}|${start}|${end}|${variables.join(',')}`;
  const cached = cache.get(key);
  if (cached) return cached;
  const stats = new Map(variables.map((v) => [v, emptyStats()]));
  const g = series.generator;
  const generated = g ? g.variables.filter((v) => stats.has(v.name)) : [];
  if (g && !series.overlay?.touches(start, end)) {
    // Only generated data here: a tight loop without the merge, the common case for long ranges.
    const targets = generated.map((v) => stats.get(v.name)!);
    const last = g.lastIndexAtOrBefore(Math.min(end, now));
    for (let k = g.firstIndexAfter(start); k <= last; k++) {
      const t = g.timeOf(k);
      if (!g.exists(t)) continue;
      const load = g.load(t);
      for (let i = 0; i < generated.length; i++) {
        const v = generated[i]!;
        addValue(targets[i]!, t, g.number(v, k, load), v.qualityCode ? g.quality(v, k) : 0);
      }
    }
  } else {
    scanSeries(series, start, end, now, false, Infinity, (t, k, fields: Fields | undefined) => {
      if (fields) {
        for (const name of variables) {
          const value = fields[name];
          if (typeof value !== 'number') continue;
          const qc = fields[`${name}_qc`];
          addValue(stats.get(name)!, t, value, typeof qc === 'number' ? qc : 0);
        }
      } else if (g) {
        const load = g.load(t);
        for (const v of generated) addValue(stats.get(v.name)!, t, g.number(v, k, load), v.qualityCode ? g.quality(v, k) : 0);
      }
    });
  }
  // A bucket still filling up (it reaches past now) is not cached: new points will arrive.
  if (end <= now) cache.set(key, stats);
  return stats;
}

function aggregates(x: Exchange, ctx: SandboxContext): void {
  const q = x.query;
  const assetId = q.get('assetId');
  const aspectName = q.get('aspectName');
  if (!assetId || !aspectName) {
    throw new ApiError(400, 'missingParameter', `Parameters assetId and aspectName are required (missing: ${[!assetId && 'assetId', !aspectName && 'aspectName'].filter(Boolean).join(', ')}).`);
  }
  const series = ctx.series(assetId, aspectName);
  const numeric = series.variables.filter((v) => NUMERIC.has(v.dataType)).map((v) => v.name);
  const selection = new Map<string, Set<Field>>();
  for (const item of listParam(q, 'select') ?? numeric) {
    const [name = '', field, ...rest] = item.split('.');
    if (!numeric.includes(name) || rest.length) {
      throw badRequest(`select '${item}': ${numeric.includes(name) ? 'use variable or variable.field' : `'${name}' is not a numeric variable of aspect ${aspectName}; numeric variables: ${numeric.join(', ') || 'none'}`}.`);
    }
    if (field !== undefined && !(FIELDS as readonly string[]).includes(field)) {
      throw badRequest(`select '${item}': '${field}' is not an aggregate field; fields: ${FIELDS.join(', ')}.`);
    }
    const fields = selection.get(name) ?? new Set<Field>();
    for (const f of field ? [field as Field] : FIELDS) fields.add(f);
    selection.set(name, fields);
  }
  const now = Date.now();
  const p = plan(x, now);
  const variables = [...selection.keys()];
  const out: Record<string, unknown>[] = [];
  const base = p.interval.baseMs;
  for (let start = p.from; start < p.to && (p.count === undefined || out.length < p.count); start = p.interval.next(start)) {
    const end = p.interval.next(start);
    const total = new Map(variables.map((v) => [v, emptyStats()]));
    for (let b = start; b < end; b += base) {
      const part = bucketStats(ctx, series, variables, b, b + base, now);
      for (const v of variables) mergeStats(total.get(v)!, part.get(v)!);
    }
    // "In the case no time series data was available for an aggregation interval, no aggregate will be returned."
    if (variables.every((v) => hasNoRecords(total.get(v)!))) continue;
    const aggregate: Record<string, unknown> = { starttime: formatIsoSeconds(start), endtime: formatIsoSeconds(end) };
    for (const v of variables) aggregate[v] = render(total.get(v)!, [...selection.get(v)!]);
    out.push(aggregate);
  }
  x.send(200, { aggregates: out });
}

export const aggregatesApi: ApiModule = {
  name: 'IoT TS Aggregates v4',
  prefix: '/api/iottsaggregates/v4',
  family: 'mdsp',
  routes: [{ method: 'GET', path: '/api/iottsaggregates/v4/aggregates', scopes: [SCOPES.aggregatesRead], handle: aggregates }],
};


