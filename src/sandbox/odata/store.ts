// The contracts of one sandbox tenant (seed §2.3.3: made in Asset Manager, saved, downloaded, published to Data Hub).
// Held in memory beside the tenant's other state; a fresh tenant starts with one published contract, `Plant`, over the
// plant's equipment types, so Data Hub OData answers before anyone has written a contract.
import { randomBytes } from 'node:crypto';
import { CONTRACT_ENVIRONMENT_TYPES, LIMITS } from '../../core/limits';
import type { SandboxContext } from '../context';
import { ApiError, badRequest } from '../http';
import { hashString } from '../rng';
import { EQUIPMENT_TYPES } from '../plant';

export type ContractStatus = 'Not published' | 'Published';
export type EnvironmentType = (typeof CONTRACT_ENVIRONMENT_TYPES.value)[number];

export interface StoredContract {
  readonly id: string;
  name: string;
  version: string;
  applicationName: string;
  environmentType: EnvironmentType;
  description: string;
  /** Asset type ids, `{tenant}.{name}`: their assets, aspects and time series are what the contract publishes. */
  assetTypes: string[];
  status: ContractStatus;
  publishedAt: string | null;
  readonly createdAt: string;
  modifiedAt: string;
  etag: number;
}

/** The editable fields of a contract, as a create or update body gives them. */
export type ContractFields = Pick<StoredContract, 'name' | 'version' | 'applicationName' | 'environmentType' | 'description' | 'assetTypes'>;

/** Application names are the first segment of the OData service root, `/odata/{applicationName}/`. */
const APPLICATION_NAME = /^[A-Za-z0-9_]{1,64}$/;
const BODY_FIELDS = new Set(['name', 'version', 'applicationName', 'environmentType', 'description', 'assetTypes', 'tenant', '$schema']);

/**
 * Reads and checks a create or update body. `assetTypes` may list type ids, or objects with an `id` as a
 * `*.contract.json` file has them (their aspects are the tenant's: only the ids are read).
 */
export function contractFields(body: Record<string, unknown>, tenant: string): ContractFields {
  const unknown = Object.keys(body).filter((k) => !BODY_FIELDS.has(k));
  if (unknown.length) {
    throw badRequest(`Unknown contract propert${unknown.length === 1 ? 'y' : 'ies'} ${unknown.map((k) => `'${k}'`).join(', ')}: ` +
      `use ${[...BODY_FIELDS].filter((k) => k !== '$schema').join(', ')}.`, 'invalidRequestBodyProperty');
  }
  const text = (key: string, max: number, fallback?: string): string => {
    const v = body[key];
    if (v === undefined || v === null) {
      if (fallback !== undefined) return fallback;
      throw badRequest(`'${key}' is required.`, 'missingRequestBodyProperty');
    }
    if (typeof v !== 'string' || v.trim() === '' || v.length > max) {
      throw badRequest(`'${key}' must be a non-empty string of at most ${max} characters.`, 'invalidRequestBodyProperty');
    }
    return v;
  };
  if (body.tenant !== undefined && body.tenant !== tenant) {
    throw badRequest(`'tenant' is '${String(body.tenant)}', but this is tenant ${tenant}: a contract publishes its own tenant's assets.`,
      'invalidRequestBodyProperty');
  }
  const applicationName = text('applicationName', 64, `${LIMITS.contractAppPrefix.value}${tenant}`);
  if (!APPLICATION_NAME.test(applicationName)) {
    throw badRequest(`'applicationName' '${applicationName}' is not valid: use 1 to 64 characters of A-Z a-z 0-9 _ ` +
      `(Asset Manager prefills ${LIMITS.contractAppPrefix.value}${tenant}).`, 'invalidRequestBodyProperty');
  }
  const environmentType = text('environmentType', 32, 'Sandbox') as EnvironmentType;
  if (!CONTRACT_ENVIRONMENT_TYPES.value.includes(environmentType)) {
    throw badRequest(`'environmentType' '${environmentType}' is not one of ${CONTRACT_ENVIRONMENT_TYPES.value.join(', ')}.`,
      'invalidRequestBodyProperty');
  }
  return {
    name: text('name', 128),
    version: text('version', 32, '1.0.0'),
    applicationName,
    environmentType,
    description: body.description === undefined || body.description === null ? '' : text('description', 2048),
    assetTypes: assetTypeIds(body.assetTypes),
  };
}

