// The preview panel's host half (PreviewController) against the real sandbox tenant over loopback HTTP, through the real
// client: what the webview would receive for each of its messages.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { aggregateTable, fullSeries } from '../../src/host/preview/columns';
import { PreviewController, rawRecordLimit } from '../../src/host/preview/controller';
import type { SeriesSource } from '../../src/host/preview/source';
import { type AssetSummary, QUALITY, type SeriesQuery } from '../../src/protocol/preview';
import { fakeUi, memoryLog, previewSandbox, type PreviewSandbox, withUnreadableTime } from '../webview/fixtures';

let t: PreviewSandbox;
let pump: { assetId: string; name: string };

before(async () => {
  t = await previewSandbox();
  pump = await t.pump();
});
after(() => t.close());

const VIBRATION = ['Velocity', 'Acceleration', 'Temperature'];

function query(patch: Partial<SeriesQuery> = {}): SeriesQuery {
  return { assetId: pump.assetId, aspect: 'Vibration', variables: VIBRATION, range: { preset: 'hour' }, mode: 'raw',
    interval: 'auto', fields: ['average', 'minmax'], ...patch };
}

function panel(options: ConstructorParameters<typeof PreviewController>[3] = {}) {
  const fake = fakeUi();
  const log = memoryLog();
  return { fake, log, host: new PreviewController(t.source, fake.ui, log, { progressDelayMs: 0, ...options }) };
}

test('ready: the range presets and the v4 interval table at once, then the catalog of the tenant', async () => {
  const { fake, host } = panel({ initial: { assetId: pump.assetId, aspect: 'Vibration' } });
  await host.receive({ type: 'ready' });
  assert.deepEqual(fake.posted.map((m) => m.type), ['init', 'assets'], 'the settings first, the catalog after it');
  const [init] = fake.of('init');
  assert.ok(init);
  assert.equal(init.connection, 'Sandbox');
  const listed = fake.of('assets')[0]?.assets.find((a) => a.assetId === pump.assetId);
  assert.equal(listed?.name, pump.name);
  assert.match(listed?.path ?? '', / › /, 'assets carry where they sit in the hierarchy');
  assert.deepEqual(init.selection, { assetId: pump.assetId, aspect: 'Vibration' });
  assert.deepEqual(init.presets.map((p) => p.id), ['hour', 'day', 'week', '30d', '90d']);
  assert.deepEqual(init.aggregateUnits.find((u) => u.unit === 'minute')?.allowedValues.slice(0, 3), [2, 4, 6]);

  await host.receive({ type: 'listAspects', requestId: 7, assetId: pump.assetId });
  const [aspects] = fake.of('aspects');
  assert.equal(aspects?.requestId, 7);
  const vibration = aspects?.aspects.find((a) => a.name === 'Vibration');
  assert.deepEqual(vibration?.variables.map((v) => [v.name, v.unit, v.qualityCode]),
    [['Velocity', 'mm/s', true], ['Acceleration', 'm/s2', true], ['Temperature', 'degC', true]]);
});

test('a slow listing of the tenant\'s assets holds back neither the panel\'s settings nor the chart it opened on', async () => {
  let release: (assets: readonly AssetSummary[]) => void = () => {};
  const slow: SeriesSource = { ...t.source, assets: () => new Promise((resolve) => (release = resolve)) };
  const fake = fakeUi();
  const host = new PreviewController(slow, fake.ui, memoryLog(), { progressDelayMs: 0, initial: { assetId: pump.assetId, aspect: 'Vibration' } });
  const ready = host.receive({ type: 'ready' });
  await host.receive({ type: 'load', requestId: 1, query: query(), widthPx: 200, reason: 'load' });
  assert.deepEqual(fake.posted.map((m) => m.type).filter((type) => type !== 'progress'), ['init', 'series'], 'the chart before the catalog');
  assert.deepEqual(fake.titles, [`${pump.name} › Vibration`], 'the title names the asset (asked for alone)');
  release([{ assetId: pump.assetId, name: pump.name, path: 'Plant' }]);
  await ready;
  assert.deepEqual(fake.of('assets')[0]?.assets.map((a) => a.name), [pump.name]);
});

