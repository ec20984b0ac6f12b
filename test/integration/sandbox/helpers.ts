// Shared by the sandbox's integration tests: a running sandbox on a free loopback port, a token, and raw HTTP calls
// (plain fetch, so the tests see exactly what a client sees: status, headers, body).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type RequestEvent, type RunningSandbox, type SandboxOptions, startSandbox } from '../../../src/sandbox';

export const AM = '/api/assetmanagement/v3';
export const TS = '/api/iottimeseries/v3/timeseries';
export const AGG = '/api/iottsaggregates/v4/aggregates';

export interface Reply {
  status: number;
  headers: Headers;
  text: string;
  /** The body parsed as JSON, or undefined when it is not JSON. */
  json: any; // eslint-disable-line @typescript-eslint/no-explicit-any -- test code reads arbitrary API shapes
}

export interface Harness {
  sb: RunningSandbox;
  events: RequestEvent[];
  basic: string;
  /** A fresh token (optionally narrowed to `scope`). */
  token(scope?: string): Promise<string>;
  /** A request with the harness's bearer token unless `headers.Authorization` is given. */
  call(method: string, path: string, init?: { body?: unknown; headers?: Record<string, string> }): Promise<Reply>;
  get(path: string, headers?: Record<string, string>): Promise<Reply>;
  close(): Promise<void>;
}

export async function reply(response: Response): Promise<Reply> {
  const text = await response.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: response.status, headers: response.headers, text, json };
}

export async function harness(options: SandboxOptions = {}): Promise<Harness> {
  const events: RequestEvent[] = [];
  const sb = await startSandbox({ port: 0, ...options, onRequest: (e) => events.push(e) });
  const basic = `Basic ${Buffer.from(`${sb.clientId}:${sb.clientSecret}`).toString('base64')}`;
  const token = async (scope?: string) => {
    const body = new URLSearchParams({ grant_type: 'client_credentials', ...(scope ? { scope } : {}) });
    const r = await reply(await fetch(sb.tokenUrl, { method: 'POST', headers: { Authorization: basic, 'Content-Type': 'application/x-www-form-urlencoded' }, body }));
    if (r.status !== 200) throw new Error(`token request failed: ${r.status} ${r.text}`);
    return r.json.access_token as string;
  };
  let bearer: string | undefined;
  const call: Harness['call'] = async (method, path, init = {}) => {
    bearer ??= await token();
    const headers: Record<string, string> = { Authorization: `Bearer ${bearer}`, ...init.headers };
    let body: string | undefined;
    if (init.body !== undefined) {
      body = typeof init.body === 'string' ? init.body : JSON.stringify(init.body);
      headers['Content-Type'] ??= 'application/json';
    }
    return reply(await fetch(`${sb.url}${path}`, { method, headers, body }));
  };
  return { sb, events, basic, token, call, get: (path, headers) => call('GET', path, { headers }), close: () => sb.close() };
}

/** Query string from an object (values percent-encoded). */
export function qs(params: Record<string, string | number | boolean>): string {
  return new URLSearchParams(Object.entries(params).map(([k, v]): [string, string] => [k, String(v)])).toString();
}

/** The first seeded asset of a type (e.g. 'Pump'), via the filter language. */
export async function firstOfType(h: Harness, type: string): Promise<{ assetId: string; name: string; etag: number }> {
  const r = await h.get(`${AM}/assets?${qs({ filter: JSON.stringify({ typeId: `makers01.${type}` }), sort: 'name,asc', size: 1 })}`);
  const asset = r.json?._embedded?.assets?.[0];
  if (!asset) throw new Error(`no ${type} in the plant: ${r.status} ${r.text.slice(0, 200)}`);
  return asset;
}

/** A test body run with a fresh temporary data directory, removed afterwards. */
export function withDataDir(run: (dir: string) => Promise<void>): () => Promise<void> {
  return async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sandbox-data-dir-'));
    try {
      await run(dir);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  };
}
