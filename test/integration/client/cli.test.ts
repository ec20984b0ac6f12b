import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { once } from 'node:events';
import { chmod, lstat, mkdir, mkdtemp, readdir, readFile, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { CliIO } from '../../../src/cli/io';
import { progressBar, writeOutput } from '../../../src/cli/credentials';
import { main } from '../../../src/cli/main';
import { fakeTenant, findPump, json, sandbox, type TestSandbox } from './helpers';

let dir: string;
let t: TestSandbox;
let pump: { assetId: string; aspect: string };
let env: NodeJS.ProcessEnv;

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'mdsp-cli-'));
  t = await sandbox();
  pump = await findPump(t.client());
  env = { MDSP_TOKEN_URL: t.sb.tokenUrl, MDSP_CLIENT_ID: t.sb.clientId, MDSP_CLIENT_SECRET: t.sb.clientSecret };
});
after(async () => {
  await t.close();
  await rm(dir, { recursive: true, force: true });
});

/** Runs the CLI in-process, capturing what it prints. */
async function run(argv: string[], options: { env?: NodeJS.ProcessEnv; signal?: AbortSignal } = {}) {
  let stdout = '';
  let stderr = '';
  const io: CliIO = {
    stdout: (s) => void (stdout += s),
    stderr: (s) => void (stderr += s),
    env: options.env ?? env,
    cwd: dir,
    signal: options.signal ?? new AbortController().signal,
  };
  const code = await main(argv, io);
  // Whatever happened, the client secret is never printed.
  assert.ok(!stdout.includes(t.sb.clientSecret) && !stderr.includes(t.sb.clientSecret), 'the secret leaked');
  return { code, stdout, stderr };
}

test('assets: a table, a tree and JSON, from the environment\'s credentials or --sandbox', async () => {
  const table = await run(['assets']);
  assert.equal(table.code, 0, table.stderr);
  assert.match(table.stdout, /^name\s+assetId\s+typeId\s+parentId\n-+/);
  assert.equal(table.stdout.trim().split('\n').length, 2 + 40);
  const tree = await run(['assets', '--tree', '--sandbox']);
  assert.equal(tree.code, 0, tree.stderr);
  assert.match(tree.stdout, /\n(│ {3}| {4})*(├── |└── )\S.*\(makers01\.\w*Pump, [0-9a-f]{32}\)/);
  const json = await run(['assets', '--filter', '{"typeId":{"endsWith":"Pump"}}', '--format', 'json']);
  const pumps = JSON.parse(json.stdout) as { typeId: string }[];
  assert.ok(pumps.length > 0 && pumps.every((p) => p.typeId.endsWith('Pump')));
});

