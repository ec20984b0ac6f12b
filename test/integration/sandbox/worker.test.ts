// The sandbox tenant in a worker thread, as the extension runs its built-in tenant: it answers over loopback like the
// in-process one, its log lines reach the host, a start that fails says why, and close ends the worker.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, test } from 'node:test';
import { startSandboxWorker } from '../../../src/sandbox/worker-host';

// The extension starts dist/sandbox-worker.js; from source, a worker first registers tsx, then runs worker.ts.
const dir = mkdtempSync(join(tmpdir(), 'sandbox-worker-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const WORKER = join(dir, 'worker.js');
writeFileSync(WORKER, `require(${JSON.stringify(createRequire(__filename).resolve('tsx/cjs'))});\nrequire(${JSON.stringify(resolve(__dirname, '../../../src/sandbox/worker.ts'))});\n`);

test('a tenant in a worker thread answers like the in-process one and ends on close', async () => {
  const lines: string[] = [];
  const stopped: string[] = [];
  const sandbox = await startSandboxWorker(WORKER, { port: 0, seed: 'makers' }, { log: (l) => lines.push(l), stopped: (r) => stopped.push(r) });
  try {
    assert.match(sandbox.url, /^http:\/\/127\.0\.0\.1:\d+$/);
    const basic = Buffer.from(`${sandbox.clientId}:${sandbox.clientSecret}`).toString('base64');
    const token = await fetch(`${sandbox.tokenUrl}?grant_type=client_credentials`, { method: 'POST', headers: { Authorization: `Basic ${basic}` } });
    assert.equal(token.status, 200);
    const { access_token: accessToken } = (await token.json()) as { access_token: string };
    const root = await fetch(`${sandbox.url}/api/assetmanagement/v3/assets/root`, { headers: { Authorization: `Bearer ${accessToken}` } });
    assert.equal(root.status, 200);
    assert.equal(((await root.json()) as { name: string }).name, 'makers01');
  } finally {
    await sandbox.close();
  }
  await assert.rejects(fetch(`${sandbox.url}/api/assetmanagement/v3/assets/root`), 'nothing listens after close');
  assert.deepEqual(stopped, [], 'a requested close is not a stop');
});

test('a tenant that cannot start rejects with its own message, and its worker ends', async () => {
  await assert.rejects(startSandboxWorker(WORKER, { port: 0, latencyMs: -5 }, { log: () => undefined, stopped: () => undefined }),
    /latencyMs/);
});

test('a tenant that fails after it started is reported stopped once, with the failure; the host carries on; close still resolves', { timeout: 30_000 }, async () => {
  const crashing = join(dir, 'crashing.js');
  writeFileSync(crashing, `const { parentPort } = require('node:worker_threads');
parentPort.postMessage({ type: 'ready', url: 'http://127.0.0.1:9', tokenUrl: 'http://127.0.0.1:9/oauth/token', tenant: 't', clientId: 'c', clientSecret: 's' });
setTimeout(() => { throw new Error('boom in the tenant'); }, 50);
`);
  const stopped: string[] = [];
  let resolveStopped = () => {};
  const stop = new Promise<void>((r) => (resolveStopped = r));
  const sandbox = await startSandboxWorker(crashing, {}, { log: () => undefined, stopped: (reason) => {
    stopped.push(reason);
    resolveStopped();
  } });
  assert.equal(sandbox.tenant, 't');
  await stop;
  await new Promise((r) => setTimeout(r, 100)); // the worker's 'exit' follows its 'error'
  assert.deepEqual(stopped, ['boom in the tenant']);
  await sandbox.close(); // its worker has already ended: nothing to wait for (the timeout catches a hang)
});
