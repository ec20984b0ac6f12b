// The contract commands (seed §2.3.3): "New Contract…" writes a `*.contract.json` from asset types chosen in the tree
// (several at once) or a quick pick, with the related types offered too (seed §8.2); "Publish Contract" creates or
// replaces a file's contract on the tenant and publishes it, or publishes a tenant contract; "Download Contract Metadata"
// saves a contract's OData CSDL for another OData consumer. Each refreshes the Contracts node when the tenant changed.
import { homedir } from 'node:os';
import * as vscode from 'vscode';
import type { AspectType, AssetType, ContractInput, DataHubContract, MindSphereClient } from '../../client';
// Not from '../../client': this module loads at activation, the client (dist/client.js, with zod) on the first request.
import { collect } from '../../client/collect';
import { isStandardType } from '../../core/contract';
import { LIMITS } from '../../core/limits';
import type { Finding } from '../../core/lint/types';
import { plural } from '../../core/words';
import { isNode } from '../explorer/commands';
import type { ExplorerNode } from '../explorer/nodes';
import { lintFeature } from '../lint';
import type { Services } from '../services';
import { askForConnection } from '../ui';
import { messageOf } from '../util';
import { activeContractFile, contractFiles, readContractDocument } from './files';
import {
  contractFileName, contractInput, contractNameProblem, DEFAULT_VERSION, describeProblems, draftContract, publishFailure, relatedTypes,
  versionProblem,
} from './model';

const node = (arg: unknown): ExplorerNode | undefined => (isNode(arg) ? arg : undefined);
const isKind = <K extends ExplorerNode['kind']>(kind: K) => (n: ExplorerNode | undefined): n is Extract<ExplorerNode, { kind: K }> => n?.kind === kind;
const label = (c: { name: string; version: string }) => `'${c.name}' ${c.version}`;

/** The active connection's client, or undefined after telling the user why there is none. */
async function clientOf(s: Services): Promise<MindSphereClient | undefined> {
  if (!s.session.active()) {
    askForConnection(s.ui);
    return undefined;
  }
  try {
    return await s.session.client();
  } catch (error) {
    void s.ui.error(messageOf(error));
    return undefined;
  }
}

/** Reloads the Contracts node of the explorer (its children load again when the tree next asks). */
export async function refreshContracts(s: Services): Promise<void> {
  const model = await s.explorer.current();
  model?.refresh(model.group('contracts'));
}

/** A quick pick of several items; VS Code returns an array, a scripted Ui may answer with one item. */
async function pickMany<T extends vscode.QuickPickItem>(s: Services, items: readonly T[], options: vscode.QuickPickOptions): Promise<T[] | undefined> {
  const chosen = await s.ui.pick(items, { ...options, canPickMany: true }) as unknown as T | T[] | undefined;
  return chosen === undefined ? undefined : Array.isArray(chosen) ? chosen : [chosen];
}

interface TypePick extends vscode.QuickPickItem {
  readonly id: string;
}

/** The folder a new contract goes to: the active file's workspace folder, else the first one. */
function targetFolder(): vscode.Uri | undefined {
  const active = vscode.window.activeTextEditor?.document.uri;
  return (active && vscode.workspace.getWorkspaceFolder(active)?.uri) ?? vscode.workspace.workspaceFolders?.[0]?.uri;
}

async function exists(uri: vscode.Uri): Promise<boolean> {
  return vscode.workspace.fs.stat(uri).then(() => true, () => false);
}

/**
 * "New Contract…": `arg` and `selection` are what the tree passes (the clicked item and every selected item); from the
 * palette or the Contracts node a quick pick asks for the asset types. Returns the new file.
 */
