// Contracts (seed §2.3.3): what a tenant publishes to Mendix Data Hub. Created, read, changed, deleted, published and
// downloaded as OData CSDL XML through the contracts API of the gateway (the sandbox's paths: docs/sandbox.md).
import { z } from 'zod';
import type { CONTRACT_ENVIRONMENT_TYPES } from '../core/limits';
import { getText, type Http } from './http';
import { checkPageNumber, halPageSchema } from './schemas';

export const CONTRACTS_PATH = '/api/datacontracts/v1/contracts';

export const dataHubContractSchema = z.looseObject({
  id: z.string(),
  name: z.string(),
  version: z.string(),
  applicationName: z.string(),
  environmentType: z.string(),
  description: z.string().nullish(),
  assetTypes: z.array(z.string()),
  /** `Published` or `Not published`. */
  status: z.string(),
  publishedAt: z.string().nullish(),
  etag: z.number(),
  /** The entity sets it publishes (when every asset type exists). */
  entitySets: z.array(z.string()).optional(),
  /** Asset types the contract names that the tenant does not have (publishing fails until they exist). */
  missingAssetTypes: z.array(z.string()).optional(),
});
export type DataHubContract = z.infer<typeof dataHubContractSchema>;

export interface ContractInput {
  readonly name: string;
  readonly version?: string;
  /** When given, it must be the tenant of the connection. */
  readonly tenant?: string;
  /** Default `mdsp_` + tenant, as Asset Manager prefills it. */
  readonly applicationName?: string;
  readonly environmentType?: (typeof CONTRACT_ENVIRONMENT_TYPES.value)[number];
  readonly description?: string;
  /** Asset type ids, `{tenant}.{name}`. */
  readonly assetTypes: readonly string[];
}

interface Signal {
  readonly signal?: AbortSignal;
}

const listSchema = halPageSchema('contracts', dataHubContractSchema);
const PAGE_SIZE = 200;

export function createContractsApi(http: Http) {
  const pathOf = (id: string) => `${CONTRACTS_PATH}/${encodeURIComponent(id)}`;
  const send = async (method: 'GET' | 'POST' | 'PUT', path: string, options: Signal & { body?: unknown; etag?: number } = {}) =>
    (await http.request({
      method, path, schema: dataHubContractSchema, signal: options.signal,
      // A replace is not repeated: a published contract is checked as publishing checks it, so its 500 (an AGGR_ name too
      // long, seed §9.2) is as lasting as the publish's; and after a lost answer the If-Match etag is stale anyway (412).
      ...(method === 'PUT' ? { idempotent: false } : {}),
      ...(options.body === undefined ? {} : { body: options.body }),
      ...(options.etag === undefined ? {} : { headers: { 'If-Match': String(options.etag) } }),
    })).data;

  /** Every contract of the tenant, by name. */
  async function list(options: Signal = {}): Promise<DataHubContract[]> {
    return http.within(options.signal, { method: 'GET', path: CONTRACTS_PATH }, async (signal) => {
      const all: DataHubContract[] = [];
      for (let page = 0; ; page++) {
        const { data } = await http.send({ method: 'GET', path: CONTRACTS_PATH, query: { page, size: PAGE_SIZE, sort: 'name,asc' }, schema: listSchema, signal });
        checkPageNumber(data.page, page, CONTRACTS_PATH);
        const items = data._embedded?.contracts ?? [];
        all.push(...items);
        if (items.length === 0 || page + 1 >= (data.page?.totalPages ?? 0)) return all;
      }
    });
  }

  /** A contract by id, or by name (the highest version when several share it); undefined when there is none. */
  async function find(idOrName: string, options: Signal = {}): Promise<DataHubContract | undefined> {
    const matches = (await list(options)).filter((c) => c.id === idOrName || c.name === idOrName);
    return matches.find((c) => c.id === idOrName) ??
      matches.sort((a, b) => b.version.localeCompare(a.version, 'en', { numeric: true }))[0];
  }

  return {
    list,
    find,
    get: (id: string, options: Signal = {}) => send('GET', pathOf(id), options),
    create: (input: ContractInput, options: Signal = {}) => send('POST', CONTRACTS_PATH, { ...options, body: input }),
    /** Replaces a contract; `etag` is the one it was read with (a 412 says someone changed it meanwhile). */
    update: (id: string, input: ContractInput, etag: number, options: Signal = {}) => send('PUT', pathOf(id), { ...options, body: input, etag }),
    async delete(id: string, etag: number, options: Signal = {}): Promise<void> {
      await http.request({ method: 'DELETE', path: pathOf(id), headers: { 'If-Match': String(etag) }, signal: options.signal });
    },
    /**
     * Publishes to Data Hub; a MindSphereError with status 500 when an AGGR_ name is too long (seed §9.2). Not retried:
     * that 500 is MindSphere's lasting answer, not a passing fault.
     */
    publish: (id: string, options: Signal = {}) => send('POST', `${pathOf(id)}/publish`, options),
    /** Creates the contract, or replaces the one with the same name and version; then publishes it. */
    async publishInput(input: ContractInput, options: Signal = {}): Promise<DataHubContract> {
      const existing = (await list(options)).find((c) => c.name === input.name && c.version === (input.version ?? '1.0.0'));
      const saved = existing ? await send('PUT', pathOf(existing.id), { ...options, body: input, etag: existing.etag })
        : await send('POST', CONTRACTS_PATH, { ...options, body: input });
      return send('POST', `${pathOf(saved.id)}/publish`, options);
    },
    /** The contract as OData CSDL XML, as Asset Manager's "Download your contract" gives it. */
    metadata: (id: string, options: Signal = {}): Promise<string> => getText(http, `${pathOf(id)}/metadata`, 'application/xml', options.signal),
  };
}

export type ContractsApi = ReturnType<typeof createContractsApi>;
