// mdsp/page-limit: MindSphere returns at most 2000 Time Series / Aggregate objects per request and counts the total
// wrong (seed §8.6); Asset Management pages above 2000 are undocumented (API §1.3). Each of these silently truncates.
import { LIMITS } from '../../limits';
import type { Reporter, RequestContext, Rule } from '../rule';
import { ENTITY_LABEL, overMax } from './helpers';

const MAX = LIMITS.maxRecordsPerRequest.value;

function clamp(rc: RequestContext, report: Reporter, name: string, max: number, why: string, preferred = true): void {
  const param = rc.param(name);
  if (!param) return;
  const n = overMax(param.value.text, max);
  if (n === undefined) return;
  report({
    start: param.value.sourceStart,
    end: param.value.sourceEnd,
    message: `${name}=${n} is above ${max}: ${why}`,
    fixes: [{ title: `Clamp ${name} to ${max}`, isPreferred: preferred, edits: [rc.edit(param.value, 0, param.value.text.length, String(max))] }],
  });
}

export const pageLimit: Rule = {
  meta: {
    id: 'mdsp/page-limit',
    severity: 'warning',
    description: '$top, limit or size above 2000; a Time Series or Aggregate query with no upper bound on timestamp; $count on Time Series or Aggregates.',
  },
  request(rc, report) {
    const request = rc.request;
    const kind = request.entitySet?.kind;
    // A write is mdsp/read-only's business; paging only matters for reads.
    const reads = !request.method || request.method === 'GET';
    if (reads && (kind === 'timeSeries' || kind === 'aggregate')) {
      const label = ENTITY_LABEL[kind];
      clamp(rc, report, '$top', MAX, `MindSphere returns at most ${MAX} ${label} objects per request, so the rest is ` +
        `silently cut off. Query consecutive timestamp ranges of fewer than ${MAX} objects each.`);
      for (const [name, on] of [['$count', 'true'], ['$inlinecount', 'allpages']] as const) {
        const param = rc.param(name);
        if (param?.value.text.trim().toLowerCase() !== on) continue;
        report({ start: param.nameStart, end: param.value.sourceEnd,
          message: `MindSphere does not count ${label} objects correctly, so ${name}=${on} reports a wrong total. ` +
            'Page by timestamp instead of relying on the count.',
          fixes: [{ title: `Remove ${name}`, isPreferred: false, edits: [{ start: param.removeStart, end: param.removeEnd, newText: '' }] }] });
      }
      if (request.countSegment) {
        report({ ...request.countSegment,
          message: `MindSphere does not count ${label} objects correctly, so /$count returns a wrong number. Count the ` +
            'objects you read, page by page.' });
      } else {
        // Without an upper timestamp bound a read is still complete when it reads one entity by key, or asks for no more
        // than one response holds anyway ($top=1 for the latest value).
        const top = rc.param('$top')?.value.text.trim() ?? '';
        const bounded = request.entitySet?.byKey || (/^\d+$/.test(top) && Number(top) <= MAX) ||
          rc.filter?.comparisons.some((c) => c.attribute === 'timestamp' && !c.negatedBy &&
            (c.operator === 'le' || c.operator === 'lt' || c.operator === 'eq'));
        if (!bounded && request.entitySet) {
          report({ start: request.entitySet.start, end: request.entitySet.end,
            message: `This ${label} query has no upper bound on timestamp, so MindSphere returns at most ${MAX} objects ` +
              `and silently drops the rest. Add "timestamp le '…'" to $filter and read consecutive ranges.` });
        }
      }
    }
    if (request.kind === 'timeseries' && request.service === 'iottimeseries') {
      clamp(rc, report, 'limit', MAX, `IoT Time Series returns at most ${MAX} records per request; follow the Link ` +
        'header (rel="next") for the rest.');
    }
    if (request.kind === 'asset') {
      clamp(rc, report, 'size', LIMITS.assetPageSizeMax.value, `Asset Management pages larger than ` +
        `${LIMITS.assetPageSizeMax.value} are not documented to work; use pages of ` +
        `${LIMITS.assetPageSizeRecommended.value} (the recommended size) and follow the page links.`);
    }
    if (request.kind === 'aggregates') {
      clamp(rc, report, 'count', MAX, `MindSphere returns at most ${MAX} aggregates per request, so the rest is ` +
        'silently cut off. Use a larger interval or a shorter range.', false);
    }
  },
};
