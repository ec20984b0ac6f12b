// The preview panel's webview in headless Chromium: the real bundle under the panel's CSP, connected to the real host
// controller, the real client and the sandbox tenant over loopback HTTP (one browser and one sandbox for the file).
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Page } from 'playwright-core';
import type { SeriesSource } from '../../src/host/preview/source';
import { PreviewController, type PreviewOptions } from '../../src/host/preview/controller';
import type { HostToWebview, SeriesPayload, ViewState } from '../../src/protocol/preview';
import { fakeUi, memoryLog, previewSandbox, type FakeUi, type PreviewSandbox, withUnreadableTime } from '../webview/fixtures';
import { startHarness, type Harness, type PanelPage } from '../webview/harness';

let t: PreviewSandbox;
let harness: Harness;
let pump: { assetId: string; name: string };

before(async () => {
  [t, harness] = await Promise.all([previewSandbox(), startHarness()]);
  pump = await t.pump();
});
after(async () => {
  await harness.close();
  await t.close();
});

interface Connected {
  panel: PanelPage;
  page: Page;
  fake: FakeUi;
  host: PreviewController;
}

/** A panel whose messages go to a PreviewController over the sandbox, as in VS Code. */
async function connected(options: PreviewOptions & { state?: ViewState; theme?: 'dark' | 'light' | 'high-contrast'; width?: number; sandbox?: PreviewSandbox;
  source?: SeriesSource; } = {}): Promise<Connected> {
  const panel = await harness.open({ ...(options.state ? { state: options.state } : {}), theme: options.theme ?? 'dark', width: options.width ?? 1200 });
  const fake = fakeUi();
  const host = new PreviewController(options.source ?? (options.sandbox ?? t).source, fake.ui, memoryLog(), { progressDelayMs: 0, defaultRange: 'hour', ...options });
  // Posts reach the page in order: each waits for the one before.
  let chain = Promise.resolve();
  fake.forward = (m) => void (chain = chain.then(() => panel.post(m)).catch(() => {}));
  panel.onMessage = (m) => void host.receive(m);
  for (const m of panel.sent) void host.receive(m);
  return { panel, page: panel.page, fake, host };
}

/** Waits until the chart has drawn new data `count` times in all. */
async function drawn(page: Page, count = 1): Promise<void> {
  await page.waitForFunction((n) => performance.getEntriesByName('mdsp-preview-drawn').length >= n, count, { timeout: 10_000 });
  // …and until the layout around it has settled (two frames), so pointer positions hold.
  await page.evaluate('new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)))');
}

async function settle(c: Connected, seriesCount = 1): Promise<void> {
  while (c.fake.of('series').length < seriesCount) {
    const failed = c.fake.of('failed')[0];
    if (failed) throw new Error(`the host failed: ${failed.message}`);
    await new Promise((r) => setTimeout(r, 20));
  }
  await drawn(c.page, seriesCount);
}

