// Small helpers to drive the VS Code workbench (code-server in chromium) the way a person would.

/** F1 → type the command's title → Enter, as a user runs a command from the palette. */
export async function runCommand(page, title) {
  await page.keyboard.press('F1');
  const input = page.locator('.quick-input-widget input[type="text"], .quick-input-widget .quick-input-box input').first();
  await input.waitFor({ state: 'visible', timeout: 15_000 });
  await input.fill('>' + title);
  await page.locator('.quick-input-list .monaco-list-row', { hasText: title }).first().waitFor({ timeout: 15_000 });
  await page.keyboard.press('Enter');
}

/** Clicks the MindSphere entry of the activity bar (waits for the extension to contribute it). */
export async function openMindSphere(page) {
  const item = page.locator('.activitybar .action-item a[aria-label^="MindSphere"], .activitybar .action-label[aria-label^="MindSphere"]').first();
  await item.waitFor({ timeout: 60_000 });
  await item.click();
  return item;
}

/** A tree row of any view, by its visible text. */
export function treeRow(page, text) {
  return page.locator('.monaco-list-row', { hasText: text }).first();
}
