import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { MindSphereMakersApi } from '../../../src/host/extension';
import { openWalkthroughOnce, WALKTHROUGH_SHOWN } from '../../../src/host/walkthrough';

const EXTENSION_ID = 'mindsphere-makers.mindsphere-makers';

suite('Activation and manifest', () => {
  let api: MindSphereMakersApi;
  let ext: vscode.Extension<MindSphereMakersApi>;

  suiteSetup(async () => {
    const found = vscode.extensions.getExtension<MindSphereMakersApi>(EXTENSION_ID);
    assert.ok(found, `extension ${EXTENSION_ID} is not loaded`);
    ext = found;
    api = await ext.activate();
  });

  test('activates and reports its activation time', () => {
    assert.ok(ext.isActive);
    const { activation, activate } = api;
    assert.ok(activation.ms > 0 && activation.ms < 5000, `activation took ${activation.ms} ms`);
    assert.ok(activate.ms > 0 && activate.ms <= activation.ms, 'activate() is part of the activation, after the module code');
    console.log(`activation in the real VS Code: module code and activate() ${activation.ms.toFixed(1)} ms ` +
      `(${activation.cpuMs.toFixed(1)} ms CPU), of which activate() ${activate.ms.toFixed(1)} ms (${activate.cpuMs.toFixed(1)} ms CPU)`);
  });

  test('activation loads neither the client (with zod) nor the sandbox: their bundles load when first used', () => {
    // Before any other suite: nothing has asked for a tenant yet. A static import of one of these from a module that
    // loads at activation would still build (esbuild.js turns it into a require of the bundle) and show up here.
    const dist = path.join(ext.extensionPath, 'dist');
    const loaded = Object.keys(require.cache).filter((f) => path.dirname(f) === dist).map((f) => path.basename(f));
    assert.ok(loaded.length > 0, `no bundle of ${dist} in require's cache: ${Object.keys(require.cache).length} modules`);
    for (const lazy of ['client.js', 'zod.js', 'sandbox.js']) assert.ok(!loaded.includes(lazy), `${lazy} loaded at activation (loaded: ${loaded.join(', ')})`);
  });

  test('the commands in package.json are exactly the commands the extension registers', async () => {
    const manifest = (ext.packageJSON.contributes.commands as { command: string }[]).map((c) => c.command).sort();
    assert.deepEqual([...api.commandIds].sort(), manifest);
    const registered = new Set(await vscode.commands.getCommands(true));
    for (const id of manifest) assert.ok(registered.has(id), `${id} is in package.json but not registered`);
  });

  test('the walkthrough opens once per install: by its contributed id, on the first activation, never again', async () => {
    const state = new Map<string, unknown>();
    const globalState = { get: (key: string) => state.get(key), update: async (key: string, value: unknown) => void state.set(key, value) };
    const context = { globalState, extension: ext } as unknown as Parameters<typeof openWalkthroughOnce>[0];
    const executed: unknown[][] = [];
    let enabled = false;
    const hooks = { execute: async (...args: unknown[]) => void executed.push(args), enabled: () => enabled };
    assert.equal(await openWalkthroughOnce(context, hooks), false, 'VS Code\'s "open walkthroughs on install" is respected');
    assert.deepEqual(executed, []);
    state.clear();
    enabled = true;
    assert.equal(await openWalkthroughOnce(context, hooks), true);
    assert.equal(await openWalkthroughOnce(context, hooks), false, 'not a second time');
    const walkthroughs = ext.packageJSON.contributes.walkthroughs as { id: string }[];
    assert.deepEqual(executed, [['workbench.action.openWalkthrough', `${EXTENSION_ID}#${walkthroughs[0]?.id}`, false]]);
    assert.equal(state.get(WALKTHROUGH_SHOWN), true);
  });

  test('every command has the MindSphere category and a title', () => {
    for (const c of ext.packageJSON.contributes.commands as { command: string; title: string; category: string }[]) {
      assert.equal(c.category, 'MindSphere', c.command);
      assert.ok(c.title.length > 0, c.command);
    }
  });
});
