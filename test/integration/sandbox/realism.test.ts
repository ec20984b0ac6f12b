// The realism switches over real HTTP: latency, injected 429 (with Retry-After), 500, 503 and connection resets, the
// per-endpoint rate limit over 30 s, and options refused with a clear message.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { startSandbox } from '../../../src/sandbox';
import { AM, harness } from './helpers';

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
