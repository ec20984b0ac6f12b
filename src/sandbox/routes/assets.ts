// Asset Management v3, assets (API §1.3): HAL lists with filter/sort/paging, `/assets/root`, hierarchy paths, an asset's
// aspects and variables, create/update/merge-patch/delete with etags, move and location. Types are in types.ts.
import { randomBytes } from 'node:crypto';
import { SCOPES } from '../auth';
import type { SandboxContext } from '../context';
import { assetSubject, compileFilter } from '../filter';
import { checkIfMatch, jsonObjectBody, mergePatch, pageRequest, sendPage, sendResource } from '../hal';
import { ApiError, asObject, badRequest, type Exchange, notFound } from '../http';
import type { Asset, Location, NameValue, VariableDefinition } from '../model';
import { boolParam } from '../params';
import type { ApiModule, Route } from '../router';
import { AM, renderAspectTypeVariables, typeRoutes, variableValueText } from './types';

const ASSET_SORT = ['name', 'assetId', 'typeId', 'parentId', 'externalId', 'timezone', 'twinType', 'description'];
const NAME = /^[^/\\]{1,128}$/;

function getAsset(ctx: SandboxContext, id: string): Asset {
  const asset = ctx.model.liveAsset(id);
  if (!asset) throw notFound(`Asset '${id}' does not exist in tenant ${ctx.credentials.tenant}.`);
  return asset;
}

function renderAsset(x: Exchange, ctx: SandboxContext, a: Asset, basicFieldsOnly = false): Record<string, unknown> {
  const self = `${x.origin}${AM}/assets/${a.assetId}`;
  const model = ctx.model;
  const resource: Record<string, unknown> = {
    assetId: a.assetId, tenantId: a.tenantId, name: a.name, externalId: a.externalId, description: a.description,
    typeId: a.typeId, parentId: a.parentId ?? undefined, timezone: a.timezone, twinType: a.twinType,
  };
  if (!basicFieldsOnly) {
    const values = new Map(a.variables.map((v) => [v.name, v.value]));
    Object.assign(resource, {
      location: a.location ?? undefined,
      variables: model.variablesOfType(a.typeId).map(({ variable }) => ({ name: variable.name, value: values.get(variable.name) ?? variable.defaultValue })),
      aspects: model.aspectsOfType(a.typeId).filter((s) => s.aspectType.category === 'static').map((s) => {
        const given = new Map((a.aspects.find((g) => g.name === s.name)?.variables ?? []).map((v) => [v.name, v.value]));
        return { name: s.name, variables: s.aspectType.variables.map((v) => ({ name: v.name, value: given.get(v.name) ?? v.defaultValue })) };
      }),
      fileAssignments: [],
      locks: [],
    });
  }
  Object.assign(resource, {
    deleted: a.deleted, sharing: { modes: [] }, etag: a.etag,
    hierarchyPath: model.hierarchyPath(a),
    _links: {
      self: { href: self },
      ...(a.parentId ? { parent: { href: `${x.origin}${AM}/assets/${a.parentId}` } } : {}),
      children: { href: `${x.origin}${AM}/assets?filter=${encodeURIComponent(JSON.stringify({ parentId: a.assetId }))}` },
      variables: { href: `${self}/variables` },
      aspects: { href: `${self}/aspects` },
      location: { href: `${self}/location` },
    },
  });
  return resource;
}

function listAssets(x: Exchange, ctx: SandboxContext): void {
  const p = pageRequest(x, ASSET_SORT);
  const basicFieldsOnly = boolParam(x.query, 'basicFieldsOnly');
  boolParam(x.query, 'includeShared'); // accepted; the sandbox has no shared assets
  const text = x.query.get('filter');
  const filter = text ? compileFilter(text, assetSubject(ctx.model)) : undefined;
  const items = [...ctx.model.assets.values()].filter((a) => (filter?.mentionsDeleted || !a.deleted) && (!filter || filter.test(a)));
  sendPage(x, items, p, 'assets', (a, f) => (a as unknown as Record<string, unknown>)[f], (a) => a.assetId,
    (a) => renderAsset(x, ctx, a, basicFieldsOnly));
}

