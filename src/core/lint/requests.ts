// Finds MindSphere requests in text: the request of each `###` block of an .http/.rest file (REST Client / httpYac
// format), and URL strings in source code. A request is classified (Asset Management, IoT Time Series, Aggregates, or a
// Data Hub OData entity set) and its query parameters decoded, each with the way back to its source characters.
// Offsets here are relative to the text handed in (a block), so results can be cached by block text.
import { classifyEntitySet } from '../contract/naming';
import type { DataHubEntityKind } from '../limits';
import { Mapped } from './text';

export type RequestKind = 'asset' | 'timeseries' | 'aggregates' | 'odata';
export type RestService = 'assetmanagement' | 'iottimeseries' | 'iottsbulk' | 'iottsaggregates';

export interface RequestParam {
  /** The decoded parameter name (`$filter`, `from`). */
  readonly name: string;
  readonly nameStart: number;
  readonly nameEnd: number;
  /** The decoded value, mapped back to its source characters. */
  readonly value: Mapped;
  /** Source range that removes the parameter together with one `&` or `?` next to it. */
  readonly removeStart: number;
  readonly removeEnd: number;
}

export interface RequestHeader {
  readonly name: string;
  readonly value: string;
  readonly valueStart: number;
  readonly valueEnd: number;
}

export interface ParsedRequest {
  readonly kind: RequestKind;
  /** Upper-case HTTP method, when known (always in .http files; guessed from `.post(` and the like in code). */
  readonly method: string | undefined;
  readonly methodStart: number | undefined;
  readonly methodEnd: number | undefined;
  /** The URL as written (a string literal's escapes already decoded). */
  readonly url: Mapped;
  /** REST: the service and version (`iottimeseries`, `v3`) and the path segments after them. */
  readonly service: RestService | undefined;
  readonly version: string | undefined;
  readonly resource: readonly string[];
  readonly resourceRanges: ReadonlyArray<{ start: number; end: number }>;
  /**
   * OData: the entity set, its kind (by its name), whether the path reads one entity by its key
   * (`TS_…(assetId='a',timestamp='…')`), and whether the path ends in `/$count`.
   */
  readonly entitySet: {
    readonly name: string; readonly kind: DataHubEntityKind; readonly start: number; readonly end: number; readonly byKey: boolean;
  } | undefined;
  readonly countSegment: { readonly start: number; readonly end: number } | undefined;
  readonly params: readonly RequestParam[];
  readonly headers: readonly RequestHeader[];
  /** The range of the request line (method and URL), for a CodeLens or a whole-request finding. */
  readonly start: number;
  readonly end: number;
  /** Where a new query parameter can be inserted (the end of the URL). */
  readonly queryEnd: number;
  /** True when the URL is a string literal that code concatenates with more text after it (`"…" + x`). */
  readonly continuesInCode: boolean;
}

const API = /\/api\/(assetmanagement|iottimeseries|iottsbulk|iottsaggregates)\/(v\d+)(?=\/|$)/;
const KIND_OF_SERVICE: Readonly<Record<RestService, RequestKind>> = {
  assetmanagement: 'asset', iottimeseries: 'timeseries', iottsbulk: 'timeseries', iottsaggregates: 'aggregates',
};
const ODATA_OPTION = /(?:^|[?&])\$(?:filter|orderby|top|skip|count|inlinecount|select|expand)=/;

/** Query parameters of a query string (the text after `?`). */
function parseQuery(query: Mapped, out: RequestParam[]): void {
  const text = query.text;
  let i = 0;
  while (i <= text.length) {
    let amp = text.indexOf('&', i);
    if (amp < 0) amp = text.length;
    if (amp > i) {
      let eq = text.indexOf('=', i);
      if (eq < 0 || eq > amp) eq = amp;
      let nameStart = i;
      let nameEnd = eq;
      while (nameStart < nameEnd && text.charCodeAt(nameStart) <= 32) nameStart++;
      while (nameEnd > nameStart && text.charCodeAt(nameEnd - 1) <= 32) nameEnd--;
      const rawName = text.slice(nameStart, nameEnd);
      const name = /[%+]/.test(rawName) ? query.slice(nameStart, nameEnd).decodeQueryComponent().text : rawName;
      // Remove the separator before the parameter, or, for the first one, the one after it.
      if (name) {
        out.push({ name, nameStart: query.source(nameStart), nameEnd: query.source(nameEnd),
          value: query.slice(Math.min(eq + 1, amp), amp).decodeQueryComponent(),
          removeStart: query.source(i > 0 ? i - 1 : i), removeEnd: query.source(i > 0 ? amp : Math.min(amp + 1, text.length)) });
      }
    }
    i = amp + 1;
  }
}

