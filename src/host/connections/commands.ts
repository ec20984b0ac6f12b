// The connection commands: add (binding keys pasted in one go, or each value on its own), edit, rename, remove, select,
// use the Sandbox, test, copy an access token, export deployment constants. Every flow verifies a connection by
// fetching a token before anything is saved, and the client secret goes to SecretStorage only.
import { randomUUID } from 'node:crypto';
import * as vscode from 'vscode';
import type * as ClientApi from '../../client';
import type { BindingKeys, Connection, ResolvedConnection } from '../../client';
import { registerSecret } from '../../core/redact';
import type { Services } from '../services';
import { messageOf } from '../util';
import { type DeploymentFormat, deploymentConstants, SECRET_PLACEHOLDER } from './deployment';
import { type ConnectionSummary, summaryOf } from './session';
import { SANDBOX_ID } from './saved';

const ADD_TITLE = 'Add MindSphere Connection';

type ClientModule = typeof ClientApi;
const loadClient = (): Promise<ClientModule> => import('../../client');

/** A connection given to an item command: a Connections view item, the explorer's connection node, or an id. */
export function connectionFrom(s: Services, arg: unknown): ConnectionSummary | undefined {
  if (typeof arg === 'string') return s.session.summary(arg);
  if (arg && typeof arg === 'object') {
    const o = arg as { kind?: unknown; connection?: { id?: unknown }; id?: unknown };
    const id = o.kind === 'connection' ? o.connection?.id : o.id;
    if (typeof id === 'string') return s.session.summary(id);
  }
  return undefined;
}

/**
 * The connection an item command acts on: its argument; else, from the palette, the only candidate, or one the user
 * picks, the active one first (Enter takes it), so a command never acts on a connection nobody chose among several.
 * With `savedOnly` the Sandbox is no candidate, and `none` says so when there is no saved connection.
 */
async function target(s: Services, arg: unknown, placeHolder: string, savedOnly = false, none = 'There is no saved connection yet.')
  : Promise<ConnectionSummary | undefined> {
  const given = connectionFrom(s, arg);
  if (given) return given;
  const active = s.session.active()?.id;
  const choices = s.session.all().filter((c) => !(savedOnly && c.sandbox)).sort((a, b) => Number(b.id === active) - Number(a.id === active));
  if (choices.length === 0) {
    offerToAdd(s, none);
    return undefined;
  }
  if (choices.length === 1) return choices[0];
  const items = choices.map((c) => ({ label: c.name, description: c.id === active ? `active · ${describe(c)}` : describe(c), connection: c }));
  return (await s.ui.pick(items, { placeHolder }))?.connection;
}

function offerToAdd(s: Services, message: string): void {
  void s.ui.info(message, 'Add Connection…').then((a) => a && vscode.commands.executeCommand('mdsp.addConnection'));
}

function describe(c: ConnectionSummary): string {
  return c.sandbox ? 'local sandbox tenant' : [c.tenant, c.region, c.clientId].filter(Boolean).join(' · ');
}

/** An input box's validateInput for a check that throws: its message, shown under the box while the text is there. */
function problemOf(check: () => unknown): string | undefined {
  try {
    check();
    return undefined;
  } catch (error) {
    return messageOf(error);
  }
}

/**
 * What the user entered so far in Add or Edit Connection. "Try Again" after a failure starts from it rather than from
 * empty boxes: the dashboard shows the binding keys only once. It lives only in the closure of that error's button, never
 * in a setting, the log or a command argument, and the secret goes back only into a password box.
 */
interface Draft {
  /** The paste box's text: the binding keys, or the TokenURL alone. */
  pasted?: string;
  clientId?: string;
  clientSecret?: string;
  gateway?: string;
  name?: string;
}

/** An input box's starting value, if there is one. */
const filled = (value: string | undefined): { value?: string } => (value === undefined ? {} : { value });

