// The first of the first five minutes (docs/ux.md): the walkthrough "Get Started with MindSphere Makers" opens once per
// install, on the first activation. VS Code itself opens an extension's walkthrough only when it was installed from the
// Extensions view, not from a .vsix, so the extension does it, and remembers in global state that it did.
import * as vscode from 'vscode';
import type { Log } from './log';

/** Global state key: set once the walkthrough was opened (or the user's setting said not to). */
export const WALKTHROUGH_SHOWN = 'mdsp.walkthroughShown';

/** How the walkthrough is opened, and whether the user wants walkthroughs opened (replaced in the tests). */
export interface WalkthroughHooks {
  readonly execute: (command: string, ...args: unknown[]) => Thenable<unknown>;
  /** VS Code's own `workbench.welcomePage.walkthroughs.openOnInstall` (machine-scoped: a remote reads its machine's). */
  readonly enabled: () => boolean;
}

const HOOKS: WalkthroughHooks = {
  execute: vscode.commands.executeCommand,
  enabled: () => vscode.workspace.getConfiguration('workbench.welcomePage.walkthroughs').get<boolean>('openOnInstall', true),
};

/** The id `workbench.action.openWalkthrough` takes: `<extension id>#<walkthrough id>` of the first contributed walkthrough. */
export function walkthroughId(extension: vscode.Extension<unknown>): string | undefined {
  const id = (extension.packageJSON as { contributes?: { walkthroughs?: { id: string }[] } }).contributes?.walkthroughs?.[0]?.id;
  return id && `${extension.id}#${id}`;
}

/**
 * Opens the walkthrough, unless it was opened before or the user turned walkthroughs off on install
 * (`workbench.welcomePage.walkthroughs.openOnInstall`, VS Code's own setting for this). Resolves true when it opened it.
 */
export async function openWalkthroughOnce(context: Pick<vscode.ExtensionContext, 'globalState' | 'extension'>,
  { execute, enabled }: WalkthroughHooks = HOOKS): Promise<boolean> {
  if (context.globalState.get<boolean>(WALKTHROUGH_SHOWN)) return false;
  // Remembered first: a second window activating at the same moment must not open it again.
  await context.globalState.update(WALKTHROUGH_SHOWN, true);
  const id = walkthroughId(context.extension);
  if (!id || !enabled()) return false;
  await execute('workbench.action.openWalkthrough', id, false);
  return true;
}

/** The feature-list entry of extension.ts: nothing to dispose. */
export function registerWalkthrough(context: vscode.ExtensionContext, log: Log): vscode.Disposable[] {
  openWalkthroughOnce(context).catch((error: unknown) => log.error('Could not open the walkthrough', error));
  return [];
}
