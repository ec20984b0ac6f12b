// Turns a request found in a document into what "Run with MindSphere" sends: variables of the .http file resolved, the
// file's own Authorization header dropped (the client adds the connection's token), the URL resolved against the
// active connection's gateway, and a refusal when it points anywhere else: the token is never sent to another host.
// Pure (no vscode, no network), so the rules are unit-tested.
import type { ParsedRequest } from '../../core/lint/requests';
import type { FoundRequest, SourceLanguage } from './locate';
import { sourceLanguage } from './locate';

export interface PreparedRequest {
  readonly method: string;
  /** Absolute URL on the gateway. */
  readonly url: URL;
  /** Headers of the file, without Authorization; a token variable is left as TOKEN_PLACEHOLDER. */
  readonly headers: Readonly<Record<string, string>>;
  readonly body?: unknown;
  /** Set when the request is a read the client can take past the 2000-record cap. */
  readonly read?: CappedRead | PagedRead;
}

/** A Data Hub OData query of an entity set: the client follows its `@odata.nextLink`s (2000 objects a page). */
export interface PagedRead {
  readonly kind: 'odata';
  /** The service's application name (`/odata/{applicationName}/`). */
  readonly service: string;
  readonly entitySet: string;
  readonly query: { readonly filter?: string; readonly orderby?: string; readonly select?: string; readonly top?: number; readonly skip?: number;
    readonly count?: boolean };
}

export type CappedRead =
  | { readonly kind: 'timeseries'; readonly assetId: string; readonly aspect: string; readonly from: string; readonly to: string;
    readonly select?: string; readonly descending: boolean }
  | { readonly kind: 'aggregates'; readonly assetId: string; readonly aspect: string; readonly from: string; readonly to: string;
    readonly intervalUnit?: string; readonly intervalValue?: number; readonly select?: string };

export type Prepared = { readonly ok: true; readonly request: PreparedRequest } | { readonly ok: false; readonly message: string };

/** Stands for the connection's access token in a header of the file (`X-Token: {{token}}`); replaced when sending. */
export const TOKEN_PLACEHOLDER = '\u0000mdsp-token\u0000';

/** Variable names that stand for an access token: the file need not (and should not) hold one. */
const TOKEN_VARIABLE = /^(?:access_?token|token|bearer(?:_?token)?|auth(?:_?token)?|mdsp_?token)$/i;
/** Variable names that stand for the gateway when the file does not define them. */
const GATEWAY_VARIABLE = /^(?:gateway|base_?url|host|url|api|mdsp_?gateway|mindsphere|baseUri)$/i;
const METHODS_SENT = new Set(['GET', 'PUT', 'POST', 'PATCH', 'DELETE']);

/** `@name = value` lines of an .http file (REST Client / httpYac file variables); later definitions win. */
export function fileVariables(text: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const m of text.matchAll(/^[ \t]*@([A-Za-z_][\w.-]*)[ \t]*=[ \t]*(.*?)[ \t]*\r?$/gm)) out.set(m[1] as string, m[2] as string);
  return out;
}

/** REST Client's system variables that make sense in a query: `$guid`, `$timestamp`, `$datetime iso8601 [-1 d]`. */
function systemVariable(expression: string, now: number): string | undefined {
  const [name, ...args] = expression.trim().split(/\s+/);
  if (name === '$guid') return crypto.randomUUID();
  if (name === '$timestamp' || name === '$datetime' || name === '$localDatetime') {
    const format = name === '$timestamp' ? 'unix' : (args.shift() ?? 'iso8601');
    let t = now;
    if (args.length >= 2) {
      const amount = Number(args[0]);
      const unitMs: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };
      const unit = unitMs[args[1] as string];
      if (!Number.isFinite(amount) || unit === undefined) return undefined;
      t += amount * unit;
    }
    if (format === 'unix') return String(Math.floor(t / 1000));
    if (format === 'rfc1123') return new Date(t).toUTCString();
    if (format === 'iso8601') return new Date(t).toISOString();
    return undefined;
  }
  return undefined;
}

interface Resolution {
  readonly text: string;
  /** Unknown variables, by name. */
  readonly unknown: string[];
  readonly usesToken: boolean;
}

/** Replaces `{{name}}` variables (recursively, as file variables may refer to others). */
function resolveVariables(text: string, variables: ReadonlyMap<string, string>, now: number, depth = 0): Resolution {
  const unknown: string[] = [];
  let usesToken = false;
  const out = text.replace(/\{\{\s*([^{}]+?)\s*\}\}/g, (whole, expression: string) => {
    if (expression.startsWith('$')) {
      const value = systemVariable(expression, now);
      if (value === undefined) unknown.push(expression);
      return value ?? whole;
    }
    const value = variables.get(expression);
    if (value !== undefined && depth < 8) {
      const inner = resolveVariables(value, variables, now, depth + 1);
      unknown.push(...inner.unknown);
      usesToken ||= inner.usesToken;
      return inner.text;
    }
    if (TOKEN_VARIABLE.test(expression)) {
      usesToken = true;
      return TOKEN_PLACEHOLDER;
    }
    unknown.push(expression);
    return whole;
  });
  return { text: out, unknown, usesToken };
}