export async function newContract(s: Services, arg?: unknown, selection?: unknown): Promise<vscode.Uri | undefined> {
  const client = await clientOf(s);
  if (!client) return undefined;
  let types: AssetType[];
  let aspectTypes: AspectType[];
  try {
    const pageSize = LIMITS.assetPageSizeRecommended.value;
    [types, aspectTypes] = await s.ui.progress('Reading the asset types…', (signal) => Promise.all([
      collect(client.assets.assetTypes({ exploded: true, pageSize, sort: 'name,asc', signal })),
      collect(client.assets.aspectTypes({ pageSize, sort: 'name,asc', signal })),
    ]));
  } catch (error) {
    void s.ui.error(`Cannot read the asset types of '${s.session.active()?.name}': ${messageOf(error)}`);
    return undefined;
  }
  const byId = new Map(types.map((t) => [t.id, t]));
  // The tree passes the clicked item and the whole selection; a contract publishes the tenant's own types, not `core.` ones.
  const clicked = [...(Array.isArray(selection) ? selection : []), arg].map(node).filter(isKind('assetType')).map((n) => n.type.id);
  let selected = [...new Set(clicked)].filter((id) => byId.has(id) && !isStandardType(id));
  if (selected.length === 0) {
    const own = types.filter((t) => !isStandardType(t.id));
    if (own.length === 0) {
      void s.ui.info(`'${s.session.active()?.name}' has no asset types of its own yet: a contract publishes the tenant's asset types ` +
        'to Data Hub. Create one in Asset Manager first.');
      return undefined;
    }
    const items = own.map((t): TypePick => ({ label: t.name, description: t.id, id: t.id,
      ...(t.parentTypeId ? { detail: `derived from ${byId.get(t.parentTypeId)?.name ?? t.parentTypeId}` } : {}) }));
    const picked = await pickMany(s, items, { title: 'New Contract: the asset types to publish to Data Hub', placeHolder: 'Select one or more asset types' });
    if (!picked?.length) return undefined;
    selected = picked.map((p) => p.id);
  }
  const tenant = client.connection.tenant ?? selected[0]!.slice(0, Math.max(0, selected[0]!.indexOf('.')));
  const related = relatedTypes(selected, types, tenant);
  if (related.length > 0) {
    const names = (ids: readonly string[]) => ids.map((id) => byId.get(id)?.name ?? id).join(', ');
    const choice = await s.ui.pick([
      { label: `Include ${names(related.map((t) => t.id))} too`, description: 'recommended', include: true,
        detail: 'Related asset types (parent and derived) belong in one contract: Data Hub cannot associate entities of different contracts.' },
      { label: `Only ${names(selected)}`, include: false },
    ], { title: 'New Contract: related asset types' });
    if (!choice) return undefined;
    if (choice.include) selected = [...selected, ...related.map((t) => t.id)];
  }
  const name = await s.ui.input({ title: 'New Contract: name', prompt: 'The contract name, as Mendix Data Hub shows it (it also names the file)',
    value: selected.length === 1 ? byId.get(selected[0]!)?.name ?? '' : '', validateInput: contractNameProblem });
  if (name === undefined) return undefined;
  const version = await s.ui.input({ title: 'New Contract: version', prompt: 'The contract version', value: DEFAULT_VERSION, validateInput: versionProblem });
  if (version === undefined) return undefined;

  const fileName = contractFileName(name);
  const folder = targetFolder();
  const uri = folder ? vscode.Uri.joinPath(folder, fileName)
    : await vscode.window.showSaveDialog({ title: 'Save the new contract', saveLabel: 'Create Contract', filters: { 'Contract (JSON)': ['json'] },
      defaultUri: vscode.Uri.joinPath(vscode.Uri.file(homedir()), fileName) });
  if (!uri) return undefined;
  if (folder && await exists(uri) && !await s.ui.confirm(`${fileName} already exists.`,
    'Replace it with a new contract of the chosen asset types?', 'Replace')) return undefined;
  const text = draftContract({ name, version, tenant, types: selected.map((id) => byId.get(id)!), aspectTypes: new Map(aspectTypes.map((t) => [t.id, t])) });
  try {
    await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(text));
  } catch (error) {
    void s.ui.error(`Cannot write ${vscode.workspace.asRelativePath(uri)}: ${messageOf(error)}`);
    return undefined;
  }
  await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri));
  await refreshContracts(s);
  void s.ui.info(`Created ${vscode.workspace.asRelativePath(uri)} with ${selected.length} asset type${selected.length === 1 ? '' : 's'} ` +
    `for ${LIMITS.contractAppPrefix.value}${tenant}. Publish it to Data Hub with "Publish Contract" when it is ready.`, 'Publish Contract')
    .then((a) => a && vscode.commands.executeCommand('mdsp.publishContract', uri));
  return uri;
}