/** Waits for the host's answer to this load, drawn. */
async function answered(c: Connected, load: { requestId: number }): Promise<Extract<HostToWebview, { type: 'series' }>> {
  for (;;) {
    const answer = c.fake.of('series').find((m) => m.requestId === load.requestId);
    if (answer) {
      await drawn(c.page, c.fake.of('series').length);
      return answer;
    }
    const failed = c.fake.of('failed')[0];
    if (failed) throw new Error(`the host failed: ${failed.message}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** Polls `check` (the page's CSP forbids the string evaluation waitForFunction would need for this). */
async function until(check: () => Promise<boolean>, what: string, timeoutMs = 5000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

const texts = (page: Page, selector: string) => page.locator(selector).allTextContents();

/**
 * Pixels of the chart's canvas of this colour: exactly, or within `tolerance` per channel and at least half opaque (a
 * thin line is antialiased on the transparent canvas).
 */
function pixelsOf(page: Page, rgb: [number, number, number], tolerance = 0): Promise<number> {
  return page.locator('.uplot canvas').first().evaluate((canvas, [r, g, b, t]) => {
    const data: Uint8ClampedArray = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
    let n = 0;
    for (let i = 0; i < data.length; i += 4) {
      const [pr = 0, pg = 0, pb = 0, pa = 0] = data.subarray(i, i + 4);
      if (Math.abs(pr - r) <= t && Math.abs(pg - g) <= t && Math.abs(pb - b) <= t && pa >= (t ? 128 : 255)) n++;
    }
    return n;
  }, [...rgb, tolerance] as [number, number, number, number]);
}

test('opened on an aspect: its variables drawn by uPlot, one y-axis per unit, a live readout, progress while loading', async () => {
  const c = await connected({ initial: { assetId: pump.assetId, aspect: 'Vibration' } });
  await settle(c);
  const { page, fake } = c;
  assert.deepEqual((await texts(page, '.u-legend .u-series th')).map((s) => s.trim()), ['Time (UTC)', 'Velocity', 'Acceleration', 'Temperature']);
  assert.deepEqual(await page.locator('.chart .axes').textContent(), 'Axes: time (UTC), mm/s, m/s2, degC');
  assert.ok(fake.of('progress').length > 0, 'the host reported progress');
  assert.equal(await page.locator('.progress').isHidden(), true, 'and the bar went away with the data');
  assert.ok(await pixelsOf(page, [0x37, 0x94, 0xff]) > 500, 'the first line is drawn in the theme\'s charts.blue');

  const before = await texts(page, '.u-legend .u-value');
  const box = await page.locator('.u-over').boundingBox();
  assert.ok(box);
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  const readout = await texts(page, '.u-legend .u-value');
  assert.notDeepEqual(readout, before);
  assert.match(readout[0] ?? '', /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d/, 'the time under the cursor, in UTC');
  assert.match(readout[1] ?? '', /^-?\d+(\.\d+)?$/, 'and each value');
  assert.match(await page.locator('.summary').textContent() ?? '', /^3,\d{3} records · [\d,]+ points/);
  assert.deepEqual(await c.panel.violations(), [], 'nothing broke the Content Security Policy');
  assert.deepEqual(fake.titles, [`${pump.name} › Vibration`]);
  await c.panel.close();
});

test('a variable without a unit gets an axis named after it, not a dash', async () => {
  const c = await connected({ initial: { assetId: pump.assetId, aspect: 'Flow', variables: ['Pressure', 'Running'] } });
  await settle(c);
  assert.equal(await c.page.locator('.chart .axes').textContent(), 'Axes: time (UTC), bar, Running');
  await c.panel.close();
});

test('opened on a query (its CodeLens): the query\'s range, aggregates and interval, shown in the controls', async () => {
  const range = { from: '2026-07-01T00:00:00Z', to: '2026-07-01T06:00:00Z' };
  const c = await connected({ initial: { assetId: pump.assetId, aspect: 'Vibration', variables: ['Velocity'], range, mode: 'aggregate',
    interval: { unit: 'minute', value: 30 } } });
  await settle(c);
  const { page, panel } = c;
  const load = await panel.waitFor('load');
  assert.deepEqual([load.query.range, load.query.mode, load.query.interval], [range, 'aggregate', { unit: 'minute', value: 30 }]);
  assert.match(await page.locator('.summary').textContent() ?? '', /^12 aggregates of 30 minutes ·/);
  assert.equal(await page.locator('vscode-single-select#range').evaluate((s) => (s as unknown as { value: string }).value), 'custom');
  assert.equal(await page.locator('vscode-textfield#from').evaluate((f) => (f as unknown as { value: string }).value), '2026-07-01T00:00');
  assert.equal(await page.locator('vscode-radio[value="aggregate"]').evaluate((r) => (r as unknown as { checked: boolean }).checked), true);
  assert.equal(await page.locator('vscode-single-select#interval').evaluate((s) => (s as unknown as { value: string }).value), 'minute:30');
  await panel.close();
});

test('asset names are text, never HTML: an asset named <img src=x onerror=…> runs nothing', async () => {
  const evil = '<img src=x onerror="window.__pwned=1;alert(1)">';
  const created = await t.client.request<{ assetId: string }>({ method: 'POST', path: '/api/assetmanagement/v3/assets',
    body: { name: evil, typeId: (await t.client.assets.get(pump.assetId)).typeId, parentId: (await t.client.assets.get(pump.assetId)).parentId } });
  const c = await connected({ initial: { assetId: created.data.assetId, aspect: 'Vibration', variables: ['Velocity'] } });
  await settle(c);
  const { page } = c;
  const path = async () => await page.locator('header .path').textContent() ?? '';
  await until(async () => (await path()) !== '', 'the catalog (the asset\'s path)');
  assert.match(await path(), /<img src=x onerror="window.__pwned=1;alert\(1\)">$/);
  await page.locator('vscode-single-select#asset').click(); // opens the list: every asset's name rendered
  await page.keyboard.type('onerror');
  assert.equal(await page.locator('img').count(), 0, 'no img element anywhere, shadow roots included');
  assert.deepEqual(c.panel.dialogs, []);
  assert.equal(await page.evaluate(() => (globalThis as unknown as { __pwned?: number }).__pwned), undefined);
  assert.deepEqual(c.fake.titles, [`${evil} › Vibration`], 'the panel title is plain text too');
  await c.panel.close();
});

test('the chart of the asset the panel opened on does not wait for the tenant\'s catalog; the asset picker fills when it comes', async () => {
  let release: () => void = () => {};
  const listed = new Promise<void>((resolve) => (release = resolve));
  const source: SeriesSource = { ...t.source, assets: async (signal) => (await listed, t.source.assets(signal)) };
  const c = await connected({ source, initial: { assetId: pump.assetId, aspect: 'Vibration', variables: ['Velocity'] } });
  await settle(c);
  const { page } = c;
  const options = () => texts(page, 'vscode-single-select#asset vscode-option');
  assert.deepEqual(await options(), ['Loading the assets…'], 'until the catalog comes, the picker says so');
  release();
  await until(async () => (await options()).length > 1, 'the catalog in the asset picker');
  assert.ok((await options()).includes(pump.name));
  assert.match(await page.locator('header .path').textContent() ?? '', new RegExp(` › ${pump.name}$`), 'where the asset sits, once known');
  assert.equal((await c.panel.state())?.selection?.assetName, pump.name, 'the saved state names the asset (a restored panel\'s title)');
  await c.panel.close();
});

test('a panel restored under another active connection says whose data it shows now', async () => {
  const state: ViewState = { version: 1, connection: 'Production', selection: { assetId: pump.assetId, assetName: pump.name, aspect: 'Vibration', variables: ['Velocity'] },
    range: { preset: 'hour' }, mode: 'raw', interval: 'auto', fields: ['average', 'minmax'], view: 'chart', hidden: [] };
  const c = await connected({ state });
  await settle(c);
  await c.page.locator('.notice', { hasText: "This panel showed the data of 'Production'; it now shows 'Sandbox', the active connection." }).waitFor();
  assert.equal((await c.panel.state())?.connection, 'Sandbox');
  await c.panel.close();
  // Restored under the same connection: nothing to say.
  const same = await connected({ state: { ...state, connection: 'Sandbox' } });
  await settle(same);
  assert.equal(await same.page.locator('.notice').textContent(), '');
  await same.panel.close();
});

test('zoom by drag fetches the visible window at full resolution; Escape resets to the whole range', async () => {
  const c = await connected({ initial: { assetId: pump.assetId, aspect: 'Vibration', variables: ['Velocity'] }, width: 500 });
  await settle(c);
  const { page, panel, fake } = c;
  const full = fake.of('series')[0];
  assert.ok(full?.series[0]?.downsampled, 'an hour of 1 s data is more than 4 points per pixel of a narrow chart');
  const box = await page.locator('.u-over').boundingBox();
  assert.ok(box);
  await page.mouse.move(box.x + box.width * 0.45, box.y + 20);
  await page.mouse.down();
  await page.mouse.move(box.x + box.width * 0.55, box.y + 40, { steps: 5 });
  await page.mouse.up();
  const zoom = await panel.waitFor('load', (m) => m.reason === 'zoom');
  assert.ok('from' in zoom.query.range);
  const from = Date.parse(zoom.query.range.from);
  const to = Date.parse(zoom.query.range.to);
  assert.ok(from > full.from && to < full.to && to - from < (full.to - full.from) / 5, 'the dragged window');
  await settle(c, 2);
  const zoomed = fake.of('series')[1];
  assert.equal(zoomed?.fromCache, true, 'answered from the records the host holds');
  assert.equal(zoomed?.series[0]?.downsampled, false, 'every record of the window');
  assert.match(await page.locator('.summary').textContent() ?? '', /from memory/);
  assert.deepEqual((await panel.state())?.zoom, { from: zoomed?.from, to: zoomed?.to });

  await page.locator('.chart').focus();
  await page.keyboard.press('Escape');
  const reset = await panel.waitFor('load', (m) => m.requestId > zoom.requestId);
  assert.deepEqual(reset.query.range, { from: new Date(full.from).toISOString(), to: new Date(full.to).toISOString() });
  await settle(c, 3);
  assert.equal((await panel.state())?.zoom, undefined);

  // Shift+drag pans: the data follows the mouse, and what comes into view before the loaded hour is fetched.
  await page.keyboard.down('Shift');
  await page.mouse.move(box.x + box.width * 0.3, box.y + 30);
  await page.mouse.down();
  await page.mouse.move(box.x + box.width * 0.6, box.y + 30, { steps: 5 });
  await page.mouse.up();
  await page.keyboard.up('Shift');
  const pan = await panel.waitFor('load', (m) => m.requestId > reset.requestId);
  assert.ok('from' in pan.query.range);
  const span = full.to - full.from;
  const shift = full.from - Date.parse(pan.query.range.from);
  assert.ok(Math.abs(Date.parse(pan.query.range.to) - Date.parse(pan.query.range.from) - span) <= 1, 'the same span');
  assert.ok(shift > span * 0.25 && shift < span * 0.35, `moved back by about 30% of the span (${shift} ms)`);
  await panel.close();
});

test('keyboard: every control is reachable with Tab; legend entries toggle with Enter; arrows pan', async () => {
  const c = await connected({ initial: { assetId: pump.assetId, aspect: 'Vibration' } });
  await settle(c);
  const { page, panel } = c;
  const reached: string[] = [];
  await page.locator('body').focus();
  for (let i = 0; i < 30; i++) {
    await page.keyboard.press('Tab');
    reached.push(await page.locator('body').evaluate((body) => {
      const el = body.ownerDocument.activeElement;
      return el ? `${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ''}${el.className && typeof el.className === 'string' ? `.${el.className.split(' ')[0]}` : ''}:${(el.getAttribute('aria-label') ?? el.textContent ?? '').trim().slice(0, 20)}` : '';
    }));
  }
  const all = reached.join('\n');
  for (const expected of ['vscode-single-select#asset', 'vscode-single-select#aspect', 'vscode-multi-select#variables', 'vscode-single-select#range',
    'vscode-radio', 'vscode-button:Load', 'vscode-button:Reset zoom', 'vscode-button:Export CSV', 'vscode-button:Export JSON',
    'vscode-button:Copy REST request', 'vscode-tab-header', 'div.chart:Chart', 'th:Velocity', 'th:Temperature']) {
    assert.ok(all.includes(expected), `Tab never reached ${expected}:\n${all}`);
  }

  await page.locator('.u-legend .u-series th', { hasText: 'Acceleration' }).focus();
  await page.keyboard.press('Enter');
  assert.equal(await page.locator('.u-legend .u-series.u-off').count(), 1);
  assert.equal(await page.locator('.u-legend .u-series th', { hasText: 'Acceleration' }).getAttribute('aria-checked'), 'false');
  assert.deepEqual((await panel.state())?.hidden, ['Acceleration.value']);

  await page.locator('.chart').focus();
  await page.keyboard.press('ArrowRight');
  const pan = await panel.waitFor('load', (m) => m.reason === 'zoom');
  const full = c.fake.of('series')[0];
  assert.ok(full && 'from' in pan.query.range && Date.parse(pan.query.range.to) > full.to, 'panned past the loaded range: fetched');
  await panel.close();
});

test('the controls: a custom range (UTC), aggregates, an interval from the v4 table; each change reloads', async () => {
  const c = await connected({ initial: { assetId: pump.assetId, aspect: 'Vibration', variables: ['Velocity'] } });
  await settle(c);
  const { page, panel } = c;
  const loads = () => panel.sent.filter((m) => m.type === 'load');
  await page.locator('vscode-single-select#range').click();
  await page.getByRole('option', { name: 'Custom range…' }).click();
  await page.locator('vscode-textfield#from input').fill('2026-07-01T00:00');
  await page.locator('vscode-textfield#to input').fill('2026-07-01T06:00');
  const custom = await panel.waitFor('load', (m) => 'from' in m.query.range && m.query.range.to === '2026-07-01T06:00');
  assert.deepEqual(custom.query.range, { from: '2026-07-01T00:00', to: '2026-07-01T06:00' });
  const shown = await answered(c, custom);
  assert.deepEqual([shown.from, shown.to], [Date.parse('2026-07-01T00:00:00Z'), Date.parse('2026-07-01T06:00:00Z')], 'no zone means UTC');
  // Picking "Custom range…" and typing both ends load once when typed within the debounce (more often on a slow machine).
  const before = loads().length;

  await page.locator('vscode-radio[value="aggregate"]').click();
  const aggregated = await panel.waitFor('load', (m) => m.query.mode === 'aggregate');
  assert.equal(aggregated.query.interval, 'auto');
  await answered(c, aggregated);
  assert.match(await page.locator('.summary').textContent() ?? '', /aggregates of 2 minutes \(automatic\)/);
  await page.locator('vscode-single-select#interval').click();
  await page.getByRole('option', { name: '1 hour', exact: true }).click();
  const hourly = await panel.waitFor('load', (m) => m.query.interval !== 'auto');
  assert.deepEqual(hourly.query.interval, { unit: 'hour', value: 1 });
  await answered(c, hourly);
  assert.match(await page.locator('.summary').textContent() ?? '', /^6 aggregates of 1 hour ·/);
  assert.equal(loads().length - before, 2, 'one load per change, no more');
  await panel.close();
});

test('progress with a cancel button: Cancel stops a long load', async () => {
  const slow = await previewSandbox({ latencyMs: 120 });
  try {
    const slowPump = await slow.pump();
    const c = await connected({ sandbox: slow, initial: { assetId: slowPump.assetId, aspect: 'Vibration' }, defaultRange: 'week' });
    const { page, panel, fake } = c;
    await page.locator('.progress-text', { hasText: /records/ }).waitFor({ timeout: 10_000 });
    assert.equal(await page.locator('.progress').isVisible(), true);
    await page.locator('.progress vscode-button').click();
    const load = await panel.waitFor('load');
    assert.deepEqual(await panel.waitFor('cancel'), { type: 'cancel', requestId: load.requestId });
    await fake.next('cancelled');
    await page.locator('.notice', { hasText: 'Loading cancelled.' }).waitFor();
    assert.equal(await page.locator('.progress').isHidden(), true);
    assert.equal(fake.of('series').length, 0);
    await panel.close();
  } finally {
    await slow.close();
  }
});

test('aggregates: average line, min/max band, counts on their own axis, interval chosen for the range', async () => {
  const state: ViewState = { version: 1, selection: { assetId: pump.assetId, assetName: pump.name, aspect: 'Vibration', variables: ['Velocity'] },
    range: { preset: 'day' }, mode: 'aggregate', interval: 'auto', fields: ['average', 'minmax', 'count'], view: 'chart', hidden: [] };
  const c = await connected({ state });
  await settle(c);
  const { page } = c;
  assert.deepEqual((await texts(page, '.u-legend .u-series th')).map((s) => s.trim()).slice(1),
    ['Velocity (average)', 'Velocity (min)', 'Velocity (max)', 'Velocity (count)']);
  assert.deepEqual(await page.locator('.chart .axes').textContent(), 'Axes: time (UTC), mm/s, count');
  assert.match(await page.locator('.summary').textContent() ?? '', /aggregates of \d+ minutes \(automatic\)/);
  assert.equal(await page.locator('vscode-radio[value="aggregate"]').evaluate((r) => (r as unknown as { checked: boolean }).checked), true);
  await c.panel.close();
});

test('the table shows the same data, sorts by a column, scrolls virtually, marks quality', async () => {
  const panel = await harness.open();
  const load = await panel.answerCatalog();
  const n = 10_000;
  const times = Float64Array.from({ length: n }, (_, i) => Date.UTC(2026, 6, 1) + i * 1000);
  const values = Float64Array.from({ length: n }, (_, i) => Math.round(Math.sin(i / 500) * 1000) / 100);
  values[4321] = 99.5;
  const quality = new Uint8Array(n);
  quality[10] = 2;
  await panel.post(seriesMessage(load, [{ variable: 'Velocity', unit: 'mm/s', field: 'value', times, values, quality,
    sourceCount: n, sourceBad: 1, sourceUncertain: 0, downsampled: false }]));
  const { page } = panel;
  await drawn(page);
  await page.locator('vscode-tab-header', { hasText: 'Table' }).click();
  assert.equal((await panel.state())?.view, 'table');
  await page.locator('.table-row').first().waitFor();
  assert.equal(await page.locator('.table').getAttribute('aria-rowcount'), String(n + 1));
  const inDom = await page.locator('.table-row').count();
  assert.ok(inDom > 10 && inDom < 80, `${inDom} rows in the DOM for ${n}`);
  assert.deepEqual(await texts(page, '.table-row:first-child .cell'), ['2026-07-01 00:00:00', '0']);
  assert.equal(await page.locator('.table-row:nth-child(11) .quality.bad').count(), 1, 'the bad point is marked');

  await page.locator('.table-head button', { hasText: 'Velocity' }).click();
  assert.deepEqual(await texts(page, '.table-row:first-child .cell'), ['2026-07-01 01:12:01', '99.5'], 'largest first');
  assert.equal(await page.locator('.table-head [role=columnheader]').nth(1).getAttribute('aria-sort'), 'descending');
  await page.locator('.table-viewport').focus();
  await page.keyboard.press('End');
  await until(async () => (await page.locator('.table-row').last().getAttribute('aria-rowindex')) === String(n + 1), 'the last row scrolled into view');
  await panel.close();
});

test('while the first load runs the chart frame is already there (axes, legend, no "No data"); the data then fills it', async () => {
  const panel = await harness.open();
  const load = await panel.answerCatalog();
  const page = panel.page;
  await page.locator('.uplot .u-legend', { hasText: 'Velocity' }).waitFor();
  assert.equal(await page.locator('.chart-empty').isHidden(), true, 'no "No data in this range." while loading');
  assert.equal(await page.evaluate(() => performance.getEntriesByName('mdsp-preview-drawn').length), 0, 'nothing counts as drawn yet');
  assert.equal(await pixelsOf(page, [0x37, 0x94, 0xff], 40), 0, 'no line yet');
  const times = Float64Array.from({ length: 100 }, (_, i) => Date.UTC(2026, 6, 1) + i * 60_000);
  const values = Float64Array.from({ length: 100 }, (_, i) => 10 + Math.sin(i / 10));
  await panel.post(seriesMessage(load, [{ variable: 'Velocity', unit: 'mm/s', field: 'value', times, values, quality: new Uint8Array(100),
    sourceCount: 100, sourceBad: 0, sourceUncertain: 0, downsampled: false }]));
  await drawn(page);
  assert.ok(await pixelsOf(page, [0x37, 0x94, 0xff], 40) > 50, 'the line is drawn in the frame built ahead');
  await panel.close();
});

test('a first load that fails or is cancelled takes the frame built for it down: the message stands alone', async () => {
  for (const end of ['failed', 'cancelled'] as const) {
    const panel = await harness.open();
    const load = await panel.answerCatalog();
    const page = panel.page;
    await page.locator('.uplot').waitFor();
    await panel.post(end === 'failed'
      ? { type: 'failed', requestId: load.requestId, message: 'MindSphere refused GET /api/iottimeseries/v3/timeseries (403): no scope.', status: 403 }
      : { type: 'cancelled', requestId: load.requestId });
    const message = end === 'failed' ? page.locator('.error[role="alert"]', { hasText: '(403)' }) : page.getByText('Loading cancelled.');
    await message.waitFor();
    assert.equal(await page.locator('.uplot').count(), 0, `no empty chart frame behind the message (${end})`);
    assert.equal(await page.locator('#chart-axes').textContent(), '', `no axes described for a chart that is not there (${end})`);
    assert.deepEqual(await dataActionsDisabled(page), [true, true, true], `nothing to reset or export (${end})`);
    await panel.close();
  }
});

test('gaps stay gaps and bad and uncertain points are marked in the theme\'s colours', async () => {
  const panel = await harness.open();
  const load = await panel.answerCatalog();
  const times = Float64Array.from({ length: 200 }, (_, i) => Date.UTC(2026, 6, 1) + i * 60_000);
  const values = Float64Array.from({ length: 200 }, (_, i) => 10 + Math.sin(i / 20));
  values[50] = Number.NaN;
  values[120] = Number.NaN;
  const quality = new Uint8Array(200);
  quality[30] = 2;
  quality[31] = 2;
  quality[80] = 1;
  await panel.post(seriesMessage(load, [{ variable: 'Velocity', unit: 'mm/s', field: 'value', times, values, quality,
    sourceCount: 200, sourceBad: 2, sourceUncertain: 1, downsampled: false }]));
  await drawn(panel.page);
  assert.match(await panel.page.locator('.summary').textContent() ?? '', /200 points · 2 gaps · 2 bad · 1 uncertain/);
  assert.ok(await pixelsOf(panel.page, [0xf1, 0x4c, 0x4c]) > 10, 'bad marks in editorError.foreground');
  assert.ok(await pixelsOf(panel.page, [0xcc, 0xa7, 0x00]) > 5, 'uncertain marks in editorWarning.foreground');
  await panel.close();
});

test('a downsampled overview: the summary counts the marked records behind the points, and the marks leave the line visible', async () => {
  // Every pixel column of a downsampled day may keep a marked point: here every drawn point is uncertain.
  const panel = await harness.open();
  const load = await panel.answerCatalog();
  const n = 4000;
  const times = Float64Array.from({ length: n }, (_, i) => Date.UTC(2026, 6, 1) + i * 20_000);
  const values = Float64Array.from({ length: n }, (_, i) => 10 + Math.sin(i / 300));
  await panel.post(seriesMessage(load, [{ variable: 'Velocity', unit: 'mm/s', field: 'value', times, values, quality: new Uint8Array(n).fill(1),
    sourceCount: 86_400, sourceBad: 37, sourceUncertain: 1_204, downsampled: true }]));
  await drawn(panel.page);
  assert.match(await panel.page.locator('.summary').textContent() ?? '', /4,000 points drawn of 86,400 .* · 37 bad · 1,204 uncertain/);
  const rings = await pixelsOf(panel.page, [0xcc, 0xa7, 0x00]);
  const line = await pixelsOf(panel.page, [0x37, 0x94, 0xff], 60);
  assert.ok(rings > 50, `uncertain marks are drawn (${rings} px)`);
  assert.ok(line > rings, `the line shows through them (${line} px of line, ${rings} px of marks)`);
  await panel.close();
});

test('state survives a reload: selection, range, zoom, hidden lines and the table view come back', async () => {
  const c = await connected({ initial: { assetId: pump.assetId, aspect: 'Vibration' } });
  await settle(c);
  await c.page.locator('.u-legend .u-series th', { hasText: 'Temperature' }).click();
  await c.page.locator('vscode-tab-header', { hasText: 'Table' }).click();
  const full = c.fake.of('series')[0];
  assert.ok(full);
  const saved = await c.panel.state();
  assert.ok(saved);
  const zoom = { from: full.from + 600_000, to: full.from + 900_000 };
  await c.panel.close();

  // As after a reload: VS Code gives the saved state back, the serializer makes a controller without a selection.
  const revived = await connected({ state: { ...saved, zoom } });
  await settle(revived, 2);
  const [load, zoomLoad] = revived.panel.sent.filter((m) => m.type === 'load');
  assert.equal(load?.type === 'load' && load.query.assetId, pump.assetId);
  assert.equal(load?.type === 'load' && load.reason, 'restore', 'the host may answer from memory if it still holds the data');
  assert.deepEqual(zoomLoad?.type === 'load' && zoomLoad.query.range, { from: new Date(zoom.from).toISOString(), to: new Date(zoom.to).toISOString() });
  assert.equal(await revived.page.locator('vscode-tab-header[active]').textContent(), 'Table');
  assert.equal(await revived.page.locator('.u-legend .u-series.u-off th').textContent(), 'Temperature');
  assert.equal(await revived.page.locator('vscode-single-select#asset').evaluate((s) => (s as unknown as { value: string }).value), pump.assetId);
  await revived.panel.close();
});

test('theme: colours follow --vscode-* variables, and a theme switch redraws the chart', async () => {
  for (const [theme, background] of [['light', 'rgb(255, 255, 255)'], ['high-contrast', 'rgb(0, 0, 0)']] as const) {
    const c = await connected({ theme, initial: { assetId: pump.assetId, aspect: 'Vibration', variables: ['Velocity'] } });
    await settle(c);
    assert.equal(await c.page.locator('body').evaluate((b) => b.ownerDocument.defaultView.getComputedStyle(b).backgroundColor), background);
    const blue = theme === 'light' ? [0x1a, 0x85, 0xff] as [number, number, number] : [0x37, 0x94, 0xff] as [number, number, number];
    assert.ok(await pixelsOf(c.page, blue) > 300, `${theme}: the line in that theme's charts.blue`);
    await c.page.locator('body').evaluate((b) => { b.className = 'vscode-dark'; });
    await drawn(c.page, 2);
    await c.panel.close();
  }
});

