// "Preview Time Series" in the real VS Code, on the Sandbox tenant started inside the extension host and on tenants
// started in this process with real credentials: the command opens a webview panel from a tree node, from a selection
// another command passes, or from the CodeLens of a query (on what the query reads); the panel's webview loads in the
// workbench, asks the host for the data, and gets every record of the range (past the 2000-record cap) downsampled to a
// few points per pixel; several panels stay open side by side; a server error reaches the panel with its status code;
// closing a panel stops its load; no secret reaches the webview; the menus show the command on exactly the items that
// have something to chart; a panel's data source survives a restart of the sandbox. What the webview draws, the Cancel
// button, and the restore after a reload are seen through the workbench's pixels: test/vscode/ui/04-preview.scenario.mjs.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { ConnectionSummary } from '../../../src/host/connections/session';
import type { ExplorerNode } from '../../../src/host/explorer/nodes';
import { connectionSeriesSource } from '../../../src/host/preview/client-source';
import type { PreviewPanel } from '../../../src/host/preview/panel';
import type { Services } from '../../../src/host/services';
import type { HostToWebview } from '../../../src/protocol/preview';
import { type RunningSandbox, startSandbox } from '../../../src/sandbox';
import { SCOPES } from '../../../src/sandbox/auth';
import { bindingKeys, childLabelled, item, noteSecret, ScriptedUi, services, walk, withUi } from './helpers';
import { writeFile } from './lint-helpers';

type Posted<T extends HostToWebview['type']> = Extract<HostToWebview, { type: T }>;

/** What a panel's webview was sent and what it sent back, recorded from the moment the panel opened. */
interface Watched {
  readonly posted: HostToWebview[];
  readonly received: { type?: string; widthPx?: number; requestId?: number }[];
  /** Resolves with the first message of this type the webview was sent (fails with the panel's error, if one came first). */
  next<T extends HostToWebview['type']>(type: T, timeoutMs?: number): Promise<Posted<T>>;
  of<T extends HostToWebview['type']>(type: T): Posted<T>[];
}

/**
 * Records the messages between a panel and its webview. The command returns the panel before its webview has loaded
 * (the first message, `ready`, comes from the page), so watching right after the command misses nothing.
 */
function watch(panel: PreviewPanel): Watched {
  const posted: HostToWebview[] = [];
  const received: Watched['received'] = [];
  const { webview } = panel.panel;
  const post = webview.postMessage.bind(webview);
  webview.postMessage = (message: HostToWebview) => {
    posted.push(message);
    return post(message);
  };
  webview.onDidReceiveMessage((m: Watched['received'][number]) => received.push(m));
  const of = <T extends HostToWebview['type']>(type: T) => posted.filter((m): m is Posted<T> => m.type === type);
  return {
    posted, received, of,
    async next(type, timeoutMs = 60_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const found = of(type)[0];
        if (found) return found;
        const failed = type !== 'failed' && of('failed')[0];
        if (failed) throw new Error(`the panel was sent an error instead of '${type}': ${failed.message}`);
        if (Date.now() > deadline) {
          throw new Error(`no '${type}' message within ${timeoutMs} ms; sent: ${posted.map((m) => m.type).join(', ')}; received: ${received.map((m) => m.type).join(', ')}`);
        }
        await new Promise((r) => setTimeout(r, 20));
      }
    },
  };
}

async function open(arg: unknown): Promise<{ panel: PreviewPanel; watched: Watched }> {
  const panel = await vscode.commands.executeCommand<PreviewPanel | undefined>('mdsp.previewTimeSeries', arg);
  assert.ok(panel, 'the command opened a panel');
  return { panel, watched: watch(panel) };
}

function menuWhens(command: string): { group: string; when: string }[] {
  const ext = vscode.extensions.getExtension('mindsphere-makers.mindsphere-makers');
  const menus = ext?.packageJSON.contributes.menus['view/item/context'] as { command: string; group: string; when: string }[];
  return menus.filter((m) => m.command === command);
}

/** The contextValue regex of a menu's `when` clause, as VS Code matches it against `viewItem`. */
function viewItemRegex(when: string): RegExp {
  const m = /viewItem =~ \/(.+?)\/(?:\s|$)/.exec(when);
  assert.ok(m?.[1], `no viewItem regex in ${when}`);
  return new RegExp(m[1]);
}

