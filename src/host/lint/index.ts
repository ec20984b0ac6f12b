// The MindSphere lint features of the editor: diagnostics, quick fixes, hover, completion, the "Run with MindSphere"
// CodeLens and command, and the tenant schema they check names against. registerLint() only wires listeners and
// providers; the linter itself (engine.ts) loads on first use, so activation stays fast.
import * as vscode from 'vscode';
import type { Services } from '../services';
import type * as EngineModule from './engine';
import { LintCodeActions } from './code-actions';
import { LintDiagnostics, WORKSPACE_MAX_FILES, type WorkspaceCheck } from './diagnostics';
import { QUERY_SELECTOR } from './documents';
import { COMPLETION_TRIGGERS, QueryHelp } from './help';
import { type RequestAt, requestAt, type RunResult, runQuery } from './run-query';
import { RunResults } from './run-results';
import { type ConnectionSource, SchemaCache } from './schema';
import type { Finding } from '../../core/lint/types';
import { plural } from '../../core/words';
import { messageOf } from '../util';

export type Engine = typeof EngineModule;

let engine: Promise<Engine> | undefined;
const loadEngine = (): Promise<Engine> => (engine ??= import('./engine'));

/** Documents that can hold findings: a user's files, saved or not (not output channels or git views). */
const FILE_SELECTOR: vscode.DocumentSelector = ['file', 'untitled', 'vscode-vfs', 'vscode-remote'].map((scheme) => ({ scheme }));

/** The active connection of the session, as the lint features use it. */
function connectionSource(s: Services): ConnectionSource {
  return {
    onDidChange: s.session.onDidChange,
    async live() {
      const active = s.session.active();
      // The sandbox counts once it runs: linting alone never starts a tenant.
      if (!active || (active.sandbox && !s.sandbox.isRunning())) return undefined;
      return { id: active.id, name: active.name, client: await s.session.client(active.id) };
    },
    async require() {
      const active = s.session.active();
      if (!active) throw new Error('no connection is selected. Run "MindSphere: Use Sandbox Tenant" or "MindSphere: Add Connection…".');
      return { id: active.id, name: active.name, client: await s.session.client(active.id) };
    },
  };
}

export class LintFeature implements vscode.Disposable {
  readonly connections: ConnectionSource;
  readonly schema: SchemaCache;
  readonly diagnostics: LintDiagnostics;
  readonly codeActions: LintCodeActions;
  private readonly results = new RunResults();
  private readonly disposables: vscode.Disposable[] = [];

  constructor(private readonly s: Services) {
    this.connections = connectionSource(s);
    this.schema = new SchemaCache(this.connections, s.log);
    this.diagnostics = new LintDiagnostics(loadEngine, this.schema, s.context.extensionUri, s.log);
    this.codeActions = new LintCodeActions(this.diagnostics, loadEngine);
  }

  /** Registers the listeners and providers (the feature-list entry of extension.ts). */
  start(): vscode.Disposable {
    const help = new QueryHelp(loadEngine, this.schema);
    const languages = vscode.languages;
    this.disposables.push(
      this.schema,
      this.diagnostics,
      this.results,
      languages.registerCodeActionsProvider(FILE_SELECTOR, this.codeActions, LintCodeActions.metadata),
      languages.registerHoverProvider(QUERY_SELECTOR, help),
      languages.registerCompletionItemProvider(QUERY_SELECTOR, help, ...COMPLETION_TRIGGERS),
      languages.registerCodeLensProvider(QUERY_SELECTOR, help),
    );
    this.diagnostics.start();
    return this;
  }

  /** `mdsp.runQuery` */
  async runQuery(uri?: unknown, offset?: unknown): Promise<RunResult> {
    const s = this.s;
    const result = await runQuery({ loadEngine, results: this.results, connections: this.connections, get ui() { return s.ui; }, log: s.log }, uri, offset);
    this.schema.ensure(); // the run may have started the sandbox: its names can be checked now
    return result;
  }

  /** The request of a document at an offset (a CodeLens's), prepared for the active connection. */
  requestAt(uri?: unknown, offset?: unknown): Promise<RequestAt> {
    return requestAt({ loadEngine, connections: this.connections }, uri, offset);
  }

  /** `mdsp.fixAll`: applies every safe fix to the active editor's document. Returns how many were applied. */
  async fixAll(): Promise<number> {
    const document = vscode.window.activeTextEditor?.document;
    if (!document) {
      void this.s.ui.info('Open a file with MindSphere problems to fix them.');
      return 0;
    }
    const fix = await this.codeActions.fixAllEdit(document);
    if (!fix) {
      void this.s.ui.info('No MindSphere problem in this file has a safe fix.');
      return 0;
    }
    await vscode.workspace.applyEdit(fix.edit);
    return fix.applied;
  }

