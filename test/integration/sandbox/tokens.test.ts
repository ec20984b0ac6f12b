// Token endpoints over real HTTP: client credentials (Basic, grant_type in body or query, form-body credentials),
// the JWT and its key, the Token Manager with X-SPACE-AUTH-KEY, and 401/403 in each API family's error shape.
import assert from 'node:assert/strict';
import { createPublicKey, verify } from 'node:crypto';
import { after, before, test } from 'node:test';
import { AGG, AM, type Harness, harness, reply, TS } from './helpers';

let h: Harness;
const warnings: string[] = [];
before(async () => {
  h = await harness({ log: (line) => warnings.push(line) });
});
after(() => h.close());

const form = (body: string, headers: Record<string, string> = {}, query = '') =>
  fetch(`${h.sb.tokenUrl}${query}`, { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded', ...headers }, body }).then(reply);

const decode = (part: string) => JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));

test('default credentials follow the app-credential form and the secret is stable for the seed', () => {
  assert.equal(h.sb.tenant, 'makers01');
  assert.match(h.sb.clientId, /^makers01-app-v\d+\.\d+\.\d+-\d+$/);
  assert.equal(h.sb.tokenUrl, `${h.sb.url}/oauth/token`);
  assert.doesNotMatch(h.sb.url, /\/$/);
  assert.equal(h.sb.clientSecret, 'b4hOgxeAkfHvyY450XB_sMCAAkNgjOj3SXkVxklW');
});

test('client credentials with Basic auth return an RS256 JWT with kid whose exp is iat + expires_in', async () => {
  const r = await form('grant_type=client_credentials', { Authorization: h.basic });
  assert.equal(r.status, 200);
  assert.deepEqual(Object.keys(r.json).sort(), ['access_token', 'expires_in', 'jti', 'scope', 'token_type']);
  assert.equal(r.json.token_type, 'Bearer');
  assert.equal(r.json.expires_in, 1800);
  assert.equal(r.headers.get('cache-control'), 'no-store');
  const [header, payload, signature] = r.json.access_token.split('.');
  const head = decode(header);
  const claims = decode(payload);
  assert.equal(head.alg, 'RS256');
  assert.equal(head.typ, 'JWT');
  assert.ok(head.kid);
  assert.equal(claims.exp - claims.iat, 1800);
  assert.ok(Math.abs(claims.iat - Date.now() / 1000) < 60, 'iat is in seconds');
  assert.equal(claims.client_id, h.sb.clientId);
  assert.equal(claims.ten, 'makers01');
  assert.equal(claims.jti, r.json.jti);
  assert.deepEqual(claims.scope, r.json.scope.split(' '));

  const keys = await reply(await fetch(`${h.sb.url}/token_keys`));
  assert.equal(keys.status, 200);
  assert.equal(keys.json.keys.length, 1, 'exactly one key');
  const key = keys.json.keys[0];
  assert.equal(key.kid, head.kid);
  assert.match(key.value, /^-----BEGIN PUBLIC KEY-----\n[\s\S]+\n-----END PUBLIC KEY-----\n$/);
  const ok = verify('sha256', Buffer.from(`${header}.${payload}`), createPublicKey(key.value), Buffer.from(signature, 'base64url'));
  assert.ok(ok, 'the token verifies with the published PEM');
});

test('grant_type in the query (the Mendix TokenURL form) works too', async () => {
  const r = await form('', { Authorization: h.basic }, '?grant_type=client_credentials');
  assert.equal(r.status, 200);
  assert.ok(r.json.access_token);
});

test('a parameter repeated in the query or in the body is invalid_request naming it (RFC 6749 §3.1); once in each is fine', async () => {
  const cases: [string, string, string, RegExp][] = [
    ['query', '', '?grant_type=client_credentials&grant_type=client_credentials', /'grant_type' appears 2 times in the query/],
    ['body', 'grant_type=client_credentials&grant_type=client_credentials', '', /'grant_type' appears 2 times in the form body/],
    ['scope', 'grant_type=client_credentials&scope=iot.tim.r&scope=iot.tsa.r', '', /'scope' appears 2 times in the form body/],
  ];
  for (const [what, body, query, message] of cases) {
    const r = await form(body, { Authorization: h.basic }, query);
    assert.equal(r.status, 400, `${what}: ${r.text}`);
    assert.equal(r.json.error, 'invalid_request', what);
    assert.match(r.json.error_description, message, what);
    assert.match(r.json.error_description, /only once .*RFC 6749/, what);
  }
  const both = await form('grant_type=client_credentials', { Authorization: h.basic }, '?grant_type=client_credentials');
  assert.equal(both.status, 200, 'the Mendix TokenURL query with an OAuth library\'s body parameter still works');
  const differ = await form('grant_type=password', { Authorization: h.basic }, '?grant_type=client_credentials');
  assert.equal(differ.status, 400, 'one value in the query and another in the body: neither is taken silently');
  assert.match(differ.json.error_description, /'grant_type' is 'client_credentials' in the query but 'password' in the form body/);
  const unknown = await form('grant_type=client_credentials&x=1&x=2', { Authorization: h.basic });
  assert.equal(unknown.status, 200, 'an unrecognized parameter is ignored, repeated or not');
});

