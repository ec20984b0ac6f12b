// Completions inside MindSphere queries: query parameters, Data Hub entity sets, the attributes and operators MindSphere
// can filter with (seed §8.5), enumeration values (seed §8.4, API §1.5) and the tenant schema's aspects and variables.
// Pure (no vscode): the provider in completion.ts only converts these entries.
import {
  AGGREGATE_UNITS, aggregateUnitRule, ASSET_FILTER, DATA_HUB_FILTERS, DATA_HUB_INTERVAL_UNITS, DATA_HUB_SORTABLE,
  type DataHubEntityKind, LIMITS, TIME_SERIES_SORT_ORDERS,
} from '../../core/limits';
import { entitySetName } from '../../core/contract/naming';
import type { ParsedRequest, RequestParam } from '../../core/lint/requests';
import { aspectNames, type TenantSchema } from '../../core/lint/tenant-schema';
import { ENTITY_LABEL } from './hover-info';
import { type FoundRequest, partAt, requestAt } from './locate';

export type CompletionKind = 'param' | 'attribute' | 'operator' | 'function' | 'value' | 'entitySet' | 'variable' | 'keyword';

export interface CompletionEntry {
  readonly label: string;
  readonly kind: CompletionKind;
  readonly detail?: string;
  /** Text to insert when it differs from the label (quoted values); `$0`-free plain text. */
  readonly insertText?: string;
}

export interface CompletionResult {
  readonly items: readonly CompletionEntry[];
  /** Document offsets of the text the chosen entry replaces (the word being typed). */
  readonly start: number;
  readonly end: number;
}

const PARAMS: Readonly<Record<ParsedRequest['kind'], ReadonlyArray<readonly [string, string]>>> = {
  odata: [['$filter', 'what to return (seed §8.5 limits the attributes and operators)'], ['$orderby', 'Time Series and Aggregates: timestamp only'],
    ['$top', `at most ${LIMITS.maxRecordsPerRequest.value}`], ['$skip', 'paging'], ['$select', 'attributes to return']],
  timeseries: [['from', 'exclusive start (ISO 8601)'], ['to', 'inclusive end (ISO 8601)'], ['limit', `at most ${LIMITS.maxRecordsPerRequest.value}`],
    ['select', 'variables, comma-separated'], ['sort', 'asc | desc'], ['latestValue', 'true: the latest value of each variable']],
  aggregates: [['assetId', 'the asset'], ['aspectName', 'the aspect'], ['from', 'start (ISO 8601)'], ['to', 'end (ISO 8601)'],
    ['intervalUnit', 'minute | hour | day | week | month'], ['intervalValue', 'allowed values depend on the unit'], ['count', 'number of intervals'],
    ['select', 'variables, or variable.field']],
  asset: [['filter', 'filter JSON'], ['sort', 'field,asc | field,desc'], ['page', '0-based page'],
    ['size', `items per page (recommended ${LIMITS.assetPageSizeRecommended.value})`], ['includeShared', 'true | false']],
};

/** Every Data Hub entity set the schema's asset types would publish: `Assets`, and TS_/AGGR_ per aspect. */
export function schemaEntitySets(schema: TenantSchema | undefined): Array<{ name: string; kind: DataHubEntityKind; aspectTypeId?: string }> {
  const out: Array<{ name: string; kind: DataHubEntityKind; aspectTypeId?: string }> = [{ name: 'Assets', kind: 'asset' }];
  for (const type of schema?.assetTypes.values() ?? []) {
    for (const [aspect, aspectTypeId] of type.aspects) {
      out.push({ name: entitySetName('timeSeries', aspectTypeId, aspect, type.id), kind: 'timeSeries', aspectTypeId });
      out.push({ name: entitySetName('aggregate', aspectTypeId, aspect, type.id), kind: 'aggregate', aspectTypeId });
    }
  }
  return out;
}

/** The variables of the aspect an entity set or REST path names, from the schema. */
function variablesOf(request: ParsedRequest, schema: TenantSchema | undefined): string[] {
  if (!schema) return [];
  let aspectTypeId: string | undefined;
  if (request.entitySet) aspectTypeId = schemaEntitySets(schema).find((s) => s.name === request.entitySet?.name)?.aspectTypeId;
  else if (request.kind === 'timeseries' && request.resource[2]) aspectTypeId = aspectNames(schema).get(request.resource[2]);
  else if (request.kind === 'aggregates') {
    const aspect = request.params.find((p) => p.name === 'aspectName')?.value.text;
    aspectTypeId = aspect ? aspectNames(schema).get(aspect) : undefined;
  }
  return aspectTypeId ? [...(schema.aspectTypes.get(aspectTypeId)?.variables ?? [])] : [];
}

const REST_API = /\/api\/(?:assetmanagement|iottimeseries|iottsbulk|iottsaggregates)\//;
const word = (text: string, re = /[\w$.]*$/): string => re.exec(text)?.[0] ?? '';

