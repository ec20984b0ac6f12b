import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { aggregateTable, RawTableBuilder, type RawTable } from '../../src/host/preview/columns';
import { exportPieces, writeInPieces } from '../../src/host/preview/export';

const T0 = Date.UTC(2026, 6, 1);
const VARIABLES = [{ name: 'Velocity', unit: 'mm/s' }, { name: 'Running', unit: '' }];

/**
 * `n` records a second apart, built as a load builds them: page by page (of 2000, as MindSphere answers), the pages in
 * the order given. Velocity has a quality code and a gap every 7th record.
 */
function raw(n: number, pageOrder: (pages: number[]) => number[] = (pages) => pages): RawTable {
  const records = Array.from({ length: n }, (_, i) => ({
    _time: new Date(T0 + i * 1000).toISOString(),
    ...(i % 7 === 3 ? {} : { Velocity: i / 10, Velocity_qc: i % 2 }),
    Running: i % 5 !== 0,
  }));
  const builder = new RawTableBuilder(VARIABLES);
  for (const p of pageOrder(Array.from({ length: Math.ceil(n / 2000) }, (_, i) => i))) builder.add(records.slice(p * 2000, (p + 1) * 2000));
  return builder.finish();
}

test('an export of many records comes in pieces that together are the file: JSON as JSON.stringify writes it, CSV a row per record', () => {
  const table = raw(12_345);
  const pieces = [...exportPieces(table, 'json')];
  assert.ok(pieces.length > 2, `${pieces.length} pieces`);
  // No piece near a string length V8 refuses: a big export never becomes one string.
  assert.ok(Math.max(...pieces.map((p) => p.length)) < 2 * 1024 * 1024);
  const json = pieces.join('');
  const records = JSON.parse(json) as Record<string, unknown>[];
  assert.equal(json, `${JSON.stringify(records, null, 1)}\n`, 'the same text as one JSON.stringify of the array');
  assert.equal(records.length, 12_345);
  assert.deepEqual(records[3], { _time: '2026-07-01T00:00:03.000Z', Running: 1 }, 'a gap leaves the value out');
  assert.deepEqual(records[4], { _time: '2026-07-01T00:00:04.000Z', Velocity: 0.4, Velocity_qc: 0, Running: 1 });
  assert.deepEqual(records[2000], { _time: '2026-07-01T00:33:20.000Z', Velocity: 200, Velocity_qc: 0, Running: 0 }, 'the first record of the second page');

  const csv = [...exportPieces(table, 'csv')].join('').split('\n');
  assert.equal(csv[0], '_time,Velocity,Velocity_qc,Running');
  assert.equal(csv[4], '2026-07-01T00:00:03.000Z,,,1');
  assert.equal(csv.length, 12_345 + 2, 'a header, a row per record, and a final newline');
  assert.equal(csv.at(-1), '');
});

test('pages that arrive out of time order still make a table in time order', () => {
  assert.deepEqual(raw(7000, (pages) => pages.reverse()), raw(7000));
});

test('an empty table exports as an empty array and as a header; intervals in Aggregates v4 shape', () => {
  assert.equal([...exportPieces(raw(0), 'json')].join(''), '[]\n');
  assert.equal([...exportPieces(raw(0), 'csv')].join(''), '_time,Velocity,Running\n');
  const table = aggregateTable([{ starttime: '2026-07-01T00:00:00Z', endtime: '2026-07-01T01:00:00Z', Velocity: { average: 1.5, countgood: 3600 } }], VARIABLES);
  const [interval] = JSON.parse([...exportPieces(table, 'json')].join('')) as Record<string, unknown>[];
  assert.deepEqual(interval, { starttime: '2026-07-01T00:00:00Z', endtime: '2026-07-01T01:00:00Z', Velocity: { average: 1.5, countgood: 3600 } });
});

test('an export goes to a file beside the target and replaces it only when complete: a cancelled one leaves the old file', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'mdsp-export-'));
  try {
    const file = join(dir, 'Pump-Flow.json');
    writeFileSync(file, 'the export of yesterday');
    const pieces = [...exportPieces(raw(20_000), 'json')];
    const progress = { report: () => undefined };
    // Cancelled after the second piece: nothing replaces the file, and no part file is left behind.
    const token = { isCancellationRequested: false };
    const cancelling = (function* () {
      for (const [i, piece] of pieces.entries()) {
        if (i === 2) token.isCancellationRequested = true;
        yield piece;
      }
    })();
    assert.equal(await writeInPieces(file, cancelling, progress, token), false);
    assert.equal(readFileSync(file, 'utf8'), 'the export of yesterday');
    assert.deepEqual(readdirSync(dir), ['Pump-Flow.json']);
    // Complete: the new export replaces it.
    assert.equal(await writeInPieces(file, pieces, progress, { isCancellationRequested: false }), true);
    assert.equal((JSON.parse(readFileSync(file, 'utf8')) as unknown[]).length, 20_000);
    assert.deepEqual(readdirSync(dir), ['Pump-Flow.json']);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
