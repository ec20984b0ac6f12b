import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { CLIENT_ERROR_CODES, MindSphereError, type Progress, type TimeSeriesRecord } from '../../../src/client';
import { fakeTenant, findPump, hashRecords, json, readByLinks, sandbox, type TestSandbox } from './helpers';

// 1000 points per second: a record on every millisecond, so every piece boundary the splitter picks has a record on it.
const DENSE = { pointsPerSecond: 1000 };
const FROM = '2025-03-01T00:00:00.000Z';
const TO = '2025-03-01T00:00:24.000Z'; // 24,000 records, 12 full pages

let t: TestSandbox;
let pump: { assetId: string; aspect: string };
let reference: TimeSeriesRecord[];

before(async () => {
  t = await sandbox(DENSE);
  const client = t.client();
  pump = await findPump(client);
  reference = await readByLinks(t.sb.url, (await client.token()).accessToken, pump.assetId, pump.aspect, FROM, TO);
});
after(() => t.close());

test('a read past the 2000 cap returns exactly the records the Link loop returns: once each, in order', async () => {
  const progress: Progress[] = [];
  const records = await t.client({ concurrency: 4 }).readTimeSeries(pump.assetId, pump.aspect, FROM, TO,
    { onProgress: (p) => progress.push(p) });
  assert.equal(reference.length, 24_000);
  assert.equal(records.length, reference.length);
  assert.equal(hashRecords(records), hashRecords(reference));
  // The record exactly at `from` is excluded and the one exactly at `to` included.
  assert.equal(records[0]?._time, '2025-03-01T00:00:00.001Z');
  assert.equal(records.at(-1)?._time, TO);
  const last = progress.at(-1);
  assert.equal(last?.records, 24_000);
  assert.equal(last?.estimatedTotal, 24_000);
  assert.ok(progress.some((p) => p.estimatedTotal !== undefined && p.records < 24_000), 'an estimate came before the end');
});

test('every piece boundary falls on a record, and none is lost or repeated across boundaries', async () => {
  // A range that starts and ends on records, with select, at concurrency 3 (pieces of odd widths).
  const records = await t.client({ concurrency: 3 }).readTimeSeries(pump.assetId, pump.aspect,
    '2025-03-01T00:00:01.000Z', '2025-03-01T00:00:13.337Z', { select: 'Velocity' });
  assert.equal(records.length, 12_337);
  for (let i = 0; i < records.length; i++) {
    assert.equal(Date.parse(records[i]!._time), Date.parse('2025-03-01T00:00:01.001Z') + i);
  }
  assert.deepEqual(Object.keys(records[0]!).sort(), ['Velocity', 'Velocity_qc', '_time']);
});

test("a read's concurrency bounds its requests in flight, also below the client's", async () => {
  let inFlight = 0;
  let most = 0;
  // In flight: from sending a request to having its whole body, as the client counts it.
  const countingFetch: typeof fetch = async (input, init) => {
    if (!String(input).includes('/timeseries/')) return fetch(input, init);
    most = Math.max(most, ++inFlight);
    try {
      const response = await fetch(input, init);
      return new Response(await response.arrayBuffer(), { status: response.status, headers: response.headers });
    } finally {
      inFlight--;
    }
  };
  const records = await t.client({ concurrency: 4, fetch: countingFetch }).readTimeSeries(pump.assetId, pump.aspect, FROM, TO, { concurrency: 2 });
  assert.equal(records.length, 24_000);
  assert.equal(most, 2);
});

test('cancelling a read rejects at once and stops every request in flight', async () => {
  const slow = await sandbox({ ...DENSE, latencyMs: 100 });
  try {
    const client = slow.client({ concurrency: 4 });
    const controller = new AbortController();
    const tsRequests = () => slow.events.filter((e) => e.route.includes('/timeseries/')).length;
    let atAbort = 0;
    const started = Date.now();
    const read = client.readTimeSeries(pump.assetId, pump.aspect, '2025-03-01T00:00:00Z', '2025-03-01T00:01:00Z', {
      signal: controller.signal,
      onProgress: () => {
        atAbort = tsRequests();
        controller.abort();
      },
    });
    await assert.rejects(read, (e: unknown) => (e as Error).name === 'AbortError');
    assert.ok(Date.now() - started < 1500, 'rejected promptly');
    await new Promise((r) => setTimeout(r, 400));
    // At most the 4 requests in flight at the abort still reach the server; nothing new is started.
    assert.ok(tsRequests() - atAbort <= 4, `${tsRequests() - atAbort} requests after the abort`);
    assert.ok(tsRequests() < 10, 'a 60,000-record read was cut short');
  } finally {
    await slow.close();
  }
});

