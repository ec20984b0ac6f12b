// Benchmark of issue 3: throughput of IoT Time Series GET pages of 2000 records on loopback, measured with autocannon
// against the sandbox started in this process (autocannon's load runs in a worker thread, the server on the main one),
// and the server time per page (from the request's arrival to the response being written, via onRequest).
// Also, for the record: the first and the cached 90-day daily aggregate of one aspect, and start-up with 10,000 assets.
// Prints Markdown on stdout (appended to bench/RESULTS.md by `npm run bench -- sandbox`), progress on stderr.
import { cpus } from 'node:os';
// @ts-expect-error -- autocannon ships no type declarations; the part used here is typed below
import autocannonUntyped from 'autocannon';
import { startSandbox } from '../../src/sandbox';

interface LoadResult {
  requests: { average: number };
  throughput: { average: number };
  latency: { p50: number; p99: number };
  non2xx: number;
  errors: number;
  timeouts: number;
}
const autocannon = autocannonUntyped as (options: { url: string; headers: Record<string, string>; connections: number; duration: number;
  workers: number }) => Promise<LoadResult>;

const DURATION_S = 10;
const CONNECTIONS = 8;
const log = (line: string) => process.stderr.write(`${line}\n`);

const quantile = (sorted: readonly number[], q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? NaN;
const ms = (n: number) => n.toFixed(2);

async function main(): Promise<void> {
  const serverMs: number[] = [];
  let measuring = false;
  const sb = await startSandbox({ port: 0, onRequest: (e) => {
    if (measuring && e.route.startsWith('GET /api/iottimeseries') && e.status === 200) serverMs.push(e.durationMs);
  } });
  const basic = `Basic ${Buffer.from(`${sb.clientId}:${sb.clientSecret}`).toString('base64')}`;
  const token = ((await (await fetch(sb.tokenUrl, { method: 'POST', headers: { Authorization: basic }, body: 'grant_type=client_credentials' })).json()) as
    { access_token: string }).access_token;
  const headers = { Authorization: `Bearer ${token}` };
  const am = `${sb.url}/api/assetmanagement/v3/assets?filter=${encodeURIComponent(JSON.stringify({ typeId: 'makers01.Pump' }))}&size=1`;
  const pump = ((await (await fetch(am, { headers })).json()) as { _embedded: { assets: { assetId: string }[] } })._embedded.assets[0]!.assetId;
  // A week of Vibration (3 variables with quality codes: 7 fields per record); every response is a full page with a Link.
  const path = `/api/iottimeseries/v3/timeseries/${pump}/Vibration?from=2025-03-03T00%3A00%3A00Z&to=2025-03-10T00%3A00%3A00Z`;
  const probe = await fetch(`${sb.url}${path}`, { headers });
  const pageBytes = (await probe.arrayBuffer()).byteLength;
  if (probe.status !== 200 || !probe.headers.get('link')) throw new Error(`unexpected probe: ${probe.status}`);

  log(`warming up, then ${DURATION_S} s with ${CONNECTIONS} connections against ${sb.url}`);
  await autocannon({ url: `${sb.url}${path}`, headers, connections: CONNECTIONS, duration: 2, workers: 1 });
  measuring = true;
  const result = await autocannon({ url: `${sb.url}${path}`, headers, connections: CONNECTIONS, duration: DURATION_S, workers: 1 });
  measuring = false;
  const sorted = [...serverMs].sort((a, b) => a - b);
  const mean = sorted.reduce((s, x) => s + x, 0) / sorted.length;

  log('aggregates: 90 days of daily aggregates, cold then cached');
  const aggPath = `/api/iottsaggregates/v4/aggregates?assetId=${pump}&aspectName=PrimaryMotor&from=2024-12-01T00:00:00Z&to=2025-02-28T00:00:00Z&intervalUnit=day&intervalValue=1`;
  const timed = async () => {
    const started = performance.now();
    const r = await fetch(`${sb.url}${aggPath}`, { headers });
    await r.arrayBuffer();
    if (r.status !== 200) throw new Error(`aggregates: ${r.status}`);
    return performance.now() - started;
  };
  const cold = await timed();
  const warm = await timed();
  await sb.close();

  const bigStart = performance.now();
  const big = await startSandbox({ port: 0, assets: 10_000 });
  const bigMs = performance.now() - bigStart;
  await big.close();

  const non2xx = result.non2xx + result.errors + result.timeouts;
  console.log(`### Sandbox tenant: IoT Time Series pages of 2000 records on loopback

autocannon 9, ${CONNECTIONS} connections, ${DURATION_S} s, load in a worker thread of the same process; ${cpus().length} cores shared with the load generator.
Each page: 2000 records × 7 fields (3 variables with quality codes), ${(pageBytes / 1024).toFixed(0)} KiB of JSON, with a Link header.

| measure | value |
| --- | --- |
| pages per second (mean) | ${result.requests.average.toFixed(0)} |
| records per second | ${(result.requests.average * 2000).toFixed(0)} |
| throughput | ${(result.throughput.average / 2 ** 20).toFixed(1)} MiB/s |
| client latency p50 / p99 | ${result.latency.p50} ms / ${result.latency.p99} ms |
| server time per page, mean | ${ms(mean)} ms |
| server time per page, p50 / p90 / p99 | ${ms(quantile(sorted, 0.5))} / ${ms(quantile(sorted, 0.9))} / ${ms(quantile(sorted, 0.99))} ms |
| pages measured on the server | ${sorted.length} |
| errors, timeouts, non-2xx | ${non2xx} |
| 90 days of daily aggregates (7.8 M points × 3 variables), first request | ${ms(cold)} ms |
| the same, cached per hour bucket | ${ms(warm)} ms |
| start-up with 10,000 assets (key pair, plant) | ${ms(bigMs)} ms |
`);
  if (non2xx > 0) process.exitCode = 1;
}

main().catch((error: unknown) => {
  log(String(error instanceof Error ? error.stack : error));
  process.exit(1);
});
