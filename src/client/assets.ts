// Asset Management v3 (API §1.3): assets, their aspects and variables, asset types and aspect types. Lists are HAL pages;
// `list*` functions return async iterators that fetch page after page as the caller consumes them.
import type { z } from 'zod';
import { LIMITS } from '../core/limits';
import { CLIENT_ERROR_CODES, MindSphereError } from './errors';
import type { Http, QueryValue } from './http';
import {
  type Asset, type AssetAspect, assetAspectSchema, assetSchema, type AssetType, assetTypeSchema, type AssetVariable,
  assetVariableSchema, type AspectType, aspectTypeSchema, checkPageNumber, halPageSchema,
} from './schemas';

const BASE = '/api/assetmanagement/v3';

export interface ListOptions {
  /** Asset Management filter JSON (an object, or its text). */
  readonly filter?: string | Readonly<Record<string, unknown>>;
  /** Spring style, e.g. `name,asc`. */
  readonly sort?: string;
  /** Items per request; 200 is what MindSphere recommends. */
  readonly pageSize?: number;
  readonly signal?: AbortSignal;
}

export interface PageResult<T> {
  readonly items: T[];
  /** 0-based page number, and the number of pages and items the server reports. */
  readonly page: number;
  readonly totalPages: number;
  readonly totalElements: number;
}

export function createAssetsApi(http: Http) {
  async function getOne<T>(path: string, schema: z.ZodType<T>, signal: AbortSignal | undefined, query?: Record<string, QueryValue>): Promise<T> {
    return (await http.request({ method: 'GET', path, schema, signal, ...(query ? { query } : {}) })).data;
  }

  /** One page of a HAL list. */
  async function page<T>(path: string, key: string, item: z.ZodType<T>, pageNumber: number, options: ListOptions & { query?: Record<string, QueryValue> } = {}): Promise<PageResult<T> & { readonly counted: boolean }> {
    const size = options.pageSize ?? LIMITS.assetPageSizeRecommended.value;
    const filter = typeof options.filter === 'object' ? JSON.stringify(options.filter) : options.filter;
    const data = await getOne(path, halPageSchema(key, item), options.signal,
      { page: pageNumber, size, filter: filter || undefined, sort: options.sort, ...options.query });
    checkPageNumber(data.page, pageNumber, path);
    const items = (data._embedded?.[key] ?? []) as T[];
    const info = data.page;
    // No more pages than the elements fill, whatever totalPages says.
    const filled = info && info.size > 0 ? Math.ceil(info.totalElements / info.size) : Infinity;
    return {
      items,
      page: info?.number ?? pageNumber,
      totalPages: info ? Math.min(info.totalPages, filled) : items.length < size ? pageNumber + 1 : pageNumber + 2,
      totalElements: info?.totalElements ?? items.length,
      // Without a page object the page count is a guess from the items, and checkPageNumber had nothing to check.
      counted: info !== undefined,
    };
  }

  /** Every item of a HAL list, fetching the next page only when the caller gets there. */
  async function* all<T>(path: string, key: string, item: z.ZodType<T>, options: ListOptions & { query?: Record<string, QueryValue> } = {}): AsyncGenerator<T> {
    let previous = '';
    for (let n = 0; ; n++) {
      const result = await page(path, key, item, n, options);
      // A server that ignores `page` and sends no page object would otherwise answer the same full page forever. (With a
      // page object, checkPageNumber has caught that already: no need to compare the pages.)
      const current = result.counted ? '' : JSON.stringify(result.items);
      if (n > 0 && !result.counted && current === previous) {
        throw new MindSphereError({ status: 200, request: { method: 'GET', path }, code: CLIENT_ERROR_CODES.invalidResponse,
          serverMessage: `page ${n} of the list repeats page ${n - 1}: the server ignores the page asked for; the list was not read further` });
      }
      previous = current;
      yield* result.items;
      if (result.items.length === 0 || n + 1 >= result.totalPages) return;
    }
  }

  const listAssets = (options: ListOptions = {}) => all(`${BASE}/assets`, 'assets', assetSchema, options);

  return {
    list: listAssets,
    page: (pageNumber: number, options: ListOptions = {}) => page(`${BASE}/assets`, 'assets', assetSchema, pageNumber, options),
    root: (options: { signal?: AbortSignal } = {}): Promise<Asset> => getOne(`${BASE}/assets/root`, assetSchema, options.signal),
    get: (assetId: string, options: { signal?: AbortSignal } = {}): Promise<Asset> =>
      getOne(`${BASE}/assets/${encodeURIComponent(assetId)}`, assetSchema, options.signal),
    /** The direct children of an asset. */
    children: (assetId: string, options: Omit<ListOptions, 'filter'> = {}) => listAssets({ ...options, filter: { parentId: assetId } }),
    aspects: (assetId: string, options: ListOptions = {}): AsyncGenerator<AssetAspect> =>
      all(`${BASE}/assets/${encodeURIComponent(assetId)}/aspects`, 'aspects', assetAspectSchema, options),
    variables: (assetId: string, options: ListOptions = {}): AsyncGenerator<AssetVariable> =>
      all(`${BASE}/assets/${encodeURIComponent(assetId)}/variables`, 'variables', assetVariableSchema, options),
    assetTypes: (options: ListOptions & { exploded?: boolean } = {}): AsyncGenerator<AssetType> =>
      all(`${BASE}/assettypes`, 'assetTypes', assetTypeSchema, { ...options, query: { exploded: options.exploded } }),
    assetType: (id: string, options: { signal?: AbortSignal; exploded?: boolean } = {}): Promise<AssetType> =>
      getOne(`${BASE}/assettypes/${encodeURIComponent(id)}`, assetTypeSchema, options.signal, { exploded: options.exploded }),
    aspectTypes: (options: ListOptions = {}): AsyncGenerator<AspectType> => all(`${BASE}/aspecttypes`, 'aspectTypes', aspectTypeSchema, options),
    aspectType: (id: string, options: { signal?: AbortSignal } = {}): Promise<AspectType> =>
      getOne(`${BASE}/aspecttypes/${encodeURIComponent(id)}`, aspectTypeSchema, options.signal),
  };
}

export type AssetsApi = ReturnType<typeof createAssetsApi>;
