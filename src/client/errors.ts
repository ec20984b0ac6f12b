// MindSphereError: one error type for everything a MindSphere call can end in (an HTTP error, no answer, a response of
// the wrong shape, a deadline). Its message is one line for people, in the spirit of the Mendix authenticator's error
// string: what happened, why, what to do, the status code, then `[code: …, logref: …]`. parseMindSphereError turns such a
// line (or a raw error text containing a status and a JSON body) back into the structured error, like the module's
// DH_MindSphereErrorFromString. The request is kept as method and path only: never a query, a header or a token.
import { redact, redactedExcerpt } from '../core/redact';

/** A caller's mistake found before anything is sent (a bad time, an interval MindSphere does not allow). */
export class InputError extends Error {
  override readonly name = 'InputError';
}

export interface RequestInfo {
  readonly method: string;
  /** The URL path without query: never a token, never a credential. */
  readonly path: string;
  /** True for the OAuth token request, whose failures mean something else than an API's. */
  readonly token?: boolean;
}

/** Codes for failures that are not an HTTP answer from MindSphere. */
export const CLIENT_ERROR_CODES = {
  network: 'makers.network',
  deadline: 'makers.deadline',
  invalidResponse: 'makers.invalidResponse',
} as const;

export interface MindSphereErrorInit {
  /** HTTP status, or 0 when no answer arrived. */
  readonly status: number;
  readonly code?: string;
  readonly logref?: string;
  /** What the server (or the network layer) said, already free of secrets. */
  readonly serverMessage: string;
  readonly request?: RequestInfo;
  /** Our reading of what went wrong, when it says more than the server's words (e.g. which client ID was refused). */
  readonly explanation?: string;
  /** Seconds from a Retry-After header, kept for callers that want to wait themselves. */
  readonly retryAfterSeconds?: number;
  /** For status 0: what went wrong (ECONNRESET, deadline, …), shown instead of a status. */
  readonly reason?: string;
  readonly cause?: unknown;
}

export class MindSphereError extends Error {
  override readonly name = 'MindSphereError';
  readonly status: number;
  readonly code: string | undefined;
  readonly logref: string | undefined;
  readonly serverMessage: string;
  readonly request: RequestInfo | undefined;
  readonly retryAfterSeconds: number | undefined;
  readonly reason: string | undefined;

  constructor(init: MindSphereErrorInit) {
    super(formatLine(init), init.cause === undefined ? undefined : { cause: init.cause });
    this.status = init.status;
    this.code = init.code || undefined;
    this.logref = init.logref || undefined;
    this.serverMessage = init.serverMessage;
    this.request = init.request;
    this.retryAfterSeconds = init.retryAfterSeconds;
    this.reason = init.reason;
  }

  /** The one-line human message (the same as `message`), never `MindSphereError: …`. */
  override toString(): string {
    return this.message;
  }

  toJSON(): Record<string, unknown> {
    return { status: this.status, code: this.code, logref: this.logref, message: this.message,
      serverMessage: this.serverMessage, request: this.request };
  }
}

function verb(status: number): string {
  if (status === 0) return 'did not answer';
  // A 2xx (or an unfollowed 3xx) is no refusal: the answer came, and the client could not use it.
  if (status < 400) return 'gave an unusable answer to';
  return status >= 500 ? 'failed on' : 'refused';
}

function target(request: RequestInfo | undefined): string {
  if (!request) return 'the request';
  return request.token ? 'the token request' : `${request.method} ${request.path}`;
}

/** A 404 means a different missing thing in each API family: a contract or its Data Hub service is no asset. */
function notFoundHint(path: string): string {
  if (path.startsWith('/odata/')) return "Check the contract's application name and that it is published.";
  if (path.startsWith('/api/datacontracts/')) return 'Check the contract ID.';
  return 'Check the asset ID, aspect name or type ID.';
}

/** Paths of the reads a narrower time range makes shorter: time series, aggregates and Data Hub queries. */
const READS_A_RANGE = /^\/(api\/iottimeseries\/|api\/iottsaggregates\/|odata\/)/;

