// `mdsp-makers sandbox` in-process: one JSON line when ready, a working tenant behind it, a clean stop on abort (what
// SIGINT/SIGTERM do), the banner, and usage errors for bad flags.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import parseFaultsModule, { parseFaults } from '../../../src/cli/commands/sandbox';
import type { CliIO } from '../../../src/cli/io';
import { main } from '../../../src/cli/main';

function io(controller = new AbortController()) {
  const out: string[] = [];
  const err: string[] = [];
  let wake: () => void = () => {};
  const io: CliIO = {
    stdout: (t) => {
      out.push(t);
      wake();
    },
    stderr: (t) => err.push(t),
    env: {},
    cwd: process.cwd(),
    signal: controller.signal,
  };
  const printed = () => new Promise<void>((resolve) => {
    if (out.length) resolve();
    else wake = resolve;
  });
  return { io, out, err, controller, printed };
}

test('--json prints exactly one line with the connection; the tenant answers; abort stops it with exit code 0', async () => {
  const t = io();
  const running = main(['sandbox', '--json', '--port', '0', '--seed', 'cli-test'], t.io);
  await t.printed();
  assert.equal(t.out.length, 1);
  assert.match(t.out[0]!, /^\{.*\}\n$/);
  const facts = JSON.parse(t.out[0]!);
  assert.deepEqual(Object.keys(facts), ['gateway', 'tokenUrl', 'clientId', 'clientSecret', 'tenant']);
  assert.match(facts.gateway, /^http:\/\/127\.0\.0\.1:\d+$/);
  const token = await fetch(facts.tokenUrl, { method: 'POST', headers: { Authorization: `Basic ${Buffer.from(`${facts.clientId}:${facts.clientSecret}`).toString('base64')}` },
    body: 'grant_type=client_credentials' });
  assert.equal(token.status, 200);
  t.controller.abort();
  assert.equal(await running, 0);
  assert.ok(t.err.join('').includes('stopped'));
  await assert.rejects(() => fetch(facts.tokenUrl, { method: 'POST' }), /fetch failed/, 'the port is closed after the stop');
});

test('without --json a banner names gateway, token URL and credentials', async () => {
  const t = io();
  const running = main(['sandbox', '--assets', '5', '--faults', '429=0.1,retry-after=3', '--rate-limit', '100', '--token-ttl', '60'], t.io);
  await t.printed();
  t.controller.abort();
  assert.equal(await running, 0);
  const banner = t.out.join('');
  assert.match(banner, /Gateway\s+http:\/\/127\.0\.0\.1:\d+/);
  assert.match(banner, /TokenURL\s+http:\/\/127\.0\.0\.1:\d+\/oauth\/token/);
  assert.match(banner, /ClientID\s+makers01-app-v1\.0\.0-7731/);
  assert.match(banner, /Ctrl\+C/);
});

test('bad flags are usage errors (exit 2) that say what to do', async () => {
  const cases: [string[], RegExp][] = [
    [['--port', 'eighty'], /--port must be a whole number from 0 to 65535/],
    [['--assets', '0'], /--assets must be/],
    [['--faults', '404=0.1'], /KEY one of 429, 500, 503, reset, retry-after/],
    [['--faults', '500=2'], /probability from 0 to 1/],
    [['--latency', '-5'], /--latency/],
    [['--host', ''], /--host needs an address/],
    [['--data-dir', ''], /--data-dir needs a directory/],
    [['--colour'], /Unknown option '--colour'/],
  ];
  for (const [args, message] of cases) {
    const t = io();
    const code = await main(['sandbox', ...args], t.io);
    assert.equal(code, 2, args.join(' '));
    assert.match(t.err.join(''), message);
    assert.match(t.err.join(''), /Usage: mdsp-makers sandbox/);
  }
});

test('a port in use is explained', async () => {
  const first = io();
  const running = main(['sandbox', '--json'], first.io);
  await first.printed();
  const port = new URL(JSON.parse(first.out[0]!).gateway).port;
  const second = io();
  assert.equal(await main(['sandbox', '--port', port], second.io), 2);
  assert.match(second.err.join(''), new RegExp(`port ${port} on 127\\.0\\.0\\.1 is in use`));
  first.controller.abort();
  await running;
});

test('the --faults syntax', () => {
  assert.deepEqual(parseFaults('429=0.1, 500=0.05,503=0.02,reset=0.01,retry-after=2'),
    { rate429: 0.1, rate500: 0.05, rate503: 0.02, rateReset: 0.01, retryAfterSeconds: 2 });
  assert.deepEqual(parseFaults(''), {});
  assert.ok(parseFaultsModule.summary.includes('--faults'));
});
