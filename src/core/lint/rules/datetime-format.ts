// mdsp/datetime-format: Data Hub treats OData time fields as strings written YYYY-MM-DDTHH:mm:ss (seed §8.3); REST
// `from`/`to` must be ISO 8601 instants (API §1.4, §1.5).
import { LIMITS } from '../../limits';
import { formatIsoSeconds, parseIsoTime } from '../../time';
import { hasPlaceholder, type RawFix, type Report, type RequestContext, type Rule } from '../rule';
import type { Mapped } from '../text';
import { formatDataHubTime, literalTime, timeText } from './helpers';

const FORM = LIMITS.dataHubDateTimeFormat.value;

/**
 * A raw `+` in a query reads as a space, so `+01:00` arrives as ` 01:00` and the time is rejected. Returns the finding
 * (with the %2B fix) when that is what happened to the decoded range [start, end) of `value`.
 */
function plusAsSpace(rc: RequestContext, value: Mapped, start: number, end: number, what: string): Report | undefined {
  const text = value.text.slice(start, end);
  const space = text.indexOf(' ');
  if (space < 0 || value.isVerbatim || parseIsoTime(text.replace(/^'|'$/g, '').replace(' ', '+')) === undefined) return undefined;
  const source = value.source(start + space);
  if (rc.source[source] !== '+') return undefined; // an encoded space (%20) is not a lost plus sign
  return { ...rc.at(value, start, end),
    message: `${what} reads as '${text}': in a URL query a '+' means a space, so the time-zone offset is lost and ` +
      'MindSphere rejects the time. Encode the plus sign as %2B.',
    fixes: [{ title: "Encode '+' as %2B", isPreferred: true, edits: [{ start: source, end: source + 1, newText: '%2B' }] }] };
}

function checkDataHub(rc: RequestContext, report: Parameters<NonNullable<Rule['request']>>[1]): void {
  const kind = rc.request.entitySet?.kind;
  const filter = rc.filter;
  if (!filter || (kind !== 'timeSeries' && kind !== 'aggregate')) return;
  const value = filter.param.value;
  for (const c of filter.comparisons) {
    if (c.attribute !== 'timestamp' || c.value?.type !== 'literal') continue;
    const literal = c.value;
    const text = timeText(literal);
    if (literal.kind === 'placeholder' || (text !== undefined && hasPlaceholder(text))) continue;
    const time = literalTime(literal);
    if (time?.canonical) continue;
    // Unquoted, `2024-03-01T00:00:00+01:00` reads as a time, a space and `01:00`: the offset belongs to the literal, and
    // rewriting the time alone would leave `01:00` behind and be an hour off.
    const offset = /^ \d{2}(?::?\d{2})?(?![\d:])/.exec(value.text.slice(literal.end, literal.end + 7))?.[0];
    const end = literal.end + (offset?.length ?? 0);
    const plus = time && !offset ? undefined : plusAsSpace(rc, value, literal.start, end,
      `The time ${rc.source.slice(value.source(literal.start), value.source(end))}`);
    if (plus) {
      report(plus);
      continue;
    }
    const fixes: RawFix[] = time ? [{
      title: `Write '${formatDataHubTime(time.ms)}'`,
      isPreferred: time.lossless && !offset,
      edits: [rc.edit(value, literal.start, literal.end, `'${formatDataHubTime(time.ms)}'`)],
    }] : [];
    const what = literal.kind === 'string' ? `the string ${literal.raw}` : `the ${literal.kind === 'number' ? 'number' : 'literal'} ${literal.raw}`;
    report({
      ...rc.at(value, literal.start, literal.end),
      message: time
        ? `Data Hub compares timestamp as a string written ${FORM} in UTC, so ${what} does not match as a time. ` +
          `Write '${formatDataHubTime(time.ms)}'${time.lossless ? '' : ' (Data Hub times have no fractions of a second)'}.`
        : `${what} is not a time: Data Hub compares timestamp as a string written ${FORM}, for example ` +
          `'2024-01-31T23:00:00'.`,
      fixes,
    });
  }
}

function checkRest(rc: RequestContext, report: Parameters<NonNullable<Rule['request']>>[1]): void {
  if (rc.request.kind !== 'timeseries' && rc.request.kind !== 'aggregates') return;
  for (const name of ['from', 'to']) {
    const param = rc.param(name);
    const value = param?.value;
    const text = value?.text.trim() ?? '';
    if (!param || !value || !text || hasPlaceholder(text) || rc.time(name) !== undefined) continue;
    const at = { start: value.sourceStart, end: value.sourceEnd };
    const plus = plusAsSpace(rc, value, 0, value.text.length, `'${name}'`);
    if (plus) {
      report(plus);
      continue;
    }
    let fixed: string | undefined;
    if (/^\d{13}$/.test(text)) fixed = formatIsoSeconds(Number(text));
    else if (/^\d{10}$/.test(text)) fixed = formatIsoSeconds(Number(text) * 1000);
    else if (/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}(:\d{2}(\.\d+)?)?$/.test(text) && parseIsoTime(text.replace(' ', 'T')) !== undefined) {
      fixed = `${text.replace(' ', 'T')}Z`;
    }
    report({ ...at,
      message: `'${name}=${text}' is not an ISO 8601 time, so MindSphere rejects the request with HTTP 400. ` +
        `Write it like 2024-01-31T23:00:00Z${fixed ? ` (here ${fixed})` : ''}.`,
      fixes: fixed ? [{ title: `Write ${fixed}`, isPreferred: true, edits: [rc.edit(value, 0, value.text.length, fixed)] }] : [] });
  }
}

export const datetimeFormat: Rule = {
  meta: {
    id: 'mdsp/datetime-format',
    severity: 'error',
    description: `A Data Hub time literal not written as the string ${FORM}, or an invalid ISO 8601 time in a REST from/to.`,
  },
  request(rc, report) {
    checkDataHub(rc, report);
    checkRest(rc, report);
  },
};