/** Reads and checks the editable fields of an asset body against its type. */
function assetFields(ctx: SandboxContext, body: Record<string, unknown>, typeId: string) {
  const str = (name: string, max: number, required = false): string | undefined => {
    const v = body[name];
    if (v === undefined || v === null) {
      if (required) throw badRequest(`'${name}' is required.`, 'missingRequestBodyProperty');
      return undefined;
    }
    if (typeof v !== 'string' || v.length > max) throw badRequest(`'${name}' must be a string of at most ${max} characters.`, 'invalidRequestBodyProperty');
    return v;
  };
  const name = str('name', 128, true)!;
  if (!NAME.test(name)) throw badRequest(`Asset name '${name}' is not valid: 1 to 128 characters without / or \\.`, 'invalidRequestBodyProperty');
  const timezone = str('timezone', 64);
  if (timezone !== undefined) {
    try {
      new Intl.DateTimeFormat('en', { timeZone: timezone });
    } catch {
      throw badRequest(`'${timezone}' is not a time zone; use an IANA zone id such as Europe/Berlin.`, 'invalidRequestBodyProperty');
    }
  }
  const twinType = body.twinType;
  if (twinType !== undefined && twinType !== 'performance' && twinType !== 'simulation') {
    throw badRequest(`twinType must be performance or simulation.`, 'invalidRequestBodyProperty');
  }
  const typeVariables = new Map(ctx.model.variablesOfType(typeId).map(({ variable }) => [variable.name, variable]));
  const variables = nameValues(body.variables, 'variables', typeVariables, typeId);
  const staticAspects = new Map(ctx.model.aspectsOfType(typeId).filter((a) => a.aspectType.category === 'static')
    .map((a) => [a.name, new Map(a.aspectType.variables.map((v) => [v.name, v]))]));
  let aspects: { name: string; variables: NameValue[] }[] | undefined;
  if (body.aspects !== undefined && body.aspects !== null) {
    if (!Array.isArray(body.aspects)) throw badRequest(`'aspects' must be an array of {name, variables}.`, 'invalidRequestBodyProperty');
    aspects = body.aspects.map((item, i) => {
      const a = asObject(item, `aspects[${i}]`);
      const allowed = typeof a.name === 'string' ? staticAspects.get(a.name) : undefined;
      if (!allowed) {
        throw badRequest(`aspects[${i}]: '${String(a.name)}' is not a static aspect of type ${typeId}; static aspects: ${[...staticAspects.keys()].join(', ') || 'none'}.`,
          'invalidRequestBodyProperty');
      }
      return { name: a.name as string, variables: nameValues(a.variables, `aspects[${i}].variables`, allowed, `aspect ${String(a.name)}`) ?? [] };
    });
  }
  return {
    name, externalId: str('externalId', 255), description: str('description', 2048), timezone,
    twinType: twinType as Asset['twinType'] | undefined, location: location(body.location), variables, aspects,
  };
}

/** `{name, value}` items, each naming one of the `allowed` variables and holding a value of its data type. */
function nameValues(value: unknown, what: string, allowed: ReadonlyMap<string, VariableDefinition>, owner: string): NameValue[] | undefined {
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value)) throw badRequest(`'${what}' must be an array of {name, value}.`, 'invalidRequestBodyProperty');
  return value.map((item, i) => {
    const v = asObject(item, `${what}[${i}]`);
    const definition = typeof v.name === 'string' ? allowed.get(v.name) : undefined;
    if (!definition) {
      throw badRequest(`${what}[${i}]: '${String(v.name)}' is not a variable of ${owner}; its variables: ${[...allowed.keys()].join(', ') || 'none'}.`, 'invalidRequestBodyProperty');
    }
    return { name: definition.name, value: variableValueText(v.value, definition, `${what}[${i}]`, 'value') };
  });
}

const LOCATION_TEXT = ['country', 'region', 'locality', 'streetAddress', 'postalCode'] as const;

