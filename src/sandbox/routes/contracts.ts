// Contracts (seed §2.3.3; Asset Manager's Contract Administration, API §1.6) under the sandbox gateway. MindSphere
// documents no public API for them, so these paths are the sandbox's choice (docs/sandbox.md, "Contracts"):
//   GET|POST   /api/datacontracts/v1/contracts               list (HAL, page/size/sort) | create
//   GET|PUT|DELETE /api/datacontracts/v1/contracts/{id}      read | replace | delete (If-Match with the etag)
//   POST       /api/datacontracts/v1/contracts/{id}/publish  publish to Data Hub: /odata/{applicationName}/
//   GET        /api/datacontracts/v1/contracts/{id}/metadata download as OData CSDL XML
import { SCOPES } from '../auth';
import type { SandboxContext } from '../context';
import { checkIfMatch, jsonObjectBody, pageRequest, sendPage, sendResource } from '../hal';
import type { Exchange } from '../http';
import type { ApiModule } from '../router';
import { csdl } from '../odata/csdl';
import { checkPublishable, entitySets, missingAssetTypes } from '../odata/service';
import { contractFields, contractStore, type StoredContract } from '../odata/store';

export const CONTRACTS_PATH = '/api/datacontracts/v1/contracts';
const SORTABLE = ['name', 'version', 'applicationName', 'environmentType', 'status', 'createdAt', 'modifiedAt'];

function render(x: Exchange, ctx: SandboxContext, c: StoredContract): Record<string, unknown> {
  const self = `${x.origin}${CONTRACTS_PATH}/${c.id}`;
  const missing = missingAssetTypes(ctx.model, c);
  return {
    id: c.id, name: c.name, version: c.version, tenant: ctx.credentials.tenant, applicationName: c.applicationName,
    environmentType: c.environmentType, description: c.description, assetTypes: c.assetTypes, status: c.status,
    publishedAt: c.publishedAt, createdAt: c.createdAt, modifiedAt: c.modifiedAt, etag: c.etag,
    ...(missing.length ? { missingAssetTypes: missing } : { entitySets: entitySets(ctx.model, [c]).map((s) => s.name) }),
    _links: {
      self: { href: self }, metadata: { href: `${self}/metadata` }, publish: { href: `${self}/publish` },
      ...(c.status === 'Published' ? { service: { href: `${x.origin}/odata/${c.applicationName}/` } } : {}),
    },
  };
}

function list(x: Exchange, ctx: SandboxContext): void {
  const p = pageRequest(x, SORTABLE);
  sendPage(x, [...contractStore(ctx).contracts.values()], p, 'contracts',
    (c, field) => (c as unknown as Record<string, unknown>)[field], (c) => c.id, (c) => render(x, ctx, c));
}

async function create(x: Exchange, ctx: SandboxContext): Promise<void> {
  const fields = contractFields(await jsonObjectBody(x, ctx.maxBodyBytes), ctx.credentials.tenant);
  const contract = contractStore(ctx).create(fields);
  sendResource(x, render(x, ctx, contract), contract.etag, 201);
}

/** Replaces a contract; a published one is checked as publishing checks it, so it never serves a broken service. */
async function replace(x: Exchange, ctx: SandboxContext): Promise<void> {
  const store = contractStore(ctx);
  const contract = store.get(x.params.id!);
  const fields = contractFields(await jsonObjectBody(x, ctx.maxBodyBytes), ctx.credentials.tenant);
  checkIfMatch(x, contract.etag, `contract '${contract.name}'`);
  if (contract.status === 'Published') checkPublishable(ctx.model, { ...contract, ...fields }, store.published(fields.applicationName));
  store.update(contract, fields);
  sendResource(x, render(x, ctx, contract), contract.etag);
}

function remove(x: Exchange, ctx: SandboxContext): void {
  const store = contractStore(ctx);
  const contract = store.get(x.params.id!);
  checkIfMatch(x, contract.etag, `contract '${contract.name}'`);
  store.contracts.delete(contract.id);
  x.send(204);
}

function publish(x: Exchange, ctx: SandboxContext): void {
  const store = contractStore(ctx);
  const contract = store.get(x.params.id!);
  checkPublishable(ctx.model, contract, store.published(contract.applicationName));
  store.publish(contract);
  sendResource(x, render(x, ctx, contract), contract.etag);
}

function metadata(x: Exchange, ctx: SandboxContext): void {
  const contract = contractStore(ctx).get(x.params.id!);
  const xml = csdl(contract.applicationName, entitySets(ctx.model, [contract]), `${contract.name} ${contract.version}: ${contract.description}`);
  const file = `${contract.name}-${contract.version}.xml`.replace(/[^\w.-]+/g, '_');
  x.sendText(200, xml, { 'Content-Disposition': `attachment; filename="${file}"` }, 'application/xml');
}

const READ = [SCOPES.assetsRead, SCOPES.assetsAdmin];
const ADMIN = [SCOPES.assetsAdmin];

export const contractsApi: ApiModule = {
  name: 'Contracts (Asset Manager)',
  prefix: '/api/datacontracts/v1',
  family: 'mdsp',
  routes: [
    { method: 'GET', path: CONTRACTS_PATH, scopes: READ, handle: list },
    { method: 'POST', path: CONTRACTS_PATH, scopes: ADMIN, handle: create },
    { method: 'GET', path: `${CONTRACTS_PATH}/{id}`, scopes: READ, handle: (x, ctx) => {
      const contract = contractStore(ctx).get(x.params.id!);
      sendResource(x, render(x, ctx, contract), contract.etag);
    } },
    { method: 'PUT', path: `${CONTRACTS_PATH}/{id}`, scopes: ADMIN, handle: replace },
    { method: 'DELETE', path: `${CONTRACTS_PATH}/{id}`, scopes: ADMIN, handle: remove },
    { method: 'POST', path: `${CONTRACTS_PATH}/{id}/publish`, scopes: ADMIN, handle: publish },
    { method: 'GET', path: `${CONTRACTS_PATH}/{id}/metadata`, scopes: READ, handle: metadata },
  ],
};
