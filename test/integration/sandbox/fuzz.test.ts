// Fuzzing over real HTTP (fast-check, bounded runs): random query parameters, paths, headers and bodies never crash the
// sandbox, never get a 5xx, and every error has its API family's shape. After the storm the tenant still answers.
import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { after, before, test } from 'node:test';
import fc from 'fast-check';
import { AGG, AM, type Harness, firstOfType, harness, reply, TS } from './helpers';

let h: Harness;
let token: string;
let pump: string;
const logged: string[] = [];
before(async () => {
  // Sparse data (a point every 100 s): random 90-day aggregate ranges stay cheap; robustness does not need density.
  h = await harness({ pointsPerSecond: 0.01, log: (line) => logged.push(line) });
  token = await h.token();
  pump = (await firstOfType(h, 'Pump')).assetId;
});
after(() => h.close());

const RUNS = 60;

/** Strings that look like what clients send, plus hostile ones. */
const value = fc.oneof(
  fc.string(), fc.integer().map(String), fc.double().map(String), fc.date({ noInvalidDate: true }).map((d) => d.toISOString()),
  fc.constantFrom('', 'true', 'false', 'null', '-1', '2000', '2001', 'asc', 'desc', 'day', 'minute', 'hour', 'week', 'month', '%', '%zz',
    '2024-02-30T00:00:00Z', '2024-03-05T10Z', '{"name":{"in":{"value":[]}}}', '{"not":{"or":[]}}', '[', 'name eq x', '1e400'),
  fc.json(),
);
const params = (names: string[]) => fc.dictionary(fc.oneof(fc.constantFrom(...names), fc.string()), value, { maxKeys: 6 });

function checkShape(path: string, status: number, json: unknown): void {
  assert.ok(status < 500, `${path} → ${status}`);
  if (status < 400) return;
  const body = json as Record<string, unknown>;
  if (path.startsWith(TS)) assert.deepEqual(Object.keys(body).sort(), ['id', 'message'], path);
  else if (path.startsWith('/oauth')) assert.ok(typeof body.error === 'string' && typeof body.error_description === 'string', path);
  else assert.ok(Array.isArray(body.errors) && typeof (body.errors as { message?: unknown }[])[0]?.message === 'string', path);
}

async function send(method: string, path: string, body?: string, headers: Record<string, string> = {}): Promise<void> {
  const r = await reply(await fetch(`${h.sb.url}${path}`, { method, body, headers: { Authorization: `Bearer ${token}`, ...headers } }));
  checkShape(path, r.status, r.json);
}

test('query parameters of every GET endpoint', async () => {
  const endpoints: [string, string[]][] = [
    [`${AM}/assets`, ['page', 'size', 'sort', 'filter', 'basicFieldsOnly', 'includeShared']],
    [`${AM}/assettypes`, ['page', 'size', 'sort', 'filter', 'exploded']],
    [`${AM}/aspecttypes`, ['page', 'size', 'sort', 'filter']],
    [`${AM}/assets/${pump}/aspects`, ['page', 'size', 'sort']],
    [`${TS}/${pump}/Vibration`, ['from', 'to', 'limit', 'select', 'sort', 'latestValue']],
    [AGG, ['assetId', 'aspectName', 'from', 'to', 'intervalUnit', 'intervalValue', 'count', 'select']],
  ];
  for (const [path, names] of endpoints) {
    await fc.assert(fc.asyncProperty(params(names), async (p) => {
      if (path === AGG) p = { assetId: pump, aspectName: 'Vibration', ...p };
      await send('GET', `${path}?${new URLSearchParams(p)}`);
    }), { numRuns: RUNS });
  }
});

test('bodies of every write endpoint', async () => {
  const body = fc.oneof(fc.json(), fc.string(), fc.constantFrom('{', '[]', '[{}]', '{"timeseries":[{}]}', 'null', '{"name":null}'),
    fc.array(fc.record({ _time: value, Velocity: fc.jsonValue(), Velocity_qc: fc.jsonValue() }, { requiredKeys: [] }), { maxLength: 5 }).map((a) => JSON.stringify(a)),
    fc.record({ name: fc.jsonValue(), typeId: fc.jsonValue(), parentId: fc.jsonValue(), variables: fc.jsonValue(), aspects: fc.jsonValue(), location: fc.jsonValue(),
      category: fc.jsonValue(), parentTypeId: fc.jsonValue(), newParentId: fc.jsonValue() }, { requiredKeys: [] }).map((o) => JSON.stringify(o)));
  const targets: [string, string][] = [
    ['POST', `${AM}/assets`], ['PUT', `${AM}/assets/${pump}`], ['PATCH', `${AM}/assets/${pump}`], ['POST', `${AM}/assets/${pump}/move`],
    ['PUT', `${AM}/assets/${pump}/location`], ['PUT', `${AM}/aspecttypes/makers01.Fuzz`], ['PUT', `${AM}/assettypes/makers01.Fuzz`],
    ['PATCH', `${AM}/assettypes/makers01.Pump`], ['PUT', `${TS}/${pump}/Vibration`], ['PUT', TS],
    ['POST', '/oauth/token'], ['POST', '/api/technicaltokenmanager/v3/oauth/token'],
  ];
  for (const [method, path] of targets) {
    await fc.assert(fc.asyncProperty(body, fc.constantFrom('application/json', 'application/merge-patch+json', 'text/plain', ''),
      fc.constantFrom(undefined, '0', '"0"', '*', 'W/"1"', 'abc'), async (text, type, ifMatch) => {
        const headers: Record<string, string> = {};
        if (type) headers['Content-Type'] = type;
        if (ifMatch !== undefined) headers['If-Match'] = ifMatch;
        await send(method, path, text, headers);
      }), { numRuns: RUNS / 2 });
  }
});