test('load raw: an hour of three variables arrives downsampled to at most four points per pixel, as typed arrays', async () => {
  const { fake, host } = panel();
  await host.receive({ type: 'load', requestId: 1, query: query(), widthPx: 200, reason: 'load' });
  const series = fake.of('series')[0];
  assert.ok(series, JSON.stringify(fake.of('failed')));
  assert.equal(series.requestId, 1);
  assert.equal(series.to - series.from, 3_600_000);
  assert.ok(series.records > 3000 && series.records <= 3600, `${series.records} records in an hour of 1 s data`);
  assert.deepEqual(series.series.map((s) => [s.variable, s.unit, s.field]),
    [['Velocity', 'mm/s', 'value'], ['Acceleration', 'm/s2', 'value'], ['Temperature', 'degC', 'value']]);
  for (const s of series.series) {
    assert.ok(s.times instanceof Float64Array && s.values instanceof Float64Array && s.quality instanceof Uint8Array);
    assert.ok(s.downsampled && s.times.length <= 200 * 4 + 2, `${s.times.length} points for 200 px`);
    assert.ok(s.sourceCount > 3000);
  }
  assert.equal(fake.of('progress')[0]?.records, 0, 'the panel shows progress from the start');
  assert.deepEqual(fake.titles, [`${pump.name} › Vibration`]);
  assert.equal(series.fromCache, false);
});

test('load aggregates: the automatic interval fits the width, and the fields asked for come back per variable', async () => {
  const { fake, host } = panel();
  await host.receive({ type: 'load', requestId: 2, query: query({ mode: 'aggregate', range: { preset: 'day' }, variables: ['Velocity'],
    fields: ['average', 'minmax', 'count'] }), widthPx: 300, reason: 'load' });
  const series = fake.of('series')[0];
  assert.ok(series, JSON.stringify(fake.of('failed')));
  assert.deepEqual(series.interval, { unit: 'minute', value: 6, auto: true });
  assert.deepEqual(series.series.map((s) => s.field), ['average', 'min', 'max', 'count']);
  const [average, min, max, count] = series.series;
  assert.ok(average && min && max && count);
  assert.ok(series.records >= 230 && series.records <= 241, `${series.records} intervals of 6 minutes in a day`);
  for (let i = 0; i < average.values.length; i++) {
    if (Number.isNaN(average.values[i])) continue;
    assert.ok((min.values[i] as number) <= (average.values[i] as number) && (average.values[i] as number) <= (max.values[i] as number));
  }
  assert.equal(count.unit, '', 'counts have no unit: they get their own axis');
  assert.ok([min, max, count].every((s) => s.quality.every((q) => q === 0)), 'quality marks go on the first line of a variable only');
  assert.ok(Math.max(...count.values.filter((v) => !Number.isNaN(v))) <= 360, 'at most 360 one-second records in 6 minutes');
});

test('aggregates are marked bad or uncertain when at least 1% of their records are', () => {
  const interval = (start: string, counts: [number, number, number]) => ({ starttime: start, endtime: start,
    Velocity: { average: 1, minvalue: 0, maxvalue: 2, countgood: counts[0], countuncertain: counts[1], countbad: counts[2] } });
  const table = aggregateTable([
    interval('2026-07-01T00:00:00Z', [3600, 0, 7]), // 0.2 % bad: noise at this scale
    interval('2026-07-01T01:00:00Z', [3000, 0, 600]),
    interval('2026-07-01T02:00:00Z', [3000, 600, 0]),
    interval('2026-07-01T03:00:00Z', [0, 0, 0]),
  ], [{ name: 'Velocity', unit: 'mm/s' }]);
  const [average, min] = fullSeries(table, ['average', 'minmax']);
  assert.deepEqual([...(average?.columns.severity ?? [])], [QUALITY.good, QUALITY.bad, QUALITY.uncertain, QUALITY.good]);
  assert.deepEqual([...(min?.columns.severity ?? [])], [0, 0, 0, 0]);
});

