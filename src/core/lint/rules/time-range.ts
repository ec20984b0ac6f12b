// mdsp/time-range: `from` must be before `to` (from is exclusive, to inclusive: API §1.4), bulk reads need both bounds
// within 90 days, and a Data Hub filter whose timestamp bounds exclude each other matches nothing.
import { LIMITS } from '../../limits';
import { walkFilter } from '../../odata';
import { DAY_MS, formatIsoSeconds } from '../../time';
import { hasPlaceholder, type Reporter, type RequestContext, type Rule } from '../rule';
import { literalTime } from './helpers';

const iso = formatIsoSeconds;

function checkRest(rc: RequestContext, report: Reporter): void {
  const request = rc.request;
  if (request.kind !== 'timeseries' && request.kind !== 'aggregates') return;
  const from = rc.param('from');
  const to = rc.param('to');
  const fromText = from?.value.text.trim() ?? '';
  const toText = to?.value.text.trim() ?? '';
  if (hasPlaceholder(fromText) || hasPlaceholder(toText)) return;
  const fromMs = rc.time('from');
  const toMs = rc.time('to');
  const line = { start: request.start, end: request.end };
  if (from && to && fromMs !== undefined && toMs !== undefined && fromMs >= toMs) {
    report({ start: from.nameStart, end: from.value.sourceEnd,
      message: `'from' (${iso(fromMs)}) is not before 'to' (${iso(toMs)}): 'from' is exclusive and 'to' inclusive, so ` +
        'the range holds no data and MindSphere rejects or returns nothing. Swap them or widen the range.',
      fixes: [{ title: "Swap 'from' and 'to'", isPreferred: false, edits: [
        rc.edit(from.value, 0, from.value.text.length, toText), rc.edit(to.value, 0, to.value.text.length, fromText)] }] });
    return;
  }
  // A path without the entity and aspect (`/api/iottsbulk/v3/timeseries` quoted in a message) is not a request to check.
  if (request.resource.length < 3) return;
  if (request.service === 'iottsbulk') {
    if (!from || !to) {
      report({ ...line, message: `The bulk read API requires both 'from' and 'to' (missing: ${[!from && 'from', !to && 'to']
        .filter(Boolean).join(' and ')}); MindSphere rejects the request without them. Add the missing bound.` });
    } else if (fromMs !== undefined && toMs !== undefined && toMs - fromMs >= LIMITS.bulkRangeMaxMs.value) {
      report({ start: from.nameStart, end: to.value.sourceEnd > from.nameStart ? to.value.sourceEnd : from.value.sourceEnd,
        message: `A bulk read covers less than ${LIMITS.bulkRangeMaxMs.value / DAY_MS} days, and this range is ` +
          `${((toMs - fromMs) / DAY_MS).toFixed(1)} days: MindSphere rejects it. Split it into shorter ranges.` });
    }
    return;
  }
  if (request.kind === 'timeseries' && request.service === 'iottimeseries' && Boolean(from) !== Boolean(to) &&
    rc.param('latestValue')?.value.text.trim() !== 'true') {
    const missing = from ? 'to' : 'from';
    report({ ...line, severity: 'warning',
      message: `This time series read gives '${from ? 'from' : 'to'}' without '${missing}'. MindSphere documents the two ` +
        `together (without both it returns only the latest record), so the result may not be the range you mean. Add '${missing}'.` });
  }
}

function checkDataHub(rc: RequestContext, report: Reporter): void {
  const kind = rc.request.entitySet?.kind;
  const filter = rc.filter;
  if (!filter || (kind !== 'timeSeries' && kind !== 'aggregate')) return;
  // Only a plain conjunction is checked: with `or` a lower and an upper bound may belong to different alternatives.
  // (Read from the tree: 'motor or pump' in a string is not an alternative.)
  let or = false;
  walkFilter(filter.result.ast, (node) => {
    if (node.type === 'binary' && node.operator === 'or') or = true;
  });
  if (or) return;
  let lower: { ms: number; node: { start: number; end: number } } | undefined;
  let upper: { ms: number } | undefined;
  for (const c of filter.comparisons) {
    if (c.attribute !== 'timestamp' || c.negatedBy) continue;
    const t = literalTime(c.value);
    if (!t) continue;
    if ((c.operator === 'gt' || c.operator === 'ge') && (!lower || t.ms > lower.ms)) lower = { ms: t.ms, node: c.node };
    if ((c.operator === 'le' || c.operator === 'lt') && (!upper || t.ms < upper.ms)) upper = { ms: t.ms };
  }
  if (lower && upper && lower.ms >= upper.ms) {
    report({ ...rc.at(filter.param.value, lower.node.start, lower.node.end),
      message: `The timestamp bounds exclude each other (after ${iso(lower.ms)} and before ${iso(upper.ms)}), so this ` +
        'query matches nothing. Swap the two times.' });
  }
}

export const timeRange: Rule = {
  meta: {
    id: 'mdsp/time-range',
    severity: 'error',
    description: "'from' not before 'to', a bulk read without both bounds or over 90 days, or Data Hub timestamp bounds that exclude each other.",
  },
  request(rc, report) {
    checkRest(rc, report);
    checkDataHub(rc, report);
  },
};
