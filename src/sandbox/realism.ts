// The realism switches: per-request latency, injected faults (429 with Retry-After, 500, 503, connection resets) and a
// per-endpoint rate limit over a 30-second window, as MindSphere's quota tables count them (API §1.7). All off by default.
import { setTimeout as sleep } from 'node:timers/promises';
import { ApiError } from './http';
import { Random, hashString } from './rng';

export interface FaultOptions {
  rate429?: number;
  rate500?: number;
  rate503?: number;
  rateReset?: number;
  retryAfterSeconds?: number;
}

export const RATE_LIMIT_WINDOW_MS = 30_000;

/** What to do with a request before it reaches its handler. */
export type Verdict = { kind: 'pass' } | { kind: 'reset' } | { kind: 'fail'; error: ApiError };

export class Realism {
  private readonly random: Random;
  private readonly windows = new Map<string, { start: number; count: number }>();

  constructor(
    private readonly latencyMs: number,
    private readonly faults: FaultOptions,
    private readonly rateLimit: number | undefined,
    seed: string,
  ) {
    // Seeded, so a run with the same seed and the same request order meets the same faults.
    this.random = new Random(hashString(`${seed}:faults`));
  }

  /** `signal` ends the latency early (the sandbox is closing): then the promise rejects with an AbortError. */
  async before(route: string, signal?: AbortSignal): Promise<Verdict> {
    if (this.latencyMs > 0) await sleep(this.latencyMs, undefined, { signal });
    const f = this.faults;
    const retryAfter = String(f.retryAfterSeconds ?? 1);
    // One draw, compared against the cumulative probabilities: reset, 429, 500, 503.
    const r = this.random.next();
    const reset = f.rateReset ?? 0;
    const tooMany = reset + (f.rate429 ?? 0);
    const internal = tooMany + (f.rate500 ?? 0);
    const unavailable = internal + (f.rate503 ?? 0);
    if (r < reset) return { kind: 'reset' };
    if (r < tooMany) {
      return { kind: 'fail', error: new ApiError(429, 'tooManyRequests',
        `API rate limit exceeded (injected fault); retry after ${retryAfter} s.`, undefined, { 'Retry-After': retryAfter }) };
    }
    if (r < internal) {
      return { kind: 'fail', error: new ApiError(500, 'internalServerError', 'Internal server error (injected fault); retry the request.') };
    }
    if (r < unavailable) {
      return { kind: 'fail', error: new ApiError(503, 'serviceUnavailable',
        `Service temporarily unavailable (injected fault); retry after ${retryAfter} s.`, undefined, { 'Retry-After': retryAfter }) };
    }
    return this.limit(route);
  }

  private limit(route: string): Verdict {
    if (!this.rateLimit) return { kind: 'pass' };
    const now = Date.now();
    let window = this.windows.get(route);
    if (!window || now - window.start >= RATE_LIMIT_WINDOW_MS) this.windows.set(route, (window = { start: now, count: 0 }));
    if (window.count < this.rateLimit) {
      window.count++;
      return { kind: 'pass' };
    }
    const seconds = String(Math.max(1, Math.ceil((window.start + RATE_LIMIT_WINDOW_MS - now) / 1000)));
    return { kind: 'fail', error: new ApiError(429, 'tooManyRequests',
      `API rate limit exceeded: at most ${this.rateLimit} requests per 30 s to ${route}; retry after ${seconds} s.`,
      undefined, { 'Retry-After': seconds }) };
  }
}