/** Asks for the binding keys: pasted in one go (in a password box: the text holds the secret), or value by value. */
async function askKeys(s: Services, client: ClientModule, title: string, draft: Draft): Promise<BindingKeys | undefined> {
  const pasted = await s.ui.input({
    title,
    prompt: draft.pasted === undefined
      ? 'Paste the binding keys from the Service Management Dashboard (clientID, TokenURL and clientSecret, in any order), or enter just the TokenURL to give each value on its own.'
      : 'What you entered before is filled in: press Enter to try it again, or paste the binding keys anew.',
    placeHolder: 'clientID …  TokenURL https://{tenant}.piam.{region}.mindsphere.io/oauth/token  clientSecret …',
    password: true,
    ...filled(draft.pasted),
    // The checks of resolveConnection, so a mistake shows while the pasted text is still in the box.
    validateInput: (text) => (text.trim() ? problemOf(() => client.readPastedKeys(text)) : 'Paste the binding keys, or enter the TokenURL.'),
  });
  if (pasted === undefined) return undefined;
  draft.pasted = pasted;
  const read = client.readPastedKeys(pasted);
  if (read.clientId !== undefined) {
    registerSecret(read.clientSecret);
    return read;
  }
  const clientId = await s.ui.input({
    title, prompt: 'The clientID of the binding keys', placeHolder: 'e.g. mytenant-myapp-v1.0.0-12345678', ...filled(draft.clientId),
    validateInput: (v) => problemOf(() => client.checkClientId(v)),
  });
  if (clientId === undefined) return undefined;
  draft.clientId = clientId;
  const clientSecret = await askSecret(s, title, draft);
  return clientSecret === undefined ? undefined : { tokenUrl: read.tokenUrl, clientId: clientId.trim(), clientSecret };
}

async function askSecret(s: Services, title: string, draft: Draft): Promise<string | undefined> {
  const secret = await s.ui.input({
    title, prompt: 'The clientSecret of the binding keys (it is kept in the OS keychain, never in settings)', password: true,
    ...filled(draft.clientSecret),
    validateInput: (v) => (v.trim() ? undefined : 'Enter the clientSecret.'),
  });
  if (secret === undefined) return undefined;
  registerSecret(secret.trim());
  draft.clientSecret = secret;
  return secret.trim();
}

/** Fills in the gateway (asking for it when the TokenURL does not tell) and checks the values; undefined if cancelled. */
async function resolve(s: Services, client: ClientModule, keys: BindingKeys, title: string, draft: Draft, gateway?: string)
  : Promise<ResolvedConnection | undefined> {
  let given = gateway;
  if (!given && !client.parseTokenUrl(keys.tokenUrl).gateway) {
    given = await s.ui.input({
      title,
      prompt: `The TokenURL ${keys.tokenUrl} does not say which gateway serves the APIs. Enter the gateway of your region.`,
      value: draft.gateway ?? 'https://gateway.eu1.mindsphere.io',
      validateInput: (v) => (/^https:\/\/[^/\s]+\/?$/i.test(v.trim()) ? undefined : 'Enter an https:// address, e.g. https://gateway.eu1.mindsphere.io.'),
    });
    if (given === undefined) return undefined;
    draft.gateway = given;
  }
  const connection: Connection = { name: '', ...keys, ...(given ? { gateway: given } : {}) };
  return client.resolveConnection(connection);
}

/** Fetches a token with these values; resolves to an error message for people when that fails. */
async function verify(s: Services, client: ClientModule, connection: ResolvedConnection, name: string): Promise<string | undefined> {
  try {
    await s.ui.progress(`Checking the binding keys of '${name}'…`, (signal) =>
      client.verifyConnection(connection, { fetch: globalThis.fetch, signal, log: (line) => s.log.info(`[${name}] ${line}`) }));
    return undefined;
  } catch (error) {
    return messageOf(error);
  }
}

async function saveVerified(s: Services, id: string, name: string, c: ResolvedConnection): Promise<ConnectionSummary> {
  await s.connections.save({
    id, name, tokenUrl: c.tokenUrl, clientId: c.clientId, clientSecret: c.clientSecret, gateway: c.gateway,
    ...(c.tenant ? { tenant: c.tenant } : {}), ...(c.region ? { region: c.region } : {}),
  });
  s.log.info(`Saved the connection '${name}' (client ID ${c.clientId}, gateway ${c.gateway}); its secret is in SecretStorage.`);
  const saved = s.connections.get(id);
  if (!saved) throw new Error(`The connection '${name}' could not be saved.`);
  return summaryOf(saved);
}

/** Shows an error whose "Try Again" runs `again` (which starts from what the user entered, where there is any). */
function failed(s: Services, what: string, message: string, again: () => unknown): void {
  void s.ui.error(`${what}: ${message}`, 'Try Again').then((choice) => {
    if (choice === 'Try Again') void again();
  });
}

