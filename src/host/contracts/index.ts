// Contracts in VS Code: the commands (commands.ts) and what keeps the explorer's Contracts node current when
// `*.contract.json` files are created, changed or deleted outside the commands.
import * as vscode from 'vscode';
import type { Services } from '../services';
import { refreshContracts } from './commands';
import { CONTRACT_GLOB } from './files';

export { downloadContractMetadata, newContract, publishContract } from './commands';

export function registerContracts(s: Services): vscode.Disposable[] {
  const watcher = vscode.workspace.createFileSystemWatcher(CONTRACT_GLOB);
  const refresh = () => void refreshContracts(s);
  return [watcher, watcher.onDidCreate(refresh), watcher.onDidChange(refresh), watcher.onDidDelete(refresh)];
}