test('zooming into what is loaded is answered from memory at full resolution; past it, from the tenant', async () => {
  const { fake, host } = panel();
  await host.receive({ type: 'load', requestId: 1, query: query({ variables: ['Velocity'] }), widthPx: 100, reason: 'load' });
  const full = fake.of('series')[0];
  assert.ok(full);
  const requests = t.events.length;
  const from = full.from + 600_000;
  const to = from + 120_000; // two minutes: 120 records, fewer than 4 × 100 pixels
  const window = { from: new Date(from).toISOString(), to: new Date(to).toISOString() };
  await host.receive({ type: 'load', requestId: 2, query: query({ variables: ['Velocity'], range: window }), widthPx: 100, reason: 'zoom' });
  const zoomed = fake.of('series')[1];
  assert.ok(zoomed);
  assert.equal(zoomed.fromCache, true);
  assert.equal(t.events.length, requests, 'no request reached the tenant');
  assert.equal(zoomed.series[0]?.downsampled, false, 'every record of the window');
  assert.ok((zoomed.series[0]?.sourceCount ?? 0) >= 100);

  const past = { from: new Date(full.from - 3_600_000).toISOString(), to: new Date(full.from + 60_000).toISOString() };
  await host.receive({ type: 'load', requestId: 3, query: query({ variables: ['Velocity'], range: past }), widthPx: 100, reason: 'zoom' });
  assert.equal(fake.of('series')[2]?.fromCache, false);
  assert.ok(t.events.length > requests);
});

/** A week of raw data from a sandbox with 150 ms latency per request: a load long enough to cancel. */
async function longLoad(run: (started: { fake: ReturnType<typeof fakeUi>; host: PreviewController; slow: PreviewSandbox; load: Promise<void> }) => Promise<void>) {
  const slow = await previewSandbox({ latencyMs: 150 });
  try {
    const fake = fakeUi();
    const host = new PreviewController(slow.source, fake.ui, memoryLog(), { progressDelayMs: 50 });
    const load = host.receive({ type: 'load', requestId: 5, widthPx: 400, reason: 'load',
      query: { ...query(), assetId: (await slow.pump()).assetId, range: { preset: 'week' } } });
    await fake.next('progress', (p) => p.records > 0);
    assert.equal(fake.progress.length, 1, 'a long load shows VS Code progress too');
    await run({ fake, host, slow, load });
    await load;
    assert.deepEqual(fake.of('cancelled').map((c) => c.requestId), [5]);
    assert.equal(fake.of('series').length, 0);
    assert.equal(fake.progress[0]?.done, true, 'and VS Code\'s progress ends');
  } finally {
    await slow.close();
  }
}

test('a rebuilt webview gets back what it showed, from memory: "last hour" stays the same hour', async () => {
  let clock = Date.now();
  const { fake, host } = panel({ now: () => clock });
  await host.receive({ type: 'load', requestId: 1, query: query(), widthPx: 300, reason: 'load' });
  clock += 60_000; // a minute later the user comes back to the panel
  const requests = t.events.length;
  await host.receive({ type: 'load', requestId: 2, query: query(), widthPx: 300, reason: 'restore' });
  const [first, restored] = fake.of('series');
  assert.ok(first && restored);
  assert.deepEqual([restored.fromCache, restored.from, restored.to], [true, first.from, first.to]);
  assert.equal(t.events.length, requests);
  await host.receive({ type: 'load', requestId: 3, query: query(), widthPx: 300, reason: 'load' });
  assert.equal(fake.of('series')[2]?.to, first.to + 60_000, 'Load fetches the hour up to now');
});

test('cancel stops a long load: the panel hears `cancelled`, the tenant stops getting requests', () =>
  longLoad(async ({ host, slow, load }) => {
    await host.receive({ type: 'cancel', requestId: 5 });
    await load;
    const served = slow.events.length;
    await new Promise((r) => setTimeout(r, 400));
    assert.ok(slow.events.length - served <= 4, 'at most the requests already in flight finish');
  }));

test('cancelling from VS Code\'s progress notification works the same way', () =>
  longLoad(async ({ fake }) => fake.progress[0]?.cancel()));

