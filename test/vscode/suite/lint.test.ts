// The lint features in the real VS Code: diagnostics while typing, quick fixes, related information across contracts,
// hover and completion, settings, and "Run with MindSphere" against the sandbox tenant.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { MindSphereMakersApi } from '../../../src/host/extension';
import type { Services } from '../../../src/host/services';
import type { Ui } from '../../../src/host/ui';
import {
  activateExtension, closeAllEditors, codeOf, mindSphereDiagnostics, openFile, scriptedUi, type, waitForDiagnostics, workspaceFile, writeFile,
} from './lint-helpers';
import type { WorkspaceCheck } from '../../../src/host/lint/diagnostics';

const TS_ENTITY = 'TS_PowerConsumption_PrimaryMotor_Pump';

suite('Lint: diagnostics, quick fixes and help', () => {
  suiteSetup(async () => {
    await activateExtension();
  });

  teardown(async () => {
    await closeAllEditors();
  });

  test('typing an unsupported filter shows the diagnostic on the operator, with the rule as code; its quick fix removes it', async () => {
    const prefix = `GET {{gateway}}/odata/${TS_ENTITY}?$filter=`;
    const editor = await openFile('typing.http', `${prefix}\n`);
    const uri = editor.document.uri;
    // Typed in pieces, as a person would, with the file open.
    await type(editor, new vscode.Position(0, prefix.length), 'timestamp ');
    await type(editor, new vscode.Position(0, prefix.length + 10), "ge '2024-01-01T00:00:00'");
    const diagnostics = await waitForDiagnostics(uri, (d) => d.some((x) => codeOf(x) === 'mdsp/filter-operator'), 10_000, 'mdsp/filter-operator');
    const diagnostic = diagnostics.find((x) => codeOf(x) === 'mdsp/filter-operator');
    assert.ok(diagnostic);
    assert.equal(codeOf(diagnostic), 'mdsp/filter-operator');
    assert.equal(diagnostic.severity, vscode.DiagnosticSeverity.Error);
    assert.equal(editor.document.getText(diagnostic.range), 'ge', 'the squiggle is on the operator');
    assert.equal(diagnostic.range.start.character, prefix.length + 10);
    assert.match(diagnostic.message, /does not allow 'ge' on timestamp/);
    const target = typeof diagnostic.code === 'object' ? diagnostic.code.target : undefined;
    assert.ok(target?.path.endsWith('/docs/rules/filter-operator.md'), `the code links to the rule's page: ${target?.toString()}`);

    const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', uri, diagnostic.range,
      vscode.CodeActionKind.QuickFix.value);
    const preferred = actions.find((a) => a.isPreferred);
    assert.ok(preferred?.edit, `a preferred quick fix is offered: ${actions.map((a) => a.title).join(', ')}`);
    assert.match(preferred.title, /Rewrite as timestamp gt '2023-12-31T23:59:59'/);
    assert.ok(await vscode.workspace.applyEdit(preferred.edit));
    await waitForDiagnostics(uri, (d) => !d.some((x) => codeOf(x) === 'mdsp/filter-operator'), 10_000, 'the fixed filter');
    assert.equal(editor.document.lineAt(0).text, `${prefix}timestamp gt '2023-12-31T23:59:59'`);
  });

  test('"Fix all MindSphere problems in this file" applies every safe fix at once', async () => {
    const text = [
      `GET /odata/${TS_ENTITY}?$filter=timestamp ge '2024-01-01T00:00:00' and timestamp le '2024-01-02T00:00:00'`,
      '###',
      "GET /odata/AGGR_PowerConsumption_PrimaryMotor_Pump?$filter=intervalUnit eq 'day' and timestamp le '2024-01-02T00:00:00'",
      '',
    ].join('\n');
    const editor = await openFile('fix-all.http', text);
    const uri = editor.document.uri;
    await waitForDiagnostics(uri, (d) => d.some((x) => codeOf(x) === 'mdsp/enum-value') && d.some((x) => codeOf(x) === 'mdsp/filter-operator'));
    const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', uri,
      new vscode.Range(0, 0, 0, 0), 'source.fixAll.mdsp');
    const fixAll = actions.find((a) => a.title === 'Fix all MindSphere problems in this file');
    assert.ok(fixAll?.edit, `the source action is offered: ${actions.map((a) => a.title).join(', ')}`);
    assert.ok(await vscode.workspace.applyEdit(fixAll.edit));
    await waitForDiagnostics(uri, (d) => !d.some((x) => codeOf(x) === 'mdsp/enum-value' || codeOf(x) === 'mdsp/filter-operator'));
    assert.match(editor.document.getText(), /intervalUnit eq 'days'/);
    assert.match(editor.document.getText(), /timestamp gt '2023-12-31T23:59:59'/);
  });

  test('the contract hierarchy rule shows related information pointing into the other contract', async () => {
    const contract = (name: string, types: unknown[]) => JSON.stringify({ name, version: '1.0.0', tenant: 'makers01',
      applicationName: 'mdsp_makers01', environmentType: 'Sandbox', assetTypes: types }, null, 2);
    const aspect = (name: string, type: string, variable: string) => ({ name, aspectType: `makers01.${type}`, variables: [{ name: variable, dataType: 'DOUBLE', unit: 'kW' }] });
    const cng = await writeFile('turbines.contract.json', contract('Turbines', [{ id: 'makers01.CNGTurbine', name: 'CNGTurbine', aspects: [aspect('PrimaryMotor', 'PowerConsumption', 'Power')] }]));
    const lpg = await writeFile('lpg.contract.json', contract('LpgTurbines', [{ id: 'makers01.LPGTurbine', name: 'LPGTurbine',
      parentTypeId: 'makers01.CNGTurbine', aspects: [aspect('GasSupply', 'Flow', 'FlowRate')] }]));
    await vscode.commands.executeCommand('mdsp.lintWorkspace');
    const [finding] = await waitForDiagnostics(lpg, (d) => d.some((x) => codeOf(x) === 'mdsp/contract-split-hierarchy'), 15_000, 'contract-split-hierarchy');
    assert.ok(finding);
    const related = finding.relatedInformation?.[0];
    assert.ok(related, 'the finding has related information');
    assert.equal(related.location.uri.toString(), cng.toString(), 'it points into the other contract');
    const other = await vscode.workspace.openTextDocument(cng);
    assert.equal(other.getText(related.location.range), '"makers01.CNGTurbine"');
    assert.match(related.message, /published in this contract/);
    // Opening the contract keeps the cross-file finding beside the document's own diagnostics.
    await vscode.window.showTextDocument(lpg);
    await waitForDiagnostics(lpg, (d) => d.some((x) => codeOf(x) === 'mdsp/contract-split-hierarchy'));
  });

  test('mdsp.lint.rules turns a rule off or changes its severity; closing the file clears its diagnostics', async () => {
    const config = vscode.workspace.getConfiguration('mdsp.lint');
    const editor = await openFile('settings.http', `GET /odata/${TS_ENTITY}?$filter=timestamp ge '2024-01-01T00:00:00' and timestamp le '2024-01-02T00:00:00'\n`);
    const uri = editor.document.uri;
    await waitForDiagnostics(uri, (d) => d.some((x) => codeOf(x) === 'mdsp/filter-operator' && x.severity === vscode.DiagnosticSeverity.Error));
    try {
      await config.update('rules', { 'mdsp/filter-operator': 'information' }, vscode.ConfigurationTarget.Workspace);
      await waitForDiagnostics(uri, (d) => d.some((x) => codeOf(x) === 'mdsp/filter-operator' && x.severity === vscode.DiagnosticSeverity.Information));
      await config.update('rules', { 'mdsp/filter-operator': 'off' }, vscode.ConfigurationTarget.Workspace);
      await waitForDiagnostics(uri, (d) => !d.some((x) => codeOf(x) === 'mdsp/filter-operator'));
    } finally {
      await config.update('rules', undefined, vscode.ConfigurationTarget.Workspace);
    }
    await waitForDiagnostics(uri, (d) => d.length > 0);
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
    await waitForDiagnostics(uri, (d) => d.length === 0, 10_000, 'no diagnostics after closing');
  });

  test('a query in a TypeScript string gets the diagnostic inside the string, and a Run with MindSphere lens', async () => {
    const source = "const query = \"/odata/mdsp_makers01/TS_Vibration_Vibration_Pump?$filter=timestamp ge '2024-01-01T00:00:00' and timestamp le '2024-01-02T00:00:00'\";\n";
    const editor = await openFile('client.ts', source);
    const uri = editor.document.uri;
    const [diagnostic] = await waitForDiagnostics(uri, (d) => d.some((x) => codeOf(x) === 'mdsp/filter-operator'), 15_000, 'filter-operator in a string');
    assert.ok(diagnostic);
    assert.equal(editor.document.getText(diagnostic.range), 'ge');
    assert.equal(diagnostic.range.start.character, source.indexOf('timestamp ge') + 'timestamp '.length);
    const lenses = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', uri, 10);
    assert.deepEqual(lenses.map((l) => l.command?.title), ['Run with MindSphere']);
    assert.equal(lenses[0]?.range.start.line, 0);
  });

  test('hover on a filter attribute shows what MindSphere allows there, with the source', async () => {
    const line = `GET /odata/${TS_ENTITY}?$filter=timestamp gt '2024-01-01T00:00:00'`;
    const editor = await openFile('hover.http', `${line}\n`);
    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', editor.document.uri,
      new vscode.Position(0, line.indexOf('timestamp') + 2));
    const text = hovers.flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : c.value))).join('\n');
    assert.match(text, /\*\*timestamp\*\* on Time Series: MindSphere allows `gt`, `le`/);
    assert.match(text, /Source: Mendix, \*MindSphere IIoT for Makers\* §8\.5/);
  });

  test('completion after a time series attribute offers only the operators MindSphere accepts', async () => {
    const line = `GET /odata/${TS_ENTITY}?$filter=timestamp `;
    const editor = await openFile('complete.http', `${line}\n`);
    const list = await vscode.commands.executeCommand<vscode.CompletionList>('vscode.executeCompletionItemProvider',
      editor.document.uri, new vscode.Position(0, line.length));
    const operators = list.items.filter((i) => i.kind === vscode.CompletionItemKind.Operator).map((i) => (typeof i.label === 'string' ? i.label : i.label.label));
    assert.deepEqual(operators.sort(), ['gt', 'le']);
  });
});

