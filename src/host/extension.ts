import * as vscode from 'vscode';
import { COMMANDS, registerCommands } from './commands';
import { SandboxHost } from './connections/sandbox';
import { Session } from './connections/session';
import { ConnectionStore } from './connections/store';
import { registerConnectionsView, registerStatusBar } from './connections/view';
import { registerContracts } from './contracts';
import { ExplorerTree, registerExplorerView } from './explorer/tree';
import { registerLint } from './lint';
import { Log } from './log';
import { registerPreviewFeature } from './preview/feature';
import { ProxyHost, registerProxy } from './proxy';
import type { Services } from './services';
import { windowUi } from './ui';

const loadedAt = performance.now();

/** What activate() returns: used by the tests that run inside VS Code. */
export interface MindSphereMakersApi {
  readonly commandIds: readonly string[];
  /**
   * Milliseconds from evaluating this module (after the modules it imports) to the end of activate(), VS Code's own work
   * in between included. VS Code's figure ("Developer: Show Running Extensions", the benchmark's) counts code loading.
   */
  readonly activationMs: number;
  /** Milliseconds spent inside activate(): what the extension itself costs at startup. */
  readonly activateMs: number;
  /**
   * The services, only when VS Code runs the extension's tests (ExtensionMode.Test): other extensions must not reach
   * the connections (and their secrets) through this API.
   */
  readonly testing?: Services;
}

/** The features, one registration each: every one returns what to dispose when the extension stops. */
const FEATURES: readonly ((s: Services) => vscode.Disposable[])[] = [
  registerCommands,
  (s) => registerExplorerView(s.explorer),
  registerConnectionsView,
  registerStatusBar,
  registerProxy,
  registerLint,
  registerPreviewFeature,
  registerContracts,
];

export function activate(context: vscode.ExtensionContext): MindSphereMakersApi {
  const activateStart = performance.now();
  const log = new Log();
  context.subscriptions.push(log);
  try {
    const connections = new ConnectionStore(context);
    const sandbox = new SandboxHost(log);
    const session = new Session(connections, sandbox, log);
    context.subscriptions.push(connections, sandbox, session);
    const services: Services = {
      context, log, ui: windowUi(log), connections, sandbox, session, explorer: new ExplorerTree(session), proxy: new ProxyHost(),
    };
    for (const register of FEATURES) context.subscriptions.push(...register(services));
    const activationMs = performance.now() - loadedAt;
    const activateMs = performance.now() - activateStart;
    log.info(`MindSphere Makers ${context.extension.packageJSON.version} activated in ${activationMs.toFixed(1)} ms (${activateMs.toFixed(1)} ms in activate)`);
    return {
      commandIds: Object.keys(COMMANDS),
      activationMs,
      activateMs,
      ...(context.extensionMode === vscode.ExtensionMode.Test ? { testing: services } : {}),
    };
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