interface UrlParts {
  readonly method: string | undefined;
  readonly methodStart: number | undefined;
  readonly methodEnd: number | undefined;
  /** The URL, and continuation lines (`?a=1`, `&b=2`) of a multi-line .http query. */
  readonly url: Mapped;
  readonly continuations: readonly Mapped[];
  readonly headers: readonly RequestHeader[];
  readonly start: number;
  readonly end: number;
  readonly continuesInCode: boolean;
}

interface Classified {
  readonly kind: RequestKind;
  readonly service?: RestService;
  readonly version?: string;
  readonly resource: readonly string[];
  readonly resourceRanges: ReadonlyArray<{ start: number; end: number }>;
  readonly entitySet?: ParsedRequest['entitySet'];
  readonly countSegment?: ParsedRequest['countSegment'];
}

const NOTHING: readonly never[] = [];

/** Which API a URL path calls: a REST service, or a Data Hub entity set. Undefined when it is not MindSphere's. */
function classifyPath(url: Mapped, path: string, odataOptions: () => boolean): Classified | undefined {
  const api = API.exec(path);
  if (api) {
    const service = api[1] as RestService;
    const rest = api.index + api[0].length;
    const resource: string[] = [];
    const resourceRanges: Array<{ start: number; end: number }> = [];
    let at = rest + 1;
    for (const segment of path.slice(rest + 1).split('/')) {
      if (segment) {
        resource.push(decodeSegment(segment));
        resourceRanges.push({ start: url.source(at), end: url.source(at + segment.length) });
      }
      at += segment.length + 1;
    }
    return { kind: KIND_OF_SERVICE[service], service, version: api[2] as string, resource, resourceRanges };
  }
  // Data Hub OData: the last path segment naming an entity set (before an optional key predicate or /$count).
  let end = path.length;
  let countSegment: { start: number; end: number } | undefined;
  while (end > 0) {
    const slash = path.lastIndexOf('/', end - 1);
    const segment = path.slice(slash + 1, end);
    if (segment === '$count' && end === path.length) {
      countSegment = { start: url.source(slash + 1), end: url.source(end) };
    } else if (segment) {
      const paren = segment.indexOf('(');
      const name = decodeSegment(paren < 0 ? segment : segment.slice(0, paren));
      const kind = classifyEntitySet(name);
      // `Asset…` is a common word: only treat it as Data Hub when the request reads like OData.
      if (kind && (kind !== 'asset' || paren >= 0 || odataOptions() || /\bodata\b|\/mdsp_/i.test(path))) {
        const entitySet = { name, kind, start: url.source(slash + 1), end: url.source(slash + 1 + name.length), byKey: paren >= 0 };
        return { kind: 'odata', resource: NOTHING, resourceRanges: NOTHING, entitySet, countSegment };
      }
      return undefined;
    }
    end = slash < 0 ? 0 : slash;
  }
  return undefined;
}

/** Parses and classifies a request; undefined when it is not a MindSphere request. */
function classify(parts: UrlParts): ParsedRequest | undefined {
  const url = parts.url;
  const text = url.text;
  const q = text.indexOf('?');
  const pathEnd = q < 0 ? text.length : q;
  const api = classifyPath(url, text.slice(0, pathEnd),
    () => ODATA_OPTION.test(text.slice(pathEnd)) || parts.continuations.some((c) => ODATA_OPTION.test(c.text)));
  if (!api) return undefined;
  const params: RequestParam[] = [];
  if (q >= 0) parseQuery(url.slice(q + 1), params);
  for (const c of parts.continuations) parseQuery(c.slice(1), params);
  const last = parts.continuations[parts.continuations.length - 1];
  return {
    kind: api.kind, method: parts.method, methodStart: parts.methodStart, methodEnd: parts.methodEnd, url,
    service: api.service, version: api.version, resource: api.resource, resourceRanges: api.resourceRanges,
    entitySet: api.entitySet, countSegment: api.countSegment, params, headers: parts.headers, start: parts.start,
    end: parts.end, queryEnd: last ? last.sourceEnd : url.sourceEnd, continuesInCode: parts.continuesInCode,
  };
}

