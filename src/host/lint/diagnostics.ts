// The MindSphere diagnostics: one DiagnosticCollection, fed by two sources.
//  - Open documents, linted on open, on change (debounced), on editor switch and when the settings or the tenant schema
//    change; their findings are cleared when they close.
//  - The workspace check, off the typing path. By command it reads every file `mdsp-makers lint` reads; on save and
//    when the settings change, only contracts (checked together) and settings files (secrets), so Problems does not fill
//    with every query of the workspace unasked. The command's findings in requests and code stay until the next command,
//    or until that file is opened and closed. For an open document it contributes only what needs several files
//    (mdsp/contract-split-hierarchy).
import * as vscode from 'vscode';
import type { FileKind } from '../../core/lint/linter';
import type { Finding, LintDocumentInput, LintOptions } from '../../core/lint/types';
import { addTo } from '../../core/multimap';
import { decodeText } from '../../core/text-file';
import { type DiagnosticContext, toDiagnostic } from './convert';
import { documentFileName, LINT_DEBOUNCE_MS } from './documents';
import type { Engine } from './index';
import { globsAllow, lintSettings } from './settings';
import type { Log } from '../log';
import type { SchemaCache } from './schema';

/**
 * Left out of the workspace check besides the folders the command line never enters and the user's files.exclude and
 * search.exclude: build output and the lock file, which a project's .gitignore keeps from `mdsp-makers lint`.
 */
const WORKSPACE_EXCLUDES = ['**/dist/**', '**/out/**', '**/.vscode-test/**', '**/package-lock.json'];
export const WORKSPACE_MAX_FILES = 10_000;
const WORKSPACE_MAX_BYTES = 1 << 20;

interface DocumentState {
  readonly version: number;
  readonly fileName: string;
  readonly findings: readonly Finding[];
}

/** What a workspace check looked at and found. */
export interface WorkspaceCheck {
  /** Folders checked: 0 when none is open or the linter is off in every one. */
  readonly folders: number;
  readonly files: number;
  /** The files checked by what the linter reads in them (.http/.rest requests, code, contracts, settings files). */
  readonly kinds: Readonly<Record<FileKind, number>>;
  /** True when a folder had more files than the check reads ({@link WORKSPACE_MAX_FILES}). */
  readonly truncated: boolean;
  readonly findings: number;
  readonly filesWithFindings: number;
}

/** What the workspace check reads on save and on settings changes; the command reads every kind. */
const BACKGROUND_KINDS: ReadonlySet<FileKind> = new Set(['contract', 'config']);

/** The globs of `files.exclude` and `search.exclude` that are on for a folder (not the ones with a `when` condition). */
function excludeSettings(folder: vscode.Uri): string[] {
  const on = (section: string) => Object.entries(vscode.workspace.getConfiguration(section, folder).get<Record<string, unknown>>('exclude') ?? {})
    .filter(([, value]) => value === true).map(([glob]) => glob);
  // A glob may name a folder (`**/node_modules`): its files go too.
  return [...on('files'), ...on('search')].flatMap((glob) => (glob.endsWith('/**') ? [glob] : [glob, `${glob}/**`]));
}

export class LintDiagnostics implements vscode.Disposable {
  readonly collection = vscode.languages.createDiagnosticCollection('mindsphere');
  private readonly documents = new Map<string, DocumentState>();
  private workspace = new Map<string, readonly Finding[]>();
  private readonly timers = new Map<string, ReturnType<typeof setTimeout>>();
  /** The linter's file names → URIs, for related locations in other files. */
  private readonly uris = new Map<string, vscode.Uri>();
  /** Documents whose last tab closed while VS Code still holds them: not linted until they show again. */
  private readonly closedTabs = new Set<string>();
  private readonly subscriptions: vscode.Disposable[] = [];
  private workspaceTimer: ReturnType<typeof setTimeout> | undefined;
  private workspaceRun: Promise<void> | undefined;
  private engine: Engine | undefined;

  constructor(
    private readonly loadEngine: () => Promise<Engine>,
    private readonly schema: SchemaCache,
    private readonly extensionUri: vscode.Uri,
    private readonly log: Log,
  ) {}

