// How the panel writes times and numbers: times in UTC, as MindSphere stores them and as the REST request and the
// exports carry them, so what the user reads in the panel is what they find in the data.

/** Significant digits of a value in the chart's readout (short enough to read at a glance)… */
export const READOUT_DIGITS = 6;
/** …and in the table, where neighbouring points that differ far behind the point must still read apart. */
export const TABLE_DIGITS = 15;

const count = new Intl.NumberFormat('en-US');
const byDigits = new Map<number, Intl.NumberFormat>();

/** A value to `digits` significant digits (trailing zeros dropped); exponential where fixed notation would mislead. */
export function formatValue(v: number | null | undefined, digits = READOUT_DIGITS): string {
  if (v === null || v === undefined || Number.isNaN(v)) return '–';
  const a = Math.abs(v);
  // Past `digits` integer digits fixed notation shows invented zeros; far below 1, mostly zeros.
  if (a !== 0 && (a >= 10 ** digits || a < 1e-4)) return v.toExponential(digits - 1).replace(/\.?0+e/, 'e');
  let format = byDigits.get(digits);
  if (!format) byDigits.set(digits, (format = new Intl.NumberFormat('en-US', { maximumSignificantDigits: digits })));
  return format.format(v);
}

/**
 * The labels of an axis whose ticks are `increment` apart, with the precision of the increment (0.0002 apart: four
 * decimals), so that neighbouring labels never read the same.
 */
export function formatTicks(splits: readonly number[], increment: number): string[] {
  const largest = Math.max(0, ...splits.map(Math.abs));
  const step = Math.abs(increment) > 0 && Number.isFinite(increment) ? Math.abs(increment) : largest || 1;
  const exponential = largest >= 1e9 || (largest > 0 && largest < 1e-3) || decimalsOf(step) > 12;
  // Fixed: the increment's decimals. Exponential: as many mantissa digits as the largest label needs for the increment.
  let digits = exponential
    ? Math.max(0, Math.floor(Math.log10(largest || step)) - Math.floor(Math.log10(step)) + decimalsOf(step / 10 ** Math.floor(Math.log10(step))))
    : decimalsOf(step);
  const write = (d: number) => splits.map((s) => (!exponential ? fixed(s || 0, d) : s === 0 ? '0' : s.toExponential(d)));
  let labels = write(digits);
  // Rounding can still meet two labels (uPlot's splits carry float error): one more digit until they differ.
  while (new Set(labels).size < labels.length && digits < 20) labels = write(++digits);
  return labels;
}

function fixed(v: number, decimals: number): string {
  return v.toLocaleString('en-US', { minimumFractionDigits: decimals, maximumFractionDigits: decimals });
}

/** The decimals that write `x` exactly (up to float error): 0.25 → 2, 0.0002 → 4, 5000 → 0. */
function decimalsOf(x: number): number {
  for (let d = 0; d < 20; d++) {
    const scaled = x * 10 ** d;
    if (Math.abs(scaled - Math.round(scaled)) <= 1e-9 * Math.max(1, scaled)) return d;
  }
  return 20;
}

export function formatCount(n: number): string {
  return count.format(n);
}

/** `2026-07-15 12:34:56.789` (UTC); milliseconds only when there are some. */
export function formatTime(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms)) return '–';
  const iso = new Date(ms).toISOString();
  return iso.slice(0, iso.endsWith('.000Z') ? 19 : 23).replace('T', ' ');
}

/** For a datetime-local field: `2026-07-15T12:34` (UTC). */
export function toLocalField(ms: number): string {
  return new Date(ms).toISOString().slice(0, 16);
}

/** A range's time for a datetime-local field, as its UTC instant (`…T00:00+02:00` → the day before, 22:00). */
export function toRangeField(text: string): string {
  const ms = fromRangeTime(text);
  return Number.isFinite(ms) ? toLocalField(ms) : text.slice(0, 16);
}

/** The instant a range's time stands for: as the host reads it, a time without a zone (a datetime-local field's) is UTC. */
export function fromRangeTime(text: string): number {
  return Date.parse(/(Z|[+-]\d\d:?\d\d)$/.test(text) ? text : `${text}Z`);
}
