// Asset Management's conventions (API §1.3): HAL lists with a `page` object and paging links, `page`/`size`/`sort`
// parameters, integer etags with If-Match on every change and If-None-Match for caching.
import { LIMITS } from '../core/limits';
import { ApiError, asObject, badRequest, type Exchange } from './http';
import { intParam } from './params';

export interface PageRequest {
  page: number;
  size: number;
  sortField: string;
  descending: boolean;
}

/** `page` (0-based), `size` (default 10, at most 2000) and a Spring-style `sort=field,asc|desc` among `sortable`. */
export function pageRequest(x: Exchange, sortable: readonly string[]): PageRequest {
  const page = intParam(x.query, 'page', 0, 1_000_000, 0);
  const size = intParam(x.query, 'size', 1, LIMITS.assetPageSizeMax.value, LIMITS.assetPageSizeDefault.value);
  const sort = x.query.get('sort') ?? 'name,asc';
  const m = /^\s*(\w+)\s*(?:,\s*(asc|desc|ASC|DESC)\s*)?$/.exec(sort);
  if (!m || !sortable.includes(m[1]!)) {
    throw badRequest(`Parameter 'sort' = '${sort}' is not supported; use field,asc or field,desc with a field among ${sortable.join(', ')}.`);
  }
  return { page, size, sortField: m[1]!, descending: m[2]?.toLowerCase() === 'desc' };
}

/** Sorts (stable, ties by `id`) and sends one page as a HAL list; `_embedded` is left out when the page is empty. */
export function sendPage<T>(x: Exchange, items: readonly T[], p: PageRequest, embedded: string,
  field: (item: T, name: string) => unknown, id: (item: T) => string, render: (item: T) => unknown): void {
  const direction = p.descending ? -1 : 1;
  const sorted = [...items].sort((a, b) => direction * (compare(field(a, p.sortField), field(b, p.sortField)) || compare(id(a), id(b))));
  const totalElements = sorted.length;
  const totalPages = Math.ceil(totalElements / p.size);
  const slice = sorted.slice(p.page * p.size, (p.page + 1) * p.size);
  const link = (page: number) => {
    const query = new URLSearchParams(x.query);
    query.set('page', String(page));
    query.set('size', String(p.size));
    return { href: `${x.origin}${x.url.pathname}?${query.toString().replace(/\+/g, '%20')}` };
  };
  const links: Record<string, { href: string }> = { self: link(p.page) };
  if (totalPages > 0) links.first = link(0);
  if (p.page > 0 && totalPages > 0) links.prev = link(Math.min(p.page - 1, totalPages - 1));
  if (p.page + 1 < totalPages) links.next = link(p.page + 1);
  if (totalPages > 0) links.last = link(totalPages - 1);
  x.send(200, {
    ...(slice.length ? { _embedded: { [embedded]: slice.map(render) } } : {}),
    page: { size: p.size, totalElements, totalPages, number: p.page },
    _links: links,
  }, {}, 'application/hal+json');
}

function compare(a: unknown, b: unknown): number {
  if (a === b) return 0;
  if (a === null || a === undefined) return -1;
  if (b === null || b === undefined) return 1;
  return String(a) < String(b) ? -1 : 1;
}

/** Sends one resource with its ETag; a GET whose If-None-Match names the current etag gets 304. */
export function sendResource(x: Exchange, body: unknown, etag: number, status = 200): void {
  const headers = { ETag: `"${etag}"` };
  if (x.req.method === 'GET' && parseEtags(x.header('if-none-match')).some((e) => e === String(etag) || e === '*')) {
    x.send(304, undefined, headers);
    return;
  }
  x.send(status, body, headers, 'application/hal+json');
}

function parseEtags(header: string | undefined): string[] {
  if (!header) return [];
  return header.split(',').map((e) => e.trim().replace(/^W\//, '').replace(/^"(.*)"$/, '$1'));
}

/**
 * Optimistic locking: changing a resource needs `If-Match` with its current etag. Missing is 428 Precondition Required
 * (the sandbox's choice where MindSphere's documentation is silent), a stale etag 412 Precondition Failed.
 */
export function checkIfMatch(x: Exchange, current: number, what: string): void {
  const header = x.header('if-match');
  if (header === undefined || header.trim() === '') {
    throw new ApiError(428, 'preconditionRequired', `If-Match is required to change ${what}: send If-Match: ${current} (its current etag).`);
  }
  const tags = parseEtags(header);
  if (tags.includes('*')) return;
  if (!tags.every((t) => /^\d+$/.test(t))) throw badRequest(`If-Match '${header}' is not an etag: etags are integers such as ${current}.`);
  // If-Match compares strongly: a weak etag (W/"3") never matches (RFC 9110 §13.1.1), not even the current one.
  const strong = parseEtags(header.split(',').filter((t) => !/^\s*W\//.test(t)).join(','));
  if (!strong.includes(String(current)) && tags.includes(String(current))) {
    throw new ApiError(412, 'noMatch', `If-Match ${header} is a weak etag, which never matches If-Match (RFC 9110 §13.1.1): send If-Match: "${current}".`);
  }
  if (!tags.includes(String(current))) {
    // 412 carries noMatch: the generic code a Siemens API documents for it (API §1.3).
    throw new ApiError(412, 'noMatch', `${what} was changed by someone else: If-Match is ${header}, the current etag is ${current}. Read it again and retry.`);
  }
}

/** A JSON object body; with `mergePatch`, `application/merge-patch+json` (or plain JSON) is required. */
export async function jsonObjectBody(x: Exchange, maxBytes: number, mergePatch = false): Promise<Record<string, unknown>> {
  return asObject(await x.json(maxBytes, mergePatch ? 'application/merge-patch+json' : 'application/json'));
}

/** RFC 7396 JSON merge patch: null removes a member, objects merge recursively, everything else replaces. */
export function mergePatch(target: unknown, patch: unknown): unknown {
  if (typeof patch !== 'object' || patch === null || Array.isArray(patch)) return patch;
  const out: Record<string, unknown> = typeof target === 'object' && target !== null && !Array.isArray(target) ? { ...target } : {};
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete out[key];
    else out[key] = mergePatch(out[key], value);
  }
  return out;
}