/** The contract file a command is about: a Uri (explorer, editor title), a file item, the active editor, or a pick. */
async function chooseFile(s: Services, arg: unknown): Promise<vscode.Uri | undefined> {
  if (arg instanceof vscode.Uri) return arg;
  const n = node(arg);
  if (isKind('contractFile')(n)) return n.file.uri as vscode.Uri;
  const active = activeContractFile();
  if (active) return active;
  const files = await contractFiles();
  if (files.length === 0) {
    void s.ui.info('There is no *.contract.json file in the workspace. Create one with "New Contract…" from the asset types.', 'New Contract…')
      .then((a) => a && vscode.commands.executeCommand('mdsp.newContract'));
    return undefined;
  }
  const picked = await s.ui.pick(files.map((f) => ({ label: f.relativePath, description: f.problem ? 'not valid' : `${f.name} ${f.version}`, uri: f.uri })),
    { title: 'Publish Contract', placeHolder: 'The contract file to publish' });
  return picked?.uri as vscode.Uri | undefined;
}

/** Shows where a contract file is broken: the editor selects the first problem. */
async function revealProblem(uri: vscode.Uri, start: number, end: number): Promise<void> {
  const doc = await vscode.workspace.openTextDocument(uri);
  const range = new vscode.Range(doc.positionAt(start), doc.positionAt(Math.max(start, end)));
  await vscode.window.showTextDocument(doc, { selection: range });
}

const PUBLISH_ANYWAY = 'Publish Anyway';
const SHOW_PROBLEMS = 'Show Problems';

/**
 * Asks before sending a file with MindSphere errors in Problems: MindSphere refuses most of them only at the publish
 * step, after it saved the contract, so going ahead leaves an unpublished contract on the tenant. "Show Problems"
 * selects the first error and opens the Problems view. True to publish anyway.
 */
async function publishDespite(s: Services, uri: vscode.Uri, errors: readonly Finding[]): Promise<boolean> {
  const first = errors[0]!;
  const choice = await s.ui.choose(`${vscode.workspace.asRelativePath(uri)} has ${plural(errors.length, 'MindSphere error')} ` +
    `(first: line ${first.range.line}: ${first.message}). Publish anyway?`,
  'MindSphere is likely to refuse it, and a contract refused when it is published stays saved on the tenant, not published.',
  PUBLISH_ANYWAY, SHOW_PROBLEMS);
  if (choice === SHOW_PROBLEMS) {
    await revealProblem(uri, first.range.start, first.range.end);
    await vscode.commands.executeCommand('workbench.actions.view.problems');
  }
  return choice === PUBLISH_ANYWAY;
}

/**
 * "Publish Contract": a tenant contract item publishes that contract; a contract file is created on the tenant (or
 * replaces the contract of the same name and version) and published. Returns the published contract.
 */
export async function publishContract(s: Services, arg?: unknown): Promise<DataHubContract | undefined> {
  const n = node(arg);
  const tenantContract = isKind('contract')(n) ? n.contract : undefined;
  const uri = tenantContract ? undefined : await chooseFile(s, arg);
  if (!tenantContract && !uri) return undefined;
  const client = await clientOf(s);
  if (!client) return undefined;
  let input: ContractInput | undefined;
  if (uri) {
    const fileName = vscode.workspace.asRelativePath(uri);
    let doc;
    try {
      // Publish what the file says: save the editor's changes first.
      await vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString() && d.isDirty)?.save();
      doc = await readContractDocument(uri);
    } catch (error) {
      void s.ui.error(`Cannot read ${fileName}: ${messageOf(error)}`);
      return undefined;
    }
    const [first] = doc.problems;
    if (first) {
      await revealProblem(uri, first.start, first.end);
      void s.ui.error(`${fileName} is not a valid contract, so nothing was sent: ${describeProblems(doc.problems)}`);
      return undefined;
    }
    const tenant = client.connection.tenant;
    if (tenant && doc.parsed.contract.tenant !== tenant) {
      void s.ui.error(`${fileName} is a contract of the tenant '${doc.parsed.contract.tenant}', but the connection '${s.session.active()?.name}' ` +
        `is the tenant '${tenant}'. Select a connection of '${doc.parsed.contract.tenant}', or change "tenant" and "applicationName" in the file.`);
      return undefined;
    }
    const errors = await lintFeature(s).errorsBeforeSending(await vscode.workspace.openTextDocument(uri));
    if (errors.length > 0 && !await publishDespite(s, uri, errors)) return undefined;
    input = contractInput(doc.parsed.contract);
  }
  const what = label(tenantContract ?? { name: input?.name ?? '', version: input?.version ?? DEFAULT_VERSION });
  try {
    const published = await s.ui.progress(`Publishing ${what} to Data Hub…`, (signal) =>
      input ? client.contracts.publishInput(input, { signal }) : client.contracts.publish(tenantContract!.id, { signal }));
    void s.ui.info(`Published ${what} to Data Hub: ${published.entitySets?.length ?? 0} entity sets at ` +
      `${client.connection.gateway}/odata/${published.applicationName}/.`, 'Download Metadata')
      .then((a) => a && vscode.commands.executeCommand('mdsp.downloadContractMetadata', published));
    return published;
  } catch (error) {
    void s.ui.error(publishFailure(what, error, uri && vscode.workspace.asRelativePath(uri)));
    return undefined;
  } finally {
    // Even a failed publish may have saved the contract on the tenant.
    await refreshContracts(s);
  }
}

