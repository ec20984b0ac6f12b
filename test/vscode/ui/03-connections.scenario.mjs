/* global window, document, MutationObserver -- the functions passed to page.evaluate run in the workbench page */
// A maker's own tenant, played by a second sandbox with 10,000 assets and an area of 2,000 more (started here, outside
// VS Code, with real credentials): "Add Connection…" takes the binding keys pasted in one go into a password box,
// verifies them and connects; the area's first page appears at once and "Load more…" brings the next; a wrong secret
// is refused with the reason and nothing saved; removal from the Connections view asks first. Afterwards the secrets
// are in no file under the user data folder (logs, settings, state) and not in plain text in the browser's storage.
import fs from 'node:fs';
import { filesBelow } from '../code-server.mjs';
import {
  answerInput, bindingKeysText, clickInContextMenu, expandRow, expandView, openMindSphere, runCommand, startTenant,
  waitNotification, waitRow, widenSideBar,
} from './workbench.mjs';

const WIDE = 2000;

export default {
  // Sticky tree headers would cover the row being clicked after a scroll.
  settings: { 'workbench.tree.enableStickyScroll': false },
  async run({ page, server, shot, log }) {
    const started = Date.now();
    const tenant = await startTenant({ seed: 'acme', tenant: 'acme01', assets: 10_000, wide: WIDE });
    log(`tenant acme01 (10,000 assets, ${WIDE} more under '${tenant.area.name}') ready in ${Date.now() - started} ms`);
    const wrongSecret = 'wrong-secret-4f2a9c';
    try {
      await openMindSphere(page);
      await widenSideBar(page);
      await runCommand(page, 'MindSphere: Add Connection…');
      await page.locator('.quick-input-widget', { hasText: 'Paste the binding keys' }).waitFor({ timeout: 15_000 });
      const box = page.locator('.quick-input-widget input').first();
      if ((await box.getAttribute('type')) !== 'password') throw new Error('the binding keys box must be a password box: the text holds the secret');
      await answerInput(page, bindingKeysText(tenant));
      await page.locator('.quick-input-widget', { hasText: 'Name this connection (tenant acme01' }).waitFor({ timeout: 15_000 });
      await answerInput(page, 'Acme Plant');
      await waitNotification(page, "Connected to 'Acme Plant' (tenant acme01)");
      await page.locator('.statusbar-item', { hasText: 'Acme Plant' }).first().waitFor({ timeout: 10_000 });
      log('binding keys pasted in one go, verified and saved; the status bar shows the connection');

      await expandRow(page, new RegExp(`^${tenant.site.name}$`));
      const area = await waitRow(page, new RegExp(`^${tenant.area.name}$`));
      const ms = await timeUntilRow(page, 'Sensor 0001', () => area.click());
      log(`expanding '${tenant.area.name}' (${WIDE}+ children, 10,000-asset tenant): first page in the DOM ${ms.toFixed(0)} ms after the click`);
      await page.mouse.move(900, 700);
      const more = await waitRow(page, 'Load more…');
      if (!/200 of 2,0\d\d shown/.test(await more.textContent())) throw new Error(`unexpected Load more row: ${await more.textContent()}`);
      await shot('load-more');
      await more.click();
      await waitRow(page, /^Sensor 0201$/);
      log('"Load more…" added the next 200 children');
      await page.mouse.move(900, 700);
      await shot('paged');

      await runCommand(page, 'MindSphere: Add Connection…');
      await page.locator('.quick-input-widget', { hasText: 'Paste the binding keys' }).waitFor({ timeout: 15_000 });
      await answerInput(page, bindingKeysText(tenant, wrongSecret));
      await page.locator('.quick-input-widget', { hasText: 'Name this connection' }).waitFor({ timeout: 15_000 });
      await answerInput(page, 'Wrong Secret');
      const error = await waitNotification(page, 'was not saved');
      const text = await error.textContent();
      if (!/\(401\)/.test(text) || !/client secret does not match the client ID 'acme01-app-v1\.0\.0-7731'/.test(text)) {
        throw new Error(`the error does not say what happened: ${text}`);
      }
      // The check is over: its progress notification must not stay behind the error (VS Code keeps one a moment).
      const checking = page.locator('.notification-toast, .notifications-center .notification-list-item', { hasText: 'Checking the binding keys' });
      await checking.first().waitFor({ state: 'hidden', timeout: 5_000 }).catch(() => {
        throw new Error('the "Checking the binding keys" progress is still shown after the error');
      });
      await shot('wrong-secret');
      log('a wrong secret: 401, the reason, nothing saved');

      await expandView(page, 'Connections');
      const row = await waitRow(page, 'Acme Plant');
      if (await page.locator('.pane-body .monaco-list-row', { hasText: 'Wrong Secret' }).count()) throw new Error('the wrong secret was saved');
      await clickInContextMenu(page, row, 'Remove Connection');
      const dialog = page.locator('.monaco-dialog-box');
      await dialog.waitFor({ timeout: 10_000 });
      await shot('remove-confirm');
      await dialog.getByRole('button', { name: 'Remove' }).click();
      await page.locator('.pane-body .monaco-list-row', { hasText: 'Acme Plant' }).waitFor({ state: 'detached', timeout: 10_000 });
      log('removed from the Connections view after a confirmation');

      // The leak check: every file code-server keeps (user data, logs, settings), and the browser's storage.
      await page.waitForTimeout(1500);
      const needles = [tenant.clientSecret, wrongSecret, Buffer.from(`${tenant.clientId}:${tenant.clientSecret}`).toString('base64')];
      const files = filesBelow(server.scratch).filter((f) => { const st = fs.statSync(f); return st.isFile() && st.size < 50_000_000; });
      const logFiles = files.filter((f) => /MindSphere\.log$/.test(f));
      if (logFiles.length === 0) throw new Error('the MindSphere log is not under the user data folder: the scan would prove nothing');
      const leaks = files.filter((f) => needles.some((n) => fs.readFileSync(f, 'latin1').includes(n)));
      if (leaks.length) throw new Error(`a secret is in ${leaks.join(', ')}`);
      const storage = await page.evaluate(() => JSON.stringify(Object.entries(localStorage)));
      if (needles.some((n) => storage.includes(n))) throw new Error('a secret is in plain text in the browser\'s localStorage');
      log(`no secret in ${files.length} files under the user data folder, nor in plain text in localStorage`);
    } finally {
      await tenant.close();
    }
  },
};

/** Milliseconds, measured in the page, from the mouse press of `act` until a tree row labelled `label` is in the DOM. */
async function timeUntilRow(page, label, act) {
  await page.evaluate((target) => {
    window.mdspTimeUntilRow = new Promise((resolve) => {
      let pressed;
      document.addEventListener('mousedown', () => { pressed = performance.now(); }, { capture: true, once: true });
      const observer = new MutationObserver(() => {
        if (pressed === undefined) return;
        if ([...document.querySelectorAll('.monaco-list-row .label-name')].some((e) => e.textContent.trim() === target)) {
          observer.disconnect();
          resolve(performance.now() - pressed);
        }
      });
      observer.observe(document.body, { subtree: true, childList: true, characterData: true });
    });
  }, label);
  await act();
  return page.evaluate(() => window.mdspTimeUntilRow);
}
