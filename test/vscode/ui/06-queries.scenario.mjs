// Queries as a maker meets them in the editor: on the Sandbox (chosen from the palette), a `.http` file with a Data Hub
// query that MindSphere would reject at run time ('ge' on timestamp) shows the squiggle on the operator; hovering it
// says why, with the rule's id; F8, Ctrl+. and Enter apply the preferred rewrite, and the squiggle goes; the
// "Run with MindSphere" lens above the query runs it against the sandbox and the objects open as JSON beside it, once
// (see run-query.ts), cursor at the top, read-only (closed without a question; Ctrl+S saves a copy); the lens of a request
// to another host refuses to send the token there.
import fs from 'node:fs';
import path from 'node:path';
import { acceptSaveDialog, openMindSphere, runCommand, waitNotification, waitRow } from './workbench.mjs';

const RESULT_TAB = 'TS_Vibration_Vibration_Pump (Sandbox).json';
const QUERY = "GET {{gateway}}/odata/mdsp_makers01/TS_Vibration_Vibration_Pump?$filter=timestamp ge '2024-03-01T00:00:00' and timestamp le '2024-03-01T00:01:00'&$select=timestamp,assetId,Velocity";
const FIXED = "timestamp gt '2024-02-29T23:59:59'";

export default {
  // The whole query in view: wrapped, and the editor gets the secondary side bar's room.
  settings: { 'editor.wordWrap': 'on', 'workbench.secondarySideBar.defaultVisibility': 'hidden' },
  async run({ page, folder, shot, log }) {
    fs.writeFileSync(path.join(folder, 'vibration.http'), [
      '### Pump vibration of one minute, from the Data Hub contract of the sandbox tenant',
      QUERY,
      '',
      '### Somebody else\'s server: the connection\'s token never goes there',
      'GET https://example.com/api/assetmanagement/v3/assets',
      '',
    ].join('\n'));
    await openMindSphere(page);
    await runCommand(page, 'MindSphere: Use Sandbox Tenant');
    await waitRow(page, /^Contracts$/);

    await page.keyboard.press('Control+P');
    await page.locator('.quick-input-widget input').first().fill('vibration.http');
    await page.locator('.quick-input-list .monaco-list-row', { hasText: 'vibration.http' }).first().waitFor({ timeout: 15_000 });
    await page.keyboard.press('Enter');
    const editor = page.locator('.editor-instance .monaco-editor', { has: page.locator('.view-lines', { hasText: 'Pump vibration of one minute' }) }).first();
    const squiggle = editor.locator('.squiggly-error').first();
    await squiggle.waitFor({ timeout: 30_000 });
    // The lenses move the lines down when they appear: the squiggle's place on screen is known after that.
    await editor.locator('.codelens-decoration a', { hasText: 'Run with MindSphere' }).first().waitFor({ timeout: 15_000 });

    // The mouse on the squiggle: the hover says what MindSphere does not allow and names the rule.
    const hover = page.locator('.monaco-hover', { hasText: "does not allow 'ge' on timestamp" }).first();
    for (let attempt = 1; !(await hover.isVisible()); attempt++) {
      const box = await squiggle.boundingBox(); // measured each time: the editor may still be laying out
      if (!box) throw new Error('the squiggle has no box on screen');
      await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2, { steps: 3 });
      await hover.waitFor({ timeout: 5_000 }).catch((error) => {
        if (attempt === 3) throw error;
      });
    }
    if (!(await hover.textContent()).includes('mdsp/filter-operator')) throw new Error('the hover does not name the rule mdsp/filter-operator');
    await shot('diagnostic');
    log("the squiggle on 'ge' says why MindSphere rejects it, with the rule's id");

    // Keyboard only: F8 goes to the problem (Escape closes its peek, the cursor stays), Ctrl+. lists the preferred
    // rewrite first, Enter applies it.
    await page.mouse.move(900, 780);
    await page.keyboard.press('F8');
    await page.locator('.marker-widget').first().waitFor({ timeout: 15_000 });
    await page.keyboard.press('Escape');
    const focused = page.locator('.action-widget .monaco-list-row.focused').first();
    for (let attempt = 1; ; attempt++) {
      // Right after Escape, VS Code may still be computing the actions at the cursor: a key press then shows nothing.
      await page.keyboard.press('Control+.');
      try {
        await focused.waitFor({ timeout: 5_000 });
        break;
      } catch (error) {
        if (attempt === 3) throw error;
      }
    }
    const title = (await focused.textContent()) ?? '';
    if (!title.includes(`Rewrite as ${FIXED}`)) throw new Error(`Ctrl+. focuses '${title}', not the rewrite`);
    await shot('quick-fix');
    await page.keyboard.press('Enter');
    await editor.locator('.view-lines', { hasText: FIXED }).waitFor({ timeout: 15_000 });
    await page.waitForFunction((el) => el.querySelectorAll('.squiggly-error').length === 0, await editor.elementHandle(), { timeout: 15_000 });
    log(`F8, Ctrl+. and Enter rewrote the filter as ${FIXED}, and the squiggle went`);

    // The lens above the query runs it with the connection's token (the file holds none) and opens the objects.
    await editor.locator('.codelens-decoration a', { hasText: 'Run with MindSphere' }).first().click();
    const result = page.locator('.editor-instance .monaco-editor .view-lines', { hasText: '"Velocity"' }).first();
    await result.waitFor({ timeout: 30_000 });
    await page.waitForTimeout(500); // time for a stray second tab to appear
    const tabs = await page.locator('.editor-group-container').evaluateAll((groups) => groups.map((g) => [...g.querySelectorAll('.tab')].map((t) => t.textContent.trim())));
    if (JSON.stringify(tabs) !== JSON.stringify([['vibration.http'], [RESULT_TAB]])) {
      throw new Error(`the result should open once, beside the query: the editor groups hold ${JSON.stringify(tabs)}`);
    }
    // The cursor at the top of the result, and the indentation as written (2 spaces).
    await page.locator('.statusbar-item', { hasText: 'Ln 1, Col 1' }).first().waitFor({ timeout: 5_000 });
    await page.locator('.statusbar-item', { hasText: 'Spaces: 2' }).first().waitFor({ timeout: 5_000 });
    await page.mouse.move(900, 780);
    await shot('run-result');
    log('Run with MindSphere opened the objects of the minute as JSON, once, beside the query');

    // The result is read-only: a key press is refused, Ctrl+Z leaves it whole, and Ctrl+W closes it without a question.
    await page.keyboard.press('x');
    await page.locator('.monaco-editor-overlaymessage', { hasText: 'Cannot edit in read-only editor' }).first().waitFor({ timeout: 5_000 });
    await page.keyboard.press('Control+Z');
    await page.waitForTimeout(300);
    if (!(await result.isVisible())) throw new Error('Ctrl+Z changed the result');
    await page.keyboard.press('Control+W');
    await page.locator('.tab', { hasText: RESULT_TAB }).waitFor({ state: 'detached', timeout: 5_000 });
    if (await page.locator('.monaco-dialog-box').count()) throw new Error('closing the result asked a question');
    log('the result is read-only, and closes without asking to be saved');

    // Run again: Ctrl+S on the result saves a copy, under the result's name, with the objects in it.
    await editor.locator('.codelens-decoration a', { hasText: 'Run with MindSphere' }).first().click();
    await result.waitFor({ timeout: 30_000 });
    await page.keyboard.press('Control+S');
    const saved = await acceptSaveDialog(page, `/${RESULT_TAB}`);
    const holdsObjects = () => {
      try {
        return JSON.parse(fs.readFileSync(saved, 'utf8')).value.length > 0;
      } catch {
        return false; // not written yet
      }
    };
    for (const deadline = Date.now() + 10_000; !holdsObjects(); await page.waitForTimeout(100)) {
      if (Date.now() > deadline) throw new Error(`Ctrl+S wrote no copy of the result to ${saved}`);
    }
    log(`Ctrl+S saved a copy of the result as ${path.basename(saved)}`);

    // The second request goes to another host: refused, said so, nothing opened.
    await page.locator('.tab', { hasText: 'vibration.http' }).first().click();
    await editor.locator('.codelens-decoration a', { hasText: 'Run with MindSphere' }).nth(1).click();
    await waitNotification(page, 'Not sent: this request goes to https://example.com');
    log('the lens of a request to example.com refused to send the token there');
  },
};
