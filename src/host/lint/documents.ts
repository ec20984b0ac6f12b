// Which documents the MindSphere features look at, and the file name the linter gets for each (it tells formats apart by
// name: code-server gives .http files no language id, and an untitled buffer has no extension until it is saved).
import type * as vscode from 'vscode';

/**
 * How long typing must pause before a changed document is linted and its squiggles change (the benchmark subtracts it;
 * it lives in this module, free of the `vscode` runtime, so the benchmark can import it).
 */
export const LINT_DEBOUNCE_MS = 250;

/** Schemes of documents that hold a user's files (not output channels, git views or settings editors). */
const SCHEMES: ReadonlySet<string> = new Set(['file', 'untitled', 'vscode-vfs', 'vscode-remote']);

const EXTENSION_OF_LANGUAGE: Readonly<Record<string, string>> = {
  http: '.http', typescript: '.ts', typescriptreact: '.tsx', javascript: '.js', javascriptreact: '.jsx', java: '.java',
  csharp: '.cs', python: '.py',
};

/** The name to lint a document under, or undefined when the linter does not read it. */
export function documentFileName(document: vscode.TextDocument, isLintable: (fileName: string) => boolean): string | undefined {
  if (!SCHEMES.has(document.uri.scheme)) return undefined;
  const name = document.uri.scheme === 'file' ? document.uri.fsPath : document.uri.path;
  if (isLintable(name)) return name;
  const extension = document.isUntitled ? EXTENSION_OF_LANGUAGE[document.languageId] : undefined;
  return extension && isLintable(name + extension) ? name + extension : undefined;
}

/**
 * Where the CodeLens, hover and completion providers apply. .http/.rest by pattern, since without REST Client or
 * httpYac they have no language id of their own; code files by language, so untitled buffers work too.
 */
export const QUERY_SELECTOR: vscode.DocumentSelector = [
  { pattern: '**/*.{http,rest}' },
  { language: 'http' },
  ...['typescript', 'typescriptreact', 'javascript', 'javascriptreact', 'java', 'csharp', 'python'].map((language) => ({ language })),
];
