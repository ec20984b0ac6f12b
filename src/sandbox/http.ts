// The pieces every API module of the sandbox shares: the request/response pair (`Exchange`), bodies read with a size
// limit, and errors rendered in the shape of the API family that raised them (MindSphere has four, see API §1.7).
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Semaphore } from '../core/semaphore';

/**
 * The error envelopes of MindSphere's API families:
 * - `mdsp`:  Asset Management, Aggregates v4, Token Manager: `{"errors":[{"code","logref","message"}]}`
 * - `iot`:   IoT Time Series v3: `{"id","message"}`
 * - `oauth`: the PIAM token endpoints: `{"error","error_description"}`
 */
export type ErrorFamily = 'mdsp' | 'iot' | 'oauth';

/** The generic `mdsp.core.generic.*` codes (API §1.3) with their status. */
export type GenericCode =
  | 'invalidParameter'
  | 'invalidRequestBodyProperty'
  | 'missingParameter'
  | 'missingRequestBodyProperty'
  | 'unauthorized'
  | 'forbidden'
  | 'noMatch'
  | 'methodNotAllowed'
  | 'conflict'
  | 'preconditionRequired'
  | 'payloadTooLarge'
  | 'unsupportedMediaType'
  | 'tooManyRequests'
  | 'internalServerError'
  | 'serviceUnavailable';

// RFC 6749 §5.2 error codes for the token endpoints.
const OAUTH_CODES: Record<GenericCode, string> = {
  invalidParameter: 'invalid_request',
  invalidRequestBodyProperty: 'invalid_request',
  missingParameter: 'invalid_request',
  missingRequestBodyProperty: 'invalid_request',
  unauthorized: 'unauthorized',
  forbidden: 'access_denied',
  noMatch: 'not_found',
  methodNotAllowed: 'method_not_allowed',
  conflict: 'conflict',
  preconditionRequired: 'invalid_request',
  payloadTooLarge: 'invalid_request',
  unsupportedMediaType: 'invalid_request',
  tooManyRequests: 'too_many_requests',
  internalServerError: 'server_error',
  serviceUnavailable: 'temporarily_unavailable',
};

/** An object the array is sent in, as `{...head, [key]: array, ...tail}` (an OData collection's `value`). */
export interface ArrayEnvelope {
  readonly head: Readonly<Record<string, unknown>>;
  readonly key: string;
  readonly tail: Readonly<Record<string, unknown>>;
}

/** The JSON text before and after the array of an envelope. */
function envelopeAround({ head, key, tail }: ArrayEnvelope): [string, string] {
  const members = (o: Readonly<Record<string, unknown>>) => JSON.stringify(o).slice(1, -1);
  const [before, after] = [members(head), members(tail)];
  return [`{${before}${before ? ',' : ''}${JSON.stringify(key)}:[`, `]${after ? ',' : ''}${after}}`];
}

/** Items rendered between two looks at new requests (see Exchange.sendArray): about 0.3 ms of work for time series. */
const ARRAY_SLICE = 250;

/** An error a handler throws to answer with `status` in its API's error shape. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: GenericCode,
    message: string,
    /** Overrides the OAuth `error` field (e.g. `invalid_client`, `unsupported_grant_type`). */
    readonly oauthError?: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

export const badRequest = (message: string, code: GenericCode = 'invalidParameter') => new ApiError(400, code, message);
export const notFound = (message: string) => new ApiError(404, 'noMatch', message);

export function errorBody(family: ErrorFamily, error: ApiError): unknown {
  const logref = randomUUID();
  switch (family) {
    case 'oauth':
      return { error: error.oauthError ?? OAUTH_CODES[error.code], error_description: error.message };
    case 'iot':
      return { id: logref, message: error.message };
    case 'mdsp':
      return { errors: [{ code: `mdsp.core.generic.${error.code}`, logref, message: error.message }] };
  }
}

/** One request and its response, with the route's path parameters and what the auth check found. */
export class Exchange {
  readonly url: URL;
  params: Record<string, string> = {};
  /** Scopes of the bearer token, once the router has checked it. */
  scopes: readonly string[] = [];
  /** Route pattern, e.g. `GET /api/assetmanagement/v3/assets/{id}`, for rate limits and logs. */
  route = '';
  family: ErrorFamily = 'mdsp';

