// Data Hub OData through the client and the CLI, against the sandbox over real HTTP: typed rows, reads past 2000 by
// next links and by splitting the time range (identical to a plain next-link walk), errors as MindSphereError, next
// links to another host refused, and `mdsp-makers odata`.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { CliIO } from '../../src/cli/io';
import { main } from '../../src/cli/main';
import { CLIENT_ERROR_CODES, type ClientOptions, createClient, MindSphereError, timestampBounds } from '../../src/client';
import { formatDataHubTime } from '../../src/core/lint/rules/helpers';
import { parseIsoTime } from '../../src/core/time';
import { type Harness, harness, type Reply } from './sandbox/helpers';

const APP = 'mdsp_makers01';
const PLANT = `/odata/${APP}`;

/** Every object of a query by following @odata.nextLink with plain fetch: the reference the client must match. */
async function walk(h: Harness, path: string, filter: string): Promise<unknown[]> {
  const rows: unknown[] = [];
  let r: Reply = await h.get(`${path}?$filter=${encodeURIComponent(filter)}`);
  for (;;) {
    assert.equal(r.status, 200, r.text);
    rows.push(...r.json.value);
    const next = r.json['@odata.nextLink'] as string | undefined;
    if (!next) return rows;
    r = await h.get(new URL(next).pathname + new URL(next).search);
  }
}

function clientOf(h: Harness, options: Partial<ClientOptions> = {}) {
  return createClient({ connection: { name: 'sandbox', tokenUrl: h.sb.tokenUrl, clientId: h.sb.clientId, clientSecret: h.sb.clientSecret }, fetch, ...options });
}

/** A fetch that gives each Data Hub page the next link `rewrite` makes of the server's (and counts those pages). */
function nextLinkRewriter(rewrite: (link: string | undefined, url: string) => string | undefined) {
  let requests = 0;
  const rewriting: typeof fetch = async (input, init) => {
    const response = await fetch(input, init);
    if (!String(input).includes('/odata/')) return response;
    requests++;
    const body = JSON.parse(await response.text()) as { '@odata.nextLink'?: string };
    const link = rewrite(body['@odata.nextLink'], String(input));
    if (link === undefined) delete body['@odata.nextLink'];
    else body['@odata.nextLink'] = link;
    return new Response(JSON.stringify(body), { status: response.status, headers: response.headers });
  };
  return { fetch: rewriting, requests: () => requests };
}

