import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { logDetail } from '../../src/host/log-detail';
import { CLIENT_ERROR_CODES, ConnectionError, errorFromResponse, MindSphereError, parseErrorBody, parseMindSphereError } from '../../src/client';

const tokenRequest = { method: 'POST', path: '/oauth/token', token: true };
const tsRequest = { method: 'GET', path: '/api/iottimeseries/v3/timeseries/0123456789abcdef0123456789abcdef/Vibration' };

test('a refused token request says which client ID and what to do, with the status', () => {
  const e = errorFromResponse(401, '{"error":"unauthorized","error_description":"Bad credentials"}',
    { request: tokenRequest, clientId: 'makers01-app-v1.0.0-7731' });
  assert.equal(e.status, 401);
  assert.equal(e.code, 'unauthorized');
  assert.equal(e.serverMessage, 'Bad credentials');
  assert.equal(String(e), "MindSphere refused the token request (401): the client secret does not match the client ID 'makers01-app-v1.0.0-7731' (or the client ID is unknown to this tenant). Check the binding keys, or create new ones in the Service Management Dashboard. [code: unauthorized]");
  assert.equal(e.message, e.toString());
});

test('every MindSphere error body shape is read (API §1.7)', () => {
  assert.deepEqual(parseErrorBody('{"errors":[{"code":"mdsp.core.generic.invalidParameter","logref":"a1b2","message":"Invalid filter"}]}'),
    { code: 'mdsp.core.generic.invalidParameter', logref: 'a1b2', message: 'Invalid filter' });
  assert.deepEqual(parseErrorBody('{"id":"7f3e","message":"Property with name T130 does not belong to property set with name NodeTestAspect!"}'),
    { code: undefined, logref: '7f3e', message: 'Property with name T130 does not belong to property set with name NodeTestAspect!' });
  assert.deepEqual(parseErrorBody('{"timestamp":"2026-01-01T00:00:00Z","status":400,"error":"Bad Request","message":"range must be < 90 days","path":"/api/iottsbulk/v3/timeseries"}'),
    { code: undefined, message: 'range must be < 90 days' });
  assert.deepEqual(parseErrorBody('{"error":"invalid_client","error_description":"Bad client credentials"}'),
    { code: 'invalid_client', message: 'Bad client credentials' });
  assert.deepEqual(parseErrorBody('<html>502</html>'), {});
});