test('bad arguments are usage errors with exit code 2 and a message that says what to do', async () => {
  const badJson = await run(['assets', '--filter', '{typeId:']);
  assert.equal(badJson.code, 2);
  assert.match(badJson.stderr, /--filter is not valid JSON .*Asset Management filters are JSON such as/);
  assert.match(badJson.stderr, /Usage: mdsp-makers assets/);
  assert.equal((await run(['assets', '--format', 'xml'])).code, 2);
  assert.equal((await run(['assets', '--frobnicate'])).code, 2);
  const noAspect = await run(['timeseries', pump.assetId]);
  assert.equal(noAspect.code, 2);
  assert.match(noAspect.stderr, /missing <aspect>/);
  const badTime = await run(['timeseries', pump.assetId, pump.aspect, '--from', 'yesterday']);
  assert.equal(badTime.code, 2);
  assert.match(badTime.stderr, /start time \(from\) 'yesterday' is not a time/);
  const badUnit = await run(['aggregates', pump.assetId, pump.aspect, '--unit', 'minute', '--value', '3', '--from', '-1h']);
  assert.equal(badUnit.code, 2);
  assert.match(badUnit.stderr, /minute intervals of 2–60 \(even numbers only\), not 3/);
  const unknownAspect = await run(['timeseries', pump.assetId, 'Nope', '--from', '-1h']);
  assert.equal(unknownAspect.code, 1, 'as the server\'s 404 in aggregates: the command line was well formed');
  assert.doesNotMatch(unknownAspect.stderr, /Usage:/);
  assert.match(unknownAspect.stderr, /has no aspect 'Nope' \(its aspects: .*Vibration/);
  const unknownAspectJson = await run(['timeseries', pump.assetId, 'Nope', '--from', '-1h', '--format', 'json']);
  assert.equal(unknownAspectJson.code, 1, 'the same mistake, the same exit code in every format');
  const unknownAggregates = await run(['aggregates', pump.assetId, 'Nope', '--from', '-1h']);
  assert.equal(unknownAggregates.code, 1);
  assert.match(unknownAggregates.stderr, /\(404\): .*has no aspect 'Nope'/);
  assert.match(unknownAspectJson.stderr, /has no aspect 'Nope' \(its aspects: .*Vibration/);
});

test('missing or wrong credentials say so clearly', async () => {
  const none = await run(['types'], { env: {} });
  assert.equal(none.code, 2);
  assert.match(none.stderr, /no MindSphere credentials: MDSP_TOKEN_URL, MDSP_CLIENT_ID, MDSP_CLIENT_SECRET are not set\. .*--sandbox/);
  const wrong = await run(['types'], { env: { ...env, MDSP_CLIENT_SECRET: 'wrong-secret-123' } });
  assert.equal(wrong.code, 1);
  assert.equal(wrong.stderr, `MindSphere refused the token request (401): the client secret does not match the client ID '${t.sb.clientId}' (or the client ID is unknown to this tenant). Check the binding keys, or create new ones in the Service Management Dashboard. [code: invalid_client]\n`);
  assert.ok(!wrong.stderr.includes('wrong-secret-123'));
  const plainHttp = await run(['types'], { env: { ...env, MDSP_TOKEN_URL: 'http://makers01.piam.eu1.mindsphere.io/oauth/token' } });
  assert.equal(plainHttp.code, 2);
  assert.match(plainHttp.stderr, /unencrypted/);
});

test('types lists asset types with aspects and aspect types with variables', async () => {
  const r = await run(['types']);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /^Asset types \(\d+\)\n/);
  assert.match(r.stdout, /Vibration: makers01\.Vibration/);
  assert.match(r.stdout, /makers01\.Vibration\s+dynamic\s+Velocity DOUBLE \[mm\/s\]/);
  const json = JSON.parse((await run(['types', '--format', 'json'])).stdout) as { assetTypes: unknown[]; aspectTypes: unknown[] };
  assert.ok(json.assetTypes.length > 0 && json.aspectTypes.length > 0);
});

test('timeseries: CSV with the aspect\'s columns into a file, JSON and NDJSON on stdout, past the cap', async () => {
  const range = ['--from', '2025-03-01T00:00:00Z', '--to', '2025-03-01T01:00:00Z'];
  await writeFile(join(dir, 'out.csv'), 'keep me\n');
  const csv = await run(['timeseries', pump.assetId, pump.aspect, ...range, '--out', 'out.csv']);
  assert.equal(csv.code, 0, csv.stderr);
  const lines = (await readFile(join(dir, 'out.csv'), 'utf8')).trimEnd().split('\n');
  assert.equal(lines[0], '_time,Velocity,Velocity_qc,Acceleration,Acceleration_qc,Temperature,Temperature_qc');
  const count = lines.length - 1;
  assert.ok(count > 2000, `${count} records: more than one page`);
  assert.match(csv.stderr, new RegExp(`Wrote ${count} records to out\\.csv\\.`));

  const ndjson = await run(['timeseries', pump.assetId, pump.aspect, ...range, '--format', 'ndjson', '--select', 'Temperature', '--quiet']);
  const records = ndjson.stdout.trimEnd().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
  assert.equal(records.length, count);
  assert.deepEqual(Object.keys(records[0]!).sort(), ['Temperature', 'Temperature_qc', '_time']);
  assert.equal(ndjson.stderr, '');

  const json = await run(['timeseries', pump.assetId, pump.aspect, '--from', '2025-03-01T00:00:00Z', '--to', '2025-03-01T00:00:05Z', '--format', 'json']);
  assert.equal((JSON.parse(json.stdout) as unknown[]).length, 5);
});

test('a failed read leaves an existing output file as it was', async () => {
  await writeFile(join(dir, 'keep.csv'), 'previous data\n');
  const r = await run(['timeseries', pump.assetId, pump.aspect, '--select', 'NoSuchVariable', '--from', '-1h', '--out', 'keep.csv']);
  assert.equal(r.code, 1);
  assert.match(r.stderr, /\(400\): Property with name NoSuchVariable does not belong to property set with name Vibration!/);
  assert.equal(await readFile(join(dir, 'keep.csv'), 'utf8'), 'previous data\n');
  assert.deepEqual((await readdir(dir)).filter((f) => f.includes('.partial-')), [], 'no partial file is left behind');
  // On stdout nothing comes before the first answer, not even the opening '[' of a JSON array.
  const json = await run(['timeseries', pump.assetId, pump.aspect, '--select', 'NoSuchVariable', '--from', '-1h', '--format', 'json']);
  assert.equal(json.code, 1);
  assert.equal(json.stdout, '');
});

test('--out writes through a symbolic link to its target, keeps the permission bits, and into a FIFO without replacing it',
  { skip: process.platform === 'win32' && 'FIFOs and modes are POSIX' }, async () => {
    const args = ['timeseries', pump.assetId, pump.aspect, '--from', '2025-03-01T00:00:00Z', '--to', '2025-03-01T00:00:05Z'];
    const target = join(dir, 'data', 'private.csv');
    await mkdir(join(dir, 'data'));
    await writeFile(target, 'old\n');
    await chmod(target, 0o600);
    await symlink(join('data', 'private.csv'), join(dir, 'latest.csv'));
    const linked = await run([...args, '--out', 'latest.csv']);
    assert.equal(linked.code, 0, linked.stderr);
    assert.ok((await lstat(join(dir, 'latest.csv'))).isSymbolicLink(), 'the link is still a link');
    assert.equal((await readFile(target, 'utf8')).trimEnd().split('\n').length, 6, 'the header and 5 records, in the linked file');
    assert.equal((await stat(target)).mode & 0o777, 0o600, 'still readable by its owner only');

    const fifo = join(dir, 'pipe.csv');
    execFileSync('mkfifo', [fifo]);
    const reader = spawn('cat', [fifo]);
    const closed = once(reader, 'close'); // listened for now: cat may be done before the command returns
    try {
      let received = '';
      reader.stdout.setEncoding('utf8').on('data', (s: string) => void (received += s));
      const piped = await run([...args, '--out', 'pipe.csv']);
      assert.equal(piped.code, 0, piped.stderr);
      assert.ok((await lstat(fifo)).isFIFO(), 'the FIFO is still a FIFO');
      await closed;
      assert.equal(received.trimEnd().split('\n').length, 6, 'the reader got the header and 5 records');
    } finally {
      reader.kill();
    }
    assert.deepEqual((await readdir(dir, { recursive: true })).filter((f) => f.includes('.partial-')), []);
  });

test('--out /dev/stdout into a pipe (as with --out >(gzip > x.gz)) writes into the pipe', { skip: process.platform !== 'linux' && 'Linux /proc links' },
  async () => {
    // Through sh, so the command's stdout is a pipe (node's own child stdio is a socket, which /dev/stdout cannot open).
    const child = spawn('sh', ['-c', '"$0" "$@" | cat', process.execPath, '--import', 'tsx', 'src/cli/main.ts', 'timeseries', pump.assetId,
      pump.aspect, '--from', '2025-03-01T00:00:00Z', '--to', '2025-03-01T00:00:05Z', '--out', '/dev/stdout'],
    { cwd: join(__dirname, '../../..'), env: { ...process.env, ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (s: string) => void (stdout += s));
    child.stderr.setEncoding('utf8').on('data', (s: string) => void (stderr += s));
    const [code] = (await once(child, 'close')) as [number | null];
    assert.equal(code, 0, stderr);
    assert.equal(stdout.trimEnd().split('\n').length, 6, 'the header and 5 records');
  });

test('contracts publish reads a UTF-16 contract file (PowerShell 5\'s >) as lint does, and refuses a binary one', async () => {
  const text = await readFile(join(__dirname, '../../../examples/contracts/cng-turbines.contract.json'), 'utf8');
  await writeFile(join(dir, 'turbines.contract.json'), Buffer.from(`\uFEFF${text}`, 'utf16le'));
  const published = await run(['contracts', 'publish', 'turbines.contract.json']);
  assert.equal(published.code, 0, published.stderr);
  assert.match(published.stdout, /^Published CNG turbines 1\.0\.0 to Data Hub: /);
  await writeFile(join(dir, 'binary.contract.json'), new Uint8Array([0x7b, 0x00, 0x7d]));
  const binary = await run(['contracts', 'publish', 'binary.contract.json']);
  assert.equal(binary.code, 2);
  assert.match(binary.stderr, /^mdsp-makers contracts: cannot read binary\.contract\.json: it is binary \(it has NUL bytes and no UTF-16 byte order mark\)\.\n/);
});

test('aggregates as CSV columns per variable and field, and as a table of averages', async () => {
  const range = ['--from', '2025-02-01T00:00:00Z', '--to', '2025-02-03T00:00:00Z', '--unit', 'hour', '--value', '6'];
  const csv = await run(['aggregates', pump.assetId, pump.aspect, ...range]);
  assert.equal(csv.code, 0, csv.stderr);
  const [header, ...rows] = csv.stdout.trimEnd().split('\n');
  assert.match(header ?? '', /^starttime,endtime,Velocity\.firsttime,.*Velocity\.average/);
  assert.equal(rows.length, 8);
  const table = await run(['aggregates', pump.assetId, pump.aspect, ...range, '--format', 'table']);
  assert.match(table.stdout, /^starttime\s+endtime\s+Velocity \(avg\)\s+Acceleration \(avg\)\s+Temperature \(avg\)\n/);
});

test('token prints only the token on stdout, and a warning on stderr', async () => {
  const r = await run(['token']);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /^eyJ[\w-]+\.[\w-]+\.[\w-]+\n$/);
  assert.match(r.stderr, /^warning: this bearer token grants the access of the binding keys of makers01 until .* \(30 minutes\)\. Anyone who holds it/);
  const response = await fetch(`${t.sb.url}/api/assetmanagement/v3/assets/root`, { headers: { Authorization: `Bearer ${r.stdout.trim()}` } });
  assert.equal(response.status, 200);
});

test('proxy: adds the token, answers CORS for localhost origins only, and stops on Ctrl+C', async () => {
  const controller = new AbortController();
  let stdout = '';
  const io: CliIO = { stdout: (s) => void (stdout += s), stderr: () => {}, env, cwd: dir, signal: controller.signal };
  const exit = main(['proxy', '--port', '0'], io);
  while (!/on (http:\/\/127\.0\.0\.1:\d+)/.test(stdout)) await new Promise((r) => setTimeout(r, 20));
  const url = /on (http:\/\/127\.0\.0\.1:\d+)/.exec(stdout)![1]!;

  const root = await fetch(`${url}/api/assetmanagement/v3/assets/root`, { headers: { Origin: 'http://localhost:3000' } });
  assert.equal(root.status, 200);
  assert.equal(root.headers.get('access-control-allow-origin'), 'http://localhost:3000');
  const body = await root.text();
  assert.ok(body.includes(`${url}/api/assetmanagement/v3/assets/`), 'HAL links point back at the proxy');
  assert.ok(!body.includes(t.sb.url));

  const preflight = await fetch(`${url}/api/iottimeseries/v3/timeseries/x/y`, { method: 'OPTIONS',
    headers: { Origin: 'http://127.0.0.1:5173', 'Access-Control-Request-Method': 'PUT', 'Access-Control-Request-Headers': 'content-type' } });
  assert.equal(preflight.status, 204);
  assert.match(preflight.headers.get('access-control-allow-methods') ?? '', /PUT/);

  const foreign = await fetch(`${url}/api/assetmanagement/v3/assets/root`, { headers: { Origin: 'https://evil.example' } });
  assert.equal(foreign.status, 403);
  assert.equal(foreign.headers.get('access-control-allow-origin'), null);
  // A request whose Host is not local (DNS rebinding) is refused too.
  // (fetch cannot set Host, so node:http sends this one.)
  const rebound = await new Promise<number>((resolve, reject) => {
    request(`${url}/api/assetmanagement/v3/assets/root`, { headers: { Host: 'attacker.example' } }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    }).on('error', reject).end();
  });
  assert.equal(rebound, 403);
  // Errors of the tenant keep their status through the proxy.
  assert.equal((await fetch(`${url}/api/assetmanagement/v3/assets/${'0'.repeat(32)}`)).status, 404);

  controller.abort();
  assert.equal(await exit, 0);
});

test('times beyond the dates a computer holds, and reads of absurd size, are usage errors that name the flag', async () => {
  for (const command of ['timeseries', 'aggregates']) {
    const r = await run([command, pump.assetId, pump.aspect, '--from', '-99999999999d']);
    assert.equal(r.code, 2, `${command}: ${r.stderr}`);
    assert.match(r.stderr, /start time \(from\) '-99999999999d' is too far from today to be a time/);
  }
  const huge = await run(['aggregates', pump.assetId, pump.aspect, '--from', '1970-01-01T00:00:00Z', '--to', '2026-01-01T00:00:00Z', '--unit', 'minute', '--value', '2']);
  assert.equal(huge.code, 2, huge.stderr);
  assert.match(huge.stderr, /would take 20,454 requests of at most 24 hours each, more than the 10,000 .*Narrow the range or choose a longer interval/);
});

test('a reader that stops early (| head) ends the CLI quietly with exit code 0, not a stack trace', async () => {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'timeseries', pump.assetId, pump.aspect,
    '--from', '2025-03-01T00:00:00Z', '--to', '2025-03-02T00:00:00Z', '--quiet'], { cwd: join(__dirname, '../../..'), env: { ...process.env, ...env } });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d));
  let head = '';
  for await (const chunk of child.stdout) {
    head += chunk;
    if (head.split('\n').length > 2) break; // closes our end of the pipe, as head does
  }
  const [code] = (await once(child, 'exit')) as [number | null];
  assert.equal(stderr, '');
  assert.equal(code, 0);
});

