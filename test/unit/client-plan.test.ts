import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { createClient, InputError, intervalOf, MindSphereError, toEpochMs, toRange } from '../../src/client';
import { mergeInOrder, planAggregateChunks } from '../../src/client/aggregates';
import { sleep } from '../../src/client/http';
import { hasNextLink } from '../../src/client/timeseries';
import { cutRange, DEFAULT_PLAN, type PieceSource, ReadPlan, readPieces } from '../../src/client/read-plan';
import { backoffMs, DEFAULT_RETRY_POLICY, isRetryableStatus, networkErrorCode, parseRetryAfter } from '../../src/client/retry';

type Rec = { _time: string; v: number };

/** Plays a plan to the end against an in-memory series, answering like IoT Time Series: (from, to], at most `cap`. */
function drain(times: number[], from: number, to: number, cap: number, order: 'fifo' | 'lifo' = 'fifo') {
  const plan = new ReadPlan<Rec>(from, to, { ...DEFAULT_PLAN, cap, maxBuffered: 10 * cap });
  const out: Rec[] = [];
  const running: ReturnType<ReadPlan<Rec>['next']>[] = [];
  let requests = 0;
  let overflows = 0;
  while (!plan.finished) {
    for (let p = plan.next(); p; p = running.length < 4 ? plan.next() : undefined) running.push(p);
    const piece = order === 'fifo' ? running.shift() : running.pop();
    if (piece) {
      requests++;
      const inRange = times.filter((t) => t > piece.from && t <= piece.to);
      if (inRange.length > cap && requests > 1) overflows++;
      plan.complete(piece, inRange.slice(0, cap).map((t) => ({ _time: new Date(t).toISOString(), v: t })), inRange.length > cap);
    }
    for (const page of plan.takeReady()) out.push(...page);
  }
  return { out, requests, overflows, progress: plan.progress() };
}

test('the plan returns every record exactly once and in order, whatever order answers arrive in', () => {
  fc.assert(fc.property(
    fc.uniqueArray(fc.integer({ min: 1, max: 100_000 }), { maxLength: 600 }),
    fc.integer({ min: 2, max: 50 }),
    fc.constantFrom<'fifo' | 'lifo'>('fifo', 'lifo'),
    (raw, cap, order) => {
      const times = [...raw].sort((a, b) => a - b);
      const { out } = drain(times, 0, 100_000, cap, order);
      assert.deepEqual(out.map((r) => r.v), times);
    },
  ), { numRuns: 150 });
});

test('records exactly at a piece boundary land once: from is exclusive, to inclusive', () => {
  // Every millisecond holds a record, so every boundary the plan chooses has a record on it.
  const times = Array.from({ length: 1000 }, (_, i) => i + 1);
  const { out } = drain(times, 0, 1000, 7);
  assert.deepEqual(out.map((r) => r.v), times);
  // A record exactly at `from` of the whole range is outside it; one exactly at `to` is inside.
  const edge = drain([10, 20, 30], 10, 30, 2);
  assert.deepEqual(edge.out.map((r) => r.v), [20, 30]);
});

test('regularly spaced records take one request per page (pieces aimed just below the cap), and the estimate converges', () => {
  // 40,000 records every 10 ms: 20 pages. The first answer covers 2000 records; the rest is cut into pieces of 1990.
  const times = Array.from({ length: 40_000 }, (_, i) => i * 10 + 5);
  const { out, requests, overflows, progress } = drain(times, 0, 400_000, 2000);
  assert.equal(out.length, 40_000);
  assert.equal(overflows, 0);
  assert.equal(requests, 21);
  assert.equal(progress.estimatedTotal, 40_000);
});

