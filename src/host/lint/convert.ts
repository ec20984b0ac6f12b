// Linter data → VS Code objects: a Finding becomes a Diagnostic (source "MindSphere", the rule id as code linking to its
// docs page, related locations), a Fix becomes a WorkspaceEdit.
import * as vscode from 'vscode';
import type { Finding, FindingRange, Fix, Severity } from '../../core/lint/types';

export const DIAGNOSTIC_SOURCE = 'MindSphere';

const SEVERITY: Readonly<Record<Severity, vscode.DiagnosticSeverity>> = {
  error: vscode.DiagnosticSeverity.Error,
  warning: vscode.DiagnosticSeverity.Warning,
  information: vscode.DiagnosticSeverity.Information,
};

/** 1-based line/column of the linter → VS Code's 0-based positions (both count UTF-16 code units). */
export function toRange(r: FindingRange): vscode.Range {
  return new vscode.Range(r.line - 1, r.column - 1, r.endLine - 1, r.endColumn - 1);
}

export interface DiagnosticContext {
  /** The docs page of a rule (`docs/rules/<name>.md`). */
  readonly docsUri: (ruleId: string) => vscode.Uri;
  /** The URI of a file the linter named (related locations point into other files). */
  readonly uriOf: (fileName: string) => vscode.Uri;
}

export function toDiagnostic(finding: Finding, context: DiagnosticContext): vscode.Diagnostic {
  const diagnostic = new vscode.Diagnostic(toRange(finding.range), finding.message, SEVERITY[finding.severity]);
  diagnostic.source = DIAGNOSTIC_SOURCE;
  diagnostic.code = { value: finding.ruleId, target: context.docsUri(finding.ruleId) };
  if (finding.related?.length) {
    diagnostic.relatedInformation = finding.related.map((r) =>
      new vscode.DiagnosticRelatedInformation(new vscode.Location(context.uriOf(r.fileName), toRange(r.range)), r.message));
  }
  return diagnostic;
}

/** The rule id of one of our diagnostics, or undefined for anybody else's. */
export function ruleIdOf(diagnostic: vscode.Diagnostic): string | undefined {
  if (diagnostic.source !== DIAGNOSTIC_SOURCE) return undefined;
  const code = diagnostic.code;
  return typeof code === 'object' ? String(code.value) : code === undefined ? undefined : String(code);
}

/** A fix as an edit of one document. */
export function fixEdit(uri: vscode.Uri, fix: Fix): vscode.WorkspaceEdit {
  const edit = new vscode.WorkspaceEdit();
  for (const e of fix.edits) edit.replace(uri, toRange(e.range), e.newText);
  return edit;
}
