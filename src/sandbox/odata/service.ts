// What a contract publishes, as OData entity sets: `Assets` (the assets of the contract's asset types), and for every
// dynamic aspect of each asset type `TS_{AspectType}_{AspectName}_{AssetType}` (its time series) and
// `AGGR_{AspectType}_{AspectName}_{AssetType}` (its aggregates). Names come from src/core/contract/naming.ts, the
// filterable attributes from seed §8.5 (limits.ts), the only sortable time-series attribute from seed §8.7.
import { entitySetClashes, entitySetName, isODataIdentifier } from '../../core/contract';
import { filterRules } from '../../core/lint/rules/helpers';
import { DATA_HUB_SORTABLE, type DataHubEntityKind, LIMITS } from '../../core/limits';
import { ApiError, badRequest } from '../http';
import type { AssetModel, DataType, ResolvedAspect, VariableDefinition } from '../model';
import type { StoredContract } from './store';

export type EdmType = 'Edm.String' | 'Edm.Double' | 'Edm.Int32' | 'Edm.Int64' | 'Edm.Boolean';

export interface PropertyDef {
  readonly name: string;
  readonly type: EdmType;
  readonly nullable: boolean;
  /** Seed §8.5: the attributes MindSphere filters this entity kind on. */
  readonly filterable: boolean;
  readonly sortable: boolean;
}

export interface EntitySetDef {
  /** The entity set name, also the name of its entity type. */
  readonly name: string;
  readonly kind: DataHubEntityKind;
  readonly keys: readonly string[];
  readonly properties: readonly PropertyDef[];
  /** The asset types whose assets (exactly these types, not derived ones) the set holds. */
  readonly assetTypeIds: readonly string[];
  /** Time series and aggregates: the aspect (its name and type) and the variables it reads. */
  readonly aspectName?: string;
  readonly aspectTypeId?: string;
  readonly variables?: readonly VariableDefinition[];
}

const EDM: Readonly<Record<DataType, EdmType>> = {
  BOOLEAN: 'Edm.Boolean', INT: 'Edm.Int32', LONG: 'Edm.Int64', DOUBLE: 'Edm.Double', STRING: 'Edm.String',
  BIG_STRING: 'Edm.String', TIMESTAMP: 'Edm.String',
};
const NUMERIC: ReadonlySet<DataType> = new Set(['INT', 'LONG', 'DOUBLE']);

function property(kind: DataHubEntityKind, name: string, type: EdmType, nullable = true): PropertyDef {
  const sortable = kind === 'asset' || (DATA_HUB_SORTABLE.value[kind] as readonly string[]).includes(name);
  return { name, type, nullable, filterable: filterRules(kind).has(name), sortable };
}

/** Time literals and time values are strings in Data Hub (seed §8.3). */
const TIME = 'Edm.String';

function assetSet(assetTypeIds: readonly string[]): EntitySetDef {
  const p = (name: string, nullable = true) => property('asset', name, 'Edm.String', nullable);
  return {
    name: 'Assets', kind: 'asset', keys: ['assetId'], assetTypeIds,
    properties: [p('assetId', false), p('name', false), p('description'), p('externalId'), p('typeId', false), p('parentId'), p('timezone')],
  };
}

function timeSeriesSet(typeId: string, aspect: ResolvedAspect): EntitySetDef {
  const variables = aspect.aspectType.variables.filter((v) => v.name !== 'assetId' && v.name !== 'timestamp');
  return {
    name: entitySetName('timeSeries', aspect.aspectType.id, aspect.name, typeId), kind: 'timeSeries', keys: ['assetId', 'timestamp'],
    assetTypeIds: [typeId], aspectName: aspect.name, aspectTypeId: aspect.aspectType.id, variables,
    properties: [
      property('timeSeries', 'assetId', 'Edm.String', false), property('timeSeries', 'timestamp', TIME, false),
      ...variables.flatMap((v) => [property('timeSeries', v.name, EDM[v.dataType]),
        ...(v.qualityCode ? [property('timeSeries', `${v.name}_qc`, 'Edm.Int64')] : [])]),
    ],
  };
}

