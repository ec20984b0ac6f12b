// The sandbox tenant: a local HTTP server that behaves like a MindSphere tenant (same URLs, JSON shapes, limits and
// errors) with a seeded plant and generated time series. Started in-process by the extension and the tests, and by
// `mdsp-makers sandbox` on the command line. See docs/sandbox.md.
import { createServer, type IncomingMessage, type ServerResponse, STATUS_CODES } from 'node:http';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import { redact, registerSecret } from '../core/redact';
import { Semaphore } from '../core/semaphore';
import { ALL_SCOPES, TokenIssuer, defaultClientSecret } from './auth';
import { SandboxContext } from './context';
import { ApiError, errorBody, Exchange } from './http';
import { buildPlant } from './plant';
import { type FaultOptions, Realism } from './realism';
import { type ApiModule, Router } from './router';
import { aggregatesApi } from './routes/aggregates';
import { assetManagementApi } from './routes/assets';
import { contractsApi } from './routes/contracts';
import { dataHubApi } from './routes/odata';
import { oauthApi, tokenKeysApi, tokenManagerApi } from './routes/tokens';
import { timeSeriesApi } from './routes/timeseries';
import { OverlayStore } from './series';
import { TenantFile, lockDataDir } from './tenant-file';

export type { FaultOptions } from './realism';

export interface SandboxOptions {
  /** Default 0: a free port. */
  port?: number;
  /** Default '127.0.0.1'. */
  host?: string;
  /** Default 'makers': the same seed gives the same plant, credentials and time series. */
  seed?: string | number;
  /** Number of assets in the plant, root included (default 40; 10,000 and more work). */
  assets?: number;
  /** Delay before each request is handled, default 0. */
  latencyMs?: number;
  faults?: FaultOptions;
  /** Requests per endpoint per 30 s; default off. */
  rateLimit?: number;
  /** Default 1800 (MindSphere's 30 minutes). */
  tokenTtlSeconds?: number;
  /** Generated points per second per aspect, default 1. */
  pointsPerSecond?: number;
  /** Keep what clients change (time series, types, assets, contracts) in this directory across restarts; default in memory only. */
  dataDir?: string;
  /** Default 'makers01'. */
  tenant?: string;
  /** Default `{tenant}-app-v1.0.0-7731`, the form of MindSphere app credentials. */
  clientId?: string;
  /** Default: derived from the seed (stable across runs). */
  clientSecret?: string;
  /** Scopes granted to the client; default every scope the sandbox checks. */
  scopes?: readonly string[];
  /** Largest accepted request body for writes (Asset Management, single-asset time series PUT); default 1 MiB. */
  maxBodyBytes?: number;
  /** Lifecycle messages and warnings (secrets are redacted). */
  log?: (line: string) => void;
  /** Called after each response, e.g. for an access log or to measure server time. */
  onRequest?: (event: RequestEvent) => void;
}

export interface RequestEvent {
  readonly method: string;
  /** The route pattern (e.g. `GET /api/iottimeseries/v3/timeseries/{entityId}/{propertySetName}`), or the raw path. */
  readonly route: string;
  /** 0 when the connection was dropped without an answer: an injected reset, a client that went away, a closing sandbox. */
  readonly status: number;
  /** True for an injected reset (`faults.rateReset`). */
  readonly reset?: boolean;
  /** Server time from the request's arrival (after the configured latency) to its response being written. */
  readonly durationMs: number;
}

export interface RunningSandbox {
  /** The gateway, e.g. http://127.0.0.1:PORT (no trailing slash). */
  url: string;
  /** `${url}/oauth/token` */
  tokenUrl: string;
  tenant: string;
  clientId: string;
  clientSecret: string;
  close(): Promise<void>;
}

export const SANDBOX_DEFAULTS = {
  host: '127.0.0.1',
  seed: 'makers',
  assets: 40,
  tenant: 'makers01',
  tokenTtlSeconds: 1800,
  pointsPerSecond: 1,
  maxBodyBytes: 1024 * 1024,
} as const;

/** Generated data starts here: the plant was commissioned on 1 January 2020. */
export const HISTORY_START_MS = Date.UTC(2020, 0, 1);

/** The APIs the sandbox serves, one module each. */
const APIS: readonly ApiModule[] = [oauthApi, tokenKeysApi, tokenManagerApi, assetManagementApi, timeSeriesApi, aggregatesApi,
  contractsApi, dataHubApi];

/** The APIs whose changes a data directory keeps in tenant.json (time series keep theirs in their own journal). */
const SAVED_APIS: ReadonlySet<ApiModule> = new Set([assetManagementApi, contractsApi]);

