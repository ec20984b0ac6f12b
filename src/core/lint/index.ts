// The MindSphere linter: pure TypeScript, no file system, no network. The CLI (`mdsp-makers lint`) reads files and passes
// text; the extension passes open documents and turns findings into diagnostics, quick fixes and CodeLenses.
export * from './types';
export { LINTABLE_GLOB, Linter, SKIPPED_FOLDERS, fileKind, findRequests, lintDocument, lintWorkspace, RULE_CRASH, type FileKind, type MindSphereRequest } from './linter';
export { applyFixes, fixDocument, preferredFixes, type AppliedFixes, type FixResult } from './fix';
export { readTenantSchema, type SchemaAspectType, type SchemaAssetType, type TenantSchema, type TenantSchemaResult } from './tenant-schema';
export { RULES, RULES_BY_ID } from './rules';
export type { RuleMeta } from './rule';
export type { RequestKind, RestService } from './requests';

/** Where the documentation of a rule lives in the repository: docs/rules/<rule without mdsp/>.md */
export function ruleDocPath(ruleId: string): string {
  return `docs/rules/${ruleId.replace(/^mdsp\//, '')}.md`;
}
