// The token provider: client credentials against the TokenURL of the binding keys, as the Mendix authenticator module
// does it (Basic auth, grant_type in the query), falling back to grant_type in the form body for servers that want it
// there. The token is cached until shortly before it expires; concurrent callers share one request in flight.
import { LIMITS } from '../core/limits';
import { redactedExcerpt, registerSecret } from '../core/redact';
import type { ResolvedConnection } from './connection';
import { CLIENT_ERROR_CODES, errorFromResponse, MindSphereError, type RequestInfo } from './errors';
import { readText } from './http';

export interface AccessToken {
  readonly accessToken: string;
  /** Epoch milliseconds at which the server stops accepting it. */
  readonly expiresAt: number;
  readonly scope?: string;
}

export interface TokenProviderOptions {
  readonly connection: ResolvedConnection;
  readonly fetch: typeof fetch;
  /** The clock; tests move it to make a cached token stale (or a server-side expiry arrive early). */
  readonly now?: () => number;
  /**
   * Sends the token request, retrying transient failures. Defaults to one plain attempt; the client passes its retrying
   * sender so a 503 or a reset at the token endpoint does not fail a long read.
   */
  readonly send?: (attempt: (signal: AbortSignal | undefined) => Promise<Response>, request: RequestInfo, signal?: AbortSignal) => Promise<Response>;
}

export interface TokenProvider {
  /** A valid token: the cached one, or a new one (one request in flight, shared by concurrent callers). */
  get(signal?: AbortSignal): Promise<AccessToken>;
  /** Forgets `token` if it is still the cached one (after an API answered 401 to it), so the next get() fetches anew. */
  invalidate(token: AccessToken): void;
}

/** How long before expiry a cached token is replaced: 5 minutes, or half the lifetime of a short-lived token. */
export function refreshMarginMs(lifetimeMs: number): number {
  return Math.min(LIMITS.tokenRefreshMarginSeconds.value * 1000, lifetimeMs / 2);
}

export function createTokenProvider(options: TokenProviderOptions): TokenProvider {
  const { connection } = options;
  const now = options.now ?? Date.now;
  const send = options.send ?? ((attempt, _request, signal) => attempt(signal));
  registerSecret(connection.clientSecret);
  const basic = `Basic ${Buffer.from(`${connection.clientId}:${connection.clientSecret}`).toString('base64')}`;
  registerSecret(basic.slice('Basic '.length));
  const request: RequestInfo = { method: 'POST', path: new URL(connection.tokenUrl).pathname, token: true };

  let cached: { token: AccessToken; refreshAt: number } | undefined;
  let inFlight: Promise<AccessToken> | undefined;
  // Learned on the first answer: does this server take grant_type in the query (the Mendix way) or in the body?
  let grantInBody = false;

  async function requestToken(signal?: AbortSignal): Promise<AccessToken> {
    const post = (inBody: boolean) => send(async (attemptSignal) => {
      const response = await options.fetch(tokenUrlWithGrant(connection.tokenUrl, !inBody), {
        method: 'POST',
        headers: { Authorization: basic, Accept: 'application/json', 'Content-Type': 'application/x-www-form-urlencoded' },
        body: inBody ? 'grant_type=client_credentials' : '',
        ...(attemptSignal ? { signal: attemptSignal } : {}),
      });
      // The body is read here, within the attempt: a server that stalls in the middle of it meets the deadline too.
      const text = await readText(response, request);
      return new Response(text === '' ? null : text, { status: response.status, headers: response.headers });
    }, request, signal);
    const startedAt = now();
    let response = await post(grantInBody);
    // 400/415: this server does not read grant_type from the query; ask again with it in the body.
    if (!grantInBody && !hasGrantInQuery(connection.tokenUrl) && (response.status === 400 || response.status === 415)) {
      response = await post(true);
      if (response.ok) grantInBody = true;
    }
    const text = await readText(response, request);
    if (!response.ok) throw errorFromResponse(response.status, text, { request, clientId: connection.clientId });
    return parseTokenResponse(text, startedAt);
  }

  function parseTokenResponse(text: string, startedAt: number): AccessToken {
    const unusable = (what: string) => new MindSphereError({ status: 200, request, code: CLIENT_ERROR_CODES.invalidResponse,
      serverMessage: `the token response ${what}; the TokenURL may point to a web page rather than the token endpoint` });
    if (!text.trim()) throw unusable('is empty');
    let body: { access_token?: unknown; expires_in?: unknown; scope?: unknown };
    try {
      body = JSON.parse(text) as typeof body;
    } catch {
      throw unusable(`is not JSON (it starts with '${redactedExcerpt(text.trim(), 40)}')`);
    }
    if (typeof body?.access_token !== 'string' || !body.access_token) throw unusable('has no access_token');
    registerSecret(body.access_token);
    const lifetimeMs = tokenLifetimeMs(body.access_token, body.expires_in, startedAt);
    const scope = Array.isArray(body.scope) ? body.scope.join(' ') : typeof body.scope === 'string' ? body.scope : undefined;
    return { accessToken: body.access_token, expiresAt: startedAt + lifetimeMs, ...(scope ? { scope } : {}) };
  }

  return {
    async get(signal) {
      if (cached && now() < cached.refreshAt) return cached.token;
      if (!inFlight) {
        // The shared request is not tied to one caller's signal: a caller that gives up must not fail the others.
        inFlight = requestToken().then(
          (token) => {
            cached = { token, refreshAt: token.expiresAt - refreshMarginMs(token.expiresAt - now()) };
            return token;
          },
        ).finally(() => {
          inFlight = undefined;
        });
      }
      return signal ? raceAbort(inFlight, signal) : inFlight;
    },
    invalidate(token) {
      if (cached?.token.accessToken === token.accessToken) cached = undefined;
    },
  };
}

/** Lifetime from `expires_in` (seconds, relative to when we asked), else the JWT's `exp`, else MindSphere's 30 minutes. */
function tokenLifetimeMs(accessToken: string, expiresIn: unknown, startedAt: number): number {
  const seconds = typeof expiresIn === 'number' ? expiresIn : typeof expiresIn === 'string' ? Number(expiresIn) : NaN;
  if (Number.isFinite(seconds) && seconds > 0) return seconds * 1000;
  const exp = jwtExpiry(accessToken);
  if (exp !== undefined && exp * 1000 > startedAt) return exp * 1000 - startedAt;
  return LIMITS.tokenTtlSeconds.value * 1000;
}

/** The `exp` claim (seconds) of a JWT, or undefined for an opaque token. */
export function jwtExpiry(token: string): number | undefined {
  const payload = token.split('.')[1];
  if (!payload) return undefined;
  try {
    const exp = (JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as { exp?: unknown }).exp;
    return typeof exp === 'number' ? exp : undefined;
  } catch {
    return undefined;
  }
}

function hasGrantInQuery(tokenUrl: string): boolean {
  return new URL(tokenUrl).searchParams.has('grant_type');
}

function tokenUrlWithGrant(tokenUrl: string, inQuery: boolean): string {
  const url = new URL(tokenUrl);
  if (inQuery && !url.searchParams.has('grant_type')) url.searchParams.set('grant_type', 'client_credentials');
  return url.href;
}

/** Resolves like `promise`, or rejects with the signal's reason as soon as it aborts. */
export function raceAbort<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (v) => {
        signal.removeEventListener('abort', onAbort);
        resolve(v);
      },
      (e: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(e);
      },
    );
  });
}
