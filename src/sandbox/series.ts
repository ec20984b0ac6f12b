// Time series as the API reads them: the generated points of an aspect, overlaid with what clients wrote (PUT replaces
// the whole record at a timestamp) and minus what they deleted. Written data lives in memory and, with a data
// directory, in an append-only journal that is replayed at start, so a restart loses nothing.
import { appendFileSync, closeSync, existsSync, mkdirSync, openSync, readSync, statSync, truncateSync } from 'node:fs';
import { join } from 'node:path';
import type { VariableDefinition } from './model';
import type { SeriesGenerator } from './signal';

export type FieldValue = number | boolean | string | null;
export type Fields = Record<string, FieldValue>;

/** First index in the sorted `times` whose time is > t. */
function upperBound(times: readonly number[], t: number): number {
  let lo = 0;
  let hi = times.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (times[mid]! <= t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** What clients wrote to one aspect of one asset. */
export class SeriesOverlay {
  readonly times: number[] = [];
  readonly records: Fields[] = [];
  /** Deleted windows (start, end], sorted and disjoint: generated points inside them are gone. */
  readonly deletions: [number, number][] = [];
  /** Bumped on every change, so cached aggregates of this series are recomputed. */
  version = 0;

  put(time: number, fields: Fields): void {
    const i = upperBound(this.times, time);
    if (i > 0 && this.times[i - 1] === time) this.records[i - 1] = fields;
    else {
      this.times.splice(i, 0, time);
      this.records.splice(i, 0, fields);
    }
    this.version++;
  }

  delete(from: number, to: number): void {
    const a = upperBound(this.times, from);
    const b = upperBound(this.times, to);
    this.times.splice(a, b - a);
    this.records.splice(a, b - a);
    let start = from;
    let end = to;
    const kept: [number, number][] = [];
    for (const [s, e] of this.deletions) {
      if (e < start || s > end) kept.push([s, e]);
      else {
        start = Math.min(start, s);
        end = Math.max(end, e);
      }
    }
    kept.push([start, end]);
    kept.sort((x, y) => x[0] - y[0]);
    this.deletions.splice(0, this.deletions.length, ...kept);
    this.version++;
  }

  /** The deleted window containing `t`, if any (binary search: a series may collect many deletions). */
  deletionAt(t: number): [number, number] | undefined {
    let lo = 0;
    let hi = this.deletions.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.deletions[mid]![1] < t) lo = mid + 1;
      else hi = mid;
    }
    const d = this.deletions[lo];
    return d && t > d[0] && t <= d[1] ? d : undefined;
  }

  /** True when something was written or deleted in (from, to]. */
  touches(from: number, to: number): boolean {
    const [a, b] = this.window(from, to);
    return a < b || this.deletions.some(([s, e]) => s < to && e > from);
  }

  /** Index of the first written record after `t`, and of the first after `to` (exclusive end). */
  window(from: number, to: number): [number, number] {
    return [upperBound(this.times, from), upperBound(this.times, to)];
  }
}

/** A time series: an aspect's variables, its generator (seeded plant assets only) and its overlay. */
export interface Series {
  readonly key: string;
  readonly aspectName: string;
  readonly variables: readonly VariableDefinition[];
  readonly generator: SeriesGenerator | undefined;
  readonly overlay: SeriesOverlay | undefined;
}

/**
 * Calls `visit` for every record in (from, to], ascending or descending, at most `limit` of them; `k` is the generated
 * point's index (or -1) and `fields` the written record (or undefined); `visit` may return false to stop early.
 * Returns true when more records follow.
 * Cost is proportional to the records visited: deleted windows are skipped in one step, nothing is allocated per point.
 */
export function scanSeries(series: Series, from: number, to: number, now: number, descending: boolean, limit: number,
  visit: (time: number, k: number, fields: Fields | undefined) => boolean | void): boolean {
  const { generator: g, overlay: o } = series;
  let kFirst = 0;
  let kLast = -1;
  if (g) {
    kFirst = g.firstIndexAfter(from);
    kLast = g.lastIndexAtOrBefore(Math.min(to, now));
  }
  const [iFirst, iEnd] = o ? o.window(from, to) : [0, 0];
  let k = descending ? kLast : kFirst;
  let i = descending ? iEnd - 1 : iFirst;
  const step = descending ? -1 : 1;
  let count = 0;
  for (;;) {
    // Advance the generated cursor to the next point that exists (not in a gap, not deleted).
    let tg = Number.NaN;
    while (g && k >= kFirst && k <= kLast) {
      const t = g.timeOf(k);
      const deleted = o?.deletionAt(t);
      if (deleted) {
        k = descending ? g.lastIndexAtOrBefore(deleted[0]) : g.firstIndexAfter(deleted[1]);
        continue;
      }
      if (g.exists(t)) {
        tg = t;
        break;
      }
      k += step;
    }
    const tw = o && i >= iFirst && i < iEnd ? o.times[i]! : Number.NaN;
    if (Number.isNaN(tg) && Number.isNaN(tw)) return false;
    if (count === limit) return true;
    count++;
    const writtenFirst = Number.isNaN(tg) || (!Number.isNaN(tw) && (descending ? tw >= tg : tw <= tg));
    if (writtenFirst) {
      const go = visit(tw, -1, o!.records[i]);
      if (tw === tg) k += step; // the written record replaces the generated one
      i += step;
      if (go === false) return true;
    } else {
      const go = visit(tg, k, undefined);
      k += step;
      if (go === false) return true;
    }
  }
}

type JournalEntry =
  | { put: string; records: [number, Fields][] }
  | { delete: string; from: number; to: number };

