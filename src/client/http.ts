// The one place where the client talks HTTP: adds the bearer token, bounds concurrency, retries what may be retried,
// refreshes the token once on a 401, enforces the deadline, turns failures into MindSphereError and validates response
// bodies with zod. Every typed API (assets, time series, aggregates, and later contracts and Data Hub OData) is a thin
// layer over `send`.
import type { z } from 'zod';
import { redact, redactedExcerpt } from '../core/redact';
import { Semaphore } from '../core/semaphore';
import type { ResolvedConnection } from './connection';
import { CLIENT_ERROR_CODES, endSentence, errorFromResponse, MindSphereError, type RequestInfo } from './errors';
import { backoffMs, BLOCKED_PORT, isRetryableNetworkCode, isRetryableStatus, networkErrorCode, parseRetryAfter, type RetryPolicy } from './retry';
import type { AccessToken, TokenProvider } from './token';

export type HttpMethod = 'GET' | 'PUT' | 'POST' | 'PATCH' | 'DELETE';
export type QueryValue = string | number | boolean | undefined;

export interface ApiRequest<T> {
  readonly method: HttpMethod;
  /** Path below the gateway, e.g. `/api/assetmanagement/v3/assets`. */
  readonly path: string;
  readonly query?: Readonly<Record<string, QueryValue>>;
  /** Sent as JSON. */
  readonly body?: unknown;
  readonly headers?: Readonly<Record<string, string>>;
  /** Validates the JSON response; a mismatch becomes a MindSphereError naming the field. */
  readonly schema?: z.ZodType<T>;
  readonly signal?: AbortSignal;
  /** Whether repeating the request is harmless. Defaults to true for GET, PUT and DELETE. */
  readonly idempotent?: boolean;
  /** 'text' returns the body as it came (e.g. CSDL XML; set `Accept` in headers) instead of parsed JSON. */
  readonly responseType?: 'json' | 'text';
  /**
   * Called once the answer is in (after any retries), before it is parsed and checked: a split read starts its next
   * request then, so that parsing overlaps the wait for that answer instead of adding to every round trip.
   */
  readonly onReceived?: () => void;
}

export interface ApiResponse<T> {
  readonly status: number;
  readonly headers: Headers;
  readonly data: T;
}

export interface HttpOptions extends RetryContext {
  readonly connection: ResolvedConnection;
  readonly fetch: typeof fetch;
  readonly tokens: TokenProvider;
  readonly concurrency: number;
  /** Longest time one operation may take, retries included. */
  readonly deadlineMs: number;
}

export interface Http {
  /** Sends one API request (with its retries) within the caller's signal; no deadline of its own. */
  send<T = unknown>(request: ApiRequest<T>): Promise<ApiResponse<T>>;
  /** Sends one API request (with its retries) under a deadline of its own, within the request's signal. */
  request<T = unknown>(request: ApiRequest<T>): Promise<ApiResponse<T>>;
  /** A deadline for one operation (which may be many requests; see Deadline.restart), with the client's deadline length. */
  deadline(parent: AbortSignal | undefined, operation: RequestInfo): Deadline;
  /** Runs `task` under such a deadline. */
  within<T>(parent: AbortSignal | undefined, operation: RequestInfo, task: (signal: AbortSignal) => Promise<T>): Promise<T>;
}

/** How failed attempts are retried and reported. */
export interface RetryContext {
  readonly retry: RetryPolicy;
  readonly random?: () => number;
  /** Receives one line per retry, already redacted. */
  readonly log?: (line: string) => void;
  /** Remembers the latest failed attempt, so that a deadline can say what kept failing. */
  readonly failures?: FailureLog;
}

/** The latest failed attempt of a client, with its time. */
export class FailureLog {
  private last: { error: MindSphereError; at: number } | undefined;
  note(error: MindSphereError): void {
    this.last = { error, at: Date.now() };
  }
  /** The latest failure at or after `since` (epoch ms), if any. */
  since(since: number): MindSphereError | undefined {
    return this.last && this.last.at >= since ? this.last.error : undefined;
  }
}

