import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { startProxy, type RunningProxy } from '../../../src/client/proxy';
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