export async function startSandbox(options: SandboxOptions = {}): Promise<RunningSandbox> {
  const seed = String(options.seed ?? SANDBOX_DEFAULTS.seed);
  const tenant = options.tenant ?? SANDBOX_DEFAULTS.tenant;
  const clientId = options.clientId ?? `${tenant}-app-v1.0.0-7731`;
  const clientSecret = options.clientSecret ?? defaultClientSecret(seed);
  const log = (line: string) => options.log?.(redact(line));
  checkOptions(options, clientId);
  registerSecret(clientSecret);

  // First, so that nothing reads the data directory while another sandbox writes it.
  const unlock = options.dataDir !== undefined ? lockDataDir(options.dataDir) : undefined;
  try {
    return await listen(options, { seed, tenant, clientId, clientSecret, log }, unlock);
  } catch (error) {
    unlock?.();
    throw error;
  }
}

async function listen(options: SandboxOptions, id: { seed: string; tenant: string; clientId: string; clientSecret: string; log: (line: string) => void },
  unlock: (() => void) | undefined): Promise<RunningSandbox> {
  const { seed, tenant, clientId, clientSecret, log } = id;
  const pointsPerSecond = options.pointsPerSecond ?? SANDBOX_DEFAULTS.pointsPerSecond;
  const assets = options.assets ?? SANDBOX_DEFAULTS.assets;
  const issuer = await TokenIssuer.create(options.tokenTtlSeconds ?? SANDBOX_DEFAULTS.tokenTtlSeconds);
  const ctx = new SandboxContext(
    { tenant, clientId, clientSecret, scopes: options.scopes ?? ALL_SCOPES },
    seed,
    issuer,
    buildPlant(seed, tenant, assets),
    new OverlayStore(options.dataDir, log),
    Math.max(1, Math.round(1000 / pointsPerSecond)),
    HISTORY_START_MS,
    options.maxBodyBytes ?? SANDBOX_DEFAULTS.maxBodyBytes,
    log,
  );
  const tenantFile = new TenantFile(options.dataDir, { seed, tenant, assets }, log);
  tenantFile.restore(ctx);
  const router = new Router(APIS);
  const realism = new Realism(options.latencyMs ?? 0, options.faults ?? {}, options.rateLimit, seed);
  // Aborted by close(): requests still waiting out their latency are dropped instead of being applied after close.
  const closing = new AbortController();
  // Long answers are rendered one at a time, a slice at a time (see Exchange.sendArray).
  const rendering = new Semaphore(1);

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const x = new Exchange(req, res, rendering);
    const method = req.method ?? 'GET';
    let started = performance.now();
    let dropped: 'reset' | 'gone' | undefined;
    try {
      const match = router.match(method, x.url.pathname);
      x.route = match?.route ? `${method} ${match.route.path}` : `${method} ${x.url.pathname}`;
      if (match) x.family = match.module.family;
      // token_keys is static and unauthenticated: the SDK fetches it before every token check, so it stays reliable.
      if (match?.route && match.module !== tokenKeysApi) {
        const verdict = await realism.before(x.route, closing.signal);
        started = performance.now();
        // Nobody would get the answer: a change must not be made after close, nor for a client that gave up.
        if (closing.signal.aborted || req.socket.destroyed) dropped = 'gone';
        else if (verdict.kind === 'reset') dropped = 'reset';
        if (dropped) {
          req.socket.destroy();
          return;
        }
        if (verdict.kind === 'fail') throw verdict.error;
      }
      if (!match) throw new ApiError(404, 'noMatch', `No such endpoint: ${method} ${x.url.pathname}. See docs/sandbox.md for the endpoints of the sandbox tenant.`);
      if (!match.route) {
        if (match.allowed.length === 0) throw new ApiError(404, 'noMatch', `No such resource: ${x.url.pathname}.`);
        throw new ApiError(405, 'methodNotAllowed', `${method} is not supported on ${x.url.pathname}; use ${match.allowed.join(', ')}.`,
          undefined, { Allow: match.allowed.join(', ') });
      }
      x.params = match.params;
      if (match.route.scopes) authorize(x, ctx, match.route.scopes);
      if (tenantFile.enabled && method !== 'GET' && method !== 'HEAD' && SAVED_APIS.has(match.module)) x.beforeSuccess = () => tenantFile.save(ctx);
      await match.route.handle(x, ctx);
    } catch (error) {
      if (!(error instanceof ApiError) && (closing.signal.aborted || req.socket.destroyed)) {
        // The client went away (or close() ended its connection) while the request was read or waited: not a failure.
        dropped = 'gone';
        res.destroy();
        return;
      }
      if (!(error instanceof ApiError)) log(`error: ${x.route} failed: ${error instanceof Error ? error.stack ?? error.message : String(error)}`);
      const apiError = error instanceof ApiError ? error
        : new ApiError(500, 'internalServerError', 'The sandbox tenant failed to handle this request; see its log.');
      if (!res.headersSent && !res.destroyed) x.sendError(apiError);
      else if (!res.writableEnded) res.destroy();
    } finally {
      const status = dropped ? 0 : res.statusCode;
      options.onRequest?.({ method, route: x.route, status, ...(dropped === 'reset' ? { reset: true } : {}), durationMs: performance.now() - started });
    }
  };

  const server = createServer({ keepAliveTimeout: 30_000 }, (req, res) => {
    // The last line of defence: whatever escapes a handler is logged and ends that connection, never the process.
    handle(req, res).catch((error: unknown) => {
      log(`error: request ${req.method} ${req.url} failed outside its handler: ${error instanceof Error ? error.stack : String(error)}`);
      res.destroy();
    });
  });
  // Malformed HTTP never reaches a handler: answer it, in the error shape of most APIs, and drop the connection.
  server.on('clientError', (error: NodeJS.ErrnoException, socket) => {
    if (!socket.writable) {
      socket.destroy();
      return;
    }
    const status = error.code === 'HPE_HEADER_OVERFLOW' ? 431 : error.code === 'HPE_INVALID_METHOD' ? 501 : 400;
    const message = status === 431 ? 'The request line and headers are longer than 16 KB: shorten the URL (a long filter) or the headers.'
      : status === 501 ? 'The request method is not one the sandbox tenant knows; the APIs use GET, HEAD, POST, PUT, PATCH and DELETE.'
        : `The request is not valid HTTP/1.1 (${error.code ?? error.message}).`;
    const body = JSON.stringify(errorBody('mdsp', new ApiError(status, status === 501 ? 'methodNotAllowed' : 'invalidParameter', message)));
    socket.end(`HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n` +
      `Connection: close\r\n\r\n${body}`);
  });
  const host = options.host ?? SANDBOX_DEFAULTS.host;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  log(`sandbox tenant ${tenant} listening on ${url} (seed '${seed}', ${ctx.model.assets.size} assets)`);
  let closed: Promise<void> | undefined;
  return {
    url,
    tokenUrl: `${url}/oauth/token`,
    tenant,
    clientId,
    clientSecret,
    close: () =>
      (closed ??= new Promise<void>((resolve) => {
        closing.abort();
        server.close(() => {
          unlock?.();
          resolve();
        });
        server.closeAllConnections();
      })),
  };
}