test('Ctrl+C while the token answer stalls ends the CLI at once with "Stopped." and exit code 130', async () => {
  const tenant = await fakeTenant(() => {}, (res) => {
    res.writeHead(200, { 'Content-Type': 'application/json' });
    res.write('{"access_token":"fake-tok'); // and nothing more
  });
  try {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'assets'], { cwd: join(__dirname, '../../..'),
      env: { ...process.env, ...tenant.env } });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d));
    while (tenant.requests.length === 0) await new Promise((r) => setTimeout(r, 50));
    child.kill('SIGINT');
    // Before, the process stayed until undici's 300 s body timeout: the test's own timeout would end it.
    const [code] = (await once(child, 'exit')) as [number | null];
    assert.equal(code, 130, stderr);
    assert.match(stderr, /Stopped\./);
  } finally {
    await tenant.close();
  }
});

test('the progress bar is drawn in place on a terminal; in a log a long read gets its summary line alone', () => {
  for (const stderrIsTTY of [true, false]) {
    let err = '';
    const io: CliIO = { stdout: () => {}, stderr: (s) => void (err += s), stderrIsTTY, env, cwd: dir, signal: new AbortController().signal };
    const bar = progressBar(io, 'records');
    bar.update(2000, 10_000);
    bar.update(4000, 10_000);
    bar.done(10_000);
    const lines = err.split('\n').filter(Boolean);
    assert.equal(lines.length, 1, JSON.stringify(err));
    assert.match(lines[0]!, /10,000 records in \d+\.\d s$/);
    assert.equal(err.includes('\r['), stderrIsTTY, stderrIsTTY ? 'a bar on the terminal' : 'no bar in a log');
  }
  let short = '';
  const bar = progressBar({ stdout: () => {}, stderr: (s) => void (short += s), env, cwd: dir, signal: new AbortController().signal }, 'records');
  bar.update(10, 10);
  bar.done(10);
  assert.equal(short, '', 'a read of one page prints nothing extra');
});

