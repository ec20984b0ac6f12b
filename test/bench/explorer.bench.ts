// Benchmark of issue 7: how fast the explorer shows the first page of a node with 2,000 children in a 10,000-asset
// tenant (target: under 300 ms), through the same ExplorerModel and client the extension uses, against the sandbox on
// loopback and with 50 ms of latency per request (a WAN round trip). Also: "Load more…" (the next page), every page of
// the node, and a "Find Asset…" search. The sandboxes run in child processes, so their CPU is not counted as ours.
// Prints Markdown on stdout (appended to bench/RESULTS.md by `npm run bench -- explorer`), progress on stderr.
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { cpus, loadavg } from 'node:os';
import { createInterface } from 'node:readline';
import { createClient } from '../../src/client';
import { ExplorerModel } from '../../src/host/explorer/model';
import type { AssetNode, ExplorerNode, LoadMoreNode } from '../../src/host/explorer/nodes';
import { widenFirstArea } from '../vscode/ui/tenant';

const ASSETS = 10_000;
const WIDE = 2000;
const RUNS = 15;
const log = (line: string) => process.stderr.write(`${line}\n`);

interface Sandbox { child: ChildProcess; url: string; tokenUrl: string; clientId: string; clientSecret: string }

async function startSandboxProcess(latencyMs: number): Promise<Sandbox> {
  const script = `import('./src/sandbox/index.ts').then((m) => (m.startSandbox ?? m.default.startSandbox)({ port: 0, seed: 'bench', assets: ${ASSETS}, latencyMs: ${latencyMs} }))
    .then((sb) => console.log(JSON.stringify({ url: sb.url, tokenUrl: sb.tokenUrl, clientId: sb.clientId, clientSecret: sb.clientSecret })));`;
  const child = spawn(process.execPath, ['--import', 'tsx', '-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
  const [line] = (await once(createInterface({ input: child.stdout! }), 'line')) as [string];
  return { child, ...(JSON.parse(line) as Omit<Sandbox, 'child'>) };
}

interface Stats { median: number; p95: number; max: number }

function stats(values: number[]): Stats {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
  return { median: at(0.5), p95: at(0.95), max: sorted.at(-1)! };
}

async function time<T>(task: () => Promise<T>): Promise<[T, number]> {
  const started = performance.now();
  const result = await task();
  return [result, performance.now() - started];
}

interface Row { latencyMs: number; firstPage: Stats; firstPageItems: number; loadMore: Stats; allPagesMs: number; pages: number; find: Stats; findHits: number }

async function measure(latencyMs: number): Promise<Row> {
  const sandbox = await startSandboxProcess(latencyMs);
  try {
    const client = createClient({ connection: { name: 'bench', tokenUrl: sandbox.tokenUrl, clientId: sandbox.clientId, clientSecret: sandbox.clientSecret }, fetch: globalThis.fetch });
    log(`latency ${latencyMs} ms: adding ${WIDE} children to one area…`);
    const areaId = (await widenFirstArea(sandbox, 'makers01.Pump', WIDE)).area.assetId;
    const model = new ExplorerModel({ id: 'bench', name: 'Bench', sandbox: false }, async () => client.assets);
    const area = await model.locate(areaId); // warms the token, the root, the asset types
    const firstPage: number[] = [];
    const loadMore: number[] = [];
    let children: ExplorerNode[] = [];
    for (let i = 0; i < RUNS; i++) {
      model.refresh(area); // a cold expansion each time: nothing of this node is cached
      let ms: number;
      [children, ms] = await time(() => model.children(area));
      firstPage.push(ms);
      const more = children.at(-1) as LoadMoreNode;
      if (more.kind !== 'loadMore') throw new Error('no "Load more…" node after the first page');
      loadMore.push((await time(() => model.loadMore(more)))[1]);
    }
    const assets = children.filter((n): n is AssetNode => n.kind === 'asset').length;
    model.refresh(area);
    const [pages, allPagesMs] = await time(async () => {
      let count = 1;
      for (let nodes = await model.children(area); nodes.at(-1)?.kind === 'loadMore'; nodes = await model.children(area), count++) {
        await model.loadMore(nodes.at(-1) as LoadMoreNode);
      }
      return count;
    });
    const find: number[] = [];
    let findHits = 0;
    for (const text of ['pump', 'Sensor 01', 'turbine l-1', 'Motor M-12', 'nothing like this']) {
      const [page, ms] = await time(() => model.search(text));
      find.push(ms);
      findHits += page.totalElements;
    }
    return { latencyMs, firstPage: stats(firstPage), firstPageItems: assets, loadMore: stats(loadMore), allPagesMs, pages, find: stats(find), findHits };
  } finally {
    sandbox.child.kill();
  }
}

async function main(): Promise<void> {
  const rows = [await measure(0), await measure(50)];
  const f = (n: number) => n.toFixed(1);
  const s = (x: Stats) => `${f(x.median)} / ${f(x.p95)} / ${f(x.max)}`;
  console.log(`### Explorer: a node with ${WIDE.toLocaleString('en')} children in a ${ASSETS.toLocaleString('en')}-asset sandbox tenant (target: first page < 300 ms)\n`);
  console.log(`${RUNS} cold expansions per row (median / p95 / max, ms); ExplorerModel + client in this process, the sandbox in a child process; ${cpus().length} CPUs, load average ${loadavg()[0]!.toFixed(2)}.\n`);
  console.log('| latency per request | first page (items) | Load more… (next 200) | all pages of the node | Find Asset… (5 searches) |');
  console.log('| --- | --- | --- | --- | --- |');
  for (const r of rows) {
    console.log(`| ${r.latencyMs} ms | ${s(r.firstPage)} (${r.firstPageItems}) | ${s(r.loadMore)} | ${f(r.allPagesMs)} ms for ${r.pages} pages | ${s(r.find)} |`);
  }
}

main().then(() => process.exit(0), (error: unknown) => {
  console.error(error);
  process.exit(1);
});
