// Preview Time Series, as a maker meets it: on the Sandbox, the graph action of a pump's Flow aspect in the tree opens a
// panel that charts the last day (a record a second, past the 2000 cap, drawn min/max per pixel); the panel comes back
// with its chart after the window reloads (the panel serializer); a long load shows progress in the panel and in VS
// Code's notification, and the panel's Cancel stops it; 90 days of raw data is refused (it would not fit in memory),
// with a message that says to choose Aggregates; from the palette, an asset found by name (an area among the matches
// says it has no time series) and one of its dynamic aspects open in a second panel; a tenant whose binding keys lack
// the IoT Time Series role gets MindSphere's 403 in the panel.
// Export JSON writes every loaded record to the file the save dialog names. No secret or token is ever in the webview's
// page.
import fs from 'node:fs';
import path from 'node:path';
import { tsImport } from 'tsx/esm/api';
import {
  acceptSaveDialog, answerInput, bindingKeysText, clickInContextMenu, expandRow, openMindSphere, runCommand, startTenant, waitNotification, waitRow,
  webview,
} from './workbench.mjs';

/** The panel's summary of a loaded day: its records (86,400, less the plant's connectivity gaps of that day), then more. */
const DAY_SUMMARY = /^(8[0-6]),\d{3} records · /;

