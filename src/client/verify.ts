// Checking binding keys before they are saved (Add and Edit Connection): one token request, retried briefly.
import { createClient } from './client';
import type { Connection } from './connection';
import type { AccessToken } from './token';

/**
 * Checking keys must not keep someone waiting for the client's 5-minute default, yet a transient answer of the token
 * endpoint (429, 502, 503, 504, a dropped connection), even two or three in a row, must not refuse valid keys: a few
 * quick retries (about 2 seconds of backoff in all), within 30 seconds. A Retry-After longer than what is left fails at
 * once, saying so; a refusal (401: the secret does not match the client ID) is never retried.
 */
export const VERIFY_OPTIONS = { deadlineMs: 30_000, retry: { maxAttempts: 4, baseDelayMs: 250, maxDelayMs: 2_000 } } as const;

/** Fetches a token with these keys: resolves when MindSphere accepts them, else rejects with a MindSphereError. */
export function verifyConnection(connection: Connection, options: { fetch: typeof fetch; log?: (line: string) => void; signal?: AbortSignal }): Promise<AccessToken> {
  return createClient({ connection, fetch: options.fetch, ...VERIFY_OPTIONS, ...(options.log ? { log: options.log } : {}) }).token(options.signal);
}
