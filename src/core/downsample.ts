// Downsampling for the preview chart: the host keeps at most a few points per horizontal pixel before posting a series
// to the webview, so a million records draw as fast as a thousand and still look the same. Per pixel column the minimum
// and maximum are always kept (a spike never disappears), and so are gaps and the worst quality mark.

/** One series as parallel arrays sorted by time. A NaN value is a gap: the chart breaks its line there. */
export interface SeriesColumns {
  readonly times: Float64Array;
  readonly values: Float64Array;
  /** Per point: 0 is ordinary; higher is worse (uncertain, bad) and is kept in preference to ordinary points. */
  readonly severity: Uint8Array;
}

export interface DownsampledSeries extends SeriesColumns {
  /** Points of the source inside the window with a value (the NaN that mark gaps are not points). */
  readonly sourceCount: number;
  /**
   * Points of the source inside the window (with a value) by severity: `sourceSeverity[s]` have severity `s`. Counted
   * before downsampling, since a kept point stands for a whole pixel column of them.
   */
  readonly sourceSeverity: readonly number[];
  /** False when every point of the window was kept. */
  readonly downsampled: boolean;
}

/** The most points one pixel column keeps: first, minimum, maximum, last (or a gap or quality mark in their place). */
export const MAX_POINTS_PER_PIXEL = 4;

/** First index whose time is ≥ t (or > t with `after`). */
function search(times: Float64Array, t: number, after: boolean): number {
  let lo = 0;
  let hi = times.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((times[mid] as number) < t || (after && times[mid] === t)) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function pick(series: SeriesColumns, indices: ArrayLike<number>, count: number): SeriesColumns {
  const times = new Float64Array(count);
  const values = new Float64Array(count);
  const severity = new Uint8Array(count);
  for (let k = 0; k < count; k++) {
    const i = indices[k] as number;
    times[k] = series.times[i] as number;
    values[k] = series.values[i] as number;
    severity[k] = series.severity[i] as number;
  }
  return { times, values, severity };
}

/**
 * The points of `series` in the window [from, to] (plus one neighbour on each side, so lines run to the edges),
 * reduced to at most `pointsPerPixel` per pixel column when there are more than that in all.
 */
export function downsampleMinMax(
  series: SeriesColumns,
  window: { readonly from: number; readonly to: number },
  widthPx: number,
  pointsPerPixel = MAX_POINTS_PER_PIXEL,
): DownsampledSeries {
  const { times, values, severity } = series;
  const a = search(times, window.from, false);
  const b = search(times, window.to, true);
  const start = Math.max(0, a - 1);
  const end = Math.min(times.length, b + 1);
  const buckets = Math.max(1, Math.floor(widthPx));
  const perBucket = Math.max(2, Math.min(MAX_POINTS_PER_PIXEL, Math.floor(pointsPerPixel)));
  const counts = new Uint32Array(256); // by severity (a Uint8)
  if (b - a <= buckets * perBucket) {
    for (let i = a; i < b; i++) if (!Number.isNaN(values[i])) counts[severity[i] as number] = (counts[severity[i] as number] as number) + 1;
    return { times: times.slice(start, end), values: values.slice(start, end), severity: severity.slice(start, end),
      sourceCount: total(counts), sourceSeverity: bySeverity(counts), downsampled: false };
  }

  const kept = new Uint32Array(buckets * perBucket + 2);
  let n = 0;
  if (start < a) kept[n++] = start;
  const scale = buckets / Math.max(1, window.to - window.from);
  const picks = [-1, -1, -1, -1, -1, -1];
  let bucket = -1;
  let bucketStart = a;
  let first = -1, last = -1, min = -1, max = -1, gap = -1, worst = -1;

  const flush = (bucketEnd: number): void => {
    if (bucketEnd - bucketStart <= perBucket) {
      for (let i = bucketStart; i < bucketEnd; i++) kept[n++] = i;
      return;
    }
    // In order of importance: the extremes, a gap, the worst quality mark, then where the column's line enters and leaves.
    picks[0] = min; picks[1] = max; picks[2] = gap; picks[3] = worst; picks[4] = first; picks[5] = last;
    const from = n;
    for (let p = 0; p < picks.length && n - from < perBucket; p++) {
      const i = picks[p] as number;
      if (i < 0) continue;
      let seen = false;
      for (let k = from; k < n; k++) if (kept[k] === i) seen = true;
      if (!seen) kept[n++] = i;
    }
    kept.subarray(from, n).sort();
  };

  for (let i = a; i < b; i++) {
    const column = Math.min(buckets - 1, Math.floor(((times[i] as number) - window.from) * scale));
    if (column !== bucket) {
      if (bucket >= 0) flush(i);
      bucket = column;
      bucketStart = i;
      first = last = min = max = gap = worst = -1;
    }
    const v = values[i] as number;
    if (Number.isNaN(v)) {
      if (gap < 0) gap = i;
      continue;
    }
    if (first < 0) first = i;
    last = i;
    if (min < 0 || v < (values[min] as number)) min = i;
    if (max < 0 || v > (values[max] as number)) max = i;
    const s = severity[i] as number;
    counts[s] = (counts[s] as number) + 1;
    if (s > 0 && (worst < 0 || s > (severity[worst] as number))) worst = i;
  }
  if (bucket >= 0) flush(b);
  if (end > b) kept[n++] = b;
  return { ...pick(series, kept, n), sourceCount: total(counts), sourceSeverity: bySeverity(counts), downsampled: true };
}

function total(counts: Uint32Array): number {
  return counts.reduce((sum, c) => sum + c, 0);
}

/** The counts up to the highest severity that occurs. */
function bySeverity(counts: Uint32Array): number[] {
  let last = counts.length - 1;
  while (last >= 0 && counts[last] === 0) last--;
  return Array.from(counts.subarray(0, last + 1));
}

/**
 * Inserts a NaN point in every step longer than `maxStepMs`, so the chart shows missing data as a gap rather than a
 * straight line across it.
 */
export function insertGaps(series: SeriesColumns, maxStepMs: number): SeriesColumns {
  const { times } = series;
  const holes: number[] = [];
  for (let i = 1; i < times.length; i++) {
    if ((times[i] as number) - (times[i - 1] as number) > maxStepMs) holes.push(i);
  }
  if (holes.length === 0) return series;
  const count = times.length + holes.length;
  const out = { times: new Float64Array(count), values: new Float64Array(count), severity: new Uint8Array(count) };
  let from = 0;
  let at = 0;
  for (const hole of [...holes, times.length]) {
    out.times.set(times.subarray(from, hole), at);
    out.values.set(series.values.subarray(from, hole), at);
    out.severity.set(series.severity.subarray(from, hole), at);
    at += hole - from;
    if (hole < times.length) {
      out.times[at] = ((times[hole - 1] as number) + (times[hole] as number)) / 2;
      out.values[at] = Number.NaN;
      at++;
    }
    from = hole;
  }
  return out;
}

/**
 * How long a step between two records must be to count as missing data: several times the typical (median) step.
 * The median is taken over at most ~10,000 evenly spread steps, so a million records cost microseconds.
 */
export function gapThreshold(times: Float64Array, factor = 5): number {
  const steps = times.length - 1;
  if (steps < 2) return Infinity;
  const stride = Math.max(1, Math.floor(steps / 10_000));
  const sample: number[] = [];
  for (let i = 1; i <= steps; i += stride) sample.push((times[i] as number) - (times[i - 1] as number));
  sample.sort((x, y) => x - y);
  const median = sample[sample.length >> 1] as number;
  return median > 0 ? median * factor : Infinity;
}
