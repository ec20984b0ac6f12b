// Times as the client takes them (a Date, epoch milliseconds, an ISO string, or on the command line `now` and `-24h`),
// and as MindSphere takes them (ISO 8601 with milliseconds, UTC).
import { DAY_MS, formatIsoTime, HOUR_MS, MINUTE_MS, parseIsoTime, SECOND_MS, WEEK_MS } from '../core/time';
import { InputError } from './errors';

export type TimeInput = Date | number | string;

const UNIT_MS: Record<string, number> = { s: SECOND_MS, m: MINUTE_MS, h: HOUR_MS, d: DAY_MS, w: WEEK_MS };

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
  if (rel) return checked(now - Number(rel[1]) * (UNIT_MS[rel[2] ?? 's'] ?? 1000), text, label);
  const ms = parseIsoTime(text); // no zone means UTC, as MindSphere reads it
  if (ms === undefined) {
    throw new InputError(`The ${label} '${text}' is not a time. Use ISO 8601 like 2026-03-01T00:00:00Z, 'now', or a relative time like -24h or -7d.`);
  }
  return ms;
}

/** The furthest a Date reaches either side of 1970 (about 275,000 years): beyond it no ISO time exists. */
const MAX_TIME_MS = 8.64e15;

function checked(ms: number, original: unknown, label: string): number {
  if (!Number.isFinite(ms)) throw new InputError(`The ${label} '${String(original)}' is not a valid time.`);
  if (Math.abs(ms) > MAX_TIME_MS) {
    throw new InputError(`The ${label} '${String(original)}' is too far from today to be a time. Use a time within years 0000–9999, such as -30d or 2026-01-01T00:00:00Z.`);
  }
  return ms;
}

export const toIso = formatIsoTime;

/** Checks `from < to` for a (from, to] range and returns both in epoch ms. */
export function toRange(from: TimeInput, to: TimeInput, now: number = Date.now()): { from: number; to: number } {
  const f = toEpochMs(from, 'start time (from)', now);
  const t = toEpochMs(to, 'end time (to)', now);
  if (f >= t) throw new InputError(`The start time ${toIso(f)} is not before the end time ${toIso(t)}. MindSphere reads ranges as (from, to]: from is exclusive, to inclusive.`);
  return { from: f, to: t };
}