function assetTypeIds(value: unknown): string[] {
  if (!Array.isArray(value) || value.length === 0) {
    throw badRequest("'assetTypes' is required: a non-empty array of asset type ids such as \"makers01.Pump\".", 'missingRequestBodyProperty');
  }
  const ids = value.map((item, i) => {
    const id = typeof item === 'string' ? item : typeof item === 'object' && item !== null ? (item as { id?: unknown }).id : undefined;
    if (typeof id !== 'string' || !LIMITS.typeIdPattern.value.test(id)) {
      throw badRequest(`assetTypes[${i}] is not an asset type id: write {tenant}.{name}, for example "makers01.Pump".`, 'invalidRequestBodyProperty');
    }
    return id;
  });
  return [...new Set(ids)];
}

export class ContractStore {
  readonly contracts = new Map<string, StoredContract>();

  get(id: string): StoredContract {
    const contract = this.contracts.get(id);
    if (!contract) throw new ApiError(404, 'noMatch', `Contract '${id}' does not exist; list the contracts with GET /api/datacontracts/v1/contracts.`);
    return contract;
  }

  create(fields: ContractFields, id = randomBytes(16).toString('hex')): StoredContract {
    this.checkUnique(fields, id);
    const now = new Date().toISOString();
    const contract: StoredContract = { id, ...fields, status: 'Not published', publishedAt: null, createdAt: now, modifiedAt: now, etag: 0 };
    this.contracts.set(id, contract);
    return contract;
  }

  update(contract: StoredContract, fields: ContractFields): void {
    this.checkUnique(fields, contract.id);
    Object.assign(contract, fields, { modifiedAt: new Date().toISOString(), etag: contract.etag + 1 });
  }

  publish(contract: StoredContract): void {
    contract.status = 'Published';
    contract.publishedAt = new Date().toISOString();
    contract.etag++;
  }

  /** The published contracts that make up the Data Hub service of an application. */
  published(applicationName: string): StoredContract[] {
    return [...this.contracts.values()].filter((c) => c.status === 'Published' && c.applicationName === applicationName);
  }

  /** Name and version identify a contract in Data Hub: two contracts may not share both. */
  private checkUnique(fields: ContractFields, id: string): void {
    for (const other of this.contracts.values()) {
      if (other.id !== id && other.name === fields.name && other.version === fields.version) {
        throw new ApiError(409, 'conflict', `A contract named '${fields.name}' with version ${fields.version} already exists (id ${other.id}); ` +
          'change the version or update that contract.');
      }
    }
  }
}

const stores = new WeakMap<SandboxContext, ContractStore>();

/** The contracts of a running sandbox, created (with the seeded `Plant` contract) on first use. */
export function contractStore(ctx: SandboxContext): ContractStore {
  let store = stores.get(ctx);
  if (!store) {
    store = new ContractStore();
    seedPlantContract(ctx, store);
    stores.set(ctx, store);
  }
  return store;
}

/**
 * `Plant`: the seed plant's equipment types, published under `mdsp_` + tenant. Taken from the seed, not from the live
 * model: the store is made when contracts are first touched, and by then a client may have created types of its own.
 */
function seedPlantContract(ctx: SandboxContext, store: ContractStore): void {
  const tenant = ctx.credentials.tenant;
  const id = hashString(`${ctx.seed}:contract:Plant`).toString(16).padStart(8, '0').repeat(4);
  const contract = store.create({
    name: 'Plant', version: '1.0.0', applicationName: `${LIMITS.contractAppPrefix.value}${tenant}`, environmentType: 'Sandbox',
    description: 'Every equipment type of the sandbox plant, published to Data Hub when the tenant starts.',
    assetTypes: EQUIPMENT_TYPES.map((name) => `${tenant}.${name}`),
  }, id);
  store.publish(contract);
  contract.etag = 0;
}
