// Asset Management v3, asset types and aspect types (API §1.3): lists and reads (asset types `exploded` with what they
// inherit through `parentTypeId`), create-or-update with PUT, merge-patch, delete; ids `{tenant}.{name}`.
import { LIMITS } from '../../core/limits';
import type { SandboxContext } from '../context';
import { aspectTypeSubject, assetTypeSubject, compileFilter } from '../filter';
import { checkIfMatch, jsonObjectBody, mergePatch, pageRequest, sendPage, sendResource } from '../hal';
import { ApiError, asObject, badRequest, type Exchange, notFound, shortJson, valueText } from '../http';
import { type AspectType, type AssetType, DATA_TYPES, type DataType, valueTextProblem, type VariableDefinition } from '../model';
import { contractStore } from '../odata/store';
import { boolParam } from '../params';
import { variable as makeVariable } from '../plant';
import type { Route } from '../router';

export const AM = '/api/assetmanagement/v3';

const VARIABLE_NAME = /^[A-Za-z0-9_]{1,64}$/;
const RESERVED = new Set<string>(LIMITS.reservedVariableNames.value);

export function renderAspectTypeVariables(t: AspectType): VariableDefinition[] {
  return t.variables.map((v) => ({ ...v }));
}

function renderAspectType(x: Exchange, t: AspectType): Record<string, unknown> {
  return {
    id: t.id, name: t.name, category: t.category, scope: t.scope, description: t.description, tenantId: t.tenantId, etag: t.etag,
    variables: renderAspectTypeVariables(t), sharing: { modes: [] }, _links: { self: { href: `${x.origin}${AM}/aspecttypes/${t.id}` } },
  };
}

function renderAssetType(x: Exchange, ctx: SandboxContext, t: AssetType, exploded: boolean): Record<string, unknown> {
  const model = ctx.model;
  const aspects = exploded ? model.aspectsOfType(t.id) : t.aspects.flatMap((a) => {
    const aspectType = model.aspectTypes.get(a.aspectTypeId);
    return aspectType ? [{ name: a.name, aspectType, declaredBy: t.id }] : [];
  });
  const variables = exploded ? model.variablesOfType(t.id) : t.variables.map((variable) => ({ variable, declaredBy: t.id }));
  const origin = (typeId: string) => ({ origin: { href: `${x.origin}${AM}/assettypes/${typeId}` } });
  return {
    id: t.id, name: t.name, description: t.description, parentTypeId: t.parentTypeId ?? undefined, instantiable: t.instantiable,
    scope: t.scope, tenantId: t.tenantId, etag: t.etag,
    aspects: aspects.map((a) => ({ name: a.name, aspectType: renderAspectType(x, a.aspectType), _links: origin(a.declaredBy) })),
    variables: variables.map(({ variable, declaredBy }) => ({ ...variable, _links: origin(declaredBy) })),
    fileAssignments: [], sharing: { modes: [] },
    _links: { self: { href: `${x.origin}${AM}/assettypes/${t.id}` },
      ...(t.parentTypeId ? { parent: { href: `${x.origin}${AM}/assettypes/${t.parentTypeId}` } } : {}) },
  };
}

/** A type id this tenant may write: `{tenant}.{name}` with MindSphere's characters (API §1.1). */
function writableId(ctx: SandboxContext, id: string, what: string): void {
  if (!LIMITS.typeIdPattern.value.test(id)) {
    throw badRequest(`${what} id '${id}' is not valid: use {tenant}.{name} with A-Z a-z 0-9 _ . (at most 128 characters).`);
  }
  if (id.startsWith('core.')) throw new ApiError(403, 'forbidden', `${what} '${id}' is a core type and cannot be changed.`);
  const prefix = `${ctx.credentials.tenant}.`;
  if (!id.startsWith(prefix)) throw badRequest(`${what} id '${id}' must start with the tenant prefix '${prefix}'.`);
}

/**
 * A variable's value or default as Asset Management keeps it (text, see valueText), refused with a 400 when it does
 * not fit the variable's data type; `where` locates the variable in the body (`variables[0]`).
 */