suite('Lint: Run with MindSphere', () => {
  let api: MindSphereMakersApi;
  let services: Services;
  let ui: ReturnType<typeof scriptedUi>;
  let realUi: Ui;

  suiteSetup(async () => {
    api = await activateExtension();
    assert.ok(api.testing, 'the test API is available in test mode');
    services = api.testing;
    realUi = services.ui;
    await services.session.select('sandbox');
  });

  setup(() => {
    ui = scriptedUi();
    services.ui = ui;
  });

  teardown(async () => {
    services.ui = realUi;
    await closeAllEditors();
  });

  /** The editors that show a result of Run with MindSphere. */
  const resultEditors = () => vscode.window.visibleTextEditors.filter((e) => e.document.uri.scheme === 'mdsp-result');

  /** Runs the command of the first "Run with MindSphere" CodeLens of a file. */
  async function runLens(uri: vscode.Uri): Promise<{ ok: boolean; message?: string; document?: vscode.TextDocument; summary?: string }> {
    // Resolved as VS Code resolves the lenses in view: the provider leaves the command to resolveCodeLens.
    const lenses = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', uri, 10);
    const lens = lenses.find((l) => l.command?.title === 'Run with MindSphere');
    assert.ok(lens?.command, 'the file shows a Run with MindSphere CodeLens');
    return vscode.commands.executeCommand(lens.command.command, ...(lens.command.arguments ?? []));
  }

  test('the CodeLens runs a query against the sandbox with the connection\'s token and opens the result as JSON', async () => {
    const editor = await openFile('run.http', [
      '### The first assets of the sandbox tenant (no token in the file: the connection provides it)',
      'GET {{gateway}}/api/assetmanagement/v3/assets?size=5',
      'Authorization: Bearer {{token}}',
      '',
    ].join('\n'));
    const result = await runLens(editor.document.uri);
    assert.ok(result.ok, `ran: ${result.message ?? ''} ${ui.errors.join(' ')}`);
    const opened = vscode.window.visibleTextEditors.find((e) => e.document === result.document);
    assert.ok(opened, 'the result is open in an editor');
    assert.deepEqual(resultEditors(), [opened], 'one result, beside the query');
    assert.equal(opened.document.languageId, 'json');
    // Named after the request, and never dirty: it closes without asking to be saved, and Save As proposes this name.
    assert.equal(opened.document.isDirty, false);
    assert.equal(opened.document.uri.path.split('/').at(-1), 'assets (Sandbox).json');
    const body = JSON.parse(opened.document.getText()) as { _embedded?: { assets?: unknown[] } };
    assert.equal(body._embedded?.assets?.length, 5, 'five assets of the sandbox plant');
    assert.deepEqual(ui.errors, []);
  });

  /** A pump of the sandbox plant. */
  async function firstPump(): Promise<{ assetId: string }> {
    const client = await services.session.client('sandbox');
    for await (const asset of client.assets.list({ filter: { typeId: { endsWith: '.Pump' } } })) return asset;
    assert.fail('the sandbox plant has no pump');
  }

  test('a time series read over more than 2000 records comes back whole', async () => {
    const pump = await firstPump();
    const to = Math.floor(Date.now() / 60_000) * 60_000 - 3_600_000;
    const from = to - 2 * 3_600_000;
    const editor = await openFile('read.http',
      `GET /api/iottimeseries/v3/timeseries/${pump.assetId}/PrimaryMotor?from=${new Date(from).toISOString()}&to=${new Date(to).toISOString()}&select=Power\n`);
    const result = await runLens(editor.document.uri);
    assert.ok(result.ok && result.document, `ran: ${result.message ?? ''}`);
    const records = JSON.parse(result.document.getText()) as Array<{ _time: string }>;
    assert.equal(records.length, 7200, 'two hours at one point per second: past the 2000-record cap');
    assert.ok(records.every((r, i) => i === 0 || r._time > (records[i - 1] as { _time: string })._time), 'in time order, each once');
    assert.match(result.summary ?? '', /7200 records, all of the range \(read past the 2000-record cap\)/);
    assert.ok(ui.reports.some((m) => /^[\d,]+ of about 7,200 records$/.test(m)), `the progress counts: ${ui.reports.join(' | ')}`);
  });

  test('a read too big for an editor stops at its first page, and the message says where such reads go', async () => {
    const pump = await firstPump();
    const to = Math.floor(Date.now() / 60_000) * 60_000 - 3_600_000;
    const from = to - 30 * 86_400_000; // 30 days at one record a second: about 2.6 million
    const editor = await openFile('month.http',
      `GET /api/iottimeseries/v3/timeseries/${pump.assetId}/PrimaryMotor?from=${new Date(from).toISOString()}&to=${new Date(to).toISOString()}\n`);
    const result = await runLens(editor.document.uri);
    assert.equal(result.ok, false);
    const message = result.message ?? '';
    assert.match(message, /^GET \/api\/iottimeseries\/v3\/timeseries\/\w+\/PrimaryMotor on 'Sandbox' stopped: the query reads about [\d,]+ records, more than the 100,000 an editor can take\. Narrow the range, chart it with "Preview Time Series"/);
    const estimate = Number(/about ([\d,]+) records/.exec(message)?.[1]?.replace(/,/g, ''));
    assert.ok(estimate > 2_000_000 && estimate < 3_000_000, `estimated from the first page: ${estimate}`);
    assert.deepEqual(ui.errors, [message], 'the user sees the message');
    assert.equal(resultEditors().length, 0, 'no result opened');
  });

  test('the walkthrough\'s sample requests: the squiggle on \'ge\', its quick fix, then the request runs on the sandbox; the copy keeps edits', async () => {
    const copy = vscode.Uri.joinPath(services.context.globalStorageUri, 'sample.http');
    await vscode.workspace.fs.delete(copy).then(undefined, () => undefined); // a copy left by an earlier run
    const editor = await vscode.commands.executeCommand<vscode.TextEditor>('mdsp.openSample');
    const uri = editor.document.uri;
    assert.equal(uri.toString(), copy.toString(), 'the user\'s own copy, outside the workspace');
    const findings = await waitForDiagnostics(uri, (d) => d.some((x) => codeOf(x) === 'mdsp/filter-operator'), 15_000, 'filter-operator');
    assert.deepEqual(findings.map((d) => [codeOf(d), editor.document.getText(d.range)]), [['mdsp/filter-operator', 'ge']], 'one finding, on ge');
    const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', uri, findings[0]!.range,
      vscode.CodeActionKind.QuickFix.value);
    const preferred = actions.find((a) => a.isPreferred);
    assert.ok(preferred?.edit && (await vscode.workspace.applyEdit(preferred.edit)));
    await waitForDiagnostics(uri, (d) => d.length === 0, 10_000, 'no finding after the fix');

    const result = await runLens(uri);
    assert.ok(result.ok && result.document, `ran: ${result.message ?? ''} ${ui.errors.join(' ')}`);
    const body = JSON.parse(result.document.getText()) as { value: Array<{ timestamp: string; Velocity: number }> };
    assert.ok(body.value.length >= 60, `a minute of vibration of each pump: ${body.value.length} objects`);
    assert.ok(body.value.every((r) => r.timestamp > '2024-02-29T23:59:59' && r.timestamp <= '2024-03-01T00:01:00' && typeof r.Velocity === 'number'));

    // Saved, closed and opened again: the edited copy, not a fresh one.
    await editor.document.save();
    await closeAllEditors();
    const again = await vscode.commands.executeCommand<vscode.TextEditor>('mdsp.openSample');
    assert.match(again.document.getText(), /timestamp gt '2024-02-29T23:59:59'/);
  });

  test('a Data Hub query follows its next links: every object of the range, past the 2000-object cap, in one result', async () => {
    const pump = await firstPump();
    const filter = `assetId eq '${pump.assetId}' and timestamp gt '2024-03-01T00:00:00' and timestamp le '2024-03-01T01:00:00'`;
    const editor = await openFile('datahub.http', `GET /odata/mdsp_makers01/TS_Vibration_Vibration_Pump?$filter=${filter}&$select=timestamp,Velocity\n`);
    const result = await runLens(editor.document.uri);
    assert.ok(result.ok && result.document, `ran: ${result.message ?? ''} ${ui.errors.join(' ')}`);
    const body = JSON.parse(result.document.getText()) as { value: Array<{ timestamp: string; Velocity: number }>; '@odata.nextLink'?: string };
    assert.equal(body.value.length, 3600, 'an hour at one object per second');
    assert.equal(new Set(body.value.map((r) => r.timestamp)).size, 3600, 'each second once');
    assert.equal(body['@odata.nextLink'], undefined, 'no page left to follow');
    assert.match(result.summary ?? '', /3600 objects in \d+ requests/);
  });

  test('with the connection live, names are checked against its tenant; Refresh Tenant Schema fetches them again', async () => {
    await services.session.client('sandbox'); // the sandbox runs: its schema is fetched once, without a command
    const editor = await openFile('names.http', 'GET /odata/mdsp_makers01/TS_Vibration_Vibraton_Pump?$filter=timestamp le \'2024-03-02T00:00:00\'\n');
    const [unknown] = await waitForDiagnostics(editor.document.uri, (d) => d.some((x) => codeOf(x) === 'mdsp/unknown-name'), 30_000, 'unknown-name');
    assert.ok(unknown);
    assert.equal(editor.document.getText(unknown.range), 'TS_Vibration_Vibraton_Pump');
    assert.match(unknown.message, /Did you mean 'TS_Vibration_Vibration_Pump'/);
    await vscode.commands.executeCommand('mdsp.refreshSchema');
    assert.deepEqual(ui.errors, []);
    assert.ok(ui.infos.some((m) => /^Tenant schema of 'Sandbox' refreshed: \d+ asset types, \d+ aspect types\.$/.test(m)), ui.infos.join(' | '));
  });

  test('"Check Workspace for MindSphere Problems" says what it found, and why nothing was checked when linting is off', async () => {
    await writeFile('broken.contract.json', '{ "name": "Broken", "assetTypes": [ }');
    const check = await vscode.commands.executeCommand<WorkspaceCheck>('mdsp.lintWorkspace');
    assert.ok(check && check.files >= 1 && check.findings >= 1, `checked: ${JSON.stringify(check)}`);
    assert.deepEqual(ui.errors, []);
    assert.match(ui.infos.at(-1) ?? '', new RegExp(`^${check.findings} MindSphere problems? in ${check.filesWithFindings} files? of the workspace: ` +
      `checked ${check.files} files? \\(.*\\d+ contracts?.*\\)\\.$`));
    const config = vscode.workspace.getConfiguration('mdsp.lint');
    try {
      await config.update('enable', false, vscode.ConfigurationTarget.Workspace);
      assert.equal((await vscode.commands.executeCommand<WorkspaceCheck>('mdsp.lintWorkspace'))?.folders, 0);
      assert.equal(ui.infos.at(-1), 'MindSphere linting is turned off for this workspace (mdsp.lint.enable).');
    } finally {
      await config.update('enable', undefined, vscode.ConfigurationTarget.Workspace);
      await vscode.workspace.fs.delete(workspaceFile('broken.contract.json'));
    }
  });

  test('"Check Workspace for MindSphere Problems" reads what mdsp-makers lint reads (requests, code), not node_modules or files.exclude', async () => {
    const url = "/odata/mdsp_makers01/TS_Vibration_Vibration_Pump?$filter=timestamp ge '2024-01-01T00:00:00' and timestamp le '2024-01-02T00:00:00'";
    const files = {
      http: await writeFile('closed/requests.http', `GET ${url}\n`),
      python: await writeFile('closed/client.py', `query = "${url}"\n`),
      dependency: await writeFile('node_modules/dep/requests.http', `GET ${url}\n`),
      excluded: await writeFile('generated/requests.http', `GET ${url}\n`),
    };
    const filesConfig = vscode.workspace.getConfiguration('files');
    await filesConfig.update('exclude', { '**/generated': true }, vscode.ConfigurationTarget.Workspace);
    try {
      const check = await vscode.commands.executeCommand<WorkspaceCheck>('mdsp.lintWorkspace');
      assert.ok(check && check.kinds.http >= 1 && check.kinds.code >= 1, `checked: ${JSON.stringify(check)}`);
      // None of these files is open: the findings come from the workspace check.
      for (const uri of [files.http, files.python]) {
        await waitForDiagnostics(uri, (d) => d.some((x) => codeOf(x) === 'mdsp/filter-operator'), 10_000, vscode.workspace.asRelativePath(uri));
      }
      assert.deepEqual(mindSphereDiagnostics(files.dependency), [], 'node_modules is not checked');
      assert.deepEqual(mindSphereDiagnostics(files.excluded), [], 'files.exclude is respected');
      assert.match(ui.infos.at(-1) ?? '', /of the workspace: checked \d+ files \(\d+ \.http\/\.rest files?, \d+ code files?, .*\)\.$/);
    } finally {
      await filesConfig.update('exclude', undefined, vscode.ConfigurationTarget.Workspace);
      for (const folder of ['closed', 'node_modules', 'generated']) await vscode.workspace.fs.delete(workspaceFile(folder), { recursive: true });
      await vscode.commands.executeCommand('mdsp.lintWorkspace');
    }
  });

  test('a request to a foreign host is refused with a clear message, and nothing is sent', async () => {
    const editor = await openFile('foreign.http', 'GET https://example.com/api/assetmanagement/v3/assets\n');
    const result = await runLens(editor.document.uri);
    assert.equal(result.ok, false);
    assert.match(result.message ?? '', /^Not sent: this request goes to https:\/\/example\.com, but the active connection's gateway is http:\/\/127\.0\.0\.1:\d+\./);
    assert.match(result.message ?? '', /sends a connection's token only to its own gateway/);
    assert.deepEqual(ui.errors, [result.message], 'the user sees the message');
    assert.equal(resultEditors().length, 0, 'no result opened');
  });
});

