// "Run with MindSphere": sends the request under the cursor (or the one a CodeLens names) with the active connection's
// client, so the token comes from the connection and never from the file, and opens the result as JSON. Reads that
// MindSphere caps at 2000 records go through the client's split reads. Nothing is sent to a host other than the
// connection's gateway, nothing from an untrusted workspace, and nothing that changes data without a confirmation.
// The result opens read-only beside the query (run-results.ts).
import * as vscode from 'vscode';
import type { ApiRequest } from '../../client';
import { LIMITS } from '../../core/limits';
import type { Log } from '../log';
import type { Ui } from '../ui';
import { messageOf } from '../util';
import { documentFileName } from './documents';
import type { Engine } from './index';
import type { PreparedRequest } from './prepare-request';
import type { RunResults } from './run-results';
import type { ConnectionSource, LiveConnection } from './schema';

export type RunResult =
  | { readonly ok: true; readonly document: vscode.TextDocument; readonly summary: string }
  | { readonly ok: false; readonly message: string };

export interface RunQueryDeps {
  readonly loadEngine: () => Promise<Engine>;
  readonly results: RunResults;
  readonly connections: ConnectionSource;
  readonly ui: Ui;
  readonly log: Log;
}

export type RequestAt =
  | { readonly ok: true; readonly request: PreparedRequest; readonly connection: LiveConnection; readonly engine: Engine }
  | { readonly ok: false; readonly message: string };

/**
 * The request at `offset` of the document `uriArg` (without them, at the cursor of the active editor), prepared to be
 * sent with the active connection: what "Run with MindSphere" sends, and what "Preview Time Series" charts of a query.
 * A refusal says why in words for people (no request there, an untrusted workspace, no connection, another host).
 */
export async function requestAt(deps: Pick<RunQueryDeps, 'loadEngine' | 'connections'>, uriArg?: unknown, offsetArg?: unknown): Promise<RequestAt> {
  const refuse = (message: string): RequestAt => ({ ok: false, message });
  const editor = vscode.window.activeTextEditor;
  const document = uriArg instanceof vscode.Uri ? await vscode.workspace.openTextDocument(uriArg) : editor?.document;
  if (!document) return refuse('Open an .http file and put the cursor in a MindSphere request, or click "Run with MindSphere" above it.');
  const offset = typeof offsetArg === 'number' ? offsetArg
    : editor && editor.document === document ? document.offsetAt(editor.selection.active) : 0;
  if (!vscode.workspace.isTrusted) {
    return refuse('This workspace is not trusted, so MindSphere Makers does not send requests from its files to a tenant. Trust the workspace to run queries.');
  }
  const engine = await deps.loadEngine();
  const fileName = documentFileName(document, engine.isLintable);
  const text = document.getText();
  const found = fileName ? engine.requestOnLine(text, fileName, offset) : undefined;
  if (!fileName || !found) {
    return refuse('There is no MindSphere request at the cursor: put it on a request line (GET /api/… or a Data Hub entity set) of an .http file or a URL string.');
  }
  let connection: LiveConnection;
  try {
    connection = await deps.connections.require();
  } catch (error) {
    return refuse(`No MindSphere connection to run the query with: ${messageOf(error)}`);
  }
  const prepared = engine.prepareRequest(text, fileName, found, connection.client.connection.gateway);
  return prepared.ok ? { ok: true, request: prepared.request, connection, engine } : prepared;
}

/** The command: `mdsp.runQuery(uri?, offset?)`; without arguments, the request at the cursor of the active editor. */
export async function runQuery(deps: RunQueryDeps, uriArg?: unknown, offsetArg?: unknown): Promise<RunResult> {
  const refuse = (message: string): RunResult => {
    void deps.ui.error(message);
    return { ok: false, message };
  };
  const at = await requestAt(deps, uriArg, offsetArg);
  if (!at.ok) return refuse(at.message);
  const { request, connection, engine } = at;
  const label = `${request.method} ${request.url.pathname}`;
  if (request.method !== 'GET') {
    const go = await deps.ui.confirm(`Send ${label} to '${connection.name}'?`,
      `${request.method} changes data in the tenant. MindSphere Makers sends it with the connection's token.`, 'Send');
    if (!go) return { ok: false, message: 'Not sent: cancelled.' };
  }
  const started = Date.now();
  try {
    const { data, summary } = await deps.ui.progress(`Running ${label} on '${connection.name}'…`, (signal, report) => send(engine, connection, request, signal, report));
    const line = `${label} on '${connection.name}': ${summary} in ${Date.now() - started} ms`;
    deps.log.info(`Ran ${line}`);
    const result = await deps.results.open(request.url.pathname, connection.name, `${JSON.stringify(data ?? null, null, 2)}\n`);
    await vscode.window.showTextDocument(result, { viewColumn: vscode.ViewColumn.Beside, preview: false });
    return { ok: true, document: result, summary: line };
  } catch (error) {
    if (error instanceof TooManyForEditor) return refuse(`${label} on '${connection.name}' stopped: ${error.message}`);
    // MindSphereError messages already say what happened, why and what to do, with the status code.
    return refuse(`${label} on '${connection.name}' failed: ${messageOf(error)}`);
  }
}

