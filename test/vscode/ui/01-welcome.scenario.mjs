// First contact: on a fresh profile the walkthrough "Get Started with MindSphere Makers" opens by itself, once; the
// MindSphere icon in the activity bar opens the view container with its welcome content, and "MindSphere: Show Logs"
// shows the extension's log with its activation line. (That it never opens again is activation.test.ts's: a browser
// reload does not reliably flush global state and the editor layout first.)
import { openMindSphere, runCommand } from './workbench.mjs';

const walkthrough = (page) => page.locator('.gettingStartedContainer', { hasText: 'Get Started with MindSphere Makers' });

export default {
  settings: { 'workbench.welcomePage.walkthroughs.openOnInstall': true },
  async run({ page, shot, log }) {
    await walkthrough(page).first().waitFor({ timeout: 60_000 });
    log('the walkthrough opened on the first activation');
    await shot('walkthrough');
    await runCommand(page, 'View: Close All Editors');
    await walkthrough(page).first().waitFor({ state: 'detached', timeout: 15_000 });

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
