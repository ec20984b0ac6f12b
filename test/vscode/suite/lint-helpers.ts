// Helpers for the lint suites inside VS Code: files in the test workspace, waiting for diagnostics, and a scripted Ui
// that records what the extension would have shown the user.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { MindSphereMakersApi } from '../../../src/host/extension';
import type { Ui } from '../../../src/host/ui';

export const EXTENSION_ID = 'mindsphere-makers.mindsphere-makers';

export async function activateExtension(): Promise<MindSphereMakersApi> {
  const ext = vscode.extensions.getExtension<MindSphereMakersApi>(EXTENSION_ID);
  assert.ok(ext, `extension ${EXTENSION_ID} is not loaded`);
  return ext.activate();
}

export function workspaceFile(name: string): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, 'the tests run with a workspace folder open');
  return vscode.Uri.joinPath(folder.uri, name);
}

export async function writeFile(name: string, text: string): Promise<vscode.Uri> {
  const uri = workspaceFile(name);
  await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(text));
  return uri;
}

export async function openFile(name: string, text: string): Promise<vscode.TextEditor> {
  const uri = await writeFile(name, text);
  return vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri));
}

/** Our diagnostics of a document (source "MindSphere"). */
export function mindSphereDiagnostics(uri: vscode.Uri): vscode.Diagnostic[] {
  return vscode.languages.getDiagnostics(uri).filter((d) => d.source === 'MindSphere');
}

export function codeOf(d: vscode.Diagnostic): string {
  return typeof d.code === 'object' ? String(d.code.value) : String(d.code);
}

/** Waits until the diagnostics of `uri` satisfy `predicate` (checked now and on every change), or fails after `ms`. */
export function waitForDiagnostics(uri: vscode.Uri, predicate: (d: vscode.Diagnostic[]) => boolean, ms = 10_000, what = 'diagnostics'): Promise<vscode.Diagnostic[]> {
  return new Promise((resolve, reject) => {
    const check = () => {
      const current = mindSphereDiagnostics(uri);
      if (!predicate(current)) return false;
      done();
      resolve(current);
      return true;
    };
    const subscription = vscode.languages.onDidChangeDiagnostics((e) => {
      if (e.uris.some((u) => u.toString() === uri.toString())) check();
    });
    const timer = setTimeout(() => {
      done();
      reject(new Error(`timed out waiting for ${what} of ${uri.path}; have: ${JSON.stringify(mindSphereDiagnostics(uri).map((d) => `${codeOf(d)} ${d.message}`))}`));
    }, ms);
    const done = () => {
      clearTimeout(timer);
      subscription.dispose();
    };
    check();
  });
}

/** A Ui that answers confirmations with yes (questions with their first action) and records every message instead of showing it. */
export function scriptedUi(): Ui & { errors: string[]; infos: string[]; reports: string[] } {
  const errors: string[] = [];
  const infos: string[] = [];
  const reports: string[] = [];
  return {
    errors,
    infos,
    reports,
    input: async () => undefined,
    pick: async () => undefined,
    confirm: async () => true,
    choose: async (_message, _detail, ...actions) => actions[0],
    info: async (message) => { infos.push(message); return undefined; },
    warn: async (message) => { infos.push(message); return undefined; },
    error: async (message) => { errors.push(message); return undefined; },
    progress: (_title, task) => task(new AbortController().signal, (message) => reports.push(message)),
    copy: async () => undefined,
    openDocument: async (content, language) => {
      await vscode.window.showTextDocument(await vscode.workspace.openTextDocument({ content, language }));
    },
  };
}

/** Replaces the text of a range the way typing does (one edit through the editor). */
export async function type(editor: vscode.TextEditor, at: vscode.Position, text: string): Promise<void> {
  const ok = await editor.edit((b) => b.insert(at, text));
  assert.ok(ok, 'the edit was applied');
}

/** Closes every editor; untitled documents (the deployment settings a command opens) are reverted first, so no "Save?" dialog comes up. */
export async function closeAllEditors(): Promise<void> {
  for (const document of vscode.workspace.textDocuments) {
    if (!document.isUntitled || !document.isDirty) continue;
    await vscode.window.showTextDocument(document);
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  }
  await vscode.commands.executeCommand('workbench.action.closeAllEditors');
}