  /**
   * The MindSphere errors of a document about to be sent to the tenant. A name the cached tenant schema lacks may be new
   * (an asset type made for this contract): the schema is read again first, and only names still missing count.
   */
  async errorsBeforeSending(document: vscode.TextDocument): Promise<Finding[]> {
    const errors = await this.diagnostics.errorsOf(document);
    if (!errors.some((f) => f.ruleId === 'mdsp/unknown-name')) return errors;
    try {
      await this.s.ui.progress('Reading the tenant\'s asset and aspect types…', (signal) => this.schema.refresh(signal));
    } catch (error) {
      this.s.log.warn(`Could not refresh the tenant schema before sending ${vscode.workspace.asRelativePath(document.uri)}: ${messageOf(error)}`);
      return errors;
    }
    return this.diagnostics.errorsOf(document);
  }

  /** `mdsp.refreshSchema` */
  async refreshSchema(): Promise<void> {
    try {
      // Starting the sandbox and reading every asset and aspect type can take a while on a big tenant.
      const r = await this.s.ui.progress('Fetching the tenant schema…', (signal) => this.schema.refresh(signal));
      void this.s.ui.info(`Tenant schema of '${r.connection}' refreshed: ${r.assetTypes} asset types, ${r.aspectTypes} aspect types.`);
    } catch (error) {
      void this.s.ui.error(`Could not fetch the tenant schema: ${messageOf(error)}`);
    }
  }

  /** `mdsp.lintWorkspace`: the check under a cancellable progress, then what it found (or why nothing was checked). */
  async lintWorkspace(): Promise<WorkspaceCheck | undefined> {
    const ui = this.s.ui;
    if (!vscode.workspace.workspaceFolders?.length) {
      void ui.info('Open a folder to check its requests, code, contracts and settings files for MindSphere problems.');
      return undefined;
    }
    let check: WorkspaceCheck;
    let cancelled: AbortSignal | undefined;
    try {
      check = await ui.progress('Checking the workspace for MindSphere problems…', (signal, report) => {
        cancelled = signal;
        return this.diagnostics.runWorkspace(signal, report);
      });
    } catch (error) {
      if (!cancelled?.aborted) void ui.error(`The workspace check failed: ${messageOf(error)}`);
      return undefined;
    }
    if (check.folders === 0) {
      void ui.info('MindSphere linting is turned off for this workspace (mdsp.lint.enable).', 'Open Settings')
        .then((a) => a && vscode.commands.executeCommand('workbench.action.openSettings', 'mdsp.lint.enable'));
    } else if (check.findings === 0) {
      void ui.info(`No MindSphere problems in the workspace: ${checked(check)}.`);
    } else {
      void ui.info(`${plural(check.findings, 'MindSphere problem')} in ${plural(check.filesWithFindings, 'file')} of the workspace: ${checked(check)}.`, 'Show Problems')
        .then((a) => a && vscode.commands.executeCommand('workbench.actions.view.problems'));
    }
    return check;
  }

  dispose(): void {
    for (const d of this.disposables.splice(0)) d.dispose();
  }
}

/** What a workspace check read, for its message: "checked 40 files (5 .http/.rest files, 20 code files, …)". */
function checked(c: WorkspaceCheck): string {
  const kinds = ([[c.kinds.http, '.http/.rest file'], [c.kinds.code, 'code file'], [c.kinds.contract, 'contract'], [c.kinds.config, 'settings file']] as const)
    .filter(([n]) => n > 0).map(([n, what]) => plural(n, what));
  const stopped = c.truncated ? `; a folder has more, and only its first ${plural(WORKSPACE_MAX_FILES, 'file')} were read: narrow the check with mdsp.lint.include or mdsp.lint.exclude` : '';
  return `checked ${plural(c.files, 'file')}${kinds.length ? ` (${kinds.join(', ')})` : ''}${stopped}`;
}

const features = new WeakMap<Services, LintFeature>();

/** The lint feature of these services (one per activation). */
export function lintFeature(s: Services): LintFeature {
  let feature = features.get(s);
  if (!feature) {
    feature = new LintFeature(s);
    features.set(s, feature);
  }
  return feature;
}

/** The feature-list entry of extension.ts: starts diagnostics and registers the providers. */
export function registerLint(s: Services): vscode.Disposable[] {
  return [lintFeature(s).start()];
}