test('an API error keeps the status, code and logref, names the request, and never shows a token', () => {
  const jwt = 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJtYWtlcnMwMSJ9.c2lnbmF0dXJlc2ln';
  const e = errorFromResponse(400, JSON.stringify({ errors: [{ code: 'mdsp.core.generic.invalidParameter', logref: 'L1', message: `bad token Bearer ${jwt}` }] }),
    { request: tsRequest });
  assert.equal(e.status, 400);
  assert.equal(e.logref, 'L1');
  assert.deepEqual(e.request, tsRequest);
  assert.ok(!e.message.includes(jwt));
  assert.match(e.message, /^MindSphere refused GET \/api\/iottimeseries\/v3\/timeseries\/0123456789abcdef0123456789abcdef\/Vibration \(400\): bad token Bearer \*\*\*\. \[code: mdsp\.core\.generic\.invalidParameter, logref: L1\]$/);
  // An empty or HTML body still gives a readable reason.
  assert.match(errorFromResponse(503, '<html>oops</html>', { request: tsRequest }).message, /\(503\): Service Unavailable\. The fault is on the server's side; try again later/);
});

test('parseMindSphereError turns the one-line message back into the structured error', () => {
  const original = errorFromResponse(404, '{"errors":[{"code":"mdsp.core.generic.noMatch","logref":"9f2c","message":"Asset not found"}]}', { request: tsRequest });
  const parsed = parseMindSphereError(original.toString());
  assert.ok(parsed instanceof MindSphereError);
  assert.equal(parsed.status, 404);
  assert.equal(parsed.code, 'mdsp.core.generic.noMatch');
  assert.equal(parsed.logref, '9f2c');
  assert.equal(parsed.serverMessage, 'Asset not found.');
  assert.deepEqual(parsed.request, tsRequest);
  assert.equal(parsed.toString(), original.toString());
});

test('a 404 hint fits the API family: assets and types, a contract, or a Data Hub service', () => {
  const hint = (path: string) => errorFromResponse(404, '{"errors":[{"message":"Not found"}]}', { request: { method: 'GET', path } }).message;
  assert.match(hint(tsRequest.path), /Not found\. Check the asset ID, aspect name or type ID\.$/);
  assert.match(hint('/api/assetmanagement/v3/assettypes/makers01.Nope'), /Check the asset ID, aspect name or type ID\.$/);
  assert.match(hint('/odata/mdsp_nope/Assets'), /Not found\. Check the contract's application name and that it is published\.$/);
  assert.match(hint('/api/datacontracts/v1/contracts/0123/publish'), /Not found\. Check the contract ID\.$/);
  for (const path of ['/odata/mdsp_nope/Assets', '/api/datacontracts/v1/contracts/0123']) {
    assert.doesNotMatch(hint(path), /asset ID/);
    const e = errorFromResponse(404, '{"errors":[{"message":"Not found"}]}', { request: { method: 'GET', path } });
    assert.equal(parseMindSphereError(e.toString()).serverMessage, 'Not found.', 'the parser strips this hint too');
  }
});

test('parse(toString()) is a fixed point for any status, code, logref and message', () => {
  fc.assert(fc.property(
    fc.constantFrom(200, 400, 401, 403, 404, 409, 429, 500, 503),
    fc.option(fc.stringMatching(/^[a-z][a-z.]{0,30}$/), { nil: undefined }),
    fc.option(fc.stringMatching(/^[0-9a-f-]{1,36}$/), { nil: undefined }),
    fc.string({ minLength: 1, maxLength: 80 }).filter((s) => !/[\]\n\r]/.test(s) && s.trim().length > 0),
    fc.boolean(),
    (status, code, logref, message, token) => {
      const e = new MindSphereError({ status, code: status === 200 ? CLIENT_ERROR_CODES.invalidResponse : code, logref, serverMessage: message, request: token ? tokenRequest : tsRequest });
      const p = parseMindSphereError(e.toString());
      assert.equal(p.toString(), e.toString());
      assert.equal(p.status, status);
      assert.equal(p.code, e.code);
      assert.equal(p.logref, logref);
    },
  ), { numRuns: 200 });
});

test('other error strings with a status and a JSON body are understood too', () => {
  const p = parseMindSphereError('Network error occured Bad Request {"id":"","message":"Property with name T130 does not belong to property set with name NodeTestAspect!"}');
  assert.equal(p.status, 400);
  assert.match(p.serverMessage, /T130/);
  const q = parseMindSphereError('HTTP 429: {"errors":[{"code":"mdsp.core.generic.tooManyRequests","logref":"x9","message":"API rate limit exceeded"}]}');
  assert.equal(q.status, 429);
  assert.equal(q.code, 'mdsp.core.generic.tooManyRequests');
  assert.equal(q.logref, 'x9');
  assert.equal(parseMindSphereError('something broke').status, 0);
});

test('a 403 names the Asset Management roles only for Asset Management, where they are the ones to check', () => {
  const body = JSON.stringify({ errors: [{ code: 'mdsp.core.generic.forbidden', message: 'Forbidden' }] });
  const assets = errorFromResponse(403, body, { request: { method: 'GET', path: '/api/assetmanagement/v3/assets' } });
  assert.match(assets.message, /lack a role this API needs; check the roles of the app \(mdsp:core:assetmanagement\.standarduser to read, \.admin to change\)/);
  const series = errorFromResponse(403, body, { request: tsRequest });
  assert.match(series.message, /lack a role this API needs; check the roles of the app\./);
  assert.doesNotMatch(series.message, /assetmanagement/);
});

test('a deadline suggests a narrower time range only for reads that have one', () => {
  const deadline = (request: { method: string; path: string; token?: boolean }) =>
    new MindSphereError({ status: 0, reason: 'deadline', code: CLIENT_ERROR_CODES.deadline, request, serverMessage: 'no complete answer within 5 min' }).message;
  assert.match(deadline(tsRequest), /narrow the time range/);
  assert.match(deadline({ method: 'GET', path: '/odata/app/TS_Flow_Flow_Pump' }), /narrow the time range/);
  assert.match(deadline({ method: 'GET', path: '/api/assetmanagement/v3/assets' }), /check the gateway URL, your network and the proxy settings/);
  assert.match(deadline({ method: 'POST', path: '/oauth/token', token: true }), /check the TokenURL/);
  // The hint is derived from what the one-line form keeps, so the parser gives the same line back.
  const line = deadline({ method: 'GET', path: '/api/assetmanagement/v3/assets' });
  assert.equal(parseMindSphereError(line).toString(), line);
});

test('a log line carries a MindSphere failure by its message, and only a bug with its stack', () => {
  const refused = errorFromResponse(400, '{"errors":[{"message":"bad filter","logref":"L1"}]}', { request: tsRequest });
  assert.equal(logDetail(refused), refused.message);
  assert.doesNotMatch(logDetail(refused), /\n\s+at /);
  const bug = new TypeError('x is undefined');
  assert.match(logDetail(bug), /^TypeError: x is undefined\n\s+at /);
  assert.equal(logDetail('plain'), 'plain');
  assert.equal(logDetail(new ConnectionError('the TokenURL is not https')), 'the TokenURL is not https');
});
