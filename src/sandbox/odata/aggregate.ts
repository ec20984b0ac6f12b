// The objects of AGGR_ entity sets: one per asset, numeric variable, aggregation type and interval. The interval comes
// from the filter, `intervalUnit eq 'minutes' and intervalValue eq 15 and intervalCount eq 4` (units per seed §8.4:
// days, minutes, seconds; default 1 day), and the range from the timestamp conditions, completed as Aggregates v4
// completes it (API §1.5): no bounds means the last 7 days, a count with one bound gives the other. Intervals are
// aligned to UTC, hold the points in (end − interval, end], and carry their end as `timestamp`, so
// `timestamp gt A and timestamp le B` selects whole intervals. An interval without data yields no objects.
import { didYouMean, suggest } from '../../core/lint/similar';
import { DATA_HUB_AGGREGATION_TYPES } from '../../core/limits';
import { DAY_MS, formatDataHubTimestamp, MINUTE_MS, SECOND_MS } from '../../core/time';
import { type AggregateStats, addValue, emptyStats, hasNoRecords, statValue } from '../aggregate-stats';
import type { SandboxContext } from '../context';
import { badRequest } from '../http';
import type { Asset } from '../model';
import { scanSeries } from '../series';
import type { ODataQuery, Row, Value } from './query';
import { type Gap, type Meter, seriesPoints } from './rows';
import type { EntitySetDef } from './service';

type AggregationType = (typeof DATA_HUB_AGGREGATION_TYPES.value)[number];

const UNIT_MS: Readonly<Record<string, number>> = { days: DAY_MS, minutes: MINUTE_MS, seconds: SECOND_MS };
const DEFAULT_RANGE_MS = 7 * DAY_MS;
/** The interval ends a timestamp 'YYYY-MM-DDTHH:mm:ss' can name: 0001-01-01T00:00:00 to 9999-12-31T23:59:59. */
const FIRST_TIMESTAMP_MS = -62_135_596_800_000;
const LAST_TIMESTAMP_MS = 253_402_300_799_000;

export interface AggregatePlan {
  readonly unit: string;
  readonly value: number;
  readonly stepMs: number;
  /** Ends of the first and the last interval. */
  readonly firstEnd: number;
  readonly lastEnd: number;
  /** What `intervalCount` reads in every object: the count asked for, or the number of intervals in the range. */
  readonly count: number;
  readonly variables: readonly string[];
  readonly types: readonly AggregationType[];
}

/** The one value an interval attribute takes in the filter; a 400 when it is given other than as one top-level `eq`. */
function single(query: ODataQuery, attribute: string): Value | undefined {
  const values = query.equals.get(attribute);
  if (query.attributes.has(attribute) && values?.size !== 1) {
    throw badRequest(`$filter: ${attribute} chooses how MindSphere aggregates: give it once, as '${attribute} eq …' joined to the ` +
      "rest of the filter with 'and'.");
  }
  return values ? [...values][0] : undefined;
}

export function planAggregates(query: ODataQuery, set: EntitySetDef, now: number): AggregatePlan {
  const unit = (single(query, 'intervalUnit') as string | undefined) ?? 'days';
  const value = (single(query, 'intervalValue') as number | undefined) ?? 1;
  const asked = single(query, 'intervalCount') as number | undefined;
  const stepMs = (UNIT_MS[unit] ?? DAY_MS) * value;
  const floor = (t: number) => Math.floor(t / stepMs) * stepMs;
  if (query.from === -Infinity || query.to === Infinity) {
    throw badRequest("$filter: timestamp is not bounded, so the intervals to aggregate have no start or no end: give every branch " +
      "of the 'or' its own 'timestamp gt … and timestamp le …', or put one timestamp range outside the 'or'.");
  }
  const to = query.to ?? (query.from !== undefined && asked !== undefined ? floor(query.from) + asked * stepMs : now);
  const from = query.from ?? (asked !== undefined ? floor(to) - asked * stepMs : to - DEFAULT_RANGE_MS);
  const firstEnd = floor(from) + stepMs;
  let lastEnd = floor(to);
  if (asked !== undefined) lastEnd = Math.min(lastEnd, firstEnd + (asked - 1) * stepMs);
  if (firstEnd <= lastEnd && (firstEnd < FIRST_TIMESTAMP_MS || lastEnd > LAST_TIMESTAMP_MS)) {
    throw badRequest('$filter: the intervals asked for reach beyond the years 0001 to 9999 that a timestamp can be written in: ' +
      'make intervalValue or intervalCount smaller, or move the timestamp range.');
  }
  const numeric = (set.variables ?? []).map((v) => v.name);
  const variables = [...(query.equals.get('variableName') ?? numeric)].map(String).sort();
  for (const name of variables) {
    if (!numeric.includes(name)) {
      throw badRequest(`$filter: variableName '${name}' is not a numeric variable of ${set.name}; its numeric variables are ` +
        `${numeric.join(', ') || 'none'}.${didYouMean(suggest(name, numeric))}`);
    }
  }
  const types = (query.equals.get('aggregationType') ?? new Set(DATA_HUB_AGGREGATION_TYPES.value)) as ReadonlySet<AggregationType>;
  return { unit, value, stepMs, firstEnd, lastEnd, count: asked ?? Math.max(0, (lastEnd - firstEnd) / stepMs + 1), variables,
    types: DATA_HUB_AGGREGATION_TYPES.value.filter((t) => types.has(t)) };
}