function authorize(x: Exchange, ctx: SandboxContext, scopes: readonly string[]): void {
  const m = /^\s*Bearer\s+(\S+)\s*$/i.exec(x.header('authorization') ?? '');
  const challenge = { 'WWW-Authenticate': 'Bearer realm="sandbox", error="invalid_token"' };
  if (!m) {
    throw new ApiError(401, 'unauthorized', 'Missing bearer token: send Authorization: Bearer <access_token> from POST /oauth/token.', undefined,
      { 'WWW-Authenticate': 'Bearer realm="sandbox"' });
  }
  const claims = ctx.issuer.check(m[1]!);
  if (typeof claims === 'string') throw new ApiError(401, 'unauthorized', `Invalid token: ${claims}. Request a new token.`, undefined, challenge);
  if (!scopes.some((s) => claims.scope.includes(s))) {
    throw new ApiError(403, 'forbidden', `The token lacks the scope for ${x.route}: it needs one of ${scopes.join(', ')}; it has ${claims.scope.join(', ') || 'none'}.`);
  }
  x.scopes = claims.scope;
}

function checkOptions(o: SandboxOptions, clientId: string): void {
  const problems: string[] = [];
  const positive = (name: string, v: number | undefined, min = 0) => {
    if (v !== undefined && !(Number.isFinite(v) && v >= min)) problems.push(`${name} must be a number ≥ ${min} (got ${v})`);
  };
  positive('port', o.port);
  if (o.port !== undefined && (o.port > 65535 || !Number.isInteger(o.port))) problems.push(`port must be an integer from 0 to 65535 (got ${o.port})`);
  positive('assets', o.assets, 1);
  positive('latencyMs', o.latencyMs);
  positive('rateLimit', o.rateLimit, 1);
  positive('tokenTtlSeconds', o.tokenTtlSeconds, 1);
  positive('pointsPerSecond', o.pointsPerSecond, 0.0001);
  positive('maxBodyBytes', o.maxBodyBytes, 1);
  if (o.pointsPerSecond !== undefined && o.pointsPerSecond > 1000) problems.push('pointsPerSecond must be at most 1000 (one point per millisecond)');
  const f = o.faults ?? {};
  for (const [name, rate] of Object.entries(f)) {
    if (name === 'retryAfterSeconds') positive('faults.retryAfterSeconds', rate, 0);
    else if (!(typeof rate === 'number' && rate >= 0 && rate <= 1)) problems.push(`faults.${name} must be a probability from 0 to 1 (got ${rate})`);
  }
  const total = (f.rate429 ?? 0) + (f.rate500 ?? 0) + (f.rate503 ?? 0) + (f.rateReset ?? 0);
  if (total > 1) problems.push(`the fault probabilities add up to ${total}, more than 1`);
  if (clientId.includes(':')) problems.push('clientId must not contain ":" (Basic authentication splits at the first colon)');
  if (o.dataDir !== undefined && o.dataDir.trim() === '') problems.push('dataDir must name a directory (got an empty string)');
  if (o.tenant !== undefined && !/^[a-z0-9]{1,8}$/.test(o.tenant)) problems.push(`tenant '${o.tenant}' must be 1 to 8 lowercase letters or digits`);
  if (problems.length) throw new Error(`Invalid sandbox options: ${problems.join('; ')}.`);
}