describe('the client', () => {
  let h: Harness;
  let pump: string;
  before(async () => {
    h = await harness();
    pump = (await clientOf(h).odata.queryEntitySet(APP, 'Assets', { filter: "typeId eq 'makers01.Pump'", top: 1 })).rows[0]!.assetId;
  });
  after(() => h.close());

  test('queryEntitySet returns typed rows of each kind, and the count when asked', async () => {
    const c = clientOf(h);
    const assets = await c.odata.queryEntitySet({ applicationName: APP }, 'Assets', { filter: "endswith(typeId,'Motor')", count: true });
    assert.equal(assets.count, assets.rows.length);
    assert.ok(assets.rows.length > 0 && assets.rows.every((a) => a.typeId === 'makers01.Motor' && /^[0-9a-f]{32}$/.test(a.assetId)));
    const ts = await c.odata.queryEntitySet(APP, 'TS_Vibration_Vibration_Pump', {
      filter: `assetId eq '${pump}' and timestamp gt '2024-03-01T00:00:00' and timestamp le '2024-03-01T00:00:10'`, select: 'timestamp,Velocity' });
    assert.equal(ts.rows.length, 10);
    assert.deepEqual(Object.keys(ts.rows[0]!), ['timestamp', 'Velocity']);
    const aggr = await c.odata.queryEntitySet(APP, 'AGGR_Vibration_Vibration_Pump', {
      filter: `assetId eq '${pump}' and intervalUnit eq 'minutes' and intervalValue eq 5 and aggregationType eq 'maxvalue' and timestamp gt '2024-03-01T00:00:00' and timestamp le '2024-03-01T00:10:00'` });
    assert.deepEqual(aggr.rows.map((r) => [r.variableName, r.timestamp]), [
      ['Acceleration', '2024-03-01T00:05:00'], ['Temperature', '2024-03-01T00:05:00'], ['Velocity', '2024-03-01T00:05:00'],
      ['Acceleration', '2024-03-01T00:10:00'], ['Temperature', '2024-03-01T00:10:00'], ['Velocity', '2024-03-01T00:10:00']]);
    assert.ok(aggr.rows.every((r) => typeof r.value === 'number' && r.intervalValue === 5 && r.intervalCount === 2));
    assert.ok((await c.odata.entitySets(APP)).includes('AGGR_Vibration_Vibration_Pump'));
    assert.match(await c.odata.metadata(APP), /<EntityContainer Name="mdsp_makers01">/);
  });

  test('a bounded time-series read past 2000 is split into concurrent pieces, identical to following next links', async () => {
    const filter = `assetId eq '${pump}' and timestamp gt '2024-03-01T00:00:00' and timestamp le '2024-03-01T03:00:00'`;
    const reference = await walk(h, `${PLANT}/TS_Flow_Flow_Pump`, filter);
    const before = h.events.length;
    const progress: number[] = [];
    const result = await clientOf(h).odata.queryEntitySet(APP, 'TS_Flow_Flow_Pump', { filter, onProgress: (p) => progress.push(p.rows) });
    assert.deepEqual(result.rows, reference);
    assert.ok(reference.length > 10_000);
    const reads = h.events.slice(before).filter((e) => e.route.startsWith('GET /odata/'));
    assert.ok(reads.length >= 6 && reads.length <= 10, `${reads.length} requests`);
    assert.equal(result.requests, reads.length);
    assert.equal(progress.at(-1), reference.length);
    // Descending order cannot be split: the client follows the next links instead, and gets the same objects.
    const desc = await clientOf(h).odata.queryEntitySet(APP, 'TS_Flow_Flow_Pump', { filter, orderby: 'timestamp desc' });
    assert.deepEqual(desc.rows, [...reference].reverse());
  });

  test('when one second holds more than a response, the client reads that second to its end through next links', async () => {
    // 1000 points a second for every pump: each second holds several thousand objects.
    const dense = await harness({ pointsPerSecond: 1000 });
    try {
      const filter = "timestamp gt '2024-03-01T00:00:00' and timestamp le '2024-03-01T00:00:02'";
      const reference = await walk(dense, `${PLANT}/TS_Flow_Flow_Pump`, filter);
      assert.ok(reference.length > 2 * 4000);
      const result = await clientOf(dense).odata.queryEntitySet(APP, 'TS_Flow_Flow_Pump', { filter, select: 'assetId,timestamp,FlowRate' });
      assert.deepEqual(result.rows, reference.map((r) => {
        const { assetId, timestamp, FlowRate } = r as Record<string, unknown>;
        return { assetId, timestamp, FlowRate };
      }));
    } finally {
      await dense.close();
    }
  });

  test('responses that end early without objects (a server limit) are followed, and the split read still gets everything', async (t) => {
    // A Data Hub that answers every piece first with an empty page and a next link, then at most 2000 objects a time,
    // with timestamps as Data Hub writes them: without a zone, meaning UTC. The local zone must not shift them.
    const zone = process.env.TZ;
    process.env.TZ = 'Asia/Kolkata';
    t.after(() => {
      if (zone === undefined) delete process.env.TZ;
      else process.env.TZ = zone;
    });
    const step = 10_000;
    const served: string[] = [];
    const server: typeof fetch = async (input, init) => {
      const url = new URL(String(input));
      if (!url.pathname.startsWith('/odata/')) return fetch(input, init);
      const range = timestampBounds(url.searchParams.get('$filter') ?? '')!;
      const token = url.searchParams.get('$skiptoken');
      served.push(token ?? 'first');
      const after = token ? Number(token) : range.from;
      const rows = [];
      for (let t = (Math.floor(after / step) + 1) * step; t <= range.to && rows.length < 2000 && token; t += step) {
        rows.push({ assetId: pump, timestamp: formatDataHubTime(t) });
      }
      const last = rows.length ? parseIsoTime(rows[rows.length - 1]!.timestamp)! : after;
      const more = !token || last + step <= range.to;
      const next = new URL(url);
      next.searchParams.set('$skiptoken', String(last));
      return Response.json({ value: rows, ...(more ? { '@odata.nextLink': next.href } : {}) });
    };
    const from = Date.parse('2024-03-01T00:00:00Z');
    const result = await clientOf(h, { fetch: server }).odata.queryEntitySet(APP, 'TS_Flow_Flow_Pump',
      { filter: "timestamp gt '2024-03-01T00:00:00' and timestamp le '2024-03-02T00:00:00'" });
    assert.equal(result.rows.length, 8640);
    assert.deepEqual(result.rows.map((r) => parseIsoTime(r.timestamp)), Array.from({ length: 8640 }, (_, i) => from + (i + 1) * step));
    assert.ok(served.filter((s) => s === 'first').length > 1, 'the range was split');
  });

  test('refused queries are MindSphereErrors with the status, the code and the unsupported part', async () => {
    await assert.rejects(clientOf(h).odata.queryEntitySet(APP, 'TS_Flow_Flow_Pump', { filter: "timestamp ge '2024-03-01T00:00:00'" }), (e: unknown) => {
      assert.ok(e instanceof MindSphereError);
      assert.equal(e.status, 400);
      assert.equal(e.code, 'mdsp.core.generic.invalidParameter');
      assert.match(e.message, /^MindSphere refused GET \/odata\/mdsp_makers01\/TS_Flow_Flow_Pump \(400\): \$filter: MindSphere does not allow 'ge' on timestamp/);
      return true;
    });
    await assert.rejects(clientOf(h).odata.queryEntitySet('mdsp_nobody', 'Assets'), (e: unknown) => e instanceof MindSphereError && e.status === 404);
  });

  test('a next link that points to another host is not followed: the token goes to the gateway only', async () => {
    const visited: string[] = [];
    const tampering: typeof fetch = async (input, init) => {
      const url = String(input);
      visited.push(new URL(url).host);
      const response = await fetch(input, init);
      if (!url.includes('/odata/')) return response;
      const body = (await response.text()).replace(/http:\/\/127\.0\.0\.1:\d+/g, 'http://attacker.example');
      return new Response(body, { status: response.status, headers: response.headers });
    };
    const filter = `assetId eq '${pump}' and timestamp gt '2024-03-01T00:00:00' and timestamp le '2024-03-01T01:00:00'`;
    await assert.rejects(clientOf(h, { fetch: tampering }).odata.queryEntitySet(APP, 'TS_Flow_Flow_Pump', { filter, orderby: 'timestamp desc' }),
      (e: unknown) => e instanceof MindSphereError && e.code === CLIENT_ERROR_CODES.invalidResponse && /points to http:\/\/attacker\.example/.test(e.message));
    assert.ok(!visited.includes('attacker.example'));
  });

  test('next links that go round stop the read with an error instead of reading the same pages for ever', async () => {
    let firstLink: string | undefined;
    // Every page links to the second page, so the second links to itself, as with a server's broken skip token.
    const looping = nextLinkRewriter((link) => (link ? (firstLink ??= link) : undefined));
    const filter = `assetId eq '${pump}' and timestamp gt '2024-03-01T00:00:00' and timestamp le '2024-03-01T03:00:00'`;
    await assert.rejects(clientOf(h, { fetch: looping.fetch }).odata.queryEntitySet(APP, 'TS_Flow_Flow_Pump', { filter, orderby: 'timestamp desc' }),
      (e: unknown) => e instanceof MindSphereError && e.code === CLIENT_ERROR_CODES.invalidResponse && /already requested/.test(e.message));
    assert.equal(looping.requests(), 2, 'the first page and the second: its link, already followed, was not');
  });

  test('a first page whose next link is its own URL is not read twice', async () => {
    const selfLinking = nextLinkRewriter((_link, url) => url);
    const pages: unknown[] = [];
    await assert.rejects(async () => {
      for await (const page of clientOf(h, { fetch: selfLinking.fetch }).odata.stream(APP, 'Assets', {})) pages.push(page);
    }, (e: unknown) => e instanceof MindSphereError && /leads to a page this read has already requested/.test(e.message));
    assert.equal(selfLinking.requests(), 1);
    assert.equal(pages.length, 1, 'the first page was given once');
  });

  test('stopping a stream early stops reading', async () => {
    const c = clientOf(h);
    const before = h.events.length;
    for await (const page of c.odata.stream(APP, 'TS_Flow_Flow_Pump', { filter: `assetId eq '${pump}' and timestamp gt '2024-03-01T00:00:00' and timestamp le '2024-03-02T00:00:00'`, orderby: 'timestamp desc' })) {
      assert.equal(page.length, 2000);
      break;
    }
    assert.equal(h.events.slice(before).filter((e) => e.route.startsWith('GET /odata/')).length, 1);
  });
});