test('stopping the iteration early stops the read', async () => {
  const client = t.client();
  const before = t.events.length;
  let pages = 0;
  for await (const page of client.streamTimeSeries(pump.assetId, pump.aspect, FROM, TO)) {
    assert.ok(page.length > 0);
    if (++pages === 1) break;
  }
  await new Promise((r) => setTimeout(r, 100));
  assert.ok(t.events.length - before < 12, 'far fewer requests than a full read needs');
});

test('under 429s, 500s and connection resets the read is exactly the fault-free read', async () => {
  const faulty = await sandbox({ ...DENSE, faults: { rate429: 0.1, rate500: 0.05, rateReset: 0.02, retryAfterSeconds: 0 } });
  try {
    const lines: string[] = [];
    const records = await faulty.client({ log: (l) => lines.push(l), retry: { baseDelayMs: 20 } })
      .readTimeSeries(pump.assetId, pump.aspect, FROM, TO);
    assert.equal(records.length, reference.length);
    assert.equal(hashRecords(records), hashRecords(reference));
    const statuses = new Set(faulty.events.map((e) => e.status));
    assert.ok(statuses.has(429) || statuses.has(500), `faults were injected (${[...statuses].join(', ')})`);
    assert.ok(lines.some((l) => /retry \d\/8/.test(l)), 'retries were logged');
  } finally {
    await faulty.close();
  }
});

test('when every attempt fails, the read fails clearly after the deadline', async () => {
  const broken = await sandbox({ ...DENSE, faults: { rate503: 1, retryAfterSeconds: 0 } });
  try {
    const client = broken.client({ deadlineMs: 800, retry: { baseDelayMs: 50, maxAttempts: 100 } });
    const started = Date.now();
    const error = await client.readTimeSeries(pump.assetId, pump.aspect, FROM, TO).then(() => undefined, (e: unknown) => e);
    assert.ok(error instanceof MindSphereError, String(error));
    assert.equal(error.code, CLIENT_ERROR_CODES.deadline);
    // (Even the token request is answered 503, so the read never got further: the message says what kept failing.)
    assert.match(error.message, /^MindSphere did not answer GET \/api\/iottimeseries\/v3\/timeseries\/\w+\/Vibration \(deadline\): no complete answer within 800 ms; the last attempt ended with 503: Service temporarily unavailable.*Try again later; if the server is slow rather than down, narrow the time range/);
    assert.ok(Date.now() - started < 2000);
  } finally {
    await broken.close();
  }
});

test('a page of the wrong shape stops the read with the field that is wrong, never a record without a time', async () => {
  const readWith = (alter: (page: Record<string, unknown>[]) => unknown) => t.client({
    fetch: async (input, init) => {
      const response = await fetch(input, init);
      if (!String(input).includes('/timeseries/')) return response;
      const body = JSON.stringify(alter((await response.json()) as Record<string, unknown>[]));
      return new Response(body, { status: response.status, headers: response.headers });
    },
  }).readTimeSeries(pump.assetId, pump.aspect, FROM, TO).then(() => undefined, (e: unknown) => e);
  const cases: [(page: Record<string, unknown>[]) => unknown, RegExp][] = [
    [(page) => page.map((r, i) => (i === 3 ? { ...r, _time: undefined } : r)), /field '\[3\]\._time': expected a string, received undefined/],
    [(page) => page.map((r, i) => (i === 7 ? null : r)), /field '\[7\]': expected a record \(an object\), received null/],
    [(page) => ({ records: page }), /expected shape: expected an array of records, received object/],
    [(page) => page.map((r, i) => (i === 5 ? { ...r, _time: 'yesterday' } : r)), /a record at yesterday is outside the requested range/],
  ];
  for (const [alter, message] of cases) {
    const error = await readWith(alter);
    assert.ok(error instanceof MindSphereError, String(error));
    assert.equal(error.code, CLIENT_ERROR_CODES.invalidResponse);
    assert.match(error.message, message);
  }
});