export function variableValueText(value: unknown, v: VariableDefinition, where: string, field: 'value' | 'defaultValue'): string | null {
  const text = valueText(value, `${where}: the ${field} of '${v.name}'`);
  const expected = text === null ? undefined : valueTextProblem(v, text);
  if (expected) {
    throw badRequest(`${where}: '${v.name}' is ${v.dataType}, so its ${field} cannot be ${shortJson(value, 40)}: send ${expected}.`,
      'invalidRequestBodyProperty');
  }
  return text;
}

function variables(value: unknown, what: string, dynamicAspect: boolean | undefined): VariableDefinition[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw badRequest(`'${what}' must be an array of variable definitions.`, 'invalidRequestBodyProperty');
  const seen = new Set<string>();
  return value.map((item, i) => {
    const v = asObject(item, `${what}[${i}]`);
    const name = v.name;
    if (typeof name !== 'string' || !VARIABLE_NAME.test(name)) {
      throw badRequest(`${what}[${i}]: name ${shortJson(name)} is not valid: 1 to 64 characters of A-Z a-z 0-9 _.`, 'invalidRequestBodyProperty');
    }
    if (RESERVED.has(name)) throw badRequest(`${what}[${i}]: '${name}' is a reserved word and cannot name a variable.`, 'invalidRequestBodyProperty');
    if (seen.has(name)) throw badRequest(`${what}: variable '${name}' is defined twice.`, 'invalidRequestBodyProperty');
    seen.add(name);
    const dataType = v.dataType as DataType;
    if (!DATA_TYPES.includes(dataType)) {
      throw badRequest(`${what}[${i}]: dataType ${shortJson(v.dataType)} is not one of ${DATA_TYPES.join(', ')}.`, 'invalidRequestBodyProperty');
    }
    if (dataType === 'BIG_STRING' && dynamicAspect !== true) {
      throw badRequest(`${what}[${i}]: BIG_STRING is allowed only in dynamic aspect types.`, 'invalidRequestBodyProperty');
    }
    if (v.qualityCode === true && dynamicAspect !== true) {
      throw badRequest(`${what}[${i}]: qualityCode is allowed only in dynamic aspect types.`, 'invalidRequestBodyProperty');
    }
    const def = makeVariable(name, dataType, typeof v.unit === 'string' ? v.unit : '', dynamicAspect === undefined ? undefined : v.qualityCode === true);
    const maxLength = dataType === 'STRING' ? LIMITS.stringMaxLength.value : dataType === 'BIG_STRING' ? LIMITS.bigStringMaxLength.value : undefined;
    if (v.length !== undefined && v.length !== null) {
      if (!maxLength || !Number.isInteger(v.length) || (v.length as number) < 1 || (v.length as number) > maxLength) {
        throw badRequest(`${what}[${i}]: length applies to STRING (1..${LIMITS.stringMaxLength.value}) and BIG_STRING (1..${LIMITS.bigStringMaxLength.value}).`,
          'invalidRequestBodyProperty');
      }
      def.length = v.length as number;
    }
    if (typeof v.searchable === 'boolean') def.searchable = v.searchable;
    const defaultValue = variableValueText(v.defaultValue, def, `${what}[${i}]`, 'defaultValue');
    if (defaultValue !== null) def.defaultValue = defaultValue;
    return def;
  });
}

function scope(value: unknown): 'public' | 'private' {
  if (value === undefined || value === null) return 'private';
  if (value !== 'public' && value !== 'private') throw badRequest(`scope must be public or private.`, 'invalidRequestBodyProperty');
  return value;
}

function text(value: unknown, name: string, max: number, required = false): string {
  if (value === undefined || value === null) {
    if (required) throw badRequest(`'${name}' is required.`, 'missingRequestBodyProperty');
    return '';
  }
  if (typeof value !== 'string' || value.length > max) throw badRequest(`'${name}' must be a string of at most ${max} characters.`, 'invalidRequestBodyProperty');
  return value;
}

/**
 * Removing, retyping or resizing what instances rely on is refused while the type is in use; adding is always fine.
 * A variable's length "cannot be changed" (the Siemens SDK's model): a shorter one would leave stored values that fail
 * every later check of their asset.
 */
function keepsExisting(before: readonly VariableDefinition[], after: readonly VariableDefinition[]): boolean {
  return before.every((b) => after.some((a) => a.name === b.name && a.dataType === b.dataType && a.length === b.length));
}

// ---- aspect types

