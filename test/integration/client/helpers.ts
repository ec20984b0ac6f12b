// Shared by the client's integration tests: a real sandbox tenant on a free loopback port, with a log of the requests
// it served, and the reference read the issue compares against (a plain loop following Link headers, one request at a
// time, as the Siemens CLI does).
import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type Connection, createClient, type ClientOptions, type TimeSeriesRecord } from '../../../src/client';
import { type RequestEvent, type RunningSandbox, type SandboxOptions, startSandbox } from '../../../src/sandbox';

export interface TestSandbox {
  readonly sb: RunningSandbox;
  readonly connection: Connection;
  /** Every request the sandbox answered, in order. */
  readonly events: RequestEvent[];
  /** Requests to the token endpoint so far. */
  tokenRequests(): number;
  client(options?: Partial<ClientOptions>): ReturnType<typeof createClient>;
  close(): Promise<void>;
}

export async function sandbox(options: SandboxOptions = {}): Promise<TestSandbox> {
  const events: RequestEvent[] = [];
  const sb = await startSandbox({ port: 0, ...options, onRequest: (e) => events.push(e) });
  const connection: Connection = { name: 'sandbox', tokenUrl: sb.tokenUrl, clientId: sb.clientId, clientSecret: sb.clientSecret };
  return {
    sb,
    connection,
    events,
    tokenRequests: () => events.filter((e) => e.route.startsWith('POST /oauth/token')).length,
    client: (o = {}) => createClient({ connection, fetch, ...o }),
    close: () => sb.close(),
  };
}

/** A pump and its Vibration aspect (dynamic, with quality codes) from the seeded plant. */
export async function findPump(client: ReturnType<typeof createClient>): Promise<{ assetId: string; aspect: string }> {
  for await (const asset of client.assets.list({ filter: { typeId: { endsWith: 'Pump' } } })) {
    for await (const aspect of client.assets.aspects(asset.assetId)) {
      if (aspect.name === 'Vibration') return { assetId: asset.assetId, aspect: aspect.name };
    }
  }
  throw new Error('the seeded plant has no pump with a Vibration aspect');
}

/** SHA-256 over the records as JSON lines: equal hashes mean the same records, values and order. */
export function hashRecords(records: readonly TimeSeriesRecord[]): string {
  const hash = createHash('sha256');
  for (const r of records) hash.update(`${JSON.stringify(r)}\n`);
  return hash.digest('hex');
}

/** The Siemens CLI's way: GET with limit 2000, then follow `Link: <…>; rel="next"` until there is none. */
export async function readByLinks(gateway: string, token: string, assetId: string, aspect: string, from: string, to: string): Promise<TimeSeriesRecord[]> {
  const out: TimeSeriesRecord[] = [];
  await followLinks(gateway, token, assetId, aspect, from, to, async (response) => {
    out.push(...((await response.json()) as TimeSeriesRecord[]));
  });
  return out;
}

/** The loop of readByLinks, handing each answer to `read`; the number of requests it made. */
export async function followLinks(gateway: string, token: string, assetId: string, aspect: string, from: string, to: string,
  read: (response: Response) => Promise<void>): Promise<number> {
  let requests = 0;
  let url: string | undefined = `${gateway}/api/iottimeseries/v3/timeseries/${assetId}/${aspect}?${new URLSearchParams({ from, to, limit: '2000' })}`;
  for (; url; requests++) {
    const response = await fetch(url, { headers: { Authorization: `Bearer ${token}` } });
    if (!response.ok) throw new Error(`${response.status} ${await response.text()}`);
    await read(response);
    url = /<([^>]+)>;\s*rel="?next"?/.exec(response.headers.get('link') ?? '')?.[1];
  }
  return requests;
}

export const MB = 1024 * 1024;

/** A response body made as it is read, a mebibyte at a time: `total` bytes, or without end. */
export function generatedBody(total?: number): { stream: ReadableStream<Uint8Array>; made(): number; cancelled(): boolean } {
  let made = 0;
  let cancelled = false;
  const stream = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (total !== undefined && made >= total) return controller.close();
      made += MB;
      controller.enqueue(new Uint8Array(MB).fill(0x41));
    },
    cancel() {
      cancelled = true;
    },
  });
  return { stream, made: () => made, cancelled: () => cancelled };
}

/**
 * A hand-written tenant on a free loopback port, for answers the sandbox never gives: it serves a token at /oauth/token
 * and everything else through `answer`. `requests` lists the paths with their queries, token requests included.
 */
export async function fakeTenant(answer: (req: IncomingMessage, res: ServerResponse, url: URL) => void,
  token: (res: ServerResponse) => void = (res) => void res.writeHead(200, { 'Content-Type': 'application/json' })
    .end(JSON.stringify({ access_token: 'fake-token-abcdef123456', expires_in: 1800 }))) {
  const requests: string[] = [];
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    requests.push(`${req.method} ${url.pathname}${url.search}`);
    if (url.pathname === '/oauth/token') token(res);
    else answer(req, res, url);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const connection: Connection = { name: 'fake', tokenUrl: `${url}/oauth/token`, clientId: 'makers01-app-v1.0.0-1234', clientSecret: 'fake-secret-987654', gateway: url };
  return {
    url,
    connection,
    requests,
    client: (o: Partial<ClientOptions> = {}) => createClient({ connection, fetch, ...o }),
    /** The environment the CLI takes its credentials from. */
    env: { MDSP_TOKEN_URL: connection.tokenUrl, MDSP_CLIENT_ID: connection.clientId, MDSP_CLIENT_SECRET: connection.clientSecret, MDSP_GATEWAY: url },
    close: () => new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    }),
  };
}

/** Answers JSON. */
export function json(res: ServerResponse, body: unknown, status = 200, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'Content-Type': 'application/json', ...headers }).end(JSON.stringify(body));
}
