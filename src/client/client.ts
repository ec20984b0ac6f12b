// createClient: one MindSphere client per connection, used by the extension, the CLI and the tests. It takes `fetch`
// as a parameter: the extension passes VS Code's global fetch (so the user's proxy and certificate settings apply), the
// CLI Node's. Nothing here logs a secret: log lines pass through redact().
import { type Connection, resolveConnection, type ResolvedConnection } from './connection';
import { createAggregatesApi } from './aggregates';
import { createAssetsApi } from './assets';
import { createContractsApi } from './contracts';
import { createODataApi } from './odata';
import { type ApiRequest, type ApiResponse, createHttp, FailureLog, retryingFetch, withinDeadline } from './http';
import { DEFAULT_RETRY_POLICY, type RetryPolicy } from './retry';
import { createTimeSeriesApi } from './timeseries';
import { type AccessToken, createTokenProvider } from './token';

export interface ClientOptions {
  readonly connection: Connection;
  readonly fetch: typeof fetch;
  /** Requests in flight at once, for the whole client (default DEFAULT_CONCURRENCY). */
  readonly concurrency?: number;
  /** Receives one line per retry and token refresh, already redacted. */
  readonly log?: (line: string) => void;
  /** Longest time one operation (a request with its retries, or a whole split read) may take (default 5 minutes). */
  readonly deadlineMs?: number;
  /** The same for a token request (default 30 s, at most deadlineMs): every caller of the client waits for it. */
  readonly tokenDeadlineMs?: number;
  readonly retry?: Partial<RetryPolicy>;
  /** The clock used for token expiry (tests move it). */
  readonly now?: () => number;
}

// The default of issue 5. A split read takes about pages × round trip / concurrency: with 4, a million-record read is
// about 4× faster than following Link, with 8 about 7× (bench/RESULTS.md); `mdsp.client.concurrency` and `--concurrency`
// set it. A tenant that finds it too many answers 429 with Retry-After, which the client honours.
export const DEFAULT_CONCURRENCY = 4;
export const DEFAULT_DEADLINE_MS = 5 * 60_000;
// A token endpoint answers in well under a second. The one token request in flight is shared by every caller, so one
// that hangs would hold them all (and any new load, refresh or connection test) for the whole 5 minutes.
export const DEFAULT_TOKEN_DEADLINE_MS = 30_000;

export function createClient(options: ClientOptions) {
  const connection: ResolvedConnection = resolveConnection(options.connection);
  const concurrency = Math.max(1, Math.floor(options.concurrency ?? DEFAULT_CONCURRENCY));
  const deadlineMs = options.deadlineMs ?? DEFAULT_DEADLINE_MS;
  const tokenDeadlineMs = Math.min(deadlineMs, options.tokenDeadlineMs ?? DEFAULT_TOKEN_DEADLINE_MS);
  const retry: RetryPolicy = { ...DEFAULT_RETRY_POLICY, ...options.retry };
  const failures = new FailureLog();
  const retryContext = { retry, failures, ...(options.log ? { log: options.log } : {}) };
  const tokens = createTokenProvider({
    connection,
    fetch: options.fetch,
    ...(options.now ? { now: options.now } : {}),
    // The token request is retried like an API call, under its own deadline, outside the concurrency slots.
    send: (attempt, request, signal) => withinDeadline(signal, tokenDeadlineMs, request, (s) => retryingFetch(retryContext, attempt, request, s), failures),
  });
  const http = createHttp({ ...retryContext, connection, fetch: options.fetch, tokens, concurrency, deadlineMs });
  const defaults = { concurrency };
  const timeSeries = createTimeSeriesApi(http, defaults);
  const aggregates = createAggregatesApi(http, defaults);

  return {
    connection,
    /** A valid access token (cached until shortly before it expires). */
    token: (signal?: AbortSignal): Promise<AccessToken> => tokens.get(signal),
    /** The token cache itself, for the API proxy (which refreshes on a 401 like the client). */
    tokens,
    /**
     * Any gateway API, with the token, retries, deadline and MindSphereError handling of the typed APIs: the place for
     * APIs the client has no typed function for yet (contracts, Data Hub OData).
     */
    request: <T = unknown>(request: ApiRequest<T>): Promise<ApiResponse<T>> => http.request(request),
    assets: createAssetsApi(http),
    timeSeries,
    aggregates,
    /** Every record of (from, to] exactly once, in order, past the 2000-record cap. See timeSeries.stream. */
    readTimeSeries: timeSeries.read,
    streamTimeSeries: timeSeries.stream,
    readAggregates: aggregates.read,
    /** Data Hub contracts: create, publish, download as CSDL. */
    contracts: createContractsApi(http),
    /** Data Hub OData: entity sets as typed rows, past the 2000 cap. */
    odata: createODataApi(http, connection.gateway, defaults),
  };
}

export type MindSphereClient = ReturnType<typeof createClient>;
