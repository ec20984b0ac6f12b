import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { AGGREGATE_UNITS, aggregateUnitRule } from '../../src/core/limits';
import {
  checkAggregateInterval, chooseAggregateInterval, intervalMs, resolveRange, RANGE_PRESET_IDS, type TimeRange,
} from '../../src/core/timerange';

const NOW = Date.parse('2026-07-15T12:34:56.789Z');
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

function range(spec: Parameters<typeof resolveRange>[0]): TimeRange {
  const r = resolveRange(spec, NOW);
  assert.ok(r.ok, r.ok ? '' : r.error);
  return r.value;
}

test('presets end now (to the second) and reach back their length', () => {
  assert.deepEqual(range({ preset: 'hour' }), { from: Date.parse('2026-07-15T11:34:56Z'), to: Date.parse('2026-07-15T12:34:56Z') });
  assert.equal(range({ preset: 'week' }).to - range({ preset: 'week' }).from, 7 * DAY);
  assert.equal(range({ preset: '90d' }).to - range({ preset: '90d' }).from, 90 * DAY);
  assert.deepEqual(RANGE_PRESET_IDS, ['hour', 'day', 'week', '30d', '90d']);
});

test('custom ranges: ISO 8601 with or without a zone (none means UTC), short forms', () => {
  assert.deepEqual(range({ from: '2026-07-01T00:00', to: '2026-07-02T00:00:00+02:00' }),
    { from: Date.parse('2026-07-01T00:00:00Z'), to: Date.parse('2026-07-01T22:00:00Z') });
  assert.deepEqual(range({ from: '2026-07-01', to: '2026-07-01T10Z' }),
    { from: Date.parse('2026-07-01T00:00:00Z'), to: Date.parse('2026-07-01T10:00:00Z') });
});

test('bad custom ranges are refused with a message that says what to do', () => {
  const bad = resolveRange({ from: 'yesterday', to: '2026-07-02' }, NOW);
  assert.ok(!bad.ok && /'yesterday' is not a date: write it in ISO 8601/.test(bad.error));
  const feb30 = resolveRange({ from: '2026-02-30', to: '2026-03-02' }, NOW);
  assert.ok(!feb30.ok && /2026-02-30/.test(feb30.error), 'a day that does not exist');
  const swapped = resolveRange({ from: '2026-07-02', to: '2026-07-01' }, NOW);
  assert.ok(!swapped.ok && /must be before the end/.test(swapped.error));
});

test('the automatic interval: finest the v4 table allows, about one per pixel', () => {
  const choose = (ms: number, px: number) => {
    const r = chooseAggregateInterval({ from: 0, to: ms }, px);
    assert.ok(r.ok, r.ok ? '' : r.error);
    return r.value;
  };
  assert.deepEqual(choose(HOUR, 800), { unit: 'minute', value: 2 });
  assert.deepEqual(choose(DAY, 800), { unit: 'minute', value: 2 }); // 720 intervals
  assert.deepEqual(choose(DAY, 300), { unit: 'minute', value: 6 }); // 240 intervals
  assert.deepEqual(choose(7 * DAY, 800), { unit: 'hour', value: 1 }); // minutes stop at 24 h
  assert.deepEqual(choose(30 * DAY, 800), { unit: 'day', value: 1 }); // hours stop at 7 days
  assert.deepEqual(choose(90 * DAY, 60), { unit: 'day', value: 2 });
  const tooLong = chooseAggregateInterval({ from: 0, to: 91 * DAY }, 800);
  assert.ok(!tooLong.ok && /at most 90 days/.test(tooLong.error));
});

test('property: the automatic interval is always one MindSphere accepts for the range', () => {
  fc.assert(
    fc.property(fc.integer({ min: 1000, max: 90 * DAY }), fc.integer({ min: 1, max: 4000 }), (span, px) => {
      const r = chooseAggregateInterval({ from: 0, to: span }, px);
      assert.ok(r.ok);
      assert.ok(checkAggregateInterval(r.value, { from: 0, to: span }).ok, JSON.stringify(r.value));
      const chosenMs = intervalMs(r.value);
      assert.ok(Math.ceil(span / chosenMs) <= Math.min(px, 2000), 'few enough intervals for the width and one response');
      for (const rule of AGGREGATE_UNITS.value) {
        for (const value of rule.allowedValues) {
          const finer = value * rule.unitMs < chosenMs && span <= rule.maxRangeMs && Math.ceil(span / (value * rule.unitMs)) <= Math.min(px, 2000);
          assert.ok(!finer, `${value} ${rule.unit} would have been finer than ${JSON.stringify(r.value)}`);
        }
      }
    }),
    { numRuns: 300 },
  );
});

test('checking a chosen interval against the v4 table', () => {
  const day = { from: 0, to: DAY };
  assert.ok(checkAggregateInterval({ unit: 'minute', value: 4 }, day).ok);
  const odd = checkAggregateInterval({ unit: 'minute', value: 3 }, day);
  assert.ok(!odd.ok && /even numbers only/.test(odd.error) && odd.error.includes(AGGREGATE_UNITS.source));
  const long = checkAggregateInterval({ unit: 'hour', value: 1 }, { from: 0, to: 8 * DAY });
  assert.ok(!long.ok && /at most 7 days per request, and this range is 8 days/.test(long.error));
  assert.equal(intervalMs({ unit: 'hour', value: 3 }), 3 * (aggregateUnitRule('hour')?.unitMs ?? 0));
});
