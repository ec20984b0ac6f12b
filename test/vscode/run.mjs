// `npm run test:vscode`: the extension's suites inside the extension host of a real VS Code, then UI scenarios driven by
// Playwright that save screenshots under test-results/. Ends with `N passed, N failed`.
//
// Here "a real VS Code" is code-server (VS Code's server and web workbench) in headless Debian chromium, installed into
// .vscode-test/ by scripts/setup-vscode.sh. On a laptop with desktop VS Code set MDSP_TEST_ELECTRON=1: the in-host suites
// then run through @vscode/test-electron (the UI scenarios need the web workbench and are skipped there).
//
// usage: node test/vscode/run.mjs [--only-host | --only-ui] [scenario-name-filter[,another]]
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import util from 'node:util';
import { launchBrowser, startCodeServer, workbenchUrl } from './code-server.mjs';

const ROOT = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../..');
const SUITE = path.join(ROOT, 'out/test/vscode/suite');
const RESULTS = path.join(ROOT, 'test-results');
const args = process.argv.slice(2);
const filter = args.find((a) => !a.startsWith('--'));
const t0 = Date.now();
const log = (...a) => console.log(`[test:vscode ${((Date.now() - t0) / 1000).toFixed(1)}s]`, ...a);
fs.mkdirSync(RESULTS, { recursive: true });

const freePort = () =>
  new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });

/** A fresh workspace folder, copied from the fixture, so scenarios may write files. */
function freshWorkspace() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mdsp-ws-'));
  fs.cpSync(path.join(ROOT, 'test/vscode/workspace'), dir, { recursive: true });
  return dir;
}

/** The extension host's console lines that say nothing about our extension. */
const NOISE = /open-vsx\.org|Creating a socket|connection token|\[Service Worker\]|AgentHost|AccountPolicyGate|grace time|builtin extensions cache|api\.github\.com/;

async function runHostSuites() {
  if (process.env.MDSP_TEST_ELECTRON === '1') {
    const { runTests } = await import('@vscode/test-electron');
    try {
      await runTests({ extensionDevelopmentPath: ROOT, extensionTestsPath: SUITE, launchArgs: [freshWorkspace(), '--disable-extensions'] });
      return { passes: 1, failures: 0, note: 'counted as one: see the mocha report above' };
    } catch {
      return { passes: 0, failures: 1 };
    }
  }
  const server = await startCodeServer({ port: await freePort() });
  const browser = await launchBrowser();
  let summary = { passes: 0, failures: 1 };
  try {
    const page = await browser.newPage({ viewport: { width: 1200, height: 800 } });
    const exit = new Promise((resolve) => {
      page.exposeFunction('codeAutomationLog', (type, logArgs) => {
        const text = util.format(...(logArgs ?? []));
        const m = /^MDSP_SUMMARY (.*)$/.exec(text);
        if (m) summary = JSON.parse(m[1]);
        else if (!NOISE.test(text)) console.log(`  ${text}`);
      });
      page.exposeFunction('codeAutomationExit', (code) => resolve(code));
    });
    await page.goto(workbenchUrl(server, { folder: freshWorkspace(), extPath: ROOT, testsPath: SUITE }));
    const timeout = new Promise((r) => setTimeout(() => r('timeout'), Number(process.env.TEST_TIMEOUT_MS ?? 10 * 60_000)));
    const code = await Promise.race([exit, timeout]);
    if (code !== 0) {
      log(`in-host suites ended with ${code}; code-server log kept in ${server.logFile}`);
      await page.screenshot({ path: path.join(RESULTS, 'in-host-failure.png') }).catch(() => {});
      if (summary.failures === 0) summary = { ...summary, failures: 1 };
    }
    return summary;
  } finally {
    await browser.close().catch(() => {});
    await server.stop({ keep: summary.failures > 0 });
  }
}

async function runUiScenarios() {
  if (process.env.MDSP_TEST_ELECTRON === '1') {
    log('UI scenarios need the web workbench (code-server): skipped with MDSP_TEST_ELECTRON=1');
    return { passes: 0, failures: 0 };
  }
  const dir = path.join(ROOT, 'test/vscode/ui');
  const files = fs.readdirSync(dir).filter((f) => f.endsWith('.scenario.mjs') && (!filter || filter.split(',').some((part) => f.includes(part)))).sort();
  let passes = 0;
  let failures = 0;
  for (const file of files) {
    const name = file.replace(/\.scenario\.mjs$/, '');
    const scenario = (await import(path.join(dir, file))).default;
    const server = await startCodeServer({ port: await freePort(), settings: scenario.settings ?? {} });
    const browser = await launchBrowser();
    const started = Date.now();
    let ok = false;
    const page = await browser.newPage({ viewport: { width: 1400, height: 850 } });
    try {
      const folder = freshWorkspace();
      await page.goto(workbenchUrl(server, { folder, extPath: ROOT }));
      await page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
      const shot = (label) => page.screenshot({ path: path.join(RESULTS, `${name}-${label}.png`) });
      await scenario.run({ page, server, folder, shot, log: (...a) => log(`  [${name}]`, ...a) });
      ok = true;
    } catch (error) {
      log(`  [${name}] FAILED:`, error?.stack ?? error);
      await page.screenshot({ path: path.join(RESULTS, `${name}-failure.png`) }).catch(() => {});
    } finally {
      await browser.close().catch(() => {});
      await server.stop({ keep: !ok });
    }
    log(`${ok ? 'ok' : 'not ok'} - UI scenario ${name} (${((Date.now() - started) / 1000).toFixed(1)}s)`);
    if (ok) passes++;
    else failures++;
  }
  return { passes, failures };
}

async function main() {
  if (process.env.MDSP_TEST_ELECTRON !== '1') {
    const setup = spawnSync('bash', [path.join(ROOT, 'scripts/setup-vscode.sh')], { stdio: 'inherit' });
    if (setup.status !== 0) throw new Error('could not set up code-server and chromium (see above)');
  }
  const host = args.includes('--only-ui') ? { passes: 0, failures: 0 } : await runHostSuites();
  log(`in-host suites: ${host.passes} passed, ${host.failures} failed`);
  const ui = args.includes('--only-host') ? { passes: 0, failures: 0 } : await runUiScenarios();
  log(`UI scenarios: ${ui.passes} passed, ${ui.failures} failed (screenshots in test-results/)`);
  const passed = host.passes + ui.passes;
  const failed = host.failures + ui.failures;
  console.log(`${passed} passed, ${failed} failed`);
  process.exit(failed === 0 && passed > 0 ? 0 : 1);
}

main().catch((error) => {
  console.error(error);
  console.log('0 passed, 1 failed');
  process.exit(1);
});
