// MindSphere's records (arrays of objects) to columns (typed arrays), and columns to the lines the chart draws.
// The loaded table is kept at full resolution for export and for zooming in; the chart gets downsampled lines.
import { gapThreshold, insertGaps, type DownsampledSeries, type SeriesColumns } from '../../core/downsample';
import { parseRecordTime } from '../../core/time';
import type { AggregateFieldChoice, SeriesField, SeriesPayload } from '../../protocol/preview';
import { QUALITY } from '../../protocol/preview';
import type { Aggregate, TimeSeriesRecord } from './source';

export interface VariableInfo {
  readonly name: string;
  readonly unit: string;
}

export interface RawColumn extends VariableInfo {
  /** NaN where the record has no value for the variable. */
  readonly values: Float64Array;
  /** The `<variable>_qc` code, NaN where there is none. */
  readonly qc: Float64Array;
}

/** What a load left out because it could not read it: the panel says so rather than drop it silently. */
export interface Unreadable {
  /** Records (raw) or intervals (aggregates) whose time is not an ISO 8601 time: they have no place on a time axis. */
  times: number;
  /** Values that are there but are neither numbers nor booleans (text such as "1.5", objects). */
  values: number;
}

export interface RawTable {
  readonly kind: 'raw';
  readonly times: Float64Array;
  readonly columns: readonly RawColumn[];
  readonly unreadable: Readonly<Unreadable>;
}

/** Every field of an Aggregates v4 interval, in the API's order, so an export can be replayed like the API's answer. */
export const AGGREGATE_KEYS = ['firsttime', 'firstvalue', 'lasttime', 'lastvalue', 'mintime', 'minvalue', 'maxtime', 'maxvalue',
  'average', 'sum', 'sd', 'countgood', 'countuncertain', 'countbad'] as const;
export type AggregateKey = (typeof AGGREGATE_KEYS)[number];
/** The fields that hold a time (ISO 8601 in the API): kept as epoch milliseconds, written back as ISO text on export. */
export const AGGREGATE_TIME_KEYS: ReadonlySet<AggregateKey> = new Set(['firsttime', 'lasttime', 'mintime', 'maxtime']);

export interface AggregateColumn extends VariableInfo {
  /** One array per Aggregates v4 field (times as epoch milliseconds); NaN where the interval has no value. */
  readonly fields: Readonly<Record<AggregateKey, Float64Array>>;
}

export interface AggregateTable {
  readonly kind: 'aggregate';
  readonly starts: Float64Array;
  readonly ends: Float64Array;
  readonly columns: readonly AggregateColumn[];
  readonly unreadable: Readonly<Unreadable>;
}

export type LoadedTable = RawTable | AggregateTable;

/**
 * An aggregate interval is marked bad (or uncertain) when at least this share of its records is: a lone bad record
 * among thousands is noise at that scale, a burst of them is what the user should see.
 */
export const MARK_SHARE = 0.01;

/** A line of the chart at full resolution. */
export interface FullSeries extends VariableInfo {
  readonly field: SeriesField;
  readonly columns: SeriesColumns;
}

/** A line as it crosses to the webview: its downsampled points, and what they stand for. */
export function seriesPayload(line: VariableInfo & { readonly field: SeriesField }, d: DownsampledSeries): SeriesPayload {
  return {
    variable: line.name, unit: line.unit, field: line.field, times: d.times, values: d.values, quality: d.severity,
    sourceCount: d.sourceCount, sourceBad: d.sourceSeverity[QUALITY.bad] ?? 0, sourceUncertain: d.sourceSeverity[QUALITY.uncertain] ?? 0,
    downsampled: d.downsampled,
  };
}

/** OPC UA quality codes (MindSphere's `<variable>_qc`, API §1.4) by their severity bits: 00 good, 01 uncertain, 1x bad. */
export function qualityOf(code: number): number {
  // No code, or none an OPC UA status code can be (a UInt32): unknown quality, which the chart leaves unmarked.
  if (!(Number.isInteger(code) && code >= 0 && code <= 0xffffffff)) return QUALITY.good;
  const severity = Math.floor(code / 0x40000000) & 3;
  return severity === 0 ? QUALITY.good : severity === 1 ? QUALITY.uncertain : QUALITY.bad;
}

/** Numbers as they are, booleans as 1 and 0; anything else (null, missing, text) is no value, counted when it is there. */
function numeric(value: unknown, unreadable: Unreadable): number {
  if (typeof value === 'number') return Number.isFinite(value) ? value : Number.NaN;
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (value !== null && value !== undefined) unreadable.values++;
  return Number.NaN;
}

