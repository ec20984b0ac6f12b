// mdsp/contract-schema: a contract file that is not valid JSON or does not match media/schemas/contract.schema.json.
// Asset Manager would not accept it, and the checks that need a well-formed contract cannot run.
import type { Rule } from '../rule';
import { didYouMean, suggest } from '../similar';

export const contractSchema: Rule = {
  meta: {
    id: 'mdsp/contract-schema',
    severity: 'error',
    description: 'A contract file that is not valid JSON or does not match the contract schema (missing, misspelt or mistyped properties).',
  },
  contract({ parsed }, report) {
    for (const e of parsed.json.errors) report({ start: e.start, end: e.end, message: `The contract is not valid JSON: ${e.message}` });
    for (const issue of parsed.issues) {
      const suggestions = issue.allowed && issue.actual !== undefined ? suggest(issue.actual, issue.allowed) : [];
      const newText = (s: string) => JSON.stringify(s);
      report({
        start: issue.start,
        end: issue.end,
        message: issue.message + didYouMean(suggestions),
        fixes: suggestions.map((s) => ({
          title: `Change to "${s}"`,
          isPreferred: suggestions.length === 1 && s.toLowerCase() === issue.actual?.toLowerCase(),
          edits: [{ start: issue.start, end: issue.end, newText: newText(s) }],
        })),
      });
    }
  },
};
