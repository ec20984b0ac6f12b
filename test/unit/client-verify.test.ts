// Checking binding keys before they are saved (Add and Edit Connection): transient answers of the token endpoint are
// retried a few times, quickly; a refusal is not retried; a token endpoint that keeps failing fails within seconds.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { MindSphereError, verifyConnection } from '../../src/client';

const connection = { name: 't', tokenUrl: 'https://makers01.piam.eu1.mindsphere.io/oauth/token', clientId: 'makers01-app-v1.0.0-1', clientSecret: 'verify-secret-5150' };

/** A token endpoint that answers `statuses` in turn, then 200 with a token. */
function tokenEndpoint(statuses: number[]) {
  const answered: number[] = [];
  const fetchFn = (async () => {
    const status = statuses[answered.length] ?? 200;
    answered.push(status);
    if (status === 200) return Response.json({ access_token: 'tok', token_type: 'Bearer', expires_in: 1800 });
    const body = status === 401 ? { error: 'invalid_client', error_description: 'Bad credentials' } : { error: 'unavailable' };
    return Response.json(body, { status, headers: status === 429 ? { 'Retry-After': '0' } : {} });
  }) as typeof fetch;
  return { answered, fetchFn };
}

test('valid keys are not refused for transient answers of the token endpoint (503, 429, 502 in a row)', async () => {
  const endpoint = tokenEndpoint([503, 429, 502]);
  const started = Date.now();
  const token = await verifyConnection(connection, { fetch: endpoint.fetchFn });
  assert.equal(token.accessToken, 'tok');
  assert.deepEqual(endpoint.answered, [503, 429, 502, 200]);
  assert.ok(Date.now() - started < 5_000, 'the retries are quick');
});

test('a wrong secret (401) fails at once; a token endpoint that keeps failing fails after a few quick tries', async () => {
  const refused = tokenEndpoint([401]);
  await assert.rejects(verifyConnection(connection, { fetch: refused.fetchFn }), (e: unknown) => e instanceof MindSphereError && e.status === 401);
  assert.deepEqual(refused.answered, [401], 'not retried');

  const down = tokenEndpoint(Array.from({ length: 20 }, () => 503));
  const started = Date.now();
  await assert.rejects(verifyConnection(connection, { fetch: down.fetchFn }), (e: unknown) => e instanceof MindSphereError && e.status === 503);
  assert.ok(down.answered.length > 2 && down.answered.length <= 5, `${down.answered.length} tries`);
  assert.ok(Date.now() - started < 5_000, 'gives up within seconds, long before the 30-second deadline');
});