/** Epoch milliseconds of an ISO 8601 time, NaN when the value is none (whatever its type). */
function timeOf(value: unknown): number {
  return typeof value === 'string' ? parseRecordTime(value) : Number.NaN;
}

/** Indices of `times` in ascending time order (records are normally sorted already: then this is the identity). */
function timeOrder(times: Float64Array): Uint32Array | undefined {
  for (let i = 1; i < times.length; i++) {
    if ((times[i] as number) < (times[i - 1] as number)) {
      return Uint32Array.from(times.keys()).sort((a, b) => (times[a] as number) - (times[b] as number));
    }
  }
  return undefined;
}

function reorder(array: Float64Array, order: Uint32Array | undefined): Float64Array {
  return order ? Float64Array.from(order, (i) => array[i] as number) : array;
}

/**
 * A `<variable>_qc` value as a number: MindSphere sends numbers, some writers decimal strings; NaN where there is none
 * or it is not a decimal number ("0x80000000" is not read as a code: Number() would take it for 2147483648, bad).
 */
function qualityCodeOf(value: unknown): number {
  if (typeof value === 'number') return Number.isFinite(value) ? value : Number.NaN;
  return typeof value === 'string' && /^\s*\d+\s*$/.test(value) ? Number(value) : Number.NaN;
}

interface ColumnPage {
  readonly times: Float64Array;
  /** Per variable, in the order of the builder's variables. */
  readonly values: readonly Float64Array[];
  readonly qc: readonly Float64Array[];
}

/**
 * Builds a RawTable page by page, as the records arrive: each page becomes typed arrays at once (8 bytes per time, 16
 * per variable) and its objects can go, so a load never holds all its records as objects (about 200 bytes each).
 */
export class RawTableBuilder {
  private readonly pages: ColumnPage[] = [];
  private length = 0;
  private readonly qcKeys: readonly string[];
  private readonly unreadable: Unreadable = { times: 0, values: 0 };

  constructor(private readonly variables: readonly VariableInfo[]) {
    this.qcKeys = variables.map((v) => `${v.name}_qc`);
  }

  add(page: readonly TimeSeriesRecord[]): void {
    const parsed = Float64Array.from(page, (r) => timeOf(r._time));
    // A record without a readable time has no place on the time axis; a NaN time would break sorting and searching.
    const allReadable = parsed.every(Number.isFinite);
    const records = allReadable ? page : page.filter((_, i) => Number.isFinite(parsed[i]));
    const times = allReadable ? parsed : parsed.filter(Number.isFinite);
    this.unreadable.times += page.length - records.length;
    this.pages.push({
      times,
      values: this.variables.map((v) => Float64Array.from(records, (r) => numeric(r[v.name], this.unreadable))),
      qc: this.qcKeys.map((key) => Float64Array.from(records, (r) => qualityCodeOf(r[key]))),
    });
    this.length += records.length;
  }

  /** The table, sorted by time (pages normally arrive in order: then nothing moves). */
  finish(): RawTable {
    const join = (part: (page: ColumnPage) => Float64Array) => {
      const out = new Float64Array(this.length);
      let at = 0;
      for (const page of this.pages) {
        out.set(part(page), at);
        at += page.times.length;
      }
      return out;
    };
    const times = join((p) => p.times);
    const order = timeOrder(times);
    const columns = this.variables.map((v, c) => ({
      name: v.name, unit: v.unit,
      values: reorder(join((p) => p.values[c] as Float64Array), order),
      qc: reorder(join((p) => p.qc[c] as Float64Array), order),
    }));
    this.pages.length = 0;
    return { kind: 'raw', times: reorder(times, order), columns, unreadable: { ...this.unreadable } };
  }
}

/** The table of pages of records as they arrive (see RawTableBuilder). */
export async function rawTableOf(pages: AsyncIterable<readonly TimeSeriesRecord[]>, variables: readonly VariableInfo[]): Promise<RawTable> {
  const builder = new RawTableBuilder(variables);
  for await (const page of pages) builder.add(page);
  return builder.finish();
}

