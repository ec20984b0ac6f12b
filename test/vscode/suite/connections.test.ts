// Connections in the real VS Code, against a second sandbox tenant started in this process with real credentials:
// adding one by pasting its binding keys, a wrong secret and an unreachable TokenURL (nothing saved), switching,
// renaming, testing, copying a token, exporting deployment constants, the API proxy, paging a node with 2,000 children
// ("Load more…"), an error on the node that failed with a retry, and removal deleting the secret. Every secret it handles
// is noted for the scan of secrets.test.ts, which runs after all suites.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { ConnectionSummary } from '../../../src/host/connections/session';
import type { AssetNode, ExplorerNode, LoadMoreNode } from '../../../src/host/explorer/nodes';
import type { Services } from '../../../src/host/services';
import { type RunningSandbox, startSandbox } from '../../../src/sandbox';
import { startTenant } from '../ui/tenant';
import { bindingKeys, item, noteSecret, pickLabel, ScriptedUi, services, until, walk, withUi } from './helpers';

const WIDE_CHILDREN = 2000;
const TENANT = 'acme01';
const SEED = 'acme';

suite('Connections (a second sandbox tenant with real credentials)', function () {
  this.timeout(120_000);
  let s: Services;
  let acme: RunningSandbox;
  let wideAreaId: string;
  let added: ConnectionSummary;

  suiteSetup(async () => {
    s = await services();
    const started = Date.now();
    const tenant = await startTenant({ seed: SEED, tenant: TENANT, assets: 10_000, wide: WIDE_CHILDREN });
    acme = tenant;
    wideAreaId = tenant.area.assetId;
    noteSecret(acme.clientSecret, acme.clientId);
    console.log(`second sandbox (${TENANT}, 10,000 assets + ${WIDE_CHILDREN} children of one area) ready in ${Date.now() - started} ms`);
  });

  suiteTeardown(async () => {
    await acme?.close();
  });

  test('adding a connection by pasting the binding keys: verified, saved with the secret in SecretStorage only, made active', async () => {
    const ui = new ScriptedUi();
    ui.inputs.push(bindingKeys(acme, acme.clientSecret), 'Acme Plant');
    const result = await withUi(s, ui, () => vscode.commands.executeCommand<ConnectionSummary>('mdsp.addConnection'));
    assert.deepEqual(ui.errors(), []);
    assert.ok(result, 'the command returns the new connection');
    added = result;
    assert.equal(added.name, 'Acme Plant');
    assert.equal(added.tenant, TENANT, 'the tenant is derived from the client ID');
    assert.equal(added.gateway, acme.url, 'the gateway is derived from the TokenURL');
    assert.equal(s.session.active()?.id, added.id);
    assert.ok(await s.connections.hasSecret(added.id));
    assert.ok(!JSON.stringify(s.context.globalState.keys().map((k) => s.context.globalState.get(k))).includes(acme.clientSecret),
      'global state holds no secret');
    assert.match(ui.messages.at(-1)?.text ?? '', /Connected to 'Acme Plant' \(tenant acme01\)/);
    const [connection] = await s.explorer.getChildren();
    assert.ok(connection);
    assert.equal(item(s, connection).label, 'Acme Plant');
    await walk(s, 'Acme Plant', 'Assets', TENANT);
  });

  test('a wrong secret: the error says what happened and why, and nothing is saved', async () => {
    const before = s.connections.list().length;
    const wrong = 'not-the-secret-93b1';
    noteSecret(wrong, acme.clientId);
    const ui = new ScriptedUi();
    ui.inputs.push(bindingKeys(acme, wrong), 'Wrong Secret');
    const result = await withUi(s, ui, () => vscode.commands.executeCommand('mdsp.addConnection'));
    assert.equal(result, undefined);
    assert.equal(s.connections.list().length, before);
    const [error] = ui.errors();
    assert.ok(error, 'an error is shown');
    assert.match(error, /The connection 'Wrong Secret' was not saved: MindSphere refused the token request \(401\)/);
    assert.match(error, /client secret does not match the client ID 'acme01-app-v1\.0\.0-7731'/);
    assert.match(error, /Check the binding keys/);
    assert.ok(!error.includes(wrong), 'the error never repeats the secret');
    assert.equal(s.session.active()?.id, added.id, 'the active connection is unchanged');
  });

  test('an unreachable TokenURL, entered value by value: the error names the TokenURL and the network', async () => {
    const closed = await startSandbox({ port: 0, seed: 'gone' });
    const tokenUrl = closed.tokenUrl;
    await closed.close();
    const ui = new ScriptedUi();
    ui.inputs.push(tokenUrl, 'gone-app-v1.0.0-1', 'some-secret-value', 'Gone');
    const result = await withUi(s, ui, () => vscode.commands.executeCommand('mdsp.addConnection'));
    assert.equal(result, undefined);
    assert.match(ui.errors()[0] ?? '', /was not saved: MindSphere did not answer the token request \(ECONNREFUSED\).*Check the TokenURL, your network, and the proxy settings/);
    assert.ok(!s.connections.list().some((c) => c.name === 'Gone'));
  });

  test('"Try Again" after a failed Add Connection brings back what was entered, the secret only in password boxes', async () => {
    const closed = await startSandbox({ port: 0, seed: 'retry' });
    const tokenUrl = closed.tokenUrl;
    await closed.close();
    const clientId = 'retry01-app-v1.0.0-2';
    const secret = 'retry-secret-7c41d9e0';
    noteSecret(secret, clientId);
    const pasted = bindingKeys({ clientId, tokenUrl }, secret);
    const asIs = (o: vscode.InputBoxOptions) => o.value;
    // Pasted in one go, then value by value: each fails (nothing answers at the TokenURL), "Try Again" shows the same
    // boxes filled in as they were, and Enter takes them.
    const flows: [string[], number][] = [[[pasted, 'Retry Plant'], 2], [[tokenUrl, clientId, secret, 'Retry Plant'], 4]];
    for (const [entered, boxes] of flows) {
      const ui = new ScriptedUi();
      ui.choices.push('Try Again');
      ui.inputs.push(...entered, ...entered.map(() => asIs));
      await withUi(s, ui, async () => {
        assert.equal(await vscode.commands.executeCommand('mdsp.addConnection'), undefined);
        await until(() => ui.errors().length === 2, 'Try Again runs the flow again, from what was entered, to its error');
      });
      assert.equal(ui.asked.length, 2 * boxes);
      const first = ui.asked.slice(0, boxes);
      const again = ui.asked.slice(boxes);
      assert.equal(first[0]?.value, undefined, 'the first time the boxes are empty');
      assert.deepEqual(again.map((o) => o.value), entered, 'Try Again fills in what was entered');
      assert.deepEqual(again.map((o) => o.password ?? false), first.map((o) => o.password ?? false), 'the same boxes, password boxes as before');
      for (const o of ui.asked) assert.ok(o.password || !o.value?.includes(secret), `the secret only in a password box: ${o.prompt}`);
      for (const error of ui.errors()) assert.match(error, /'Retry Plant' was not saved: MindSphere did not answer the token request \(ECONNREFUSED\)/);
    }
    assert.ok(!s.connections.list().some((c) => c.name === 'Retry Plant'));
  });

  test('an incomplete paste is refused by the input box, naming what is missing', async () => {
    const ui = new ScriptedUi();
    ui.inputs.push(`clientID ${acme.clientId} TokenURL ${acme.tokenUrl}`);
    assert.equal(await withUi(s, ui, () => vscode.commands.executeCommand('mdsp.addConnection')), undefined);
    assert.match(ui.errors()[0] ?? '', /The binding keys are incomplete: clientSecret is missing/);
  });

  test('binding keys that cannot work are refused by the input box, with the reason, while the text is there to fix', async () => {
    const cases: [string, RegExp][] = [
      ['clientID a:b TokenURL https://t.piam.eu1.mindsphere.io/oauth/token clientSecret x', /The client ID 'a:b' contains ':'/],
      ['ftp://host/oauth/token', /The TokenURL 'ftp:\/\/host\/oauth\/token' must start with https:\/\//],
    ];
    for (const [text, reason] of cases) {
      const ui = new ScriptedUi();
      ui.inputs.push(text);
      assert.equal(await withUi(s, ui, () => vscode.commands.executeCommand('mdsp.addConnection')), undefined);
      assert.match(ui.errors()[0] ?? '', new RegExp(`the input box refused the answer: ${reason.source}`), text);
    }
  });

  test('a node with 2,000 children shows its first page at once, and "Load more…" adds the next', async () => {
    const model = await s.explorer.current();
    assert.ok(model);
    const area = await model.locate(wideAreaId);
    model.refresh(area); // measure a cold expansion of this node
    const started = performance.now();
    const firstPage = await s.explorer.getChildren(area);
    const ms = performance.now() - started;
    console.log(`expanding a node with ${WIDE_CHILDREN}+ children (10,000-asset tenant): first page of ${firstPage.length - 1} in ${ms.toFixed(1)} ms`);
    const assets = firstPage.filter((n): n is AssetNode => n.kind === 'asset');
    assert.equal(assets.length, 200);
    const more = firstPage.at(-1) as LoadMoreNode;
    assert.equal(more.kind, 'loadMore');
    assert.equal(item(s, more).label, 'Load more…');
    assert.match(String(item(s, more).description), /^200 of 2,0\d\d shown$/);
    assert.equal(item(s, more).command?.command, 'mdsp.loadMore');
    await vscode.commands.executeCommand('mdsp.loadMore', more);
    const twoPages = await s.explorer.getChildren(area);
    assert.equal(twoPages.filter((n) => n.kind === 'asset').length, 400);
    assert.equal(new Set(twoPages.map((n) => n.key)).size, twoPages.length, 'no asset appears twice');
    assert.match(String(item(s, twoPages.at(-1)!).description), /^400 of /);
  });

  test('switching connections: the explorer follows the active connection', async () => {
    await vscode.commands.executeCommand('mdsp.selectConnection', 'sandbox');
    assert.equal(item(s, (await s.explorer.getChildren())[0]!).label, 'Sandbox');
    await walk(s, 'Sandbox', 'Assets', 'makers01');
    const ui = new ScriptedUi();
    ui.picks.push(pickLabel('Acme Plant'));
    await withUi(s, ui, () => vscode.commands.executeCommand('mdsp.selectConnection'));
    assert.equal(s.session.active()?.id, added.id);
    await walk(s, 'Acme Plant', 'Assets', TENANT);
  });

  test('from a menu or the palette, a command among several connections asks which, the active one first', async () => {
    // "Select Active Connection…" on the explorer's node (the active connection): a picker, not a no-op.
    const ui = new ScriptedUi();
    let offered: string[] = [];
    ui.picks.push((items) => {
      offered = items.map((i) => i.label);
      return items.find((i) => i.label.endsWith('Sandbox'));
    });
    const connectionNode = (await s.explorer.getChildren())[0];
    await withUi(s, ui, () => vscode.commands.executeCommand('mdsp.selectConnection', connectionNode));
    assert.deepEqual(offered.filter((l) => !l.includes('Add Connection')).sort(), ['$(beaker) Sandbox', '$(check) Acme Plant']);
    assert.equal(s.session.active()?.id, 'sandbox');
    // "Test Connection" from the palette: the active one (Sandbox) is offered first, the other can be chosen.
    ui.picks.push((items) => {
      offered = items.map((i) => `${i.label} (${i.description})`);
      return items.find((i) => i.label === 'Acme Plant');
    });
    assert.match(String(await withUi(s, ui, () => vscode.commands.executeCommand<string>('mdsp.testConnection'))), /^'Acme Plant' works: /);
    assert.match(offered[0] ?? '', /^Sandbox \(active · /);
    await vscode.commands.executeCommand('mdsp.selectConnection', added.id);
  });

  test('rename, and "Test Connection" reports the tenant and the root asset', async () => {
    const ui = new ScriptedUi();
    ui.inputs.push('Acme Works');
    const renamed = await withUi(s, ui, () => vscode.commands.executeCommand<ConnectionSummary>('mdsp.renameConnection', added.id));
    assert.equal(renamed?.name, 'Acme Works');
    await walk(s, 'Acme Works', 'Assets');
    const message = await withUi(s, ui, () => vscode.commands.executeCommand<string>('mdsp.testConnection', added.id));
    assert.match(String(message), /^'Acme Works' works: tenant acme01, root asset 'acme01', token valid until/);
  });

  test('another window choosing another connection does not switch this window\'s explorer', async () => {
    const here = s.session.active()?.id;
    assert.equal(here, added.id);
    try {
      // What "Select Active Connection…" in another window writes: VS Code shares it without an event.
      await s.context.globalState.update('mdsp.activeConnection', 'sandbox');
      assert.equal(s.session.active()?.id, here);
      assert.equal(item(s, (await s.explorer.getChildren())[0]!).label, 'Acme Works');
      await walk(s, 'Acme Works', 'Assets', TENANT);
    } finally {
      await s.context.globalState.update('mdsp.activeConnection', here);
    }
  });

  test('"Edit Connection…": a wrong new secret changes nothing; new binding keys are verified, then replace the old', async () => {
    const ui = new ScriptedUi();
    ui.picks.push(pickLabel('Replace the Client Secret'));
    ui.inputs.push('a-wrong-new-secret');
    noteSecret('a-wrong-new-secret', acme.clientId);
    assert.equal(await withUi(s, ui, () => vscode.commands.executeCommand('mdsp.editConnection', added.id)), undefined);
    assert.match(ui.errors()[0] ?? '', /The connection 'Acme Works' was not changed: MindSphere refused the token request \(401\)/);
    assert.match(String(await withUi(s, ui, () => vscode.commands.executeCommand<string>('mdsp.testConnection', added.id))), / works: /,
      'the stored secret still works');
    ui.picks.push(pickLabel('Paste New Binding Keys'));
    ui.inputs.push(bindingKeys(acme, acme.clientSecret));
    const edited = await withUi(s, ui, () => vscode.commands.executeCommand<ConnectionSummary>('mdsp.editConnection', added.id));
    assert.equal(edited?.id, added.id);
    assert.equal(edited?.name, 'Acme Works', 'the name stays');
    assert.match(ui.messages.at(-1)?.text ?? '', /The connection 'Acme Works' was updated/);
  });

  test('"Copy Access Token" warns first and copies nothing when declined', async () => {
    const ui = new ScriptedUi();
    ui.confirms.push(false, true);
    assert.equal(await withUi(s, ui, () => vscode.commands.executeCommand('mdsp.copyAccessToken', added.id)), false);
    assert.deepEqual(ui.copied, []);
    assert.equal(await withUi(s, ui, () => vscode.commands.executeCommand('mdsp.copyAccessToken', added.id)), true);
    assert.match(ui.copied[0] ?? '', /^eyJ[\w-]+\.[\w-]+\.[\w-]+$/, 'a JWT is on the clipboard');
    assert.match(ui.prompts[0] ?? '', /Copy an access token of 'Acme Works'/);
  });

  test('"Export Deployment Constants…": the Mendix constants and the Cloud Foundry variables, never the secret', async () => {
    const ui = new ScriptedUi();
    ui.picks.push(pickLabel('Mendix'), pickLabel('Placeholder'), pickLabel('Cloud Foundry'), pickLabel('Copy'));
    const mendix = await withUi(s, ui, () => vscode.commands.executeCommand<string>('mdsp.exportDeploymentConstants', added.id));
    assert.match(String(mendix), /^MindSphereIIotAuthenticator\.TokenURL = http:\/\/127\.0\.0\.1:\d+\/oauth\/token$/m);
    assert.match(String(mendix), /^MindSphereIIotAuthenticator\.ClientID = acme01-app-v1\.0\.0-7731$/m);
    assert.match(String(mendix), /^MindSphereIIotAuthenticator\.ClientSecret = <paste the clientSecret here>$/m);
    const cf = await withUi(s, ui, () => vscode.commands.executeCommand<string>('mdsp.exportDeploymentConstants', added.id));
    assert.match(String(cf), /^cf set-env <app> MX_MindSphereIIotAuthenticator_ClientID acme01-app-v1\.0\.0-7731$/m, 'bare: cmd.exe keeps quotes');
    for (const doc of ui.documents) assert.ok(!doc.content.includes(acme.clientSecret), 'no secret in an exported document');
    assert.deepEqual(ui.copied, [acme.clientSecret], 'the secret goes to the clipboard only on request');
  });

  test('"Export Deployment Constants…" exports saved binding keys only, and needs the keychain only to copy the secret', async () => {
    const noKeys = 'Export Deployment Constants is for your own tenant\'s binding keys; add a connection first.';
    const ui = new ScriptedUi();
    const run = (...args: unknown[]) => withUi(s, ui, () => vscode.commands.executeCommand<string | undefined>('mdsp.exportDeploymentConstants', ...args));
    assert.equal(await run('sandbox'), undefined, 'the Sandbox has no binding keys to deploy');
    const list = s.context.globalState.get('mdsp.connections');
    // Saved in another window, say, whose keychain holds the secret: this one does not.
    const elsewhere = { id: 'keys-elsewhere', name: 'Keys Elsewhere', tokenUrl: 'https://t9.piam.eu1.mindsphere.io/oauth/token',
      clientId: 't9-app-v1.0.0-1', gateway: 'https://gateway.eu1.mindsphere.io', tenant: 't9' };
    try {
      await s.context.globalState.update('mdsp.connections', []);
      assert.equal(await run(), undefined, 'from the palette without a saved connection');
      await s.context.globalState.update('mdsp.connections', [elsewhere]);
      ui.picks.push(pickLabel('Mendix'), pickLabel('Placeholder'), pickLabel('Mendix'), pickLabel('Copy'));
      const text = await run(); // the only saved connection: no question which
      assert.match(String(text), /^MindSphereIIotAuthenticator\.TokenURL = https:\/\/t9\.piam\.eu1\.mindsphere\.io\/oauth\/token$/m);
      assert.match(String(text), /^MindSphereIIotAuthenticator\.ClientID = t9-app-v1\.0\.0-1$/m);
      await run(elsewhere.id);
    } finally {
      await s.context.globalState.update('mdsp.connections', list);
    }
    assert.deepEqual(ui.messages.filter((m) => m.level === 'info').slice(0, 2).map((m) => m.text), [noKeys, noKeys]);
    assert.equal(ui.documents.length, 2);
    assert.deepEqual(ui.copied, []);
    assert.match(ui.errors()[0] ?? '', /The client secret of 'Keys Elsewhere' is no longer in the keychain/);
  });

  test('the API proxy forwards to the active connection with its token, and stops', async () => {
    const url = await vscode.commands.executeCommand<string>('mdsp.startProxy', 0);
    assert.match(String(url), /^http:\/\/127\.0\.0\.1:\d+$/);
    try {
      const response = await fetch(`${url}/api/assetmanagement/v3/assets/root`);
      assert.equal(response.status, 200);
      assert.equal(((await response.json()) as { name: string }).name, TENANT);
    } finally {
      await vscode.commands.executeCommand('mdsp.stopProxy');
    }
    await assert.rejects(fetch(`${url}/api/assetmanagement/v3/assets/root`));
  });

  test('a tenant that stops answering: the error shows on the node that failed, and Retry recovers', async () => {
    const port = Number(new URL(acme.url).port);
    await acme.close();
    const assets = await walk(s, 'Acme Works', 'Assets');
    await vscode.commands.executeCommand('mdsp.refresh', assets);
    const [failed] = await s.explorer.getChildren(assets);
    assert.equal(failed?.kind, 'error');
    assert.match(String(item(s, failed).label), /MindSphere did not answer .*\(ECONNREFUSED\)/);
    assert.equal(item(s, failed).command?.command, 'mdsp.refresh');
    acme = await startSandbox({ seed: SEED, tenant: TENANT, assets: 50, port });
    await vscode.commands.executeCommand('mdsp.refresh', (failed as Extract<ExplorerNode, { kind: 'error' }>).retry.node);
    const [root] = await s.explorer.getChildren(assets);
    assert.equal(root && item(s, root).label, TENANT);
  });

  test('removing a connection deletes its secret; the explorer shows its welcome again', async () => {
    const ui = new ScriptedUi();
    ui.confirms.push(true);
    assert.equal(await withUi(s, ui, () => vscode.commands.executeCommand('mdsp.removeConnection', added.id)), true);
    assert.match(ui.prompts[0] ?? '', /Remove the connection 'Acme Works'\?/);
    assert.equal(s.connections.get(added.id), undefined);
    assert.equal(await s.connections.hasSecret(added.id), false, 'the secret is gone from SecretStorage');
    assert.equal(s.session.active(), undefined);
    assert.deepEqual(await s.explorer.getChildren(), []);
  });
});
