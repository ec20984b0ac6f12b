// First contact: the MindSphere icon in the activity bar opens the view container with its welcome content,
// and "MindSphere: Show Logs" shows the extension's log with its activation line.
import { openMindSphere, runCommand } from './workbench.mjs';

export default {
  async run({ page, shot, log }) {
    await openMindSphere(page);
    await page.locator('.welcome-view-content', { hasText: 'MindSphere' }).first().waitFor({ timeout: 30_000 });
    log('view container and welcome view visible');
    await shot('welcome');
    await runCommand(page, 'MindSphere: Show Logs');
    await page.locator('.view-lines', { hasText: /MindSphere\sMakers[\s\S]*activated\sin/ }).first().waitFor({ timeout: 30_000 });
    log('log channel shows the activation line');
    await shot('logs');
  },
};
