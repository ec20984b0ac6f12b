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

/**
 * A tree row of a view in the side bar: a string is looked for in the row's text, a RegExp is matched against its label
 * alone. Only the side bar: the notification center is a list too, and its "Connected to 'Acme Plant'" is a row.
 */
export function treeRow(page, text) {
  const rows = page.locator('.part.sidebar .monaco-list-row');
  if (text instanceof RegExp) return rows.filter({ has: page.locator('.label-name', { hasText: text }) }).first();
  return rows.filter({ hasText: text }).first();
}

/**
 * Waits for a tree row with this text and returns it. Trees render only the rows in view, so while it is missing the
 * view under the mouse (the MindSphere explorer) scrolls down, as a person would.
 */
export async function waitRow(page, text, timeout = 30_000) {
  const row = treeRow(page, text);
  const deadline = Date.now() + timeout;
  let box;
  for (;;) {
    if (await row.count()) {
      await row.scrollIntoViewIfNeeded();
      return row;
    }
    if (Date.now() > deadline) throw new Error(`no tree row ${text} within ${timeout} ms`);
    box ??= await page.locator('.part.sidebar .pane-body .monaco-list').first().boundingBox().catch(() => null);
    if (box) {
      await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
      await page.mouse.wheel(0, 500);
    }
    await page.waitForTimeout(60);
  }
}

/** Expands a collapsed tree row (a click toggles it) and waits until it says so. */
export async function expandRow(page, text) {
  const row = await waitRow(page, text);
  if ((await row.getAttribute('aria-expanded')) !== 'true') {
    // waitRow may leave the mouse over another row, whose tooltip can cover this one: move away until it is gone.
    await page.mouse.move(900, 700);
    await page.locator('.context-view .monaco-hover, .workbench-hover-container').first().waitFor({ state: 'hidden', timeout: 5_000 }).catch(() => {});
    await row.click();
  }
  await page.waitForFunction((el) => el.getAttribute('aria-expanded') === 'true', await row.elementHandle(), { timeout: 30_000 });
  return row;
}

/**
 * A notification containing `text`: a toast, or, when VS Code queued it silently (it does while a quick input is open),
 * the entry in the notification center, opened from the status bar's bell.
 */
export async function waitNotification(page, text, timeout = 30_000) {
  const found = page.locator('.notification-toast, .notifications-center .notification-list-item', { hasText: text }).first();
  const deadline = Date.now() + timeout;
  let opened = false;
  while (!(await found.isVisible())) {
    if (Date.now() > deadline) throw new Error(`no notification '${text}' within ${timeout} ms`);
    if (!opened && Date.now() > deadline - timeout + 2000) {
      opened = true;
      if (!(await page.locator('.notifications-center.visible').count())) {
        await page.locator('.statusbar-item[id$="notifications"] a, .statusbar-item[id$="notifications"]').first().click().catch(() => {});
      }
    }
    await page.waitForTimeout(100);
  }
  return found;
}

/** Right-clicks a tree row and clicks the item `label` of its context menu. */
export async function clickInContextMenu(page, row, label) {
  const item = page.locator('.context-view .action-label', { hasText: label }).first();
  for (let attempt = 1; ; attempt++) {
    await row.click({ button: 'right' });
    try {
      await item.waitFor({ timeout: 10_000 });
      break;
    } catch (error) {
      // A hover or a toast that appeared under the mouse at that moment can swallow the click: once more, as a person would.
      if (attempt === 2) throw error;
      await page.keyboard.press('Escape');
      await page.mouse.move(900, 700);
    }
  }
  await page.waitForTimeout(400); // a menu ignores a click right after it opens
  await item.click();
}

/** Expands the side bar view `title` when it is collapsed (a click on its header toggles it). */
export async function expandView(page, title) {
  const header = page.locator('.part.sidebar .pane-header', { hasText: title }).first();
  if ((await header.getAttribute('aria-expanded')) !== 'true') await header.click();
  await page.waitForFunction((el) => el.getAttribute('aria-expanded') === 'true', await header.elementHandle(), { timeout: 10_000 });
}

/** Types into the quick input (prompt or picker) and presses Enter. */
export async function answerInput(page, value) {
  const input = page.locator('.quick-input-widget input').first();
  await input.waitFor({ state: 'visible', timeout: 15_000 });
  await input.fill(value);
  await page.keyboard.press('Enter');
}

/** A sandbox tenant in this (the test runner's) process, loaded from source through tsx: see tenant.ts. */
/**
 * Accepts VS Code's save dialog (the simple one code-server shows) once it proposes a file whose path ends with
 * `ending`, and returns that path. The dialog shows the folder first, then the proposed name.
 */
export async function acceptSaveDialog(page, ending) {
  const input = page.locator('.quick-input-widget input').first();
  await input.waitFor({ state: 'visible', timeout: 10_000 });
  await page.waitForFunction(([el, end]) => el.value.endsWith(end), [await input.elementHandle(), ending], { timeout: 10_000 })
    .catch(async () => { throw new Error(`the save dialog proposed '${await input.inputValue()}', not a file ending in '${ending}'`); });
  const file = await input.inputValue();
  await page.keyboard.press('Enter');
  return file;
}

export async function startTenant(options) {
  const { tsImport } = await import('tsx/esm/api');
  const { startTenant: start } = await tsImport('./tenant.ts', import.meta.url);
  return start(options);
}

/** The binding keys pop-up of the Service Management Dashboard, as a person copies it. */
export function bindingKeysText(sandbox, secret = sandbox.clientSecret) {
  return `clientID\n${sandbox.clientId}\nTokenURL\n${sandbox.tokenUrl}\nclientSecret\n${secret}`;
}

/** Drags the sash between the side bar and the editor, so the tree's descriptions fit in a screenshot. */
export async function widenSideBar(page, width = 520) {
  const sidebar = await page.locator('.part.sidebar').first().boundingBox();
  if (!sidebar) return;
  const edge = sidebar.x + sidebar.width;
  const y = sidebar.y + sidebar.height / 2;
  await page.mouse.move(edge + 1, y);
  await page.mouse.down();
  await page.mouse.move(width, y, { steps: 8 });
  await page.mouse.up();
}

/**
 * The page inside the visible webview panel. VS Code nests it twice: the workbench's `iframe.webview` (another origin)
 * holds the frame `#active-frame` with the extension's HTML.
 */
export function webview(page) {
  return page.frameLocator('iframe.webview.ready >> visible=true').frameLocator('#active-frame');
}
