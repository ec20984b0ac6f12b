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

/**
 * An OData CSDL SimpleIdentifier (OData v4 CSDL §17.2, without its 128-character cap, which Data Hub does not keep: seed
 * §9.2 allows 200). A name that is not one breaks `$metadata` and cannot be written in a URL: a type id may hold more than
 * one dot (`makers01.Pump.v2` → `TS_Flow_Flow_Pump.v2`), and a contract file's aspect names are free text.
 */
const SIMPLE_IDENTIFIER = /^[\p{L}\p{Nl}_][\p{L}\p{Nl}\p{Nd}\p{Mn}\p{Mc}\p{Pc}\p{Cf}]*$/u;

export function isODataIdentifier(name: string): boolean {
  return SIMPLE_IDENTIFIER.test(name);
}

/**
 * Each entity set whose name an earlier one already has, with that earlier one. Distinct aspects can yield one name,
 * because `_` joins the parts and may be in them too: aspect type X_Y as aspect Z and aspect type X as aspect Y_Z of one
 * asset type are both TS_X_Y_Z_{AssetType}.
 */
export function entitySetClashes<T extends { readonly name: string }>(sets: readonly T[]): Array<{ readonly first: T; readonly again: T }> {
  const seen = new Map<string, T>();
  const clashes: Array<{ first: T; again: T }> = [];
  for (const set of sets) {
    const first = seen.get(set.name);
    if (first) clashes.push({ first, again: set });
    else seen.set(set.name, set);
  }
  return clashes;
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