test('paths, methods and headers', async () => {
  const segment = fc.oneof(fc.string({ maxLength: 12 }).map(encodeURIComponent), fc.constantFrom('root', pump, 'Vibration', '..', '%2F', '%', 'assets', ''));
  await fc.assert(fc.asyncProperty(fc.constantFrom('GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS', 'HEAD'),
    fc.constantFrom(`${AM}/assets`, `${AM}/assettypes`, TS, '/api/iottsaggregates/v4', '/oauth', '/api'), fc.array(segment, { maxLength: 3 }),
    fc.constantFrom('Bearer x', 'Basic', '', `Bearer ${'a'.repeat(2000)}`), async (method, base, segments, auth) => {
      const path = [base, ...segments].join('/');
      const r = await fetch(`${h.sb.url}${path}`, { method, headers: auth ? { Authorization: auth } : {} });
      assert.ok(r.status < 500, `${method} ${path} → ${r.status}`);
      await r.arrayBuffer();
    }), { numRuns: RUNS * 2 });
});

/** Sends a raw HTTP/1.1 request (what fetch would never send) and returns the status line. */
async function rawRequest(target: string, host: string, method = 'GET'): Promise<string> {
  return (await rawExchange(target, host, method)).split('\r\n')[0] ?? '';
}

/** The same, returning the whole answer as text. */
function rawExchange(target: string, host: string, method = 'GET'): Promise<string> {
  const { port } = new URL(h.sb.url);
  return new Promise((resolve) => {
    const socket = connect(Number(port), '127.0.0.1', () =>
      socket.write(`${method} ${target} HTTP/1.1\r\nHost: ${host}\r\nAuthorization: Bearer ${token}\r\nConnection: close\r\n\r\n`));
    let data = '';
    socket.on('data', (chunk) => (data += chunk));
    socket.on('close', () => resolve(data));
    socket.on('error', () => resolve(data));
  });
}

test('raw request targets and Host headers that no client library would send', async () => {
  const target = fc.oneof(fc.string({ maxLength: 40 }), fc.constantFrom('//', '*', 'x', '/%', '//api/assetmanagement/v3/assets',
    'http://evil.example/api/assetmanagement/v3/assets/root', `/api/iottimeseries/v3/timeseries/${'%zz'}/Flow`));
  const host = fc.oneof(fc.string({ maxLength: 20 }), fc.constantFrom('[', '127.0.0.1', 'a b', '::1', '[::1]:80'));
  await fc.assert(fc.asyncProperty(target, host, async (t, hostHeader) => {
    const line = await rawRequest(t, hostHeader);
    const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(line)?.[1] ?? 0);
    assert.ok(status === 0 || status < 500, `${JSON.stringify(t)} with Host ${JSON.stringify(hostHeader)} → ${line}`);
  }), { numRuns: RUNS * 2 });
  assert.equal(await rawRequest('//', '['), 'HTTP/1.1 404 Not Found');
  assert.equal(await rawRequest('http://evil.example/api/assetmanagement/v3/assets/root', '127.0.0.1'), 'HTTP/1.1 200 OK',
    'an absolute-form target is served by its path');
});

test('without a usable Host header, links still name the port the sandbox listens on', async () => {
  const answer = await rawExchange(`${AM}/assets?size=1`, 'not a host!');
  const body = JSON.parse(answer.slice(answer.indexOf('\r\n\r\n') + 4)) as { _links: { next: { href: string } } };
  assert.ok(body._links.next.href.startsWith(`http://localhost:${new URL(h.sb.url).port}/`), body._links.next.href);
});

test('requests the HTTP parser refuses get a status that says why, and a body in the API error shape', async () => {
  for (const [target, method, status] of [[`${AM}/assets?filter=${'a'.repeat(20_000)}`, 'GET', 431], [`${AM}/assets`, 'BREW', 501]] as const) {
    const answer = await rawExchange(target, '127.0.0.1', method);
    assert.match(answer, new RegExp(`^HTTP/1.1 ${status} `), answer.slice(0, 100));
    const body = JSON.parse(answer.slice(answer.indexOf('\r\n\r\n') + 4)) as { errors: { message: string }[] };
    assert.match(body.errors[0]!.message, status === 431 ? /longer than 16 KB/ : /method/);
  }
});

test('after the fuzzing the tenant still serves and logged no crash', async () => {
  const r = await h.get(`${AM}/assets/root`);
  assert.equal(r.status, 200);
  assert.deepEqual(logged.filter((l) => l.startsWith('error:')), []);
});