/** What to do, derived only from fields that survive a round trip through the string (so the parser can strip it). */
export function hintFor(status: number, request: RequestInfo | undefined, code?: string): string {
  const token = request?.token === true;
  if (code === CLIENT_ERROR_CODES.deadline) {
    if (token) return 'Try again later; if it keeps happening, check the TokenURL, your network and the proxy settings.';
    return READS_A_RANGE.test(request?.path ?? '') ? 'Try again later; if the server is slow rather than down, narrow the time range.'
      : 'Try again later; if it keeps happening, check the gateway URL, your network and the proxy settings.';
  }
  if (code === CLIENT_ERROR_CODES.invalidResponse) {
    return token ? 'Check that the TokenURL is exactly the one shown with the binding keys.'
      : 'Check the gateway URL and the proxy settings (a login page or a proxy may have answered); if they are right, the client and this MindSphere API disagree about the response format: please report it.';
  }
  if (status === 0) return token
    ? 'Check the TokenURL, your network, and the proxy settings.'
    : 'Check the gateway URL, your network, and the proxy settings.';
  if (token) {
    if (status === 401 || status === 403) return 'Check the binding keys, or create new ones in the Service Management Dashboard.';
    if (status === 404 || status === 400 || status === 405) return 'Check that the TokenURL is exactly the one shown with the binding keys.';
  }
  switch (status) {
    case 401: return 'The token was refreshed once and still refused: create new binding keys in the Service Management Dashboard.';
    case 403: return request?.path.startsWith('/api/assetmanagement/')
      ? 'The binding keys lack a role this API needs; check the roles of the app (mdsp:core:assetmanagement.standarduser to read, .admin to change).'
      : 'The binding keys lack a role this API needs; check the roles of the app.';
    case 404: return notFoundHint(request?.path ?? '');
    case 409: case 412: return 'It was changed meanwhile; reload it and try again.';
    case 429: return 'The tenant\'s rate limit was reached; try again later or lower the concurrency.';
    default: return status >= 500 ? 'The fault is on the server\'s side; try again later.' : '';
  }
}

export function endSentence(text: string): string {
  const t = text.trim();
  if (!t) return t;
  return /[.!?]$/.test(t) ? t : `${t}.`;
}

function formatLine(init: MindSphereErrorInit): string {
  const what = `MindSphere ${verb(init.status)} ${target(init.request)} (${init.status === 0 ? init.reason ?? 'no answer' : init.status})`;
  const body = endSentence(init.explanation ?? init.serverMessage);
  const hint = hintFor(init.status, init.request, init.code);
  const ids = [init.code && `code: ${init.code}`, init.logref && `logref: ${init.logref}`].filter(Boolean).join(', ');
  return `${what}: ${[body, hint].filter(Boolean).join(' ')}${ids ? ` [${ids}]` : ''}`;
}

interface ParsedBody {
  code?: string;
  logref?: string;
  message?: string;
}

/** Reads every MindSphere error body shape (API §1.7): errors[], {id,message}, Spring Boot, OAuth. */
export function parseErrorBody(text: string): ParsedBody {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return {};
  }
  if (!json || typeof json !== 'object') return {};
  const o = json as Record<string, unknown>;
  const str = (v: unknown): string | undefined => (typeof v === 'string' && v.trim() ? v.trim() : undefined);
  if (Array.isArray(o.errors) && o.errors.length > 0) {
    const items = o.errors.filter((e): e is Record<string, unknown> => !!e && typeof e === 'object');
    const first = items[0] ?? {};
    const messages = [...new Set(items.map((e) => str(e.message)).filter((m): m is string => !!m))];
    return { code: str(first.code) ?? str(first.errorcode), logref: str(first.logref), message: messages.join('; ') || undefined };
  }
  if (str(o.error_description) || (str(o.error) && !('status' in o))) {
    return { code: str(o.error), message: str(o.error_description) ?? str(o.error) };
  }
  if ('status' in o && ('error' in o || 'path' in o || 'timestamp' in o)) {
    return { message: str(o.message) ?? str(o.error), code: str(o.exception) };
  }
  if ('message' in o) return { logref: str(o.id) ?? str(o.logref), message: str(o.message), code: str(o.code) };
  return {};
}