test('a Retry-After beyond the deadline fails at once with the 429 and how long the server asked to wait', async () => {
  for (const [seconds, shown] of [['1000000000', '11574 days'], ['10', '10 s']]) {
    const tenant = await fakeTenant((_req, res) => json(res, { message: 'slow down' }, 429, { 'Retry-After': seconds! }));
    try {
      const started = Date.now();
      const error = await tenant.client({ deadlineMs: 3000 }).readTimeSeries('A', 'Asp', '2026-01-01T00:00:00Z', '2026-01-01T00:00:01Z')
        .then(() => undefined, (e: unknown) => e);
      assert.ok(error instanceof MindSphereError, String(error));
      assert.equal(error.status, 429);
      assert.match(error.message, new RegExp(`slow down\\. The server asked to wait ${shown} before trying again \\(Retry-After\\), more than the [\\d.]+ s left before the deadline`));
      assert.ok(Date.now() - started < 1500, `failed after ${Date.now() - started} ms, not at once`);
      assert.equal(tenant.requests.filter((r) => r.includes('/timeseries/')).length, 1, 'no retry every millisecond');
    } finally {
      await tenant.close();
    }
  }
});

test('a Link with several relation types (rel="prev next") is followed: no record is lost', async () => {
  // 2000 records, 1 ms apart; at most 500 per answer, the rest announced in a Link header.
  const base = Date.parse('2026-01-01T00:00:00Z');
  const tenant = await fakeTenant((_req, res, url) => {
    const from = Date.parse(url.searchParams.get('from') ?? '');
    const to = Math.min(Date.parse(url.searchParams.get('to') ?? ''), base + 2000);
    const records = [];
    for (let t = Math.max(from + 1, base + 1); t <= to && records.length < 500; t++) records.push({ _time: new Date(t).toISOString(), n: t - base });
    const more = records.length === 500 && base + (records.at(-1)?.n ?? 0) < to;
    json(res, records, 200, more ? { Link: `<${url.href}>; title="a, b; rel=x"; REL="prev  Next"` } : {});
  });
  try {
    const records = await tenant.client().readTimeSeries('A', 'Asp', new Date(base).toISOString(), new Date(base + 3000).toISOString());
    assert.equal(records.length, 2000);
    assert.deepEqual(records.map((r) => r.n), Array.from({ length: 2000 }, (_, i) => i + 1));
  } finally {
    await tenant.close();
  }
});

test('a read of thousands of requests leaves no listener behind per request (Node warned of a leak on stderr)', async () => {
  // One record per answer, more announced: 4000 requests under the read's one deadline signal.
  const base = Date.parse('2026-01-01T00:00:00Z');
  const tenant = await fakeTenant((_req, res, url) => {
    const t = Date.parse(url.searchParams.get('from') ?? '') + 1;
    json(res, [{ _time: new Date(t).toISOString(), n: t - base }], 200, t < base + 4000 ? { Link: `<${url.href}>; rel="next"` } : {});
  });
  const warnings: string[] = [];
  const onWarning = (w: Error) => warnings.push(`${w.name}: ${w.message}`);
  process.on('warning', onWarning);
  try {
    const records = await tenant.client().readTimeSeries('A', 'Asp', new Date(base).toISOString(), new Date(base + 4000).toISOString());
    assert.equal(records.length, 4000);
    await new Promise((resolve) => setImmediate(resolve)); // warnings are emitted on a later tick
    assert.deepEqual(warnings, []);
  } finally {
    process.off('warning', onWarning);
    await tenant.close();
  }
});

test('a read that keeps getting answers goes on past the deadline: the deadline is time without an answer', async () => {
  // Ten answers of one record, 100 ms apart: a second in all, with a deadline of 400 ms.
  const base = Date.parse('2026-01-01T00:00:00Z');
  const tenant = await fakeTenant((_req, res, url) => {
    const t = Date.parse(url.searchParams.get('from') ?? '') + 1;
    setTimeout(() => json(res, [{ _time: new Date(t).toISOString(), n: t - base }], 200, t < base + 10 ? { Link: `<${url.href}>; rel="next"` } : {}), 100);
  });
  try {
    const records = await tenant.client({ deadlineMs: 400 }).readTimeSeries('A', 'Asp', new Date(base).toISOString(), new Date(base + 10).toISOString());
    assert.deepEqual(records.map((r) => r.n), [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
  } finally {
    await tenant.close();
  }
});