  start(): void {
    const w = vscode.workspace;
    this.subscriptions.push(
      w.onDidOpenTextDocument((d) => void this.lint(d)),
      w.onDidChangeTextDocument((e) => {
        if (e.contentChanges.length > 0) this.schedule(e.document);
      }),
      w.onDidCloseTextDocument((d) => {
        this.closedTabs.delete(d.uri.toString());
        this.forget(d.uri);
      }),
      // VS Code keeps a document alive for a while after its last editor closes: clear it when its last tab closes.
      vscode.window.tabGroups.onDidChangeTabs((e) => this.onTabsChanged(e)),
      vscode.window.onDidChangeActiveTextEditor((e) => {
        if (e && this.documents.get(e.document.uri.toString())?.version !== e.document.version) void this.lint(e.document);
      }),
      w.onDidSaveTextDocument(() => this.scheduleWorkspace()),
      w.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration('mdsp.lint')) this.relintAll(true);
      }),
      this.schema.onDidChange(() => this.relintAll(false)),
    );
    this.relintAll(true);
  }

  /**
   * Findings of a document at its current version, for code actions. When the published ones are stale (an edit within
   * the debounce delay) they are computed without publishing: VS Code asks for code actions after every keystroke, and
   * the squiggles should still wait for the typing to pause.
   */
  async findingsOf(document: vscode.TextDocument): Promise<readonly Finding[]> {
    const state = this.documents.get(document.uri.toString());
    if (state?.version === document.version) return state.findings;
    return (await this.check(document))?.findings ?? [];
  }

  /** Lints a document now and publishes its diagnostics. Returns its state, or undefined when it is not linted. */
  async lint(document: vscode.TextDocument): Promise<DocumentState | undefined> {
    const key = document.uri.toString();
    this.cancelTimer(key);
    const state = this.closedTabs.has(key) ? undefined : await this.check(document);
    if (!state) {
      if (this.documents.delete(key)) this.publish(document.uri);
      return undefined;
    }
    this.schema.ensure();
    this.uris.set(state.fileName, document.uri);
    this.documents.set(key, state);
    this.publish(document.uri);
    return state;
  }

  /** The findings of a document as it is now, or undefined when the settings or its kind leave it unchecked. */
  private async check(document: vscode.TextDocument): Promise<DocumentState | undefined> {
    const engine = (this.engine ??= await this.loadEngine());
    const fileName = documentFileName(document, engine.isLintable);
    const settings = lintSettings(document.uri);
    if (!fileName || !settings.enable || !globsAllow(document, settings)) return undefined;
    const started = performance.now();
    const findings = engine.linter.lintDocument({ fileName, text: document.getText() }, this.options(settings.rules));
    const elapsed = performance.now() - started;
    if (elapsed > 100) this.log.info(`Linting ${vscode.workspace.asRelativePath(document.uri)} took ${elapsed.toFixed(0)} ms`);
    return { version: document.version, fileName, findings };
  }

  /**
   * Runs the workspace check now: every file `mdsp-makers lint` reads (the `mdsp.lintWorkspace` command), or with
   * `background` only contracts and settings files. `report` hears how far it got.
   */
  runWorkspace(signal?: AbortSignal, report?: (message: string) => void, background = false): Promise<WorkspaceCheck> {
    // One run at a time: a run asked for during another starts when that one ends, failed or not.
    const run = (this.workspaceRun ?? Promise.resolve()).then(() => this.checkWorkspace(signal, report, background));
    const settled: Promise<void> = run.then(() => undefined, () => undefined).finally(() => {
      if (this.workspaceRun === settled) this.workspaceRun = undefined;
    });
    this.workspaceRun = settled;
    return run;
  }

  /** The linter options for a document: its rule settings and the tenant schema. */
  optionsFor(uri: vscode.Uri): LintOptions {
    return this.options(lintSettings(uri).rules);
  }

  private options(rules: LintOptions['rules']): LintOptions {
    const schema = this.schema.current();
    return { rules, ...(schema ? { schema } : {}) };
  }

  private schedule(document: vscode.TextDocument): void {
    const key = document.uri.toString();
    this.cancelTimer(key);
    this.timers.set(key, setTimeout(() => {
      this.timers.delete(key);
      void this.lint(document).catch((error: unknown) => this.log.error('Linting failed', error));
    }, LINT_DEBOUNCE_MS));
  }

  private scheduleWorkspace(): void {
    if (this.workspaceTimer) clearTimeout(this.workspaceTimer);
    this.workspaceTimer = setTimeout(() => {
      this.workspaceTimer = undefined;
      this.runWorkspace(undefined, undefined, true).catch((error: unknown) => this.log.error('The MindSphere workspace check failed', error));
    }, LINT_DEBOUNCE_MS);
  }

  private cancelTimer(key: string): void {
    const timer = this.timers.get(key);
    if (timer) clearTimeout(timer);
    this.timers.delete(key);
  }

  private relintAll(withWorkspace: boolean): void {
    for (const document of vscode.workspace.textDocuments) void this.lint(document);
    if (withWorkspace) this.scheduleWorkspace();
  }

  private onTabsChanged(e: vscode.TabChangeEvent): void {
    const shown = new Set(vscode.window.tabGroups.all.flatMap((g) => g.tabs).flatMap(tabUris).map((u) => u.toString()));
    for (const tab of e.opened) {
      for (const uri of tabUris(tab)) {
        if (this.closedTabs.delete(uri.toString())) {
          const document = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
          if (document) void this.lint(document);
        }
      }
    }
    for (const tab of e.closed) {
      for (const uri of tabUris(tab)) {
        if (shown.has(uri.toString())) continue;
        this.closedTabs.add(uri.toString());
        this.forget(uri);
      }
    }
  }

  private forget(uri: vscode.Uri): void {
    const key = uri.toString();
    this.cancelTimer(key);
    // A request or code file the command checked is cleared too: no background check would bring its findings up to date.
    const kind = this.engine?.fileKind(uri.scheme === 'file' ? uri.fsPath : uri.path)?.kind;
    const stale = kind !== undefined && !BACKGROUND_KINDS.has(kind) && this.workspace.delete(key);
    if (this.documents.delete(key) || stale) this.publish(uri);
  }

  private async checkWorkspace(signal: AbortSignal | undefined, report: ((message: string) => void) | undefined, background: boolean): Promise<WorkspaceCheck> {
    const kinds: Record<FileKind, number> = { http: 0, code: 0, contract: 0, config: 0 };
    const folders = vscode.workspace.workspaceFolders ?? [];
    if (!folders.length) return { folders: 0, files: 0, kinds, truncated: false, findings: 0, filesWithFindings: 0 };
    const engine = (this.engine ??= await this.loadEngine());
    const open = new Map(vscode.workspace.textDocuments.map((d) => [d.uri.toString(), d]));
    const byUri = new Map<string, Finding[]>();
    let checkedFolders = 0;
    let files = 0;
    let truncated = false;
    // Folder by folder: the settings are resource-scoped, so each folder of a multi-root workspace may have its own.
    for (const folder of folders) {
      const settings = lintSettings(folder.uri);
      if (!settings.enable) continue;
      checkedFolders++;
      // The files the command line reads (engine.LINTABLE_GLOB, the folders it never enters), less what the user excluded.
      const include = settings.include.length ? `{${settings.include.join(',')}}` : engine.LINTABLE_GLOB;
      const exclude = `{${[...engine.SKIPPED_FOLDERS.map((f) => `**/${f}/**`), ...WORKSPACE_EXCLUDES, ...excludeSettings(folder.uri),
        ...settings.exclude].join(',')}}`;
      const found = await vscode.workspace.findFiles(new vscode.RelativePattern(folder, include), exclude, WORKSPACE_MAX_FILES);
      truncated ||= found.length >= WORKSPACE_MAX_FILES;
      const inputs: LintDocumentInput[] = [];
      const uriOfName = new Map<string, vscode.Uri>();
      for (const [i, uri] of found.entries()) {
        signal?.throwIfAborted(); // before anything is replaced: a cancelled check leaves the last one's findings
        if (i % 100 === 0) report?.(`${folders.length > 1 ? `${folder.name}: ` : ''}${i.toLocaleString('en-US')} of ${found.length.toLocaleString('en-US')} files`);
        const fileName = uri.scheme === 'file' ? uri.fsPath : uri.path;
        const kind = engine.fileKind(fileName)?.kind;
        if (!kind || (background && !BACKGROUND_KINDS.has(kind))) continue;
        const text = await this.readText(uri, open.get(uri.toString()));
        if (text === undefined) continue;
        inputs.push({ fileName, text });
        kinds[kind]++;
        uriOfName.set(fileName, uri);
        this.uris.set(fileName, uri);
      }
      for (const f of engine.linter.lintWorkspace(inputs, this.options(settings.rules))) {
        const uri = uriOfName.get(f.fileName);
        if (!uri) continue;
        const key = uri.toString();
        addTo(byUri, key, f);
      }
      files += inputs.length;
    }
    if (background) {
      // A background run does not read requests and code: the last command's findings there stay.
      for (const [key, list] of this.workspace) {
        const readByCommandOnly = list.some((f) => !BACKGROUND_KINDS.has(engine.fileKind(f.fileName)?.kind ?? 'config'));
        if (readByCommandOnly) byUri.set(key, [...list]);
      }
    }
    this.replaceWorkspace(byUri);
    const findings = [...byUri.values()].reduce((n, list) => n + list.length, 0);
    return { folders: checkedFolders, files, kinds, truncated, findings, filesWithFindings: byUri.size };
  }

  /** The text of a workspace file: the editor's if it is open (unsaved edits count), else the file's, if not too big. */
  private async readText(uri: vscode.Uri, open: vscode.TextDocument | undefined): Promise<string | undefined> {
    if (open) return open.getText();
    try {
      const stat = await vscode.workspace.fs.stat(uri);
      if (stat.size > WORKSPACE_MAX_BYTES) return undefined;
      return decodeText(await vscode.workspace.fs.readFile(uri))?.text; // UTF-16 with its mark too; a binary file is skipped
    } catch {
      return undefined; // deleted or unreadable since findFiles listed it
    }
  }

  private replaceWorkspace(next: Map<string, readonly Finding[]>): void {
    const previous = this.workspace;
    this.workspace = next;
    for (const key of new Set([...previous.keys(), ...next.keys()])) this.publish(vscode.Uri.parse(key));
  }

  /**
   * The error-severity findings of a document as it is now (unsaved edits and `mdsp.lint.rules` count), with the
   * workspace check's findings across files: what MindSphere would refuse, for a command to ask before sending it.
   */
  async errorsOf(document: vscode.TextDocument): Promise<Finding[]> {
    const state = await this.check(document);
    return this.merged(document.uri.toString(), state?.findings).filter((f) => f.severity === 'error');
  }

  /** A URI's findings from both sources: an open document's own, and of the workspace check only what needs several files. */
  private merged(key: string, own: readonly Finding[] | undefined): readonly Finding[] {
    const fromWorkspace = this.workspace.get(key) ?? [];
    const crossFile = this.engine?.CROSS_FILE_RULES;
    return own ? [...own, ...fromWorkspace.filter((f) => crossFile?.has(f.ruleId))] : fromWorkspace;
  }

  /** Sets the diagnostics of one URI from both sources. */
  private publish(uri: vscode.Uri): void {
    const key = uri.toString();
    const findings = this.merged(key, this.documents.get(key)?.findings);
    if (findings.length === 0) this.collection.delete(uri);
    else this.collection.set(uri, findings.map((f) => toDiagnostic(f, this.diagnosticContext)));
  }

  readonly diagnosticContext: DiagnosticContext = {
    docsUri: (ruleId) => vscode.Uri.joinPath(this.extensionUri, this.engine?.ruleDocPath(ruleId) ?? 'docs/rules'),
    uriOf: (fileName) => this.uris.get(fileName) ?? vscode.Uri.file(fileName),
  };

  dispose(): void {
    for (const timer of this.timers.values()) clearTimeout(timer);
    if (this.workspaceTimer) clearTimeout(this.workspaceTimer);
    for (const s of this.subscriptions) s.dispose();
    this.collection.dispose();
  }
}

/** The documents a tab shows (both sides of a diff). */
function tabUris(tab: vscode.Tab): vscode.Uri[] {
  const input = tab.input;
  if (input instanceof vscode.TabInputText) return [input.uri];
  if (input instanceof vscode.TabInputTextDiff) return [input.original, input.modified];
  return [];
}
