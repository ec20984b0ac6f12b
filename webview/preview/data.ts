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

/**
 * The times of all lines, ascending. A time that one line has k times (two records of the same instant) is there k
 * times, so each of its points keeps a slot of its own: merged into one, the later would overwrite a spike.
 */
function unionTimes(series: readonly SeriesPayload[]): Float64Array {
  return series.reduce<Float64Array>((union, s) => mergeTimes(union, s.times), new Float64Array(0));
}

/** Merges two ascending lists; a time in both is kept as often as the longer run of it has it. */
function mergeTimes(a: Float64Array, b: Float64Array): Float64Array {
  const out = new Float64Array(a.length + b.length);
  let i = 0, j = 0, n = 0;
  while (i < a.length || j < b.length) {
    const x = a[i] as number;
    const y = b[j] as number;
    // Written so that a NaN, which compares to nothing, is taken on its own and the loop still ends.
    if (j >= b.length || (i < a.length && !(x >= y))) out[n++] = a[i++] as number;
    else if (i >= a.length || !(y >= x)) out[n++] = b[j++] as number;
    else {
      out[n++] = x;
      i++;
      j++;
    }
  }
  return out.slice(0, n);
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
      if (!shared) {
        // Bounded: a time that is not in `x` (NaN equals nothing) must not run past its end, which would hang the panel.
        while (j < x.length && x[j] !== s.times[i]) j++;
        if (j === x.length) break;
      }
      // Each point takes its own slot: the next point of the same time goes to the next one (see unionTimes).
      const at = shared ? i : j++;
      const v = s.values[i] as number;
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
