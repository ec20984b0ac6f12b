// The local API reverse proxy (seed §7; like mindconnect-nodejs's dev-proxy on port 7707): a web component or widget
// developed on localhost calls http://127.0.0.1:7707/api/… without any credentials, and the proxy forwards the call to
// the gateway with the bearer token added. Only this machine can use it: it listens on the loopback interface, answers
// CORS for localhost origins only, and refuses requests from other origins or with a foreign Host header (a web page
// elsewhere must not be able to borrow the user's token, directly or through DNS rebinding).
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { redact } from '../core/redact';
import { isLoopbackHost } from './connection';
import { MindSphereError } from './errors';
import { readText } from './http';
import type { AccessToken, TokenProvider } from './token';

export interface ProxyOptions {
  /** Where calls go, e.g. https://gateway.eu1.mindsphere.io (no trailing slash). */
  readonly gateway: string;
  readonly tokens: TokenProvider;
  readonly fetch: typeof fetch;
  /** 0 picks a free port. Default 7707, as mindconnect-nodejs's dev-proxy. */
  readonly port?: number;
  /** One line per request, e.g. `GET /api/assetmanagement/v3/assets → 200 (41 ms)`. */
  readonly log?: (line: string) => void;
  /** How long the gateway may take to answer (its headers, and a JSON body whole) before the proxy answers 504. */
  readonly upstreamTimeoutMs?: number;
}

export interface RunningProxy {
  /** http://127.0.0.1:PORT */
  readonly url: string;
  readonly port: number;
  close(): Promise<void>;
}

export const DEFAULT_PROXY_PORT = 7707;

const MB = 1024 * 1024;
/** Far more than any MindSphere API takes in one request (time series writes: 100 KB). */
const MAX_REQUEST_BYTES = 64 * MB;
/** Longer than any MindSphere API takes to answer: a gateway silent for this long is hung or unreachable. */
export const DEFAULT_UPSTREAM_TIMEOUT_MS = 90_000;

/** The proxy's own refusal of a request, with the status it answers. */
class ProxyRefusal extends Error {
  constructor(readonly status: number, readonly code: string, message: string) {
    super(message);
  }
}

/** The path of a request to the proxy, without its query (what the log and errors name). */
const pathOf = (req: IncomingMessage) => (req.url ?? '').split('?')[0] ?? '';

/** http(s)://localhost, 127.0.0.1 or [::1], any port. */
export function isLocalOrigin(origin: string): boolean {
  try {
    const url = new URL(origin);
    return (url.protocol === 'http:' || url.protocol === 'https:') && isLoopbackHost(url.hostname);
  } catch {
    return false;
  }
}

// Hop-by-hop headers, and those the proxy sets itself or must never pass on (the browser's cookies and origin).
// `expect`: Node's server has already answered `100-continue` (curl sends it for bodies over 1 MB), and fetch refuses it.
const DROP_REQUEST = new Set(['host', 'connection', 'keep-alive', 'proxy-authorization', 'proxy-connection', 'te', 'trailer',
  'transfer-encoding', 'upgrade', 'authorization', 'cookie', 'origin', 'referer', 'content-length', 'accept-encoding', 'expect']);
// fetch has already decoded the body, so its encoding and length no longer apply.
const DROP_RESPONSE = new Set(['connection', 'keep-alive', 'transfer-encoding', 'content-encoding', 'content-length',
  'set-cookie', 'access-control-allow-origin', 'access-control-allow-credentials', 'access-control-allow-methods',
  'access-control-allow-headers', 'access-control-expose-headers']);

