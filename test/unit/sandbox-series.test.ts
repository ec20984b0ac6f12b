// The sandbox's generated time series and their overlay, without HTTP: determinism, the point grid, gaps, the merge of
// written records (replace at equal times), deleted windows skipped in one step, and both directions of the scan.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { buildPlant, signalKey } from '../../src/sandbox/plant';
import { type Fields, type Series, SeriesOverlay, scanSeries } from '../../src/sandbox/series';
import { SeriesGenerator, qualityClass } from '../../src/sandbox/signal';

const plant = buildPlant('makers', 'makers01', 40);
const vibration = plant.model.aspectTypes.get('makers01.Vibration')!;
const ASSET = 'a'.repeat(32);
const generator = (seed = 'makers') => new SeriesGenerator(seed, ASSET, 'Vibration', 1000, vibration.variables.map((v) =>
  SeriesGenerator.variable(seed, ASSET, 'Vibration', v.name, 'number', true, plant.signals.get(signalKey(vibration.id, v.name))!, 1)), 0);
const series = (overlay?: SeriesOverlay, g = generator()): Series => ({ key: 'k', aspectName: 'Vibration', variables: vibration.variables, generator: g, overlay });

function collect(s: Series, from: number, to: number, descending = false, limit = Infinity) {
  const out: { t: number; fields?: Fields }[] = [];
  const more = scanSeries(s, from, to, Infinity, descending, limit, (t, _k, fields) => {
    out.push({ t, fields });
  });
  return { out, more };
}

const T0 = Date.UTC(2024, 2, 5);

test('points sit on a per-series grid one period apart, from exclusive and to inclusive', () => {
  const g = generator();
  const { out } = collect(series(), T0, T0 + 10_000);
  assert.equal(out.length, 10);
  assert.ok(out.every((p, i) => (p.t - g.offsetMs) % 1000 === 0 && (i === 0 || p.t - out[i - 1]!.t === 1000)));
  assert.ok(out[0]!.t > T0 && out.at(-1)!.t <= T0 + 10_000);
});

test('the same seed gives the same values; another seed gives others', () => {
  const a = generator();
  const b = generator();
  const c = generator('other');
  const v = a.variables[0]!;
  const values = (g: SeriesGenerator) => Array.from({ length: 50 }, (_, k) => g.value(g.variables[0]!, k + 1e9, (k + 1e9) * 1000, g.load((k + 1e9) * 1000)));
  assert.deepEqual(values(a), values(b));
  assert.notDeepEqual(values(a), values(c));
  assert.equal(typeof a.value(v, 5, 5000, 0.5), 'number');
});

test('gaps: some hours of a month hold a silent stretch of minutes, and the scan skips it', () => {
  const g = generator();
  let silent = 0;
  for (let t = T0; t < T0 + 30 * 86_400_000; t += 60_000) if (!g.exists(t)) silent++;
  assert.ok(silent > 30 && silent < 3000, `${silent} silent minutes in 30 days`);
});

test('quality classes follow the OPC UA severity bits', () => {
  assert.equal(qualityClass(0), 'good');
  assert.equal(qualityClass(12189696), 'good');
  assert.equal(qualityClass(1083310080), 'uncertain');
  assert.equal(qualityClass(2147483648), 'bad');
  assert.equal(qualityClass(0xc0000000), 'bad');
});

test('written records replace generated ones at the same time and merge in order; deletions hide both', () => {
  const plain = collect(series(), T0, T0 + 5000).out;
  const overlay = new SeriesOverlay();
  overlay.put(plain[1]!.t, { Velocity: 1 });
  overlay.put(plain[1]!.t + 500, { Velocity: 2 });
  overlay.put(plain[1]!.t, { Velocity: 3 }); // the later write wins
  const merged = collect(series(overlay), T0, T0 + 5000).out;
  assert.equal(merged.length, 6);
  assert.deepEqual(merged[1], { t: plain[1]!.t, fields: { Velocity: 3 } });
  assert.deepEqual(merged[2], { t: plain[1]!.t + 500, fields: { Velocity: 2 } });
  assert.deepEqual(merged.map((p) => p.t), [...merged.map((p) => p.t)].sort((a, b) => a - b));

  overlay.delete(plain[0]!.t, plain[3]!.t);
  const left = collect(series(overlay), T0, T0 + 5000).out.map((p) => p.t);
  assert.deepEqual(left, [plain[0]!.t, plain[4]!.t]);
  overlay.delete(plain[2]!.t, plain[4]!.t); // overlapping windows merge
  assert.deepEqual(overlay.deletions, [[plain[0]!.t, plain[4]!.t]]);
});

test('a deleted year is skipped in one step, descending scans mirror ascending ones, limits report more', () => {
  const overlay = new SeriesOverlay();
  overlay.delete(T0 - 365 * 86_400_000, T0);
  const after = collect(series(overlay), T0 - 365 * 86_400_000 - 5000, T0 + 3000).out;
  assert.equal(after.length, 8, '5 points before the window, 3 after');
  const asc = collect(series(), T0, T0 + 20_000).out.map((p) => p.t);
  const desc = collect(series(), T0, T0 + 20_000, true).out.map((p) => p.t);
  assert.deepEqual(desc, [...asc].reverse());
  const limited = collect(series(), T0, T0 + 20_000, false, 5);
  assert.equal(limited.out.length, 5);
  assert.equal(limited.more, true);
  assert.equal(collect(series(), T0, T0 + 5000, false, 5).more, false);
});

test('many disjoint deletions: each point finds its own window', () => {
  const overlay = new SeriesOverlay();
  for (let i = 0; i < 100; i++) overlay.delete(i * 100, i * 100 + 50);
  assert.equal(overlay.deletions.length, 100);
  assert.deepEqual(overlay.deletionAt(4_520), [4_500, 4_550]);
  assert.equal(overlay.deletionAt(4_500), undefined, 'the start of a window is exclusive');
  assert.deepEqual(overlay.deletionAt(4_550), [4_500, 4_550], 'the end is inclusive');
  assert.equal(overlay.deletionAt(4_560), undefined);
  assert.equal(overlay.deletionAt(-5), undefined);
  assert.equal(overlay.touches(4_551, 4_599), false);
  assert.equal(overlay.touches(4_540, 4_560), true);
});
