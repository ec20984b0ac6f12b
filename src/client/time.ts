// Times as the client takes them (a Date, epoch milliseconds, an ISO string, or on the command line `now` and `-24h`),
// and as MindSphere takes them (ISO 8601 with milliseconds, UTC).
import { InputError } from './errors';

export type TimeInput = Date | number | string;

const UNIT_MS: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 7 * 86_400_000 };

/**
 * Epoch milliseconds of a time: a Date, a number (epoch ms), an ISO 8601 string (no time zone = UTC, as MindSphere reads
 * it), `now`, or a relative `-15m`, `-24h`, `-7d`, `-2w` (before `now`). Throws an InputError naming `label` otherwise.
 */
export function toEpochMs(value: TimeInput, label = 'time', now: number = Date.now()): number {
  if (value instanceof Date) return checked(value.getTime(), value, label);
  if (typeof value === 'number') return checked(value, value, label);
  const text = value.trim();
  if (text === 'now') return now;
  const rel = /^-(\d+(?:\.\d+)?)([smhdw])$/.exec(text);
  if (rel) return now - Number(rel[1]) * (UNIT_MS[rel[2] ?? 's'] ?? 1000);
  if (!/^\d{4}-\d{2}-\d{2}/.test(text)) {
    throw new InputError(`The ${label} '${text}' is not a time. Use ISO 8601 like 2026-03-01T00:00:00Z, 'now', or a relative time like -24h or -7d.`);
  }
  // MindSphere reads a time without a zone as UTC; Date.parse would read it as local time.
  const iso = /^\d{4}-\d{2}-\d{2}$/.test(text) ? `${text}T00:00:00Z` : /(Z|[+-]\d{2}:?\d{2})$/i.test(text) ? text : `${text}Z`;
  return checked(Date.parse(iso), text, label);
}

function checked(ms: number, original: unknown, label: string): number {
  if (!Number.isFinite(ms)) throw new InputError(`The ${label} '${String(original)}' is not a valid time.`);
  return ms;
}

export function toIso(ms: number): string {
  return new Date(ms).toISOString();
}

/** Checks `from < to` for a (from, to] range and returns both in epoch ms. */
export function toRange(from: TimeInput, to: TimeInput, now: number = Date.now()): { from: number; to: number } {
  const f = toEpochMs(from, 'start time (from)', now);
  const t = toEpochMs(to, 'end time (to)', now);
  if (f >= t) throw new InputError(`The start time ${toIso(f)} is not before the end time ${toIso(t)}. MindSphere reads ranges as (from, to]: from is exclusive, to inclusive.`);
  return { from: f, to: t };
}
