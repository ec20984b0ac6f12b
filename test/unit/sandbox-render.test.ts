// Long answers of the sandbox (pages of 2000 records) are rendered a slice at a time: the JSON is the same as in one go,
// other work runs between slices (requests that arrive meanwhile start their latency on time), and two renders take
// turns instead of interleaving.
import assert from 'node:assert/strict';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { test } from 'node:test';
import { Semaphore } from '../../src/core/semaphore';
import { Exchange } from '../../src/sandbox/http';

/** A response that records what is written to it, and `log` entries in the order things happen. */
function fakeResponse(name: string, log: string[]) {
  let body = '';
  const res = {
    destroyed: false,
    writeHead: (status: number, headers: Record<string, string>) => log.push(`${name} head ${status} ${headers['Content-Type']}`),
    write: (chunk: string) => {
      body += chunk;
      log.push(`${name} write`);
    },
    end: (chunk = '') => {
      body += chunk;
      log.push(`${name} end`);
    },
  };
  return { res: res as unknown as ServerResponse, body: () => body };
}

const request = { url: '/', headers: { host: '127.0.0.1' } } as unknown as IncomingMessage;

test('an array is sent as the same JSON as in one go, whatever its length, alone or inside an object', async () => {
  for (const count of [0, 1, 249, 250, 251, 2000]) {
    const items = Array.from({ length: count }, (_, i) => ({ _time: new Date(i).toISOString(), v: i / 3, s: `"${i}"` }));
    const { res, body } = fakeResponse('a', []);
    await new Exchange(request, res, new Semaphore(1)).sendArray(200, count, (i) => items[i]);
    assert.equal(body(), JSON.stringify(items), `${count} items`);
    const envelopes: Array<[Record<string, unknown>, Record<string, unknown>]> = [[{}, {}], [{ '@odata.context': 'x', '@odata.count': count }, { '@odata.nextLink': 'y' }]];
    for (const [head, tail] of envelopes) {
      const inside = fakeResponse('b', []);
      await new Exchange(request, inside.res, new Semaphore(1)).sendArray(200, count, (i) => items[i], {}, { head, key: 'value', tail });
      assert.equal(inside.body(), JSON.stringify({ ...head, value: items, ...tail }), `${count} items in an envelope`);
    }
  }
});

test('other work runs between the slices of a long answer, and two long answers take turns', async () => {
  const log: string[] = [];
  const rendering = new Semaphore(1);
  const a = fakeResponse('a', log);
  const b = fakeResponse('b', log);
  const sending = [
    new Exchange(request, a.res, rendering).sendArray(200, 2000, (i) => ({ i })),
    new Exchange(request, b.res, rendering).sendArray(200, 2000, (i) => ({ i })),
  ];
  setImmediate(() => log.push('other'));
  await Promise.all(sending);
  assert.ok(log.indexOf('other') < log.indexOf('a end'), `in this order: ${log.join(', ')}`);
  assert.ok(log.indexOf('a end') < log.indexOf('b head 200 application/json; charset=utf-8'), 'b begins after a has ended');
  assert.deepEqual(JSON.parse(b.body()).length, 2000);
});

test('a client that went away stops the render', async () => {
  const log: string[] = [];
  const { res } = fakeResponse('a', log);
  let rendered = 0;
  const sending = new Exchange(request, res, new Semaphore(1)).sendArray(200, 2000, (i) => (rendered++, { i }));
  (res as unknown as { destroyed: boolean }).destroyed = true;
  await sending;
  assert.ok(rendered < 2000, `${rendered} items rendered`);
  assert.ok(!log.includes('a end'));
});

test('a render that fails midway gives up its turn: the next answer is still sent', { timeout: 10_000 }, async () => {
  const rendering = new Semaphore(1);
  const failing = fakeResponse('a', []);
  const next = fakeResponse('b', []);
  const broken = new Exchange(request, failing.res, rendering).sendArray(200, 2000, (i) => {
    if (i === 600) throw new Error('a bug in a generator');
    return { i };
  });
  const after = new Exchange(request, next.res, rendering).sendArray(200, 3, (i) => ({ i }));
  await assert.rejects(broken, /a bug in a generator/);
  await after;
  assert.equal(next.body(), '[{"i":0},{"i":1},{"i":2}]');
});
