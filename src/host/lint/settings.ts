// The Lint settings section (`mdsp.lint.*`), read per resource, and the include/exclude globs applied to a document.
import * as vscode from 'vscode';
import type { RuleSetting } from '../../core/lint/types';

export interface LintSettings {
  readonly enable: boolean;
  /** Rule id → off | information | warning | error (the linter's `rules` option as is). */
  readonly rules: Readonly<Record<string, RuleSetting>>;
  /** Globs of files to check; empty means every file the linter reads. */
  readonly include: readonly string[];
  readonly exclude: readonly string[];
}

const RULE_SETTINGS: ReadonlySet<string> = new Set(['off', 'information', 'warning', 'error']);

export function lintSettings(scope: vscode.Uri): LintSettings {
  const config = vscode.workspace.getConfiguration('mdsp.lint', scope);
  const rules: Record<string, RuleSetting> = {};
  // A hand-edited settings.json may hold anything: keep only values the linter understands.
  for (const [id, value] of Object.entries(config.get<Record<string, unknown>>('rules') ?? {})) {
    if (typeof value === 'string' && RULE_SETTINGS.has(value)) rules[id] = value as RuleSetting;
  }
  const globs = (key: string): string[] => (config.get<unknown[]>(key) ?? []).filter((g): g is string => typeof g === 'string' && g.trim() !== '');
  return { enable: config.get<boolean>('enable', true), rules, include: globs('include'), exclude: globs('exclude') };
}

/** A glob as a document filter: relative to the document's workspace folder when it has one, else on the absolute path. */
function filters(glob: string, folder: vscode.WorkspaceFolder | undefined): vscode.DocumentFilter[] {
  return folder ? [{ pattern: new vscode.RelativePattern(folder, glob) }, { pattern: glob }] : [{ pattern: glob }];
}

/** True when the include/exclude globs let the linter check this document. */
export function globsAllow(document: vscode.TextDocument, settings: LintSettings): boolean {
  const folder = vscode.workspace.getWorkspaceFolder(document.uri);
  const matches = (glob: string) => vscode.languages.match(filters(glob, folder), document) > 0;
  if (settings.include.length > 0 && !settings.include.some(matches)) return false;
  return !settings.exclude.some(matches);
}