function intervalStats(ctx: SandboxContext, set: EntitySetDef, asset: Asset, variables: readonly string[], start: number, end: number,
  now: number, meter: Meter): Map<string, AggregateStats> {
  const series = ctx.series(asset.assetId, set.aspectName!);
  const stats = new Map(variables.map((v) => [v, emptyStats()]));
  const g = series.generator;
  const generated = g ? g.variables.filter((v) => stats.has(v.name)) : [];
  for (const p of seriesPoints(series, start, end, now, false, meter)) {
    if (p.fields) {
      for (const [name, s] of stats) {
        const v = p.fields[name];
        const qc = p.fields[`${name}_qc`];
        if (typeof v === 'number') addValue(s, p.time, v, typeof qc === 'number' ? qc : 0);
      }
    } else if (g) {
      const load = g.load(p.time);
      for (const v of generated) addValue(stats.get(v.name)!, p.time, g.number(v, p.k, load), v.qualityCode ? g.quality(v, p.k) : 0);
    }
  }
  return stats;
}

/** The time of the first point in (from, to] of any of the assets' series, or of the last one when `descending`. */
function nearestPoint(ctx: SandboxContext, set: EntitySetDef, assets: readonly Asset[], from: number, to: number, now: number,
  descending: boolean): number | undefined {
  let nearest: number | undefined;
  for (const asset of assets) {
    scanSeries(ctx.series(asset.assetId, set.aspectName!), from, to, now, descending, 1, (t) => {
      if (nearest === undefined || (descending ? t > nearest : t < nearest)) nearest = t;
      return false;
    });
  }
  return nearest;
}

/**
 * The objects of an AGGR_ entity set, from `start` on (inclusive), ordered by time, asset, variable and type. An interval
 * without objects yields a Gap instead, so a page can end there when the meter runs out although nothing matched.
 */
export function* aggregateRows(ctx: SandboxContext, set: EntitySetDef, assets: readonly Asset[], plan: AggregatePlan,
  descending: boolean, start: number | undefined, meter: Meter): Generator<Row | Gap> {
  const now = Date.now();
  const step = descending ? -plan.stepMs : plan.stepMs;
  let end = descending ? plan.lastEnd : plan.firstEnd;
  if (start !== undefined) end = descending ? Math.min(end, start) : Math.max(end, start);
  for (; descending ? end >= plan.firstEnd : end <= plan.lastEnd; end += step) {
    const timestamp = formatDataHubTimestamp(end);
    let found = false;
    for (const asset of assets) {
      // Every look at an interval costs, also one without points: the meter bounds the work of a response either way.
      meter.cost++;
      const stats = intervalStats(ctx, set, asset, plan.variables, end - plan.stepMs, end, now, meter);
      for (const variableName of plan.variables) {
        const s = stats.get(variableName)!;
        if (hasNoRecords(s)) continue;
        found = true;
        for (const aggregationType of plan.types) {
          yield { time: end, values: { assetId: asset.assetId, aggregationType, variableName, intervalUnit: plan.unit,
            intervalValue: plan.value, intervalCount: plan.count, timestamp, value: statValue(s, aggregationType) } };
        }
      }
    }
    if (found) continue;
    yield { time: end, gap: true };
    // Go straight to the interval of the next point: a range without data (years of 1-second intervals before the
    // history starts, say) costs one look per asset, not one per interval.
    meter.cost += assets.length;
    const next = descending
      ? nearestPoint(ctx, set, assets, plan.firstEnd - plan.stepMs, end - plan.stepMs, now, true)
      : nearestPoint(ctx, set, assets, end, plan.lastEnd, now, false);
    if (next === undefined) return;
    end = Math.ceil(next / plan.stepMs) * plan.stepMs - step;
  }
}