function aspectTypeFromBody(ctx: SandboxContext, id: string, body: Record<string, unknown>, etag: number): AspectType {
  const category = body.category;
  if (category !== 'static' && category !== 'dynamic') throw badRequest(`'category' is required: static or dynamic.`, 'missingRequestBodyProperty');
  const name = text(body.name, 'name', 128, true);
  const vars = variables(body.variables, 'variables', category === 'dynamic');
  if (vars.length === 0) throw badRequest('An aspect type needs at least one variable.', 'missingRequestBodyProperty');
  return { id, name, category, scope: scope(body.scope), description: text(body.description, 'description', 2048),
    tenantId: ctx.credentials.tenant, etag, variables: vars };
}

function getAspectType(ctx: SandboxContext, id: string): AspectType {
  const t = ctx.model.aspectTypes.get(id);
  if (!t) throw notFound(`Aspect type '${id}' does not exist.`);
  return t;
}

function aspectTypeUsers(ctx: SandboxContext, id: string): AssetType[] {
  return [...ctx.model.assetTypes.values()].filter((t) => t.aspects.some((a) => a.aspectTypeId === id));
}

function saveAspectType(x: Exchange, ctx: SandboxContext, existing: AspectType | undefined, next: AspectType): void {
  if (existing) {
    if (aspectTypeUsers(ctx, existing.id).length && (next.category !== existing.category || !keepsExisting(existing.variables, next.variables))) {
      throw new ApiError(409, 'conflict', `Aspect type '${existing.id}' is used by asset types: its category and existing variables cannot change; add variables instead.`);
    }
    next.etag = existing.etag + 1;
  }
  ctx.model.aspectTypes.set(next.id, next);
  ctx.modelChanged();
  sendResource(x, renderAspectType(x, next), next.etag, existing ? 200 : 201);
}

async function putAspectType(x: Exchange, ctx: SandboxContext): Promise<void> {
  const id = x.params.id!;
  writableId(ctx, id, 'Aspect type');
  const body = await jsonObjectBody(x, ctx.maxBodyBytes);
  const existing = ctx.model.aspectTypes.get(id);
  if (existing) {
    if (x.header('if-none-match')?.trim() === '*') throw new ApiError(412, 'noMatch', `Aspect type '${id}' already exists (If-None-Match: *).`);
    checkIfMatch(x, existing.etag, `aspect type '${id}'`);
  }
  saveAspectType(x, ctx, existing, aspectTypeFromBody(ctx, id, body, 0));
}

async function patchAspectType(x: Exchange, ctx: SandboxContext): Promise<void> {
  const existing = getAspectType(ctx, x.params.id!);
  writableId(ctx, existing.id, 'Aspect type');
  const patch = await jsonObjectBody(x, ctx.maxBodyBytes, true);
  checkIfMatch(x, existing.etag, `aspect type '${existing.id}'`);
  const { id: _id, etag: _etag, tenantId: _tenant, ...editable } = existing;
  saveAspectType(x, ctx, existing, aspectTypeFromBody(ctx, existing.id, asObject(mergePatch(editable, patch)), 0));
}

function deleteAspectType(x: Exchange, ctx: SandboxContext): void {
  const existing = getAspectType(ctx, x.params.id!);
  writableId(ctx, existing.id, 'Aspect type');
  checkIfMatch(x, existing.etag, `aspect type '${existing.id}'`);
  const users = aspectTypeUsers(ctx, existing.id);
  if (users.length) throw new ApiError(409, 'conflict', `Aspect type '${existing.id}' is used by ${users.map((t) => t.id).join(', ')}; remove it from them first.`);
  ctx.model.aspectTypes.delete(existing.id);
  ctx.modelChanged();
  x.send(204);
}

// ---- asset types

function getAssetType(ctx: SandboxContext, id: string): AssetType {
  const t = ctx.model.assetTypes.get(id);
  if (!t) throw notFound(`Asset type '${id}' does not exist.`);
  return t;
}