test('client id and secret in the form body are accepted with a logged warning that does not leak the secret', async () => {
  const r = await form(new URLSearchParams({ grant_type: 'client_credentials', client_id: h.sb.clientId, client_secret: h.sb.clientSecret }).toString());
  assert.equal(r.status, 200);
  const warning = warnings.find((w) => w.includes('non-standard client authentication'));
  assert.ok(warning, 'a warning was logged');
  assert.ok(!warnings.join('\n').includes(h.sb.clientSecret), 'the secret never reaches the log');
});

test('wrong credentials, missing auth and bad grants get OAuth errors with the right status', async () => {
  const wrongSecret = `Basic ${Buffer.from(`${h.sb.clientId}:nope`).toString('base64')}`;
  let r = await form('grant_type=client_credentials', { Authorization: wrongSecret });
  assert.equal(r.status, 401);
  assert.equal(r.json.error, 'invalid_client');
  assert.match(r.json.error_description, /client secret does not match/);
  assert.ok(!r.text.includes(h.sb.clientSecret));

  r = await form('grant_type=client_credentials', { Authorization: `Basic ${Buffer.from('someone-else:x').toString('base64')}` });
  assert.equal(r.status, 401);
  assert.match(r.json.error_description, /not known/);

  r = await form('grant_type=client_credentials');
  assert.equal(r.status, 401);
  assert.equal(r.json.error, 'invalid_client');

  r = await form('grant_type=password', { Authorization: h.basic });
  assert.equal(r.status, 400);
  assert.equal(r.json.error, 'unsupported_grant_type');

  r = await form('', { Authorization: h.basic });
  assert.equal(r.status, 400);
  assert.equal(r.json.error, 'invalid_request');

  r = await form('grant_type=client_credentials&scope=tenant.superpowers', { Authorization: h.basic });
  assert.equal(r.status, 400);
  assert.equal(r.json.error, 'invalid_scope');

  const json = await reply(await fetch(h.sb.tokenUrl, { method: 'POST', headers: { Authorization: h.basic, 'Content-Type': 'application/json' }, body: '{}' }));
  assert.equal(json.status, 415);

  const get = await reply(await fetch(h.sb.tokenUrl, { headers: { Authorization: h.basic } }));
  assert.equal(get.status, 405);
  assert.equal(get.headers.get('allow'), 'POST');
});

test('the Token Manager issues app tokens for X-SPACE-AUTH-KEY and checks app, version and tenants', async () => {
  const url = `${h.sb.url}/api/technicaltokenmanager/v3/oauth/token`;
  const body = { appName: 'app', appVersion: '1.0.0', hostTenant: 'makers01', userTenant: 'makers01' };
  const post = (headers: Record<string, string>, b: unknown = body, query = '') => // b null: no body
    fetch(`${url}${query}`, { method: 'POST', headers: { 'Content-Type': 'application/json', ...headers }, body: b === null ? undefined : JSON.stringify(b) }).then(reply);

  let r = await post({ 'X-SPACE-AUTH-KEY': h.basic });
  assert.equal(r.status, 200);
  assert.equal(decode(r.json.access_token.split('.')[0]).kid.length > 0, true);
  assert.equal(r.json.expires_in, 1800);

  r = await post({ Authorization: h.basic });
  assert.equal(r.status, 200, 'the Authorization header is accepted as well');

  r = await post({});
  assert.equal(r.status, 401);
  assert.equal(r.json.errors[0].code, 'mdsp.core.generic.unauthorized');

  r = await post({ 'X-SPACE-AUTH-KEY': h.basic }, { ...body, appName: 'other' });
  assert.equal(r.status, 403);
  assert.match(r.json.errors[0].message, /belong to app 'app' version 1.0.0/);

  r = await post({ 'X-SPACE-AUTH-KEY': h.basic }, { ...body, hostTenant: 'elsewhere' });
  assert.equal(r.status, 403);

  r = await post({ 'X-SPACE-AUTH-KEY': h.basic }, { appName: 'app' });
  assert.equal(r.status, 400);
  assert.match(r.json.errors[0].message, /appVersion, hostTenant, userTenant/);

  r = await post({ 'X-SPACE-AUTH-KEY': h.basic }, null, `?${new URLSearchParams(body)}`);
  assert.equal(r.status, 200, 'parameters in the query work');

  r = await post({ 'X-SPACE-AUTH-KEY': h.basic }, null, `?${new URLSearchParams(body)}&appName=other`);
  assert.equal(r.status, 400, 'a repeated query parameter is refused, not the last one taken');
  assert.match(r.json.errors[0].message, /'appName' appears 2 times in the query/);

  r = await post({ 'X-SPACE-AUTH-KEY': h.basic }, body, `?${new URLSearchParams(body)}`);
  assert.equal(r.status, 400, 'mixing query and body is refused');
  assert.match(r.json.errors[0].message, /not both/);
});

