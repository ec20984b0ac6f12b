// Names of the Data Hub entity sets a contract publishes, and how to tell an entity set's kind from its name.
// Seed §9.2 documents AGGR_{AspectType}_{AspectName}_{AssetType}; the TS_ analogue for time series is inferred
// (API §1.6 [I]). Type ids appear without their tenant prefix, as in the seed's example
// AGGR_PowerConsumption_PrimaryMotor_CNGTurbine.
import type { DataHubEntityKind } from '../limits';
import type { Contract } from './model';

export const ENTITY_SET_PREFIX = { aggregate: 'AGGR_', timeSeries: 'TS_' } as const;

/** `makers01.PowerConsumption` → `PowerConsumption` (the part after the tenant prefix). */
export function localTypeName(typeId: string): string {
  const dot = typeId.indexOf('.');
  return dot < 0 ? typeId : typeId.slice(dot + 1);
}

/** MindSphere's standard types (`core.basicasset`, …) belong to every tenant; a contract publishes the tenant's own. */
export function isStandardType(typeId: string): boolean {
  return typeId.startsWith('core.');
}

export function entitySetName(kind: 'aggregate' | 'timeSeries', aspectTypeId: string, aspectName: string,
  assetTypeId: string): string {
  return `${ENTITY_SET_PREFIX[kind]}${localTypeName(aspectTypeId)}_${aspectName}_${localTypeName(assetTypeId)}`;
}

export interface ContractEntitySet {
  readonly kind: 'aggregate' | 'timeSeries';
  readonly name: string;
  readonly assetTypeIndex: number;
  readonly aspectIndex: number;
}

/** The time series and aggregate entity sets a contract publishes, one pair per aspect of each asset type. */
export function contractEntitySets(contract: Contract): ContractEntitySet[] {
  const out: ContractEntitySet[] = [];
  contract.assetTypes.forEach((assetType, assetTypeIndex) => {
    assetType.aspects.forEach((aspect, aspectIndex) => {
      for (const kind of ['timeSeries', 'aggregate'] as const) {
        out.push({ kind, name: entitySetName(kind, aspect.aspectType, aspect.name, assetType.id), assetTypeIndex, aspectIndex });
      }
    });
  });
  return out;
}

/**
 * The kind of a Data Hub entity set from its name: `AGGR_…`/`TimeSeriesAggregate…`, `TS_…`/`TimeSeries…`,
 * `Assets`/`Asset…`. A key predicate (`Assets('id')`) is ignored. Undefined when the name fits none of them.
 */
export function classifyEntitySet(name: string): DataHubEntityKind | undefined {
  if (name.startsWith(ENTITY_SET_PREFIX.aggregate) || name.startsWith('TimeSeriesAggregate')) return 'aggregate';
  if (name.startsWith(ENTITY_SET_PREFIX.timeSeries) || name.startsWith('TimeSeries')) return 'timeSeries';
  if (name.startsWith('Asset')) return 'asset';
  return undefined;
}
