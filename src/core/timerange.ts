// Time ranges of the preview: the presets, custom ranges, and choosing an Aggregates v4 interval that MindSphere accepts
// for a range. Times are milliseconds since the epoch, in UTC, as MindSphere's APIs use them.
import { AGGREGATE_UNITS, LIMITS, aggregateUnitRule, type AggregateUnit } from './limits';
import { DAY_MS, HOUR_MS, MINUTE_MS, WEEK_MS, formatIsoSeconds, parseIsoTime } from './time';

export const RANGE_PRESETS = {
  hour: { label: 'Last hour', ms: HOUR_MS },
  day: { label: 'Last day', ms: DAY_MS },
  week: { label: 'Last week', ms: WEEK_MS },
  '30d': { label: 'Last 30 days', ms: 30 * DAY_MS },
  '90d': { label: 'Last 90 days', ms: 90 * DAY_MS },
} as const;

export type RangePreset = keyof typeof RANGE_PRESETS;
export const RANGE_PRESET_IDS = Object.keys(RANGE_PRESETS) as RangePreset[];

/** A range as the user picks it: a preset relative to now, or two instants (ISO 8601; no zone means UTC). */
export type RangeSpec = { readonly preset: RangePreset } | { readonly from: string; readonly to: string };

/** `from` exclusive, `to` inclusive, as in IoT Time Series and Aggregates v4. */
export interface TimeRange {
  readonly from: number;
  readonly to: number;
}

export interface AggregateInterval {
  readonly unit: AggregateUnit;
  readonly value: number;
}

export type Result<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: string };

const ok = <T>(value: T): Result<T> => ({ ok: true, value });
const fail = <T>(error: string): Result<T> => ({ ok: false, error });

/** Resolves a spec against `now` (presets end at `now`, rounded down to the second so requests read cleanly). */
export function resolveRange(spec: RangeSpec, now: number): Result<TimeRange> {
  if ('preset' in spec) {
    const preset = RANGE_PRESETS[spec.preset];
    if (!preset) return fail(`'${String(spec.preset)}' is not a range preset: use one of ${RANGE_PRESET_IDS.join(', ')}.`);
    const to = Math.floor(now / 1000) * 1000;
    return ok({ from: to - preset.ms, to });
  }
  const from = parseIsoTime(spec.from);
  const to = parseIsoTime(spec.to);
  if (from === undefined) return fail(`The start '${spec.from}' is not a date: write it in ISO 8601, such as 2026-07-01T00:00:00Z.`);
  if (to === undefined) return fail(`The end '${spec.to}' is not a date: write it in ISO 8601, such as 2026-07-02T00:00:00Z.`);
  if (from >= to) {
    return fail(`The start (${formatIsoSeconds(from)}) must be before the end (${formatIsoSeconds(to)}): swap them or pick a preset.`);
  }
  return ok({ from, to });
}

export function intervalMs(interval: AggregateInterval): number {
  return interval.value * (aggregateUnitRule(interval.unit)?.unitMs ?? Number.NaN);
}

export function describeInterval({ unit, value }: AggregateInterval): string {
  return `${value} ${unit}${value === 1 ? '' : 's'}`;
}

/** Checks an interval against the v4 table: the values allowed for its unit and the longest range it may cover. */
export function checkAggregateInterval(interval: AggregateInterval, range: TimeRange): Result<AggregateInterval> {
  const rule = aggregateUnitRule(interval.unit);
  const units = AGGREGATE_UNITS.value.map((r) => r.unit).join(', ');
  if (!rule) return fail(`'${interval.unit}' is not an Aggregates v4 interval unit: use one of ${units}.`);
  if (!rule.allowedValues.includes(interval.value)) {
    const values = rule.allowedValues;
    return fail(`MindSphere accepts ${interval.unit} intervals of ${values[0]}–${values[values.length - 1]}` +
      `${interval.unit === 'minute' ? ' (even numbers only)' : ''}, not ${interval.value} (${AGGREGATE_UNITS.source}).`);
  }
  if (range.to - range.from > rule.maxRangeMs) {
    return fail(`Aggregates by ${interval.unit} cover at most ${describeSpan(rule.maxRangeMs)} per request, and this range is ` +
      `${describeSpan(range.to - range.from)}: shorten the range or choose a larger unit (${AGGREGATE_UNITS.source}).`);
  }
  return ok(interval);
}

/**
 * The finest interval MindSphere accepts for the range that yields at most `maxIntervals` aggregates (and never more
 * than one response holds), so the chart gets about one aggregate per pixel column without paging.
 */
export function chooseAggregateInterval(range: TimeRange, maxIntervals: number): Result<AggregateInterval> {
  const span = range.to - range.from;
  const cap = Math.max(1, Math.min(maxIntervals, LIMITS.maxRecordsPerRequest.value));
  let coarsest: AggregateInterval | undefined;
  let coarsestMs = 0;
  let best: AggregateInterval | undefined;
  let bestMs = Infinity;
  for (const rule of AGGREGATE_UNITS.value) {
    if (span > rule.maxRangeMs) continue;
    for (const value of rule.allowedValues) {
      const ms = value * rule.unitMs;
      if (ms > coarsestMs) [coarsest, coarsestMs] = [{ unit: rule.unit, value }, ms];
      if (Math.ceil(span / ms) <= cap && ms < bestMs) [best, bestMs] = [{ unit: rule.unit, value }, ms];
    }
  }
  const chosen = best ?? coarsest;
  if (!chosen) {
    return fail(`Aggregates v4 cover at most ${describeSpan(LIMITS.bulkRangeMaxMs.value)} per request, and this range is ` +
      `${describeSpan(span)}: pick a shorter range, or raw data (${AGGREGATE_UNITS.source}).`);
  }
  return ok(chosen);
}

function describeSpan(ms: number): string {
  if (ms % DAY_MS === 0) return `${ms / DAY_MS} day${ms === DAY_MS ? '' : 's'}`;
  if (ms >= DAY_MS) return `${(ms / DAY_MS).toFixed(1)} days`;
  if (ms % HOUR_MS === 0) return `${ms / HOUR_MS} hour${ms === HOUR_MS ? '' : 's'}`;
  return `${Math.round(ms / MINUTE_MS)} minutes`;
}
