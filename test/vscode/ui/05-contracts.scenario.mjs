// Contracts as a maker meets them: on the Sandbox (chosen from the palette), Ctrl+click two asset types (Pump and CNGTurbine), right-click ›
// "New Contract…", include the derived LPGTurbine when asked, name it; the contract file opens and the explorer's
// Contracts node lists it as not on the tenant beside the tenant's published "Plant"; "Publish Contract" on the file
// publishes it to Data Hub and the node shows both contracts published.
import { answerInput, clickInContextMenu, expandRow, openMindSphere, runCommand, waitNotification, waitRow, widenSideBar } from './workbench.mjs';

export default {
  // Sticky tree headers would cover the row being clicked after a scroll.
  settings: { 'workbench.tree.enableStickyScroll': false },
  async run({ page, shot, log }) {
    await openMindSphere(page);
    await widenSideBar(page);
    await runCommand(page, 'MindSphere: Use Sandbox Tenant');
    await waitRow(page, /^Contracts$/);
    await page.locator('.pane-header .action-label[aria-label^="Collapse All"]').first().click();
    await expandRow(page, /^Sandbox$/);
    await expandRow(page, /^Asset Types$/);
    await expandRow(page, /^BasicAsset$/);

    // Two asset types selected at once, then the context menu of the selection.
    const pump = await waitRow(page, /^Pump$/);
    await pump.click();
    const cng = await waitRow(page, /^CNGTurbine$/);
    await cng.click({ modifiers: ['Control'] });
    if ((await page.locator('.part.sidebar .monaco-list-row.selected').count()) !== 2) throw new Error('Ctrl+click did not select both asset types');
    await clickInContextMenu(page, cng, 'New Contract…');
    await page.locator('.quick-input-widget', { hasText: 'Include LPGTurbine too' }).waitFor({ timeout: 15_000 });
    await shot('related-types');
    await page.keyboard.press('Enter'); // the first item: include the related type
    await page.locator('.quick-input-widget', { hasText: 'New Contract: name' }).waitFor({ timeout: 15_000 });
    await answerInput(page, 'Plant Equipment');
    await page.locator('.quick-input-widget', { hasText: 'New Contract: version' }).waitFor({ timeout: 15_000 });
    await answerInput(page, '1.0.0');
    await page.locator('.tab', { hasText: 'Plant-Equipment.contract.json' }).first().waitFor({ timeout: 15_000 });
    await page.locator('.view-lines', { hasText: '"applicationName": "mdsp_makers01"' }).first().waitFor({ timeout: 15_000 });
    log('New Contract… from two selected asset types (+ the derived LPGTurbine) wrote and opened Plant-Equipment.contract.json');

    await page.locator('.pane-header .action-label[aria-label^="Collapse All"]').first().click();
    await expandRow(page, /^Sandbox$/);
    await expandRow(page, /^Contracts$/);
    const file = await waitRow(page, /^Plant-Equipment\.contract\.json$/);
    await waitRow(page, 'Plant-Equipment.contract.jsonnot on the tenant');
    await waitRow(page, 'Plant1.0.0 · published');
    await page.mouse.move(900, 750);
    await shot('contract-file');
    log('the Contracts node lists the file as not on the tenant beside the published Plant contract');

    await clickInContextMenu(page, file, 'Publish Contract');
    await waitNotification(page, "Published 'Plant Equipment' 1.0.0 to Data Hub");
    await waitRow(page, 'Plant Equipment1.0.0 · published');
    await waitRow(page, 'Plant-Equipment.contract.jsonpublished');
    await runCommand(page, 'Notifications: Clear All Notifications');
    await page.mouse.move(900, 750);
    await shot('published');
    log('Publish Contract: published to Data Hub, and the Contracts node shows it');
  },
};