/** After a failed attempt: waits before the next one if the policy allows, else throws the failure. */
async function afterFailure(ctx: RetryContext, error: MindSphereError, retryable: boolean, attempt: number, signal: AbortSignal | undefined): Promise<void> {
  ctx.failures?.note(error);
  if (!retryable || attempt >= ctx.retry.maxAttempts) throw error;
  const wait = backoffMs(attempt, ctx.retry, error.retryAfterSeconds, ctx.random);
  const left = timeLeftMs(signal);
  if (error.retryAfterSeconds !== undefined && error.retryAfterSeconds * 1000 > left) {
    // Waiting would only end in the deadline (or overflow a timer): fail now, saying what the server asked for.
    throw new MindSphereError({ status: error.status, code: error.code, logref: error.logref, serverMessage: error.serverMessage,
      request: error.request, retryAfterSeconds: error.retryAfterSeconds, reason: error.reason, cause: error,
      explanation: `${endSentence(error.serverMessage)} The server asked to wait ${formatSeconds(error.retryAfterSeconds * 1000)} before trying again (Retry-After), more than the ${formatSeconds(left)} left before the deadline.` });
  }
  ctx.log?.(redact(`${requestLabel(error.request)}: ${error.status || error.reason} — retry ${attempt + 1}/${ctx.retry.maxAttempts} in ${wait} ms`));
  await sleep(wait, signal);
}

/**
 * Runs `attempt` until it answers with a status that is not worth retrying, under the retry policy: used for the token
 * request, which needs no bearer and no concurrency slot. Any status is returned; only network failures throw.
 */
export async function retryingFetch(ctx: RetryContext, attempt: (signal: AbortSignal | undefined) => Promise<Response>,
  request: RequestInfo, signal?: AbortSignal): Promise<Response> {
  for (let n = 1; ; n++) {
    let response: Response;
    try {
      response = await attempt(signal);
    } catch (error) {
      await afterFailure(ctx, ...networkFailure(error, request, signal), n, signal);
      continue;
    }
    if (!isRetryableStatus(response.status) || n >= ctx.retry.maxAttempts) return response;
    const failure = errorFromResponse(response.status, await safeText(response), { request, ...retryAfter(response) });
    await afterFailure(ctx, failure, true, n, signal);
  }
}

export function createHttp(options: HttpOptions): Http {
  const { connection, tokens } = options;
  const slots = new Semaphore(options.concurrency);
  const ctx: RetryContext = options;

  async function send<T>(req: ApiRequest<T>): Promise<ApiResponse<T>> {
    const request: RequestInfo = { method: req.method, path: req.path };
    const idempotent = req.idempotent ?? (req.method === 'GET' || req.method === 'PUT' || req.method === 'DELETE');
    const url = buildUrl(connection.gateway, req.path, req.query);
    const body = req.body === undefined ? undefined : JSON.stringify(req.body);
    let refreshed = false;
    for (let attempt = 1; ; attempt++) {
      throwIfAborted(req.signal);
      const token: AccessToken = await tokens.get(req.signal);
      let status: number;
      let headers: Headers;
      let text: string;
      try {
        // The body is read inside the slot and the try: a connection reset while reading it is a failed attempt too.
        ({ status, headers, text } = await slots.run(async () => {
          const response = await options.fetch(url, {
            method: req.method,
            headers: {
              Accept: 'application/json',
              ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
              ...req.headers,
              Authorization: `Bearer ${token.accessToken}`,
            },
            ...(body === undefined ? {} : { body }),
            // A signal of its own: fetch leaves its abort listener on the signal until the request is garbage, so a
            // read's shared signal would pile up thousands of them (and Node's warning about a leak) on a long read.
            ...(req.signal ? { signal: AbortSignal.any([req.signal]) } : {}),
          });
          return { status: response.status, headers: response.headers, text: await readText(response, request) };
        }));
      } catch (error) {
        await afterFailure(ctx, ...networkFailure(error, request, req.signal, idempotent), attempt, req.signal);
        continue;
      }
      if (status === 401 && !refreshed) {
        // The token expired or was revoked before our clock said so: fetch a new one, once. The first request was
        // refused before it did anything, so repeating it is safe even when it is not idempotent.
        refreshed = true;
        tokens.invalidate(token);
        ctx.log?.(redact(`${requestLabel(request)}: 401 — refreshing the token and trying once more`));
        continue;
      }
      if (status < 200 || status >= 300) {
        const failure = errorFromResponse(status, text, { request, ...retryAfter({ headers }) });
        await afterFailure(ctx, failure, idempotent && isRetryableStatus(status), attempt, req.signal);
        continue;
      }
      if (req.onReceived) {
        req.onReceived();
        // One turn of the event loop, so that a request started by onReceived is on its way before this body is parsed.
        await new Promise((resolve) => setImmediate(resolve));
      }
      return { status, headers, data: req.responseType === 'text' ? text as T : parseBody(text, req.schema, request, status) };
    }
  }

  const within: Http['within'] = (parent, operation, task) => withinDeadline(parent, options.deadlineMs, operation, task, ctx.failures);
  return {
    send,
    request: (req) => within(req.signal, { method: req.method, path: req.path }, (signal) => send({ ...req, signal })),
    deadline: (parent, operation) => withDeadline(parent, options.deadlineMs, operation, ctx.failures),
    within,
  };
}

