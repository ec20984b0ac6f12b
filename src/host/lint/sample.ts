// "Open Sample Requests" (the walkthrough's "Lint a query" step): a .http file with a request MindSphere would refuse,
// to see a squiggle, its quick fix and "Run with MindSphere" without writing anything first.
import * as vscode from 'vscode';

const SAMPLE = 'sample.http';

/**
 * Opens the user's copy of the sample, in the extension's global storage: a file of its own, so edits (the quick fix)
 * can be saved and nothing is written into the workspace. An existing copy is opened as it is, never overwritten.
 */
export async function openSample(context: vscode.ExtensionContext): Promise<vscode.TextEditor> {
  const copy = vscode.Uri.joinPath(context.globalStorageUri, SAMPLE);
  const exists = await vscode.workspace.fs.stat(copy).then(() => true, () => false);
  if (!exists) {
    await vscode.workspace.fs.createDirectory(context.globalStorageUri);
    await vscode.workspace.fs.copy(vscode.Uri.joinPath(context.extensionUri, 'media', 'walkthrough', SAMPLE), copy);
  }
  return vscode.window.showTextDocument(copy);
}
