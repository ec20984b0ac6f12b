// Runs every node:test suite outside the real VS Code: test/unit and test/integration (the sandbox over loopback HTTP).
// TypeScript runs through tsx; node's own runner prints the summary (`# pass N`, `# fail N`) at the end.
// usage: node scripts/run-node-tests.mjs [dir-or-file ...]   (default: test/unit test/integration)
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const roots = process.argv.slice(2).length ? process.argv.slice(2) : ['test/unit', 'test/integration'];
const files = [];
const walk = (p) => {
  if (statSync(p).isDirectory()) for (const e of readdirSync(p).sort()) walk(join(p, e));
  else if (/\.test\.ts$/.test(p)) files.push(p);
};
for (const r of roots) if (existsSync(r)) walk(r);
if (files.length === 0) {
  console.error('no test files found under', roots.join(', '));
  process.exit(1);
}
// The proxy variables would route the loopback tests through a proxy (the Siemens SDK ignores no_proxy).
const env = { ...process.env };
for (const k of ['http_proxy', 'https_proxy', 'HTTP_PROXY', 'HTTPS_PROXY']) delete env[k];
const reporter = process.env.TEST_REPORTER ?? (process.stdout.isTTY ? 'spec' : 'tap');
const r = spawnSync(process.execPath, ['--import', 'tsx', '--test', `--test-reporter=${reporter}`,
  '--test-concurrency=2', ...files], { stdio: 'inherit', env });
process.exit(r.status ?? 1);
