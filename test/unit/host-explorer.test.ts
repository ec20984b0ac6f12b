// The explorer's pure parts and the deployment constants, without VS Code: node views (labels, contextValue tokens the
// menus match), the ids "Copy ID" copies, the preview selection, the case-tolerant name filter, and the exported text.
import * as assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Asset } from '../../src/client';
import { constantVariable, deploymentConstants, SECRET_PLACEHOLDER } from '../../src/host/connections/deployment';
import { nameFilter } from '../../src/host/explorer/model';
import {
  type AspectNode, type AssetNode, codeSpan, type ContractNode, idOf, selectionOf, type VariableNode, viewOf,
} from '../../src/host/explorer/nodes';

const pump: Asset = { assetId: 'a'.repeat(32), name: 'Pump P-101', typeId: 'makers01.Pump', parentId: 'b'.repeat(32) };
const assetNode: AssetNode = { kind: 'asset', key: 'c/asset/a', parent: undefined, asset: pump, typeName: 'Pump', hasAspects: true, chartable: true };
const flow: AspectNode = {
  kind: 'aspect', key: 'c/asset/a/aspect/Flow', parent: assetNode, assetId: pump.assetId, assetName: pump.name, aspect: 'Flow',
  aspectTypeId: 'makers01.Flow', aspectTypeName: 'Flow', category: 'dynamic',
  variables: [{ name: 'FlowRate', dataType: 'DOUBLE', unit: 'm3/h' }, { name: 'Mode', dataType: 'STRING', unit: '' }],
};
const flowRate: VariableNode = { kind: 'variable', key: 'c/asset/a/aspect/Flow/FlowRate', parent: flow, assetId: pump.assetId, aspect: 'Flow',
  variable: { name: 'FlowRate', dataType: 'DOUBLE', unit: 'm3/h' }, chartable: true };

test('asset, aspect and variable items carry the tokens the menus match, and what a preview needs', () => {
  assert.equal(viewOf(assetNode).contextValue, 'asset;hasAspects;chartable');
  assert.equal(viewOf({ ...assetNode, asset: { ...pump, parentId: null } }).contextValue, 'asset;root;hasAspects;chartable');
  assert.equal(viewOf(flow).contextValue, 'aspect;dynamic;chartable;ofAsset');
  assert.equal(viewOf({ ...flow, assetId: undefined }).contextValue, 'aspect;dynamic;ofType', 'an asset type\'s aspect has no series');
  assert.equal(viewOf({ ...flow, category: 'static' }).contextValue, 'aspect;static;ofAsset');
  assert.equal(viewOf(flowRate).description, 'DOUBLE · m3/h');
  assert.equal(viewOf({ ...flowRate, value: '42', variable: { ...flowRate.variable, unit: 'kW' } }).description, '= 42 kW');
  assert.deepEqual(selectionOf(flow), { assetId: pump.assetId, aspect: 'Flow', variables: ['FlowRate'] });
  assert.deepEqual(selectionOf(flowRate), { assetId: pump.assetId, aspect: 'Flow', variables: ['FlowRate'] });
  assert.equal(idOf(assetNode), pump.assetId);
  assert.equal(idOf(flow), 'makers01.Flow');
});

test('a name with Markdown characters cannot change an item\'s tooltip', () => {
  const tooltip = viewOf({ ...assetNode, asset: { ...pump, name: '[click](command:x) *bold*' } }).tooltip ?? '';
  assert.ok(!tooltip.includes('[click](command:x)'));
  assert.match(tooltip, /\\\[click\\\]\\\(command:x\\\)/);

  // Ids go into code spans, where a backslash does not escape: a backtick in one must not end the span.
  const attack = 'EXT` [Click to re-authenticate](https://evil.example/login) ![](https://evil.example/pixel.png) `';
  const asset = viewOf({ ...assetNode, asset: { ...pump, externalId: attack, typeId: 'ten.Pump``[x](https://evil.example)' } }).tooltip ?? '';
  assert.ok(asset.includes(`External ID: \`\` ${attack} \`\``), asset);
  assert.ok(asset.includes('Type: ```ten.Pump``[x](https://evil.example)```'), asset);
  const contract: ContractNode = { kind: 'contract', key: 'c/contracts/contract/1', parent: undefined, contract: {
    id: '1', name: 'Plant', version: '1.0.0', applicationName: 'app`[x](https://evil.example)`', environmentType: 'production',
    assetTypes: ['ten.Pump`![](https://evil.example/p.png)'], status: 'Published',
  } as ContractNode['contract'] };
  const contractTip = viewOf(contract).tooltip ?? '';
  assert.ok(contractTip.includes('Application name: `` app`[x](https://evil.example)` ``'), contractTip);
  assert.ok(contractTip.includes('Asset types: ``ten.Pump`![](https://evil.example/p.png)``'), contractTip);
  // A blank line would end the paragraph, and the span with it.
  assert.equal(codeSpan('a\n\n[x](https://evil.example)'), '`a [x](https://evil.example)`');
  assert.equal(codeSpan('plain.id'), '`plain.id`');
});

