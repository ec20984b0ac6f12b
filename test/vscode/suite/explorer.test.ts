// The Sandbox connection and the explorer, in the real VS Code: "Use Sandbox Tenant" starts the sandbox inside the
// extension host, and the tree shows the plant through the hierarchy, the asset types by derivation and the aspect types.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { ExplorerNode } from '../../../src/host/explorer/nodes';
import { selectionOf } from '../../../src/host/explorer/nodes';
import type { Services } from '../../../src/host/services';
import { childLabelled, item, ScriptedUi, services, walk, withUi } from './helpers';

suite('Explorer on the Sandbox tenant', () => {
  let s: Services;

  suiteSetup(async () => {
    s = await services();
  });

  test('before a connection is chosen the explorer is empty (its welcome offers the Sandbox and binding keys)', async () => {
    if (s.session.active() !== undefined) return; // another suite chose one first
    assert.deepEqual(await s.explorer.getChildren(), []);
    const welcome = (vscode.extensions.getExtension('mindsphere-makers.mindsphere-makers')?.packageJSON.contributes.viewsWelcome as { view: string; contents: string }[])
      .find((w) => w.view === 'mdsp.explorer')?.contents ?? '';
    assert.match(welcome, /\[Try the Sandbox Tenant\]\(command:mdsp\.useSandbox\)/);
    assert.match(welcome, /\[Add Your Binding Keys…\]\(command:mdsp\.addConnection\)/);
  });

  test('"Use Sandbox Tenant" starts the sandbox and makes it the active connection', async () => {
    const started = Date.now();
    const sandbox = await vscode.commands.executeCommand<{ id: string; name: string }>('mdsp.useSandbox');
    assert.equal(sandbox?.name, 'Sandbox');
    assert.equal(s.session.active()?.id, 'sandbox');
    console.log(`sandbox tenant started in the extension host in ${Date.now() - started} ms`);
    const [root] = await s.explorer.getChildren();
    assert.ok(root);
    assert.equal(item(s, root).label, 'Sandbox');
    assert.equal(item(s, root).contextValue, 'connection;active;sandbox');
    assert.deepEqual((await s.explorer.getChildren(root)).map((n) => item(s, n).label), ['Assets', 'Asset Types', 'Aspect Types', 'Contracts']);
  });

  test('the asset hierarchy: root › site › area › pump › dynamic aspect › variables with units', async () => {
    const root = await walk(s, 'Sandbox', 'Assets', 'makers01');
    assert.match(String(item(s, root).contextValue), /^asset;root/);
    const sites = await s.explorer.getChildren(root);
    assert.ok(sites.length >= 2, 'the default plant has several sites');
    const site = childLabelled(s, sites, 'Nuremberg Plant');
    const area = childLabelled(s, await s.explorer.getChildren(site), 'Pump House');
    assert.equal(item(s, area).description, 'BasicArea');
    const equipment = await s.explorer.getChildren(area);
    const pump = childLabelled(s, equipment, /^Pump P-\d+$/);
    assert.equal(item(s, pump).description, 'Pump');
    assert.match(String(item(s, pump).contextValue), /\bchartable\b/);
    assert.match(String((item(s, pump).tooltip as vscode.MarkdownString).value), /Asset ID: `[0-9a-f]{32}`/);

    const aspects = await s.explorer.getChildren(pump);
    assert.deepEqual(aspects.map((a) => item(s, a).label), ['Flow', 'Nameplate', 'PrimaryMotor', 'Vibration']);
    const flow = childLabelled(s, aspects, 'Flow');
    assert.equal(item(s, flow).contextValue, 'aspect;dynamic;chartable;ofAsset');
    assert.equal(item(s, flow).description, 'Flow · dynamic');
    const variables = await s.explorer.getChildren(flow);
    const flowRate = childLabelled(s, variables, 'FlowRate');
    assert.equal(item(s, flowRate).description, 'DOUBLE · m3/h');
    assert.equal(item(s, flowRate).contextValue, 'variable;chartable');
    assert.equal(item(s, childLabelled(s, variables, 'Mode')).contextValue, 'variable', 'a STRING variable cannot be charted');

    // The shape a "Preview Time Series" command gets from these items.
    const pumpId = (pump as Extract<ExplorerNode, { kind: 'asset' }>).asset.assetId;
    assert.deepEqual(selectionOf(flowRate), { assetId: pumpId, aspect: 'Flow', variables: ['FlowRate'] });
    assert.deepEqual(selectionOf(flow), { assetId: pumpId, aspect: 'Flow', variables: ['FlowRate', 'Pressure', 'Running'] });

    const nameplate = childLabelled(s, aspects, 'Nameplate');
    assert.equal(item(s, nameplate).contextValue, 'aspect;static;ofAsset');
    const manufacturer = childLabelled(s, await s.explorer.getChildren(nameplate), 'Manufacturer');
    assert.match(String(item(s, manufacturer).description), /^= \S/, 'a static variable shows its value');
  });

  test('asset types are grouped by derivation; a derived type shows its inherited aspects', async () => {
    const basic = await walk(s, 'Sandbox', 'Asset Types', 'BasicAsset');
    const derived = await s.explorer.getChildren(basic);
    const cng = childLabelled(s, derived, 'CNGTurbine');
    assert.equal(item(s, cng).description, 'makers01.CNGTurbine');
    const lpg = childLabelled(s, await s.explorer.getChildren(cng), 'LPGTurbine');
    const lpgChildren = await s.explorer.getChildren(lpg);
    assert.equal(item(s, childLabelled(s, lpgChildren, 'PrimaryMotor')).description, 'PowerConsumption · dynamic · from CNGTurbine');
    assert.equal(item(s, childLabelled(s, lpgChildren, 'GasSupply')).description, 'Flow · dynamic');
    const power = childLabelled(s, await s.explorer.getChildren(childLabelled(s, lpgChildren, 'PrimaryMotor')), 'Power');
    assert.equal(item(s, power).description, 'DOUBLE · kW');
    assert.equal(item(s, power).contextValue, 'variable', 'a type\'s variable has no time series to chart');
  });

  test('aspect types list their category and variables', async () => {
    const vibration = await walk(s, 'Sandbox', 'Aspect Types', 'Vibration');
    assert.equal(item(s, vibration).description, 'dynamic · 3 variables');
    const temperature = childLabelled(s, await s.explorer.getChildren(vibration), 'Temperature');
    assert.equal(item(s, temperature).description, 'DOUBLE · degC');
  });

  test('"Copy ID" copies an asset id; "Refresh" reloads a node', async () => {
    const root = await walk(s, 'Sandbox', 'Assets', 'makers01');
    const ui = new ScriptedUi();
    const id = await withUi(s, ui, () => vscode.commands.executeCommand<string>('mdsp.copyId', root));
    assert.match(String(id), /^[0-9a-f]{32}$/);
    assert.deepEqual(ui.copied, [id]);
    const before = (await s.explorer.getChildren(root)).map((n) => n.key);
    await vscode.commands.executeCommand('mdsp.refresh', root);
    assert.deepEqual((await s.explorer.getChildren(root)).map((n) => n.key), before, 'the same nodes, reloaded, keep their ids');
  });

  test('"Reveal in Asset Hierarchy" loads the path of an asset found by name and selects it', async () => {
    const model = await s.explorer.current();
    assert.ok(model);
    const found = await model.search('p-10');
    assert.ok(found.items.length > 0, 'the case-tolerant name filter finds pumps by "p-10"');
    assert.ok(found.items.every((a) => /p-10/i.test(a.name)));
    const target = found.items[0];
    assert.ok(target);
    const node = await vscode.commands.executeCommand<ExplorerNode>('mdsp.revealAsset', target.assetId);
    assert.equal(node?.kind, 'asset');
    assert.equal(item(s, node).label, target.name);
    assert.equal(s.explorer.view?.selection[0]?.key, node.key);
  });

  test('changing mdsp.sandbox.assets restarts the sandbox with the new plant', async () => {
    const config = vscode.workspace.getConfiguration('mdsp.sandbox');
    const sitesNow = async () => (await s.explorer.getChildren(await walk(s, 'Sandbox', 'Assets', 'makers01'))).length;
    const before = await sitesNow();
    await config.update('assets', 120, vscode.ConfigurationTarget.Global);
    try {
      await new Promise((r) => setTimeout(r, 300)); // the restart follows the configuration event
      await vscode.commands.executeCommand('mdsp.refresh');
      assert.equal(await sitesNow(), 6, '120 assets make 6 sites of 20');
      assert.notEqual(before, 6);
    } finally {
      await config.update('assets', undefined, vscode.ConfigurationTarget.Global);
    }
  });
});

