import type * as vscode from 'vscode';
import type { Log } from './log';

/** What every feature of the extension is built from: one object made by activate(), passed to each feature. */
export interface Services {
  readonly context: vscode.ExtensionContext;
  readonly log: Log;
}
