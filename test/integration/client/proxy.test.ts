import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { type AddressInfo, connect } from 'node:net';
import { after, before, test } from 'node:test';
import { startProxy, type RunningProxy } from '../../../src/client/proxy';
import type { TokenProvider } from '../../../src/client/token';
import { generatedBody, MB, sandbox, type TestSandbox } from './helpers';

let t: TestSandbox;
let proxy: RunningProxy;
/** The body of the latest endless answer. */
let endless = generatedBody();

before(async () => {
  t = await sandbox();
  const client = t.client();
  // The sandbox answers the token and the API; two paths stand for a broken gateway and for a large file.
  const gateway: typeof fetch = async (input, init) => {
    const path = new URL(String(input)).pathname;
    if (path.endsWith('/endless')) {
      endless = generatedBody();
      return new Response(endless.stream, { headers: { 'Content-Type': 'application/json' } });
    }
    if (path.endsWith('/export.csv')) return new Response(generatedBody(80 * MB).stream, { headers: { 'Content-Type': 'text/csv' } });
    return fetch(input, init);
  };
  proxy = await startProxy({ gateway: client.connection.gateway, tokens: client.tokens, fetch: gateway, port: 0 });
});
after(async () => {
  await proxy.close();
  await t.close();
});

test('a JSON answer past 64 MB is refused with a 502 that says why, and the proxy stops reading it', async () => {
  const response = await fetch(`${proxy.url}/api/iotfile/v3/endless`);
  assert.equal(response.status, 502);
  assert.match(await response.text(), /The proxy refused the gateway's answer: .*larger than 64 MB/);
  assert.ok(endless.made() <= 66 * MB, `read ${endless.made() / MB} MB`);
});

test('any other answer passes through whole, as it arrives', async () => {
  const response = await fetch(`${proxy.url}/api/iotfile/v3/export.csv`);
  assert.equal(response.status, 200);
  assert.equal(response.headers.get('content-type'), 'text/csv');
  let size = 0;
  for await (const chunk of response.body ?? []) size += chunk.byteLength;
  assert.equal(size, 80 * MB, 'every byte, beyond the limit for JSON');
});

test('a request body past 64 MB is answered 413, without holding it or forwarding anything', async () => {
  const before = t.events.length;
  const upload = generatedBody(70 * MB);
  const response = await fetch(`${proxy.url}/api/iottimeseries/v3/timeseries`, { method: 'PUT', body: upload.stream, duplex: 'half' } as RequestInit);
  assert.equal(response.status, 413);
  assert.match(await response.text(), /forwards request bodies up to 64 MB/);
  assert.equal(upload.made(), 70 * MB, 'the whole upload was read (and dropped), so the answer arrived cleanly');
  assert.equal(t.events.length, before, 'nothing reached the gateway');
});

/** A loopback server that records what reaches it and answers with `answer` (or never, when it returns false). */
async function recorder(answer: (req: IncomingMessage, res: ServerResponse, body: Buffer) => boolean | void = (_req, res, body) => {
  res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify({ bytes: body.length }));
}) {
  const seen: { url: string; headers: IncomingMessage['headers'] }[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      seen.push({ url: req.url ?? '', headers: req.headers });
      answer(req, res, Buffer.concat(chunks));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { url, seen, close: () => new Promise<void>((r) => { server.close(() => r()); server.closeAllConnections(); }) };
}

const fixedTokens: TokenProvider = { get: async () => ({ accessToken: 'TOKEN-abcdef123456', expiresAt: Date.now() + 3_600_000 }), invalidate() {} };

/** Sends `head` (and `body`) over a raw socket, as curl or an attacker's client would, and returns the whole answer. */
function raw(port: number, head: string, body = Buffer.alloc(0)): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => socket.write(Buffer.concat([Buffer.from(head), body])));
    let out = '';
    socket.on('data', (d) => (out += d));
    socket.on('end', () => resolve(out));
    socket.on('error', reject);
  });
}

test('a request target that is not a path on the gateway is answered 400 and never carries the token elsewhere', async () => {
  const gateway = await recorder();
  const evil = await recorder();
  const evilHost = evil.url.slice('http://'.length);
  const local = await startProxy({ gateway: gateway.url, tokens: fixedTokens, fetch, port: 0 });
  try {
    for (const target of [`${evil.url}/x`, `https://${evilHost}/x`, '*', `.${evilHost}/x`, `${evilHost}/x`]) {
      const answer = await raw(local.port, `GET ${target} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n`);
      assert.match(answer, /^HTTP\/1\.1 400 /, target);
      // Node's parser itself refuses the last two; the rest reach the proxy, which says why.
      if (!target.includes(`.${evilHost}`) && target !== `${evilHost}/x`) assert.match(answer, /forwards paths on the gateway only/, target);
    }
    // A scheme-relative path stays a path on the gateway.
    assert.match(await raw(local.port, `GET //${evilHost}/x HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n`), /^HTTP\/1\.1 200 /);
    assert.equal(evil.seen.length, 0, 'nothing reached the other host');
    assert.deepEqual(gateway.seen.map((s) => s.url), [`//${evilHost}/x`]);
  } finally {
    await local.close();
    await gateway.close();
    await evil.close();
  }
});

test('a gateway that never answers gets a 504 that says so, not a hang', async () => {
  const hung = await recorder(() => false);
  const local = await startProxy({ gateway: hung.url, tokens: fixedTokens, fetch, port: 0, upstreamTimeoutMs: 300 });
  try {
    const started = Date.now();
    const response = await fetch(`${local.url}/api/iottimeseries/v3/timeseries/a/b`, { signal: AbortSignal.timeout(5000) });
    assert.equal(response.status, 504);
    assert.match(await response.text(), /did not answer within 0\.3 s\. Try again later/);
    assert.ok(Date.now() - started < 3000);
  } finally {
    await local.close();
    await hung.close();
  }
});

test('Expect: 100-continue (curl, bodies over 1 MB) and the headers named in Connection are not forwarded', async () => {
  const gateway = await recorder();
  const local = await startProxy({ gateway: gateway.url, tokens: fixedTokens, fetch, port: 0 });
  try {
    const body = Buffer.alloc(1.6 * MB, 0x20);
    const answer = await raw(local.port, 'PUT /api/iottimeseries/v3/timeseries/a/b HTTP/1.1\r\nHost: 127.0.0.1\r\n' +
      `Content-Type: application/json\r\nContent-Length: ${body.length}\r\nExpect: 100-continue\r\n` +
      'Connection: close, X-Hop\r\nX-Hop: private\r\nX-Kept: 1\r\n\r\n', body);
    assert.match(answer, /HTTP\/1\.1 200 /);
    assert.ok(answer.includes(`{"bytes":${body.length}}`), answer.slice(0, 300));
    const headers = gateway.seen[0]?.headers ?? {};
    assert.equal(headers.expect, undefined);
    assert.equal(headers['x-hop'], undefined);
    assert.equal(headers['x-kept'], '1');
    assert.equal(headers.authorization, 'Bearer TOKEN-abcdef123456');
  } finally {
    await local.close();
    await gateway.close();
  }
});