/** The body of an .http request: the lines after the blank line that ends the headers, up to the next block. */
function httpBody(blockText: string, afterHeaders: number): string {
  const rest = blockText.slice(afterHeaders);
  const blank = /\r?\n[ \t]*\r?\n/.exec(rest);
  if (!blank) return '';
  return rest.slice(blank.index + blank[0].length).replace(/^\s*#.*$/gm, '').trim();
}

/**
 * What to send for `found` (a request of `text`), against `gateway` (the active connection's, e.g.
 * `https://gateway.eu1.mindsphere.io` or the sandbox's `http://127.0.0.1:PORT`).
 */
export function prepareRequest(text: string, fileName: string, found: FoundRequest, gateway: string, now = Date.now()): Prepared {
  const { request, base } = found;
  const language: SourceLanguage | undefined = sourceLanguage(fileName);
  const method = request.method ?? 'GET';
  if (!METHODS_SENT.has(method)) {
    return { ok: false, message: `${method} requests are not sent by MindSphere Makers: it sends GET, PUT, POST, PATCH and DELETE.` };
  }
  const variables = language === 'http' ? fileVariables(text) : new Map<string, string>();
  const gatewayUrl = new URL(gateway);

  // The URL as written, plus the parameters of continuation lines (`?a=1` / `&b=2` on the lines below it).
  let urlText = request.url.text;
  for (const p of request.params) {
    if (p.nameStart < request.url.sourceEnd) continue;
    urlText += (urlText.includes('?') ? '&' : '?') + text.slice(base + p.nameStart, base + p.value.sourceEnd);
  }
  // A leading variable the file does not define (`{{gateway}}`, `${baseUrl}`) stands for the connection's gateway.
  const lead = /^(?:\{\{\s*([\w.-]+)\s*\}\}|\$\{\s*([\w.]+)\s*\}|\{([\w.]+)\})(?=\/|$)/.exec(urlText);
  if (lead) {
    const name = (lead[1] ?? lead[2] ?? lead[3]) as string;
    if (!variables.has(name) || lead[1] === undefined) {
      if (!GATEWAY_VARIABLE.test(name) && lead[1] !== undefined) {
        return { ok: false, message: `The URL starts with {{${name}}}, which this file does not define. Define it (@${name} = ${gatewayUrl.origin}) or start the URL with the path (/api/…).` };
      }
      urlText = gatewayUrl.origin + gatewayUrl.pathname.replace(/\/$/, '') + urlText.slice(lead[0].length);
    }
  }
  const resolved = resolveVariables(urlText, variables, now);
  if (resolved.usesToken) {
    return { ok: false, message: 'The URL holds a token variable. MindSphere Makers sends the connection\'s token only in the Authorization header, never in a URL, where logs and proxies keep it.' };
  }
  if (resolved.unknown.length) {
    return { ok: false, message: `The request uses ${resolved.unknown.map((u) => `{{${u}}}`).join(', ')}, which this file does not define. Define ${resolved.unknown.length > 1 ? 'them' : 'it'} with @name = value lines at the top of the file.` };
  }
  const codePlaceholder = /\$\{[^}]*\}|\{[A-Za-z_][\w.]*\}|%[sd]/.exec(resolved.text);
  if (codePlaceholder) {
    return { ok: false, message: `The URL contains ${codePlaceholder[0]}, a value only your program knows. Write the value in, or run the query from an .http file.` };
  }

  let url: URL;
  try {
    url = /^[a-z][a-z0-9+.-]*:\/\//i.test(resolved.text) ? new URL(resolved.text)
      : new URL(gatewayUrl.origin + gatewayUrl.pathname.replace(/\/$/, '') + (resolved.text.startsWith('/') ? '' : '/') + resolved.text);
  } catch {
    return { ok: false, message: `'${resolved.text}' is not a URL MindSphere Makers can send. Start it with the path (/api/…) or the gateway.` };
  }
  if (url.origin !== gatewayUrl.origin) {
    return { ok: false, message: `Not sent: this request goes to ${url.origin}, but the active connection's gateway is ${gatewayUrl.origin}. ` +
      'MindSphere Makers sends a connection\'s token only to its own gateway. Write the path (/api/…) or {{gateway}} instead of the host, or switch to the connection for that host.' };
  }
  if (url.username || url.password) {
    return { ok: false, message: 'The URL carries a user name or password. Remove them: the connection\'s token authenticates the request.' };
  }

  const headers: Record<string, string> = {};
  for (const h of request.headers) {
    if (/^authorization$/i.test(h.name)) continue; // the client sends the connection's token instead
    const value = resolveVariables(h.value, variables, now);
    if (value.unknown.length) {
      return { ok: false, message: `The header ${h.name} uses ${value.unknown.map((u) => `{{${u}}}`).join(', ')}, which this file does not define.` };
    }
    headers[h.name] = value.text;
  }

  let body: unknown;
  if (language === 'http' && method !== 'GET') {
    const lastHeaderEnd = Math.max(request.end, ...request.headers.map((h) => h.valueEnd));
    const blockEnd = text.indexOf('\n###', base + lastHeaderEnd);
    const blockText = text.slice(base, blockEnd < 0 ? text.length : blockEnd);
    const bodyText = resolveVariables(httpBody(blockText, lastHeaderEnd), variables, now).text;
    if (bodyText) {
      try {
        body = JSON.parse(bodyText);
      } catch {
        return { ok: false, message: 'The request body is not JSON. MindSphere Makers sends JSON bodies only; fix the body or send it with another tool.' };
      }
    }
  }

  const read = cappedRead(method, url);
  return { ok: true, request: { method, url, headers, ...(body === undefined ? {} : { body }), ...(read ? { read } : {}) } };
}