function decodeSegment(segment: string): string {
  if (!segment.includes('%')) return segment;
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

// ---------------------------------------------------------------------------------------------------------------------
// .http / .rest files

const METHODS = /^(GET|POST|PUT|PATCH|DELETE|HEAD|OPTIONS|MERGE|CONNECT|TRACE)\s+/i;
const HTTP_VERSION = /\s+HTTP\/\S+\s*$/;

/** The blocks of an .http file: a line starting with `###` begins a new block. Each block starts at a line start. */
export function splitHttpBlocks(text: string): Array<{ start: number; end: number }> {
  const starts = [0];
  for (let i = text.indexOf('\n###'); i >= 0; i = text.indexOf('\n###', i + 1)) starts.push(i + 1);
  return starts.map((start, k) => ({ start, end: starts[k + 1] ?? text.length })).filter((b) => b.end > b.start);
}

/** The request of one .http block (offsets relative to the block), or undefined when it holds none. */
export function httpBlockRequest(block: string): ParsedRequest | undefined {
  // Find the request line: the first line that is not a separator, comment, variable definition or blank.
  let pos = 0;
  let lineStart = -1;
  let lineEnd = 0;
  while (pos < block.length) {
    let eol = block.indexOf('\n', pos);
    if (eol < 0) eol = block.length;
    let a = pos;
    let b = eol;
    // A byte order mark opens files saved by Windows editors: it is not part of the request line (nor a method).
    while (a < b && (block.charCodeAt(a) <= 32 || block.charCodeAt(a) === 0xfeff)) a++;
    while (b > a && block.charCodeAt(b - 1) <= 32) b--;
    pos = eol + 1;
    const c = block[a];
    if (a < b && c !== '#' && c !== '@' && !(c === '/' && block[a + 1] === '/')) {
      lineStart = a;
      lineEnd = b;
      break;
    }
  }
  if (lineStart < 0) return undefined;
  let lineText = block.slice(lineStart, lineEnd);
  const m = METHODS.exec(lineText);
  const method = m ? (m[1] as string).toUpperCase() : 'GET';
  const methodStart = m ? lineStart : undefined;
  const methodEnd = m ? lineStart + (m[1] as string).length : undefined;
  if (m) {
    lineStart += m[0].length;
    lineText = lineText.slice(m[0].length);
  }
  const version = lineText.includes(' HTTP/') || lineText.includes('\tHTTP/') ? HTTP_VERSION.exec(lineText) : null;
  const urlText = version ? lineText.slice(0, version.index).trimEnd() : lineText;
  const url = Mapped.verbatim(urlText, lineStart);

  // Continuation lines of a multi-line query, then headers up to the first blank line.
  const continuations: Mapped[] = [];
  const headers: RequestHeader[] = [];
  let end = url.sourceEnd;
  while (pos < block.length) {
    let eol = block.indexOf('\n', pos);
    if (eol < 0) eol = block.length;
    const line = block.slice(pos, eol).replace(/\r$/, '');
    const trimmed = line.trim();
    if (!trimmed) break;
    const indent = line.length - line.trimStart().length;
    if (!trimmed.startsWith('#') && !trimmed.startsWith('//')) {
      if ((trimmed.startsWith('?') || trimmed.startsWith('&')) && headers.length === 0) {
        continuations.push(Mapped.verbatim(trimmed, pos + indent));
        end = pos + indent + trimmed.length;
      } else {
        const colon = line.indexOf(':');
        if (colon > 0) {
          const valueText = line.slice(colon + 1);
          const valueLead = valueText.length - valueText.trimStart().length;
          headers.push({ name: line.slice(0, colon).trim(), value: valueText.trim(),
            valueStart: pos + colon + 1 + valueLead, valueEnd: pos + colon + 1 + valueLead + valueText.trim().length });
        }
      }
    }
    pos = eol + 1;
  }
  return classify({ method, methodStart, methodEnd, url, continuations, headers, start: methodStart ?? url.sourceStart, end,
    continuesInCode: false });
}

// ---------------------------------------------------------------------------------------------------------------------
// Source code: URL strings in .ts/.js/.java/.cs/.py string literals

export type CodeLanguage = 'js' | 'java' | 'cs' | 'py';

const CANDIDATE = /\/api\/(?:assetmanagement|iottimeseries|iottsbulk|iottsaggregates)\/|[?&]\$(?:filter|orderby|top|skip|count|inlinecount)=|(?:^|\/)(?:AGGR_|TS_)\w/;
const CALL_METHOD = /\.\s*(get|post|put|patch|delete|merge)\s*(?:<[^>]*>)?\s*\(\s*$/i;
const METHOD_WORD = /["'`](GET|POST|PUT|PATCH|DELETE|MERGE)["'`]\s*,\s*$/;
/** How far before a URL literal its call (`.post<Asset>(`, `fetch('PUT', `) is looked for. */
const LOOK_BACK = 200;

/** The MindSphere requests in string literals of a source file (offsets into `text`). */
export function codeRequests(text: string, language: CodeLanguage): ParsedRequest[] {
  const out: ParsedRequest[] = [];
  for (const literal of concatenated(text, stringLiterals(text, language))) {
    if (!CANDIDATE.test(literal.body.text)) continue;
    // The call before the literal (`.post(`, `'PUT', `), read on its line and at most LOOK_BACK characters back: a
    // minified bundle is one long line, and reading back to its start for every literal took seconds.
    const window = text.slice(Math.max(0, literal.start - LOOK_BACK), literal.start);
    const before = window.slice(window.lastIndexOf('\n') + 1);
    const method = (CALL_METHOD.exec(before) ?? METHOD_WORD.exec(before))?.[1]?.toUpperCase();
    const after = /^\s*\+/.test(text.slice(literal.end, literal.end + 20));
    // Text before the path (`${base}`, a host) is not part of the request; the URL starts where the path starts.
    const request = classify({ url: literal.body, continuations: [], headers: [], start: literal.start, end: literal.end,
      continuesInCode: after, method, methodStart: undefined, methodEnd: undefined });
    if (request) out.push(request);
  }
  return out;
}

/** `"a" + x + "b"` or `"a" + "b"`: what lies between two literals that code joins into one string. */
const JOIN = /^\s*\+\s*(?:([^"'`;]{1,200}?)\s*\+\s*)?$/;

/** Joins literals that code concatenates, reading each expression between them as a `{placeholder}`. */
function concatenated(text: string, literals: readonly StringLiteral[]): StringLiteral[] {
  const out: StringLiteral[] = [];
  for (const literal of literals) {
    const last = out[out.length - 1];
    const join = last ? JOIN.exec(text.slice(last.end, literal.start)) : null;
    if (!last || !join) {
      out.push(literal);
      continue;
    }
    const expression = join[1];
    const pieces = [last.body];
    if (expression !== undefined) {
      const at = text.indexOf(expression, last.end);
      pieces.push(Mapped.synthetic(`{${expression.replace(/[^\w.]/g, '_') || 'x'}}`, at, at + expression.length));
    }
    pieces.push(literal.body);
    out[out.length - 1] = { start: last.start, end: literal.end, body: Mapped.concat(pieces) };
  }
  return out;
}

interface StringLiteral {
  readonly start: number;
  readonly end: number;
  readonly body: Mapped;
}

/**
 * The string literals of a source file, skipping comments. Handles '…', "…", `…` (JS template: `${…}` stays in the text
 * and reads as a placeholder), Python prefixes and triple quotes, and C# verbatim (@"…") and interpolated ($"…") strings.
 */
function stringLiterals(text: string, language: CodeLanguage): StringLiteral[] {
  const out: StringLiteral[] = [];
  const n = text.length;
  let i = 0;
  while (i < n) {
    const c = text[i];
    if (c === '/' && language !== 'py' && text[i + 1] === '/') {
      i = lineEnd(text, i);
      continue;
    }
    if (c === '/' && language !== 'py' && text[i + 1] === '*') {
      const close = text.indexOf('*/', i + 2);
      i = close < 0 ? n : close + 2;
      continue;
    }
    if (c === '#' && language === 'py') {
      i = lineEnd(text, i);
      continue;
    }
    const quoteOk = c === '"' || (c === "'" && language !== 'java' && language !== 'cs') || (c === '`' && language === 'js');
    if (language === 'java' && c === "'") {
      // A Java char literal: skip it so an apostrophe does not open a string.
      const close = text.indexOf("'", i + (text[i + 1] === '\\' ? 3 : 2));
      i = close < 0 || close - i > 8 ? i + 1 : close + 1;
      continue;
    }
    if (language === 'cs' && c === "'") {
      const close = text.indexOf("'", i + (text[i + 1] === '\\' ? 3 : 2));
      i = close < 0 || close - i > 8 ? i + 1 : close + 1;
      continue;
    }
    if (!quoteOk) {
      i++;
      continue;
    }
    const prefix = prefixOf(text, i, language);
    const verbatim = (language === 'cs' && prefix.includes('@')) || (language === 'py' && /r/i.test(prefix));
    const triple = (language === 'py' || language === 'java') && text.startsWith(c.repeat(3), i);
    const interpolated = (language === 'cs' && prefix.includes('$')) || (language === 'py' && /f/i.test(prefix));
    const quote = triple ? c.repeat(3) : c;
    const bodyStart = i + quote.length;
    let j = bodyStart;
    let closed = false;
    while (j < n) {
      if (interpolated && text[j] === '{') {
        // A hole's code may hold quotes of its own (`{to.ToString("o")}`): they do not end the string.
        const close = text[j + 1] === '{' ? j + 1 : holeEnd(text, j);
        if (close > 0) {
          j = close + 1;
          continue;
        }
      }
      if (!verbatim && text[j] === '\\') {
        j += 2;
        continue;
      }
      if (text.startsWith(quote, j)) {
        if (verbatim && quote.length === 1 && text[j + 1] === quote) {
          j += 2;
          continue;
        }
        closed = true;
        break;
      }
      if (text[j] === '\n' && quote.length === 1 && c !== '`' && !verbatim) break;
      j++;
    }
    const bodyEnd = j;
    const end = closed ? j + quote.length : j;
    const decode = (from: number, to: number) => Mapped.verbatim(text.slice(from, to), from).decodeStringLiteral(quote.length === 1 ? quote : c, verbatim);
    const body = interpolated ? withHoles(text, bodyStart, bodyEnd, decode) : decode(bodyStart, bodyEnd);
    out.push({ start: i - prefix.length, end, body });
    i = end;
  }
  return out;
}

/**
 * The body of an interpolated string (Python f"…", C# $"…") with each hole's code read as one `{placeholder}`, as the
 * expressions between concatenated literals are: what a hole holds is not known until run time.
 */
function withHoles(text: string, start: number, end: number, decode: (from: number, to: number) => Mapped): Mapped {
  const pieces: Mapped[] = [];
  let from = start;
  for (let k = start; k < end; k++) {
    if (text[k] !== '{') continue;
    if (text[k + 1] === '{') {
      k++; // an escaped brace
      continue;
    }
    const close = holeEnd(text, k);
    if (close < 0 || close >= end) continue;
    pieces.push(decode(from, k), Mapped.synthetic(`{${text.slice(k + 1, close).replace(/[^\w.]/g, '_') || 'x'}}`, k, close + 1));
    from = k = close + 1;
    k--;
  }
  pieces.push(decode(from, end));
  return Mapped.concat(pieces);
}

/** The `}` that closes the interpolation hole opening at `open`, or -1 (none on the line, or nested too far). */
function holeEnd(text: string, open: number): number {
  let depth = 0;
  for (let k = open; k < text.length && k - open < 500; k++) {
    const ch = text[k];
    if (ch === '\n') return -1;
    if (ch === '{') depth++;
    else if (ch === '}' && --depth === 0) return k;
  }
  return -1;
}

function lineEnd(text: string, i: number): number {
  const eol = text.indexOf('\n', i);
  return eol < 0 ? text.length : eol;
}

/** Letters glued before a quote that change how the literal reads: Python r/f/b/u, C# @ and $. */
function prefixOf(text: string, quoteAt: number, language: CodeLanguage): string {
  const pattern = language === 'py' ? /[rRfFbBuU]/ : language === 'cs' ? /[@$]/ : null;
  if (!pattern) return '';
  let k = quoteAt;
  while (k > 0 && quoteAt - k < 3 && pattern.test(text[k - 1] ?? '')) k--;
  if (k > 0 && /[\w]/.test(text[k - 1] ?? '')) return '';
  return text.slice(k, quoteAt);
}
