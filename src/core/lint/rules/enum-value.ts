// mdsp/enum-value: an enumeration value MindSphere rejects, with a did-you-mean: Data Hub interval units (seed §8.4:
// days, minutes, seconds), Aggregates v4 units (minute, hour, day, week, month), sort directions, latestValue.
import { AGGREGATE_UNITS, ASSET_SORT_DIRECTIONS, DATA_HUB_INTERVAL_UNITS, TIME_SERIES_SORT_ORDERS } from '../../limits';
import { hasPlaceholder, type Reporter, type RequestContext, type Rule } from '../rule';
import type { Mapped } from '../text';
import { didYouMean, suggest } from '../similar';
import { listing } from './helpers';

function reportValue(rc: RequestContext, report: Reporter, where: { value: Mapped; start: number; end: number },
  actual: string, allowed: readonly string[], what: string, quote = ''): void {
  const suggestions = suggest(actual, allowed);
  report({
    ...rc.at(where.value, where.start, where.end),
    message: `${what} must be one of ${listing(allowed, "'", 'or')}, not '${actual}': MindSphere answers other values with an error.` +
      didYouMean(suggestions),
    fixes: suggestions.map((s) => ({
      title: `Change to '${s}'`,
      isPreferred: suggestions.length === 1,
      edits: [rc.edit(where.value, where.start, where.end, `${quote}${s}${quote}`)],
    })),
  });
}

/** A whole REST parameter value checked against a list. */
function checkParam(rc: RequestContext, report: Reporter, name: string, allowed: readonly string[], what: string): void {
  const param = rc.param(name);
  const text = param?.value.text.trim() ?? '';
  if (!param || !text || hasPlaceholder(text) || allowed.includes(text)) return;
  reportValue(rc, report, { value: param.value, start: 0, end: param.value.text.length }, text, allowed, what);
}

export const enumValue: Rule = {
  meta: {
    id: 'mdsp/enum-value',
    severity: 'error',
    description: 'An enumeration value MindSphere rejects (Data Hub and Aggregates v4 interval units, sort directions, latestValue), with a did-you-mean.',
  },
  request(rc, report) {
    const request = rc.request;
    const filter = rc.filter;
    if (filter && request.entitySet?.kind === 'aggregate') {
      for (const c of filter.comparisons) {
        if (c.attribute !== 'intervalUnit' || c.value?.type !== 'literal' || c.value.kind !== 'string') continue;
        const unit = String(c.value.value);
        if (hasPlaceholder(unit) || DATA_HUB_INTERVAL_UNITS.value.includes(unit)) continue;
        reportValue(rc, report, { value: filter.param.value, start: c.value.start, end: c.value.end }, unit,
          DATA_HUB_INTERVAL_UNITS.value, 'A Data Hub intervalUnit', "'");
      }
    }
    if (request.kind === 'aggregates' && request.version === 'v4') {
      checkParam(rc, report, 'intervalUnit', AGGREGATE_UNITS.value.map((u) => u.unit), 'An Aggregates v4 intervalUnit');
    }
    if (request.kind === 'timeseries') {
      const sort = rc.param('sort')?.value.text.trim() ?? '';
      // A sort by a field is mdsp/orderby-timeseries; here only a misspelt direction (ASC, descending).
      if (/^(asc|desc)(ending)?$/i.test(sort)) checkParam(rc, report, 'sort', TIME_SERIES_SORT_ORDERS.value, 'IoT Time Series sort');
      checkParam(rc, report, 'latestValue', ['true', 'false'], 'latestValue');
    }
    if (request.kind === 'asset') {
      const sort = rc.param('sort');
      const text = sort?.value.text ?? '';
      const comma = text.lastIndexOf(',');
      if (sort && comma >= 0 && !hasPlaceholder(text)) {
        const direction = text.slice(comma + 1).trim();
        const start = comma + 1 + (text.slice(comma + 1).length - text.slice(comma + 1).trimStart().length);
        if (direction && !(ASSET_SORT_DIRECTIONS.value as readonly string[]).includes(direction)) {
          reportValue(rc, report, { value: sort.value, start, end: start + direction.length }, direction,
            ASSET_SORT_DIRECTIONS.value, 'The Asset Management sort direction');
        }
      }
    }
  },
};