test('output to stdout waits for it to drain between pages', async () => {
  let release: () => void = () => {};
  let written = '';
  const io: CliIO = { stdout: (s) => void (written += s), stderr: () => {}, env, cwd: dir, signal: new AbortController().signal,
    drained: () => new Promise<void>((resolve) => (release = resolve)) };
  let done = false;
  const write = writeOutput(io, undefined, async (w) => {
    await w('page 1\n');
    await w('page 2\n');
  }).then(() => (done = true));
  await new Promise((r) => setTimeout(r, 20));
  assert.equal(written, 'page 1\n', 'the second page waits until stdout has drained');
  release();
  await new Promise((r) => setTimeout(r, 20));
  release();
  await write;
  assert.ok(done);
  assert.equal(written, 'page 1\npage 2\n');
});

test('timeseries CSV with --select keeps the quality code column of each selected variable, without a warning', async () => {
  const r = await run(['timeseries', pump.assetId, pump.aspect, '--from', '2025-03-01T00:00:00Z', '--to', '2025-03-01T00:00:05Z', '--select', 'Temperature,Velocity']);
  assert.equal(r.code, 0, r.stderr);
  const lines = r.stdout.trimEnd().split('\n');
  assert.equal(lines[0], '_time,Temperature,Temperature_qc,Velocity,Velocity_qc');
  assert.equal(lines.length, 6);
  assert.ok(lines.slice(1).every((l) => l.split(',').length === 5 && l.split(',').every(Boolean)), lines.join('\n'));
  assert.equal(r.stderr, '');
});

