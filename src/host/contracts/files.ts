// The workspace's `*.contract.json` files: found, read and checked, so the Contracts node can say which are published and
// which cannot be, and the commands can read one (an open editor's text wins over the file on disk).
import * as vscode from 'vscode';
import { isContractFile, parseContract, type ParsedContract } from '../../core/contract';
import { BINARY, decodeText } from '../../core/text-file';
import type { ContractFileRef } from '../explorer/nodes';
import { messageOf } from '../util';
import { describeProblems, type FileProblem, fileProblems } from './model';

export const CONTRACT_GLOB = '**/*.contract.json';
const EXCLUDE = '**/{node_modules,.git}/**';
/** More contract files than a person keeps in one workspace: the tree stays quick even in a monorepo. */
const MAX_FILES = 500;

export interface ContractDocument {
  readonly uri: vscode.Uri;
  readonly text: string;
  readonly parsed: ParsedContract;
  readonly problems: readonly FileProblem[];
}

/** Reads and checks a contract file. Never throws for bad content; rejects only when the file cannot be read. */
export async function readContractDocument(uri: vscode.Uri): Promise<ContractDocument> {
  const open = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
  const decoded = open ? { text: open.getText() } : decodeText(await vscode.workspace.fs.readFile(uri));
  if (!decoded) throw new Error(`The file cannot be read as a contract: ${BINARY}.`);
  const { text } = decoded;
  const parsed = parseContract(text);
  return { uri, text, parsed, problems: fileProblems(text, parsed) };
}

/** The workspace's contract files, by path. A file that cannot be read is listed with that problem. */
export async function contractFiles(): Promise<ContractFileRef[]> {
  const uris = await vscode.workspace.findFiles(CONTRACT_GLOB, EXCLUDE, MAX_FILES);
  const files = await Promise.all(uris.map(async (uri): Promise<ContractFileRef> => {
    const relativePath = vscode.workspace.asRelativePath(uri, vscode.workspace.workspaceFolders !== undefined && vscode.workspace.workspaceFolders.length > 1);
    try {
      const doc = await readContractDocument(uri);
      const { name, version } = doc.parsed.contract;
      return { uri, relativePath, name, version, ...(doc.problems.length ? { problem: describeProblems(doc.problems) } : {}) };
    } catch (error) {
      return { uri, relativePath, name: '', version: '', problem: `cannot be read: ${messageOf(error)}` };
    }
  }));
  return files.sort((a, b) => a.relativePath.localeCompare(b.relativePath));
}

/** The contract file of the active editor, if it shows one. */
export function activeContractFile(): vscode.Uri | undefined {
  const uri = vscode.window.activeTextEditor?.document.uri;
  return uri && isContractFile(uri.path) ? uri : undefined;
}
