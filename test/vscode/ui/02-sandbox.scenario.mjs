// The first minutes with the Sandbox: the welcome's "Try the Sandbox Tenant" starts the sandbox tenant (its default
// plant) and the explorer shows it through the hierarchy down to a pump's variables with units; "Find Asset…" finds a
// turbine by part of its name and reveals it; Asset Types show the derivation. (03-connections does it at scale.)
import { expandRow, openMindSphere, runCommand, waitRow, widenSideBar } from './workbench.mjs';

export default {
  // Sticky tree headers would cover the row being clicked after a scroll.
  settings: { 'workbench.tree.enableStickyScroll': false },
  async run({ page, shot, log }) {
    await openMindSphere(page);
    await widenSideBar(page);
    const tryIt = page.getByRole('button', { name: 'Try the Sandbox Tenant' });
    await tryIt.waitFor({ timeout: 30_000 });
    await shot('welcome');
    const started = Date.now();
    await tryIt.click();
    await waitRow(page, 'Nuremberg Plant');
    log(`sandbox started and its sites shown in ${Date.now() - started} ms`);
    await page.locator('.statusbar-item', { hasText: 'Sandbox' }).first().waitFor({ timeout: 10_000 });

    await expandRow(page, 'Nuremberg Plant');
    await expandRow(page, /^Pump House$/);
    const pump = await waitRow(page, /Pump P-\d+/);
    await expandRow(page, new RegExp(`^${(await pump.locator('.label-name').textContent()).trim()}$`));
    await expandRow(page, /^Flow$/);
    await waitRow(page, 'FlowRateDOUBLE · m3/h');
    log('hierarchy: makers01 › Nuremberg Plant › Pump House › Pump › Flow › FlowRate (DOUBLE · m3/h)');
    await page.mouse.move(700, 700); // no tooltip over the tree in the screenshot
    await shot('hierarchy');

    await runCommand(page, 'MindSphere: Find Asset…');
    await answerInputSlowly(page, 'turbine l-1');
    const hit = page.locator('.quick-input-list .monaco-list-row', { hasText: /LPG Turbine L-1/ }).first();
    await hit.waitFor({ timeout: 15_000 });
    await shot('find-asset');
    const name = (await hit.locator('.label-name').first().textContent()).trim();
    await page.keyboard.press('Enter');
    await page.locator('.monaco-list-row.selected', { hasText: name }).first().waitFor({ timeout: 15_000 });
    log(`Find Asset revealed and selected '${name}'`);

    await page.locator('.pane-header .action-label[aria-label^="Collapse All"]').first().click();
    await expandRow(page, /^Sandbox$/);
    await expandRow(page, /^Asset Types$/);
    await expandRow(page, /^BasicAsset$/);
    await expandRow(page, /^CNGTurbine$/);
    await expandRow(page, /^LPGTurbine$/);
    await waitRow(page, 'PrimaryMotorPowerConsumption · dynamic · from CNGTurbine');
    await page.mouse.move(700, 700);
    await shot('asset-types');
  },
};

/** The quick pick searches as you type: type like a person, not one paste. */
async function answerInputSlowly(page, text) {
  const input = page.locator('.quick-input-widget input[placeholder="Type part of an asset name"]').first();
  await input.waitFor({ state: 'visible', timeout: 15_000 });
  await input.pressSequentially(text, { delay: 20 });
}
