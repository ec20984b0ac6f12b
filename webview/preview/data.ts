// The host posts each line with its own times; uPlot (and the table) want one shared time axis. This aligns them:
// null where a line has a gap (uPlot breaks the line), undefined where a line has no point at that time (uPlot joins
// across it). Lines that share their times (the usual case: variables of one aspect, fields of one aggregate) are
// aligned without any copying of the time axis, and those without gaps without copying their values either.
import type { SeriesField, SeriesPayload } from '../../src/protocol/preview';

export type Cell = number | null | undefined;

export interface Line {
  /** `variable.field`: stable across loads, so legend toggles survive a reload or a zoom. */
  readonly key: string;
  readonly variable: string;
  readonly unit: string;
  readonly field: SeriesField;
  readonly label: string;
  /** The host's own array when the line has no gap and shares the time axis (a million points need no copy). */
  readonly values: readonly Cell[] | Float64Array;
  readonly quality: Uint8Array;
}

export interface Stats {
  readonly points: number;
  readonly sourcePoints: number;
  readonly downsampled: boolean;
  readonly gaps: number;
  /** Bad and uncertain points of the source (before downsampling), not of the points drawn. */
  readonly bad: number;
  readonly uncertain: number;
}

export interface Aligned {
  readonly x: Float64Array;
  readonly lines: readonly Line[];
  readonly stats: Stats;
}

const FIELD_LABELS: Record<SeriesField, string> = {
  value: '', average: 'average', min: 'min', max: 'max', sum: 'sum', count: 'count',
};

export function lineKey(variable: string, field: SeriesField): string {
  return `${variable}.${field}`;
}

function sameTimes(a: Float64Array, b: Float64Array): boolean {
  if (a === b) return true;
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

function unionTimes(series: readonly SeriesPayload[]): Float64Array {
  const all = new Float64Array(series.reduce((n, s) => n + s.times.length, 0));
  let at = 0;
  for (const s of series) {
    all.set(s.times, at);
    at += s.times.length;
  }
  all.sort();
  let n = 0;
  for (let i = 0; i < all.length; i++) if (i === 0 || all[i] !== all[n - 1]) all[n++] = all[i] as number;
  return all.slice(0, n);
}

export function align(series: readonly SeriesPayload[]): Aligned {
  const first = series[0];
  const shared = first !== undefined && series.every((s) => sameTimes(s.times, first.times));
  const x = shared ? first.times : unionTimes(series);
  let bad = 0, uncertain = 0, points = 0, sourcePoints = 0;
  // A gap of the asset breaks every line at the same time: it counts once.
  const gapAt = new Set<number>();
  const lines = series.map((s): Line => {
    const field = FIELD_LABELS[s.field];
    const line = { key: lineKey(s.variable, s.field), variable: s.variable, unit: s.unit, field: s.field,
      label: field ? `${s.variable} (${field})` : s.variable };
    points += s.times.length;
    sourcePoints += s.sourceCount;
    bad += s.sourceBad;
    uncertain += s.sourceUncertain;
    if (shared && !s.values.some(Number.isNaN)) return { ...line, values: s.values, quality: s.quality };
    const values: Cell[] = new Array(x.length);
    const quality = shared ? s.quality : new Uint8Array(x.length);
    let j = 0;
    for (let i = 0; i < s.times.length; i++) {
      if (!shared) while (x[j] !== s.times[i]) j++;
      const v = s.values[i] as number;
      const at = shared ? i : j;
      if (Number.isNaN(v)) {
        values[at] = null;
        gapAt.add(x[at] as number);
      } else {
        values[at] = v;
      }
      if (!shared) quality[at] = s.quality[i] as number;
    }
    return { ...line, values, quality };
  });
  return { x, lines, stats: { points, sourcePoints, downsampled: series.some((s) => s.downsampled), gaps: gapAt.size, bad, uncertain } };
}
