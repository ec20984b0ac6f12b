import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { MindSphereMakersApi } from '../../../src/host/extension';

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

  test('the commands in package.json are exactly the commands the extension registers', async () => {
    const manifest = (ext.packageJSON.contributes.commands as { command: string }[]).map((c) => c.command).sort();
    assert.deepEqual([...api.commandIds].sort(), manifest);
    const registered = new Set(await vscode.commands.getCommands(true));
    for (const id of manifest) assert.ok(registered.has(id), `${id} is in package.json but not registered`);
  });

  test('every command has the MindSphere category and a title', () => {
    for (const c of ext.packageJSON.contributes.commands as { command: string; title: string; category: string }[]) {
      assert.equal(c.category, 'MindSphere', c.command);
      assert.ok(c.title.length > 0, c.command);
    }
  });
});