/**
 * "Add Connection…": returns the new connection (for the tests and other callers), undefined if cancelled or failed.
 * `draft` is for "Try Again" only: the command itself passes none.
 */
export async function addConnection(s: Services, draft: Draft = {}): Promise<ConnectionSummary | undefined> {
  const client = await loadClient();
  const again = () => addConnection(s, draft);
  let resolved: ResolvedConnection | undefined;
  try {
    const keys = await askKeys(s, client, ADD_TITLE, draft);
    resolved = keys && (await resolve(s, client, keys, ADD_TITLE, draft));
  } catch (error) {
    failed(s, 'The binding keys cannot be used', messageOf(error), again);
    return undefined;
  }
  if (!resolved) return undefined;
  const about = [resolved.tenant && `tenant ${resolved.tenant}`, resolved.region && `region ${resolved.region}`, `client ID ${resolved.clientId}`];
  const name = await s.ui.input({
    title: ADD_TITLE, prompt: `Name this connection (${about.filter(Boolean).join(', ')})`, value: draft.name ?? resolved.name,
    validateInput: (v) => (v.trim() ? undefined : 'Enter a name.'),
  });
  if (name === undefined) return undefined;
  draft.name = name;
  const problem = await verify(s, client, resolved, name.trim());
  if (problem) {
    failed(s, `The connection '${name.trim()}' was not saved`, problem, again);
    return undefined;
  }
  // The same binding keys again replace the earlier entry instead of adding a twin.
  const twin = s.connections.list().find((c) => c.clientId === resolved.clientId && c.tokenUrl === resolved.tokenUrl);
  const added = await saveVerified(s, twin?.id ?? randomUUID(), name.trim(), resolved);
  await s.session.select(added.id);
  void s.ui.info(`Connected to '${added.name}'${added.tenant ? ` (tenant ${added.tenant})` : ''}. Its client secret is kept in the OS keychain.`);
  return added;
}

/**
 * "Edit Connection…": new binding keys, a new client secret, or a new name; verified before it replaces anything.
 * `again` is for "Try Again" only (the same choice, from what was entered): the command itself passes none.
 */
export async function editConnection(s: Services, arg?: unknown, again?: { action: 'keys' | 'secret'; draft: Draft })
  : Promise<ConnectionSummary | undefined> {
  const c = await target(s, arg, 'Which connection do you want to edit?', true);
  if (!c) return undefined;
  if (c.sandbox) {
    void s.ui.info('The Sandbox connection is built in: change the sandbox tenant in the settings (mdsp.sandbox.*).', 'Open Settings')
      .then((a) => a && vscode.commands.executeCommand('workbench.action.openSettings', 'mdsp.sandbox'));
    return undefined;
  }
  const choice = again ?? await s.ui.pick([
    { label: '$(key) Paste New Binding Keys', detail: 'clientID, TokenURL and clientSecret, e.g. after creating new keys', action: 'keys' },
    { label: '$(lock) Replace the Client Secret', detail: `Keeps the client ID ${c.clientId ?? ''}`, action: 'secret' },
    { label: '$(edit) Rename', detail: `Now '${c.name}'`, action: 'rename' },
  ] as const, { title: `Edit Connection '${c.name}'` });
  if (!choice) return undefined;
  if (choice.action === 'rename') return renameConnection(s, c);
  const title = `Edit Connection '${c.name}'`;
  const client = await loadClient();
  const saved = s.connections.get(c.id);
  if (!saved) return undefined;
  const { action } = choice;
  const draft = again?.draft ?? {};
  const tryAgain = () => editConnection(s, c.id, { action, draft });
  let resolved: ResolvedConnection | undefined;
  try {
    if (action === 'keys') {
      const keys = await askKeys(s, client, title, draft);
      resolved = keys && (await resolve(s, client, keys, title, draft, keys.tokenUrl === saved.tokenUrl ? saved.gateway : undefined));
    } else {
      const clientSecret = await askSecret(s, title, draft);
      resolved = clientSecret === undefined ? undefined
        : client.resolveConnection({ name: c.name, tokenUrl: saved.tokenUrl, clientId: saved.clientId, clientSecret, gateway: saved.gateway });
    }
  } catch (error) {
    failed(s, `The connection '${c.name}' was not changed`, messageOf(error), tryAgain);
    return undefined;
  }
  if (!resolved) return undefined;
  const problem = await verify(s, client, resolved, c.name);
  if (problem) {
    failed(s, `The connection '${c.name}' was not changed`, problem, tryAgain);
    return undefined;
  }
  const updated = await saveVerified(s, c.id, c.name, resolved);
  void s.ui.info(`The connection '${c.name}' was updated.`);
  return updated;
}