const REASON_PHRASES: Record<number, string> = {
  400: 'Bad Request', 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found', 405: 'Method Not Allowed',
  409: 'Conflict', 412: 'Precondition Failed', 413: 'Payload Too Large', 415: 'Unsupported Media Type',
  429: 'Too Many Requests', 500: 'Internal Server Error', 502: 'Bad Gateway', 503: 'Service Unavailable',
  504: 'Gateway Timeout',
};

export interface ResponseContext {
  readonly request: RequestInfo;
  /** The client ID of the token request, to say which one was refused (it is not a secret). */
  readonly clientId?: string;
  readonly retryAfterSeconds?: number;
}

/** Builds the error for a non-2xx answer from its status and body. */
export function errorFromResponse(status: number, bodyText: string, context: ResponseContext): MindSphereError {
  const parsed = parseErrorBody(bodyText);
  const raw = parsed.message ?? (bodyText.trim().startsWith('<') ? '' : redactedExcerpt(bodyText.trim(), 300));
  const serverMessage = redact(raw || REASON_PHRASES[status] || `HTTP ${status}`);
  let explanation: string | undefined;
  if (context.request.token && status === 401 && context.clientId) {
    explanation = `the client secret does not match the client ID '${context.clientId}' (or the client ID is unknown to this tenant)`;
  }
  return new MindSphereError({ status, code: parsed.code, logref: parsed.logref, serverMessage, request: context.request,
    ...(explanation ? { explanation } : {}),
    ...(context.retryAfterSeconds !== undefined ? { retryAfterSeconds: context.retryAfterSeconds } : {}) });
}

const LINE = /^MindSphere (refused|failed on|did not answer|gave an unusable answer to) (the token request|the request|([A-Z]+) (\S+)) \(([^)]*)\): (.*?)(?: \[((?:code|logref): [^[\]]*)\])?$/s;

/**
 * Turns an error string back into a MindSphereError: our own one-line format exactly (parse(e.toString()).toString()
 * equals e.toString()), and otherwise any text that carries a status (`401`, `Unauthorized`) and/or a MindSphere JSON
 * error body, such as `Network error occured Bad Request {"id":"","message":"…"}`. Unknown parts stay empty; the
 * status is 0 when the text names none.
 */
export function parseMindSphereError(text: string): MindSphereError {
  const line = text.trim();
  const m = LINE.exec(line);
  if (m) {
    const [, , whole = '', method, path, statusText = '', body = '', idsText] = m;
    const request: RequestInfo | undefined = whole === 'the token request'
      ? { method: 'POST', path: '', token: true }
      : method && path ? { method, path } : undefined;
    const status = /^\d{3}$/.test(statusText) ? Number(statusText) : 0;
    const ids = Object.fromEntries((idsText ?? '').split(', ').map((kv) => {
      const i = kv.indexOf(': ');
      return [kv.slice(0, i), kv.slice(i + 2)];
    }));
    const code = ids.code as string | undefined;
    const hint = hintFor(status, request, code);
    const serverMessage = hint && body.endsWith(` ${hint}`) ? body.slice(0, -hint.length - 1) : hint === body ? '' : body;
    return new MindSphereError({ status, code, logref: ids.logref, serverMessage, request,
      ...(status === 0 ? { reason: statusText } : {}) });
  }
  const jsonStart = line.indexOf('{');
  const parsed = jsonStart >= 0 ? parseErrorBody(line.slice(jsonStart)) : {};
  const prefix = jsonStart >= 0 ? line.slice(0, jsonStart) : line;
  let status = Number(/\b([1-5]\d\d)\b/.exec(prefix)?.[1] ?? 0);
  if (!status) {
    const byPhrase = Object.entries(REASON_PHRASES).find(([, phrase]) => prefix.toLowerCase().includes(phrase.toLowerCase()));
    status = byPhrase ? Number(byPhrase[0]) : 0;
  }
  return new MindSphereError({ status, code: parsed.code, logref: parsed.logref,
    serverMessage: redact(parsed.message ?? line), ...(status === 0 ? { reason: 'unknown' } : {}) });
}
