// The preview panel in VS Code: a WebviewPanel around PreviewController. Several panels may be open side by side, and
// each survives a reload through the serializer of feature.ts (the webview keeps its own view state with
// getState/setState). This module (with the controller, and zod's bundle) loads on first use, not at activation.
import { homedir } from 'node:os';
import * as vscode from 'vscode';
import { RANGE_PRESET_IDS, type RangePreset } from '../../core/timerange';
import { PREVIEW_VIEW_TYPE, type HostToWebview, type InitialSelection } from '../../protocol/preview';
import { savedStateSchema } from '../../protocol/preview-schema';
import { PreviewController, type PreviewLog, type PreviewUi, type ProgressHandle } from './controller';
import { type ExportFormat, writeInPieces } from './export';
import { newNonce, previewHtml } from './html';
import type { SeriesSource } from './source';

export interface PreviewDeps {
  readonly extensionUri: vscode.Uri;
  /** The data of the active connection; rejects with a message for people when there is none. */
  readonly source: () => Promise<SeriesSource>;
  readonly log: PreviewLog;
}

const DEFAULT_TITLE = 'Time Series Preview';

function webviewOptions(extensionUri: vscode.Uri): vscode.WebviewOptions {
  return {
    enableScripts: true,
    localResourceRoots: [vscode.Uri.joinPath(extensionUri, 'dist', 'webview'), vscode.Uri.joinPath(extensionUri, 'media')],
  };
}

function settings(): { pointsPerPixel: number; defaultRange: RangePreset } {
  const config = vscode.workspace.getConfiguration('mdsp.preview');
  const range = config.get<string>('defaultRange', 'day');
  return {
    pointsPerPixel: Math.min(4, Math.max(2, config.get<number>('maxPointsPerPixel', 4))),
    defaultRange: (RANGE_PRESET_IDS as string[]).includes(range) ? (range as RangePreset) : 'day',
  };
}

export class PreviewPanel implements vscode.Disposable {
  private readonly disposables: vscode.Disposable[] = [];
  private controller: Promise<PreviewController | Error>;
  /** The webview has been told why the last attempt at a controller failed. */
  private failureShown = false;
  private disposed = false;

  /** Opens a new panel, on an asset, aspect or variable when given. */
  static open(deps: PreviewDeps, initial?: InitialSelection): PreviewPanel {
    const panel = vscode.window.createWebviewPanel(PREVIEW_VIEW_TYPE, DEFAULT_TITLE, vscode.ViewColumn.Active,
      webviewOptions(deps.extensionUri));
    return new PreviewPanel(panel, deps, initial);
  }

  /** Brings back a panel after a reload (called by the serializer with the webview's saved state). */
  static revive(panel: vscode.WebviewPanel, deps: PreviewDeps, state: unknown): PreviewPanel {
    panel.webview.options = webviewOptions(deps.extensionUri);
    const saved = savedStateSchema.safeParse(state);
    if (saved.success && saved.data.selection) panel.title = `${saved.data.selection.assetName} › ${saved.data.selection.aspect}`;
    return new PreviewPanel(panel, deps, undefined);
  }

  private constructor(readonly panel: vscode.WebviewPanel, private readonly deps: PreviewDeps, private readonly initial: InitialSelection | undefined) {
    panel.iconPath = vscode.Uri.joinPath(deps.extensionUri, 'media', 'mindsphere.svg');
    panel.webview.html = this.html();
    this.controller = this.connect();
    this.disposables.push(
      panel.webview.onDidReceiveMessage((message: unknown) => void this.deliver(message)),
      panel.onDidDispose(() => this.dispose()),
    );
  }

  /** A controller over the active connection's data, or why there is none (said to the webview by deliver). */
  private connect(): Promise<PreviewController | Error> {
    const { deps, initial } = this;
    return deps.source().then(
      (source) => new PreviewController(source, this.ui(), deps.log, { ...settings(), ...(initial ? { initial } : {}) }),
      (error: unknown) => {
        deps.log.error('Preview: no data source', error);
        return error instanceof Error ? error : new Error(String(error));
      },
    );
  }

