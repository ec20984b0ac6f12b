// IoT Time Series v3 (API §1.4): one page, the read past the 2000-record cap (see read-plan.ts), write and delete.
import { LIMITS } from '../core/limits';
import type { RequestInfo } from './errors';
import { commaList, type Http } from './http';
import { DEFAULT_PLAN, type Piece, type Progress, ReadPlan, readPieces } from './read-plan';
import { type TimeSeriesRecord, timeSeriesPageSchema } from './schemas';
import { type TimeInput, toIso, toRange } from './time';

const BASE = '/api/iottimeseries/v3/timeseries';

export interface ReadOptions {
  /** Variables to return (all when absent). `_time` always comes. */
  readonly select?: string | readonly string[];
  readonly signal?: AbortSignal;
  /** Called after every answer with the records so far and an estimate of the total. */
  readonly onProgress?: (progress: Progress) => void;
  /** Requests in flight at once for this read (the client's default otherwise). */
  readonly concurrency?: number;
}

export interface TimeSeriesDefaults {
  readonly concurrency: number;
}

export interface Page {
  readonly records: TimeSeriesRecord[];
  /** The server said there is more in the range (a `Link: <…>; rel="next"` header). */
  readonly hasMore: boolean;
}

export function timeSeriesPath(assetId: string, aspect: string): string {
  return `${BASE}/${encodeURIComponent(assetId)}/${encodeURIComponent(aspect)}`;
}

/**
 * True when a Link header has a link whose relation types include `next` (RFC 8288: `rel` is a token or a quoted list
 * of types separated by spaces, e.g. `rel="prev next"`, matched case-insensitively).
 */
export function hasNextLink(link: string | null): boolean {
  if (!link) return false;
  // Each parameter whole, a quoted value included, so that a `;` or `rel=` inside a URI or a quoted value is not read.
  const param = /;\s*([\w!#$%&'*+.^`|~-]+)\s*(?:=\s*(?:"((?:[^"\\]|\\.)*)"|([^\s;,"]*)))?/g;
  for (const m of link.replace(/<[^>]*>/g, '<>').matchAll(param)) {
    if (m[1]?.toLowerCase() === 'rel' && (m[2] ?? m[3] ?? '').toLowerCase().split(/\s+/).includes('next')) return true;
  }
  return false;
}

export function createTimeSeriesApi(http: Http, defaults: TimeSeriesDefaults) {
  const cap = LIMITS.maxRecordsPerRequest.value;

  /** One request: at most 2000 records of (from, to], oldest first. `onReceived`: see ApiRequest. */
  async function readPage(assetId: string, aspect: string, from: number, to: number,
    options: { select?: ReadOptions['select']; limit?: number; signal?: AbortSignal; onReceived?: () => void } = {}): Promise<Page> {
    const response = await http.send({
      method: 'GET',
      path: timeSeriesPath(assetId, aspect),
      query: { from: toIso(from), to: toIso(to), limit: options.limit ?? cap, select: commaList(options.select) },
      schema: timeSeriesPageSchema,
      ...(options.signal ? { signal: options.signal } : {}),
      ...(options.onReceived ? { onReceived: options.onReceived } : {}),
    });
    return { records: response.data, hasMore: hasNextLink(response.headers.get('link')) };
  }

  /**
   * Every record of (from, to], exactly once and in time order, page by page, however many there are: the range is
   * split and fetched with bounded concurrency, pieces that come back full are subdivided. Stopping the iteration,
   * an abort of `signal`, a failed piece or the deadline (no answer for its length) stop every request in flight.
   */
  async function* stream(assetId: string, aspect: string, from: TimeInput, to: TimeInput, options: ReadOptions = {}): AsyncGenerator<readonly TimeSeriesRecord[]> {
    const range = toRange(from, to);
    const request: RequestInfo = { method: 'GET', path: timeSeriesPath(assetId, aspect) };
    const concurrency = Math.max(1, options.concurrency ?? defaults.concurrency);
    const deadline = http.deadline(options.signal, request);
    const plan = new ReadPlan<TimeSeriesRecord>(range.from, range.to, { ...DEFAULT_PLAN, cap }, request);
    const readPiece = async (piece: Piece, received: () => void) => {
      const page = await readPage(assetId, aspect, piece.from, piece.to, { select: options.select, signal: deadline.signal, onReceived: received });
      plan.complete(piece, page.records, page.hasMore);
      deadline.restart();
      options.onProgress?.(plan.progress());
    };
    try {
      yield* readPieces(plan, readPiece, concurrency, (reason) => deadline.abort(reason));
    } finally {
      deadline.dispose();
    }
  }

  /** All records of (from, to] in one array (see stream for how; prefer stream for millions of records). */
  async function read(assetId: string, aspect: string, from: TimeInput, to: TimeInput, options: ReadOptions = {}): Promise<TimeSeriesRecord[]> {
    const all: TimeSeriesRecord[] = [];
    for await (const page of stream(assetId, aspect, from, to, options)) for (const r of page) all.push(r);
    return all;
  }

  /** The latest record of the aspect (a GET without a range): possibly only some of its variables. */
  async function latest(assetId: string, aspect: string, options: { select?: ReadOptions['select']; signal?: AbortSignal } = {}): Promise<TimeSeriesRecord | undefined> {
    const path = timeSeriesPath(assetId, aspect);
    const response = await http.request({ method: 'GET', path, query: { select: commaList(options.select) }, schema: timeSeriesPageSchema,
      signal: options.signal });
    return response.data.at(-1);
  }

  /** Writes records (PUT): a record with an existing `_time` replaces that record entirely. */
  async function write(assetId: string, aspect: string, records: readonly TimeSeriesRecord[], options: { signal?: AbortSignal } = {}): Promise<void> {
    const path = timeSeriesPath(assetId, aspect);
    await http.request({ method: 'PUT', path, body: records, signal: options.signal });
  }

  /** Deletes the records of (from, to]. */
  async function remove(assetId: string, aspect: string, from: TimeInput, to: TimeInput, options: { signal?: AbortSignal } = {}): Promise<void> {
    const range = toRange(from, to);
    const path = timeSeriesPath(assetId, aspect);
    await http.request({ method: 'DELETE', path, query: { from: toIso(range.from), to: toIso(range.to) }, signal: options.signal });
  }

  return { readPage, stream, read, latest, write, delete: remove };
}

export type TimeSeriesApi = ReturnType<typeof createTimeSeriesApi>;
