// Help while writing a query: a hover with what MindSphere allows at the cursor (a row of the limits table with its
// source), completion of parameters, entity sets, attributes, operators, schema variables and enum values, and the
// "Run with MindSphere" CodeLens above every request (and "Preview Time Series" above reads of time series). The logic
// is in hover-info.ts, completion-items.ts and locate.ts.
import * as vscode from 'vscode';
import { documentFileName } from './documents';
import type { Engine } from './index';
import type { SchemaCache } from './schema';

export const RUN_QUERY_TITLE = 'Run with MindSphere';
export const PREVIEW_QUERY_TITLE = 'Preview Time Series';

const COMPLETION_KIND: Readonly<Record<string, vscode.CompletionItemKind>> = {
  param: vscode.CompletionItemKind.Property,
  attribute: vscode.CompletionItemKind.Field,
  operator: vscode.CompletionItemKind.Operator,
  function: vscode.CompletionItemKind.Function,
  value: vscode.CompletionItemKind.EnumMember,
  entitySet: vscode.CompletionItemKind.Class,
  variable: vscode.CompletionItemKind.Variable,
  keyword: vscode.CompletionItemKind.Keyword,
};

/** Characters after which a query wants help: parameter separators, `=`, a space in a filter, a quote, a path slash. */
export const COMPLETION_TRIGGERS = ['?', '&', '=', ' ', "'", '/', '(', ','];

export class QueryHelp implements vscode.HoverProvider, vscode.CompletionItemProvider, vscode.CodeLensProvider {
  constructor(private readonly loadEngine: () => Promise<Engine>, private readonly schema: SchemaCache) {}

  private async context(document: vscode.TextDocument): Promise<{ engine: Engine; fileName: string } | undefined> {
    const engine = await this.loadEngine();
    const fileName = documentFileName(document, engine.isLintable);
    return fileName ? { engine, fileName } : undefined;
  }

  async provideHover(document: vscode.TextDocument, position: vscode.Position): Promise<vscode.Hover | undefined> {
    const c = await this.context(document);
    if (!c) return undefined;
    const offset = document.offsetAt(position);
    const found = c.engine.requestAt(document.getText(), c.fileName, offset);
    const info = found && c.engine.hoverInfo(found.request, offset - found.base);
    if (!found || !info) return undefined;
    const range = new vscode.Range(document.positionAt(found.base + info.start), document.positionAt(found.base + info.end));
    return new vscode.Hover(new vscode.MarkdownString(info.markdown), range);
  }

  async provideCompletionItems(document: vscode.TextDocument, position: vscode.Position): Promise<vscode.CompletionList | undefined> {
    const c = await this.context(document);
    if (!c) return undefined;
    this.schema.ensure();
    const result = c.engine.completionsAt(document.getText(), c.fileName, document.offsetAt(position), this.schema.current());
    if (!result || result.items.length === 0) return undefined;
    const range = new vscode.Range(document.positionAt(result.start), document.positionAt(result.end));
    const items = result.items.map((entry, i) => {
      const item = new vscode.CompletionItem(entry.label, COMPLETION_KIND[entry.kind]);
      item.range = range;
      if (entry.insertText) item.insertText = entry.insertText;
      if (entry.detail) item.detail = entry.detail;
      item.sortText = String(i).padStart(4, '0'); // keep the order of the limits table
      return item;
    });
    return new vscode.CompletionList(items, false);
  }

  /**
   * One lens per request, without its command: VS Code asks for the lenses again after every pause in typing, and a
   * 5,000-line file holds over a thousand requests; resolveCodeLens adds the command to the few lenses in view.
   */
  async provideCodeLenses(document: vscode.TextDocument): Promise<vscode.CodeLens[]> {
    const c = await this.context(document);
    if (!c) return [];
    return c.engine.findRequests(document.getText(), c.fileName).flatMap(({ request, base }) => {
      const start = document.positionAt(base + request.start);
      const range = new vscode.Range(start, start);
      const run = new RequestLens(range, 'run', document.uri, base + request.start);
      return c.engine.readsSeries(request) ? [run, new RequestLens(range, 'preview', document.uri, base + request.start)] : [run];
    });
  }

  resolveCodeLens(lens: vscode.CodeLens): vscode.CodeLens {
    if (lens instanceof RequestLens) {
      lens.command = lens.action === 'run'
        ? { title: RUN_QUERY_TITLE, command: 'mdsp.runQuery', tooltip: 'Send this request with the active MindSphere connection and open the result',
          arguments: [lens.uri, lens.offset] }
        : { title: PREVIEW_QUERY_TITLE, command: 'mdsp.previewTimeSeries', tooltip: 'Chart the range this request reads in a preview panel',
          arguments: [lens.uri, lens.offset] };
    }
    return lens;
  }
}

/** A lens above a request ("Run with MindSphere", or "Preview Time Series" on a read of time series): for resolveCodeLens. */
class RequestLens extends vscode.CodeLens {
  constructor(range: vscode.Range, readonly action: 'run' | 'preview', readonly uri: vscode.Uri, readonly offset: number) {
    super(range);
  }
}