test('a raw load estimated past the memory budget stops after its first page and says to choose aggregates', async () => {
  // The memory budget is in bytes: fewer variables, more records.
  assert.deepEqual([1, 3, 10].map((n) => rawRecordLimit(n)), [13_000_000, 5_000_000, 1_500_000]);
  // The budget of 10,000 records of the three Vibration variables.
  const { fake, host } = panel({ rawMemoryBudget: 10_000 * (8 + 33 * VIBRATION.length) });
  const requests = t.events.length;
  await host.receive({ type: 'load', requestId: 1, query: query({ range: { preset: 'day' } }), widthPx: 100, reason: 'load' });
  const [failed] = fake.of('failed');
  assert.match(failed?.message ?? '', /^This range holds about 8\d,\d{3} raw records, more than the 10,000 the preview loads raw for 3 variables \(they would not fit in memory\)\. Choose Aggregates, fewer variables, or a shorter range\.$/);
  assert.equal(failed?.requestId, 1);
  assert.deepEqual([fake.of('series').length, fake.of('cancelled').length], [0, 0]);
  const reads = t.events.slice(requests).filter((e) => e.route.includes('/iottimeseries/')).map((e) => e.route);
  assert.equal(reads.length, 1, `stopped after the first page: ${reads.join(', ')}`);
  await host.receive({ type: 'load', requestId: 2, query: query({ range: { preset: 'day' }, mode: 'aggregate' }), widthPx: 100, reason: 'load' });
  assert.equal(fake.of('series')[0]?.requestId, 2, `aggregates of the same day load: ${JSON.stringify(fake.of('failed'))}`);
});

test('a newer load supersedes the one in flight', async () => {
  const { fake, host } = panel();
  const first = host.receive({ type: 'load', requestId: 1, query: query({ range: { preset: 'week' } }), widthPx: 100, reason: 'load' });
  const second = host.receive({ type: 'load', requestId: 2, query: query(), widthPx: 100, reason: 'load' });
  await Promise.all([first, second]);
  assert.deepEqual(fake.of('cancelled').map((c) => c.requestId), [1]);
  assert.deepEqual(fake.of('series').map((s) => s.requestId), [2]);
});

test('bad requests get a message that says what to do; invalid messages are logged and dropped', async () => {
  const { fake, log, host } = panel();
  const failure = async (q: SeriesQuery) => {
    const id = fake.posted.length + 100;
    await host.receive({ type: 'load', requestId: id, query: q, widthPx: 400, reason: 'load' });
    return fake.of('failed').find((f) => f.requestId === id)?.message ?? '(no failure)';
  };
  assert.match(await failure(query({ variables: ['Nope'] })), /aspect 'Vibration' has no variable 'Nope'\. Refresh the tree/);
  assert.match(await failure(query({ aspect: 'Flow', variables: ['Mode'] })), /'Mode' holds STRING values, which cannot be charted/);
  assert.match(await failure(query({ range: { from: '2026-07-02', to: '2026-07-01' } })), /must be before the end/);
  assert.match(await failure(query({ mode: 'aggregate', interval: { unit: 'hour', value: 1 }, range: { preset: '30d' } })),
    /at most 7 days per request, and this range is 30 days/);
  assert.match(await failure(query({ mode: 'aggregate', interval: { unit: 'minute', value: 3 } })), /even numbers only/);

  await host.receive({ type: 'load', requestId: 1, query: { ...query(), assetId: 'not-an-id' }, widthPx: 400, reason: 'load' });
  assert.match(fake.of('failed').find((f) => f.requestId === 1)?.message ?? '', /query\.assetId: Asset ids are 32 lowercase hexadecimal/);
  await host.receive({ type: 'drop tables' });
  await host.receive(null);
  await host.receive({ type: 'load', requestId: 2, query: query(), widthPx: 400, reason: 'load', extra: 'field' });
  assert.equal(log.lines.filter((l) => l.startsWith('warn Preview: ignored a message')).length, 4);
});