  constructor(
    readonly req: IncomingMessage,
    readonly res: ServerResponse,
    /** The sandbox's turn to render a long answer (see sendArray): one at a time. */
    private readonly rendering: Semaphore,
  ) {
    // The Host header decides the origin of links, so a client that called 127.0.0.1 gets 127.0.0.1 back (API §1.9 #9).
    // Without a usable Host (HTTP/1.0 may send none), the port the request came in on still makes links that work.
    const given = req.headers.host;
    const host = given && /^[A-Za-z0-9.\-:[\]]+$/.test(given) ? given : `localhost${req.socket.localPort ? `:${req.socket.localPort}` : ''}`;
    this.url = requestUrl(req.url ?? '/', host);
  }

  get query(): URLSearchParams {
    return this.url.searchParams;
  }

  get origin(): string {
    return this.url.origin;
  }

  header(name: string): string | undefined {
    const value = this.req.headers[name.toLowerCase()];
    return Array.isArray(value) ? value.join(', ') : value;
  }

  /** Reads the body, refusing (413) beyond `maxBytes` without buffering the rest. */
  async body(maxBytes: number): Promise<Buffer> {
    const declared = Number(this.header('content-length'));
    if (Number.isFinite(declared) && declared > maxBytes) throw tooLarge(maxBytes);
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of this.req as AsyncIterable<Buffer>) {
      size += chunk.length;
      if (size > maxBytes) throw tooLarge(maxBytes);
      chunks.push(chunk);
    }
    return Buffer.concat(chunks);
  }

  /**
   * Reads and parses a JSON body; a malformed body is a 400 that says where it broke. With `mediaType` (what to tell the
   * client to send), a Content-Type other than JSON, or a charset other than UTF-8 (the body is read as UTF-8, so
   * anything else would be stored garbled), is a 415; no Content-Type is read as JSON.
   */
  async json(maxBytes: number, mediaType?: string): Promise<unknown> {
    const type = (this.header('content-type') ?? '').toLowerCase();
    if (mediaType && type) {
      const charset = /;\s*charset\s*=\s*"?([^";\s]*)/.exec(type)?.[1];
      if (!/^\s*application\/([\w.-]+\+)?json\s*(;|$)/.test(type) || (charset !== undefined && charset !== 'utf-8' && charset !== 'utf8')) {
        throw new ApiError(415, 'unsupportedMediaType', `Content-Type '${type}' is not supported here: send ${mediaType} in UTF-8.`);
      }
    }
    return parseJson(await this.body(maxBytes));
  }

  /** Runs just before a successful (2xx) answer is written: with a data directory, saves what the request changed. */
  beforeSuccess: (() => void) | undefined;

  /** Sends a JSON body (or, with `body` undefined, no body). */
  send(status: number, body?: unknown, headers: Record<string, string> = {}, contentType = 'application/json'): void {
    if (body === undefined) {
      this.committing(status);
      this.res.writeHead(status, headers);
      this.res.end();
      return;
    }
    this.sendText(status, typeof body === 'string' ? body : JSON.stringify(body), headers, contentType);
  }

  /** Sends an already serialised body. */
  sendText(status: number, text: string, headers: Record<string, string> = {}, contentType = 'application/json'): void {
    this.committing(status);
    this.res.writeHead(status, {
      'Content-Type': `${contentType}; charset=utf-8`,
      'Content-Length': Buffer.byteLength(text),
      ...headers,
    });
    this.res.end(text);
  }

  /**
   * Sends a JSON array of `count` items rendered by `item`, a slice at a time. A page of 2000 records takes milliseconds
   * to render; rendered in one go, it kept the sandbox from reading the requests that arrived meanwhile, so their
   * latency started late and requests in flight together were answered in bunches (with 4 in flight, each waited for
   * the other three renders on every round trip). Between slices the sandbox reads new requests and their latency runs,
   * as it would on the way to a real server; the renders take turns, first come first served, so that each one still
   * ends as soon as it can. With `envelope`, the array is sent inside that object.
   */
  async sendArray(status: number, count: number, item: (i: number) => unknown, headers: Record<string, string> = {},
    envelope?: ArrayEnvelope): Promise<void> {
    const [open, close] = envelope ? envelopeAround(envelope) : ['[', ']'];
    await this.rendering.run(async () => {
      if (this.res.destroyed) return;
      this.committing(status);
      this.res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', ...headers });
      for (let start = 0; start < count; start += ARRAY_SLICE) {
        if (start > 0) await new Promise((resolve) => setImmediate(resolve));
        if (this.res.destroyed) return;
        const items: unknown[] = [];
        for (let i = start; i < Math.min(count, start + ARRAY_SLICE); i++) items.push(item(i));
        // One stringify per slice (faster than one per item), its brackets replaced by the array's.
        this.res.write(`${start === 0 ? open : ','}${JSON.stringify(items).slice(1, -1)}`);
      }
      this.res.end(count === 0 ? open + close : close);
    });
  }

  sendError(error: ApiError): void {
    this.send(error.status, errorBody(this.family, error), error.headers);
  }

  private committing(status: number): void {
    if (status >= 200 && status < 300) this.beforeSuccess?.();
  }
}

