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
import type { Loading } from './bootstrap';
import type { Services } from './services';
import { windowUi } from './ui';
import { registerWalkthrough } from './walkthrough';

/** Set by the first line of dist/extension.js (esbuild.js's banner): when the bundle's code started to run. */
declare const __mdspBundleStart: { readonly wall: number; readonly cpu: NodeJS.CpuUsage } | undefined;

/** What a piece of startup cost: wall-clock and CPU milliseconds (CPU time does not grow when other processes wait for a core). */
export interface StartupCost {
  readonly ms: number;
  readonly cpuMs: number;
}

function since(start: { readonly wall: number; readonly cpu: NodeJS.CpuUsage }): StartupCost {
  const cpu = process.cpuUsage(start.cpu);
  return { ms: performance.now() - start.wall, cpuMs: (cpu.user + cpu.system) / 1000 };
}

/** Running the bundle's module code, up to here (after every module this one imports): the part of loading it we can see. */
const loaded: StartupCost = typeof __mdspBundleStart === 'object' ? since(__mdspBundleStart) : { ms: 0, cpuMs: 0 };

/** What activate() returns: used by the tests that run inside VS Code. */
export interface MindSphereMakersApi {
  readonly commandIds: readonly string[];
  /**
   * What starting the extension cost it: running the bundle's module code plus the activate() call (without V8's
   * compiling of the bundle, which VS Code's own figure in "Developer: Show Running Extensions" includes).
   */
  readonly activation: StartupCost;
  /** Of that, the activate() call. */
  readonly activate: StartupCost;
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
  (s) => registerWalkthrough(s.context, s.log),
];

/** `loading`: how src/host/bootstrap.ts loaded the bundle (absent when the tests run the sources). */
export function activate(context: vscode.ExtensionContext, loading?: Loading): MindSphereMakersApi {
  const activateStart = { wall: performance.now(), cpu: process.cpuUsage() };
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
    const activate = since(activateStart);
    const activation = { ms: loaded.ms + activate.ms, cpuMs: loaded.cpuMs + activate.cpuMs };
    const cost = (c: StartupCost) => `${c.ms.toFixed(1)} ms (${c.cpuMs.toFixed(1)} ms CPU)`;
    log.info(`MindSphere Makers ${context.extension.packageJSON.version} activated in ${cost(activation)} (module code and activate()), ` +
      `of which activate() ${cost(activate)}` +
      (loading ? `; code cache: ${loading.codeCache}; from reading the bundle to the end of activate() ${cost(since(loading.start))}` : ''));
    return {
      commandIds: Object.keys(COMMANDS),
      activation,
      activate,
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
