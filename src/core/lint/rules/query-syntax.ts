// mdsp/query-syntax: a $filter or $orderby that does not parse, or a paging number that is not a whole number.
// MindSphere answers these with HTTP 400; the parser says where and what it expected.
import type { SyntaxError } from '../../odata';
import { hasPlaceholder, type RequestContext, type Reporter, type Rule } from '../rule';
import type { RequestParam } from '../requests';

/** Whole-number parameters per kind of request. */
const NUMERIC: Readonly<Record<string, readonly string[]>> = {
  odata: ['$top', '$skip'],
  timeseries: ['limit'],
  asset: ['size', 'page'],
  aggregates: ['count'],
};

function reportSyntax(rc: RequestContext, param: RequestParam, errors: readonly SyntaxError[], report: Reporter): void {
  const value = param.value;
  const end = value.text.trimEnd().length;
  for (const e of errors) {
    // A URL string that code continues with `+ x` ends mid-expression on purpose: that is not a mistake.
    if (rc.request.continuesInCode && e.start >= end && e.expected) continue;
    const fixes = e.fix ? [{
      title: e.fix.title,
      // Lower-casing a keyword and re-quoting a string keep the meaning; closing a bracket is a guess about intent.
      isPreferred: !/missing|Close/.test(e.fix.title),
      edits: [rc.edit(value, e.fix.start, e.fix.end, e.fix.newText)],
    }] : [];
    report({ ...rc.at(value, e.start, e.end), message: `${param.name}: ${e.message}`, fixes });
  }
}

export const querySyntax: Rule = {
  meta: {
    id: 'mdsp/query-syntax',
    severity: 'error',
    description: 'A $filter or $orderby that is not valid OData, or a $top, $skip, limit, size, page or count that is not a whole number.',
  },
  request(rc, report) {
    const filter = rc.filter;
    if (filter) reportSyntax(rc, filter.param, filter.result.errors, report);
    const orderBy = rc.orderBy;
    if (orderBy) reportSyntax(rc, orderBy.param, orderBy.result.errors, report);
    for (const name of NUMERIC[rc.request.kind] ?? []) {
      const param = rc.param(name);
      const text = param?.value.text.trim();
      if (!param || text === undefined || hasPlaceholder(text) || /^\d+$/.test(text)) continue;
      report({ start: param.value.sourceStart, end: param.value.sourceEnd,
        message: `${name} must be a whole number of 0 or more, not '${text}': MindSphere rejects the request with HTTP 400.` });
    }
  },
};