export async function startProxy(options: ProxyOptions): Promise<RunningProxy> {
  const log = (line: string) => options.log?.(redact(line));
  const gatewayOrigin = new URL(options.gateway).origin;
  const timeoutMs = options.upstreamTimeoutMs ?? DEFAULT_UPSTREAM_TIMEOUT_MS;
  let proxyOrigin = '';

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (error instanceof ProxyRefusal) {
        log(`${req.method} ${pathOf(req)} → ${error.status}: ${error.message}`);
        if (!res.headersSent) sendError(res, error.status, error.code, redact(error.message));
        else res.destroy();
        return;
      }
      const message = error instanceof MindSphereError
        ? error.request?.token ? `The proxy could not get a token: ${error.message}` : `The proxy refused the gateway's answer: ${error.message}`
        : `The proxy could not reach ${options.gateway}: ${error instanceof Error ? error.cause instanceof Error ? error.cause.message : error.message : String(error)}`;
      log(`${req.method} ${pathOf(req)} → 502: ${message}`);
      if (!res.headersSent) sendError(res, 502, 'makers.proxy', redact(message));
      else res.destroy();
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const started = Date.now();
    const host = (req.headers.host ?? '').replace(/:\d+$/, '');
    if (!isLoopbackHost(host)) {
      return sendError(res, 403, 'makers.proxy.host', `The proxy only answers requests addressed to localhost or 127.0.0.1, not '${host}'.`);
    }
    const origin = req.headers.origin;
    if (origin !== undefined) {
      if (!isLocalOrigin(origin)) {
        return sendError(res, 403, 'makers.proxy.origin', `Requests from ${origin} are refused: the proxy lends your MindSphere token to pages on localhost only.`);
      }
      res.setHeader('Access-Control-Allow-Origin', origin);
      res.setHeader('Access-Control-Allow-Credentials', 'true');
      res.setHeader('Access-Control-Expose-Headers', 'Link, ETag, Location, Retry-After');
      res.setHeader('Vary', 'Origin');
      if (req.method === 'OPTIONS' && req.headers['access-control-request-method']) {
        res.setHeader('Access-Control-Allow-Methods', 'GET, POST, PUT, PATCH, DELETE, OPTIONS');
        res.setHeader('Access-Control-Allow-Headers', req.headers['access-control-request-headers'] ?? 'Content-Type');
        res.setHeader('Access-Control-Max-Age', '600');
        res.writeHead(204).end();
        return;
      }
    }

    // Only origin-form targets (`/api/…`): an absolute URL or anything else must never take the token to another host.
    const target = upstreamUrl(req.url ?? '');
    if (!target) {
      return sendError(res, 400, 'makers.proxy.target', redact(`The proxy forwards paths on the gateway only, such as /api/assetmanagement/v3/assets, not '${req.url ?? ''}'.`));
    }
    const body = await readBody(req, MAX_REQUEST_BYTES);
    if (!body) {
      log(`${req.method} ${pathOf(req)} → 413: the request body is larger than ${MAX_REQUEST_BYTES / MB} MB`);
      return sendError(res, 413, 'makers.proxy.tooLarge',
        `The proxy forwards request bodies up to ${MAX_REQUEST_BYTES / MB} MB (it holds one whole, to send it again with a fresh token); this one is larger. Send it to the gateway directly.`);
    }
    // Hop-by-hop headers are also those the request's own Connection header names (RFC 9110 §7.6.1).
    const hopByHop = new Set(String(req.headers.connection ?? '').split(',').map((h) => h.trim().toLowerCase()));
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(req.headers)) {
      if (v !== undefined && !DROP_REQUEST.has(k) && !hopByHop.has(k)) headers[k] = Array.isArray(v) ? v.join(', ') : v;
    }
    // A hung gateway must not hold the caller forever: the timer covers the answer's headers, and a JSON body whole.
    const timeout = new AbortController();
    const timer = setTimeout(() => timeout.abort(new ProxyRefusal(504, 'makers.proxy.timeout',
      `The gateway ${options.gateway} did not answer within ${timeoutMs / 1000} s. Try again later, or check that the gateway is reachable.`)), timeoutMs);
    try {
      const forward = (token: AccessToken) => options.fetch(target, {
        method: req.method ?? 'GET',
        headers: { ...headers, Authorization: `Bearer ${token.accessToken}` },
        redirect: 'manual',
        signal: timeout.signal,
        ...(body.length > 0 ? { body } : {}),
      });
      let token = await options.tokens.get(timeout.signal);
      let upstream = await forward(token);
      if (upstream.status === 401) {
        // The token expired server-side before our clock said so: one fresh token, one more try.
        await upstream.body?.cancel();
        options.tokens.invalidate(token);
        token = await options.tokens.get(timeout.signal);
        upstream = await forward(token);
      }
      await respond(req, res, upstream, () => clearTimeout(timer));
    } catch (error) {
      throw timeout.signal.aborted ? timeout.signal.reason : error;
    } finally {
      clearTimeout(timer);
    }
    log(`${req.method} ${pathOf(req)} → ${res.statusCode} (${Date.now() - started} ms)`);
  }

  /** The gateway URL for a request target, or undefined unless it is a path on the gateway itself. */
  function upstreamUrl(requestTarget: string): string | undefined {
    if (!requestTarget.startsWith('/')) return undefined;
    const url = new URL(options.gateway.replace(/\/$/, '') + requestTarget);
    return url.origin === gatewayOrigin ? url.href : undefined;
  }

  async function respond(req: IncomingMessage, res: ServerResponse, upstream: Response, streaming: () => void): Promise<void> {
    upstream.headers.forEach((value, key) => {
      if (DROP_RESPONSE.has(key)) return;
      res.setHeader(key, key === 'link' || key === 'location' ? rewrite(value) : value);
    });
    if (/json/i.test(upstream.headers.get('content-type') ?? '')) {
      // Like the Siemens dev-proxy: links in HAL/JSON bodies point back at the proxy, so a widget can follow them.
      const payload = Buffer.from(rewrite(await readText(upstream, { method: req.method ?? 'GET', path: pathOf(req) })));
      res.setHeader('Content-Length', payload.length);
      res.writeHead(upstream.status).end(payload);
    } else {
      // Anything else (a file, CSV) passes through as it arrives, never held whole in memory, for as long as it takes.
      streaming();
      res.writeHead(upstream.status);
      if (upstream.body) await pipeline(Readable.fromWeb(upstream.body as WebReadableStream<Uint8Array>), res);
      else res.end();
    }
  }

  function rewrite(text: string): string {
    return text.split(options.gateway).join(proxyOrigin);
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? DEFAULT_PROXY_PORT, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  proxyOrigin = `http://127.0.0.1:${port}`;
  return {
    url: proxyOrigin,
    port,
    close: () => new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    }),
  };
}

/**
 * The whole request body, or undefined when it is larger than `maxBytes`: then the rest is read and dropped, so that the
 * caller still gets a clean answer instead of a connection closed under its upload, and memory holds no more than the limit.
 */
function readBody(req: IncomingMessage, maxBytes: number): Promise<Buffer | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= maxBytes) chunks.push(chunk);
      else chunks.length = 0;
    });
    req.on('end', () => resolve(size <= maxBytes ? Buffer.concat(chunks) : undefined));
    req.on('error', reject);
  });
}

function sendError(res: ServerResponse, status: number, code: string, message: string): void {
  const body = JSON.stringify({ errors: [{ code, message }] });
  res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) }).end(body);
}
