// The MindSphere explorer view: a TreeDataProvider over the ExplorerModel of the active connection. The model (and with
// it the client) is loaded on the first expansion, not at activation.
import * as vscode from 'vscode';
import type { Session } from '../connections/session';
import type { ExplorerModel } from './model';
import { type ExplorerNode, viewOf } from './nodes';

const COLLAPSIBLE = {
  none: vscode.TreeItemCollapsibleState.None,
  collapsed: vscode.TreeItemCollapsibleState.Collapsed,
  expanded: vscode.TreeItemCollapsibleState.Expanded,
} as const;

/** Changes within this many milliseconds reach the tree as one refresh. */
const DEBOUNCE_MS = 30;

export class ExplorerTree implements vscode.TreeDataProvider<ExplorerNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<ExplorerNode[] | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private model: { id: string; model: Promise<ExplorerModel> } | undefined;
  private pending: Set<ExplorerNode> | 'all' | undefined;
  /**
   * The nodes VS Code has asked for since the last full refresh. An update for any other node (one that a load
   * reached before VS Code did, or one of a model replaced meanwhile) makes VS Code log "No tree item with id … found";
   * VS Code gets such a node fresh when it asks for it.
   */
  private shown = new WeakSet<ExplorerNode>();
  private timer: ReturnType<typeof setTimeout> | undefined;
  private readonly subscription: vscode.Disposable;
  view: vscode.TreeView<ExplorerNode> | undefined;

  constructor(readonly session: Session) {
    this.subscription = session.onDidChange(() => {
      this.model = undefined;
      this.fire(undefined);
    });
  }

  /** The model of the active connection (created on first use), or undefined when no connection is chosen. */
  current(): Promise<ExplorerModel> | undefined {
    const active = this.session.active();
    if (!active) return undefined;
    if (this.model?.id !== active.id) {
      const id = active.id;
      const contracts = {
        tenant: async (signal: AbortSignal) => (await this.session.client(id)).contracts.list({ signal }),
        files: async () => (await import('../contracts/files')).contractFiles(),
      };
      const model = import('./model').then(({ ExplorerModel }) =>
        new ExplorerModel(active, async () => (await this.session.client(id)).assets, { onChange: (node) => this.fire(node), contracts }));
      this.model = { id, model };
    }
    return this.model.model;
  }

  getTreeItem(node: ExplorerNode): vscode.TreeItem {
    const v = viewOf(node);
    const item = new vscode.TreeItem(v.label, COLLAPSIBLE[v.collapsible]);
    this.shown.add(node);
    item.id = node.key;
    if (v.description) item.description = v.description;
    if (v.tooltip) item.tooltip = new vscode.MarkdownString(v.tooltip);
    item.iconPath = new vscode.ThemeIcon(v.icon.id, v.icon.color ? new vscode.ThemeColor(v.icon.color) : undefined);
    item.contextValue = v.contextValue;
    if (v.command) item.command = { command: v.command.command, title: v.command.title, arguments: [...v.command.arguments] };
    return item;
  }

  async getChildren(node?: ExplorerNode): Promise<ExplorerNode[]> {
    const model = await this.current();
    return model ? model.children(node) : [];
  }

  getParent(node: ExplorerNode): ExplorerNode | undefined {
    return node.parent;
  }

  /** Reloads a node's children (the whole tree without a node). */
  async refresh(node?: ExplorerNode): Promise<void> {
    const model = await this.current();
    if (model) model.refresh(node);
    else this.fire(undefined);
  }

  private fire(node: ExplorerNode | undefined): void {
    if (node === undefined || this.pending === 'all') this.pending = 'all';
    else this.pending = new Set(this.pending).add(node);
    this.timer ??= setTimeout(() => {
      const pending = this.pending;
      this.pending = undefined;
      this.timer = undefined;
      if (pending === 'all' || pending === undefined) {
        this.shown = new WeakSet();
        this.changed.fire(undefined);
        return;
      }
      const known = [...pending].filter((n) => this.shown.has(n));
      if (known.length) this.changed.fire(known);
    }, DEBOUNCE_MS);
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    this.subscription.dispose();
    this.changed.dispose();
  }
}

export function registerExplorerView(tree: ExplorerTree): vscode.Disposable[] {
  // Several asset types can be selected at once, for "New Contract…".
  const view = vscode.window.createTreeView('mdsp.explorer', { treeDataProvider: tree, showCollapseAll: true, canSelectMany: true });
  tree.view = view;
  return [view, tree];
}