/** Completions for the `$filter` value typed so far (`before` is the decoded text before the cursor). */
function filterCompletions(kind: DataHubEntityKind, before: string, variables: readonly string[]): CompletionEntry[] {
  const rows = DATA_HUB_FILTERS.value.filter((r) => r.entity === kind);
  // Inside a quoted value: `attribute eq 'da|`.
  const quoted = /([\w/]+)\s+(?:eq|ne|gt|ge|lt|le)\s+'[^']*$/.exec(before) ?? /\(\s*([\w/]+)\s*,\s*'[^']*$/.exec(before);
  if (quoted) return valueCompletions(quoted[1] as string, kind, variables, false);
  const rest = before.slice(0, before.length - word(before).length).trimEnd();
  const afterOperator = /([\w/]+)\s+(eq|ne|gt|ge|lt|le)$/.exec(rest);
  if (afterOperator) return valueCompletions(afterOperator[1] as string, kind, variables, true);
  const lastWord = /([\w/]+)$/.exec(rest)?.[1];
  const atExpressionStart = rest === '' || /(?:\(|,|\b(?:and|or|not))$/.test(rest);
  if (!atExpressionStart && lastWord && !/^(?:eq|ne|gt|ge|lt|le|and|or|not)$/.test(lastWord)) {
    // After an attribute: the operators MindSphere allows for it (functions are written before the attribute).
    const allowed = rows.filter((r) => r.attributes.includes(lastWord)).flatMap((r) => r.operators);
    const infix = allowed.filter((o) => o === 'eq' || o === 'gt' || o === 'le');
    return [...infix, ...(infix.length ? ['and', 'or'] : [])].map((o) => ({
      label: o, kind: o === 'and' || o === 'or' ? 'keyword' : 'operator',
      detail: o === 'gt' ? 'after (greater than)' : o === 'le' ? 'before (less than or equal to)' : o === 'eq' ? 'equal' : undefined,
    } as CompletionEntry));
  }
  if (!atExpressionStart) return [];
  const attributes: CompletionEntry[] = rows.flatMap((r) => r.attributes.map((a) => ({
    label: a, kind: 'attribute' as const, detail: `${ENTITY_LABEL[kind]}: ${r.operators.join(', ')}`,
  })));
  const functions: CompletionEntry[] = [...new Set(rows.flatMap((r) => r.operators))]
    .filter((o) => o !== 'eq' && o !== 'gt' && o !== 'le')
    .map((o) => ({ label: o.toLowerCase(), kind: 'function' as const, insertText: `${o.toLowerCase()}(`,
      detail: `${o}(attribute, 'text') on ${rows.filter((r) => r.operators.includes(o)).flatMap((r) => r.attributes).join(', ')}` }));
  return [...attributes, ...functions];
}

function valueCompletions(attribute: string, kind: DataHubEntityKind, variables: readonly string[], quote: boolean): CompletionEntry[] {
  const q = (v: string) => (quote ? `'${v}'` : v);
  if (attribute === 'intervalUnit' && kind === 'aggregate') {
    return DATA_HUB_INTERVAL_UNITS.value.map((v) => ({ label: v, kind: 'value', insertText: q(v), detail: `seed §8.4` }));
  }
  if (attribute === 'variableName') return variables.map((v) => ({ label: v, kind: 'variable', insertText: q(v) }));
  if (attribute === 'timestamp') {
    const now = new Date().toISOString().slice(0, 19);
    return [{ label: now, kind: 'value', insertText: q(now), detail: `the form ${LIMITS.dataHubDateTimeFormat.value} (seed §8.3)` }];
  }
  return [];
}

function restValueCompletions(request: ParsedRequest, name: string, schema: TenantSchema | undefined): CompletionEntry[] {
  if (request.kind === 'aggregates' && name === 'intervalUnit') {
    return AGGREGATE_UNITS.value.map((u) => ({ label: u.unit, kind: 'value', detail: `values ${u.allowedValues[0]}–${u.allowedValues[u.allowedValues.length - 1]}` }));
  }
  if (request.kind === 'aggregates' && name === 'intervalValue') {
    const unit = request.params.find((p) => p.name === 'intervalUnit')?.value.text ?? '';
    const rule = aggregateUnitRule(unit);
    return (rule?.allowedValues ?? []).map((v) => ({ label: String(v), kind: 'value', detail: `allowed with intervalUnit=${unit}` }));
  }
  if (request.kind === 'aggregates' && name === 'aspectName' && schema) {
    return [...aspectNames(schema).keys()].map((a) => ({ label: a, kind: 'variable' }));
  }
  if (request.kind === 'timeseries' && name === 'sort') return TIME_SERIES_SORT_ORDERS.value.map((v) => ({ label: v, kind: 'value' }));
  if (request.kind === 'timeseries' && name === 'latestValue') return [{ label: 'true', kind: 'value' }, { label: 'false', kind: 'value' }];
  if ((request.kind === 'timeseries' || request.kind === 'aggregates') && name === 'select') {
    return variablesOf(request, schema).map((v) => ({ label: v, kind: 'variable' }));
  }
  if (request.kind === 'asset' && name === 'filter') {
    return ASSET_FILTER.value.fields.map((f) => ({ label: f, kind: 'attribute', insertText: `{"${f}":`, detail: 'Asset Management filter field' }));
  }
  return [];
}

