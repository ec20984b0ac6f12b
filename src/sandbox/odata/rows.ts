// The objects of Data Hub entity sets, produced lazily and in order, and the reading of one response page from them.
// Time series and aggregates come out ordered by time (then by asset, variable and aggregation type), so a page can end
// anywhere and the next one resumes exactly there: the `$skiptoken` is "time.n", the time of the last object read and
// how many objects at that time were read. The time series are the sandbox's own (generated plus written, as the IoT
// Time Series API reads them); nothing is stored.
import { formatDataHubTimestamp } from '../../core/time';
import type { SandboxContext } from '../context';
import { badRequest } from '../http';
import type { Asset } from '../model';
import { type Fields, type Series, scanSeries } from '../series';
import type { Row, Value } from './query';
import type { EntitySetDef } from './service';

/** The work done for one response (points read), so an expensive query returns part of its answer and a next link. */
export interface Meter {
  cost: number;
}

/** A time at which a stream has no objects: a place where a page may end (its budget spent) although nothing matched. */
export interface Gap {
  readonly time: number;
  readonly gap: true;
}

/** Where a response resumes: objects at `time` of which the first `seen` were already read. */
export interface Resume {
  readonly time: number;
  readonly seen: number;
}

export const invalidSkiptoken = (token: string) =>
  badRequest(`$skiptoken=${token} is not one this service issued: follow @odata.nextLink as it is.`);

export function parseSkiptoken(token: string | undefined): Resume | undefined {
  if (token === undefined) return undefined;
  const m = /^(-?\d{1,16})\.(\d{1,9})$/.exec(token);
  if (!m) throw invalidSkiptoken(token);
  return { time: Number(m[1]), seen: Number(m[2]) };
}

export const formatSkiptoken = (r: Resume) => `${r.time}.${r.seen}`;

export interface PageOptions {
  readonly resume: Resume | undefined;
  readonly predicate: (row: Row) => boolean;
  readonly skip: number;
  readonly limit: number;
  /** Stop (with a resume point) once the meter passes this. */
  readonly budget: number;
  readonly meter: Meter;
}

export interface PageResult {
  readonly rows: Row[];
  /** Where the next page starts, when there may be more. */
  readonly next?: Resume;
  /** What is left of $skip when the budget ran out before the skipping was done. */
  readonly skipLeft: number;
}

/**
 * Reads one page from `stream` (every object from the resume time on, in order): drops the objects at that time that
 * were read before, then skips, filters and takes up to `limit` of them.
 */
export function readPage(stream: Iterable<Row | Gap>, o: PageOptions): PageResult {
  const rows: Row[] = [];
  let skipLeft = o.skip;
  if (o.limit === 0) return { rows, skipLeft };
  // The position: the time of the last object read, and how many objects at that time were read.
  let time = Number.NaN;
  let seen = 0;
  let dropping = o.resume !== undefined;
  for (const row of stream) {
    if (dropping && !(row.time === o.resume!.time && seen < o.resume!.seen && (Number.isNaN(time) || time === row.time))) dropping = false;
    const newTime = !Number.isNaN(time) && row.time !== time;
    // The budget ends a page only between two times, after this page read something: every next link makes progress,
    // and the next page starts afresh at a later time instead of recomputing the objects of this one.
    if (!dropping && (rows.length === o.limit || (o.meter.cost >= o.budget && newTime))) {
      return { rows, next: newTime ? { time: row.time, seen: 0 } : { time, seen }, skipLeft };
    }
    if (row.time !== time) {
      time = row.time;
      seen = 0;
    }
    seen++;
    if (dropping || 'gap' in row || !o.predicate(row)) continue;
    if (skipLeft > 0) skipLeft--;
    else rows.push(row);
  }
  return { rows, skipLeft };
}

