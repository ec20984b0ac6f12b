// `npm run bench`: runs every benchmark under test/bench/ (files named *.bench.ts) and appends what each prints to
// bench/RESULTS.md, with the date, the machine and the command that produced it.
// A benchmark prints Markdown (a heading line and a table) on stdout; progress goes to stderr.
// usage: node scripts/bench.mjs [name-filter]
import { spawnSync } from 'node:child_process';
import { appendFileSync, existsSync, readdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';

const filter = process.argv[2];
const files = readdirSync('test/bench').filter((f) => f.endsWith('.bench.ts') && (!filter || f.includes(filter))).sort();
const results = 'bench/RESULTS.md';
if (!existsSync(results)) writeFileSync(results, '# Benchmark results\n\nAppended by `npm run bench`; newest last.\n');
if (files.length === 0) console.log('no benchmarks under test/bench/ yet');
const machine = `${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}`;
let failed = 0;
for (const f of files) {
  const command = `node --import tsx test/bench/${f}`;
  console.error(`> ${command}`);
  const r = spawnSync(process.execPath, ['--expose-gc', '--import', 'tsx', `test/bench/${f}`], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], maxBuffer: 64 << 20 });
  process.stdout.write(r.stdout);
  if (r.status !== 0) failed++;
  appendFileSync(results, `\n## ${f} — ${new Date().toISOString()}\n\nCommand: \`npm run bench -- ${f.replace(/\.bench\.ts$/, '')}\` (runs \`${command}\`) on ${machine}${r.status === 0 ? '' : ` — FAILED (exit ${r.status})`}\n\n${r.stdout.trim()}\n`);
}
process.exit(failed ? 1 : 0);
