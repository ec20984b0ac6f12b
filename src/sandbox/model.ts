// The Asset Management model of the sandbox tenant: aspect types, asset types and assets, with the derived views the API
// serves (type derivation, exploded types, hierarchy paths, children). Held in memory; built from the seed by plant.ts.
import { LIMITS } from '../core/limits';
import { parseIsoTime } from '../core/time';

export type DataType = 'BOOLEAN' | 'INT' | 'LONG' | 'DOUBLE' | 'STRING' | 'TIMESTAMP' | 'BIG_STRING';
export const DATA_TYPES: readonly DataType[] = ['BOOLEAN', 'INT', 'LONG', 'DOUBLE', 'STRING', 'TIMESTAMP', 'BIG_STRING'];

export interface VariableDefinition {
  name: string;
  dataType: DataType;
  unit: string;
  searchable: boolean;
  length: number | null;
  defaultValue: string | null;
  /** Aspect variables only: the time series carries a `<name>_qc` quality code. */
  qualityCode?: boolean;
}

/** INT values lie in [-INT_BOUND, INT_BOUND): 32 bits. */
export const INT_BOUND = 2 ** 31;
const LONG_BOUND = 2n ** 63n;
const WHOLE_NUMBER = /^[+-]?\d+$/;
const DECIMAL_NUMBER = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

/**
 * Undefined when `text` is a value of the variable's data type, else what to send instead. Asset Management carries
 * asset variable values and defaults as strings (the SDK's `Variable.value` and `defaultValue`, which "must be
 * compatible with the dataType"), so the string's content is checked: "1.5" is a DOUBLE but not an INT.
 */
export function valueTextProblem(v: VariableDefinition, text: string): string | undefined {
  switch (v.dataType) {
    case 'BOOLEAN':
      return text === 'true' || text === 'false' ? undefined : 'true or false';
    case 'INT':
      return WHOLE_NUMBER.test(text) && Number(text) >= -INT_BOUND && Number(text) < INT_BOUND ? undefined
        : `a whole number from ${-INT_BOUND} to ${INT_BOUND - 1}`;
    case 'LONG':
      return WHOLE_NUMBER.test(text) && BigInt(text) >= -LONG_BOUND && BigInt(text) < LONG_BOUND ? undefined
        : `a whole number from ${-LONG_BOUND} to ${LONG_BOUND - 1n}`;
    case 'DOUBLE':
      return DECIMAL_NUMBER.test(text) && Number.isFinite(Number(text)) ? undefined : 'a finite decimal number such as 1.5';
    case 'TIMESTAMP':
      return parseIsoTime(text) !== undefined ? undefined : 'an ISO 8601 time such as 2024-01-31T00:00:00.000Z';
    case 'STRING':
    case 'BIG_STRING': {
      const max = maxTextLength(v);
      return text.length <= max ? undefined : `at most ${max} characters (this value has ${text.length})`;
    }
  }
}

/** The most characters a STRING or BIG_STRING variable holds: its declared length, else its type's limit. */
export function maxTextLength(v: VariableDefinition): number {
  return v.length ?? (v.dataType === 'STRING' ? LIMITS.stringMaxLength : LIMITS.bigStringMaxLength).value;
}

export interface AspectType {
  id: string;
  name: string;
  category: 'static' | 'dynamic';
  scope: 'public' | 'private';
  description: string;
  tenantId: string;
  etag: number;
  variables: VariableDefinition[];
}

export interface AssetTypeAspect {
  name: string;
  aspectTypeId: string;
}

export interface AssetType {
  id: string;
  name: string;
  description: string;
  parentTypeId: string | null;
  instantiable: boolean;
  scope: 'public' | 'private';
  tenantId: string;
  etag: number;
  aspects: AssetTypeAspect[];
  variables: VariableDefinition[];
}

export interface NameValue {
  name: string;
  value: string | null;
}

export interface Location {
  country?: string;
  region?: string;
  locality?: string;
  streetAddress?: string;
  postalCode?: string;
  longitude?: number;
  latitude?: number;
}