function location(value: unknown): Location | null | undefined {
  if (value === undefined) return undefined;
  if (value === null) return null;
  const o = asObject(value, "'location'");
  const out: Location = {};
  for (const key of LOCATION_TEXT) {
    if (o[key] === undefined || o[key] === null) continue;
    if (typeof o[key] !== 'string') throw badRequest(`location.${key} must be a string.`, 'invalidRequestBodyProperty');
    out[key] = o[key] as string;
  }
  for (const [key, max] of [['latitude', 90], ['longitude', 180]] as const) {
    const v = o[key];
    if (v === undefined || v === null) continue;
    if (typeof v !== 'number' || Math.abs(v) > max) throw badRequest(`location.${key} must be a number from -${max} to ${max}.`, 'invalidRequestBodyProperty');
    out[key] = v;
  }
  return out;
}

async function createAsset(x: Exchange, ctx: SandboxContext): Promise<void> {
  const body = await jsonObjectBody(x, ctx.maxBodyBytes);
  const typeId = body.typeId;
  if (typeof typeId !== 'string') throw badRequest(`'typeId' is required: the asset type to instantiate, e.g. ${ctx.credentials.tenant}.Pump.`, 'missingRequestBodyProperty');
  const type = ctx.model.assetTypes.get(typeId);
  if (!type) throw badRequest(`Asset type '${typeId}' does not exist.`, 'invalidRequestBodyProperty');
  if (!type.instantiable) throw badRequest(`Asset type '${typeId}' is not instantiable.`, 'invalidRequestBodyProperty');
  if (typeof body.parentId !== 'string') throw badRequest(`'parentId' is required: the id of the parent asset (the root is ${ctx.model.rootId}).`, 'missingRequestBodyProperty');
  const parent = ctx.model.liveAsset(body.parentId);
  if (!parent) throw badRequest(`Parent asset '${body.parentId}' does not exist.`, 'invalidRequestBodyProperty');
  const f = assetFields(ctx, body, typeId);
  let assetId: string;
  do assetId = randomBytes(16).toString('hex');
  while (ctx.model.assets.has(assetId));
  const asset: Asset = {
    assetId, tenantId: ctx.credentials.tenant, name: f.name, externalId: f.externalId ?? '', description: f.description ?? '',
    typeId, parentId: parent.assetId, timezone: f.timezone ?? parent.timezone, twinType: f.twinType ?? 'performance',
    location: f.location ?? null, variables: f.variables ?? [], aspects: f.aspects ?? [], etag: 0, deleted: null, generated: false,
  };
  ctx.model.assets.set(assetId, asset);
  ctx.modelChanged();
  sendResource(x, renderAsset(x, ctx, asset), asset.etag, 201);
}

/**
 * Applies a whole asset document (a PUT body, or the asset with a merge patch applied) and bumps its etag: fields it
 * leaves out are cleared, as RFC 7396 removes the members a patch sets to null.
 */
function update(ctx: SandboxContext, asset: Asset, body: Record<string, unknown>): void {
  if (body.typeId !== undefined && body.typeId !== asset.typeId) {
    throw badRequest(`The type of an asset cannot change (it is ${asset.typeId}); create a new asset instead.`, 'invalidRequestBodyProperty');
  }
  if (body.parentId !== undefined && body.parentId !== asset.parentId) {
    throw badRequest(`Use POST ${AM}/assets/${asset.assetId}/move with {"newParentId"} to change the parent.`, 'invalidRequestBodyProperty');
  }
  const f = assetFields(ctx, body, asset.typeId);
  asset.name = f.name;
  asset.externalId = f.externalId ?? '';
  asset.description = f.description ?? '';
  asset.timezone = f.timezone ?? asset.timezone;
  asset.twinType = f.twinType ?? asset.twinType;
  asset.location = f.location ?? null;
  asset.variables = f.variables ?? [];
  asset.aspects = f.aspects ?? [];
  asset.etag++;
  ctx.modelChanged();
}

/** The editable view of an asset that a merge patch applies to. */
function editable(asset: Asset): Record<string, unknown> {
  const { name, externalId, description, timezone, twinType, location: loc, variables, aspects } = asset;
  return { name, externalId, description, timezone, twinType, location: loc, variables, aspects };
}

async function putAsset(x: Exchange, ctx: SandboxContext): Promise<void> {
  const asset = getAsset(ctx, x.params.id!);
  const body = await jsonObjectBody(x, ctx.maxBodyBytes);
  checkIfMatch(x, asset.etag, `asset '${asset.name}'`);
  update(ctx, asset, body);
  sendResource(x, renderAsset(x, ctx, asset), asset.etag);
}

