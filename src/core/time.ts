// ISO 8601 instants as MindSphere's APIs read and write them. Pure functions, shared by the sandbox tenant and anything
// else that parses `from`/`to` parameters.

export const SECOND_MS = 1000;
export const MINUTE_MS = 60 * SECOND_MS;
export const HOUR_MS = 60 * MINUTE_MS;
export const DAY_MS = 24 * HOUR_MS;
export const WEEK_MS = 7 * DAY_MS;

// YYYY-MM-DD, optionally followed by THH, THH:mm, THH:mm:ss or THH:mm:ss.fff (any number of fraction digits), then an
// optional zone: Z, ±HH, ±HHmm or ±HH:mm. The short forms are those Aggregates v4 documents ("2020-02-20Z",
// "2020-02-20T10Z", "2020-02-20T10:30-05:00"); a missing zone means UTC, as there.
const ISO =
  /^(\d{4})-(\d{2})-(\d{2})(?:[Tt](\d{2})(?::(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?)?)?(?:([Zz])|([+-])(\d{2})(?::?(\d{2}))?)?$/;

/**
 * Parses an ISO 8601 date or date-time into epoch milliseconds, or returns undefined when the text is not one (including
 * impossible dates such as 2023-02-30 or hour 25). Unlike `Date.parse`, it accepts no locale formats, and a missing
 * zone means UTC, never local time.
 */
export function parseIsoTime(text: string): number | undefined {
  const m = ISO.exec(text.trim());
  if (!m) return undefined;
  const [, y, mo, d, h = '0', mi = '0', s = '0', frac = '', z, sign, oh = '0', om = '0'] = m;
  const year = Number(y);
  const month = Number(mo);
  const day = Number(d);
  const hour = Number(h);
  const minute = Number(mi);
  const second = Number(s);
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return undefined;
  if (hour > 24 || minute > 59 || second > 59 || (hour === 24 && (minute > 0 || second > 0 || Number(frac) > 0))) {
    return undefined;
  }
  const offsetHours = Number(oh);
  const offsetMinutes = Number(om);
  if (offsetHours > 23 || offsetMinutes > 59) return undefined;
  const ms = Math.floor(Number(`0.${frac || '0'}`) * 1000);
  let t = utc(year, month - 1, day, hour, minute, second, ms);
  if (!z && sign) t -= (sign === '-' ? -1 : 1) * (offsetHours * HOUR_MS + offsetMinutes * MINUTE_MS);
  return Number.isFinite(t) ? t : undefined;
}

function daysInMonth(year: number, month: number): number {
  return new Date(utc(year, month, 0)).getUTCDate();
}

/** Date.UTC without its two-digit-year rule, which reads years 0 to 99 as 1900 to 1999. */
function utc(year: number, monthIndex: number, day: number, hour = 0, minute = 0, second = 0, ms = 0): number {
  const date = new Date(0);
  date.setUTCFullYear(year, monthIndex, day);
  return date.setUTCHours(hour, minute, second, ms);
}

// parseRecordTime runs for every record of every page (a million-record read parses a million): the date, hour and
// minute of MindSphere's own form are parsed once per minute, the seconds and milliseconds from their digits.
let parsedMinutePrefix = '\0'; // YYYY-MM-DDTHH:mm: of the last minute parsed (no text starts with NUL)
let parsedMinuteMs = 0;

/**
 * Epoch milliseconds of a record's `_time`, NaN when it is not an ISO 8601 time. Same answers as parseIsoTime, faster
 * for the form MindSphere writes (`2017-11-02T00:00:00.001Z`).
 */
export function parseRecordTime(text: string): number {
  if (text.length === 24 && text.charCodeAt(19) === 46 /* . */ && text.charCodeAt(23) === 90 /* Z */) {
    if (!text.startsWith(parsedMinutePrefix)) {
      const ms = parseIsoTime(text);
      // Hour 24 is only valid as 24:00:00.000, so its minute is no prefix for other seconds.
      if (ms === undefined || text.startsWith('24', 11)) return ms ?? Number.NaN;
      parsedMinutePrefix = text.slice(0, 17);
      parsedMinuteMs = ms - (ms % MINUTE_MS + MINUTE_MS) % MINUTE_MS;
    }
    const s1 = text.charCodeAt(17) - 48;
    const s2 = text.charCodeAt(18) - 48;
    const m1 = text.charCodeAt(20) - 48;
    const m2 = text.charCodeAt(21) - 48;
    const m3 = text.charCodeAt(22) - 48;
    if (s1 >= 0 && s1 <= 5 && s2 >= 0 && s2 <= 9 && m1 >= 0 && m1 <= 9 && m2 >= 0 && m2 <= 9 && m3 >= 0 && m3 <= 9) {
      return parsedMinuteMs + (s1 * 10 + s2) * SECOND_MS + m1 * 100 + m2 * 10 + m3;
    }
    return Number.NaN;
  }
  return parseIsoTime(text) ?? Number.NaN;
}

// formatIsoTime runs for every record of a 2000-record page: the date and minute part is formatted once per minute.
let cachedMinute = Number.NaN;
let cachedPrefix = '';
const LAST_4_DIGIT_YEAR_MS = 253402300800000;

/** Formats epoch milliseconds the way MindSphere returns `_time`: `2017-11-02T00:00:00.001Z`. */
export function formatIsoTime(ms: number): string {
  if (!(ms >= 0 && ms < LAST_4_DIGIT_YEAR_MS) || !Number.isInteger(ms)) return new Date(ms).toISOString();
  const minute = Math.floor(ms / MINUTE_MS);
  if (minute !== cachedMinute) {
    cachedMinute = minute;
    cachedPrefix = new Date(minute * MINUTE_MS).toISOString().slice(0, 17); // YYYY-MM-DDTHH:mm:
  }
  const rest = ms - minute * MINUTE_MS;
  const seconds = Math.floor(rest / 1000);
  const millis = rest - seconds * 1000;
  return `${cachedPrefix}${seconds < 10 ? '0' : ''}${seconds}.${millis < 10 ? '00' : millis < 100 ? '0' : ''}${millis}Z`;
}

/**
 * Formats a Data Hub `timestamp` value: `YYYY-MM-DDTHH:mm:ss` in UTC without a zone, the form seed §8.3 documents, with
 * `.fff` added only for a time between whole seconds (cut off, records of one second would share their key).
 */
export function formatDataHubTimestamp(ms: number): string {
  const text = formatIsoTime(ms);
  return text.endsWith('.000Z') ? text.slice(0, -5) : text.slice(0, -1);
}

/** Formats without milliseconds (`2017-05-01T00:08:00Z`), the form of Aggregates v4 `starttime`/`endtime`. */
export function formatIsoSeconds(ms: number): string {
  const text = new Date(ms).toISOString();
  return text.endsWith('.000Z') ? `${text.slice(0, -5)}Z` : text;
}