test('evenly spaced records never overflow a piece aimed one record below the cap, whatever their period and phase', () => {
  fc.assert(fc.property(fc.integer({ min: 1, max: 5000 }), fc.double({ min: 0, max: 1, noNaN: true }), fc.integer({ min: 1, max: 30_000 }),
    (period, phase, count) => {
      const first = Math.floor(phase * period) + 1;
      const times = Array.from({ length: count }, (_, i) => first + i * period);
      const { out, requests, overflows } = drain(times, 0, times.at(-1)! + period, 2000);
      assert.equal(out.length, count);
      assert.equal(overflows, 0);
      assert.ok(requests <= Math.ceil(count / 2000) + 1, `${requests} requests for ${count} records`);
    }), { numRuns: 60 });
});

test('irregular records get pieces aimed lower, so that their ups and downs rarely overflow one', () => {
  // Poisson-like arrivals (exponential gaps, seeded): a window expected to hold 2000 varies by about ±45.
  let seed = 7;
  const random = () => ((seed = (seed * 16807) % 2147483647) / 2147483647);
  const times: number[] = [];
  for (let t = 0, i = 0; i < 100_000; i++) times.push((t += Math.max(1, Math.round(-Math.log(random()) * 20))));
  const { out, requests, overflows } = drain(times, 0, times.at(-1)!, 2000);
  assert.equal(out.length, 100_000);
  // Aimed like the regular data's (1990 records), 11 of the 50 pieces overflow and each costs another request.
  assert.ok(overflows <= 2, `${overflows} pieces overflowed`);
  assert.ok(requests <= 56, `${requests} requests for 50 pages' worth`);
});

test('an answer outside the piece or out of order stops the read instead of duplicating', () => {
  const plan = new ReadPlan<Rec>(0, 1000);
  const piece = plan.next();
  assert.ok(piece);
  assert.throws(() => plan.complete(piece, [{ _time: new Date(0).toISOString(), v: 0 }], false), /outside the requested range/);
  const plan2 = new ReadPlan<Rec>(0, 1000);
  const p2 = plan2.next();
  assert.ok(p2);
  const t = new Date(5).toISOString();
  assert.throws(() => plan2.complete(p2, [{ _time: t, v: 5 }, { _time: t, v: 5 }], false), /out of order or repeated/);
  const plan3 = new ReadPlan<Rec>(0, 1000);
  const p3 = plan3.next();
  assert.ok(p3);
  assert.throws(() => plan3.complete(p3, [], true), /no records but a Link to more \(1970-01-01T00:00:00\.000Z, 1970-01-01T00:00:01\.000Z\]; the read stopped/);
});

test('record times without a zone are UTC, as MindSphere means them, also where the machine runs on local time', (t) => {
  const zone = process.env.TZ;
  process.env.TZ = 'America/New_York'; // Date.parse would read zone-less times 5 hours later here
  t.after(() => {
    if (zone === undefined) delete process.env.TZ;
    else process.env.TZ = zone;
  });
  const from = Date.parse('2026-01-01T00:00:00Z');
  const plan = new ReadPlan<Rec>(from, from + 1000);
  const piece = plan.next();
  assert.ok(piece);
  plan.complete(piece, [{ _time: '2026-01-01T00:00:00.500', v: 1 }], false);
  assert.deepEqual(plan.takeReady().flat().map((r) => r.v), [1]);
  const a = (starttime: string) => ({ starttime, endtime: starttime });
  assert.deepEqual(mergeInOrder([[a('2026-01-01T03:00:00Z')], [a('2026-01-01T00:00:00'), a('2026-01-01T04:00:00')]]).map((x) => x.starttime),
    ['2026-01-01T03:00:00Z', '2026-01-01T04:00:00'], 'the interval at 00:00 UTC is before 03:00Z, so it is a repeat');
});

