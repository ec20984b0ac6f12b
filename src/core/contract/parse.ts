// Reads a contract from its text: the JSON tree (with ranges), the schema issues, and a model built leniently from
// whatever is there, so later checks still run on a contract that is half written.
import { type JsonNode, type JsonParseResult, jsonProperty, parseJson } from './json';
import type { Contract, ContractAspect, ContractAssetType, ContractVariable } from './model';
import { type SchemaIssue, validateContractJson } from './validate';

export interface ParsedContract {
  readonly json: JsonParseResult;
  /** Schema issues (only when the JSON itself parsed; syntax errors are in `json.errors`). */
  readonly issues: readonly SchemaIssue[];
  readonly contract: Contract;
}

const str = (node: JsonNode | undefined, key: string): string => {
  const v = jsonProperty(node, key)?.value;
  return v?.type === 'string' ? v.value : '';
};
const list = (node: JsonNode | undefined, key: string): JsonNode[] => {
  const v = jsonProperty(node, key)?.value;
  return v?.type === 'array' ? v.items.filter((i) => i.type === 'object') : [];
};
const optional = <K extends string>(key: K, value: string): { [P in K]?: string } =>
  (value ? { [key]: value } : {}) as { [P in K]?: string };

function variable(node: JsonNode): ContractVariable {
  return { name: str(node, 'name'), dataType: str(node, 'dataType'), ...optional('unit', str(node, 'unit')), node };
}

function aspect(node: JsonNode): ContractAspect {
  return { name: str(node, 'name'), aspectType: str(node, 'aspectType'), variables: list(node, 'variables').map(variable), node };
}

function assetType(node: JsonNode): ContractAssetType {
  return { id: str(node, 'id'), name: str(node, 'name'), ...optional('parentTypeId', str(node, 'parentTypeId')),
    aspects: list(node, 'aspects').map(aspect), node };
}

/** The contract model of a JSON tree (missing strings read as ''). */
export function readContract(root: JsonNode | undefined): Contract {
  return {
    name: str(root, 'name'),
    version: str(root, 'version'),
    tenant: str(root, 'tenant'),
    applicationName: str(root, 'applicationName'),
    environmentType: str(root, 'environmentType'),
    ...optional('description', str(root, 'description')),
    assetTypes: list(root, 'assetTypes').map(assetType),
    ...(root ? { node: root } : {}),
  };
}

/** Parses and validates contract text. Never throws. */
export function parseContract(text: string): ParsedContract {
  const json = parseJson(text);
  const issues = json.root && json.errors.length === 0 ? validateContractJson(json.root) : [];
  return { json, issues, contract: readContract(json.root) };
}