async function patchAsset(x: Exchange, ctx: SandboxContext): Promise<void> {
  const asset = getAsset(ctx, x.params.id!);
  const patch = await jsonObjectBody(x, ctx.maxBodyBytes, true);
  checkIfMatch(x, asset.etag, `asset '${asset.name}'`);
  update(ctx, asset, asObject(mergePatch(editable(asset), patch)));
  sendResource(x, renderAsset(x, ctx, asset), asset.etag);
}

function deleteAsset(x: Exchange, ctx: SandboxContext): void {
  const asset = getAsset(ctx, x.params.id!);
  checkIfMatch(x, asset.etag, `asset '${asset.name}'`);
  if (asset.assetId === ctx.model.rootId) throw new ApiError(409, 'conflict', 'The root asset of the tenant cannot be deleted.');
  const children = ctx.model.children(asset.assetId);
  if (children.length) {
    throw new ApiError(409, 'conflict', `Asset '${asset.name}' has ${children.length} child asset(s); delete or move them first.`);
  }
  asset.deleted = new Date().toISOString();
  asset.etag++;
  ctx.modelChanged();
  x.send(204);
}

async function moveAsset(x: Exchange, ctx: SandboxContext): Promise<void> {
  const asset = getAsset(ctx, x.params.id!);
  const body = await jsonObjectBody(x, ctx.maxBodyBytes);
  checkIfMatch(x, asset.etag, `asset '${asset.name}'`);
  const target = body.newParentId;
  if (typeof target !== 'string') throw badRequest(`'newParentId' is required: the id of the new parent asset.`, 'missingRequestBodyProperty');
  if (asset.assetId === ctx.model.rootId) throw badRequest('The root asset cannot move.');
  const parent = ctx.model.liveAsset(target);
  if (!parent) throw badRequest(`New parent asset '${target}' does not exist.`, 'invalidRequestBodyProperty');
  if (target === asset.assetId || ctx.model.isDescendant(target, asset.assetId)) {
    throw badRequest(`Asset '${asset.name}' cannot move below itself or one of its descendants.`, 'invalidRequestBodyProperty');
  }
  asset.parentId = target;
  asset.etag++;
  ctx.modelChanged();
  sendResource(x, renderAsset(x, ctx, asset), asset.etag);
}

async function putLocation(x: Exchange, ctx: SandboxContext): Promise<void> {
  const asset = getAsset(ctx, x.params.id!);
  const body = await jsonObjectBody(x, ctx.maxBodyBytes);
  checkIfMatch(x, asset.etag, `asset '${asset.name}'`);
  asset.location = location(body) ?? null;
  asset.etag++;
  sendResource(x, asset.location, asset.etag);
}

function deleteLocation(x: Exchange, ctx: SandboxContext): void {
  const asset = getAsset(ctx, x.params.id!);
  checkIfMatch(x, asset.etag, `asset '${asset.name}'`);
  asset.location = null;
  asset.etag++;
  x.send(204);
}

function listAspects(x: Exchange, ctx: SandboxContext): void {
  const asset = getAsset(ctx, x.params.id!);
  const p = pageRequest(x, ['name']);
  const values = new Map(asset.aspects.map((a) => [a.name, new Map(a.variables.map((v) => [v.name, v.value]))]));
  const self = `${x.origin}${AM}/assets/${asset.assetId}`;
  sendPage(x, ctx.model.aspectsOfType(asset.typeId), p, 'aspects', (a) => a.name, (a) => a.name, (a) => ({
    aspectTypeId: a.aspectType.id, holderAssetId: asset.assetId, name: a.name, category: a.aspectType.category,
    description: a.aspectType.description,
    variables: renderAspectTypeVariables(a.aspectType).map((v) => ({ ...v, ...(a.aspectType.category === 'static'
      ? { value: values.get(a.name)?.get(v.name) ?? v.defaultValue } : {}) })),
    _links: { self: { href: `${self}/aspects` }, asset: { href: self }, aspectType: { href: `${x.origin}${AM}/aspecttypes/${a.aspectType.id}` } },
  }));
}

