// The results of "Run with MindSphere": read-only documents of a scheme of their own, named after the request and the
// connection. An untitled document (as they were) asked to be saved when closed, and Ctrl+Z emptied it; these close
// without a question, and Ctrl+S still saves a copy (VS Code offers Save As for read-only documents). A result's text is
// kept while VS Code holds its document, and dropped when it closes.
import * as vscode from 'vscode';

const RESULT_SCHEME = 'mdsp-result';

/** What a result that VS Code asks for again after it closed shows (a JSON string, so the editor stays valid JSON). */
const CLOSED = '"This result was closed and is no longer kept. Run the query again to see it."\n';

export class RunResults implements vscode.TextDocumentContentProvider, vscode.Disposable {
  private readonly texts = new Map<string, string>();
  private runs = 0;
  private readonly subscriptions = [
    vscode.workspace.registerTextDocumentContentProvider(RESULT_SCHEME, this),
    vscode.workspace.onDidCloseTextDocument((d) => this.texts.delete(d.uri.toString())),
  ];

  provideTextDocumentContent(uri: vscode.Uri): string {
    return this.texts.get(uri.toString()) ?? CLOSED;
  }

  /**
   * A new result document, `name (connection).json`: the name is the last segment of the request's path (the entity
   * set, the aspect, `assets`), which is also what Save As proposes, so it is kept to characters every file system takes.
   */
  async open(path: string, connection: string, text: string): Promise<vscode.TextDocument> {
    const last = path.split('/').filter(Boolean).at(-1) ?? 'result';
    const name = `${last} (${connection})`.replace(/[\\/:*?"<>|\p{Cc}]/gu, '_');
    // A folder per run: two results of the same request are two documents, and their tabs tell them apart.
    const uri = vscode.Uri.from({ scheme: RESULT_SCHEME, path: `/${++this.runs}/${name}.json` });
    this.texts.set(uri.toString(), text);
    return vscode.workspace.openTextDocument(uri);
  }

  dispose(): void {
    for (const s of this.subscriptions) s.dispose();
    this.texts.clear();
  }
}
