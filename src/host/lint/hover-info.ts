// What MindSphere allows at a place in a query, as Markdown for a hover: the rows of the limits table (src/core/limits.ts)
// that govern the parameter or OData attribute under the cursor, each with its source. Pure (no vscode).
import {
  AGGREGATE_UNITS, ASSET_FILTER, ASSET_SORT_DIRECTIONS, DATA_HUB_FILTERS, DATA_HUB_INTERVAL_UNITS, DATA_HUB_METHODS,
  DATA_HUB_SORTABLE, type DataHubEntityKind, LIMITS, TIME_SERIES_SORT_ORDERS,
} from '../../core/limits';
import type { ParsedRequest } from '../../core/lint/requests';
import { type FilterNode, type MemberNode, parseFilter, walkFilter } from '../../core/odata';
import { partAt } from './locate';

export interface HoverInfo {
  readonly markdown: string;
  /** Block-relative source range the hover is about. */
  readonly start: number;
  readonly end: number;
}

export const ENTITY_LABEL: Readonly<Record<DataHubEntityKind, string>> = {
  asset: 'Asset', timeSeries: 'Time Series', aggregate: 'Time Series Aggregate',
};

const code = (items: readonly (string | number)[]): string => items.map((i) => `\`${i}\``).join(', ');
/** The documents behind `API §1.n` in the limits table (the team's API facts), by the names users know them by. */
const API_SECTIONS: Readonly<Record<string, string>> = {
  '1.1': 'MindSphere API gateway', '1.2': 'MindSphere token endpoint (PIAM)', '1.3': 'Asset Management v3 API',
  '1.4': 'IoT Time Series v3 API', '1.5': 'IoT Time Series Aggregates API', '1.6': 'Integrated Data Lake OData contracts',
  '1.7': 'MindSphere rate limits',
};

/**
 * A limit's source as a user can look it up: the limits table cites the team's documents (`seed §8.5` is Mendix's
 * *MindSphere IIoT for Makers* page, `API §1.4` a section of the API facts), which mean nothing outside the project.
 */
export function citation(text: string): string {
  return text
    .replace(/\bseed §/g, 'Mendix, *MindSphere IIoT for Makers* §')
    .replace(/\bAPI §(\d+\.\d+)/g, (whole, section: string) => `Siemens, ${API_SECTIONS[section] ?? whole}`)
    .replace(/\s*\[I\]/g, ' (inferred)');
}

const source = (text: string): string => `\n\n*Source: ${citation(text)}*`;
const DAY_MS = 86_400_000;

/** The filter rows of seed §8.5 for one entity kind, as a Markdown table. */
export function filterTable(kind: DataHubEntityKind, attribute?: string): string {
  const rows = DATA_HUB_FILTERS.value.filter((r) => r.entity === kind && (!attribute || r.attributes.includes(attribute)));
  const lines = ['| Attributes | Operators |', '| --- | --- |', ...rows.map((r) => `| ${code(r.attributes)} | ${code(r.operators)} |`)];
  return lines.join('\n');
}

function aggregateUnitTable(): string {
  const rows = AGGREGATE_UNITS.value.map((u) => {
    const values = u.allowedValues;
    const shown = values.length > 6 ? `${values[0]}–${values[values.length - 1]}${u.unit === 'minute' ? ' (even)' : ''}` : values.join(', ');
    const range = u.maxRangeMs >= DAY_MS ? `${u.maxRangeMs / DAY_MS} days` : `${u.maxRangeMs / 3_600_000} hours`;
    return `| \`${u.unit}\` | ${shown} | ${range} |`;
  });
  return ['| intervalUnit | intervalValue | longest range per request |', '| --- | --- | --- |', ...rows].join('\n') + source(AGGREGATE_UNITS.source);
}

function dataHubAttribute(kind: DataHubEntityKind, attribute: string): string {
  const rows = DATA_HUB_FILTERS.value.filter((r) => r.entity === kind && r.attributes.includes(attribute));
  const label = ENTITY_LABEL[kind];
  let text: string;
  if (rows.length === 0) {
    text = `**${attribute}**: MindSphere cannot filter ${label} entities on this attribute. What it can filter:\n\n${filterTable(kind)}`;
  } else {
    text = `**${attribute}** on ${label}: MindSphere allows ${code(rows.flatMap((r) => r.operators))} ` +
      `(after = \`gt\`, before = \`le\`).\n\n${filterTable(kind)}`;
  }
  text += source(DATA_HUB_FILTERS.source);
  if (attribute === 'intervalUnit' && kind === 'aggregate') {
    text += `\n\nValues: ${code(DATA_HUB_INTERVAL_UNITS.value)}${source(DATA_HUB_INTERVAL_UNITS.source)}`;
  }
  if (attribute === 'timestamp') {
    text += `\n\nWrite times as the string \`${LIMITS.dataHubDateTimeFormat.value}\`.${source(LIMITS.dataHubDateTimeFormat.source)}`;
  }
  return text;
}

