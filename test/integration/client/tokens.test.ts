import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { MindSphereError } from '../../../src/client';
import { fakeTenant, json, sandbox, type TestSandbox } from './helpers';

let t: TestSandbox;
before(async () => {
  t = await sandbox({ tokenTtlSeconds: 2 });
});
after(() => t.close());

test('one token serves many calls, and concurrent first callers share one token request', async () => {
  const client = t.client();
  const before = t.tokenRequests();
  const root = await client.assets.root();
  await Promise.all(Array.from({ length: 12 }, () => client.assets.get(root.assetId)));
  assert.equal(t.tokenRequests() - before, 1);
});

test('a token is replaced before it expires, without any request being refused', async () => {
  // tokenTtlSeconds 2: the client refreshes at half the lifetime, so after 1.1 s the next call fetches a new token.
  const client = t.client();
  const before = t.tokenRequests();
  const refusedBefore = t.events.filter((e) => e.status === 401).length;
  const root = await client.assets.root();
  await new Promise((r) => setTimeout(r, 1100));
  await client.assets.get(root.assetId);
  assert.equal(t.tokenRequests() - before, 2);
  assert.equal(t.events.filter((e) => e.status === 401).length, refusedBefore);
});

test('a token that expires on the server mid-read is refreshed once and the read completes', async () => {
  // This client's clock runs 100× slow, so it still trusts its token when the sandbox has already expired it: the
  // next request gets a real 401 and the client must fetch a new token and repeat the request.
  const start = Date.now();
  const client = t.client({ now: () => start + (Date.now() - start) / 100 });
  const root = await client.assets.root();
  const before = t.tokenRequests();
  const refused = () => t.events.filter((e) => e.status === 401 && e.route.includes('/assets/')).length;
  const refusedBefore = refused();
  await new Promise((r) => setTimeout(r, 2100));
  const again = await client.assets.get(root.assetId);
  assert.equal(again.assetId, root.assetId);
  assert.equal(t.tokenRequests() - before, 1);
  assert.equal(refused() - refusedBefore, 1, 'the sandbox refused the stale token once');
});

test('a wrong client secret fails with the status, the client ID and what to do, and never the secret', async () => {
  const wrong = 'not-the-right-secret-42';
  const client = t.client({ connection: { ...t.connection, clientSecret: wrong } });
  const error = await client.assets.root().then(() => undefined, (e: unknown) => e);
  assert.ok(error instanceof MindSphereError);
  assert.equal(error.status, 401);
  assert.equal(error.message, `MindSphere refused the token request (401): the client secret does not match the client ID '${t.sb.clientId}' (or the client ID is unknown to this tenant). Check the binding keys, or create new ones in the Service Management Dashboard. [code: invalid_client]`);
  assert.ok(!JSON.stringify(error.toJSON()).includes(wrong));
  assert.ok(!error.message.includes(t.sb.clientSecret));
});

test('a token endpoint that asks to wait longer than the deadline fails at once, saying how long it asked for', async () => {
  const tenant = await fakeTenant(() => {}, (res) => json(res, { message: 'busy' }, 503, { 'Retry-After': '1000000000' }));
  try {
    const started = Date.now();
    const error = await tenant.client().token().then(() => undefined, (e: unknown) => e);
    assert.ok(error instanceof MindSphereError, String(error));
    assert.equal(error.status, 503);
    assert.match(error.message, /token request \(503\): busy\. The server asked to wait 11574 days before trying again \(Retry-After\)/);
    assert.ok(!error.message.includes('fake-secret-987654'));
    assert.ok(Date.now() - started < 2000);
    assert.equal(tenant.requests.length, 1);
  } finally {
    await tenant.close();
  }
});

test('a token answer that stops in the middle of its body ends at the deadline, saying so', async () => {
  const tenant = await fakeTenant(() => {}, (res) => {
    res.writeHead(200, { 'Content-Type': 'application/json' });
    res.write('{"access_token":"fake-tok'); // and nothing more
  });
  try {
    const error = await tenant.client({ deadlineMs: 300 }).token().then(() => undefined, (e: unknown) => e);
    assert.ok(error instanceof MindSphereError, String(error));
    assert.equal(error.code, 'makers.deadline');
    assert.match(error.message, /token request/);
  } finally {
    await tenant.close();
  }
});

test('a token request that hangs fails after the token deadline, not the client\'s, and the next call asks anew', async () => {
  let hang = true;
  const tenant = await fakeTenant(() => {}, (res) => {
    if (!hang) json(res, { access_token: 'fake-token-abcdef123456', expires_in: 1800 });
  });
  try {
    const client = tenant.client({ deadlineMs: 60_000, tokenDeadlineMs: 300 });
    const tooLong = new Promise((resolve) => setTimeout(resolve, 10_000, 'still waiting after 10 s')).then(String);
    const error = await Promise.race([client.token().then(() => 'a token', (e: unknown) => e), tooLong]);
    assert.ok(error instanceof MindSphereError, String(error));
    assert.equal(error.code, 'makers.deadline');
    assert.match(error.message, /did not answer the token request .*check the TokenURL/);
    assert.doesNotMatch(error.message, /time range/, 'a token request has no time range to narrow');
    hang = false;
    assert.equal((await client.token()).accessToken, 'fake-token-abcdef123456');
    assert.equal(tenant.requests.length, 2);
  } finally {
    await tenant.close();
  }
});

test('no part of a secret reaches a message, also when the server echoes it at the edge of the quoted excerpt', async () => {
  // The server repeats the Basic credentials' secret, or the bearer token, where the client cuts the text it quotes.
  const tenant = await fakeTenant((req, res) => {
    res.writeHead(200, { 'Content-Type': 'text/plain' }).end(`${'y'.repeat(25)}${(req.headers.authorization ?? '').slice('Bearer '.length)}`);
  });
  const refusing = await fakeTenant(() => {}, (res) => void res.writeHead(400, { 'Content-Type': 'text/plain' }).end(`${'x'.repeat(290)}fake-secret-987654`));
  try {
    const api = await tenant.client().assets.root().then(() => undefined, (e: unknown) => e);
    assert.ok(api instanceof MindSphereError, String(api));
    assert.match(api.message, /not JSON \(it starts with 'y{25}\*\*\*'\)/);
    assert.doesNotMatch(api.message, /fake-tok/);
    const token = await refusing.client().token().then(() => undefined, (e: unknown) => e);
    assert.ok(token instanceof MindSphereError, String(token));
    assert.equal(token.status, 400);
    assert.doesNotMatch(token.message, /fake-se/);
  } finally {
    await tenant.close();
    await refusing.close();
  }
});

test('a token answer that is empty or not JSON says which, and where to look', async () => {
  for (const [body, said] of [['', /the token response is empty/], ['<html>Sign in</html>', /the token response is not JSON \(it starts with '<html>Sign in<\/html>'\)/]] as const) {
    const tenant = await fakeTenant(() => {}, (res) => void res.writeHead(200, { 'Content-Type': 'text/html' }).end(body));
    try {
      const error = await tenant.client().token().then(() => undefined, (e: unknown) => e);
      assert.ok(error instanceof MindSphereError, String(error));
      assert.match(error.message, said);
      assert.match(error.message, /Check that the TokenURL is exactly the one shown with the binding keys/);
      assert.doesNotMatch(error.message, /please report it/);
    } finally {
      await tenant.close();
    }
  }
});
