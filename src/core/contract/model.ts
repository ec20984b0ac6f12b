// The contract model: what a `*.contract.json` file says will be published to Mendix Data Hub (seed §2.3.3). Each part
// keeps the JSON node it was read from (when read from text), so diagnostics can point at any of its properties.
import type { JsonNode } from './json';

export interface ContractVariable {
  readonly name: string;
  readonly dataType: string;
  readonly unit?: string;
  readonly node?: JsonNode;
}

export interface ContractAspect {
  readonly name: string;
  /** The aspect type id, `{tenant}.{name}` (for example `makers01.PowerConsumption`). */
  readonly aspectType: string;
  readonly variables: readonly ContractVariable[];
  readonly node?: JsonNode;
}

export interface ContractAssetType {
  /** The asset type id, `{tenant}.{name}`. */
  readonly id: string;
  readonly name: string;
  readonly parentTypeId?: string;
  readonly aspects: readonly ContractAspect[];
  readonly node?: JsonNode;
}

export interface Contract {
  readonly name: string;
  readonly version: string;
  readonly tenant: string;
  /** Prefilled by Asset Manager as `mdsp_` + tenant (seed §2.3.3). */
  readonly applicationName: string;
  readonly environmentType: string;
  readonly description?: string;
  readonly assetTypes: readonly ContractAssetType[];
  readonly node?: JsonNode;
}
