// mdsp/unknown-name: an asset type, aspect, aspect type or variable name that is not in the tenant's schema (given with
// --schema, or fetched by the extension), with a did-you-mean. MindSphere answers unknown names with 400 or 404, and Data
// Hub shows no such entity.
import type { Contract } from '../../contract/model';
import { jsonProperty, type JsonNode } from '../../contract/json';
import { entitySetName } from '../../contract/naming';
import { hasPlaceholder, type RawFix, type Report, type Reporter, type RequestContext, type Rule } from '../rule';
import { didYouMean, suggest } from '../similar';
import type { SchemaAssetType, TenantSchema } from '../tenant-schema';

interface EntityInfo {
  readonly assetTypeId: string;
  readonly aspectName: string;
  readonly aspectTypeId: string;
}

interface SchemaIndex {
  /** Aspect name → aspect type id, over all asset types. */
  readonly aspects: Map<string, string>;
  /** TS_… and AGGR_… entity-set name → what it stands for. */
  readonly entitySets: Map<string, EntityInfo>;
}

const indexes = new WeakMap<TenantSchema, SchemaIndex>();

/** The aspects of an asset type including those it inherits from its parent types. */
export function allAspects(schema: TenantSchema, type: SchemaAssetType): Map<string, string> {
  const out = new Map<string, string>();
  const seen = new Set<string>();
  for (let t: SchemaAssetType | undefined = type; t && !seen.has(t.id); t = t.parentTypeId ? schema.assetTypes.get(t.parentTypeId) : undefined) {
    seen.add(t.id);
    for (const [name, typeId] of t.aspects) if (!out.has(name)) out.set(name, typeId);
  }
  return out;
}

function indexOf(schema: TenantSchema): SchemaIndex {
  let index = indexes.get(schema);
  if (!index) {
    index = { aspects: new Map(), entitySets: new Map() };
    for (const type of schema.assetTypes.values()) {
      for (const [aspectName, aspectTypeId] of allAspects(schema, type)) {
        index.aspects.set(aspectName, aspectTypeId);
        for (const kind of ['timeSeries', 'aggregate'] as const) {
          index.entitySets.set(entitySetName(kind, aspectTypeId, aspectName, type.id), { assetTypeId: type.id, aspectName, aspectTypeId });
        }
      }
    }
    indexes.set(schema, index);
  }
  return index;
}

const renameFixes = (start: number, end: number, suggestions: readonly string[], wrong: string): RawFix[] =>
  suggestions.map((s) => ({
    title: `Change to '${s}'`,
    // Only a difference in letter case is certain enough to apply unasked.
    isPreferred: suggestions.length === 1 && s.toLowerCase() === wrong.toLowerCase(),
    edits: [{ start, end, newText: s }],
  }));

const IN_REQUEST = 'MindSphere answers unknown names with HTTP 400 or 404';
const IN_CONTRACT = 'Asset Manager cannot publish a contract with names the tenant does not have';

function unknown(what: string, name: string, candidates: Iterable<string>, at: { start: number; end: number },
  where = '', consequence = IN_REQUEST): Report {
  const suggestions = suggest(name, candidates);
  return { ...at, message: `The tenant has no ${what} '${name}'${where ? ` in ${where}` : ''}: ${consequence}.` +
    `${didYouMean(suggestions)} (Checked against the tenant schema; refresh it if the name is new.)`,
  fixes: renameFixes(at.start, at.end, suggestions, name) };
}

/** Variable names of a comma-separated `select`, each with its decoded range (`flow.sum` checks `flow`). */
function checkSelect(rc: RequestContext, report: Reporter, variables: readonly string[] | undefined): void {
  const select = rc.param('select');
  if (!select || !variables || hasPlaceholder(select.value.text)) return;
  let at = 0;
  for (const part of select.value.text.split(',')) {
    const lead = part.length - part.trimStart().length;
    const name = part.trim().split('.')[0] ?? '';
    if (name && !variables.includes(name)) {
      report(unknown('variable', name, variables, rc.at(select.value, at + lead, at + lead + name.length)));
    }
    at += part.length + 1;
  }
}

