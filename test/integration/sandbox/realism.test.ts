// The realism switches over real HTTP: latency, injected 429 (with Retry-After), 500, 503 and connection resets, the
// per-endpoint rate limit over 30 s, and options refused with a clear message.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { type RequestEvent, startSandbox } from '../../../src/sandbox';
import { AM, firstOfType, harness, TS } from './helpers';

/** Sends a request head on a raw socket; resolves once the sandbox's handler has the request (it answers 100 Continue). */
async function arrived(url: string, head: string): Promise<Socket> {
  const { hostname, port } = new URL(url);
  const socket = connect(Number(port), hostname);
  socket.write(`${head}Host: ${hostname}\r\nExpect: 100-continue\r\n\r\n`);
  await new Promise<void>((resolve, reject) => {
    socket.once('data', () => resolve());
    socket.once('error', reject);
  });
  return socket;
}

/** The first event `find` accepts, once it has come (the test's timeout catches one that never does). */
async function eventOf(events: RequestEvent[], find: (e: RequestEvent) => boolean): Promise<RequestEvent> {
  for (;;) {
    const event = events.find(find);
    if (event) return event;
    await new Promise((r) => setTimeout(r, 10));
  }
}

test('latency delays every request by the configured time', async () => {
  const h = await harness({ latencyMs: 150 });
  try {
    await h.get(`${AM}/assets/root`);
    const started = performance.now();
    const r = await h.get(`${AM}/assets/root`);
    assert.equal(r.status, 200);
    assert.ok(performance.now() - started >= 140, 'the reply took at least the latency');
  } finally {
    await h.close();
  }
});

test('faults: 429 with Retry-After, 500, 503 and resets each in the API\'s error shape; token_keys stays reliable', async () => {
  const h = await harness({ faults: { rate429: 1, retryAfterSeconds: 7 } });
  try {
    const token = await fetch(h.sb.tokenUrl, { method: 'POST', headers: { Authorization: h.basic }, body: 'grant_type=client_credentials' });
    assert.equal(token.status, 429);
    assert.equal(token.headers.get('retry-after'), '7');
    assert.equal(((await token.json()) as { error: string }).error, 'too_many_requests');
    assert.equal((await fetch(`${h.sb.url}/token_keys`)).status, 200);
  } finally {
    await h.close();
  }
  for (const [faults, status, code] of [[{ rate500: 1 }, 500, 'internalServerError'], [{ rate503: 1 }, 503, 'serviceUnavailable']] as const) {
    const f = await harness({ faults });
    try {
      const r = await fetch(`${f.sb.url}${AM}/assets`);
      assert.equal(r.status, status);
      assert.equal(((await r.json()) as { errors: { code: string }[] }).errors[0]!.code, `mdsp.core.generic.${code}`);
    } finally {
      await f.close();
    }
  }
  const reset = await harness({ faults: { rateReset: 1 } });
  try {
    await assert.rejects(() => fetch(`${reset.sb.url}${AM}/assets`), /fetch failed/);
  } finally {
    await reset.close();
  }
});

test('fault rates are probabilities: about the configured share of requests fails', async () => {
  const h = await harness({ faults: { rate500: 0.3 } });
  try {
    let failed = 0;
    for (let i = 0; i < 200; i++) if ((await fetch(`${h.sb.url}/token_keys/nothing`)).status === 500) failed++;
    assert.equal(failed, 0, 'unknown paths are not routes: no faults');
    for (let i = 0; i < 200; i++) if ((await fetch(`${h.sb.url}${AM}/assets`)).status === 500) failed++;
    assert.ok(failed > 30 && failed < 90, `${failed} of 200 failed at rate 0.3`);
  } finally {
    await h.close();
  }
});