test('Aggregates: a boolean variable is refused before any request, with what to do; the numeric ones of the aspect load', async () => {
  const { fake, host } = panel();
  const aggregates = () => t.events.filter((e) => e.route.includes('iottsaggregates')).length;
  const before = aggregates();
  const flow = { aspect: 'Flow', mode: 'aggregate' as const, range: { preset: 'day' as const } };
  await host.receive({ type: 'load', requestId: 1, query: query({ ...flow, variables: ['FlowRate', 'Pressure', 'Running'] }), widthPx: 300, reason: 'load' });
  assert.match(fake.of('failed')[0]?.message ?? '(no failure)',
    /^'Running' holds BOOLEAN values, which Aggregates v4 does not aggregate: pick a numeric variable, or choose Raw\.$/);
  assert.equal(aggregates(), before, 'MindSphere was not asked (it would answer 400)');
  await host.receive({ type: 'load', requestId: 2, query: query({ ...flow, variables: ['FlowRate', 'Pressure'] }), widthPx: 300, reason: 'load' });
  assert.deepEqual(fake.of('series')[0]?.series.map((s) => `${s.variable}.${s.field}`),
    ['FlowRate.average', 'FlowRate.min', 'FlowRate.max', 'Pressure.average', 'Pressure.min', 'Pressure.max'], JSON.stringify(fake.of('failed')));
});

test('only dynamic aspects are offered: a static one (Nameplate) has no time series, and a load of it says so', async () => {
  const { fake, host } = panel();
  await host.receive({ type: 'listAspects', requestId: 1, assetId: pump.assetId });
  assert.deepEqual(fake.of('aspects')[0]?.aspects.map((a) => a.name), ['Flow', 'PrimaryMotor', 'Vibration']);
  await host.receive({ type: 'load', requestId: 2, query: query({ aspect: 'Nameplate', variables: ['RatedPower'] }), widthPx: 300, reason: 'load' });
  assert.match(fake.of('failed')[0]?.message ?? '(no failure)',
    /has no dynamic aspect 'Nameplate' \(only dynamic aspects have time series; its dynamic aspects: Flow, PrimaryMotor, Vibration\)/);
});

test('a MindSphere error keeps its status and never shows a secret', async () => {
  const { fake, host } = panel();
  await host.receive({ type: 'listAspects', requestId: 3, assetId: 'f'.repeat(32) });
  const failed = fake.of('failed')[0];
  assert.equal(failed?.requestId, 3);
  assert.equal(failed?.status, 404);
  assert.match(failed?.message ?? '', /404/);
  const token = (await t.client.token()).accessToken;
  for (const m of fake.posted) assert.ok(!JSON.stringify(m).includes(t.sb.clientSecret) && !JSON.stringify(m).includes(token));
});

test('export: the loaded records at full resolution, as CSV and as MindSphere-shaped JSON', async () => {
  const { fake, host } = panel();
  await host.receive({ type: 'export', format: 'csv' });
  assert.deepEqual(fake.of('notice').map((n) => n.message), ['Nothing to export yet: load data first.']);
  await host.receive({ type: 'load', requestId: 1, query: query({ variables: ['Velocity', 'Temperature'] }), widthPx: 50, reason: 'load' });
  const records = fake.of('series')[0]?.records ?? 0;
  await host.receive({ type: 'export', format: 'csv' });
  await host.receive({ type: 'export', format: 'json' });
  const [csv, json] = fake.saved;
  assert.ok(csv && json);
  assert.match(csv.name, /^[A-Za-z0-9_.-]+-Vibration-\d{4}-\d\d-\d\dT\d{6}Z-\d{4}-\d\d-\d\dT\d{6}Z\.csv$/);
  const lines = csv.content.trimEnd().split('\n');
  assert.equal(lines[0], '_time,Velocity,Velocity_qc,Temperature,Temperature_qc');
  assert.equal(lines.length, records + 1, 'every record, not the downsampled points');
  assert.match(lines[1] ?? '', /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z,[-\d.]*,\d*,[-\d.]*,\d*$/);
  const parsed = JSON.parse(json.content) as Record<string, unknown>[];
  assert.equal(parsed.length, records);
  assert.deepEqual(Object.keys(parsed[0] ?? {}).filter((k) => !k.endsWith('_qc')), ['_time', 'Velocity', 'Temperature']);
  assert.match(fake.of('notice')[1]?.message ?? '', new RegExp(`^Exported ${records.toLocaleString('en-US')} records to /exports/`));
});