function assetTypeFromBody(ctx: SandboxContext, id: string, body: Record<string, unknown>): AssetType {
  const model = ctx.model;
  const parentTypeId = body.parentTypeId;
  if (typeof parentTypeId !== 'string') throw badRequest(`'parentTypeId' is required, e.g. core.basicasset.`, 'missingRequestBodyProperty');
  if (!model.assetTypes.has(parentTypeId)) throw badRequest(`Parent type '${parentTypeId}' does not exist.`, 'invalidRequestBodyProperty');
  if (model.hasType(parentTypeId, id)) throw badRequest(`Type '${id}' cannot derive from '${parentTypeId}': that would make a cycle.`, 'invalidRequestBodyProperty');
  const inherited = model.aspectsOfType(parentTypeId).map((a) => a.name);
  const seen = new Set<string>();
  const rawAspects = body.aspects ?? [];
  if (!Array.isArray(rawAspects)) throw badRequest(`'aspects' must be an array of {name, aspectTypeId}.`, 'invalidRequestBodyProperty');
  const aspects = rawAspects.map((item, i) => {
    const a = asObject(item, `aspects[${i}]`);
    const name = a.name;
    // Reads accept the exploded form ({name, aspectType:{id}}) too, so a GET result can be PUT back.
    const aspectTypeId = a.aspectTypeId ?? (a.aspectType as { id?: unknown } | undefined)?.id;
    if (typeof name !== 'string' || !VARIABLE_NAME.test(name) || RESERVED.has(name)) {
      throw badRequest(`aspects[${i}]: name ${shortJson(name)} is not valid: 1 to 64 characters of A-Z a-z 0-9 _, not a reserved word.`, 'invalidRequestBodyProperty');
    }
    if (seen.has(name) || inherited.includes(name)) throw badRequest(`aspects[${i}]: aspect '${name}' is already defined (here or by a parent type).`, 'invalidRequestBodyProperty');
    seen.add(name);
    if (typeof aspectTypeId !== 'string' || !model.aspectTypes.has(aspectTypeId)) {
      throw badRequest(`aspects[${i}]: aspect type ${shortJson(aspectTypeId)} does not exist.`, 'invalidRequestBodyProperty');
    }
    return { name, aspectTypeId };
  });
  const instantiable = body.instantiable ?? true;
  if (typeof instantiable !== 'boolean') throw badRequest(`'instantiable' must be a boolean.`, 'invalidRequestBodyProperty');
  return {
    id, name: text(body.name, 'name', 128, true), description: text(body.description, 'description', 2048), parentTypeId,
    instantiable, scope: scope(body.scope), tenantId: ctx.credentials.tenant, etag: 0, aspects,
    variables: variables(body.variables, 'variables', undefined),
  };
}

/** Types in use (instances, or types deriving from it) keep their parent, aspects and variables; they may gain more. */
function saveAssetType(x: Exchange, ctx: SandboxContext, existing: AssetType | undefined, next: AssetType): void {
  if (existing) {
    const model = ctx.model;
    const inUse = [...model.assets.values()].some((a) => !a.deleted && model.hasType(a.typeId, existing.id));
    const keeps = next.parentTypeId === existing.parentTypeId && keepsExisting(existing.variables, next.variables) &&
      existing.aspects.every((a) => next.aspects.some((b) => b.name === a.name && b.aspectTypeId === a.aspectTypeId));
    if (inUse && !keeps) {
      throw new ApiError(409, 'conflict', `Asset type '${existing.id}' has assets: its parent, aspects and variables cannot change or go; add new ones instead.`);
    }
    next.etag = existing.etag + 1;
  }
  ctx.model.assetTypes.set(next.id, next);
  ctx.modelChanged();
  sendResource(x, renderAssetType(x, ctx, next, boolParam(x.query, 'exploded')), next.etag, existing ? 200 : 201);
}

async function putAssetType(x: Exchange, ctx: SandboxContext): Promise<void> {
  const id = x.params.id!;
  writableId(ctx, id, 'Asset type');
  const body = await jsonObjectBody(x, ctx.maxBodyBytes);
  const existing = ctx.model.assetTypes.get(id);
  if (existing) {
    if (x.header('if-none-match')?.trim() === '*') throw new ApiError(412, 'noMatch', `Asset type '${id}' already exists (If-None-Match: *).`);
    checkIfMatch(x, existing.etag, `asset type '${id}'`);
  }
  saveAssetType(x, ctx, existing, assetTypeFromBody(ctx, id, body));
}