export async function renameConnection(s: Services, arg?: unknown): Promise<ConnectionSummary | undefined> {
  const c = await target(s, arg, 'Which connection do you want to rename?', true);
  if (!c || c.sandbox) return undefined;
  const name = await s.ui.input({ title: 'Rename Connection', value: c.name, validateInput: (v) => (v.trim() ? undefined : 'Enter a name.') });
  if (name === undefined || name.trim() === c.name) return undefined;
  await s.connections.rename(c.id, name.trim());
  return s.session.summary(c.id);
}

/** "Remove Connection": after a modal confirmation, deletes the entry and its secret. */
export async function removeConnection(s: Services, arg?: unknown): Promise<boolean> {
  const c = await target(s, arg, 'Which connection do you want to remove?', true);
  if (!c) return false;
  if (c.sandbox) {
    void s.ui.info('The Sandbox connection is built in and cannot be removed.');
    return false;
  }
  const ok = await s.ui.confirm(`Remove the connection '${c.name}'?`,
    'Its client secret is deleted from the OS keychain. To connect again you need the binding keys (or new ones from the Service Management Dashboard).',
    'Remove');
  if (!ok) return false;
  await s.connections.remove(c.id);
  s.log.info(`Removed the connection '${c.name}' and deleted its secret.`);
  return true;
}

/** "Select Active Connection…" (with an id: selects it directly, as the Connections view does on click). */
export async function selectConnection(s: Services, arg?: unknown): Promise<ConnectionSummary | undefined> {
  let c = connectionFrom(s, arg);
  // From a menu of the active connection's node (the explorer shows only that one), selecting it again would do
  // nothing: the user wants to switch, so ask to which.
  if (c && typeof arg !== 'string' && c.id === s.session.active()?.id) c = undefined;
  if (!c) {
    const active = s.session.active()?.id;
    const items: (vscode.QuickPickItem & { connection?: ConnectionSummary })[] = s.session.all().map((connection) => ({
      label: `${connection.id === active ? '$(check)' : connection.sandbox ? '$(beaker)' : '$(plug)'} ${connection.name}`,
      description: describe(connection), connection,
    }));
    items.push({ label: '$(add) Add Connection…', description: 'paste the binding keys of your tenant' });
    const picked = await s.ui.pick(items, { title: 'Select Active MindSphere Connection', placeHolder: 'The explorer, the preview and the proxy use the active connection' });
    if (!picked) return undefined;
    if (!picked.connection) return addConnection(s);
    c = picked.connection;
  }
  await s.session.select(c.id);
  if (c.sandbox) void s.session.client(SANDBOX_ID).catch((e: unknown) => void s.ui.error(`The sandbox tenant did not start: ${messageOf(e)}`));
  return c;
}

/** "Use Sandbox Tenant": makes the Sandbox active, starts it, and shows the explorer. */
export async function useSandbox(s: Services): Promise<ConnectionSummary | undefined> {
  await s.session.select(SANDBOX_ID);
  await vscode.commands.executeCommand('mdsp.explorer.focus');
  try {
    await s.session.client(SANDBOX_ID);
  } catch (error) {
    failed(s, 'The sandbox tenant did not start', messageOf(error), () => useSandbox(s));
    return undefined;
  }
  return s.session.summary(SANDBOX_ID);
}

/** "Test Connection": a fresh token and the root asset, with what was learned or why it failed. */
export async function testConnection(s: Services, arg?: unknown): Promise<string | undefined> {
  const c = await target(s, arg, 'Which connection do you want to test?');
  if (!c) return undefined;
  const started = Date.now();
  try {
    const result = await s.ui.progress(`Testing '${c.name}'…`, async (signal) => {
      const client = await s.session.client(c.id);
      client.tokens.invalidate(await client.token(signal)); // prove the secret works now, not when the cached token was issued
      const token = await client.token(signal);
      const root = await client.assets.root({ signal });
      return { tenant: client.connection.tenant, token, root };
    });
    const message = `'${c.name}' works: tenant ${result.tenant ?? result.root.tenantId ?? '?'}, root asset '${result.root.name}', `
      + `token valid until ${new Date(result.token.expiresAt).toLocaleTimeString()} (${Date.now() - started} ms).`;
    s.log.info(message);
    void s.ui.info(message);
    return message;
  } catch (error) {
    const message = `Testing '${c.name}' failed: ${messageOf(error)}`;
    void s.ui.error(message, ...(c.sandbox ? [] : ['Edit Connection…'])).then((a) => a === 'Edit Connection…' && vscode.commands.executeCommand('mdsp.editConnection', c.id));
    return message;
  }
}

