// The JSON Schema of `*.contract.json`. It is the one description of the format: the extension registers
// media/schemas/contract.schema.json (a copy written from this object, checked equal by a test) for completion and hover,
// and validate.ts checks contracts against this same object, so the editor and the linter never disagree.
import { CONTRACT_ENVIRONMENT_TYPES, LIMITS, VARIABLE_DATA_TYPES } from '../limits';

const typeId = (what: string) => ({
  type: 'string',
  pattern: LIMITS.typeIdPattern.value.source,
  markdownDescription: `${what} id, \`{tenant}.{name}\` (for example \`makers01.Pump\`): 1–128 characters of \`A-Z a-z 0-9 _ .\`, ` +
    'the tenant prefix at most 8 characters.',
});

const notReserved = {
  not: { enum: [...LIMITS.reservedVariableNames.value] },
  markdownDescription: `Not one of MindSphere's reserved words: ${LIMITS.reservedVariableNames.value.join(', ')}.`,
};

export const CONTRACT_JSON_SCHEMA = {
  $schema: 'http://json-schema.org/draft-07/schema#',
  title: 'MindSphere Data Hub contract',
  markdownDescription: 'The asset types a MindSphere contract publishes to Mendix Data Hub. Publish related asset types ' +
    'in one contract: Data Hub cannot associate entities of different contracts (MindSphere IIoT for Makers, §8.2).',
  type: 'object',
  required: ['name', 'version', 'tenant', 'applicationName', 'environmentType', 'assetTypes'],
  additionalProperties: false,
  properties: {
    $schema: { type: 'string' },
    name: { type: 'string', minLength: 1, markdownDescription: 'The contract name shown in Data Hub.' },
    version: { type: 'string', minLength: 1, markdownDescription: 'The contract version, for example `1.0.0`.' },
    tenant: { type: 'string', minLength: 1, markdownDescription: 'The MindSphere tenant that publishes the contract.' },
    applicationName: {
      type: 'string',
      minLength: 1,
      markdownDescription: `\`${LIMITS.contractAppPrefix.value}\` + the tenant name, as Asset Manager prefills it.`,
    },
    environmentType: {
      enum: [...CONTRACT_ENVIRONMENT_TYPES.value],
      markdownDescription: 'The Data Hub environment type, as Asset Manager Contract Administration offers it.',
    },
    description: { type: 'string' },
    assetTypes: { type: 'array', minItems: 1, items: { $ref: '#/definitions/assetType' } },
  },
  definitions: {
    assetType: {
      type: 'object',
      required: ['id', 'name', 'aspects'],
      additionalProperties: false,
      properties: {
        id: typeId('The asset type'),
        name: { type: 'string', minLength: 1 },
        parentTypeId: typeId('The parent asset type'),
        aspects: { type: 'array', items: { $ref: '#/definitions/aspect' } },
      },
    },
    aspect: {
      type: 'object',
      required: ['name', 'aspectType', 'variables'],
      additionalProperties: false,
      properties: {
        name: { type: 'string', minLength: 1, ...notReserved },
        aspectType: typeId('The aspect type'),
        variables: { type: 'array', items: { $ref: '#/definitions/variable' } },
      },
    },
    variable: {
      type: 'object',
      required: ['name', 'dataType'],
      additionalProperties: false,
      properties: {
        name: { type: 'string', minLength: 1, ...notReserved },
        dataType: {
          enum: [...VARIABLE_DATA_TYPES.value],
          markdownDescription: "The variable's data type, as in the aspect type.",
        },
        unit: { type: 'string' },
      },
    },
  },
} as const;
