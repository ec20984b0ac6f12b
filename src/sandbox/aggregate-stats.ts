// Running statistics of one variable over a span of records: what IoT TS Aggregates v4 returns per variable (API §1.5)
// and what the Data Hub AGGR_ entity sets read per aggregation type. One implementation for both, so the two APIs agree
// value for value. Bad-quality values are counted but kept out of the statistics.
import * as signal from './signal';

// A local copy for the per-point loop (see signal.ts on imported bindings).
const { qualityClass } = signal;

/** Running statistics of one variable; `n` counts the values in them (good and uncertain). */
export interface AggregateStats {
  firsttime: number; firstvalue: number; lasttime: number; lastvalue: number;
  mintime: number; minvalue: number; maxtime: number; maxvalue: number;
  sum: number; sumsq: number; n: number; countgood: number; countuncertain: number; countbad: number;
}

/** The numeric fields, named as Aggregates v4 names them (and Data Hub's `aggregationType` values). */
export type AggregateValueField = 'firstvalue' | 'lastvalue' | 'minvalue' | 'maxvalue' | 'average' | 'sum' | 'sd' |
  'countgood' | 'countuncertain' | 'countbad';

export const emptyStats = (): AggregateStats => ({
  firsttime: NaN, firstvalue: NaN, lasttime: NaN, lastvalue: NaN, mintime: NaN, minvalue: Infinity, maxtime: NaN, maxvalue: -Infinity,
  sum: 0, sumsq: 0, n: 0, countgood: 0, countuncertain: 0, countbad: 0,
});

/** Adds the value at time `t` (values arrive in time order). */
export function addValue(s: AggregateStats, t: number, value: number, quality: number): void {
  const cls = qualityClass(quality);
  if (cls === 'bad') {
    s.countbad++;
    return;
  }
  if (cls === 'good') s.countgood++;
  else s.countuncertain++;
  if (s.n === 0) {
    s.firsttime = t;
    s.firstvalue = value;
  }
  s.lasttime = t;
  s.lastvalue = value;
  if (value < s.minvalue) {
    s.minvalue = value;
    s.mintime = t;
  }
  if (value > s.maxvalue) {
    s.maxvalue = value;
    s.maxtime = t;
  }
  s.sum += value;
  s.sumsq += value * value;
  s.n++;
}

/** Merges `b` (later in time) into `a`. */
export function mergeStats(a: AggregateStats, b: AggregateStats): void {
  a.countbad += b.countbad;
  a.countgood += b.countgood;
  a.countuncertain += b.countuncertain;
  if (b.n === 0) return;
  if (a.n === 0) {
    a.firsttime = b.firsttime;
    a.firstvalue = b.firstvalue;
  }
  a.lasttime = b.lasttime;
  a.lastvalue = b.lastvalue;
  if (b.minvalue < a.minvalue) {
    a.minvalue = b.minvalue;
    a.mintime = b.mintime;
  }
  if (b.maxvalue > a.maxvalue) {
    a.maxvalue = b.maxvalue;
    a.maxtime = b.maxtime;
  }
  a.sum += b.sum;
  a.sumsq += b.sumsq;
  a.n += b.n;
}

/** No records at all, not even bad ones: "no aggregate will be returned" for such an interval. */
export const hasNoRecords = (s: AggregateStats): boolean => s.n + s.countbad === 0;

/** One numeric field; null where there are no usable values (or the sample deviation does not fit a double). */
export function statValue(s: AggregateStats, field: AggregateValueField): number | null {
  const has = s.n > 0;
  switch (field) {
    case 'firstvalue': return has ? s.firstvalue : null;
    case 'lastvalue': return has ? s.lastvalue : null;
    case 'minvalue': return has ? s.minvalue : null;
    case 'maxvalue': return has ? s.maxvalue : null;
    case 'average': return has ? s.sum / s.n : null;
    case 'sum': return has ? s.sum : null;
    case 'sd': {
      const sd = Math.sqrt(s.n > 1 ? Math.max(0, (s.sumsq - (s.sum * s.sum) / s.n) / (s.n - 1)) : 0);
      return has && Number.isFinite(sd) ? sd : null;
    }
    case 'countgood': return s.countgood;
    case 'countuncertain': return s.countuncertain;
    case 'countbad': return s.countbad;
  }
}