export function aggregateTable(records: readonly Aggregate[], variables: readonly VariableInfo[]): AggregateTable {
  const unreadable: Unreadable = { times: 0, values: 0 };
  const readable = records.flatMap((record) => {
    const start = timeOf(record.starttime);
    const end = timeOf(record.endtime);
    // As for raw records: an interval without a readable time has no place on the time axis.
    if (Number.isFinite(start) && Number.isFinite(end)) return [{ record, start, end }];
    unreadable.times++;
    return [];
  });
  const n = readable.length;
  const starts = Float64Array.from(readable, (r) => r.start);
  const ends = Float64Array.from(readable, (r) => r.end);
  const columns = variables.map((v) => ({
    ...v,
    fields: Object.fromEntries(AGGREGATE_KEYS.map((k) => [k, new Float64Array(n)])) as Record<AggregateKey, Float64Array>,
  }));
  readable.forEach(({ record }, i) => {
    for (const c of columns) {
      const values = record[c.name];
      const object = typeof values === 'object' && values !== null ? (values as Record<string, unknown>) : {};
      for (const k of AGGREGATE_KEYS) {
        c.fields[k][i] = AGGREGATE_TIME_KEYS.has(k) ? timeOf(object[k]) : numeric(object[k], unreadable);
      }
    }
  });
  const order = timeOrder(starts);
  return {
    kind: 'aggregate',
    starts: reorder(starts, order),
    ends: reorder(ends, order),
    columns: columns.map((c) => ({
      ...c,
      fields: Object.fromEntries(AGGREGATE_KEYS.map((k) => [k, reorder(c.fields[k], order)])) as Record<AggregateKey, Float64Array>,
    })),
    unreadable,
  };
}

/** Keeps the points where `values` has a number, with their times and severities. */
function present(times: Float64Array, values: Float64Array, severityAt: (i: number) => number): SeriesColumns {
  let count = 0;
  for (let i = 0; i < values.length; i++) if (!Number.isNaN(values[i])) count++;
  const out = { times: new Float64Array(count), values: new Float64Array(count), severity: new Uint8Array(count) };
  for (let i = 0, k = 0; i < values.length; i++) {
    if (Number.isNaN(values[i])) continue;
    out.times[k] = times[i] as number;
    out.values[k] = values[i] as number;
    out.severity[k++] = severityAt(i);
  }
  return out;
}

/**
 * The chart's lines at full resolution. A record without a value for a variable is skipped (variables are often written
 * at different times); a step much longer than the series' usual one (raw) or than one interval (aggregates) is a gap.
 */
export function fullSeries(table: LoadedTable, fields: readonly AggregateFieldChoice[]): FullSeries[] {
  if (table.kind === 'raw') {
    return table.columns.map((c) => {
      const points = present(table.times, c.values, (i) => qualityOf(c.qc[i] as number));
      return { name: c.name, unit: c.unit, field: 'value', columns: insertGaps(points, gapThreshold(points.times)) };
    });
  }
  const wanted: [SeriesField, AggregateKey | 'count'][] = [];
  if (fields.includes('average')) wanted.push(['average', 'average']);
  if (fields.includes('minmax')) wanted.push(['min', 'minvalue'], ['max', 'maxvalue']);
  if (fields.includes('sum')) wanted.push(['sum', 'sum']);
  if (fields.includes('count')) wanted.push(['count', 'count']);
  const step = table.starts.length > 1 ? gapThreshold(table.starts, 1.5) : Infinity;
  return table.columns.flatMap((c) => {
    const f = c.fields;
    const count = f.countgood.map((g, i) => {
      const parts = [g, f.countuncertain[i] as number, f.countbad[i] as number].filter((x) => !Number.isNaN(x));
      return parts.length ? parts.reduce((a, b) => a + b, 0) : Number.NaN;
    });
    const share = (n: number, i: number) => (n > 0 ? n / (count[i] as number) : 0);
    const severity = (i: number) =>
      share(f.countbad[i] as number, i) >= MARK_SHARE ? QUALITY.bad
        : share(f.countuncertain[i] as number, i) >= MARK_SHARE ? QUALITY.uncertain : QUALITY.good;
    // The marks go on the variable's first line only: four lines of the same interval need one mark, not four.
    return wanted.map(([field, key], k) => {
      const points = present(table.starts, key === 'count' ? count : f[key], k === 0 ? severity : () => QUALITY.good);
      return { name: c.name, unit: field === 'count' ? '' : c.unit, field, columns: insertGaps(points, step) };
    });
  });
}

/** Records (raw) or intervals (aggregates) in the table. */
export function tableLength(table: LoadedTable): number {
  return table.kind === 'raw' ? table.times.length : table.starts.length;
}