function aggregateSet(typeId: string, aspect: ResolvedAspect): EntitySetDef {
  const p = (name: string, type: EdmType, nullable = false) => property('aggregate', name, type, nullable);
  return {
    name: entitySetName('aggregate', aspect.aspectType.id, aspect.name, typeId), kind: 'aggregate',
    keys: ['assetId', 'variableName', 'aggregationType', 'timestamp'], assetTypeIds: [typeId], aspectName: aspect.name,
    aspectTypeId: aspect.aspectType.id,
    variables: aspect.aspectType.variables.filter((v) => NUMERIC.has(v.dataType)),
    properties: [p('assetId', 'Edm.String'), p('aggregationType', 'Edm.String'), p('variableName', 'Edm.String'),
      p('intervalUnit', 'Edm.String'), p('intervalValue', 'Edm.Int32'), p('intervalCount', 'Edm.Int32'), p('timestamp', TIME),
      p('value', 'Edm.Double', true)],
  };
}

/** Asset type ids a contract names that the tenant does not have. */
export function missingAssetTypes(model: AssetModel, contract: StoredContract): string[] {
  return contract.assetTypes.filter((id) => !model.assetTypes.has(id));
}

/**
 * The entity sets of one or more contracts (a service joins the published contracts of one application name). A 400
 * names the asset types the tenant lacks.
 */
export function entitySets(model: AssetModel, contracts: readonly StoredContract[]): EntitySetDef[] {
  const missing = contracts.flatMap((c) => missingAssetTypes(model, c).map((id) => `'${id}' (contract ${c.name})`));
  if (missing.length) {
    throw badRequest(`Asset type ${missing.join(', ')} does not exist in tenant ${model.tenant}; ` +
      'create it in Asset Management or remove it from the contract.', 'invalidRequestBodyProperty');
  }
  const typeIds = [...new Set(contracts.flatMap((c) => c.assetTypes))];
  const sets: EntitySetDef[] = [assetSet(typeIds)];
  for (const typeId of typeIds) {
    for (const aspect of model.aspectsOfType(typeId)) {
      if (aspect.aspectType.category === 'dynamic') sets.push(timeSeriesSet(typeId, aspect), aggregateSet(typeId, aspect));
    }
  }
  return sets;
}

const origin = (set: EntitySetDef) => `aspect '${set.aspectName}' (${set.aspectTypeId}) of ${set.assetTypeIds.join(', ')}`;

/**
 * Publishing checks (seed §9.2): every `AGGR_{AspectType}_{AspectName}_{AssetType}` name within 200 characters, or
 * MindSphere fails with HTTP 500. Unknown asset types are a 400 (from entitySets), and so are entity set names that
 * would break the service's `$metadata`: one that is not an OData identifier, or one that two aspects share, within the
 * contract or with the other published contracts (`alongside`) its application name serves.
 */
export function checkPublishable(model: AssetModel, contract: StoredContract, alongside: readonly StoredContract[] = []): EntitySetDef[] {
  const sets = entitySets(model, [contract]);
  const max = LIMITS.contractEntityNameMax.value;
  const tooLong = contract.assetTypes.flatMap((typeId) => model.aspectsOfType(typeId)
    .map((a) => entitySetName('aggregate', a.aspectType.id, a.name, typeId))
    .filter((name) => name.length > max));
  if (tooLong.length) {
    throw new ApiError(500, 'internalServerError', `Publishing contract '${contract.name}' failed: the entity name ${tooLong[0]} is ` +
      `${tooLong[0]!.length} characters long, and Data Hub allows at most ${max} for AGGR_{AspectType}_{AspectName}_{AssetType}` +
      `${tooLong.length > 1 ? ` (${tooLong.length - 1} more name${tooLong.length > 2 ? 's are' : ' is'} too long)` : ''}. ` +
      'Shorten the aspect type, aspect or asset type name, then publish again.');
  }
  const invalid = sets.find((s) => !isODataIdentifier(s.name));
  if (invalid) {
    throw badRequest(`Publishing contract '${contract.name}' failed: the entity set name ${invalid.name} of ${origin(invalid)} is not ` +
      'an OData identifier (letters, digits and _ only). Use an asset type and aspect type id with one dot, after the tenant.',
    'invalidRequestBodyProperty');
  }
  const others = alongside.filter((c) => c.id !== contract.id);
  const [clash] = entitySetClashes(others.length ? entitySets(model, [...others, contract]) : sets);
  if (clash) {
    const elsewhere = [clash.first, clash.again].some((s) => s.assetTypeIds.some((id) => !contract.assetTypes.includes(id)));
    throw badRequest(`Publishing contract '${contract.name}' failed: ${origin(clash.first)} and ${origin(clash.again)} both make the ` +
      `entity set ${clash.first.name}${elsewhere ? ` (with the published contracts of ${contract.applicationName})` : ''}. ` +
      'Rename one of the aspects.', 'invalidRequestBodyProperty');
  }
  return sets;
}