/**
 * A read that MindSphere caps at 2000 records per request and the client can fetch whole: a time series GET over a
 * range (without an explicit smaller `limit` or `latestValue`), an Aggregates v4 GET for one asset and aspect, or a
 * Data Hub entity set query with no OData options the client does not send ($expand, $apply…).
 */
function cappedRead(method: string, url: URL): CappedRead | PagedRead | undefined {
  const paged = pagedRead(method, url);
  if (paged) return paged;
  const read = rangeRead(method, url);
  if (!read) return undefined;
  const q = url.searchParams;
  if (read.kind === 'timeseries') {
    const limit = q.get('limit');
    return q.get('latestValue') === 'true' || (limit !== null && Number(limit) <= 2000) ? undefined : read;
  }
  return q.has('count') ? undefined : read;
}

function pagedRead(method: string, url: URL): PagedRead | undefined {
  const path = /^\/odata\/([^/]+)\/([A-Za-z_]\w*)\/?$/.exec(url.pathname);
  if (method !== 'GET' || !path) return undefined;
  const q = url.searchParams;
  const known = new Set(['$filter', '$orderby', '$select', '$top', '$skip', '$count']);
  if ([...q.keys()].some((k) => k.startsWith('$') && !known.has(k))) return undefined;
  const whole = (name: string): number | null | undefined => {
    const v = q.get(name);
    return v === null ? undefined : /^\d+$/.test(v) ? Number(v) : null;
  };
  const top = whole('$top');
  const skip = whole('$skip');
  if (top === null || skip === null) return undefined; // not a number: sent as written, for MindSphere's own error
  const text = (name: string) => q.get(name) ?? undefined;
  const query = Object.fromEntries(Object.entries({
    filter: text('$filter'), orderby: text('$orderby'), select: text('$select'), top, skip, count: q.get('$count') === 'true' || undefined,
  }).filter(([, v]) => v !== undefined)) as PagedRead['query'];
  return { kind: 'odata', service: decodeURIComponent(path[1] as string), entitySet: path[2] as string, query };
}

/**
 * The asset, aspect and range a time series or Aggregates v4 GET reads, whatever its paging (`limit`, `count`): what
 * "Preview Time Series" charts for a query.
 */
export function rangeRead(method: string, url: URL): CappedRead | undefined {
  if (method !== 'GET') return undefined;
  const q = url.searchParams;
  const from = q.get('from');
  const to = q.get('to');
  if (!from || !to) return undefined;
  const select = q.get('select');
  const ts = /^\/api\/iottimeseries\/v3\/timeseries\/([^/]+)\/([^/]+)\/?$/.exec(url.pathname);
  if (ts) {
    return { kind: 'timeseries', assetId: decodeURIComponent(ts[1] as string), aspect: decodeURIComponent(ts[2] as string), from, to,
      descending: q.get('sort') === 'desc', ...(select ? { select } : {}) };
  }
  if (/^\/api\/iottsaggregates\/v4\/aggregates\/?$/.test(url.pathname)) {
    const assetId = q.get('assetId');
    const aspect = q.get('aspectName');
    const unit = q.get('intervalUnit');
    const value = q.get('intervalValue');
    if (!assetId || !aspect || (unit === null) !== (value === null)) return undefined;
    return { kind: 'aggregates', assetId, aspect, from, to, ...(unit && value ? { intervalUnit: unit, intervalValue: Number(value) } : {}),
      ...(select ? { select } : {}) };
  }
  return undefined;
}

/**
 * Whether a request, as written, reads time series or aggregates (for the "Preview Time Series" CodeLens): by its
 * path alone, since its variables resolve only when it is clicked (then rangeRead decides, or says what is missing).
 */
export function readsSeries(request: ParsedRequest): boolean {
  if ((request.method ?? 'GET') !== 'GET') return false;
  return (request.service === 'iottimeseries' && request.resource[0] === 'timeseries' && request.resource.length >= 3)
    || (request.service === 'iottsaggregates' && request.resource[0] === 'aggregates');
}
