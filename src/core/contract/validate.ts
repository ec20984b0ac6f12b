// Checks a JSON document against the contract's JSON Schema (schema.ts), keeping the source range of each problem.
// Only the schema keywords that schema.ts uses are implemented: type, enum, required, properties,
// additionalProperties: false, items, minItems, minLength, pattern, not/enum and local $ref.
import { jsonTypeInWords } from '../words';
import type { JsonNode } from './json';
import { CONTRACT_JSON_SCHEMA } from './schema';

export type SchemaIssueKind = 'type' | 'enum' | 'required' | 'additionalProperty' | 'minItems' | 'minLength' | 'pattern' | 'reserved';

export interface SchemaIssue {
  readonly kind: SchemaIssueKind;
  /** Where the offending value is, for example `assetTypes[0].aspects[1].name` (empty for the whole contract). */
  readonly path: string;
  readonly message: string;
  readonly start: number;
  readonly end: number;
  /** For `enum` and `additionalProperty`: the values or names that would be accepted (for did-you-mean). */
  readonly allowed?: readonly string[];
  /** The offending value or property name. */
  readonly actual?: string;
}

interface SchemaNode {
  readonly type?: string;
  readonly enum?: readonly unknown[];
  readonly required?: readonly string[];
  readonly properties?: Readonly<Record<string, SchemaNode>>;
  readonly additionalProperties?: boolean;
  readonly items?: SchemaNode;
  readonly minItems?: number;
  readonly minLength?: number;
  readonly pattern?: string;
  readonly not?: { readonly enum?: readonly unknown[] };
  readonly $ref?: string;
}

const patterns = new Map<string, RegExp>();
const compiled = (p: string) => patterns.get(p) ?? patterns.set(p, new RegExp(p, 'u')).get(p) as RegExp;

function resolve(schema: SchemaNode, root: typeof CONTRACT_JSON_SCHEMA): SchemaNode {
  if (!schema.$ref) return schema;
  const name = schema.$ref.replace('#/definitions/', '') as keyof typeof root.definitions;
  return root.definitions[name] as SchemaNode;
}

const typeOf = (node: JsonNode): string => (node.type === 'number' && Number.isInteger(node.value) ? 'integer' : node.type);
const describeType = (node: JsonNode): string => (node.type === 'placeholder' ? `the placeholder ${node.raw}` : jsonTypeInWords(node.type));

/** Validates `root` against the contract schema. */
export function validateContractJson(root: JsonNode): SchemaIssue[] {
  const issues: SchemaIssue[] = [];
  const visit = (node: JsonNode, raw: SchemaNode, path: string): void => {
    const schema = resolve(raw, CONTRACT_JSON_SCHEMA);
    const label = path ? `"${path}"` : 'The contract';
    const at = { path, start: node.start, end: node.end };
    if (schema.type && !(typeOf(node) === schema.type || (schema.type === 'number' && node.type === 'number'))) {
      issues.push({ ...at, kind: 'type', message: `${label} must be ${jsonTypeInWords(schema.type)}, not ${describeType(node)}.` });
      return;
    }
    if (schema.enum) {
      const allowed = schema.enum.map(String);
      const value = node.type === 'string' ? node.value : undefined;
      if (value === undefined || !allowed.includes(value)) {
        issues.push({ ...at, kind: 'enum', allowed, ...(value !== undefined ? { actual: value } : {}),
          message: `${label} must be one of ${allowed.map((a) => `"${a}"`).join(', ')}${value !== undefined ? `, not "${value}"` : ''}.` });
      }
    }
    if (node.type === 'string') {
      if (schema.minLength !== undefined && node.value.length < schema.minLength) {
        issues.push({ ...at, kind: 'minLength', actual: node.value, message: `${label} must not be empty.` });
      } else if (schema.pattern && !compiled(schema.pattern).test(node.value)) {
        issues.push({ ...at, kind: 'pattern', actual: node.value,
          message: `${label} "${node.value}" is not a MindSphere type id: write it as {tenant}.{name} (for example ` +
            '"makers01.Pump"), 1–128 characters of A-Z a-z 0-9 _ . with a tenant prefix of at most 8 characters.' });
      }
      if (schema.not?.enum?.includes(node.value)) {
        issues.push({ ...at, kind: 'reserved', actual: node.value,
          message: `${label} "${node.value}" is a reserved word in MindSphere and cannot name an aspect or variable.` });
      }
    }
    if (node.type === 'array') {
      if (schema.minItems !== undefined && node.items.length < schema.minItems) {
        issues.push({ ...at, kind: 'minItems', message: `${label} must have at least ${schema.minItems} entry.` });
      }
      if (schema.items) node.items.forEach((item, i) => visit(item, schema.items as SchemaNode, `${path}[${i}]`));
    }
    if (node.type === 'object' && schema.properties) {
      const properties = schema.properties;
      for (const key of schema.required ?? []) {
        if (!node.properties.some((p) => p.key === key)) {
          issues.push({ path, kind: 'required', actual: key, start: node.start, end: Math.min(node.end, node.start + 1),
            message: `${label} is missing the required property "${key}".` });
        }
      }
      for (const p of node.properties) {
        // Own properties only: "constructor" or "__proto__" would otherwise find Object.prototype's members.
        const sub = Object.hasOwn(properties, p.key) ? properties[p.key] : undefined;
        if (!sub) {
          if (schema.additionalProperties === false) {
            issues.push({ path: path ? `${path}.${p.key}` : p.key, kind: 'additionalProperty', actual: p.key, allowed: Object.keys(properties),
              start: p.keyStart, end: p.keyEnd,
              message: `"${p.key}" is not a property of ${path ? label : 'a contract'}: ` +
                `use ${Object.keys(properties).filter((k) => k !== '$schema').join(', ')}.` });
          }
          continue;
        }
        if (p.value) visit(p.value, sub, path ? `${path}.${p.key}` : p.key);
      }
    }
  };
  visit(root, CONTRACT_JSON_SCHEMA as unknown as SchemaNode, '');
  return issues;
}
