// --data-dir under failure: a journal append or a tenant.json save that fails (disk full) loses nothing that was
// answered 2xx and keeps nothing that was answered 500; a journal with unreadable lines says so; a tenant.json with
// broken items is moved aside; one directory serves one sandbox at a time; bad directories are refused.
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { appendFileSync, existsSync, mkdirSync, readdirSync, readFileSync, rmdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { startSandbox } from '../../../src/sandbox';
import { AM, firstOfType, harness, qs, TS, withDataDir } from './helpers';

/** The one record at `time` of a series path, or undefined. */
async function recordAt(h: Awaited<ReturnType<typeof harness>>, path: string, time: string): Promise<unknown> {
  const r = await h.get(`${path}?${qs({ from: new Date(Date.parse(time) - 1).toISOString(), to: time })}`);
  assert.equal(r.status, 200, r.text);
  return (r.json as { _time: string }[]).find((record) => record._time === new Date(time).toISOString());
}

const hasPrlimit = spawnSync('prlimit', ['--version']).status === 0;

test('a journal append that fails half-way (file size limit, as on a full disk) is cut off: later writes survive a restart',
  { skip: !hasPrlimit && 'needs prlimit (util-linux)' }, withDataDir(async (dir) => {
    const first = await harness({ dataDir: dir });
    const path = `${TS}/${(await firstOfType(first, 'Pump')).assetId}/Flow`;
    assert.equal((await first.call('PUT', path, { body: [{ _time: '2032-01-01T00:00:00Z', FlowRate: 1 }] })).status, 204);
    const size = statSync(join(dir, 'timeseries.jsonl')).size;
    const batch = Array.from({ length: 50 }, (_, i) => ({ _time: new Date(Date.UTC(2032, 0, 2, 0, i)).toISOString(), FlowRate: i }));
    execFileSync('prlimit', ['--pid', String(process.pid), `--fsize=${size + 100}:unlimited`]);
    try {
      assert.equal((await first.call('PUT', path, { body: batch })).status, 500, 'the batch does not fit');
    } finally {
      execFileSync('prlimit', ['--pid', String(process.pid), '--fsize=unlimited:unlimited']);
    }
    assert.equal(await recordAt(first, path, '2032-01-02T00:00:00Z'), undefined, 'a write answered 500 is not in the tenant');
    assert.equal((await first.call('PUT', path, { body: [{ _time: '2032-01-03T00:00:00Z', FlowRate: 3 }] })).status, 204);
    await first.close();
    const lines = readFileSync(join(dir, 'timeseries.jsonl'), 'utf8').split('\n');
    assert.deepEqual(lines.map((line) => line === '' || JSON.parse(line) !== undefined), lines.map(() => true), 'every line is whole');

    const second = await harness({ dataDir: dir });
    try {
      assert.deepEqual(await recordAt(second, path, '2032-01-01T00:00:00Z'), { _time: '2032-01-01T00:00:00.000Z', FlowRate: 1 });
      assert.deepEqual(await recordAt(second, path, '2032-01-03T00:00:00Z'), { _time: '2032-01-03T00:00:00.000Z', FlowRate: 3 },
        'the write after the failed one survives the restart');
      assert.equal(await recordAt(second, path, '2032-01-02T00:00:00Z'), undefined);
    } finally {
      await second.close();
    }
  }));


/** A pump of the seed plant (the same in every sandbox started with the default seed). */
async function seedPump(): Promise<string> {
  const probe = await harness();
  try {
    return (await firstOfType(probe, 'Pump')).assetId;
  } finally {
    await probe.close();
  }
}

test('replay names unreadable journal lines; a torn last line goes quietly, and only once', withDataDir(async (dir) => {
  const asset = await seedPump();
  const put = (time: string, value: number) => JSON.stringify({ put: `${asset}/Flow`, records: [[Date.parse(time), { FlowRate: value }]] });
  writeFileSync(join(dir, 'timeseries.jsonl'),
    `${put('2032-02-01T00:00:00Z', 1)}\n{"put":"garbled\n${put('2032-02-02T00:00:00Z', 2)}\n{"delete":5}\n${put('2032-02-03T00:00:00Z', 3).slice(0, 30)}`);
  const logs: string[] = [];
  const first = await harness({ dataDir: dir, log: (line) => logs.push(line) });
  const path = `${TS}/${asset}/Flow`;
  try {
    assert.deepEqual(logs.filter((l) => /unreadable/.test(l)).map((l) => l.replace(/^.*timeseries\.jsonl: /, '')),
      ['2 unreadable lines skipped (lines 2, 4); the data written there is missing from the tenant.']);
    assert.deepEqual(await recordAt(first, path, '2032-02-01T00:00:00Z'), { _time: '2032-02-01T00:00:00.000Z', FlowRate: 1 });
    assert.deepEqual(await recordAt(first, path, '2032-02-02T00:00:00Z'), { _time: '2032-02-02T00:00:00.000Z', FlowRate: 2 });
    assert.equal((await first.call('PUT', path, { body: [{ _time: '2032-02-04T00:00:00Z', FlowRate: 4 }] })).status, 204);
  } finally {
    await first.close();
  }
  logs.length = 0;
  const second = await harness({ dataDir: dir, log: (line) => logs.push(line) });
  try {
    assert.match(logs.find((l) => /unreadable/.test(l)) ?? '', /2 unreadable lines skipped \(lines 2, 4\)/, 'the torn line never becomes an unreadable one');
    assert.deepEqual(await recordAt(second, path, '2032-02-04T00:00:00Z'), { _time: '2032-02-04T00:00:00.000Z', FlowRate: 4 });
  } finally {
    await second.close();
  }
}));

test('the journal is read in pieces (lines across them, UTF-8 split between them); one that cannot be read is named', withDataDir(async (dir) => {
  const asset = await seedPump();
  // Lines of odd lengths with two-byte characters: some line and some character straddle every 1 MiB boundary.
  const start = Date.UTC(2032, 2, 1);
  const lines = Array.from({ length: 3000 }, (_, i) =>
    JSON.stringify({ put: `${asset}/Flow`, records: [[start + i * 1000, { FlowRate: i, Mode: 'ä'.repeat(500 + (i % 7)) }]] }));
  writeFileSync(join(dir, 'timeseries.jsonl'), `${lines.join('\n')}\n`);
  const h = await harness({ dataDir: dir });
  try {
    const r = await h.get(`${TS}/${asset}/Flow?${qs({ from: new Date(start - 1).toISOString(), to: new Date(start + 3_000_000).toISOString(), select: 'FlowRate,Mode' })}`);
    const written = (r.json as { FlowRate: number; Mode?: string }[]).filter((record) => record.Mode?.startsWith('ä'));
    assert.equal(written.length, 2000, 'a full page of written records');
    assert.ok(written.every((record, i) => record.FlowRate === i && record.Mode === 'ä'.repeat(500 + (i % 7))));
  } finally {
    await h.close();
  }
  rmSync(join(dir, 'timeseries.jsonl'));
  mkdirSync(join(dir, 'timeseries.jsonl'));
  await assert.rejects(startSandbox({ port: 0, dataDir: dir }), /timeseries\.jsonl could not be read: EISDIR/);
}));

test('a change whose tenant.json save fails is answered 500 and taken back: a retry does not repeat it, a later save does not keep it',
  withDataDir(async (dir) => {
    const first = await harness({ dataDir: dir });
    const pump = await firstOfType(first, 'Pump');
    const parentId = (await first.get(`${AM}/assets/${pump.assetId}`)).json.parentId as string;
    mkdirSync(join(dir, 'tenant.json')); // the rename of the new file onto tenant.json fails
    const create = { name: 'Spare Pump', typeId: 'makers01.Pump', parentId };
    assert.equal((await first.call('POST', `${AM}/assets`, { body: create })).status, 500);
    assert.equal((await first.call('POST', `${AM}/assets`, { body: create })).status, 500, 'the retry fails the same way');
    const renamed = await first.call('PATCH', `${AM}/assets/${pump.assetId}`,
      { body: { name: 'Renamed' }, headers: { 'If-Match': String(pump.etag), 'Content-Type': 'application/merge-patch+json' } });
    assert.equal(renamed.status, 500);
    const spares = () => first.get(`${AM}/assets?${qs({ filter: JSON.stringify({ name: 'Spare Pump' }) })}`);
    assert.equal((await spares()).json._embedded, undefined, 'no asset was created');
    const now = await first.get(`${AM}/assets/${pump.assetId}`);
    assert.equal(now.json.name, pump.name);
    assert.equal(now.json.etag, pump.etag, 'the asset is as it was');
    assert.deepEqual(readdirSync(dir).filter((f) => f.endsWith('.part')), [], 'no temporary file is left');

    rmdirSync(join(dir, 'tenant.json')); // space again
    const described = await first.call('PATCH', `${AM}/assets/${pump.assetId}`,
      { body: { description: 'checked' }, headers: { 'If-Match': String(pump.etag), 'Content-Type': 'application/merge-patch+json' } });
    assert.equal(described.status, 200, described.text);
    assert.equal((await spares()).json._embedded, undefined);
    await first.close();
    const second = await harness({ dataDir: dir });
    try {
      assert.equal((await second.get(`${AM}/assets?${qs({ filter: JSON.stringify({ name: 'Spare Pump' }) })}`)).json._embedded, undefined);
      const kept = await second.get(`${AM}/assets/${pump.assetId}`);
      assert.equal(kept.json.name, pump.name);
      assert.equal(kept.json.description, 'checked');
    } finally {
      await second.close();
    }
  }));

test('a tenant.json whose items break the model (missing fields, unknown types or parents) is moved aside; the tenant starts from the seed',
  withDataDir(async (dir) => {
    const first = await harness({ dataDir: dir });
    const root = (await first.get(`${AM}/assets/root`)).json.assetId as string;
    assert.equal((await first.call('POST', `${AM}/assets`, { body: { name: 'X', typeId: 'makers01.Pump', parentId: root } })).status, 201);
    await first.close();
    const saved = readFileSync(join(dir, 'tenant.json'), 'utf8');
    type State = { assets: Record<string, unknown>[]; aspectTypes: Record<string, unknown>[]; assetTypes: Record<string, unknown>[] };
    const x = (s: State) => s.assets.find((a) => a.name === 'X')!;
    const variants: [string, (s: State) => void, RegExp][] = [
      ['asset of an unknown type', (s) => void (x(s).typeId = 'makers01.Nope'), /asset '\w+' is of an unknown type/],
      ['asset variables null', (s) => void (x(s).variables = null), /asset '\w+' has no list of variables/],
      ['asset of an unknown parent', (s) => void (x(s).parentId = 'f'.repeat(32)), /asset '\w+' has an unknown parent/],
      ['aspect type without variables', (s) => void delete s.aspectTypes.find((t) => t.id === 'makers01.Flow')!.variables,
        /aspect type 'makers01.Flow' has no list of variables/],
      ['asset type with an unknown aspect type', (s) => void ((s.assetTypes.find((t) => t.id === 'makers01.Pump')!.aspects as { aspectTypeId: string }[])[0]!.aspectTypeId = 'makers01.Nope'),
        /asset type 'makers01.Pump' has an aspect without a name or of an unknown aspect type/],
    ];
    for (const [name, mutate, message] of variants) {
      const state = JSON.parse(saved) as State;
      mutate(state);
      writeFileSync(join(dir, 'tenant.json'), JSON.stringify(state));
      for (const f of readdirSync(dir).filter((f) => f.includes('.unreadable-'))) rmSync(join(dir, f));
      const logs: string[] = [];
      const h = await harness({ dataDir: dir, log: (line) => logs.push(line) });
      try {
        assert.equal(readdirSync(dir).filter((f) => f.startsWith('tenant.json.unreadable-')).length, 1, name);
        assert.match(logs.join('\n'), message, name);
        const names = (await h.get(`${AM}/assets?size=200`)).json._embedded.assets.map((a: { name: string }) => a.name) as string[];
        assert.ok(!names.includes('X'), `${name}: the seeded plant`);
      } finally {
        await h.close();
      }
      rmSync(join(dir, 'tenant.json'), { force: true });
    }
  }));

test('one data directory serves one sandbox: a second is refused naming the process; a lock of a process that is gone is taken over',
  withDataDir(async (dir) => {
    const first = await harness({ dataDir: dir });
    try {
      await assert.rejects(startSandbox({ port: 0, dataDir: dir }), new RegExp(`in use by the sandbox of process ${process.pid}`));
      assert.match(readFileSync(join(dir, '.lock'), 'utf8'), new RegExp(`^${process.pid}( \\d+)?$`), 'the refused start leaves the lock alone');
    } finally {
      await first.close();
    }
    assert.equal(existsSync(join(dir, '.lock')), false, 'close releases the lock');
    const gone = spawnSync(process.execPath, ['-e', '']).pid!; // a process that has ended
    writeFileSync(join(dir, '.lock'), String(gone));
    const second = await harness({ dataDir: dir });
    try {
      assert.match(readFileSync(join(dir, '.lock'), 'utf8'), new RegExp(`^${process.pid}( \\d+)?$`));
    } finally {
      await second.close();
    }
  }));

test('a lock whose process id now belongs to another process (a restarted container) is taken over', { skip: !existsSync('/proc/self/stat') && 'needs /proc' },
  withDataDir(async (dir) => {
    // This process's id with a start time it does not have: the lock was taken by an earlier process with the same id.
    writeFileSync(join(dir, '.lock'), `${process.pid} 1`);
    const h = await harness({ dataDir: dir });
    const taken = readFileSync(join(dir, '.lock'), 'utf8');
    try {
      assert.notEqual(taken, `${process.pid} 1`);
      await assert.rejects(startSandbox({ port: 0, dataDir: dir }), new RegExp(`in use by the sandbox of process ${process.pid}`),
        'the lock with the right start time holds');
      assert.equal(readFileSync(join(dir, '.lock'), 'utf8'), taken);
    } finally {
      await h.close();
    }
  }));

test('a data directory that is empty or names a file is refused', withDataDir(async (dir) => {
  await assert.rejects(startSandbox({ port: 0, dataDir: '' }), /dataDir must name a directory/);
  const file = join(dir, 'plain-file');
  appendFileSync(file, 'x');
  await assert.rejects(startSandbox({ port: 0, dataDir: file }), new RegExp(`${file} is not a directory`));
}));
