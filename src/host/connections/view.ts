// The Connections view (every connection, the active one marked, inline test/edit/remove) and the status bar item
// that names the active connection and switches it on click.
import * as vscode from 'vscode';
import { codeSpan, escapeMd } from '../explorer/nodes';
import type { Services } from '../services';
import type { ConnectionSummary } from './session';

class ConnectionsTree implements vscode.TreeDataProvider<ConnectionSummary> {
  constructor(private readonly s: Services) {}

  readonly onDidChangeTreeData = (listener: () => unknown): vscode.Disposable => this.s.connections.onDidChange(listener);

  getChildren(): ConnectionSummary[] {
    return this.s.session.all();
  }

  getTreeItem(c: ConnectionSummary): vscode.TreeItem {
    const active = this.s.session.active()?.id === c.id;
    const item = new vscode.TreeItem(c.name, vscode.TreeItemCollapsibleState.None);
    item.id = `connection/${c.id}`;
    const where = c.sandbox ? 'local sandbox tenant' : [c.tenant, c.region].filter(Boolean).join(' · ');
    item.description = active ? `active${where ? ` · ${where}` : ''}` : where;
    item.iconPath = new vscode.ThemeIcon(active ? 'pass-filled' : c.sandbox ? 'beaker' : 'plug',
      active ? new vscode.ThemeColor('testing.iconPassed') : undefined);
    item.tooltip = new vscode.MarkdownString([
      `**${escapeMd(c.name)}**${active ? ' (active)' : ''}`,
      c.sandbox ? 'The built-in sandbox tenant: starts on this machine when you choose it.' : '',
      c.gateway ? `Gateway: ${codeSpan(c.gateway)}` : '',
      c.clientId ? `Client ID: ${codeSpan(c.clientId)}` : '',
      c.sandbox ? '' : 'The client secret is kept in the OS keychain.',
    ].filter(Boolean).join('\n\n'));
    item.contextValue = ['connection', active && 'active', c.sandbox && 'sandbox'].filter(Boolean).join(';');
    if (!active) item.command = { command: 'mdsp.selectConnection', title: 'Select', arguments: [c.id] };
    return item;
  }
}

export function registerConnectionsView(s: Services): vscode.Disposable[] {
  const tree = new ConnectionsTree(s);
  const view = vscode.window.createTreeView('mdsp.connections', { treeDataProvider: tree });
  return [view];
}

export function registerStatusBar(s: Services): vscode.Disposable[] {
  const item = vscode.window.createStatusBarItem('mdsp.connection', vscode.StatusBarAlignment.Left, 10);
  item.name = 'MindSphere Connection';
  item.command = 'mdsp.selectConnection';
  const update = () => {
    const active = s.session.active();
    item.text = active ? `$(plug) ${active.name}` : '$(debug-disconnect) MindSphere';
    item.tooltip = active
      ? `MindSphere: connected to '${active.name}'${active.tenant ? ` (tenant ${active.tenant})` : ''}. Click to switch.`
      : 'MindSphere: no connection selected. Click to choose the Sandbox or add your binding keys.';
    void vscode.commands.executeCommand('setContext', 'mdsp.connected', active !== undefined);
  };
  update();
  item.show();
  return [item, s.connections.onDidChange(update)];
}
