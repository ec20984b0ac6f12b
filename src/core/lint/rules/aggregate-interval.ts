// mdsp/aggregate-interval: Aggregates v4 accepts only some values per interval unit and a maximum range per request
// (API §1.5: minute 2–60 even, hour 1–24, day 1–90, week 1–12, month 1–3; ranges 24 h / 7 days / 90 days).
import { AGGREGATE_UNITS, aggregateUnitRule } from '../../limits';
import { DAY_MS, formatIsoSeconds, HOUR_MS } from '../../time';
import { hasPlaceholder, type RawFix, type RequestContext, type Rule } from '../rule';
import type { RequestParam } from '../requests';
import { listing } from './helpers';

/** Splitting into more requests than this is not a fix anyone wants: choose a larger unit instead. */
const MAX_SPLIT = 12;

/** `25 hours`, `7 days`: hours below two days, so that 25 hours does not read as `1 day` (over a 24-hour cap). */
function describeMs(ms: number): string {
  const [n, unit] = ms >= 2 * DAY_MS ? [ms / DAY_MS, 'day'] : [ms / HOUR_MS, 'hour'];
  const rounded = +n.toFixed(1);
  return `${rounded} ${unit}${rounded === 1 ? '' : 's'}`;
}
const iso = formatIsoSeconds;

/** Rewrites this request to the first part of the range and appends one copy of the .http block per further part. */
function splitFix(rc: RequestContext, from: RequestParam, to: RequestParam, fromMs: number, toMs: number, capMs: number): RawFix | undefined {
  const parts = Math.ceil((toMs - fromMs) / capMs);
  if (rc.sourceKind !== 'http' || parts > MAX_SPLIT) return undefined;
  const block = rc.source;
  const edited = (a: number, b: number): string => {
    const edits = [rc.edit(from.value, 0, from.value.text.length, iso(a)), rc.edit(to.value, 0, to.value.text.length, iso(b))]
      .sort((x, y) => y.start - x.start);
    let text = block;
    for (const e of edits) text = text.slice(0, e.start) + e.newText + text.slice(e.end);
    return text;
  };
  // New lines as the file writes them, so a CRLF file does not get mixed line endings.
  const eol = block.includes('\r\n') ? '\r\n' : '\n';
  let appended = block.endsWith('\n') ? '' : eol;
  for (let k = 1; k < parts; k++) {
    const copy = edited(fromMs + k * capMs, Math.min(toMs, fromMs + (k + 1) * capMs));
    appended += (copy.startsWith('###') ? '' : `###${eol}`) + copy + (copy.endsWith('\n') ? '' : eol);
  }
  return {
    title: `Split into ${parts} requests of at most ${describeMs(capMs)}`,
    isPreferred: false,
    edits: [
      rc.edit(from.value, 0, from.value.text.length, iso(fromMs)),
      rc.edit(to.value, 0, to.value.text.length, iso(Math.min(toMs, fromMs + capMs))),
      { start: block.length, end: block.length, newText: appended },
    ],
  };
}

export const aggregateInterval: Rule = {
  meta: {
    id: 'mdsp/aggregate-interval',
    severity: 'error',
    description: 'An Aggregates v4 intervalUnit and intervalValue that are not allowed together, or a range over the cap for that unit.',
  },
  request(rc, report) {
    const request = rc.request;
    if (request.kind !== 'aggregates' || request.version !== 'v4') return;
    const unitText = rc.param('intervalUnit')?.value.text.trim() ?? '';
    const rule = aggregateUnitRule(unitText);
    if (!rule) return; // unknown units: mdsp/enum-value
    const valueParam = rc.param('intervalValue');
    const valueText = valueParam?.value.text.trim() ?? '';
    if (valueParam && valueText && !hasPlaceholder(valueText)) {
      const n = Number(valueText);
      if (!/^\d+$/.test(valueText) || !rule.allowedValues.includes(n)) {
        const allowed = rule.allowedValues;
        const nearest = /^\d+$/.test(valueText)
          ? [...allowed].sort((a, b) => Math.abs(a - n) - Math.abs(b - n) || a - b).slice(0, 2).sort((a, b) => a - b) : [];
        report({
          start: valueParam.value.sourceStart,
          end: valueParam.value.sourceEnd,
          message: `Aggregates v4 accepts ${rule.unit} intervals of ${allowed[0]}–${allowed[allowed.length - 1]}` +
            `${rule.unit === 'minute' ? ' in even numbers (aggregates are pre-computed per 2 minutes)' : ''}, ` +
            `not ${valueText}: MindSphere rejects the request with HTTP 400.`,
          fixes: nearest.map((v) => ({ title: `Use intervalValue=${v}`, isPreferred: false,
            edits: [rc.edit(valueParam.value, 0, valueParam.value.text.length, String(v))] })),
        });
      }
    }
    const from = rc.param('from');
    const to = rc.param('to');
    const fromMs = rc.time('from');
    const toMs = rc.time('to');
    if (!from || !to || fromMs === undefined || toMs === undefined || toMs - fromMs <= rule.maxRangeMs) return;
    const larger = AGGREGATE_UNITS.value.filter((u) => u.maxRangeMs >= toMs - fromMs && u.unitMs > rule.unitMs);
    const unitParam = rc.param('intervalUnit');
    const fixes: RawFix[] = [];
    const split = splitFix(rc, from, to, fromMs, toMs, rule.maxRangeMs);
    if (split) fixes.push(split);
    if (larger[0] && unitParam) {
      fixes.push({ title: `Aggregate by ${larger[0].unit} instead`, isPreferred: false, edits: [
        rc.edit(unitParam.value, 0, unitParam.value.text.length, larger[0].unit),
        ...(valueParam ? [rc.edit(valueParam.value, 0, valueParam.value.text.length, '1')] : []),
      ] });
    }
    report({
      start: from.nameStart,
      end: to.value.sourceEnd > from.nameStart ? to.value.sourceEnd : from.value.sourceEnd,
      message: `Aggregates by ${rule.unit} cover at most ${describeMs(rule.maxRangeMs)} per request, and ${iso(fromMs)} to ` +
        `${iso(toMs)} is ${describeMs(toMs - fromMs)}: MindSphere rejects it with HTTP 400. Split the range` +
        (larger.length ? ` or aggregate by ${listing(larger.map((u) => u.unit), "'", 'or')}.` : '.'),
      fixes,
    });
  },
};