test('the name filter tolerates case, as Asset Management\'s contains does not', () => {
  assert.deepEqual(nameFilter('pump p-1'), { name: { or: [{ contains: 'pump p-1' }, { contains: 'Pump P-1' }, { contains: 'PUMP P-1' }] } });
  assert.deepEqual(nameFilter(' 101 '), { name: { contains: '101' } });
  assert.deepEqual(nameFilter('Ölpumpe'), { name: { or: [{ contains: 'Ölpumpe' }, { contains: 'ölpumpe' }, { contains: 'ÖLPUMPE' }] } });
});

test('deployment constants: the authenticator module\'s names, the secret only as a placeholder, shell-safe quoting', () => {
  const connection = { name: 'Plant', tokenUrl: 'https://t1.piam.eu1.mindsphere.io/oauth/token', clientId: "t1-app-v1.0.0-1'x", tenant: 't1' };
  const mendix = deploymentConstants('mendix', connection);
  assert.match(mendix, /^MindSphereIIotAuthenticator\.TokenURL = https:\/\/t1\.piam\.eu1\.mindsphere\.io\/oauth\/token$/m);
  assert.match(mendix, new RegExp(`^MindSphereIIotAuthenticator\\.ClientSecret = ${SECRET_PLACEHOLDER}$`, 'm'));
  const cf = deploymentConstants('cloudFoundry', connection);
  assert.equal(constantVariable('ClientID'), 'MX_MindSphereIIotAuthenticator_ClientID');
  assert.ok(cf.includes(`cf set-env <app> MX_MindSphereIIotAuthenticator_ClientID 't1-app-v1.0.0-1'\\''x'`), cf);
  assert.ok(!/^#.*ClientSecret:/m.test(cf), 'the manifest form leaves the secret out');
  assert.match(cf, /^cf restage <app>$/m);
});

test('cf set-env leaves TokenURLs and client IDs bare (cmd.exe keeps single quotes in the value), quotes anything else', () => {
  const cf = deploymentConstants('cloudFoundry', { name: 'Plant', tokenUrl: 'https://t1.piam.eu1.mindsphere.io/oauth/token', clientId: 't1-app-v1.0.0+b@1' });
  assert.match(cf, /^cf set-env <app> MX_MindSphereIIotAuthenticator_TokenURL https:\/\/t1\.piam\.eu1\.mindsphere\.io\/oauth\/token$/m);
  assert.match(cf, /^cf set-env <app> MX_MindSphereIIotAuthenticator_ClientID t1-app-v1\.0\.0\+b@1$/m);
  assert.match(cf, new RegExp(`^cf set-env <app> MX_MindSphereIIotAuthenticator_ClientSecret '${SECRET_PLACEHOLDER}'$`, 'm'));
  const odd = deploymentConstants('cloudFoundry', { name: 'Plant', tokenUrl: 'https://x/token?a=1&b=2', clientId: 'id%PATH%' });
  assert.match(odd, /^cf set-env <app> MX_MindSphereIIotAuthenticator_TokenURL 'https:\/\/x\/token\?a=1&b=2'$/m);
  assert.match(odd, /^cf set-env <app> MX_MindSphereIIotAuthenticator_ClientID 'id%PATH%'$/m);
  assert.match(cf.split('\n').slice(0, 3).join('\n'), /POSIX shell \(bash, zsh\)[^]*cmd or PowerShell/, 'which shell the lines are for, at the top');
});