/** The member (attribute) of a filter at a decoded offset. */
function memberAt(ast: FilterNode | undefined, at: number): MemberNode | undefined {
  let found: MemberNode | undefined;
  walkFilter(ast, (node) => {
    if (node.type === 'member' && at >= node.start && at <= node.end) found = node;
  });
  return found;
}

function odataParam(request: ParsedRequest, name: string): string | undefined {
  const kind = request.entitySet?.kind;
  if (!kind) return undefined;
  const cap = LIMITS.maxRecordsPerRequest;
  switch (name) {
    case '$filter':
      return `**$filter** on ${ENTITY_LABEL[kind]}: the attributes and operators MindSphere supports.\n\n${filterTable(kind)}` +
        source(DATA_HUB_FILTERS.source);
    case '$orderby':
      return kind === 'asset'
        ? undefined
        : `**$orderby**: ${ENTITY_LABEL[kind]} can only be sorted by ${code(DATA_HUB_SORTABLE.value[kind])}.${source(DATA_HUB_SORTABLE.source)}`;
    case '$top':
      return `**$top**: MindSphere returns at most ${cap.value} Time Series and Aggregate objects per request; ` +
        `split longer ranges by \`timestamp\`.${source(cap.source)}`;
    case '$count':
    case '$inlinecount':
      return `**${name}**: the total MindSphere reports for Time Series and Aggregate queries is not calculated correctly.` +
        source('seed §8.6');
    default:
      return undefined;
  }
}

function restParam(request: ParsedRequest, name: string): string | undefined {
  const cap = LIMITS.maxRecordsPerRequest;
  if (request.kind === 'timeseries') {
    switch (name) {
      case 'limit':
        return `**limit**: at most ${cap.value} records per request (the default too); ` +
          `MindSphere signals more with a \`Link: rel="next"\` header.${source(cap.source)}`;
      case 'from':
      case 'to':
        return `**${name}**: an ISO 8601 instant; the range is (from, to]: \`from\` exclusive, \`to\` inclusive, and ` +
          `\`from\` must be before \`to\`.` +
          (request.service === 'iottsbulk' ? ` A bulk read covers less than ${LIMITS.bulkRangeMaxMs.value / DAY_MS} days.${source(LIMITS.bulkRangeMaxMs.source)}` : source('API §1.4'));
      case 'sort':
        return `**sort**: ${code(TIME_SERIES_SORT_ORDERS.value)} only; records are always ordered by time.${source(TIME_SERIES_SORT_ORDERS.source)}`;
      default:
        return undefined;
    }
  }
  if (request.kind === 'aggregates') {
    if (name === 'intervalUnit' || name === 'intervalValue' || name === 'from' || name === 'to') {
      return `**${name}** (Aggregates v4): the interval and the range must fit together.\n\n${aggregateUnitTable()}`;
    }
    return undefined;
  }
  if (request.kind === 'asset') {
    switch (name) {
      case 'filter':
        return `**filter**: Asset Management filter JSON.\n\nFields: ${code(ASSET_FILTER.value.fields)}\n\n` +
          `Functions: ${code(ASSET_FILTER.value.functions)}; operations: ${code(ASSET_FILTER.value.operations)}.${source(ASSET_FILTER.source)}`;
      case 'size':
        return `**size**: items per page; default ${LIMITS.assetPageSizeDefault.value}, recommended ` +
          `${LIMITS.assetPageSizeRecommended.value}, at most ${LIMITS.assetPageSizeMax.value}.${source(LIMITS.assetPageSizeRecommended.source)}`;
      case 'sort':
        return `**sort**: \`field,direction\` with a direction of ${code(ASSET_SORT_DIRECTIONS.value)}, e.g. \`name,asc\`.${source(ASSET_SORT_DIRECTIONS.source)}`;
      default:
        return undefined;
    }
  }
  return undefined;
}

/** The hover for a block-relative offset in a request, or undefined when MindSphere sets no limit there. */
export function hoverInfo(request: ParsedRequest, offset: number): HoverInfo | undefined {
  const part = partAt(request, offset);
  if (part.kind === 'entitySet' && request.entitySet) {
    const { kind, start, end } = request.entitySet;
    const markdown = `**${request.entitySet.name}**: a Data Hub ${ENTITY_LABEL[kind]} entity set, read-only ` +
      `(${code(DATA_HUB_METHODS.value)}).${source(DATA_HUB_METHODS.source)}\n\n${filterTable(kind)}${source(DATA_HUB_FILTERS.source)}`;
    return { markdown, start, end };
  }
  if (part.kind !== 'paramName' && part.kind !== 'paramValue') return undefined;
  const { param } = part;
  if (part.kind === 'paramValue' && request.kind === 'odata' && param.name === '$filter' && request.entitySet) {
    const member = memberAt(parseFilter(param.value.text).ast, part.at);
    if (member) {
      return { markdown: dataHubAttribute(request.entitySet.kind, member.path),
        start: param.value.source(member.start), end: param.value.source(member.end) };
    }
  }
  const markdown = request.kind === 'odata' ? odataParam(request, param.name) : restParam(request, param.name);
  return markdown ? { markdown, start: param.nameStart, end: param.value.sourceEnd } : undefined;
}