/** An asset's variables: those of its type (with values) and those of its aspects, named `aspect.variable`. */
function listVariables(x: Exchange, ctx: SandboxContext): void {
  const asset = getAsset(ctx, x.params.id!);
  const p = pageRequest(x, ['name']);
  const values = new Map(asset.variables.map((v) => [v.name, v.value]));
  const rows = [
    ...ctx.model.variablesOfType(asset.typeId).map(({ variable, declaredBy }) => ({
      ...variable, value: values.get(variable.name) ?? variable.defaultValue,
      _links: { origin: { href: `${x.origin}${AM}/assettypes/${declaredBy}` } },
    })),
    ...ctx.model.aspectsOfType(asset.typeId).flatMap((a) => a.aspectType.variables.map((v) => ({
      ...v, name: `${a.name}.${v.name}`, aspectName: a.name, aspectTypeId: a.aspectType.id,
      _links: { origin: { href: `${x.origin}${AM}/aspecttypes/${a.aspectType.id}` } },
    }))),
  ];
  sendPage(x, rows, p, 'variables', (r) => r.name, (r) => r.name, (r) => r);
}

// MindSphere's billboard also links `files` (the SDK's BillboardResource); the sandbox serves no Files API, and a link a
// client can follow only to a 404 would be worse than none (the SDK's `files` is optional, so clients expect it missing).
function billboard(x: Exchange): void {
  const href = (path: string) => ({ href: `${x.origin}${AM}${path}` });
  x.send(200, { self: href('/'), aspectTypes: href('/aspecttypes'), assetTypes: href('/assettypes'), assets: href('/assets') },
    {}, 'application/hal+json');
}

const READ = [SCOPES.assetsRead, SCOPES.assetsAdmin];
const ADMIN = [SCOPES.assetsAdmin];

const assetRoutes: Route[] = [
  { method: 'GET', path: AM, scopes: READ, handle: billboard },
  { method: 'GET', path: `${AM}/assets`, scopes: READ, handle: listAssets },
  { method: 'POST', path: `${AM}/assets`, scopes: ADMIN, handle: createAsset },
  // Before /assets/{id}, so `root` is not taken for an id (API §1.9 #7).
  { method: 'GET', path: `${AM}/assets/root`, scopes: READ, handle: (x, ctx) => {
    const root = getAsset(ctx, ctx.model.rootId);
    sendResource(x, renderAsset(x, ctx, root), root.etag);
  } },
  { method: 'GET', path: `${AM}/assets/{id}`, scopes: READ, handle: (x, ctx) => {
    const asset = getAsset(ctx, x.params.id!);
    sendResource(x, renderAsset(x, ctx, asset, boolParam(x.query, 'basicFieldsOnly')), asset.etag);
  } },
  { method: 'PUT', path: `${AM}/assets/{id}`, scopes: ADMIN, handle: putAsset },
  { method: 'PATCH', path: `${AM}/assets/{id}`, scopes: ADMIN, handle: patchAsset },
  { method: 'DELETE', path: `${AM}/assets/{id}`, scopes: ADMIN, handle: deleteAsset },
  // The SDK's MoveAsset posts {newParentId} to the asset itself; the documented path is /move. Both work.
  { method: 'POST', path: `${AM}/assets/{id}`, scopes: ADMIN, handle: moveAsset },
  { method: 'POST', path: `${AM}/assets/{id}/move`, scopes: ADMIN, handle: moveAsset },
  { method: 'PUT', path: `${AM}/assets/{id}/location`, scopes: ADMIN, handle: putLocation },
  { method: 'DELETE', path: `${AM}/assets/{id}/location`, scopes: ADMIN, handle: deleteLocation },
  { method: 'GET', path: `${AM}/assets/{id}/aspects`, scopes: READ, handle: listAspects },
  { method: 'GET', path: `${AM}/assets/{id}/variables`, scopes: READ, handle: listVariables },
];

export const assetManagementApi: ApiModule = {
  name: 'Asset Management v3',
  prefix: AM,
  family: 'mdsp',
  routes: [...assetRoutes, ...typeRoutes(READ, ADMIN)],
};