/**
 * The request target as a URL on the client's Host. Only the path and query of an absolute-form target
 * (`GET http://other/...`) count, and a target no URL parser accepts (`//`, `*`) becomes a path that matches no route.
 */
function requestUrl(target: string, host: string): URL {
  let path = target;
  if (!path.startsWith('/')) {
    try {
      const absolute = new URL(path);
      path = `${absolute.pathname}${absolute.search}`;
    } catch {
      path = `/${path}`;
    }
  }
  for (const candidate of [`http://${host}${path}`, `http://localhost${path}`]) {
    try {
      return new URL(candidate);
    } catch {
      // a Host such as "[" makes the URL invalid: try the next form
    }
  }
  return new URL('http://localhost/');
}

/**
 * Arrays and objects a request body may nest: no MindSphere document comes near it, and the handlers walk values
 * recursively (merge patch, stringify), so a body nested thousands deep would overflow the stack: a 500, not a 400.
 */
export const MAX_JSON_DEPTH = 64;

export function parseJson(raw: Buffer): unknown {
  const text = raw.toString('utf8');
  if (text.trim() === '') throw badRequest('The request body is empty; send a JSON document.', 'missingRequestBodyProperty');
  let value: unknown;
  try {
    value = JSON.parse(text) as unknown;
  } catch (error) {
    throw badRequest(`The request body is not valid JSON (${(error as Error).message}).`, 'invalidRequestBodyProperty');
  }
  if (nestingDepth(text) > MAX_JSON_DEPTH) {
    throw badRequest(`The request body nests arrays and objects more than ${MAX_JSON_DEPTH} levels deep.`, 'invalidRequestBodyProperty');
  }
  return value;
}

/** How deep the arrays and objects of valid JSON text nest (brackets inside strings do not count). */
function nestingDepth(text: string): number {
  let depth = 0;
  let deepest = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x22 /* " */) {
      for (i++; text.charCodeAt(i) !== 0x22; i++) if (text.charCodeAt(i) === 0x5c /* \ */) i++;
    } else if (c === 0x5b /* [ */ || c === 0x7b /* { */) {
      deepest = Math.max(deepest, ++depth);
    } else if (c === 0x5d /* ] */ || c === 0x7d /* } */) {
      depth--;
    }
  }
  return deepest;
}

/** A value as JSON for an error message, cut short: a message must not repeat a large body back. */
export function shortJson(value: unknown, max = 80): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/**
 * A variable's value or default as the API keeps it, as text (numbers and booleans are taken too), null when absent;
 * an object or array is a 400 naming `what`.
 */
export function valueText(value: unknown, what: string): string | null {
  if (value === undefined || value === null) return null;
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return String(value);
  throw badRequest(`${what} must be a string, not ${shortJson(value, 40)}.`, 'invalidRequestBodyProperty');
}

/** The value as a JSON object, or a 400 naming what was expected. */
export function asObject(value: unknown, what = 'The request body'): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw badRequest(`${what} must be a JSON object.`, 'invalidRequestBodyProperty');
  }
  return value as Record<string, unknown>;
}

function tooLarge(maxBytes: number): ApiError {
  // The rest of the body is not read: closing the connection stops the client from sending it.
  return new ApiError(413, 'payloadTooLarge', `The request body is larger than ${maxBytes} bytes; send less data per request.`,
    undefined, { Connection: 'close' });
}