async function patchAssetType(x: Exchange, ctx: SandboxContext): Promise<void> {
  const existing = getAssetType(ctx, x.params.id!);
  writableId(ctx, existing.id, 'Asset type');
  const patch = await jsonObjectBody(x, ctx.maxBodyBytes, true);
  checkIfMatch(x, existing.etag, `asset type '${existing.id}'`);
  const { id: _id, etag: _etag, tenantId: _tenant, ...editable } = existing;
  saveAssetType(x, ctx, existing, assetTypeFromBody(ctx, existing.id, asObject(mergePatch(editable, patch))));
}

function deleteAssetType(x: Exchange, ctx: SandboxContext): void {
  const existing = getAssetType(ctx, x.params.id!);
  writableId(ctx, existing.id, 'Asset type');
  checkIfMatch(x, existing.etag, `asset type '${existing.id}'`);
  const model = ctx.model;
  const assets = [...model.assets.values()].filter((a) => !a.deleted && a.typeId === existing.id).length;
  const derived = [...model.assetTypes.values()].filter((t) => t.parentTypeId === existing.id).map((t) => t.id);
  if (assets || derived.length) {
    throw new ApiError(409, 'conflict', `Asset type '${existing.id}' is in use (${assets} asset(s)${derived.length ? `; derived types ${derived.join(', ')}` : ''}); delete those first.`);
  }
  // A published contract's service joins all contracts of its application name: without the type, none is served.
  const contract = [...contractStore(ctx).contracts.values()].find((c) => c.status === 'Published' && c.assetTypes.includes(existing.id));
  if (contract) {
    throw new ApiError(409, 'conflict', `Asset type '${existing.id}' is in use by contract '${contract.name}' ${contract.version} ` +
      `(published as ${contract.applicationName}); delete or change the contract first.`);
  }
  model.assetTypes.delete(existing.id);
  ctx.modelChanged();
  x.send(204);
}

export function typeRoutes(read: readonly string[], admin: readonly string[]): Route[] {
  return [
    { method: 'GET', path: `${AM}/aspecttypes`, scopes: read, handle: (x, ctx) => {
      const p = pageRequest(x, ['name', 'id', 'category']);
      const text = x.query.get('filter');
      const filter = text ? compileFilter(text, aspectTypeSubject) : undefined;
      const items = [...ctx.model.aspectTypes.values()].filter((t) => !filter || filter.test(t));
      sendPage(x, items, p, 'aspectTypes', (t, f) => (t as unknown as Record<string, unknown>)[f], (t) => t.id, (t) => renderAspectType(x, t));
    } },
    { method: 'GET', path: `${AM}/aspecttypes/{id}`, scopes: read, handle: (x, ctx) => {
      const t = getAspectType(ctx, x.params.id!);
      sendResource(x, renderAspectType(x, t), t.etag);
    } },
    { method: 'PUT', path: `${AM}/aspecttypes/{id}`, scopes: admin, handle: putAspectType },
    { method: 'PATCH', path: `${AM}/aspecttypes/{id}`, scopes: admin, handle: patchAspectType },
    { method: 'DELETE', path: `${AM}/aspecttypes/{id}`, scopes: admin, handle: deleteAspectType },
    { method: 'GET', path: `${AM}/assettypes`, scopes: read, handle: (x, ctx) => {
      const p = pageRequest(x, ['name', 'id', 'parentTypeId']);
      const exploded = boolParam(x.query, 'exploded');
      const text = x.query.get('filter');
      const filter = text ? compileFilter(text, assetTypeSubject) : undefined;
      const items = [...ctx.model.assetTypes.values()].filter((t) => !filter || filter.test(t));
      sendPage(x, items, p, 'assetTypes', (t, f) => (t as unknown as Record<string, unknown>)[f], (t) => t.id,
        (t) => renderAssetType(x, ctx, t, exploded));
    } },
    { method: 'GET', path: `${AM}/assettypes/{id}`, scopes: read, handle: (x, ctx) => {
      const t = getAssetType(ctx, x.params.id!);
      sendResource(x, renderAssetType(x, ctx, t, boolParam(x.query, 'exploded')), t.etag);
    } },
    { method: 'PUT', path: `${AM}/assettypes/{id}`, scopes: admin, handle: putAssetType },
    { method: 'PATCH', path: `${AM}/assettypes/{id}`, scopes: admin, handle: patchAssetType },
    { method: 'DELETE', path: `${AM}/assettypes/{id}`, scopes: admin, handle: deleteAssetType },
  ];
}
