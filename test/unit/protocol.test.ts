import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { PREVIEW_VIEW_TYPE, type SeriesQuery, type WebviewToHost } from '../../src/protocol/preview';
import { parseWebviewMessage, savedStateSchema } from '../../src/protocol/preview-schema';

const assetId = '0123456789abcdef0123456789abcdef';
const query: SeriesQuery = { assetId, aspect: 'Vibration', variables: ['Velocity'], range: { preset: 'day' }, mode: 'raw',
  interval: 'auto', fields: ['average'] };

function reason(message: unknown): string {
  const r = parseWebviewMessage(message);
  assert.ok(!r.ok, `expected ${JSON.stringify(message)} to be refused`);
  return r.reason;
}

test('every message the webview sends parses', () => {
  const messages: WebviewToHost[] = [
    { type: 'ready' },
    { type: 'listAspects', requestId: 1, assetId },
    { type: 'load', requestId: 2, query, widthPx: 800, reason: 'load' },
    { type: 'load', requestId: 3, query: { ...query, mode: 'aggregate', interval: { unit: 'minute', value: 2 },
      range: { from: '2026-07-01T00:00', to: '2026-07-02T00:00' }, fields: ['average', 'minmax', 'sum', 'count'] }, widthPx: 1, reason: 'zoom' },
    { type: 'cancel', requestId: 2 },
    { type: 'export', format: 'csv' },
    { type: 'export', format: 'json' },
    { type: 'copyRequest', query },
  ];
  for (const m of messages) assert.deepEqual(parseWebviewMessage(m), { ok: true, message: m });
  assert.equal(PREVIEW_VIEW_TYPE, 'mdsp.preview');
});

test('anything else is refused with the field that is wrong', () => {
  assert.match(reason({ type: 'delete' }), /^type: /);
  assert.match(reason({ type: 'ready', extra: 1 }), /Unrecognized key/, 'no unknown fields');
  assert.match(reason({ type: 'listAspects', requestId: -1, assetId }), /^requestId:/);
  assert.match(reason({ type: 'listAspects', requestId: 1, assetId: '../../etc' }), /assetId: Asset ids are 32 lowercase hexadecimal/);
  assert.match(reason({ type: 'load', requestId: 1, query: { ...query, aspect: 'a/b' }, widthPx: 800, reason: 'load' }),
    /query\.aspect: Aspect and variable names are 1–128 letters, digits or _/);
  assert.match(reason({ type: 'load', requestId: 1, query: { ...query, variables: [] }, widthPx: 800, reason: 'load' }),
    /query\.variables: Pick at least one variable/);
  assert.match(reason({ type: 'load', requestId: 1, query: { ...query, variables: Array.from({ length: 21 }, (_, i) => `v${i}`) },
    widthPx: 800, reason: 'load' }), /at most 20 variables/);
  assert.match(reason({ type: 'load', requestId: 1, query: { ...query, range: { preset: 'year' } }, widthPx: 800, reason: 'load' }), /query\.range/);
  assert.match(reason({ type: 'load', requestId: 1, query: { ...query, interval: { unit: 'days', value: 1 } }, widthPx: 800, reason: 'load' }),
    /query\.interval/);
  assert.match(reason({ type: 'load', requestId: 1, query, widthPx: 100_000, reason: 'load' }), /^widthPx:/);
  assert.match(reason({ type: 'export', format: 'xlsx' }), /^format:/);
  assert.match(reason('ready'), /message:/);
});

test('property: no input makes the parser throw', () => {
  fc.assert(fc.property(fc.anything(), (value) => {
    const r = parseWebviewMessage(value);
    assert.ok(r.ok || r.reason.length > 0);
  }), { numRuns: 500 });
  fc.assert(fc.property(fc.record({ type: fc.constantFrom('ready', 'listAspects', 'load', 'cancel', 'export', 'copyRequest'),
    requestId: fc.anything(), assetId: fc.string(), query: fc.anything(), format: fc.string() }, { requiredKeys: ['type'] }), (value) => {
    const r = parseWebviewMessage(value);
    assert.ok(r.ok || r.reason.length > 0);
  }), { numRuns: 500 });
});

test('the saved view state: the serializer reads the title and tolerates anything else', () => {
  const r = savedStateSchema.safeParse({ version: 1, selection: { assetName: 'Pump P-101', aspect: 'Vibration', variables: ['x'] }, zoom: null });
  assert.ok(r.success && r.data.selection?.assetName === 'Pump P-101');
  assert.ok(savedStateSchema.safeParse({}).success);
  assert.ok(!savedStateSchema.safeParse({ selection: { assetName: 5 } }).success);
});