/** Adds a connection to `tenant` as a person does (binding keys pasted, a name), which makes it the active one. */
async function connect(s: Services, tenant: RunningSandbox, name: string): Promise<ConnectionSummary> {
  noteSecret(tenant.clientSecret, tenant.clientId);
  const ui = new ScriptedUi();
  ui.inputs.push(bindingKeys(tenant, tenant.clientSecret), name);
  const added = await withUi(s, ui, () => vscode.commands.executeCommand<ConnectionSummary | undefined>('mdsp.addConnection'));
  assert.deepEqual(ui.errors(), []);
  assert.ok(added);
  return added;
}

async function disconnect(s: Services, connection: ConnectionSummary | undefined): Promise<void> {
  if (!connection) return;
  const ui = new ScriptedUi();
  ui.confirms.push(true);
  await withUi(s, ui, () => vscode.commands.executeCommand('mdsp.removeConnection', connection.id));
}

/** The chartable pump of the Pump House of a connection's plant (the explorer as the user walks it). */
async function pumpOf(s: Services, connection: string, tenant: string): Promise<Extract<ExplorerNode, { kind: 'asset' }>> {
  const area = await walk(s, connection, 'Assets', tenant, 'Nuremberg Plant', 'Pump House');
  return childLabelled(s, await s.explorer.getChildren(area), /^Pump P-\d+$/) as Extract<ExplorerNode, { kind: 'asset' }>;
}