export default {
  // Sticky tree headers would cover the row being clicked after a scroll; the chart gets the secondary side bar's room.
  settings: { 'workbench.tree.enableStickyScroll': false, 'workbench.secondarySideBar.defaultVisibility': 'hidden' },
  async run({ page, shot, log }) {
    await openMindSphere(page);
    await page.getByRole('button', { name: 'Try the Sandbox Tenant' }).click();
    await expandRow(page, 'Nuremberg Plant');
    await expandRow(page, /^Pump House$/);
    const pump = (await (await waitRow(page, /^Pump P-\d+$/)).locator('.label-name').textContent()).trim();
    await expandRow(page, new RegExp(`^${pump}$`));

    // The inline graph action of the aspect's row, as a person hovers the row and clicks it.
    const flow = await waitRow(page, /^Flow$/);
    await flow.hover();
    const action = flow.locator('.action-label[aria-label="Preview Time Series"]');
    await action.waitFor({ timeout: 10_000 });
    const clicked = Date.now();
    await action.click();
    const view = webview(page);
    const summary = view.locator('.summary');
    // A day of records a second: 86,400, less any connectivity gaps the plant has in the last 24 hours (seeded, 1% an hour).
    await summary.filter({ hasText: DAY_SUMMARY }).waitFor({ timeout: 120_000 });
    const dayText = await summary.textContent();
    const [, records = '', points = ''] = /^([\d,]+) records · [\d,]+ points drawn of ([\d,]+) \(min\/max per pixel/.exec(dayText) ?? [];
    const count = (s) => Number(s.replaceAll(',', ''));
    if (!(count(records) > 80_000 && count(points) >= 3 * count(records))) throw new Error(`not a day of 3 variables, drawn min/max per pixel: '${dayText}'`);
    log(`inline action to the chart of the last day (${records} records of 3 variables): ${Date.now() - clicked} ms`);
    await page.locator('.tab', { hasText: `${pump} › Flow` }).waitFor({ timeout: 10_000 });
    const drawn = await view.locator('body').evaluate(() => performance.getEntriesByName('mdsp-preview-drawn').length);
    if (drawn < 1) throw new Error('the chart was not drawn');
    if ((await view.locator('.u-legend .u-series th').allTextContents()).map((t) => t.trim()).join(',') !== 'Time (UTC),FlowRate,Pressure,Running') {
      throw new Error('the legend does not name the three variables of Flow');
    }
    // The cursor readout: time and values under the mouse.
    const plot = await view.locator('.u-over').boundingBox();
    await page.mouse.move(plot.x + plot.width * 0.62, plot.y + plot.height * 0.4);
    await view.locator('.u-legend .u-value', { hasText: /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d/ }).first().waitFor({ timeout: 5000 });
    await shot('chart');

    await noSecretIn(view, log);

    // Export JSON: the save dialog proposes a file in the workspace, and the file holds every record of the day.
    await view.locator('vscode-button', { hasText: 'Export JSON' }).click();
    const file = await acceptSaveDialog(page, '.json');
    await view.locator('.notice', { hasText: `Exported ${records} records to ` }).waitFor({ timeout: 60_000 });
    const exported = JSON.parse(fs.readFileSync(file, 'utf8'));
    if (exported.length !== count(records) || !exported.every((r) => typeof r._time === 'string')) {
      throw new Error(`${file} holds ${exported.length} records, not the ${records} loaded`);
    }
    log(`Export JSON wrote the ${records} records to ${path.basename(file)}`);

    // A reload of the window: the serializer brings the panel back, and the webview its view state and chart.
    const reloading = Date.now();
    const reloaded = page.waitForEvent('load', { timeout: 60_000 });
    await runCommand(page, 'Developer: Reload Window');
    await reloaded;
    const steps = [];
    const step = async (what, locator, timeout = 120_000) => {
      await locator.waitFor({ timeout });
      steps.push(`${what} ${Date.now() - reloading} ms`);
    };
    await step('tab', page.locator('.tab', { hasText: `${pump} › Flow` }));
    await step('webview', webview(page).locator('header .path', { hasText: pump }));
    await step('chart', webview(page).locator('.summary', { hasText: DAY_SUMMARY }));
    log(`after a window reload the panel is back with its chart: ${steps.join(', ')}`);
    await shot('restored');

    // A long load: 30 days of 1 s data (2.6 million records). Progress in the panel and in VS Code; the panel cancels it.
    const restored = webview(page);
    await restored.locator('vscode-single-select#range').click();
    await restored.getByRole('option', { name: 'Last 30 days' }).click();
    const progress = restored.locator('.progress-text', { hasText: /^Loading… [\d,]+ records \([\d,]+ requests\)$/ });
    await progress.waitFor({ timeout: 30_000 });
    await waitNotification(page, `Loading ${pump} › Flow`, 15_000);
    await shot('loading');
    const before = await progress.textContent();
    await restored.locator('.progress vscode-button', { hasText: 'Cancel' }).click();
    await restored.locator('.notice', { hasText: 'Loading cancelled.' }).waitFor({ timeout: 10_000 });
    if (!(await restored.locator('.progress').isHidden())) throw new Error('the progress bar stayed after Cancel');
    await page.locator('.notification-toast', { hasText: `Loading ${pump} › Flow` }).waitFor({ state: 'hidden', timeout: 10_000 });
    if (!DAY_SUMMARY.test(await restored.locator('.summary').textContent())) throw new Error('the chart of the day went away');
    log(`Cancel in the panel stopped the 30-day load (at '${before}'); VS Code's progress went with it; the day's chart stays`);

    // 90 days of raw 1 s data (7.8 million records) would not fit in memory: refused after the first page, the chart stays.
    await restored.locator('vscode-single-select#range').click();
    await restored.getByRole('option', { name: 'Last 90 days' }).click();
    await restored.locator('.error', { hasText: /^This range holds about \d,\d{3},\d{3} raw records, more than the 5,000,000 the preview loads raw/ })
      .waitFor({ timeout: 30_000 });
    if (!DAY_SUMMARY.test(await restored.locator('.summary').textContent())) throw new Error('the chart of the day went away');
    log('90 days of raw data: refused after the first page with a message that says to choose Aggregates; the day\'s chart stays');

    // From the palette: the asset searched by name on the tenant, then one of its aspects; a second panel opens beside.
    const search = page.locator('.quick-input-widget input[placeholder="Type part of an asset name"]').first();
    for (let attempt = 1; ; attempt++) {
      await runCommand(page, 'MindSphere: Preview Time Series');
      await search.waitFor({ state: 'visible', timeout: 15_000 });
      try {
        await search.fill('pump', { timeout: 5_000 });
        break;
      } catch (error) {
        // Focus coming back from the panel's range list just closed can close the picker: once more, as a person would.
        if (attempt === 2) throw error;
        await page.keyboard.press('Escape');
      }
    }
    // An area has no dynamic aspect: it stays in the list (the count of matches holds) and says it has no time series.
    const row = (label) => page.locator('.quick-input-list .monaco-list-row').filter({ has: page.locator('.label-name', { hasText: label }) }).first();
    const area = row(/^Pump House$/);
    await area.waitFor({ timeout: 15_000 });
    if (!/no time series/.test(await area.textContent())) throw new Error(`the area's item does not say it has no time series: ${await area.textContent()}`);
    if (/no time series/.test(await row(/^Pump P-\d+$/).textContent())) {
      throw new Error('a pump\'s item says it has no time series');
    }
    log(`the asset picker marks an area: ${await area.textContent()}`);
    await search.fill('pump p-102');
    await area.waitFor({ state: 'hidden', timeout: 15_000 }); // Enter must not take the first row of the search before
    await page.locator('.quick-input-list .monaco-list-row', { hasText: 'Pump P-102' }).first().waitFor({ timeout: 15_000 }).catch(async (error) => {
      const title = await page.locator('.quick-input-widget .quick-input-title').first().textContent().catch(() => '');
      throw new Error(`the search for 'pump p-102' showed no Pump P-102 (box: '${await search.inputValue()}', title: '${title}'): ${error.message}`);
    });
    await page.keyboard.press('Enter');
    await page.locator('.quick-input-widget', { hasText: "Preview Time Series of 'Pump P-102'" }).waitFor({ timeout: 15_000 });
    await page.locator('.quick-input-list .monaco-list-row', { hasText: 'Vibration' }).first().click();
    await webview(page).locator('.summary', { hasText: DAY_SUMMARY }).waitFor({ timeout: 120_000 });
    await page.locator('.tab', { hasText: 'Pump P-102 › Vibration' }).waitFor({ timeout: 10_000 });
    if (!(await page.locator('.tab', { hasText: `${pump} › Flow` }).count())) throw new Error('the first panel closed');
    log(`from the palette: Pump P-102 › Vibration in a second panel (${await webview(page).locator('.summary').textContent()})`);

    // Binding keys without the IoT Time Series role: the tenant refuses the read with 403, and the panel says so.
    const tenant = await startTenant({ tenant: 'norole01', clientSecret: 'norole-secret-2d7c41', scopes: ['mdsp:core:assetmanagement.standarduser'], wide: 0 });
    try {
      await runCommand(page, 'MindSphere: Add Connection…');
      await page.locator('.quick-input-widget', { hasText: 'Paste the binding keys' }).waitFor({ timeout: 15_000 });
      await answerInput(page, bindingKeysText(tenant));
      await page.locator('.quick-input-widget', { hasText: 'Name this connection' }).waitFor({ timeout: 15_000 });
      await answerInput(page, 'No Time Series Role');
      await waitNotification(page, "Connected to 'No Time Series Role'");
      await expandRow(page, 'Nuremberg Plant');
      await expandRow(page, /^Pump House$/);
      await expandRow(page, new RegExp(`^${pump}$`));
      const refused = await waitRow(page, /^Flow$/);
      await clickInContextMenu(page, refused, 'Preview Time Series');
      const error = webview(page).locator('.error');
      await error.filter({ hasText: /\(403\)/ }).waitFor({ timeout: 60_000 });
      const text = await error.textContent();
      if (!/lack a role/.test(text)) throw new Error(`the error does not say what to do: ${text}`);
      if (text.includes(tenant.clientSecret)) throw new Error('the error shows the client secret');
      log(`a read refused by the tenant shows in the panel with its status: ${text}`);
      await page.mouse.move(700, 780);
      await shot('error');
    } finally {
      await tenant.close();
    }
  },
};

/** The webview's page (markup and text, shadow roots included) holds no client secret and no token. */
async function noSecretIn(view, log) {
  const { defaultClientSecret } = await tsImport('../../../src/sandbox/auth.ts', import.meta.url);
  await view.locator('vscode-button', { hasText: 'Copy REST request' }).click();
  await view.locator('.notice', { hasText: /^Copied the REST request \(without a token\): GET http:\/\/127\.0\.0\.1:\d+\/api\/iottimeseries\/v3\/timeseries\// }).waitFor({ timeout: 10_000 });
  const page = await view.locator('html').evaluate((html) => {
    const all = [html.outerHTML];
    for (const el of html.querySelectorAll('*')) if (el.shadowRoot) all.push(el.shadowRoot.innerHTML);
    return all.join('\n');
  });
  const secret = defaultClientSecret('makers');
  if (page.includes(secret)) throw new Error('the webview holds the sandbox\'s client secret');
  if (/eyJ[\w-]{8,}\.eyJ[\w-]{8,}/.test(page)) throw new Error('the webview holds a JWT');
  if (/Bearer (?!&lt;token&gt;|<token>)\S/.test(page)) throw new Error('the webview holds a bearer token');
  log(`no client secret, JWT or bearer token in the webview's page (${page.length.toLocaleString('en-US')} characters)`);
}
