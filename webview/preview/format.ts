// How the panel writes times and numbers: times in UTC, as MindSphere stores them and as the REST request and the
// exports carry them, so what the user reads in the panel is what they find in the data.

const number = new Intl.NumberFormat('en-US', { maximumFractionDigits: 3 });
const count = new Intl.NumberFormat('en-US');

export function formatValue(v: number | null | undefined): string {
  if (v === null || v === undefined || Number.isNaN(v)) return '–';
  const a = Math.abs(v);
  return a !== 0 && (a >= 1e9 || a < 1e-3) ? v.toExponential(3) : number.format(v);
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

/** The instant a range's time stands for: as the host reads it, a time without a zone (a datetime-local field's) is UTC. */
export function fromRangeTime(text: string): number {
  return Date.parse(/(Z|[+-]\d\d:?\d\d)$/.test(text) ? text : `${text}Z`);
}
