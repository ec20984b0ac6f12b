// Bad input never crashes Data Hub: random query options and filters built from OData's pieces (and from arbitrary
// text) always get a 200 or a 4xx in MindSphere's error shape, never a 500 or a dropped connection.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import fc from 'fast-check';
import { type Harness, harness } from './sandbox/helpers';

let h: Harness;
before(async () => {
  // One point every 100 s: an unbounded read (a week of aggregates by default) stays quick, and proves the same.
  h = await harness({ pointsPerSecond: 0.01 });
});
after(() => h.close());

const SETS = ['Assets', 'TS_Flow_Flow_Pump', 'AGGR_Flow_Flow_Pump', "Assets('x')", 'Nope'];
const ATTRIBUTES = ['assetId', 'name', 'timestamp', 'intervalUnit', 'intervalValue', 'intervalCount', 'variableName', 'aggregationType',
  'value', 'FlowRate', 'typeId', 'description'];
const OPERATORS = ['eq', 'ne', 'gt', 'ge', 'lt', 'le', 'in', 'has'];
const VALUES = ["'2024-01-01T00:00:00'", "'2024-01-01T00:10:00'", "'minutes'", "'seconds'", "'days'", "'day'", '2', '0', '-1', "'x'", "'it''s'",
  'null', 'true', '2024-01-01T00:00:00Z', "datetime'2024-01-01T00:00:00'", '{{x}}', "'FlowRate'", "'average'", '99999999999999999999'];

const comparison = fc.oneof(
  fc.tuple(fc.constantFrom(...ATTRIBUTES), fc.constantFrom(...OPERATORS), fc.constantFrom(...VALUES)).map(([a, o, v]) => `${a} ${o} ${v}`),
  fc.tuple(fc.constantFrom('contains', 'startswith', 'endswith', 'tolower', 'length'), fc.constantFrom(...ATTRIBUTES), fc.constantFrom(...VALUES))
    .map(([f, a, v]) => `${f}(${a},${v})`),
);
const filter: fc.Arbitrary<string> = fc.letrec((tie) => ({
  node: fc.oneof({ depthSize: 'small', withCrossShrink: true }, comparison,
    fc.tuple(tie('node'), fc.constantFrom('and', 'or', 'AND'), tie('node')).map(([a, op, b]) => `${a as string} ${op} ${b as string}`),
    tie('node').map((n) => `not (${n as string})`), tie('node').map((n) => `(${n as string}`)),
})).node as fc.Arbitrary<string>;

/** Mostly valid values, sometimes a broken one: both paths must hold. */
const mostly = (valid: string[], broken: string[]) =>
  fc.oneof({ arbitrary: fc.constantFrom(...valid), weight: 4 }, { arbitrary: fc.constantFrom(...broken), weight: 1 });

const options = fc.record({
  $filter: fc.oneof({ arbitrary: filter, weight: 4 }, { arbitrary: fc.string({ maxLength: 40 }), weight: 1 }),
  $orderby: mostly(['timestamp desc', 'timestamp', 'name'], ['value,timestamp', 'timestamp sideways', '']),
  $top: mostly(['1', '10', '2001'], ['-3', 'x']),
  $skip: mostly(['0', '5'], ['1e3']),
  $select: mostly(['assetId', '*'], ['nope', '']),
  $count: mostly(['true', 'false'], ['maybe']),
  $skiptoken: mostly(['1704067200000.3'], ['1.2.3', '12']),
}, { requiredKeys: [] });

test('random Data Hub queries get a 200 or a 4xx with a message, never a 500', async () => {
  await fc.assert(fc.asyncProperty(mostly(SETS.slice(0, 3), SETS.slice(3)), options, async (set, query) => {
    const qs = new URLSearchParams(Object.entries(query)).toString().replace(/\+/g, '%20');
    const r = await h.get(`/odata/mdsp_makers01/${encodeURIComponent(set)}?${qs}`);
    assert.ok(r.status === 200 || (r.status >= 400 && r.status < 500), `${r.status} for ${set}?${qs}: ${r.text.slice(0, 300)}`);
    if (r.status !== 200) assert.ok(typeof r.json?.errors?.[0]?.message === 'string' && r.json.errors[0].message.length > 10, r.text);
  }), { numRuns: 150, seed: 6 });
});
