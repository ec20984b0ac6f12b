// mdsp/filter-operator: an operator MindSphere does not allow on that attribute (seed §8.5), such as `ge` on
// timestamp (only gt = "after" and le = "before" work), `ne`, `not`, or `contains` on a Time Series assetId.
import type { Comparison, UnaryNode } from '../../odata';
import type { RawFix, RequestContext, Rule } from '../rule';
import { ENTITY_LABEL, filterRules, formatDataHubTime, listing, literalTime } from './helpers';

const SECOND = 1000;

/**
 * What the one-second rewrites below do to records between whole seconds: query times have whole seconds (seed §8.3),
 * but IoT Time Series stores milliseconds, so a rewrite is exact only for records on whole seconds.
 */
const WITHIN_SECOND: Partial<Record<Comparison['operator'], string>> = {
  ge: 'exact for records on whole seconds; a record within the second before (such as …:59.500) is returned too',
  lt: 'exact for records on whole seconds; a record within the second before (such as …:59.500) is left out',
  eq: 'it holds every record of that second',
};

/** `ge`/`lt`/`eq` on a timestamp become `gt`/`le` with the instant one second earlier (Data Hub literals have seconds). */
function timestampFixes(rc: RequestContext, c: Comparison): RawFix[] {
  const time = literalTime(c.value);
  if (!time || c.negatedBy) return [];
  const value = rc.filter?.param.value;
  if (!value) return [];
  const before = `'${formatDataHubTime(Math.ceil(time.ms / SECOND) * SECOND - SECOND)}'`;
  const at = `'${formatDataHubTime(Math.floor(time.ms / SECOND) * SECOND)}'`;
  const rewrite = (text: string, title: string): RawFix[] =>
    [{ title, isPreferred: true, edits: [rc.edit(value, c.node.start, c.node.end, text)] }];
  switch (c.operator) {
    case 'ge': return rewrite(`${c.attribute} gt ${before}`, `Rewrite as ${c.attribute} gt ${before} (after the second before)`);
    case 'lt': return rewrite(`${c.attribute} le ${before}`, `Rewrite as ${c.attribute} le ${before} (up to the second before)`);
    case 'eq': return rewrite(`(${c.attribute} gt ${before} and ${c.attribute} le ${at})`,
      `Rewrite as the one-second range ${c.attribute} gt ${before} and ${c.attribute} le ${at}`);
    default: return [];
  }
}

/** `contains(assetId,'x')` → `assetId eq 'x'`: only a suggestion, as it matches less. */
function equalityFix(rc: RequestContext, c: Comparison): RawFix[] {
  const value = rc.filter?.param.value;
  if (!value || c.node.type !== 'call' || c.value?.type !== 'literal' || c.negatedBy) return [];
  const text = `${c.attribute} eq ${c.value.raw}`;
  return [{ title: `Use ${text} (exact match)`, isPreferred: false, edits: [rc.edit(value, c.node.start, c.node.end, text)] }];
}

export const filterOperator: Rule = {
  meta: {
    id: 'mdsp/filter-operator',
    severity: 'error',
    description: "An operator MindSphere does not allow on that attribute, such as 'ge' on timestamp, 'ne', or 'contains' on a Time Series assetId.",
  },
  request(rc, report) {
    const kind = rc.request.entitySet?.kind;
    const filter = rc.filter;
    if (!kind || !filter) return;
    const rules = filterRules(kind);
    const value = filter.param.value;
    let reportedNot: UnaryNode | undefined;
    for (const c of filter.comparisons) {
      const allowed = rules.get(c.attribute);
      if (!allowed) continue; // an attribute MindSphere cannot filter at all: mdsp/filter-attribute says so
      const label = ENTITY_LABEL[kind];
      // Comparisons come in source order, so those under one `not` are next to each other: report each `not` once.
      if (c.negatedBy && c.negatedBy !== reportedNot) {
        reportedNot = c.negatedBy;
        report({ ...rc.at(value, c.negatedBy.start, c.negatedBy.start + 3),
          message: `MindSphere does not support 'not' in ${label} filters: it allows only ${listing(allowed)} on ` +
            `${c.attribute}. Rewrite the condition without 'not'.` });
      }
      if (allowed.includes(c.operator)) continue;
      const why = c.attribute === 'timestamp'
        ? " ('gt' means after, 'le' means before or at)" : '';
      const fixes = c.attribute === 'timestamp' ? timestampFixes(rc, c) : equalityFix(rc, c);
      report({
        ...rc.at(value, c.operatorStart, c.operatorEnd),
        message: `MindSphere does not allow '${c.operator}' on ${c.attribute} of ${label} entities: it accepts only ` +
          `${listing(allowed)} there${why}, and answers anything else with an error.` +
          (fixes[0]?.isPreferred ? ` ${fixes[0].title}${c.attribute === 'timestamp' ? `: ${WITHIN_SECOND[c.operator]}` : ''}.` : ''),
        fixes,
      });
    }
  },
};