function checkRequest(rc: RequestContext, schema: TenantSchema, report: Reporter): void {
  const request = rc.request;
  const index = indexOf(schema);
  const variablesOf = (aspectTypeId: string | undefined) => (aspectTypeId ? schema.aspectTypes.get(aspectTypeId)?.variables : undefined);
  if (request.kind === 'timeseries' && request.resource[0] === 'timeseries') {
    const aspect = request.resource[2];
    const range = request.resourceRanges[2];
    if (aspect && range && !hasPlaceholder(aspect)) {
      if (!index.aspects.has(aspect)) report(unknown('aspect', aspect, index.aspects.keys(), range));
      else checkSelect(rc, report, variablesOf(index.aspects.get(aspect)));
    }
  }
  if (request.kind === 'aggregates') {
    const param = rc.param('aspectName');
    const aspect = param?.value.text.trim() ?? '';
    if (param && aspect && !hasPlaceholder(aspect)) {
      if (!index.aspects.has(aspect)) report(unknown('aspect', aspect, index.aspects.keys(), { start: param.value.sourceStart, end: param.value.sourceEnd }));
      else checkSelect(rc, report, variablesOf(index.aspects.get(aspect)));
    }
  }
  const set = request.entitySet;
  if (set && (set.kind === 'timeSeries' || set.kind === 'aggregate') && /^(TS|AGGR)_/.test(set.name)) {
    const info = index.entitySets.get(set.name);
    if (!info) {
      const prefix = set.name.startsWith('TS_') ? 'TS_' : 'AGGR_';
      report(unknown('Data Hub entity set', set.name, [...index.entitySets.keys()].filter((n) => n.startsWith(prefix)), set));
    } else if (set.kind === 'aggregate' && rc.filter) {
      const variables = variablesOf(info.aspectTypeId) ?? [];
      for (const c of rc.filter.comparisons) {
        if (c.attribute !== 'variableName' || c.value?.type !== 'literal' || c.value.kind !== 'string') continue;
        const name = String(c.value.value);
        if (!hasPlaceholder(name) && !variables.includes(name)) {
          report(unknown('variable', name, variables, rc.at(rc.filter.param.value, c.value.start + 1, c.value.end - 1)));
        }
      }
    }
  }
  if (set?.kind === 'asset' && rc.filter) {
    for (const c of rc.filter.comparisons) {
      if (c.attribute !== 'typeId' || c.value?.type !== 'literal' || c.value.kind !== 'string') continue;
      const id = String(c.value.value);
      if (!hasPlaceholder(id) && !schema.assetTypes.has(id)) {
        report(unknown('asset type', id, schema.assetTypes.keys(), rc.at(rc.filter.param.value, c.value.start + 1, c.value.end - 1)));
      }
    }
  }
  const assetFilter = rc.assetFilter;
  if (assetFilter && assetFilter.result.errors.length === 0) {
    const visit = (node: JsonNode | undefined, field?: string): void => {
      if (!node) return;
      if (node.type === 'string' && (field === 'typeId' || field === 'hasType') && !hasPlaceholder(node.value) && !schema.assetTypes.has(node.value)) {
        report(unknown('asset type', node.value, schema.assetTypes.keys(), rc.at(assetFilter.param.value, node.start + 1, node.end - 1)));
      } else if (node.type === 'object') {
        // A startsWith, endsWith or contains value is part of a type id, not one: nothing to look up.
        for (const p of node.properties) visit(p.value, p.key === 'typeId' || p.key === 'hasType' ? p.key : PARTIAL_MATCH.has(p.key) ? undefined : field);
      } else if (node.type === 'array') node.items.forEach((i) => visit(i, field));
    };
    visit(assetFilter.result.root);
  }
}

/** Asset filter functions that match a part of a value. */
const PARTIAL_MATCH: ReadonlySet<string> = new Set(['startsWith', 'endsWith', 'contains']);

/** The value range of a property inside the string quotes (so a fix replaces the name, not the quotes). */
function inner(node: JsonNode | undefined, key: string): { start: number; end: number } | undefined {
  const v = jsonProperty(node, key)?.value;
  return v?.type === 'string' ? { start: v.start + 1, end: v.end - 1 } : undefined;
}

function checkContract(contract: Contract, schema: TenantSchema, report: Reporter): void {
  for (const type of contract.assetTypes) {
    const known = schema.assetTypes.get(type.id);
    const idAt = inner(type.node, 'id');
    if (!type.id) continue;
    if (!known) {
      if (idAt) report(unknown('asset type', type.id, schema.assetTypes.keys(), idAt, '', IN_CONTRACT));
      continue;
    }
    const aspects = allAspects(schema, known);
    for (const aspect of type.aspects) {
      const nameAt = inner(aspect.node, 'name');
      const typeAt = inner(aspect.node, 'aspectType');
      if (aspect.name && !aspects.has(aspect.name)) {
        if (nameAt) report(unknown('aspect', aspect.name, aspects.keys(), nameAt, type.id, IN_CONTRACT));
        continue;
      }
      const expectedType = aspects.get(aspect.name);
      if (aspect.aspectType && expectedType && aspect.aspectType !== expectedType && typeAt) {
        report({ ...typeAt, message: `The aspect '${aspect.name}' of ${type.id} has the aspect type '${expectedType}' in ` +
          `the tenant, not '${aspect.aspectType}': the contract would publish the wrong columns.`,
        fixes: [{ title: `Change to '${expectedType}'`, isPreferred: true, edits: [{ ...typeAt, newText: expectedType }] }] });
        continue;
      }
      const variables = schema.aspectTypes.get(aspect.aspectType)?.variables;
      if (!variables) continue;
      for (const variable of aspect.variables) {
        const at = inner(variable.node, 'name');
        if (variable.name && at && !variables.includes(variable.name)) {
          report(unknown('variable', variable.name, variables, at, aspect.aspectType, IN_CONTRACT));
        }
      }
    }
  }
}

export const unknownName: Rule = {
  meta: {
    id: 'mdsp/unknown-name',
    severity: 'error',
    description: "An asset type, aspect or variable name that is not in the tenant's schema, with did-you-mean (only when a schema is given).",
  },
  request(rc, report) {
    if (rc.schema) checkRequest(rc, rc.schema, report);
  },
  contract({ parsed, schema }, report) {
    if (schema) checkContract(parsed.contract, schema, report);
  },
};
