// Quick fixes: every fix the linter offers for a finding under the cursor, the canonical one preferred; and the source
// action "Fix all MindSphere problems in this file" (source.fixAll.mdsp), which `editor.codeActionsOnSave` can run too.
import * as vscode from 'vscode';
import { fixEdit, ruleIdOf, toDiagnostic, toRange } from './convert';
import type { LintDiagnostics } from './diagnostics';
import { documentFileName } from './documents';
import type { Engine } from './index';

export const FIX_ALL_KIND = vscode.CodeActionKind.SourceFixAll.append('mdsp');
export const FIX_ALL_TITLE = 'Fix all MindSphere problems in this file';

export class LintCodeActions implements vscode.CodeActionProvider {
  static readonly metadata: vscode.CodeActionProviderMetadata = {
    providedCodeActionKinds: [vscode.CodeActionKind.QuickFix, FIX_ALL_KIND],
  };

  constructor(private readonly diagnostics: LintDiagnostics, private readonly loadEngine: () => Promise<Engine>) {}

  async provideCodeActions(document: vscode.TextDocument, range: vscode.Range | vscode.Selection,
    context: vscode.CodeActionContext): Promise<vscode.CodeAction[]> {
    const actions: vscode.CodeAction[] = [];
    const findings = await this.diagnostics.findingsOf(document);
    if (!context.only || context.only.contains(vscode.CodeActionKind.QuickFix)) {
      for (const finding of findings) {
        const findingRange = toRange(finding.range);
        if (!findingRange.intersection(range) || finding.fixes.length === 0) continue;
        // Attach the diagnostic VS Code shows (so the fix is listed under it), or an equal one when it is not in view.
        const diagnostic = context.diagnostics.find((d) => ruleIdOf(d) === finding.ruleId && d.range.isEqual(findingRange))
          ?? toDiagnostic(finding, this.diagnostics.diagnosticContext);
        for (const fix of finding.fixes) {
          const action = new vscode.CodeAction(fix.title, vscode.CodeActionKind.QuickFix);
          action.edit = fixEdit(document.uri, fix);
          action.isPreferred = fix.isPreferred;
          action.diagnostics = [diagnostic];
          actions.push(action);
        }
      }
    }
    // Only when source actions are asked for ("Source Action…", codeActionsOnSave): the lightbulb asks without `only`
    // after every cursor move and never shows source actions, and fixing a whole file is a full pass of the linter.
    if (context.only?.contains(FIX_ALL_KIND) && findings.some((f) => f.fixes.some((x) => x.isPreferred))) {
      const edit = await this.fixAllEdit(document);
      if (edit) {
        const action = new vscode.CodeAction(FIX_ALL_TITLE, FIX_ALL_KIND);
        action.edit = edit.edit;
        actions.push(action);
      }
    }
    return actions;
  }

  /**
   * The edit that applies every safe (preferred) fix of a document, pass after pass until nothing changes, as one
   * minimal replacement; undefined when there is nothing to fix.
   */
  async fixAllEdit(document: vscode.TextDocument): Promise<{ edit: vscode.WorkspaceEdit; applied: number } | undefined> {
    const engine = await this.loadEngine();
    const fileName = documentFileName(document, engine.isLintable);
    if (!fileName) return undefined;
    const before = document.getText();
    const result = engine.fixDocument({ fileName, text: before }, this.diagnostics.optionsFor(document.uri), engine.linter);
    if (result.applied === 0 || result.text === before) return undefined;
    const change = minimalChange(before, result.text);
    const edit = new vscode.WorkspaceEdit();
    edit.replace(document.uri, new vscode.Range(document.positionAt(change.start), document.positionAt(change.end)), change.newText);
    return { edit, applied: result.applied };
  }
}

/** The one replacement that turns `before` into `after`, keeping their common start and end (and the cursor with it). */
export function minimalChange(before: string, after: string): { start: number; end: number; newText: string } {
  let start = 0;
  const max = Math.min(before.length, after.length);
  while (start < max && before.charCodeAt(start) === after.charCodeAt(start)) start++;
  let tail = 0;
  while (tail < max - start && before.charCodeAt(before.length - 1 - tail) === after.charCodeAt(after.length - 1 - tail)) tail++;
  return { start, end: before.length - tail, newText: after.slice(start, after.length - tail) };
}
