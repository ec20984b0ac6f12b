import assert from 'node:assert/strict';
import { test } from 'node:test';
import { redact, registerSecret } from '../../src/core/redact';

test('bearer tokens, basic credentials and JWTs never reach a log line', () => {
  const jwt = ['eyJhbGciOiJSUzI1NiJ9', 'eyJzdWIiOiJtYWtlcnMwMSJ9', 'c2lnbmF0dXJlc2lnbmF0dXJl'].join('.');
  const line = `GET /api/x Authorization: Bearer ${jwt} then Basic bWFrZXJzOnNlY3JldA== and token ${jwt}`;
  const out = redact(line);
  assert.ok(!out.includes(jwt));
  assert.ok(!out.includes('bWFrZXJzOnNlY3JldA=='));
  assert.match(out, /Bearer \*\*\*/);
});

test('secret-bearing fields are masked in forms and JSON', () => {
  assert.equal(redact('grant_type=client_credentials&client_secret=s3cr3t-value'), 'grant_type=client_credentials&client_secret=***');
  assert.equal(redact('{"clientSecret":"abc123456","name":"dev"}'), '{"clientSecret":"***","name":"dev"}');
});

test('a registered secret is masked wherever it appears', () => {
  registerSecret('plain-secret-without-label');
  assert.equal(redact('failed with plain-secret-without-label inside'), 'failed with *** inside');
});

test('prose about tokens stays readable', () => {
  assert.equal(redact('the proxy adds the bearer token for you'), 'the proxy adds the bearer token for you');
});
