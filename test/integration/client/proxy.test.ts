import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { startProxy, type RunningProxy } from '../../../src/client/proxy';
import { sandbox, type TestSandbox } from './helpers';

const MB = 1024 * 1024;
let t: TestSandbox;
let proxy: RunningProxy;
let sent = 0;

/** A body of `total` bytes (endless when undefined), made as it is read, counting what was made. */
function body(total?: number): ReadableStream<Uint8Array> {
  let made = 0;
  return new ReadableStream({
    pull(controller) {
      if (total !== undefined && made >= total) return controller.close();
      made += MB;
      sent += MB;
      controller.enqueue(new Uint8Array(MB).fill(0x41));
    },
  });
}

before(async () => {
  t = await sandbox();
  const client = t.client();
  // The sandbox answers the token and the API; two paths stand for a broken gateway and for a large file.
  const gateway: typeof fetch = async (input, init) => {
    const path = new URL(String(input)).pathname;
    if (path.endsWith('/endless')) return new Response(body(), { headers: { 'Content-Type': 'application/json' } });
    if (path.endsWith('/export.csv')) return new Response(body(80 * MB), { headers: { 'Content-Type': 'text/csv' } });
    return fetch(input, init);
  };
  proxy = await startProxy({ gateway: client.connection.gateway, tokens: client.tokens, fetch: gateway, port: 0 });
});
after(async () => {
  await proxy.close();
  await t.close();
});

test('a JSON answer past 64 MB is refused with a 502 that says why, and the proxy stops reading it', async () => {
  sent = 0;
  const response = await fetch(`${proxy.url}/api/iotfile/v3/endless`);
  assert.equal(response.status, 502);
  assert.match(await response.text(), /The proxy refused the gateway's answer: .*larger than 64 MB/);
  assert.ok(sent <= 66 * MB, `read ${sent / MB} MB`);
});

test('any other answer passes through whole, as it arrives', async () => {
  const response = await fetch(`${proxy.url}/api/iotfile/v3/export.csv`);
  assert.equal(response.status, 200);
  assert.equal(response.headers.get('content-type'), 'text/csv');
  let size = 0;
  for await (const chunk of response.body ?? []) size += chunk.byteLength;
  assert.equal(size, 80 * MB, 'every byte, beyond the limit for JSON');
});