/** All overlays of the tenant, with the optional journal file in the data directory. */
export class OverlayStore {
  private readonly overlays = new Map<string, SeriesOverlay>();
  private readonly journal: string | undefined;
  /** A failed append left part of a line that could not be cut off: the next entry starts on a line of its own. */
  private tornTail = false;

  constructor(dataDir?: string, private readonly log: (line: string) => void = () => undefined) {
    if (dataDir === undefined) return;
    mkdirSync(dataDir, { recursive: true });
    this.journal = join(dataDir, 'timeseries.jsonl');
    if (existsSync(this.journal)) this.replay(this.journal);
  }

  get(key: string): SeriesOverlay | undefined {
    return this.overlays.get(key);
  }

  put(key: string, records: [number, Fields][]): void {
    this.write({ put: key, records });
    this.apply({ put: key, records });
  }

  delete(key: string, from: number, to: number): void {
    this.write({ delete: key, from, to });
    this.apply({ delete: key, from, to });
  }

  private apply(entry: JournalEntry): void {
    const key = 'put' in entry ? entry.put : entry.delete;
    let overlay = this.overlays.get(key);
    if (!overlay) this.overlays.set(key, (overlay = new SeriesOverlay()));
    // In time order, so a batch appends instead of shifting the array per record (a stable sort keeps the last write last).
    if ('put' in entry) for (const [time, fields] of [...entry.records].sort((a, b) => a[0] - b[0])) overlay.put(time, fields);
    else overlay.delete(entry.from, entry.to);
  }

  // Written synchronously before the response: a client that got 204 never loses the data. A failed append (disk full)
  // throws before the overlay changes, so the client gets a 500 and the tenant does not hold what the journal lacks.
  private write(entry: JournalEntry): void {
    if (!this.journal) return;
    const line = `${this.tornTail ? '\n' : ''}${JSON.stringify(entry)}\n`;
    const size = statSync(this.journal, { throwIfNoEntry: false })?.size ?? 0;
    try {
      appendFileSync(this.journal, line);
      this.tornTail = false;
    } catch (error) {
      // The failed append may have written part of the line: cut it off, or the next entry would continue it and both
      // would be unreadable at the next start.
      try {
        truncateSync(this.journal, size);
      } catch {
        this.tornTail = true;
      }
      throw error;
    }
  }

  private replay(journal: string): void {
    const skipped: number[] = [];
    let tornAt: number | undefined;
    try {
      for (const { text, number, offset, ended } of readLines(journal)) {
        if (!text.trim()) continue;
        const entry = parseEntry(text);
        if (entry) this.apply(entry);
        else if (ended) skipped.push(number);
        else tornAt = offset; // only the last line can lack its newline
        // A complete last entry without its newline: end the line, or the next entry would be glued to it.
        if (entry && !ended) appendFileSync(journal, '\n');
      }
      // A torn last line is what a process that died mid-write leaves: it never was an answered write, so it goes quietly.
      if (tornAt !== undefined) truncateSync(journal, tornAt);
    } catch (error) {
      throw new Error(`${journal} could not be read: ${(error as Error).message}`, { cause: error });
    }
    if (skipped.length) {
      const shown = skipped.slice(0, 10).join(', ') + (skipped.length > 10 ? ', …' : '');
      const many = skipped.length > 1;
      this.log(`warning: ${journal}: ${skipped.length} unreadable line${many ? 's' : ''} skipped (line${many ? 's' : ''} ${shown}); ` +
        'the data written there is missing from the tenant.');
    }
  }
}

/** A journal line as an entry, or undefined when it is not one (cut short, or edited). */
function parseEntry(text: string): JournalEntry | undefined {
  let entry: unknown;
  try {
    entry = JSON.parse(text);
  } catch {
    return undefined;
  }
  const e = entry as Partial<Record<'put' | 'delete' | 'records' | 'from' | 'to', unknown>> | null;
  if (typeof e?.put === 'string' && Array.isArray(e.records)
    && e.records.every((r) => Array.isArray(r) && typeof r[0] === 'number' && typeof r[1] === 'object' && r[1] !== null)) return entry as JournalEntry;
  if (typeof e?.delete === 'string' && typeof e.from === 'number' && typeof e.to === 'number') return entry as JournalEntry;
  return undefined;
}

/**
 * The lines of a file, read in chunks: a journal may be larger than the longest string V8 can hold (about 512 MB).
 * `ended` is false for a last line without its newline.
 */
function* readLines(path: string): Generator<{ text: string; number: number; offset: number; ended: boolean }> {
  const fd = openSync(path, 'r');
  try {
    const chunk = Buffer.alloc(1 << 20);
    let pending: Buffer[] = [];
    let number = 0;
    let offset = 0; // of the line being read, in bytes
    let read = 0;
    for (let n: number; (n = readSync(fd, chunk, 0, chunk.length, null)) > 0; read += n) {
      const data = chunk.subarray(0, n);
      let start = 0;
      for (let nl: number; (nl = data.indexOf(10, start)) !== -1; start = nl + 1) {
        pending.push(data.subarray(start, nl));
        yield { text: Buffer.concat(pending).toString('utf8'), number: ++number, offset, ended: true };
        pending = [];
        offset = read + nl + 1;
      }
      if (start < n) pending.push(Buffer.from(data.subarray(start))); // a copy: the chunk is read into again
    }
    if (pending.length) yield { text: Buffer.concat(pending).toString('utf8'), number: ++number, offset, ended: false };
  } finally {
    closeSync(fd);
  }
}