  /**
   * Hands a webview message to the controller, or answers it with why there is none. A panel whose data source failed
   * (no connection when the window reloaded, the sandbox did not start) asks for it again on the next message after the
   * user saw why, so it works once the cause is fixed, without being closed; a new controller first answers a `ready`
   * (the catalog and intervals the webview never got).
   */
  private async deliver(message: unknown): Promise<void> {
    let awaited = this.controller;
    let controller = await awaited;
    // Messages that arrived together wait for the same new attempt.
    while (awaited !== this.controller) controller = await (awaited = this.controller);
    if (controller instanceof Error && this.failureShown && !this.disposed) {
      this.failureShown = false;
      controller = await (this.controller = this.connect());
      if (!(controller instanceof Error) && !isReady(message)) await controller.receive({ type: 'ready' });
    }
    if (controller instanceof Error) {
      this.failureShown = true;
      this.ui().post({ type: 'failed', requestId: requestIdOf(message), message: controller.message });
      return;
    }
    await controller.receive(message);
  }

  /** Closes the panel (also what happens when the user closes it): stops its load and frees what it holds. */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    void this.controller.then((c) => (c instanceof Error ? undefined : c.dispose()));
    for (const d of this.disposables.splice(0)) d.dispose();
    this.panel.dispose();
  }

  private html(): string {
    const { webview } = this.panel;
    const uri = (...path: string[]) => webview.asWebviewUri(vscode.Uri.joinPath(this.deps.extensionUri, ...path)).toString();
    return previewHtml({
      cspSource: webview.cspSource,
      nonce: newNonce(),
      scripts: [uri('dist', 'webview', 'preview.js')],
      styles: [uri('dist', 'webview', 'preview.css'), uri('media', 'preview.css')],
    });
  }

  private ui(): PreviewUi {
    const { panel } = this;
    return {
      // A load that ends after the panel closed (its `cancelled`, a late progress) has no one to tell: VS Code rejects
      // the post with "Webview is disposed", which must not become an unhandled rejection in the extension host.
      post: (message: HostToWebview) => {
        if (!this.disposed) void panel.webview.postMessage(message).then(undefined, () => {});
      },
      setTitle: (title) => {
        if (!this.disposed) panel.title = title;
      },
      startProgress: (title, cancel) => startProgress(title, cancel),
      save: (fileName, format, pieces, title) => save(fileName, format, pieces, title),
      copy: async (text) => vscode.env.clipboard.writeText(text),
    };
  }
}

function requestIdOf(message: unknown): number | null {
  const id = (message as { requestId?: unknown } | null)?.requestId;
  return typeof id === 'number' ? id : null;
}

const isReady = (message: unknown): boolean => (message as { type?: unknown } | null)?.type === 'ready';

function startProgress(title: string, cancel: () => void): ProgressHandle {
  let finish = () => {};
  let report: ProgressHandle['report'] = () => {};
  void vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title, cancellable: true }, (progress, token) => {
    token.onCancellationRequested(cancel);
    let shown = 0;
    report = (fraction, message) => {
      // VS Code adds up increments: report only the growth since the last report.
      const percent = fraction === null ? 0 : Math.round(fraction * 100);
      progress.report({ message, increment: Math.max(0, percent - shown) });
      shown = Math.max(shown, percent);
    };
    return new Promise<void>((resolve) => (finish = resolve));
  });
  return { report: (fraction, message) => report(fraction, message), done: () => finish() };
}

async function save(fileName: string, format: ExportFormat, pieces: Iterable<string>, title: string): Promise<string | undefined> {
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri ?? vscode.Uri.file(homedir());
  const target = await vscode.window.showSaveDialog({
    defaultUri: vscode.Uri.joinPath(folder, fileName),
    filters: format === 'csv' ? { CSV: ['csv'] } : { JSON: ['json'] },
    saveLabel: 'Export',
  });
  if (!target) return undefined;
  const written = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title, cancellable: true },
    (progress, token) => (target.scheme === 'file' ? writeInPieces(target.fsPath, pieces, progress, token) : writeWhole(target, pieces, token)));
  return !written ? undefined : target.scheme === 'file' ? target.fsPath : target.toString();
}

/** Where VS Code's file system is all there is (a virtual workspace): the pieces gathered as bytes, written at once. */
async function writeWhole(target: vscode.Uri, pieces: Iterable<string>, token: vscode.CancellationToken): Promise<boolean> {
  const bytes: Buffer[] = [];
  for (const piece of pieces) {
    if (token.isCancellationRequested) return false;
    bytes.push(Buffer.from(piece));
    await new Promise((resolve) => setImmediate(resolve)); // lets a cancel arrive
  }
  await vscode.workspace.fs.writeFile(target, Buffer.concat(bytes));
  return true;
}