/** "Copy Access Token": only after a warning, because the token opens the tenant to whoever holds it. */
export async function copyAccessToken(s: Services, arg?: unknown): Promise<boolean> {
  const c = await target(s, arg, 'Copy an access token of which connection?');
  if (!c) return false;
  const ok = await s.ui.confirm(`Copy an access token of '${c.name}' to the clipboard?`,
    'Anyone who has the token can call the MindSphere APIs of this tenant with the roles of these binding keys until it expires (up to 30 minutes). Paste it only where you trust it, never into a file you commit.',
    'Copy Token');
  if (!ok) return false;
  try {
    const token = await s.ui.progress(`Getting a token for '${c.name}'…`, async (signal) => (await s.session.client(c.id)).token(signal));
    await s.ui.copy(token.accessToken);
    void s.ui.info(`The access token of '${c.name}' is on the clipboard; it expires at ${new Date(token.expiresAt).toLocaleTimeString()}.`);
    return true;
  } catch (error) {
    void s.ui.error(`No token for '${c.name}': ${messageOf(error)}`);
    return false;
  }
}

const NO_BINDING_KEYS = 'Export Deployment Constants is for your own tenant\'s binding keys; add a connection first.';

/**
 * "Export Deployment Constants…": the authenticator module's constants, the secret as a placeholder. Only of a saved
 * connection: the Sandbox's loopback TokenURL and client ID are of no use to a deployed app.
 */
export async function exportDeploymentConstants(s: Services, arg?: unknown): Promise<string | undefined> {
  const c = await target(s, arg, 'Export the constants of which connection?', true, NO_BINDING_KEYS);
  if (!c) return undefined;
  // The Sandbox is given from its item's menu: it has no binding keys.
  const saved = c.sandbox ? undefined : s.connections.get(c.id);
  if (!saved) {
    offerToAdd(s, NO_BINDING_KEYS);
    return undefined;
  }
  const format = await s.ui.pick([
    { label: 'Mendix Constants', description: 'Studio Pro, and the Model Options of a Mendix Cloud environment', format: 'mendix' as DeploymentFormat },
    { label: 'Cloud Foundry Environment Variables', description: 'cf set-env, and manifest.yml', format: 'cloudFoundry' as DeploymentFormat },
  ], { title: `Export Deployment Constants of '${c.name}'` });
  if (!format) return undefined;
  const secret = await s.ui.pick([
    { label: 'Leave a Placeholder for the Client Secret', description: SECRET_PLACEHOLDER, copy: false },
    { label: 'Copy the Client Secret to the Clipboard Too', description: 'to paste it into the deployment yourself', copy: true },
  ], { title: 'The client secret is never written into the exported text' });
  if (!secret) return undefined;
  // The text needs no secret: the keychain is asked only when the user wants the secret on the clipboard.
  const text = deploymentConstants(format.format, { name: c.name, tokenUrl: saved.tokenUrl, clientId: saved.clientId,
    ...(saved.tenant ? { tenant: saved.tenant } : {}) });
  await s.ui.openDocument(text, format.format === 'cloudFoundry' ? 'shellscript' : 'properties');
  if (secret.copy) {
    const withSecret = await s.connections.withSecret(c.id);
    if (withSecret) {
      await s.ui.copy(withSecret.clientSecret);
      void s.ui.info(`The client secret of '${c.name}' is on the clipboard: paste it where the placeholder is, then clear the clipboard.`);
    } else {
      void s.ui.error(`The client secret of '${c.name}' is no longer in the keychain, so it was not copied. Run "Edit Connection…" and paste the binding keys again.`,
        'Edit Connection…').then((a) => a && vscode.commands.executeCommand('mdsp.editConnection', c.id));
    }
  }
  return text;
}
