// Everything heavy that the editor features use: the linter with its rules, the OData parser, the request finder. It is
// a bundle of its own (dist/lint.js, HOST_BUNDLES in esbuild.js) that index.ts imports on first use
// (`import('./engine')`), so activation neither reads nor runs it.
import { fileKind, Linter, RULES } from '../../core/lint';

export { fileKind, LINTABLE_GLOB, SKIPPED_FOLDERS, fixDocument, preferredFixes, readTenantSchema, ruleDocPath } from '../../core/lint';
export { completionsAt } from './completion-items';
export { hoverInfo } from './hover-info';
export { findRequests, requestAt, requestOnLine } from './locate';
export { prepareRequest, rangeRead, readsSeries, TOKEN_PLACEHOLDER } from './prepare-request';

/** The extension's own linter: its block cache makes re-linting a document after an edit cheap. */
export const linter = new Linter();

/** Rules whose findings need several files (contracts together): only the workspace check can report them. */
export const CROSS_FILE_RULES: ReadonlySet<string> = new Set(RULES.filter((r) => r.workspace).map((r) => r.meta.id));

/** True when the linter reads files of this name. */
export const isLintable = (fileName: string): boolean => fileKind(fileName) !== undefined;
