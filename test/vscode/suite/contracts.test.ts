// Contracts in the real VS Code against the Sandbox tenant: "New Contract…" from two asset types selected in the tree
// (with the related type offered) writes a `*.contract.json` for mdsp_<tenant> and opens it; the Contracts node lists it
// as not on the tenant; "Publish Contract" publishes it and the node follows; "Download Contract Metadata" saves the
// CSDL XML; a broken file is refused before anything is sent; a file with MindSphere errors is published only when the
// user says so; the sandbox's HTTP 500 for an AGGR_ name over 200 characters reaches the user named, with its status and code.
import * as assert from 'node:assert/strict';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { DataHubContract, MindSphereClient } from '../../../src/client';
import type { ExplorerNode } from '../../../src/host/explorer/nodes';
import type { Services } from '../../../src/host/services';
import { childLabelled, item, pickLabel, ScriptedUi, services, walk, withUi } from './helpers';
import { codeOf, waitForDiagnostics, workspaceFile, writeFile } from './lint-helpers';

const AM = '/api/assetmanagement/v3';
// AGGR_ (5) + aspect type (100) + _ + aspect "Drv" (3) + _ + asset type (91) = 201 characters: one over Data Hub's limit.
const LONG_ASPECT_TYPE = `makers01.${'A'.repeat(100)}`;
const LONG_ASSET_TYPE = `makers01.${'T'.repeat(91)}`;
const LONG_ENTITY = `AGGR_${'A'.repeat(100)}_Drv_${'T'.repeat(91)}`;

/** Picks the item labelled with `label`, and keeps every label the quick pick offered in `offered`. */
function recordingPick(label: string, offered: string[]): (items: readonly vscode.QuickPickItem[]) => vscode.QuickPickItem | undefined {
  return (items) => {
    offered.push(...items.map((i) => i.label));
    return pickLabel(label)(items);
  };
}

