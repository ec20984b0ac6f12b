import * as vscode from 'vscode';
import type { Log } from './log';

/**
 * The few ways features talk to the user, behind one interface: the real one below uses vscode.window, and the tests
 * inside VS Code swap in a scripted one, so every command's flow (prompts, confirmations, messages) runs end to end.
 */
export interface Ui {
  /** An input box; undefined when the user cancels. */
  input(options: vscode.InputBoxOptions): Promise<string | undefined>;
  pick<T extends vscode.QuickPickItem>(items: readonly T[], options: vscode.QuickPickOptions): Promise<T | undefined>;
  /** A modal question with one action besides Cancel; true when the user chose the action. */
  confirm(message: string, detail: string, action: string): Promise<boolean>;
  /** A modal question with several actions besides Cancel; the action chosen, or undefined for Cancel. */
  choose(message: string, detail: string, ...actions: string[]): Promise<string | undefined>;
  /** Notifications; they resolve to the action the user clicks (callers do not wait for them). */
  info(message: string, ...actions: string[]): Promise<string | undefined>;
  warn(message: string, ...actions: string[]): Promise<string | undefined>;
  /** An error for people: also written to the log, and always offers Show Logs. */
  error(message: string, ...actions: string[]): Promise<string | undefined>;
  /** Runs `task` under a cancellable notification progress; `report` shows how far it is (`2,000 of about 9,000 records`). */
  progress<T>(title: string, task: (signal: AbortSignal, report: (message: string) => void) => Promise<T>): Promise<T>;
  copy(text: string): Promise<void>;
  /** Opens an untitled editor with `content`. */
  openDocument(content: string, language: string): Promise<void>;
}

export const SHOW_LOGS = 'Show Logs';

/** Tells the user a command needs an active connection (and why), with a button that opens the connection picker. */
export function askForConnection(ui: Ui, why = 'the Sandbox, or your binding keys'): void {
  void ui.info(`Choose a MindSphere connection first: ${why}.`, 'Select Connection…')
    .then((a) => a && vscode.commands.executeCommand('mdsp.selectConnection'));
}

export function windowUi(log: Log): Ui {
  const ui: Ui = {
    input: async (options) => vscode.window.showInputBox({ ignoreFocusOut: true, ...options }),
    pick: async (items, options) => vscode.window.showQuickPick(items, { ignoreFocusOut: true, ...options }),
    confirm: async (message, detail, action) => (await ui.choose(message, detail, action)) === action,
    choose: async (message, detail, ...actions) => vscode.window.showWarningMessage(message, { modal: true, detail }, ...actions),
    info: async (message, ...actions) => vscode.window.showInformationMessage(message, ...actions),
    warn: async (message, ...actions) => vscode.window.showWarningMessage(message, ...actions),
    error: async (message, ...actions) => {
      log.error(message);
      const choice = await vscode.window.showErrorMessage(message, ...actions, SHOW_LOGS);
      if (choice === SHOW_LOGS) log.show();
      return choice;
    },
    progress: (title, task) =>
      Promise.resolve(vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title, cancellable: true }, (progress, token) => {
        const controller = new AbortController();
        token.onCancellationRequested(() => controller.abort(new Error('Cancelled.')));
        return task(controller.signal, (message) => progress.report({ message }));
      })),
    copy: async (text) => vscode.env.clipboard.writeText(text),
    openDocument: async (content, language) => {
      await vscode.window.showTextDocument(await vscode.workspace.openTextDocument({ content, language }));
    },
  };
  return ui;
}