test('export and copy buttons ask the host, which answers in the panel', async () => {
  const c = await connected({ initial: { assetId: pump.assetId, aspect: 'Vibration', variables: ['Velocity'] } });
  await settle(c);
  const { page, fake } = c;
  assert.deepEqual(await dataActionsDisabled(page), [false, false, false], 'data shown: it can be reset and exported');
  await page.locator('vscode-button', { hasText: 'Export CSV' }).click();
  await page.locator('.notice', { hasText: /^Exported 3,\d{3} records to \/exports\/.*\.csv\.$/ }).waitFor();
  assert.match(fake.saved[0]?.content ?? '', /^_time,Velocity,Velocity_qc\n/);
  await page.locator('vscode-button', { hasText: 'Export JSON' }).click();
  await page.locator('.notice', { hasText: /\.json\.$/ }).waitFor();
  await page.locator('vscode-button', { hasText: 'Copy REST request' }).click();
  await page.locator('.notice', { hasText: /^Copied the REST request \(without a token\): GET http:\/\/127\.0\.0\.1:\d+\/api\/iottimeseries\/v3\/timeseries\// }).waitFor();
  assert.match(fake.copied[0] ?? '', /Authorization: Bearer <token>$/);
  await c.panel.close();
});

/** Whether Reset zoom, Export CSV and Export JSON are disabled. */
function dataActionsDisabled(page: Page): Promise<boolean[]> {
  return Promise.all(['Reset zoom', 'Export CSV', 'Export JSON'].map((label) =>
    page.locator('vscode-button', { hasText: label }).evaluate((button) => (button as unknown as { disabled: boolean }).disabled)));
}

function seriesMessage(load: { requestId: number }, series: SeriesPayload[]): HostToWebview {
  const first = series[0]?.times ?? new Float64Array();
  return { type: 'series', requestId: load.requestId, from: first[0] ?? 0, to: first[first.length - 1] ?? 0, mode: 'raw', interval: null, series,
    records: first.length, fromCache: false, elapsedMs: 1 };
}

test('a record without a readable time is left out, and the summary says so; the panel keeps working', async () => {
  const source = withUnreadableTime(t.source);
  const c = await connected({ source, initial: { assetId: pump.assetId, aspect: 'Vibration', variables: ['Velocity', 'Temperature'] } });
  await settle(c);
  assert.match(await c.page.locator('.summary').textContent() ?? '', / · 1 record left out \(time not readable\) · /);
  await c.page.locator('vscode-button', { hasText: 'Export CSV' }).click();
  await until(async () => c.fake.of('notice').length > 0, 'the export');
  assert.match(c.fake.of('notice')[0]?.message ?? '', /^Exported [\d,]+ records/);
  await c.panel.close();
});

test('Load right after a zoom: the zoom still waiting does not cancel the load or bring back the old query', async () => {
  let release: () => void = () => {};
  const held = new Promise<void>((resolve) => (release = resolve));
  const source: SeriesSource = { ...t.source, readAggregates: async (request, options) => (await held, t.source.readAggregates(request, options)) };
  const c = await connected({ source, initial: { assetId: pump.assetId, aspect: 'Vibration', variables: ['Velocity'], range: { from: '2026-07-01T00:00:00Z', to: '2026-07-02T00:00:00Z' } } });
  await settle(c);
  const { page, panel } = c;
  assert.ok(c.fake.of('series')[0]?.series[0]?.downsampled, 'a zoom in fetches more detail');
  await page.locator('.chart').focus();
  await page.keyboard.press('+');
  await page.locator('vscode-radio[value="aggregate"]').click();
  await page.locator('vscode-button', { hasText: 'Load' }).click();
  const load = await panel.waitFor('load', (m) => m.query.mode === 'aggregate');
  // Longer than the zoom's debounce: a zoom left waiting has fired by now.
  await new Promise((r) => setTimeout(r, 1000));
  release();
  const settled = (type: 'series' | 'cancelled') => c.fake.posted.some((m) => m.type === type && m.requestId === load.requestId);
  await until(async () => settled('series') || settled('cancelled'), 'the answer to the load');
  assert.deepEqual(c.fake.of('cancelled'), [], 'the load was not cancelled');
  const answer = await answered(c, load);
  assert.equal(answer.mode, 'aggregate');
  assert.deepEqual(panel.sent.filter((m) => m.type === 'load' && m.requestId > load.requestId), [], 'no load after the one asked for');
  assert.match(await page.locator('.summary').textContent() ?? '', /aggregates of/);
  await panel.close();
});

test('a query\'s range with a UTC offset shows as UTC in the From (UTC) and To (UTC) fields; editing one end keeps the other', async () => {
  const c = await connected({ initial: { assetId: pump.assetId, aspect: 'Vibration', variables: ['Velocity'],
    range: { from: '2026-07-01T00:00:00+02:00', to: '2026-07-01T06:00:00+02:00' } } });
  await settle(c);
  const { page, panel } = c;
  const field = (id: string) => page.locator(`vscode-textfield#${id}`).evaluate((f) => (f as unknown as { value: string }).value);
  assert.deepEqual([await field('from'), await field('to')], ['2026-06-30T22:00', '2026-07-01T04:00']);
  await page.locator('vscode-textfield#to input').fill('2026-07-01T05:00');
  const edited = await panel.waitFor('load', (m) => 'to' in m.query.range && m.query.range.to === '2026-07-01T05:00');
  const answer = await answered(c, edited);
  assert.deepEqual([answer.from, answer.to], [Date.parse('2026-06-30T22:00:00Z'), Date.parse('2026-07-01T05:00:00Z')]);
  await panel.close();
});

test('the keyboard readout (< and >) is announced through a polite live region; mouse moves are not', async () => {
  const panel = await harness.open({});
  const load = await panel.answerCatalog();
  const times = Float64Array.from({ length: 100 }, (_, i) => Date.UTC(2026, 6, 1) + i * 36_000);
  await panel.post({ type: 'series', requestId: load.requestId, from: times[0] as number, to: times[99] as number, mode: 'raw', interval: null,
    records: 100, fromCache: false, elapsedMs: 1, series: [{ variable: 'Velocity', unit: 'mm/s', field: 'value', times,
      values: Float64Array.from({ length: 100 }, (_, i) => i + 0.5), quality: new Uint8Array(100), sourceCount: 100, sourceBad: 0, sourceUncertain: 0, downsampled: false }] });
  await drawn(panel.page);
  const live = panel.page.locator('.chart [aria-live="polite"]');
  await panel.page.locator('.chart').focus();
  await panel.page.keyboard.press('>');
  await panel.page.keyboard.press('>');
  const said = await live.textContent() ?? '';
  assert.match(said, /^2026-07-01 \d\d:\d\d:\d\d, Velocity \d+\.5 mm\/s$/);
  const box = await panel.page.locator('.u-over').boundingBox();
  assert.ok(box);
  await panel.page.mouse.move(box.x + 10, box.y + box.height / 2);
  assert.equal(await live.textContent(), said, 'a mouse move changes the legend only');
  await panel.close();
});

/** The panel's error line, or '' when none shows. */
async function errorText(page: Page): Promise<string> {
  return (await page.locator('.error').isVisible()) ? (await page.locator('.error').textContent() ?? '') : '';
}

test('Aggregates on an aspect with a boolean: the boolean is shown disabled with why, and the numeric variables load', async () => {
  const c = await connected({ initial: { assetId: pump.assetId, aspect: 'Flow' } });
  await settle(c);
  const { page, panel } = c;
  assert.deepEqual((await panel.waitFor('load')).query.variables, ['FlowRate', 'Pressure', 'Running'], 'raw: every variable');
  await page.locator('vscode-radio[value="aggregate"]').click();
  const aggregated = await panel.waitFor('load', (m) => m.query.mode === 'aggregate');
  assert.deepEqual(aggregated.query.variables, ['FlowRate', 'Pressure'], 'the boolean is not sent: MindSphere would refuse it (400)');
  await answered(c, aggregated);
  assert.equal(await errorText(page), '');
  const running = page.locator('vscode-option[value="Running"]');
  assert.equal(await running.evaluate((o) => (o as unknown as { disabled: boolean }).disabled), true);
  assert.equal(await running.textContent(), 'Running (boolean: Aggregates v4 aggregates numbers only)', 'the reason shows in the list');
  assert.deepEqual(await page.locator('vscode-multi-select#variables').evaluate((s) => (s as unknown as { value: string[] }).value), ['FlowRate', 'Pressure']);

  await page.locator('vscode-radio[value="raw"]').click();
  const raw = await panel.waitFor('load', (m) => m.requestId > aggregated.requestId && m.query.mode === 'raw');
  assert.deepEqual(raw.query.variables, ['FlowRate', 'Pressure', 'Running'], 'back in Raw the boolean is selected again');
  await panel.close();
});

test('Aggregates with only non-numeric variables selected: the panel says so and loads nothing', async () => {
  const state: ViewState = { version: 1, selection: { assetId: pump.assetId, assetName: pump.name, aspect: 'Flow', variables: ['Running'] },
    range: { preset: 'day' }, mode: 'aggregate', interval: 'auto', fields: ['average'], view: 'chart', hidden: [] };
  const c = await connected({ state });
  const { page, panel } = c;
  await page.locator('.error', { hasText: 'not numeric' }).waitFor();
  assert.equal(await errorText(page), "Aggregates v4 aggregates numeric variables only, and 'Running' is not numeric: pick a numeric variable, or choose Raw.");
  await new Promise((r) => setTimeout(r, 300));
  assert.equal(panel.sent.filter((m) => m.type === 'load').length, 0);
  await panel.close();
});

test('a load that fails leaves the previous chart dimmed, and says whose data it is, until a load succeeds', async () => {
  // Room for an hour of the three Vibration variables, not for a day: the day is refused as too large.
  const c = await connected({ initial: { assetId: pump.assetId, aspect: 'Vibration' }, rawMemoryBudget: 10_000 * (8 + 33 * 3) });
  await settle(c);
  const { page, panel, fake } = c;
  const note = page.locator('.previous-note');
  assert.equal(await note.isVisible(), false);
  await page.locator('vscode-single-select#range').click();
  await page.getByRole('option', { name: 'Last day' }).click();
  await fake.next('failed');
  await page.locator('.error', { hasText: 'Choose Aggregates' }).waitFor();
  assert.equal(await page.locator('vscode-tabs.previous').count(), 1, 'the chart and the table are dimmed');
  assert.equal(await note.textContent(),
    `Dimmed below: the previous selection, ${pump.name} › Vibration (Velocity, Acceleration, Temperature), Last hour, raw, not what the controls show.`);

  await page.locator('vscode-single-select#range').click();
  await page.getByRole('option', { name: 'Last hour' }).click();
  await until(async () => fake.of('series').length === 2, 'the hour loaded again');
  await drawn(page, 2);
  assert.equal(await page.locator('vscode-tabs.previous').count(), 0);
  assert.equal(await note.isVisible(), false);
  assert.equal(panel.sent.filter((m) => m.type === 'load').length, 3);
  await panel.close();
});

test('"Custom range…" waits for the dates: nothing loads until one is entered, then the range entered loads', async () => {
  const panel = await harness.open();
  const first = await panel.answerCatalog();
  const { page } = panel;
  const times = Float64Array.from({ length: 10 }, (_, i) => Date.UTC(2026, 6, 1) + i * 1000);
  await panel.post(seriesMessage(first, [{ variable: 'Velocity', unit: 'mm/s', field: 'value', times, values: new Float64Array(10),
    quality: new Uint8Array(10), sourceCount: 10, sourceBad: 0, sourceUncertain: 0, downsampled: false }]));
  await drawn(page);
  await page.locator('vscode-single-select#range').click();
  await page.getByRole('option', { name: 'Custom range…' }).click();
  await page.locator('vscode-textfield#from').waitFor();
  await new Promise((r) => setTimeout(r, 800)); // twice the panel's debounce
  assert.deepEqual(panel.sent.filter((m) => m.type === 'load').map((m) => m.requestId), [first.requestId], 'no load before a date is entered');
  await page.locator('vscode-textfield#from input').fill('2026-07-01T00:00');
  const custom = await panel.waitFor('load', (m) => m.requestId !== first.requestId);
  assert.equal('from' in custom.query.range && custom.query.range.from, '2026-07-01T00:00');
  await panel.close();
});

test('progress counts say "1 request", "2 requests"', async () => {
  const panel = await harness.open();
  const load = await panel.answerCatalog();
  const text = panel.page.locator('.progress-text');
  await panel.post({ type: 'progress', requestId: load.requestId, records: 2000, requests: 1, fraction: null });
  await until(async () => (await text.textContent()) === 'Loading… 2,000 records (1 request)', 'one request, singular');
  await panel.post({ type: 'progress', requestId: load.requestId, records: 4000, requests: 2, fraction: null });
  await until(async () => (await text.textContent()) === 'Loading… 4,000 records (2 requests)', 'two requests, plural');
  await panel.close();
});
