// mdsp/orderby-timeseries: Time Series and Aggregates can only be sorted by timestamp (seed §8.7). In IoT Time Series
// REST, `sort` takes only a direction (asc|desc): the records are always ordered by time.
import { TIME_SERIES_SORT_ORDERS } from '../../limits';
import type { Rule } from '../rule';
import { hasPlaceholder } from '../rule';
import { ENTITY_LABEL } from './helpers';

const DIRECTION = /^(asc|desc)(?:ending)?$/i;

export const orderByTimeseries: Rule = {
  meta: {
    id: 'mdsp/orderby-timeseries',
    severity: 'error',
    description: 'Time Series or Aggregates sorted by anything but timestamp.',
  },
  request(rc, report) {
    const kind = rc.request.entitySet?.kind;
    const orderBy = rc.orderBy;
    if (orderBy && (kind === 'timeSeries' || kind === 'aggregate')) {
      const value = orderBy.param.value;
      for (const item of orderBy.result.items) {
        const e = item.expression;
        if (e.type === 'member' && e.path === 'timestamp') continue;
        if (e.type === 'error') continue;
        report({
          ...rc.at(value, e.start, e.end),
          message: `MindSphere sorts ${ENTITY_LABEL[kind]} entities only by timestamp, so this $orderby fails with an ` +
            "error. Sort by 'timestamp' here and sort by the value in your app.",
          fixes: [{ title: "Sort by 'timestamp'", isPreferred: false, edits: [rc.edit(value, e.start, e.end, 'timestamp')] }],
        });
      }
    }
    if (rc.request.kind === 'timeseries') {
      const sort = rc.param('sort');
      const text = sort?.value.text.trim() ?? '';
      if (!sort || !text || hasPlaceholder(text) || DIRECTION.test(text)) return; // directions: mdsp/enum-value
      const m = /^([\w.$]+)?\s*[, ]?\s*(asc|desc)?(?:ending)?$/i.exec(text);
      const field = m?.[1];
      const direction = (m?.[2] ?? 'asc').toLowerCase();
      const byTime = field === 'timestamp' || field === '_time';
      report({
        start: sort.value.sourceStart,
        end: sort.value.sourceEnd,
        message: `IoT Time Series 'sort' takes only a direction, ${TIME_SERIES_SORT_ORDERS.value.join(' or ')}: records are ` +
          `always ordered by time, so '${text}' is rejected. Write sort=${direction}` +
          (byTime ? '.' : ' and sort by the value in your app.'),
        fixes: [{ title: `Write sort=${direction}`, isPreferred: byTime, edits: [rc.edit(sort.value, 0, sort.value.text.length, direction)] }],
      });
    }
  },
};
