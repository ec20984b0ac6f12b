import type * as vscode from 'vscode';
import type { SandboxHost } from './connections/sandbox';
import type { Session } from './connections/session';
import type { ConnectionStore } from './connections/store';
import type { ExplorerTree } from './explorer/tree';
import type { Log } from './log';
import type { ProxyHost } from './proxy';
import type { Ui } from './ui';

/** What every feature of the extension is built from: one object made by activate(), passed to each feature. */
export interface Services {
  readonly context: vscode.ExtensionContext;
  readonly log: Log;
  /** Prompts and messages; the tests inside VS Code replace it with a scripted one. */
  ui: Ui;
  /** Saved connections (names in global state, secrets in SecretStorage). */
  readonly connections: ConnectionStore;
  /** The built-in sandbox tenant, started on first use. */
  readonly sandbox: SandboxHost;
  /** The active connection and its MindSphere client (`await session.client()`). */
  readonly session: Session;
  readonly explorer: ExplorerTree;
  readonly proxy: ProxyHost;
}