test('the rate limit counts per endpoint per 30 s and answers 429 with the seconds to wait', async () => {
  const h = await harness({ rateLimit: 3 });
  try {
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) statuses.push((await h.get(`${AM}/assets/root`)).status);
    assert.deepEqual(statuses.slice(0, 3), [200, 200, 200]);
    const limited = await h.get(`${AM}/assets/root`);
    assert.equal(limited.status, 429);
    assert.equal(limited.json.errors[0].code, 'mdsp.core.generic.tooManyRequests');
    const wait = Number(limited.headers.get('retry-after'));
    assert.ok(wait >= 1 && wait <= 30, `Retry-After ${wait}`);
    assert.equal((await h.get(`${AM}/assettypes`)).status, 200, 'another endpoint has its own budget');
  } finally {
    await h.close();
  }
});

test('invalid options are refused with every problem named', async () => {
  await assert.rejects(() => startSandbox({ port: 70000, assets: 0, faults: { rate429: 2 }, tenant: 'Not A Tenant' }),
    /port must be an integer.*assets must be.*faults\.rate429 must be a probability.*tenant 'Not A Tenant'/);
  await assert.rejects(() => startSandbox({ faults: { rate500: 0.6, rate503: 0.6 } }), /add up to 1\.2/);
  await assert.rejects(() => startSandbox({ clientId: 'a:b' }), /must not contain ":"/);
});

test('close() drops requests still waiting out their latency: nothing they ask for is done, and nothing is logged as an error', { timeout: 60_000 }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'sandbox-latency-'));
  try {
    const probe = await harness();
    const asset = (await firstOfType(probe, 'Pump')).assetId;
    await probe.close();
    const events: RequestEvent[] = [];
    const logs: string[] = [];
    const sb = await startSandbox({ port: 0, dataDir: dir, latencyMs: 1000, log: (l) => logs.push(l), onRequest: (e) => events.push(e) });
    const basic = Buffer.from(`${sb.clientId}:${sb.clientSecret}`).toString('base64');
    const token = await fetch(`${sb.tokenUrl}?grant_type=client_credentials`, { method: 'POST', headers: { Authorization: `Basic ${basic}` } });
    const bearer = ((await token.json()) as { access_token: string }).access_token;
    const socket = await arrived(sb.url, `DELETE ${TS}/${asset}/Flow?from=2024-01-01T00:00:00Z&to=2024-01-02T00:00:00Z HTTP/1.1\r\n` +
      `Authorization: Bearer ${bearer}\r\n`);
    const ended = new Promise((resolve) => socket.once('close', resolve));
    await sb.close();
    await ended;
    const event = await eventOf(events, (e) => e.method === 'DELETE');
    assert.equal(event.status, 0, 'dropped without an answer');
    const journal = join(dir, 'timeseries.jsonl');
    assert.equal(existsSync(journal) ? readFileSync(journal, 'utf8') : '', '', 'the delete was not done');
    assert.deepEqual(logs.filter((l) => l.startsWith('error')), []);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a client that goes away in the middle of its request is not an error', { timeout: 60_000 }, async () => {
  const logs: string[] = [];
  const h = await harness({ log: (l) => logs.push(l) });
  try {
    const asset = (await firstOfType(h, 'Pump')).assetId;
    const socket = await arrived(h.sb.url, `PUT ${TS}/${asset}/Flow HTTP/1.1\r\nAuthorization: Bearer ${await h.token()}\r\n` +
      'Content-Type: application/json\r\nContent-Length: 1000\r\n');
    socket.end('[{"_time":');
    socket.destroy();
    const event = await eventOf(h.events, (e) => e.method === 'PUT');
    assert.equal(event.status, 0);
    assert.deepEqual(logs.filter((l) => l.startsWith('error')), []);
  } finally {
    await h.close();
  }
});

test('an injected reset is reported as one to onRequest, not as a status', async () => {
  const h = await harness({ faults: { rateReset: 1 } });
  try {
    await assert.rejects(() => fetch(`${h.sb.url}${AM}/assets`), /fetch failed/);
    const event = await eventOf(h.events, (e) => e.route.includes('/assets'));
    assert.equal(event.status, 0);
    assert.equal(event.reset, true);
  } finally {
    await h.close();
  }
});