test('the retry policy: which failures, how long, and Retry-After first', () => {
  for (const s of [429, 500, 502, 503, 504]) assert.ok(isRetryableStatus(s), String(s));
  for (const s of [400, 401, 403, 404, 409, 412]) assert.ok(!isRetryableStatus(s), String(s));
  assert.equal(parseRetryAfter('3', 0), 3);
  assert.equal(parseRetryAfter(new Date(10_000).toUTCString(), 4_000), 6);
  assert.equal(parseRetryAfter('soon', 0), undefined);
  const p = DEFAULT_RETRY_POLICY;
  assert.equal(backoffMs(1, p, undefined, () => 0), p.baseDelayMs / 2);
  assert.equal(backoffMs(3, p, undefined, () => 1), p.baseDelayMs * 4);
  assert.equal(backoffMs(30, p, undefined, () => 1), p.maxDelayMs);
  assert.ok(backoffMs(1, p, 2, () => 0.5) >= 2000, 'never sooner than Retry-After');
  const reset = new TypeError('fetch failed', { cause: Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' }) });
  assert.equal(networkErrorCode(reset), 'ECONNRESET');
  assert.equal(networkErrorCode(new Error('plain')), undefined);
});

test('a port fetch refuses to connect to (browsers block it) fails at once, saying so, instead of being retried as a reset', async () => {
  let attempts = 0;
  const counting: typeof fetch = (input, init) => {
    attempts++;
    return fetch(input, init);
  };
  const client = createClient({ connection: { name: 'x', tokenUrl: 'http://127.0.0.1:6000/oauth/token', clientId: 'a', clientSecret: 'b' }, fetch: counting });
  await assert.rejects(client.token(), (e: unknown) => e instanceof MindSphereError && /BLOCKED_PORT.*browsers block; use another port/.test(e.message));
  assert.equal(attempts, 1);
});

test('aggregate chunks respect the unit caps and tile the range', () => {
  assert.deepEqual(intervalOf('minute', 2), { stepMs: 120_000, chunkMs: 86_400_000 });
  assert.deepEqual(intervalOf('hour', 1), { stepMs: 3_600_000, chunkMs: 7 * 86_400_000 });
  assert.throws(() => intervalOf('minute', 3), /minute intervals of 2–60 \(even numbers only\), not 3/);
  assert.throws(() => intervalOf('days', 1), /'days' is not an Aggregates v4 interval unit: use one of minute, hour, day, week, month/);
  const from = Date.parse('2026-01-01T00:00:00Z');
  const to = Date.parse('2026-01-03T12:00:00Z');
  const chunks = planAggregateChunks(from, to, intervalOf('minute', 30).chunkMs);
  assert.deepEqual(chunks.map((c) => [new Date(c.from).toISOString(), new Date(c.to).toISOString()]), [
    ['2026-01-01T00:00:00.000Z', '2026-01-02T00:00:00.000Z'],
    ['2026-01-02T00:00:00.000Z', '2026-01-03T00:00:00.000Z'],
    ['2026-01-03T00:00:00.000Z', '2026-01-03T12:00:00.000Z'],
  ]);
  const a = (s: string) => ({ starttime: s, endtime: s });
  assert.deepEqual(mergeInOrder([[a('2026-01-01T00:00:00Z'), a('2026-01-01T01:00:00Z')], [a('2026-01-01T01:00:00Z'), a('2026-01-01T02:00:00Z')]])
    .map((x) => x.starttime), ['2026-01-01T00:00:00Z', '2026-01-01T01:00:00Z', '2026-01-01T02:00:00Z']);
});

test('times: ISO (no zone = UTC, as MindSphere), now, relative; ranges must move forward', () => {
  const now = Date.parse('2026-03-01T12:00:00Z');
  assert.equal(toEpochMs('2026-03-01T00:00:00', 'from', now), Date.parse('2026-03-01T00:00:00Z'));
  assert.equal(toEpochMs('2026-03-01', 'from', now), Date.parse('2026-03-01T00:00:00Z'));
  assert.equal(toEpochMs('2026-03-01T01:00:00+01:00', 'from', now), Date.parse('2026-03-01T00:00:00Z'));
  assert.equal(toEpochMs('-24h', 'from', now), now - 86_400_000);
  assert.equal(toEpochMs('now', 'to', now), now);
  assert.throws(() => toEpochMs('yesterday', 'start time (from)', now), /start time \(from\) 'yesterday' is not a time/);
  assert.throws(() => toRange('2026-03-02', '2026-03-01', now), /is not before the end time/);
});

test('a sleep longer than a timer can hold waits (at most 2^31-1 ms) instead of firing at once', async () => {
  const controller = new AbortController();
  const slept = sleep(2 ** 40, controller.signal).then(() => 'woke', () => 'aborted');
  const early = await Promise.race([slept, new Promise((r) => setTimeout(() => r('still asleep'), 50))]);
  controller.abort();
  assert.equal(early, 'still asleep');
  assert.equal(await slept, 'aborted');
});

test('times beyond what a Date holds, and plans of absurd size, are refused with a clear error', () => {
  const now = Date.parse('2026-03-01T12:00:00Z');
  assert.throws(() => toEpochMs('-99999999999d', 'start time (from)', now), /start time \(from\) '-99999999999d' is too far from today to be a time/);
  assert.throws(() => toEpochMs(9e15, 'end time (to)', now), InputError);
  assert.throws(() => toRange('-99999999999d', 'now', now), /start time \(from\)/);
  const { chunkMs } = intervalOf('minute', 2);
  assert.throws(() => planAggregateChunks(0, 20_000 * chunkMs, chunkMs), /would take 20,000 requests of at most 24 hours each.*Narrow the range or choose a longer interval/);
  assert.equal(planAggregateChunks(0, 10_000 * chunkMs, chunkMs).length, 10_000);
  // A dense first page over centuries plans a bounded number of pieces; full ones are cut again later.
  assert.ok(cutRange(0, 1e13, 1000, 2000).length <= 10_000);
});

test('Link relation types are read as RFC 8288 has them: a token or a quoted, space-separated list', () => {
  for (const yes of ['<http://x/a>; rel="next"', '<http://x/a>; rel=next', '<http://x/a>; rel="prev next"', '<http://x/p>; rel=prev, <http://x/n>;rel="NEXT"',
    '<http://x/a>; title="x; rel=prev"; rel="next"']) assert.ok(hasNextLink(yes), yes);
  for (const no of [null, '', '<http://x/a>; rel="prev"', '<http://x/a>; rel="next-page"', '<http://x/a;rel=next>; rel=prev',
    '<http://x/a>; title="; rel=next"']) assert.ok(!hasNextLink(no), String(no));
});

test('a split read starts the next request once an answer is in, while that answer is parsed, never more than the bound in flight', async () => {
  // Six pieces and at most two requests in flight. The test decides when each answer comes and when its parsing ends.
  const pieces = [0, 1, 2, 3, 4, 5];
  const ended = new Set<number>();
  let emitted = 0;
  const plan: PieceSource<number, number> = {
    next: () => pieces.shift(),
    *takeReady() {
      while (ended.has(emitted)) yield emitted++;
    },
    get finished() {
      return emitted === 6;
    },
  };
  const reads = new Map<number, { answer: () => void; endParsing: () => void }>();
  let inFlight = 0;
  let most = 0;
  const read = (piece: number, received: () => void) => new Promise<void>((resolve) => {
    most = Math.max(most, ++inFlight);
    reads.set(piece, {
      answer: () => {
        inFlight--;
        received();
      },
      endParsing: () => {
        ended.add(piece);
        resolve();
      },
    });
  });
  const pages: number[] = [];
  const reading = (async () => {
    for await (const page of readPieces(plan, read, 2, () => undefined)) pages.push(page);
  })();
  const turn = () => new Promise((resolve) => setImmediate(resolve));
  await turn();
  assert.deepEqual([...reads.keys()], [0, 1]);
  reads.get(0)!.answer(); // in, not parsed yet: the next piece goes out now
  await turn();
  assert.deepEqual([...reads.keys()], [0, 1, 2]);
  reads.get(0)!.endParsing();
  for (let piece = 1; piece < 6; piece++) {
    reads.get(piece)!.answer();
    await turn();
    reads.get(piece)!.endParsing();
  }
  await reading;
  assert.equal(most, 2);
  assert.deepEqual(pages, [0, 1, 2, 3, 4, 5]);
});