/**
 * The most records, aggregates or objects "Run with MindSphere" opens in an editor: a day at one record a second fits
 * (about 9 MB of JSON), while a year of it (31 million) would not even fit in the extension host's memory.
 */
const MOST_IN_EDITOR = 100_000;

class TooManyForEditor extends Error {}

/**
 * Runs a read that reports its progress and stops it as soon as it has, or is estimated to hold, more than
 * MOST_IN_EDITOR items (the first page's density gives the estimate), with a message saying where such reads go.
 */
async function withinEditorLimit<T>(signal: AbortSignal, report: (message: string) => void, what: string, instead: string,
  read: (signal: AbortSignal, seen: (count: number, estimatedTotal?: number) => void) => Promise<T>): Promise<T> {
  const tooMany = new AbortController();
  let expected = 0;
  try {
    return await read(AbortSignal.any([signal, tooMany.signal]), (count, estimatedTotal) => {
      expected = Math.max(count, estimatedTotal ?? 0);
      if (expected > MOST_IN_EDITOR) tooMany.abort();
      else report(`${count.toLocaleString('en')} of about ${expected.toLocaleString('en')} ${what}`);
    });
  } catch (error) {
    if (signal.aborted || !tooMany.signal.aborted) throw error;
    throw new TooManyForEditor(`the query reads about ${expected.toLocaleString('en')} ${what}, more than the ` +
      `${MOST_IN_EDITOR.toLocaleString('en')} an editor can take. ${instead}`);
  }
}

/** Sends a prepared request: a capped read whole (past 2000 records), anything else as one request. */
async function send(engine: Engine, connection: LiveConnection, request: PreparedRequest, signal: AbortSignal,
  report: (message: string) => void): Promise<{ data: unknown; summary: string }> {
  const client = connection.client;
  const read = request.read;
  if (read?.kind === 'timeseries') {
    const records = await withinEditorLimit(signal, report, 'records',
      'Narrow the range, chart it with "Preview Time Series" (the lens beside), or write it to a file with mdsp-makers timeseries … --out FILE.',
      (bounded, seen) => client.readTimeSeries(read.assetId, read.aspect, read.from, read.to, {
        ...(read.select ? { select: read.select } : {}), signal: bounded, onProgress: (p) => seen(p.records, p.estimatedTotal),
      }));
    if (read.descending) records.reverse();
    return { data: records, summary: `${records.length} records, all of the range${records.length > LIMITS.maxRecordsPerRequest.value ? ' (read past the 2000-record cap)' : ''}` };
  }
  if (read?.kind === 'aggregates') {
    const aggregates = await withinEditorLimit(signal, report, 'aggregates',
      'Narrow the range or take a longer interval, or write it to a file with mdsp-makers aggregates … --out FILE.',
      (bounded, seen) => client.readAggregates(read.assetId, read.aspect, read.from, read.to, {
        ...(read.intervalUnit ? { intervalUnit: read.intervalUnit as 'day', intervalValue: read.intervalValue } : {}),
        ...(read.select ? { select: read.select } : {}), signal: bounded,
        onProgress: (p) => seen(p.aggregates, p.estimatedTotal),
      }));
    return { data: { aggregates }, summary: `${aggregates.length} aggregates` };
  }
  if (read?.kind === 'odata') {
    const result = await withinEditorLimit(signal, report, 'objects', 'Narrow the timestamp range of the $filter, or add $top.',
      (bounded, seen) => client.odata.queryEntitySet(read.service, read.entitySet, {
        ...read.query, signal: bounded, onProgress: (p) => seen(p.rows, p.estimatedTotal),
      }));
    return {
      data: { value: result.rows, ...(result.count === undefined ? {} : { '@odata.count': result.count }) },
      summary: `${result.rows.length} objects in ${result.requests} request${result.requests === 1 ? '' : 's'}${result.requests > 1 ? ' (every page, past the 2000-object cap)' : ''}`,
    };
  }
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(request.headers)) {
    const placeholder = engine.TOKEN_PLACEHOLDER;
    headers[name] = value.includes(placeholder) ? value.split(placeholder).join((await client.token(signal)).accessToken) : value;
  }
  const keys = [...request.url.searchParams.keys()];
  // The client sets query parameters one value per name; a repeated name travels in the path as written.
  const repeated = new Set(keys).size !== keys.length;
  const apiRequest: ApiRequest<unknown> = {
    method: request.method as ApiRequest<unknown>['method'],
    path: repeated ? request.url.pathname + request.url.search : request.url.pathname,
    ...(repeated ? {} : { query: Object.fromEntries(request.url.searchParams) }),
    headers,
    ...(request.body === undefined ? {} : { body: request.body }),
    signal,
  };
  const response = await client.request(apiRequest);
  const count = Array.isArray(response.data) ? `, ${response.data.length} items` : '';
  return { data: response.data, summary: `HTTP ${response.status}${count}` };
}
