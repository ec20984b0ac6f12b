import * as vscode from 'vscode';
import { COMMANDS } from './commands';
import { Log } from './log';
import type { Services } from './services';

const loadedAt = performance.now();

/** What activate() returns: used by the tests that run inside VS Code. */
export interface MindSphereMakersApi {
  readonly commandIds: readonly string[];
  /** Milliseconds from loading the bundle to the end of activate(). */
  readonly activationMs: number;
}

/** An empty tree: its view shows the welcome content of package.json until there is something to show. */
class EmptyTree implements vscode.TreeDataProvider<never> {
  getTreeItem(element: never): vscode.TreeItem {
    return element;
  }
  getChildren(): never[] {
    return [];
  }
}

export function activate(context: vscode.ExtensionContext): MindSphereMakersApi {
  const log = new Log();
  context.subscriptions.push(log);
  try {
    const services: Services = { context, log };
    for (const [id, factory] of Object.entries(COMMANDS)) {
      context.subscriptions.push(vscode.commands.registerCommand(id, factory(services)));
    }
    for (const viewId of ['mdsp.explorer', 'mdsp.connections']) {
      context.subscriptions.push(vscode.window.createTreeView(viewId, { treeDataProvider: new EmptyTree() }));
    }
    const activationMs = performance.now() - loadedAt;
    log.info(`MindSphere Makers ${context.extension.packageJSON.version} activated in ${activationMs.toFixed(1)} ms`);
    return { commandIds: Object.keys(COMMANDS), activationMs };
  } catch (error) {
    // VS Code does not tell the user when an extension fails to activate, so we do.
    log.error('Activation failed', error);
    void vscode.window
      .showErrorMessage(`MindSphere Makers could not start: ${error instanceof Error ? error.message : String(error)}`, 'Show Logs')
      .then((choice) => choice && log.show());
    throw error;
  }
}

export function deactivate(): void {}
