// Runs after every other suite (index.ts puts it last): no secret any suite handled (noteSecret), nor the Sandbox's, is
// in any file under the user data folder (logs, settings, state, caches), in the settings or in global state.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { noteSecret, SEEN_SECRETS, services } from './helpers';

suite('Secrets after all flows', () => {
  test('no secret is in any file under the user data folder, in the log, in settings or in global state', async () => {
    const s = await services();
    const sandbox = await s.sandbox.connection();
    noteSecret(sandbox.clientSecret, sandbox.clientId);
    const needles = [...SEEN_SECRETS];
    await new Promise((r) => setTimeout(r, 1500)); // let the log channel flush to its file
    const userData = userDataFolder(s.context);
    const files = filesBelow(userData);
    const logs = files.filter((f) => /MindSphere\.log$/.test(f));
    assert.ok(logs.length > 0, `the MindSphere log file is under ${userData}`);
    assert.match(logs.map((f) => fs.readFileSync(f, 'utf8')).join('\n'), /Sandbox tenant '\w+' started|Using the sandbox tenant/,
      'the scan reads the real log');
    const leaks = files.filter((f) => {
      const text = fs.readFileSync(f, 'latin1');
      return needles.some((n) => text.includes(n));
    });
    console.log(`scanned ${files.length} files under the user data folder for ${needles.length} secret forms`);
    assert.deepEqual(leaks, []);
    const settings = JSON.stringify(vscode.workspace.getConfiguration().get('mdsp'));
    const state = JSON.stringify(s.context.globalState.keys().map((k) => s.context.globalState.get(k)));
    for (const n of needles) {
      assert.ok(!settings.includes(n), 'no secret in settings');
      assert.ok(!state.includes(n), 'no secret in global state');
    }
  });
});

/** The folder VS Code keeps its user data in: the ancestor of the extension's global storage that holds User/ and logs/. */
function userDataFolder(context: vscode.ExtensionContext): string {
  for (let dir = context.globalStorageUri.fsPath; dir !== path.dirname(dir); dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, 'User')) && fs.existsSync(path.join(dir, 'logs'))) return dir;
  }
  throw new Error(`no user data folder above ${context.globalStorageUri.fsPath}`);
}

function filesBelow(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return filesBelow(p);
    return e.isFile() && fs.statSync(p).size < 50_000_000 ? [p] : [];
  });
}
