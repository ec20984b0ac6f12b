// The contract model (`*.contract.json`), its JSON Schema and validation, and the Data Hub entity-set names it yields.
export type { Contract, ContractAspect, ContractAssetType, ContractVariable } from './model';
export { CONTRACT_JSON_SCHEMA } from './schema';
export { validateContractJson, type SchemaIssue, type SchemaIssueKind } from './validate';
export { parseContract, readContract, type ParsedContract } from './parse';
export {
  ENTITY_SET_PREFIX, classifyEntitySet, contractEntitySets, entitySetClashes, entitySetName, isODataIdentifier, isStandardType, localTypeName,
  type ContractEntitySet,
} from './naming';
export {
  jsonProperty, jsonValue, parseJson, type JsonError, type JsonNode, type JsonObjectNode, type JsonParseResult,
  type JsonProperty, type JsonSpan,
} from './json';

/** True for file names the linter and the extension treat as contracts. */
export function isContractFile(fileName: string): boolean {
  return /\.contract\.json$/i.test(fileName);
}
