// The tenant's asset types and aspect types, as the Asset Management API returns them (API §1.3): HAL lists
// (`_embedded.assetTypes` / `_embedded.aspectTypes`), plain arrays, or an object holding both. `mdsp/unknown-name`
// checks names against it.

export interface SchemaAspectType {
  readonly id: string;
  readonly name: string;
  readonly variables: readonly string[];
}

export interface SchemaAssetType {
  readonly id: string;
  readonly name: string;
  readonly parentTypeId?: string;
  /** Aspect name → aspect type id. */
  readonly aspects: ReadonlyMap<string, string>;
  /** Variables defined directly on the asset type. */
  readonly variables: readonly string[];
}

export interface TenantSchema {
  readonly assetTypes: ReadonlyMap<string, SchemaAssetType>;
  readonly aspectTypes: ReadonlyMap<string, SchemaAspectType>;
}

export interface TenantSchemaResult {
  readonly schema: TenantSchema;
  /** Problems with the input (nothing recognisable, items without ids). */
  readonly problems: readonly string[];
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown): string => (typeof v === 'string' ? v : '');
const names = (v: unknown): string[] => (Array.isArray(v) ? v.filter(isObj).map((x) => str(x.name)).filter(Boolean) : []);

/** The items of a HAL list (`{_embedded: {key: [...]}}`), a plain array, or `{key: …}` holding either. */
function itemsOf(value: unknown, key: 'assetTypes' | 'aspectTypes'): unknown[] | undefined {
  if (Array.isArray(value)) return value;
  if (!isObj(value)) return undefined;
  const embedded = value._embedded;
  if (isObj(embedded) && Array.isArray(embedded[key])) return embedded[key] as unknown[];
  if (key in value) return itemsOf(value[key], key);
  return undefined;
}

/** An asset type has aspects or a parent type; an aspect type has a category (static|dynamic) and no aspects. */
const looksLikeAssetType = (x: Obj) => 'aspects' in x || 'parentTypeId' in x || 'instantiable' in x;

/**
 * Reads a tenant schema from parsed JSON: one HAL list or array of either kind, `{assetTypes, aspectTypes}`, or an array
 * of several such documents (for example the two list responses saved side by side). Never throws.
 */
export function readTenantSchema(json: unknown): TenantSchemaResult {
  const assetTypes = new Map<string, SchemaAssetType>();
  const aspectTypes = new Map<string, SchemaAspectType>();
  const problems: string[] = [];

  const addAspectType = (x: Obj) => {
    const id = str(x.id);
    if (!id) return problems.push(`An aspect type without an "id" was skipped (name "${str(x.name)}").`);
    aspectTypes.set(id, { id, name: str(x.name) || id, variables: names(x.variables) });
  };
  const addAssetType = (x: Obj) => {
    const id = str(x.id);
    if (!id) return problems.push(`An asset type without an "id" was skipped (name "${str(x.name)}").`);
    const aspects = new Map<string, string>();
    for (const a of Array.isArray(x.aspects) ? x.aspects.filter(isObj) : []) {
      // The API embeds the whole aspect type ({name, aspectType: {...}}); hand-written files may give just its id.
      const type = a.aspectType;
      const typeId = isObj(type) ? str(type.id) : str(type);
      if (isObj(type) && typeId) addAspectType(type);
      if (str(a.name)) aspects.set(str(a.name), typeId);
    }
    const parentTypeId = str(x.parentTypeId);
    assetTypes.set(id, { id, name: str(x.name) || id, aspects, variables: names(x.variables), ...(parentTypeId ? { parentTypeId } : {}) });
  };

  const take = (doc: unknown, depth: number): void => {
    if (depth > 3) return;
    if (isObj(doc) && (isObj(doc._embedded) || 'assetTypes' in doc || 'aspectTypes' in doc)) {
      for (const x of (itemsOf(doc, 'assetTypes') ?? []).filter(isObj)) addAssetType(x);
      for (const x of (itemsOf(doc, 'aspectTypes') ?? []).filter(isObj)) addAspectType(x);
      return;
    }
    if (Array.isArray(doc)) {
      for (const x of doc) {
        if (isObj(x) && !isObj(x._embedded) && !('assetTypes' in x) && !('aspectTypes' in x)) {
          if (looksLikeAssetType(x)) addAssetType(x);
          else addAspectType(x);
        } else {
          take(x, depth + 1);
        }
      }
    }
  };
  take(json, 0);
  if (assetTypes.size === 0 && aspectTypes.size === 0) {
    problems.push('No asset types or aspect types found: expected the JSON of GET /api/assetmanagement/v3/assettypes or ' +
      '/aspecttypes (HAL lists with _embedded.assetTypes / _embedded.aspectTypes), plain arrays of them, or ' +
      '{"assetTypes": […], "aspectTypes": […]}.');
  }
  return { schema: { assetTypes, aspectTypes }, problems };
}

/** Every aspect name of the tenant, with the aspect type each stands for. */
export function aspectNames(schema: TenantSchema): Map<string, string> {
  const out = new Map<string, string>();
  for (const t of schema.assetTypes.values()) for (const [name, typeId] of t.aspects) out.set(name, typeId);
  return out;
}