test('copy the equivalent REST request: the real URL, no token', async () => {
  const { fake, host } = panel();
  await host.receive({ type: 'copyRequest', query: query({ variables: ['Velocity'], range: { from: '2026-07-01T00:00:00Z', to: '2026-07-01T06:00:00Z' } }) });
  await host.receive({ type: 'copyRequest', query: query({ mode: 'aggregate', variables: ['Velocity', 'Temperature'], interval: { unit: 'hour', value: 1 },
    range: { from: '2026-07-01', to: '2026-07-02' } }) });
  const [raw, aggregates] = fake.copied;
  assert.equal(raw?.split('\n')[1],
    `GET ${t.sb.url}/api/iottimeseries/v3/timeseries/${pump.assetId}/Vibration?from=2026-07-01T00%3A00%3A00.000Z&to=2026-07-01T06%3A00%3A00.000Z&limit=2000&select=Velocity`);
  assert.equal(aggregates?.split('\n')[1], `GET ${t.sb.url}/api/iottsaggregates/v4/aggregates?assetId=${pump.assetId}&aspectName=Vibration` +
    '&from=2026-07-01T00%3A00%3A00.000Z&to=2026-07-02T00%3A00%3A00.000Z&intervalUnit=hour&intervalValue=1&select=Velocity%2CTemperature');
  for (const text of fake.copied) assert.match(text, /\nAuthorization: Bearer <token>$/);
  // The copied request works as is once a token is put in.
  const token = (await t.client.token()).accessToken;
  const response = await fetch((raw ?? '').split('\n')[1]?.slice(4) ?? '', { headers: { Authorization: `Bearer ${token}` } });
  assert.equal(response.status, 200);
  assert.ok(((await response.json()) as unknown[]).length > 0);
  assert.match(fake.of('notice')[0]?.message ?? '', /^Copied the REST request \(without a token\): GET /);
});

test('records without a readable time are left out and counted in the answer; the rest loads, draws and exports', async () => {
  const fake = fakeUi();
  const source = withUnreadableTime(t.source);
  const host = new PreviewController(source, fake.ui, memoryLog(), { progressDelayMs: 0 });
  await host.receive({ type: 'load', requestId: 1, query: query({ variables: ['Velocity', 'Temperature'] }), widthPx: 5000, reason: 'load' });
  const series = fake.of('series')[0];
  assert.ok(series, JSON.stringify(fake.of('failed')));
  assert.deepEqual(series.unreadable, { times: 1, values: 0 });
  for (const line of series.series) assert.ok(line.times.every(Number.isFinite), 'no NaN time reaches the chart');
  assert.ok(series.series.every((l) => l.sourceCount > 3000), 'the records after the unreadable one are all there');
  await host.receive({ type: 'export', format: 'csv' });
  assert.deepEqual(fake.of('failed'), []);
  assert.equal(fake.saved[0]?.content.trimEnd().split('\n').length, series.records + 1);
});

test('an aggregate export keeps every Aggregates v4 field, as the API answers them', async () => {
  const { fake, host } = panel();
  const range = { from: '2026-07-01T00:00:00Z', to: '2026-07-01T02:00:00Z' };
  await host.receive({ type: 'load', requestId: 1, query: query({ variables: ['Velocity'], range, mode: 'aggregate',
    interval: { unit: 'hour', value: 1 }, fields: ['average'] }), widthPx: 500, reason: 'load' });
  await host.receive({ type: 'export', format: 'json' });
  const exported = JSON.parse(fake.saved[0]?.content ?? '[]') as unknown[];
  const api = await t.source.readAggregates({ assetId: pump.assetId, aspect: 'Vibration', variables: ['Velocity'], from: Date.parse(range.from),
    to: Date.parse(range.to), interval: { unit: 'hour', value: 1 } }, { signal: new AbortController().signal, onProgress() {} });
  assert.equal(exported.length, 2);
  assert.deepEqual(exported, JSON.parse(JSON.stringify(api)));
});