suite('Contracts on the Sandbox tenant', function () {
  this.timeout(120_000);
  let s: Services;
  let client: MindSphereClient;
  const created: vscode.Uri[] = [];

  /** The Contracts node's children as the tree shows them: label → description and contextValue. */
  async function contractsNode(): Promise<{ nodes: ExplorerNode[]; rows: Map<string, { description: string; contextValue: string }> }> {
    const nodes = await s.explorer.getChildren(await walk(s, 'Sandbox', 'Contracts'));
    const rows = new Map(nodes.map((n) => {
      const i = item(s, n);
      return [String(i.label), { description: String(i.description ?? ''), contextValue: String(i.contextValue) }];
    }));
    return { nodes, rows };
  }

  /** The Contracts node's rows once `ready` holds for them (checked again every 100 ms for up to 10 seconds). */
  async function rowsWhen(ready: (rows: Map<string, { description: string; contextValue: string }>) => boolean) {
    for (const deadline = Date.now() + 10_000; ; await new Promise((r) => setTimeout(r, 100))) {
      const { rows } = await contractsNode();
      if (ready(rows) || Date.now() > deadline) return rows;
    }
  }

  const tenantContract = async (name: string): Promise<DataHubContract | undefined> => (await client.contracts.list()).find((c) => c.name === name);

  suiteSetup(async () => {
    s = await services();
    await vscode.commands.executeCommand('mdsp.useSandbox');
    client = await s.session.client();
  });

  suiteTeardown(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    for (const uri of created) await vscode.workspace.fs.delete(uri).then(undefined, () => undefined);
    // The sandbox is shared with the later suites: take back what this one added.
    for (const c of await client.contracts.list()) {
      if (c.name === 'Plant Equipment' || c.name === 'Long Names') await client.contracts.delete(c.id, c.etag);
    }
    await client.request({ method: 'DELETE', path: `${AM}/assettypes/${LONG_ASSET_TYPE}`, headers: { 'If-Match': '0' } }).catch(() => undefined);
    await client.request({ method: 'DELETE', path: `${AM}/aspecttypes/${LONG_ASPECT_TYPE}`, headers: { 'If-Match': '0' } }).catch(() => undefined);
  });

  test('"New Contract…" from two asset types selected in the tree: related type offered, mdsp_<tenant> prefilled, the file opens', async () => {
    const basic = await walk(s, 'Sandbox', 'Asset Types', 'BasicAsset');
    assert.equal(item(s, basic).contextValue, 'assetType;standard', 'New Contract… is not offered on core types');
    const derived = await s.explorer.getChildren(basic);
    const pump = childLabelled(s, derived, 'Pump');
    const cng = childLabelled(s, derived, 'CNGTurbine');
    assert.equal(item(s, pump).contextValue, 'assetType');
    const ui = new ScriptedUi();
    const offered: string[] = [];
    ui.picks.push(recordingPick('Include LPGTurbine too', offered));
    ui.inputs.push('Plant Equipment', '1.0.0');
    // What VS Code passes for a multi-selection: the clicked item, then every selected item.
    const uri = await withUi(s, ui, () => vscode.commands.executeCommand<vscode.Uri>('mdsp.newContract', cng, [pump, cng]));
    assert.deepEqual(ui.errors(), []);
    assert.deepEqual(offered, ['Include LPGTurbine too', 'Only Pump, CNGTurbine']);
    assert.ok(uri, 'the command returns the new file');
    created.push(uri);
    assert.equal(uri.toString(), workspaceFile('Plant-Equipment.contract.json').toString());
    assert.equal(vscode.window.activeTextEditor?.document.uri.toString(), uri.toString(), 'the new contract is open');
    const contract = JSON.parse(new TextDecoder().decode(await vscode.workspace.fs.readFile(uri)));
    assert.equal(contract.name, 'Plant Equipment');
    assert.equal(contract.tenant, 'makers01');
    assert.equal(contract.applicationName, 'mdsp_makers01');
    assert.equal(contract.environmentType, 'Sandbox');
    assert.deepEqual(contract.assetTypes.map((t: { id: string }) => t.id), ['makers01.Pump', 'makers01.CNGTurbine', 'makers01.LPGTurbine']);
    const lpg = contract.assetTypes[2];
    assert.deepEqual(lpg.aspects.map((a: { name: string }) => a.name).sort(), ['GasSupply', 'Nameplate', 'PrimaryMotor', 'Vibration'],
      'a derived type lists its inherited aspects too');
    assert.match(ui.messages.at(-1)?.text ?? '', /^Created Plant-Equipment\.contract\.json with 3 asset types for mdsp_makers01\./);

    const { rows } = await contractsNode();
    assert.deepEqual(rows.get('Plant-Equipment.contract.json'), { description: 'not on the tenant', contextValue: 'contractFile' });
    assert.deepEqual(rows.get('Plant'), { description: '1.0.0 · published', contextValue: 'contract;published' }, 'the seeded contract');
  });

  test('"Publish Contract" on the file: the sandbox has it published, and the Contracts node follows', async () => {
    const { nodes } = await contractsNode();
    const file = childLabelled(s, nodes, 'Plant-Equipment.contract.json');
    const ui = new ScriptedUi();
    const published = await withUi(s, ui, () => vscode.commands.executeCommand<DataHubContract>('mdsp.publishContract', file));
    assert.deepEqual(ui.errors(), []);
    assert.equal(published?.status, 'Published');
    assert.match(ui.messages.at(-1)?.text ?? '',
      /^Published 'Plant Equipment' 1\.0\.0 to Data Hub: \d+ entity sets at http:\/\/127\.0\.0\.1:\d+\/odata\/mdsp_makers01\/\.$/);
    const onTenant = await tenantContract('Plant Equipment');
    assert.equal(onTenant?.status, 'Published');
    assert.deepEqual(onTenant?.assetTypes, ['makers01.Pump', 'makers01.CNGTurbine', 'makers01.LPGTurbine']);
    assert.ok(onTenant?.entitySets?.includes('AGGR_Flow_GasSupply_LPGTurbine'));

    const { rows } = await contractsNode();
    assert.deepEqual(rows.get('Plant Equipment'), { description: '1.0.0 · published', contextValue: 'contract;published' });
    assert.deepEqual(rows.get('Plant-Equipment.contract.json'), { description: 'published', contextValue: 'contractFile;onTenant' });
  });

  test('"Download Contract Metadata" saves the contract\'s OData CSDL XML where it is told', async () => {
    const { nodes } = await contractsNode();
    const contract = childLabelled(s, nodes, 'Plant Equipment');
    const target = vscode.Uri.file(path.join(os.tmpdir(), `mdsp-contract-${process.pid}-${Date.now()}.xml`));
    created.push(target);
    const ui = new ScriptedUi();
    const saved = await withUi(s, ui, () => vscode.commands.executeCommand<vscode.Uri>('mdsp.downloadContractMetadata', contract, target));
    assert.deepEqual(ui.errors(), []);
    assert.equal(saved?.toString(), target.toString());
    const xml = new TextDecoder().decode(await vscode.workspace.fs.readFile(target));
    assert.match(xml, /^<\?xml version="1\.0" encoding="utf-8"\?>\n<edmx:Edmx Version="4\.0"/);
    assert.match(xml, /<EntityContainer Name="mdsp_makers01">/);
    for (const set of ['Assets', 'TS_Flow_Flow_Pump', 'AGGR_PowerConsumption_PrimaryMotor_CNGTurbine', 'TS_Flow_GasSupply_LPGTurbine']) {
      assert.ok(xml.includes(`<EntitySet Name="${set}"`), `the metadata has the entity set ${set}`);
    }
    assert.match(ui.messages.at(-1)?.text ?? '', /^Saved the OData metadata \(CSDL XML\) of 'Plant Equipment' 1\.0\.0 to /);
  });

  test('publishing a broken contract file: the error says where, the editor shows it, and nothing is sent', async () => {
    const before = JSON.stringify(await client.contracts.list());
    const uri = await writeFile('Broken.contract.json', '{\n  "name": "Broken",\n  "version": "1.0.0"\n  "tenant": "makers01"\n}\n');
    created.push(uri);
    const ui = new ScriptedUi();
    const result = await withUi(s, ui, () => vscode.commands.executeCommand('mdsp.publishContract', uri));
    assert.equal(result, undefined);
    const [error] = ui.errors();
    assert.match(error ?? '', /^Broken\.contract\.json is not a valid contract, so nothing was sent: line 4, column 3: Expected ','/);
    assert.equal(JSON.stringify(await client.contracts.list()), before, 'the tenant\'s contracts are unchanged');
    const editor = vscode.window.activeTextEditor;
    assert.equal(editor?.document.uri.toString(), uri.toString());
    assert.equal(editor?.selection.start.line, 3, 'the editor selects the first problem');
    // The file was written outside the commands: the file watcher brings it into the Contracts node.
    const rows = await rowsWhen((r) => r.has('Broken.contract.json'));
    assert.equal(rows.get('Broken.contract.json')?.contextValue, 'contractFile;invalid');
    assert.equal(rows.get('Broken.contract.json')?.description, 'not valid');
  });

  test('a contract file in UTF-16 (what PowerShell 5 writes) is read like its UTF-8 twin', async () => {
    const text = JSON.stringify({ name: 'Sixteen', version: '1.0.0', tenant: 'makers01', applicationName: 'mdsp_makers01',
      environmentType: 'Sandbox', assetTypes: [{ id: 'makers01.Pump', name: 'Pump', aspects: [] }] }, null, 2);
    created.push(await writeFile('Eight.contract.json', text.replace('Sixteen', 'Eight')));
    const sixteen = workspaceFile('Sixteen.contract.json');
    await vscode.workspace.fs.writeFile(sixteen, Buffer.from(`\uFEFF${text}`, 'utf16le'));
    created.push(sixteen);
    const rows = await rowsWhen((r) => r.has('Eight.contract.json') && r.has('Sixteen.contract.json'));
    assert.deepEqual(rows.get('Sixteen.contract.json'), rows.get('Eight.contract.json'));
    assert.equal(rows.get('Sixteen.contract.json')?.contextValue, 'contractFile', 'a valid contract');
  });

  test('an AGGR_ name over 200 characters: the sandbox\'s HTTP 500 is named, with its status and code, and the node says not published', async () => {
    const put = (p: string, body: unknown) => client.request({ method: 'PUT', path: `${AM}/${p}`, body });
    await put(`aspecttypes/${LONG_ASPECT_TYPE}`, { name: 'LongAspect', category: 'dynamic', variables: [{ name: 'Power', dataType: 'DOUBLE', unit: 'kW' }] });
    await put(`assettypes/${LONG_ASSET_TYPE}`, { name: 'LongTurbine', parentTypeId: 'core.basicasset', aspects: [{ name: 'Drv', aspectTypeId: LONG_ASPECT_TYPE }] });

    // From the palette: the asset types come from a quick pick, which offers the tenant's own types only.
    const ui = new ScriptedUi();
    const offered: string[] = [];
    ui.picks.push(recordingPick('LongTurbine', offered));
    ui.inputs.push('Long Names', '1.0.0');
    const uri = await withUi(s, ui, () => vscode.commands.executeCommand<vscode.Uri>('mdsp.newContract'));
    assert.ok(uri);
    created.push(uri);
    assert.ok(offered.includes('Pump') && !offered.includes('BasicAsset'), `offered: ${offered.join(', ')}`);
    // The linter flags it in the editor before anyone publishes.
    const lengthError = (await waitForDiagnostics(uri, (d) => d.some((x) => codeOf(x) === 'mdsp/contract-name-length'), 15_000, 'contract-name-length'))
      .find((x) => codeOf(x) === 'mdsp/contract-name-length');
    assert.ok(lengthError);

    // Publishing asks first: "Show Problems" sends nothing, and selects the error in the editor.
    const asked = new ScriptedUi();
    asked.answers.push('Show Problems');
    assert.equal(await withUi(s, asked, () => vscode.commands.executeCommand('mdsp.publishContract', uri)), undefined);
    assert.match(asked.prompts[0] ?? '', /^Long-Names\.contract\.json has \d+ MindSphere errors? \(first: line \d+: The Data Hub entity AGGR_.* name over 200 characters .*\)\. Publish anyway\?$/s);
    assert.deepEqual(asked.messages, []);
    assert.equal(await tenantContract('Long Names'), undefined, 'nothing was sent');
    const editor = vscode.window.activeTextEditor;
    assert.equal(editor?.document.uri.toString(), uri.toString());
    assert.equal(editor?.selection.start.line, lengthError.range.start.line, 'the editor selects the error');

    const publishUi = new ScriptedUi();
    publishUi.answers.push('Publish Anyway');
    assert.equal(await withUi(s, publishUi, () => vscode.commands.executeCommand('mdsp.publishContract', uri)), undefined);
    assert.equal(publishUi.prompts.length, 1, 'asked once');
    const [error] = publishUi.errors();
    assert.match(error ?? '', /^MindSphere could not publish 'Long Names' 1\.0\.0 to Data Hub \(HTTP 500\): an AGGR_\{AspectType\}_\{AspectName\}_\{AssetType\} entity name is longer than 200 characters\./);
    assert.ok(error?.includes(`the entity name ${LONG_ENTITY} is 201 characters long`), error);
    assert.match(error ?? '', /The contract is saved on the tenant, not published\./);
    assert.match(error ?? '', /\[code: mdsp\.core\.generic\.internalServerError, logref: [\w-]+\]$/);
    assert.equal((await tenantContract('Long Names'))?.status, 'Not published');

    const { rows } = await contractsNode();
    assert.deepEqual(rows.get('Long Names'), { description: '1.0.0 · not published', contextValue: 'contract;notPublished' });
    assert.deepEqual(rows.get('Long-Names.contract.json'), { description: 'on the tenant, not published', contextValue: 'contractFile;onTenant' });
  });
});