export interface Asset {
  assetId: string;
  tenantId: string;
  name: string;
  externalId: string;
  description: string;
  typeId: string;
  parentId: string | null;
  timezone: string;
  twinType: 'performance' | 'simulation';
  location: Location | null;
  variables: NameValue[];
  aspects: { name: string; variables: NameValue[] }[];
  etag: number;
  /** ISO time of deletion; deleted assets stay readable through a `deleted` filter only. */
  deleted: string | null;
  /** Seeded plant assets carry generated time series; assets created through the API start empty. */
  generated: boolean;
}

/** An aspect of an asset as the time series and aggregates APIs see it. */
export interface ResolvedAspect {
  name: string;
  aspectType: AspectType;
  /** The asset type that declares it (a parent type for inherited aspects). */
  declaredBy: string;
}

export class AssetModel {
  readonly aspectTypes = new Map<string, AspectType>();
  readonly assetTypes = new Map<string, AssetType>();
  readonly assets = new Map<string, Asset>();
  private childIndex: Map<string, string[]> | undefined;
  private resolvedAspects = new Map<string, ResolvedAspect[]>();

  constructor(
    readonly tenant: string,
    public rootId: string,
  ) {}

  /** Drops derived indexes after a change to types or the hierarchy. */
  changed(): void {
    this.childIndex = undefined;
    this.resolvedAspects.clear();
  }

  liveAsset(id: string): Asset | undefined {
    const asset = this.assets.get(id);
    return asset && !asset.deleted ? asset : undefined;
  }

  children(id: string): string[] {
    if (!this.childIndex) {
      this.childIndex = new Map();
      for (const asset of this.assets.values()) {
        if (asset.parentId === null || asset.deleted) continue;
        const list = this.childIndex.get(asset.parentId) ?? [];
        list.push(asset.assetId);
        this.childIndex.set(asset.parentId, list);
      }
    }
    return this.childIndex.get(id) ?? [];
  }

  /** The ancestors of an asset, root first (the asset itself excluded). */
  hierarchyPath(asset: Asset): { assetId: string; name: string }[] {
    const path: { assetId: string; name: string }[] = [];
    const seen = new Set<string>([asset.assetId]);
    let parentId = asset.parentId;
    while (parentId && !seen.has(parentId)) {
      seen.add(parentId);
      const parent = this.assets.get(parentId);
      if (!parent) break;
      path.unshift({ assetId: parent.assetId, name: parent.name });
      parentId = parent.parentId;
    }
    return path;
  }

  isDescendant(candidateId: string, ancestorId: string): boolean {
    return this.hierarchyPath(this.assets.get(candidateId) ?? ({ parentId: null } as Asset)).some((p) => p.assetId === ancestorId);
  }

  /** The type and its ancestors, the type itself first. */
  typeChain(typeId: string): AssetType[] {
    const chain: AssetType[] = [];
    const seen = new Set<string>();
    let type = this.assetTypes.get(typeId);
    while (type && !seen.has(type.id)) {
      seen.add(type.id);
      chain.push(type);
      type = type.parentTypeId ? this.assetTypes.get(type.parentTypeId) : undefined;
    }
    return chain;
  }

  /** True when `typeId` is `ancestorId` or derives from it (the `hasType` filter). */
  hasType(typeId: string, ancestorId: string): boolean {
    return this.typeChain(typeId).some((t) => t.id === ancestorId);
  }

  /** Aspects of an asset type including inherited ones, the most basic type's first. */
  aspectsOfType(typeId: string): ResolvedAspect[] {
    let resolved = this.resolvedAspects.get(typeId);
    if (!resolved) {
      resolved = [];
      for (const type of this.typeChain(typeId).reverse()) {
        for (const aspect of type.aspects) {
          const aspectType = this.aspectTypes.get(aspect.aspectTypeId);
          if (aspectType) resolved.push({ name: aspect.name, aspectType, declaredBy: type.id });
        }
      }
      this.resolvedAspects.set(typeId, resolved);
    }
    return resolved;
  }

  /** Variables of an asset type including inherited ones. */
  variablesOfType(typeId: string): { variable: VariableDefinition; declaredBy: string }[] {
    return this.typeChain(typeId)
      .reverse()
      .flatMap((type) => type.variables.map((variable) => ({ variable, declaredBy: type.id })));
  }

  aspectOf(asset: Asset, aspectName: string): ResolvedAspect | undefined {
    return this.aspectsOfType(asset.typeId).find((a) => a.name === aspectName);
  }
}