/** A document that is not JSON (the CSDL XML) as text, with the client's token, retries, deadline and errors. */
export async function getText(http: Http, path: string, accept: string, signal?: AbortSignal): Promise<string> {
  return (await http.request<string>({ method: 'GET', path, headers: { Accept: accept }, responseType: 'text', signal })).data;
}

function parseBody<T>(text: string, schema: z.ZodType<T> | undefined, request: RequestInfo, status: number): T {
  let json: unknown = undefined;
  if (text.trim()) {
    try {
      json = JSON.parse(text);
    } catch {
      throw new MindSphereError({ status, request, code: CLIENT_ERROR_CODES.invalidResponse,
        serverMessage: `the response is not JSON (it starts with '${redactedExcerpt(text, 40)}')` });
    }
  }
  if (!schema) return json as T;
  const result = schema.safeParse(json);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const field = issue ? formatPath(issue.path) : '';
  throw new MindSphereError({ status, request, code: CLIENT_ERROR_CODES.invalidResponse,
    serverMessage: `the response does not have the expected shape: ${field ? `field '${field}': ` : ''}${issue?.message ?? 'invalid'}` });
}

export function formatPath(path: readonly PropertyKey[]): string {
  return path.reduce<string>((acc, key) => (typeof key === 'number' ? `${acc}[${key}]` : acc ? `${acc}.${String(key)}` : String(key)), '');
}

function networkFailure(error: unknown, request: RequestInfo, signal: AbortSignal | undefined, idempotent = true): [MindSphereError, boolean] {
  // Cancelled or out of time: not a network failure, stop with the signal's reason (a deadline MindSphereError or the
  // caller's AbortError).
  if (signal?.aborted) throw signal.reason;
  if (error instanceof MindSphereError) throw error;
  const code = networkErrorCode(error);
  if (!code) throw error;
  const detail = code === BLOCKED_PORT ? 'fetch does not connect to this port, one of those browsers block; use another port'
    : error instanceof Error ? (error.cause instanceof Error ? error.cause.message : error.message) : String(error);
  const failure = new MindSphereError({ status: 0, reason: code, code: CLIENT_ERROR_CODES.network, request,
    serverMessage: redact(detail), cause: error });
  return [failure, idempotent && isRetryableNetworkCode(code)];
}

function retryAfter(response: { headers: Headers }): { retryAfterSeconds?: number } {
  const seconds = parseRetryAfter(response.headers.get('retry-after'), Date.now());
  return seconds === undefined ? {} : { retryAfterSeconds: seconds };
}

async function safeText(response: Response): Promise<string> {
  try {
    return await readText(response);
  } catch {
    return '';
  }
}

/**
 * Far more than any MindSphere answer (a full page of 2000 records is well under 1 MB). A body beyond it comes from a
 * broken or hostile server, and reading on would only fill the memory of the extension host or the CLI.
 */
export const MAX_RESPONSE_BYTES = 64 * 1024 * 1024;

/** The body as text; refused with a clear error as soon as it is known to be larger than `maxBytes` (by its Content-Length, or while reading it). */
export async function readText(response: Response, request?: RequestInfo, maxBytes = MAX_RESPONSE_BYTES): Promise<string> {
  const tooLarge = () => new MindSphereError({ status: response.status, code: CLIENT_ERROR_CODES.invalidResponse, ...(request ? { request } : {}),
    serverMessage: `the response is larger than ${maxBytes / 1024 / 1024} MB, more than any MindSphere answer: reading stopped there` });
  if (Number(response.headers.get('content-length')) > maxBytes) {
    await response.body?.cancel().catch(() => undefined);
    throw tooLarge();
  }
  if (!response.body) return '';
  const reader = response.body.getReader();
  const decoder = new TextDecoder();
  let text = '';
  for (let size = 0; ;) {
    const { done, value } = await reader.read();
    if (done) return text + decoder.decode();
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel().catch(() => undefined);
      throw tooLarge();
    }
    text += decoder.decode(value, { stream: true });
  }
}

function requestLabel(request: RequestInfo | undefined): string {
  return request ? (request.token ? 'token request' : `${request.method} ${request.path}`) : 'request';
}