test('assets as a table or tree show control characters in names as escapes', async () => {
  const tenant = await fakeTenant((_req, res) => json(res, { _embedded: { assets: [{ assetId: 'a1', name: 'evil\nname\u001b[31mRED', typeId: 't' }] },
    page: { size: 200, totalElements: 1, totalPages: 1, number: 0 } }));
  try {
    for (const args of [['assets'], ['assets', '--tree']]) {
      const r = await run(args, { env: tenant.env });
      assert.equal(r.code, 0, r.stderr);
      // eslint-disable-next-line no-control-regex -- looking for control characters is the point
      assert.ok(!/[\x00-\x09\x0b-\x1f\x7f]/.test(r.stdout), JSON.stringify(r.stdout));
      assert.match(r.stdout, /evil\\nname\\x1b\[31mRED/);
    }
  } finally {
    await tenant.close();
  }
});

test('--out naming a folder, an empty --out and an empty --port are usage errors before anything is read', async () => {
  const before = t.events.length;
  for (const command of ['timeseries', 'aggregates']) {
    const folder = await run([command, pump.assetId, pump.aspect, '--from', '-1h', '--out', '.']);
    assert.equal(folder.code, 2, folder.stderr);
    assert.match(folder.stderr, /--out \. is a folder; give the name of a file to write/);
    const empty = await run([command, pump.assetId, pump.aspect, '--from', '-1h', '--out=']);
    assert.equal(empty.code, 2, empty.stderr);
    assert.match(empty.stderr, /--out needs a file name/);
    assert.equal(empty.stdout, '');
  }
  const missing = await run(['timeseries', pump.assetId, pump.aspect, '--out', 'no/such/folder/x.csv']);
  assert.equal(missing.code, 2, missing.stderr);
  assert.match(missing.stderr, /the folder .*no\/such\/folder does not exist/);
  assert.equal(t.events.length, before, 'nothing was asked of the tenant');
  for (const port of ['', ' 80', '0x10', '70000']) {
    const r = await run(['proxy', `--port=${port}`]);
    assert.equal(r.code, 2, `--port '${port}': ${r.stderr}`);
    assert.match(r.stderr, /--port must be a port number from 0 to 65535/);
  }
});
