// mdsp/filter-attribute: a Data Hub $filter on an attribute MindSphere cannot filter for that entity (seed §8.5).
import { collectMembers } from '../../odata';
import type { Rule } from '../rule';
import { didYouMean, suggest } from '../similar';
import { ENTITY_LABEL, filterRules, listing } from './helpers';

export const filterAttribute: Rule = {
  meta: {
    id: 'mdsp/filter-attribute',
    severity: 'error',
    description: 'A Data Hub $filter on an attribute that MindSphere cannot filter for that entity.',
  },
  request(rc, report) {
    const kind = rc.request.entitySet?.kind;
    const filter = rc.filter;
    if (!kind || !filter) return;
    const rules = filterRules(kind);
    const value = filter.param.value;
    for (const member of collectMembers(filter.result.ast)) {
      if (rules.has(member.path)) continue;
      const allowed = [...rules.keys()];
      const suggestions = suggest(member.path, allowed);
      report({
        ...rc.at(value, member.start, member.end),
        message: `MindSphere cannot filter ${ENTITY_LABEL[kind]} entities on '${member.path}': it filters them only on ` +
          `${listing(allowed)} and answers other filters with an error. Filter on those and narrow the result in your app.` +
          didYouMean(suggestions),
        fixes: suggestions.map((s) => ({
          title: `Filter on '${s}'`,
          isPreferred: suggestions.length === 1 && s.toLowerCase() === member.path.toLowerCase(),
          edits: [rc.edit(value, member.start, member.end, s)],
        })),
      });
    }
  },
};