/** `a,b` from a comma-separated string or a list (as `select` takes it), or undefined when empty. */
export function commaList(value: string | readonly string[] | undefined): string | undefined {
  const list = typeof value === 'string' ? value.split(',') : value ?? [];
  const names = list.map((s) => s.trim()).filter(Boolean);
  return names.length > 0 ? names.join(',') : undefined;
}

export function buildUrl(gateway: string, path: string, query?: Readonly<Record<string, QueryValue>>): string {
  const url = new URL(gateway + path);
  for (const [k, v] of Object.entries(query ?? {})) if (v !== undefined) url.searchParams.set(k, String(v));
  return url.href;
}

export function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw signal.reason;
}

/** The longest delay setTimeout takes; a longer one overflows and fires after 1 ms. */
export const MAX_TIMER_MS = 2 ** 31 - 1;

/** Waits `ms` (at most MAX_TIMER_MS), or rejects with the signal's reason when it aborts first. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, Math.min(ms, MAX_TIMER_MS));
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

export interface Deadline {
  readonly signal: AbortSignal;
  /**
   * The operation got an answer: its time counts again from now. A read of many pages ends when no answer has come for
   * the deadline's length, not after that long in all (a read of a million records may rightly take longer).
   */
  restart(): void;
  /** Aborts everything under the signal now (one part of an operation failed, or its consumer stopped). */
  abort(reason?: unknown): void;
  /** Stops the timer; call when the operation ends. */
  dispose(): void;
}

/**
 * A signal that aborts when `parent` does (with the parent's reason) or after `ms` with a MindSphereError that says
 * which operation ran out of time and what the last failed attempt since its start (or restart) was.
 */
export function withDeadline(parent: AbortSignal | undefined, ms: number, operation: RequestInfo, failures?: FailureLog): Deadline {
  const controller = new AbortController();
  const onParent = () => controller.abort(parent?.reason);
  if (parent?.aborted) onParent();
  parent?.addEventListener('abort', onParent, { once: true });
  let timer: ReturnType<typeof setTimeout> | undefined;
  const start = () => {
    const started = Date.now();
    deadlineEnds.set(controller.signal, Math.min(started + ms, parent ? deadlineEnds.get(parent) ?? Infinity : Infinity));
    if (!Number.isFinite(ms) || ms > MAX_TIMER_MS) return;
    timer = setTimeout(() => {
      const last = failures?.since(started);
      controller.abort(new MindSphereError({ status: 0, reason: 'deadline', code: CLIENT_ERROR_CODES.deadline, request: operation,
        serverMessage: `no complete answer within ${formatSeconds(ms)}${last ? `; the last attempt ended with ${last.status || last.reason}: ${last.serverMessage}` : ''}` }));
    }, ms);
    timer.unref?.();
  };
  start();
  return {
    signal: controller.signal,
    restart() {
      if (controller.signal.aborted) return;
      clearTimeout(timer);
      start();
    },
    abort: (reason) => controller.abort(reason),
    dispose() {
      clearTimeout(timer);
      parent?.removeEventListener('abort', onParent);
    },
  };
}

/** When each deadline signal runs out (epoch ms), so that a retry knows whether waiting is worth it. */
const deadlineEnds = new WeakMap<AbortSignal, number>();

/** Milliseconds until the deadline behind `signal`, or Infinity when it has none. */
function timeLeftMs(signal: AbortSignal | undefined): number {
  const end = signal ? deadlineEnds.get(signal) : undefined;
  return end === undefined ? Infinity : Math.max(0, end - Date.now());
}

/** Runs `task` under a deadline signal (see withDeadline) and stops the timer when it settles. */
export async function withinDeadline<T>(parent: AbortSignal | undefined, ms: number, operation: RequestInfo,
  task: (signal: AbortSignal) => Promise<T>, failures?: FailureLog): Promise<T> {
  const deadline = withDeadline(parent, ms, operation, failures);
  try {
    return await task(deadline.signal);
  } finally {
    deadline.dispose();
  }
}

/** A duration in the unit a person reads it in: 800 ms, 2.5 s, 15 min, 28 h, 11574 days. */
function formatSeconds(ms: number): string {
  const round = (unitMs: number) => Math.round(ms / unitMs);
  if (ms >= 2 * 86_400_000) return `${round(86_400_000)} days`;
  if (ms >= 2 * 3_600_000) return `${round(3_600_000)} h`;
  if (ms >= 120_000) return `${round(60_000)} min`;
  return ms >= 1000 ? `${Math.round(ms / 100) / 10} s` : `${ms} ms`;
}