/** Builds the values of each variable (and quality code) of a series at a point, generated or written. */
function valuesOf(set: EntitySetDef, series: Series): (t: number, k: number, fields: Fields | undefined) => Record<string, Value> {
  const g = series.generator;
  const variables = (set.variables ?? []).map((v) => ({ v, generated: g?.variables.find((gv) => gv.name === v.name) }));
  return (t, k, fields) => {
    const values: Record<string, Value> = {};
    const load = !fields && g ? g.load(t) : 0;
    for (const { v, generated } of variables) {
      if (fields) {
        values[v.name] = fields[v.name] ?? null;
        if (v.qualityCode) values[`${v.name}_qc`] = fields[`${v.name}_qc`] ?? null;
      } else {
        values[v.name] = g && generated ? g.value(generated, k, t, load) : null;
        if (v.qualityCode) values[`${v.name}_qc`] = g && generated?.qualityCode ? g.quality(generated, k) : null;
      }
    }
    return values;
  };
}

interface Point {
  readonly time: number;
  readonly k: number;
  readonly fields: Fields | undefined;
}

/** The points of a series in (from, to], in batches that grow as the reader keeps asking. */
export function* seriesPoints(series: Series, from: number, to: number, now: number, descending: boolean, meter: Meter): Generator<Point> {
  let lo = from;
  let hi = to;
  for (let batch = 32; ; batch = Math.min(batch * 2, 4096)) {
    const points: Point[] = [];
    const more = scanSeries(series, lo, hi, now, descending, batch, (time, k, fields) => {
      points.push({ time, k, fields });
    });
    meter.cost += points.length;
    yield* points;
    const last = points[points.length - 1];
    if (!more || !last) return;
    if (descending) hi = last.time - 1;
    else lo = last.time;
  }
}

/** The live assets of the set's asset types (exactly those types), by asset id, narrowed to `ids` when given. */
export function assetsOf(ctx: SandboxContext, set: EntitySetDef, ids?: ReadonlySet<Value>): Asset[] {
  const types = new Set(set.assetTypeIds);
  const candidates = ids
    ? [...ids].flatMap((id) => (typeof id === 'string' ? [ctx.model.liveAsset(id)] : [])).filter((a): a is Asset => !!a)
    : [...ctx.model.assets.values()].filter((a) => !a.deleted);
  return candidates.filter((a) => types.has(a.typeId)).sort((a, b) => (a.assetId < b.assetId ? -1 : a.assetId > b.assetId ? 1 : 0));
}

export function assetRow(a: Asset): Row {
  return { time: Number.NaN, values: { assetId: a.assetId, name: a.name, description: a.description, externalId: a.externalId,
    typeId: a.typeId, parentId: a.parentId, timezone: a.timezone } };
}

/**
 * The objects of a TS_ entity set in (from, to], from `start` on (inclusive), ordered by time and then asset id: the
 * series of every asset merged.
 */
export function* timeSeriesRows(ctx: SandboxContext, set: EntitySetDef, assets: readonly Asset[], from: number, to: number,
  descending: boolean, start: number | undefined, meter: Meter): Generator<Row> {
  const now = Date.now();
  const lo = !descending && start !== undefined ? Math.max(from, start - 1) : from;
  const hi = descending && start !== undefined ? Math.min(to, start) : to;
  if (lo >= hi) return;
  const sources = assets.map((asset) => {
    const series = ctx.series(asset.assetId, set.aspectName!);
    const points = seriesPoints(series, lo, hi, now, descending, meter);
    return { asset, values: valuesOf(set, series), points, head: points.next() };
  });
  for (;;) {
    let best: (typeof sources)[number] | undefined;
    for (const s of sources) {
      if (s.head.done) continue;
      if (!best || (descending ? s.head.value.time > best.head.value!.time : s.head.value.time < best.head.value!.time)) best = s;
    }
    if (!best || best.head.done) return;
    const p = best.head.value;
    yield { time: p.time, values: { assetId: best.asset.assetId, timestamp: formatDataHubTimestamp(p.time),
      ...best.values(p.time, p.k, p.fields) } };
    best.head = best.points.next();
  }
}
