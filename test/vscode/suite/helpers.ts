// Shared by the in-host suites: the extension's services (exposed in test mode only), a scripted Ui that answers the
// prompts of a command the way a person would (refusing answers the prompt's own validation refuses), the secrets the
// suites handled (for the scan at the end), and walking the explorer by labels.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { MindSphereMakersApi } from '../../../src/host/extension';
import type { ExplorerNode } from '../../../src/host/explorer/nodes';
import type { Services } from '../../../src/host/services';
import type { Ui } from '../../../src/host/ui';

export const EXTENSION_ID = 'mindsphere-makers.mindsphere-makers';

/**
 * Every secret the suites handled, in each form it could leak in (plain, base64, and with a client ID the Basic
 * credentials of a token request). secrets.test.ts, which runs after every other suite, scans for them.
 */
export const SEEN_SECRETS: Set<string> = sharedSet(Symbol.for('mdsp.test.seenSecrets'));

/** One Set for all suites: each suite file is bundled with its own copy of this module, so a module-level one is not shared. */
function sharedSet(key: symbol): Set<string> {
  const global = globalThis as Record<symbol, Set<string> | undefined>;
  return (global[key] ??= new Set<string>());
}

export function noteSecret(secret: string, clientId?: string): void {
  SEEN_SECRETS.add(secret);
  SEEN_SECRETS.add(Buffer.from(secret).toString('base64'));
  if (clientId) SEEN_SECRETS.add(Buffer.from(`${clientId}:${secret}`).toString('base64'));
}

export async function services(): Promise<Services> {
  const ext = vscode.extensions.getExtension<MindSphereMakersApi>(EXTENSION_ID);
  assert.ok(ext, `extension ${EXTENSION_ID} is not loaded`);
  const api = await ext.activate();
  assert.ok(api.testing, 'the services are exposed to tests (ExtensionMode.Test)');
  return api.testing;
}

type Pick = (items: readonly vscode.QuickPickItem[]) => vscode.QuickPickItem | undefined;

export interface Message {
  readonly level: 'info' | 'warn' | 'error';
  readonly text: string;
}

/** An input box's answer: text, a cancel (undefined), or what a person would type seeing the box (e.g. its value). */
type Answer = string | undefined | ((options: vscode.InputBoxOptions) => string | undefined);

/**
 * A Ui whose answers the test queues up front; it records every input box, message, copy and opened document. Errors
 * answer with the queued `choices` (an action they offer, e.g. 'Try Again'), else are dismissed.
 */
export class ScriptedUi implements Ui {
  readonly inputs: Answer[] = [];
  readonly asked: vscode.InputBoxOptions[] = [];
  readonly choices: string[] = [];
  readonly picks: Pick[] = [];
  readonly confirms: boolean[] = [];
  /** Answers to modal questions with several actions (choose): the action's label, or undefined for Cancel. */
  readonly answers: (string | undefined)[] = [];
  readonly messages: Message[] = [];
  readonly copied: string[] = [];
  readonly documents: { content: string; language: string }[] = [];
  readonly prompts: string[] = [];

  async input(options: vscode.InputBoxOptions): Promise<string | undefined> {
    this.prompts.push(options.prompt ?? options.title ?? '');
    this.asked.push(options);
    if (this.inputs.length === 0) throw new Error(`unexpected input box: ${options.prompt}`);
    const next = this.inputs.shift();
    const answer = typeof next === 'function' ? next(options) : next;
    if (answer !== undefined && options.validateInput) {
      const problem = await options.validateInput(answer);
      const text = typeof problem === 'string' ? problem : problem?.message;
      if (text) throw new Error(`the input box refused the answer: ${text}`);
    }
    return answer;
  }

  async pick<T extends vscode.QuickPickItem>(items: readonly T[], options: vscode.QuickPickOptions): Promise<T | undefined> {
    const choose = this.picks.shift();
    if (!choose) throw new Error(`unexpected quick pick: ${options.title ?? options.placeHolder}`);
    return choose(items) as T | undefined;
  }

  async confirm(message: string): Promise<boolean> {
    this.prompts.push(message);
    const answer = this.confirms.shift();
    if (answer === undefined) throw new Error(`unexpected confirmation: ${message}`);
    return answer;
  }

  async choose(message: string, _detail: string, ...actions: string[]): Promise<string | undefined> {
    this.prompts.push(message);
    if (this.answers.length === 0) throw new Error(`unexpected question: ${message}`);
    const answer = this.answers.shift();
    if (answer !== undefined && !actions.includes(answer)) throw new Error(`the question '${message}' offers ${actions.join(', ')}, not ${answer}`);
    return answer;
  }

  async info(text: string): Promise<string | undefined> {
    this.messages.push({ level: 'info', text });
    return undefined;
  }

  async warn(text: string): Promise<string | undefined> {
    this.messages.push({ level: 'warn', text });
    return undefined;
  }

  async error(text: string, ...actions: string[]): Promise<string | undefined> {
    this.messages.push({ level: 'error', text });
    const choice = this.choices.shift();
    return choice !== undefined && actions.includes(choice) ? choice : undefined;
  }

  progress<T>(_title: string, task: (signal: AbortSignal, report: (message: string) => void) => Promise<T>): Promise<T> {
    return task(new AbortController().signal, () => {});
  }

  async copy(text: string): Promise<void> {
    this.copied.push(text);
  }

  async openDocument(content: string, language: string): Promise<void> {
    this.documents.push({ content, language });
  }

  errors(): string[] {
    return this.messages.filter((m) => m.level === 'error').map((m) => m.text);
  }
}

/** Waits until `condition` holds, e.g. for what a notification's button started. */
export async function until(condition: () => boolean, what: string, ms = 20_000): Promise<void> {
  for (const end = Date.now() + ms; !condition();) {
    if (Date.now() > end) assert.fail(`${what}: not after ${ms} ms`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** Picks the item whose label contains `text`. */
export const pickLabel = (text: string): Pick => (items) => items.find((i) => i.label.includes(text));

/** Runs `body` with a scripted Ui in place of the real one. */
export async function withUi<T>(s: Services, ui: ScriptedUi, body: () => PromiseLike<T>): Promise<T> {
  const real = s.ui;
  s.ui = ui;
  try {
    return await body();
  } finally {
    s.ui = real;
  }
}

/** The text of the binding keys pop-up of the Service Management Dashboard, for a sandbox. */
export function bindingKeys(sandbox: { clientId: string; tokenUrl: string }, secret: string): string {
  return `clientID\n${sandbox.clientId}\nTokenURL\n${sandbox.tokenUrl}\nclientSecret\n${secret}\n`;
}

/** The first child whose label (as the tree shows it) matches. */
export function childLabelled(s: Services, nodes: readonly ExplorerNode[], label: string | RegExp): ExplorerNode {
  const found = nodes.find((n) => {
    const text = String(s.explorer.getTreeItem(n).label);
    return typeof label === 'string' ? text === label : label.test(text);
  });
  assert.ok(found, `no child labelled ${label} among: ${nodes.map((n) => s.explorer.getTreeItem(n).label).join(', ')}`);
  return found;
}

/** Walks the explorer from its root along labels, returning the last node. */
export async function walk(s: Services, ...labels: (string | RegExp)[]): Promise<ExplorerNode> {
  let node: ExplorerNode | undefined;
  for (const label of labels) node = childLabelled(s, await s.explorer.getChildren(node), label);
  assert.ok(node);
  return node;
}

export function item(s: Services, node: ExplorerNode): vscode.TreeItem {
  return s.explorer.getTreeItem(node);
}