/** The tenant contract a download is about: a contract item (or the contract itself), a file's twin, or a pick. */
async function chooseContract(s: Services, client: MindSphereClient, arg: unknown): Promise<DataHubContract | undefined> {
  const n = node(arg);
  if (isKind('contract')(n)) return n.contract;
  if (typeof arg === 'object' && arg !== null && 'applicationName' in arg && 'id' in arg) return arg as DataHubContract;
  const contracts = await s.ui.progress('Reading the contracts…', (signal) => client.contracts.list({ signal }));
  const uri = arg instanceof vscode.Uri ? arg : isKind('contractFile')(n) ? n.file.uri as vscode.Uri : undefined;
  if (uri) {
    const { contract } = (await readContractDocument(uri)).parsed;
    const twin = contracts.find((c) => c.name === contract.name && c.version === contract.version);
    if (!twin) throw new Error(`the tenant has no contract ${label(contract)} yet: publish ${vscode.workspace.asRelativePath(uri)} first.`);
    return twin;
  }
  if (contracts.length === 0) throw new Error('the tenant has no contracts yet: create one with "New Contract…" and publish it.');
  const picked = await s.ui.pick(contracts.map((c) => ({ label: c.name, description: `${c.version} · ${c.status}`, contract: c })),
    { title: 'Download Contract Metadata', placeHolder: 'The contract whose OData $metadata to save' });
  return picked?.contract;
}

/**
 * "Download Contract Metadata": saves a contract's OData `$metadata` (CSDL XML) where the user says (a save dialog, or
 * `target` when a caller passes a Uri), for use with another OData consumer. Returns the saved file.
 */
export async function downloadContractMetadata(s: Services, arg?: unknown, target?: unknown): Promise<vscode.Uri | undefined> {
  const client = await clientOf(s);
  if (!client) return undefined;
  let contract: DataHubContract | undefined;
  try {
    contract = await chooseContract(s, client, arg);
  } catch (error) {
    void s.ui.error(`Cannot download contract metadata: ${messageOf(error)}`);
    return undefined;
  }
  if (!contract) return undefined;
  const what = label(contract);
  const folder = targetFolder() ?? vscode.Uri.file(homedir());
  const uri = target instanceof vscode.Uri ? target : await vscode.window.showSaveDialog({
    title: `Save the OData metadata of ${what}`, saveLabel: 'Save Metadata', filters: { 'OData CSDL (XML)': ['xml'] },
    defaultUri: vscode.Uri.joinPath(folder, `${contract.name}-${contract.version}.xml`),
  });
  if (!uri) return undefined;
  try {
    // Downloaded before anything is written: a failed download leaves no partial file.
    const xml = await s.ui.progress(`Downloading the metadata of ${what}…`, (signal) => client.contracts.metadata(contract.id, { signal }));
    await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(xml));
  } catch (error) {
    void s.ui.error(`Cannot download the metadata of ${what}: ${messageOf(error)}`);
    return undefined;
  }
  void s.ui.info(`Saved the OData metadata (CSDL XML) of ${what} to ${vscode.workspace.asRelativePath(uri)}.`, 'Open')
    .then((a) => {
      if (a) void vscode.window.showTextDocument(uri);
    });
  return uri;
}