describe('mdsp-makers odata', () => {
  let h: Harness;
  before(async () => {
    h = await harness();
  });
  after(() => h.close());

  async function run(argv: string[]) {
    let stdout = '';
    let stderr = '';
    const io: CliIO = { stdout: (s) => void (stdout += s), stderr: (s) => void (stderr += s), cwd: process.cwd(), signal: new AbortController().signal,
      env: { MDSP_TOKEN_URL: h.sb.tokenUrl, MDSP_CLIENT_ID: h.sb.clientId, MDSP_CLIENT_SECRET: h.sb.clientSecret } };
    const code = await main(argv, io);
    assert.ok(!`${stdout}${stderr}`.includes(h.sb.clientSecret), 'the secret leaked');
    return { code, stdout, stderr };
  }

  test('lists the entity sets of a service, named by application name or contract name', async () => {
    const byApp = await run(['odata', APP]);
    assert.equal(byApp.code, 0, byApp.stderr);
    assert.match(byApp.stdout, /^Assets\nTS_PowerConsumption_PrimaryMotor_CNGTurbine\nAGGR_PowerConsumption_PrimaryMotor_CNGTurbine\n/);
    assert.equal((await run(['odata', 'Plant'])).stdout, byApp.stdout);
  });

  test('reads an entity set past 2000 objects as CSV, JSON or NDJSON, with the count on stderr', async () => {
    const csv = await run(['odata', 'Plant', 'TS_Flow_Flow_Pump', '--filter', "timestamp gt '2024-03-01T00:00:00' and timestamp le '2024-03-01T00:05:00'",
      '--select', 'assetId,timestamp,Pressure', '--format', 'csv', '--quiet']);
    assert.equal(csv.code, 0, csv.stderr);
    const lines = csv.stdout.trim().split('\n');
    assert.equal(lines[0], 'assetId,timestamp,Pressure');
    assert.ok(lines.length - 1 > 2000, `${lines.length - 1} objects`);
    assert.match(lines[1]!, /^[0-9a-f]{32},2024-03-01T00:00:00(\.\d{3})?,\d+(\.\d+)?$/);
    const json = await run(['odata', APP, 'Assets', '--filter', "typeId eq 'makers01.Motor'", '--count']);
    const motors = JSON.parse(json.stdout) as { typeId: string }[];
    assert.ok(motors.length > 0 && motors.every((m) => m.typeId === 'makers01.Motor'));
    assert.equal(json.stderr, `@odata.count: ${motors.length}\n`);
    const ndjson = await run(['odata', APP, 'Assets', '--top', '3', '--format', 'ndjson']);
    assert.equal(ndjson.stdout.trim().split('\n').length, 3);
  });

  test('a refused query exits 1 with the MindSphere error on stderr and nothing on stdout', async () => {
    const r = await run(['odata', APP, 'TS_Flow_Flow_Pump', '--orderby', 'Pressure']);
    assert.equal(r.code, 1);
    assert.equal(r.stdout, '');
    assert.match(r.stderr, /MindSphere refused GET \/odata\/mdsp_makers01\/TS_Flow_Flow_Pump \(400\): \$orderby=Pressure: .*\(Data Hub limitation 8\.7\)/);
    const usage = await run(['odata']);
    assert.equal(usage.code, 2);
    assert.match(usage.stderr, /missing <contract>/);
  });
});