suite('Preview Time Series', function () {
  this.timeout(120_000);
  let s: Services;
  let pump: Extract<ExplorerNode, { kind: 'asset' }>;
  let aspects: ExplorerNode[];
  const opened: PreviewPanel[] = [];

  suiteSetup(async () => {
    s = await services();
    await vscode.commands.executeCommand('mdsp.useSandbox');
    pump = await pumpOf(s, 'Sandbox', 'makers01');
    aspects = await s.explorer.getChildren(pump);
  });

  suiteTeardown(() => {
    for (const p of opened) p.dispose();
  });

  test('from a pump\'s dynamic aspect in the tree: the panel gets every record of the last day, past the 2000 cap, a few points per pixel', async () => {
    const flow = childLabelled(s, aspects, 'Flow');
    const started = Date.now();
    const { panel, watched } = await open(flow);
    opened.push(panel);
    assert.equal(panel.panel.viewType, 'mdsp.preview', 'the view type the serializer and the activation event name');
    assert.ok(panel.panel.active, 'the new panel has the focus');
    const init = await watched.next('init');
    assert.equal(init.connection, 'Sandbox');
    assert.deepEqual(init.selection, { assetId: pump.asset.assetId, aspect: 'Flow', variables: ['FlowRate', 'Pressure', 'Running'] });
    const series = await watched.next('series');
    const ms = Date.now() - started;
    const load = watched.received.find((m) => m.type === 'load');
    assert.ok(load?.widthPx && load.widthPx > 100, 'the webview asked for the data with its chart\'s width');
    assert.equal(series.requestId, load.requestId);
    assert.equal(series.to - series.from, 86_400_000, 'the last day (the default range)');
    assert.equal(series.records, 86_400, 'every record of the day: one a second');
    const progress = watched.of('progress');
    const requests = Math.max(...progress.map((p) => p.requests));
    // 86,400 records (asserted above) took at least 44 requests of 2000; progress is throttled, so its last report may
    // come before the last request: it only has to show the load going on over several requests.
    assert.ok(requests > 1, `the panel was told of progress over several requests (${requests} reported)`);
    assert.deepEqual(series.series.map((x) => x.variable), ['FlowRate', 'Pressure', 'Running']);
    for (const line of series.series) {
      assert.ok(line.times instanceof Float64Array && line.values instanceof Float64Array && line.quality instanceof Uint8Array, 'typed arrays');
      assert.equal(line.sourceCount, 86_400);
      assert.ok(line.downsampled && line.times.length <= 4 * load.widthPx, `${line.variable}: ${line.times.length} points for ${load.widthPx} px`);
    }
    assert.equal(panel.panel.title, `${pump.asset.name} › Flow`);
    console.log(`tree node to the last day of Flow (3 variables, 86,400 records, ${requests} requests) in the panel: ${ms} ms`);
  });

  test('another command can open a panel on a selection; panels stay open side by side', async () => {
    const { panel, watched } = await open({ assetId: pump.asset.assetId, aspect: 'Vibration', variables: ['Velocity'] });
    opened.push(panel);
    const series = await watched.next('series');
    assert.deepEqual(series.series.map((x) => x.variable), ['Velocity']);
    assert.equal(panel.panel.title, `${pump.asset.name} › Vibration`);
    assert.equal(opened[0]?.panel.title, `${pump.asset.name} › Flow`, 'the first panel is still open');
    assert.notEqual(opened[0]?.panel, panel.panel);
  });

  test('no secret reaches the webview: its HTML (CSP, nonce) and every message hold neither the client secret nor a token', async () => {
    const client = await s.session.client('sandbox');
    const { accessToken } = await client.token(AbortSignal.timeout(10_000));
    noteSecret(accessToken);
    const secrets = [client.connection.clientSecret, accessToken, accessToken.split('.')[1] ?? accessToken];
    const [first] = opened;
    assert.ok(first);
    const html = first.panel.webview.html;
    assert.match(html, /<meta http-equiv="Content-Security-Policy" content="default-src 'none'; [^"]*script-src 'nonce-[\w-]{20,}'/);
    assert.equal((html.match(/<script /g) ?? []).length, (html.match(/<script nonce="[\w-]{20,}" src="/g) ?? []).length, 'every script has the nonce, none is inline');
    const { panel, watched } = await open({ assetId: pump.asset.assetId, aspect: 'Vibration', variables: ['Velocity'] });
    opened.push(panel);
    await watched.next('series');
    const sent = JSON.stringify(watched.posted, (_k, v: unknown) => (ArrayBuffer.isView(v) ? undefined : v));
    for (const secret of secrets) {
      assert.ok(secret.length > 10);
      assert.ok(!html.includes(secret) && !panel.panel.webview.html.includes(secret), 'not in the HTML');
      assert.ok(!sent.includes(secret), 'not in a message to the webview');
    }
  });

  test('from the CodeLens of a query in an .http file: a panel on what the query reads (range, variables, raw or aggregates)', async () => {
    const to = Math.floor(Date.now() / 3_600_000) * 3_600_000 - 3_600_000;
    const range = { from: new Date(to - 2 * 3_600_000).toISOString(), to: new Date(to).toISOString() };
    const id = pump.asset.assetId;
    const uri = await writeFile('preview.http', [
      '### Two hours of the pump\'s vibration',
      `GET {{gateway}}/api/iottimeseries/v3/timeseries/${id}/Vibration?from=${range.from}&to=${range.to}&select=Velocity,Velocity_qc`,
      '###',
      `GET /api/iottsaggregates/v4/aggregates?assetId=${id}&aspectName=Flow&from=${range.from}&to=${range.to}&intervalUnit=hour&intervalValue=1&select=FlowRate`,
      '###',
      'GET /api/assetmanagement/v3/assets?size=5',
      '',
    ].join('\n'));
    await vscode.window.showTextDocument(uri);
    const lenses = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', uri, 10);
    const previews = lenses.filter((l) => l.command?.title === 'Preview Time Series');
    assert.deepEqual(previews.map((l) => l.range.start.line), [1, 3], 'on the two reads of time series, not on the assets request');
    assert.equal(lenses.filter((l) => l.command?.title === 'Run with MindSphere').length, 3);

    const openLens = async (lens: vscode.CodeLens | undefined) => {
      assert.ok(lens?.command);
      const panel = await vscode.commands.executeCommand<PreviewPanel | undefined>(lens.command.command, ...(lens.command.arguments ?? []));
      assert.ok(panel, 'the lens opened a panel');
      opened.push(panel);
      return watch(panel);
    };
    const raw = await openLens(previews[0]);
    assert.deepEqual((await raw.next('init')).selection, { assetId: id, aspect: 'Vibration', variables: ['Velocity'], range, mode: 'raw' });
    const series = await raw.next('series');
    assert.deepEqual([series.from, series.to, series.records, series.mode], [Date.parse(range.from), Date.parse(range.to), 7200, 'raw']);
    assert.deepEqual(series.series.map((x) => x.variable), ['Velocity']);

    const aggregated = await (await openLens(previews[1])).next('series');
    assert.equal(aggregated.mode, 'aggregate');
    assert.deepEqual(aggregated.interval, { unit: 'hour', value: 1, auto: false });
    assert.equal(aggregated.records, 2, 'two hourly intervals');
    assert.deepEqual(aggregated.series.map((x) => `${x.variable}.${x.field}`), ['FlowRate.average', 'FlowRate.min', 'FlowRate.max']);
  });

  test('an aspect of an asset type has no data: the command says so and opens nothing', async () => {
    const typeAspect = await walk(s, 'Sandbox', 'Asset Types', 'BasicAsset', 'CNGTurbine', 'PrimaryMotor');
    const ui = new ScriptedUi();
    const panel = await withUi(s, ui, () => vscode.commands.executeCommand<PreviewPanel | undefined>('mdsp.previewTimeSeries', typeAspect));
    assert.equal(panel, undefined);
    assert.equal(ui.messages.length, 1);
    assert.match(ui.messages[0]?.text ?? '', /^Preview Time Series charts the data of an asset: pick an asset, or an aspect or variable under an asset/);
  });

  test('the context menu offers the command on chartable assets, aspects and variables only (inline on aspects)', async () => {
    const [inline, menu] = [menuWhens('mdsp.previewTimeSeries').find((m) => m.group.startsWith('inline')),
      menuWhens('mdsp.previewTimeSeries').find((m) => !m.group.startsWith('inline'))];
    assert.ok(inline && menu, 'an inline action and a context-menu entry');
    const flow = childLabelled(s, aspects, 'Flow');
    const variables = await s.explorer.getChildren(flow);
    const contextOf = (node: ExplorerNode) => String(item(s, node).contextValue);
    const shown = (when: string, node: ExplorerNode) => viewItemRegex(when).test(contextOf(node));
    for (const node of [pump, flow, childLabelled(s, variables, 'FlowRate')]) assert.ok(shown(menu.when, node), `in the menu of ${contextOf(node)}`);
    assert.ok(shown(inline.when, flow), 'inline on a chartable aspect');
    assert.ok(!shown(inline.when, pump), 'not inline on assets (the row has its own actions)');
    const typeAspect = await walk(s, 'Sandbox', 'Asset Types', 'BasicAsset', 'CNGTurbine', 'PrimaryMotor');
    for (const node of [childLabelled(s, aspects, 'Nameplate'), childLabelled(s, variables, 'Mode'), typeAspect, await walk(s, 'Sandbox', 'Assets')]) {
      assert.ok(!shown(menu.when, node), `not in the menu of ${contextOf(node)}`);
    }
  });

  test('a server error reaches the panel with its status code and what to do: binding keys without the IoT Time Series role', async () => {
    // The app's binding keys may read assets but not time series: MindSphere answers the read with 403.
    const tenant = await startSandbox({ port: 0, tenant: 'norole01', clientSecret: 'norole-secret-5b1e7d', scopes: [SCOPES.assetsRead] });
    let connection: ConnectionSummary | undefined;
    try {
      connection = await connect(s, tenant, 'No Time Series Role');
      const restrictedPump = await pumpOf(s, 'No Time Series Role', 'norole01');
      const flow = childLabelled(s, await s.explorer.getChildren(restrictedPump), 'Flow');
      const { panel, watched } = await open(flow);
      opened.push(panel);
      const failed = await watched.next('failed');
      assert.equal(failed.status, 403);
      assert.equal(failed.requestId, watched.received.find((m) => m.type === 'load')?.requestId, 'the answer to the panel\'s load');
      assert.match(failed.message, /\(403\)/);
      assert.match(failed.message, /binding keys lack a role/);
      assert.equal(watched.of('series').length, 0);
      assert.ok(!failed.message.includes(tenant.clientSecret));
    } finally {
      await disconnect(s, connection);
      await tenant.close();
      await vscode.commands.executeCommand('mdsp.selectConnection', 'sandbox');
    }
  });

  test('a panel whose data source failed (secret gone from the keychain) recovers once the cause is fixed, without being closed', async () => {
    const tenant = await startSandbox({ port: 0, tenant: 'gone01', clientSecret: 'gone-secret-31c8e0' });
    let connection: ConnectionSummary | undefined;
    try {
      connection = await connect(s, tenant, 'Keychain Tenant');
      const gonePump = await pumpOf(s, 'Keychain Tenant', 'gone01');
      const secretKey = `mdsp.connection/${connection.id}/clientSecret`;
      await s.context.secrets.delete(secretKey);
      const { panel, watched } = await open({ assetId: gonePump.asset.assetId, aspect: 'Flow', variables: ['FlowRate'] });
      opened.push(panel);
      const failed = await watched.next('failed');
      assert.match(failed.message, /no longer in the keychain/);

      // Fixed (the binding keys pasted again); the panel hidden and shown again, which reloads its webview.
      await s.context.secrets.store(secretKey, tenant.clientSecret);
      watched.posted.length = 0;
      const elsewhere = await vscode.workspace.openTextDocument(await writeFile('elsewhere.txt', 'another tab\n'));
      await vscode.window.showTextDocument(elsewhere, { viewColumn: panel.panel.viewColumn, preview: false });
      panel.panel.reveal();
      const series = await watched.next('series');
      assert.deepEqual(series.series.map((x) => x.variable), ['FlowRate']);
    } finally {
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
      await disconnect(s, connection);
      await tenant.close();
      await vscode.commands.executeCommand('mdsp.selectConnection', 'sandbox');
    }
  });

  test('closing a panel during a long load stops its requests to the tenant', async () => {
    let timeSeriesRequests = 0;
    const tenant = await startSandbox({ port: 0, tenant: 'slow01', clientSecret: 'slow-secret-9c04fa', latencyMs: 100,
      onRequest: (e) => void (e.route.includes('/iottimeseries/') && timeSeriesRequests++) });
    const config = vscode.workspace.getConfiguration('mdsp.preview');
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => unhandled.push(reason);
    process.on('unhandledRejection', onUnhandled);
    let connection: ConnectionSummary | undefined;
    try {
      await config.update('defaultRange', 'week', vscode.ConfigurationTarget.Global); // 604,800 records: over 300 requests
      connection = await connect(s, tenant, 'Slow Tenant');
      const slowPump = await pumpOf(s, 'Slow Tenant', 'slow01');
      const { panel, watched } = await open(childLabelled(s, await s.explorer.getChildren(slowPump), 'Flow'));
      const deadline = Date.now() + 60_000;
      while (!watched.of('progress').some((p) => p.records > 0)) {
        assert.ok(Date.now() < deadline, 'no progress within a minute');
        await new Promise((r) => setTimeout(r, 20));
      }
      panel.dispose();
      const atClose = timeSeriesRequests;
      await new Promise((r) => setTimeout(r, 1500));
      const settled = timeSeriesRequests;
      await new Promise((r) => setTimeout(r, 1500));
      assert.equal(timeSeriesRequests, settled, 'no request after the ones in flight when the panel closed');
      assert.ok(settled - atClose <= 8, `at most the requests in flight finished (${settled - atClose})`);
      assert.ok(settled < 100, `the week would have taken over 300 requests; ${settled} were sent`);
      assert.equal(watched.of('series').length, 0);
      assert.deepEqual(unhandled.map(String), [], 'the load ending after the panel closed leaves no unhandled rejection');
    } finally {
      process.off('unhandledRejection', onUnhandled);
      await config.update('defaultRange', undefined, vscode.ConfigurationTarget.Global);
      await disconnect(s, connection);
      await tenant.close();
      await vscode.commands.executeCommand('mdsp.selectConnection', 'sandbox');
    }
  });

  test('a panel\'s data source keeps working when the sandbox restarts on a new port (its settings changed)', async () => {
    const source = await connectionSeriesSource(() => s.session.client('sandbox'), 'Sandbox');
    const before = source.gateway;
    assert.ok((await source.assets(AbortSignal.timeout(10_000))).some((a) => a.assetId === pump.asset.assetId));
    const config = vscode.workspace.getConfiguration('mdsp.sandbox');
    await config.update('latencyMs', 1, vscode.ConfigurationTarget.Global);
    try {
      await new Promise((r) => setTimeout(r, 300)); // the restart follows the configuration event
      const aspectsNow = await source.aspects(pump.asset.assetId, AbortSignal.timeout(10_000));
      assert.deepEqual(aspectsNow.map((a) => a.name), ['Flow', 'PrimaryMotor', 'Vibration'], 'the dynamic aspects: the static Nameplate has no time series');
      assert.notEqual(source.gateway, before, 'the REST request it copies names the new address');
    } finally {
      await config.update('latencyMs', undefined, vscode.ConfigurationTarget.Global);
    }
  });
});