/** Completions at a document offset, or undefined when the offset is not inside a MindSphere query. */
export function completionsAt(text: string, fileName: string, offset: number, schema?: TenantSchema): CompletionResult | undefined {
  const found: FoundRequest | undefined = requestAt(text, fileName, offset);
  if (!found) return entitySetCompletions(text, fileName, offset, schema);
  const { request, base } = found;
  const at = offset - base;
  const part = partAt(request, at);
  const typed = word(text.slice(Math.max(0, offset - 100), offset));
  const around = (items: readonly CompletionEntry[]): CompletionResult => ({ items, start: offset - typed.length, end: offset });

  if (part.kind === 'paramName' || (part.kind === 'other' && /[?&]\s*[\w$]*$/.test(text.slice(base + request.start, offset)) && at <= request.queryEnd + 1)) {
    return around(PARAMS[request.kind].map(([label, detail]) => ({ label, kind: 'param', detail, insertText: `${label}=` })));
  }
  if (part.kind === 'entitySet') return entitySetCompletions(text, fileName, offset, schema);
  if (part.kind === 'resource' && request.kind === 'timeseries' && part.index === 2 && schema) {
    return around([...aspectNames(schema).keys()].map((a) => ({ label: a, kind: 'variable', detail: 'aspect of the tenant' })));
  }
  const value = part.kind === 'paramValue' ? { ...part, spaces: '' } : trailingValue(request, text, base, offset);
  if (!value) return undefined;
  const { param } = value;
  const before = param.value.text.slice(0, value.at) + value.spaces;
  // The replaced word, in decoded text, mapped back to the document.
  const decodedWord = word(before, param.name === '$filter' ? /[\w$./]*$/ : /[\w$.-]*$/);
  const replace = (items: readonly CompletionEntry[]): CompletionResult => ({
    items, start: decodedWord ? base + param.value.source(value.at - decodedWord.length) : offset, end: offset,
  });
  if (request.kind === 'odata' && request.entitySet) {
    const kind = request.entitySet.kind;
    if (param.name === '$filter') return replace(filterCompletions(kind, before, variablesOf(request, schema)));
    if (param.name === '$orderby' && kind !== 'asset') {
      const afterField = /\btimestamp\s+\w*$/.test(before);
      return replace(afterField
        ? ['asc', 'desc'].map((d) => ({ label: d, kind: 'keyword' as const }))
        : DATA_HUB_SORTABLE.value[kind].map((f) => ({ label: f, kind: 'attribute' as const, detail: 'the only sortable attribute (seed §8.7)' })));
    }
    if (param.name === '$select') {
      const attributes = kind === 'asset' ? ['assetId', 'name', 'parentId', 'timezone', 'typeId'] : ['assetId', 'timestamp'];
      return replace([...attributes, ...variablesOf(request, schema)].map((a) => ({ label: a, kind: 'attribute' as const })));
    }
    return undefined;
  }
  return replace(restValueCompletions(request, param.name, schema));
}

/**
 * The last parameter's value when the cursor is in the spaces typed after it (`$filter=timestamp |`): the request finder
 * trims them off the URL, but for completion they are part of what is being typed.
 */
function trailingValue(request: ParsedRequest, text: string, base: number, offset: number):
  { param: RequestParam; at: number; spaces: string } | undefined {
  const param = request.params[request.params.length - 1];
  if (!param) return undefined;
  const spaces = text.slice(base + param.value.sourceEnd, offset);
  return /^[ \t]+$/.test(spaces) ? { param, at: param.value.text.length, spaces } : undefined;
}

/** Entity set names for the last path segment of an .http request line (typed before `?`), from the schema. */
function entitySetCompletions(text: string, fileName: string, offset: number, schema: TenantSchema | undefined): CompletionResult | undefined {
  if (!/\.(?:http|rest)$/i.test(fileName)) return undefined;
  const lineStart = text.lastIndexOf('\n', offset - 1) + 1;
  const line = text.slice(lineStart, offset);
  const m = /^\s*(?:(?:GET|HEAD)\s+)?\S*\/([\w]*)$/i.exec(line);
  if (!m || line.includes('?') || REST_API.test(line)) return undefined;
  const typed = m[1] ?? '';
  const items = schemaEntitySets(schema).map((s) => ({ label: s.name, kind: 'entitySet' as const, detail: `Data Hub ${ENTITY_LABEL[s.kind]}` }));
  return { items, start: offset - typed.length, end: offset };
}

