import assert from 'node:assert/strict';
import { test } from 'node:test';
import { resolveConnection } from '../../src/client';
import { createTokenProvider, refreshMarginMs } from '../../src/client/token';

// The cache logic needs no server: a fetch function that counts token requests and answers like PIAM is enough here.
// The integration tests exercise the same provider against the real sandbox over HTTP.
const connection = resolveConnection({ name: 't', tokenUrl: 'https://makers01.piam.eu1.mindsphere.io/oauth/token',
  clientId: 'makers01-app-v1.0.0-1', clientSecret: 'secret-123456' });

function tokenServer(options: { grantOnlyInBody?: boolean; expiresIn?: number } = {}) {
  const calls: { url: string; body: string; auth: string }[] = [];
  const fetchFn = (async (input: string | URL | Request, init?: RequestInit) => {
    const url = String(input);
    const body = String(init?.body ?? '');
    calls.push({ url, body, auth: new Headers(init?.headers).get('authorization') ?? '' });
    await new Promise((r) => setTimeout(r, 5));
    if (options.grantOnlyInBody && !body.includes('grant_type')) {
      return new Response('{"error":"invalid_request","error_description":"Missing grant type"}', { status: 400 });
    }
    return Response.json({ access_token: `tok-${calls.length}`, token_type: 'Bearer', expires_in: options.expiresIn ?? 1800 });
  }) as typeof fetch;
  return { calls, fetchFn };
}

test('the token is requested like the Mendix authenticator: Basic auth, grant_type in the query', async () => {
  const server = tokenServer();
  const tokens = createTokenProvider({ connection, fetch: server.fetchFn });
  await tokens.get();
  assert.equal(server.calls.length, 1);
  assert.equal(server.calls[0]?.url, 'https://makers01.piam.eu1.mindsphere.io/oauth/token?grant_type=client_credentials');
  assert.equal(server.calls[0]?.auth, `Basic ${Buffer.from('makers01-app-v1.0.0-1:secret-123456').toString('base64')}`);
});

test('a server that wants grant_type in the body gets it there, and keeps getting it there', async () => {
  const server = tokenServer({ grantOnlyInBody: true });
  const tokens = createTokenProvider({ connection, fetch: server.fetchFn });
  const first = await tokens.get();
  assert.equal(first.accessToken, 'tok-2');
  tokens.invalidate(first);
  await tokens.get();
  assert.deepEqual(server.calls.map((c) => c.body), ['', 'grant_type=client_credentials', 'grant_type=client_credentials']);
});

test('concurrent callers share one request; the token is reused until 5 minutes before expiry', async () => {
  const server = tokenServer();
  let now = 1_000_000;
  const tokens = createTokenProvider({ connection, fetch: server.fetchFn, now: () => now });
  const all = await Promise.all(Array.from({ length: 10 }, () => tokens.get()));
  assert.equal(server.calls.length, 1);
  assert.ok(all.every((t) => t.accessToken === 'tok-1'));
  now += 24 * 60_000; // 24 of 30 minutes: still cached
  assert.equal((await tokens.get()).accessToken, 'tok-1');
  now += 2 * 60_000; // 26 minutes: inside the 5-minute margin
  assert.equal((await tokens.get()).accessToken, 'tok-2');
  // After a 401, invalidating the stale token fetches a new one; invalidating an older token changes nothing.
  tokens.invalidate(all[0]!);
  assert.equal((await tokens.get()).accessToken, 'tok-2');
  tokens.invalidate({ accessToken: 'tok-2', expiresAt: 0 });
  assert.equal((await tokens.get()).accessToken, 'tok-3');
  // Short-lived tokens refresh at half their life instead of never being cached.
  assert.equal(refreshMarginMs(4_000), 2_000);
  assert.equal(refreshMarginMs(1_800_000), 300_000);
});