test('API calls without, with an invalid, or with a foreign token get 401 in each family\'s shape', async () => {
  const asset = `${AM}/assets`;
  const series = `${TS}/${'0'.repeat(32)}/Vibration`;
  const aggregates = `${AGG}?assetId=${'0'.repeat(32)}&aspectName=Vibration`;
  for (const headers of [{}, { Authorization: 'Bearer not-a-jwt' }, { Authorization: 'Basic abc' }] as Record<string, string>[]) {
    const am = await reply(await fetch(`${h.sb.url}${asset}`, { headers }));
    assert.equal(am.status, 401);
    assert.equal(am.json.errors[0].code, 'mdsp.core.generic.unauthorized');
    assert.ok(am.json.errors[0].logref);
    assert.match(am.headers.get('www-authenticate') ?? '', /^Bearer/);
    const ts = await reply(await fetch(`${h.sb.url}${series}`, { headers }));
    assert.equal(ts.status, 401);
    assert.deepEqual(Object.keys(ts.json).sort(), ['id', 'message']);
    const agg = await reply(await fetch(`${h.sb.url}${aggregates}`, { headers }));
    assert.equal(agg.status, 401);
    assert.ok(agg.json.errors);
  }
  // A token signed by another sandbox (another key) is refused.
  const other = await harness();
  try {
    const foreign = await other.token();
    const r = await reply(await fetch(`${h.sb.url}${asset}`, { headers: { Authorization: `Bearer ${foreign}` } }));
    assert.equal(r.status, 401);
    assert.match(r.json.errors[0].message, /signature/);
  } finally {
    await other.close();
  }
});

test('expired tokens get 401 and a narrowed token gets 403 for what it lacks', async () => {
  const short = await harness({ tokenTtlSeconds: 1 });
  try {
    const token = await short.token();
    const ok = await reply(await fetch(`${short.sb.url}${AM}/assets/root`, { headers: { Authorization: `Bearer ${token}` } }));
    assert.equal(ok.status, 200);
    await new Promise((r) => setTimeout(r, 1100));
    const expired = await reply(await fetch(`${short.sb.url}${AM}/assets/root`, { headers: { Authorization: `Bearer ${token}` } }));
    assert.equal(expired.status, 401);
    assert.match(expired.json.errors[0].message, /expired/);
  } finally {
    await short.close();
  }

  const reader = await h.token('mdsp:core:assetmanagement.standarduser');
  const auth = { Authorization: `Bearer ${reader}` };
  const read = await reply(await fetch(`${h.sb.url}${AM}/assets/root`, { headers: auth }));
  assert.equal(read.status, 200);
  const write = await reply(await fetch(`${h.sb.url}${AM}/assets`, { method: 'POST', headers: { ...auth, 'Content-Type': 'application/json' }, body: '{}' }));
  assert.equal(write.status, 403);
  assert.equal(write.json.errors[0].code, 'mdsp.core.generic.forbidden');
  assert.match(write.json.errors[0].message, /assetmanagement\.admin/);
  const ts = await reply(await fetch(`${h.sb.url}${TS}/${'0'.repeat(32)}/Flow`, { headers: auth }));
  assert.equal(ts.status, 403);
  assert.deepEqual(Object.keys(ts.json).sort(), ['id', 'message']);
});
