// Data Hub OData v4, read-only (seed §4, §8), for every published contract: the service root `/odata/{applicationName}/`
// joins the published contracts of that application name. JSON only.
//   GET /odata/{app}/                 service document
//   GET /odata/{app}/$metadata        CSDL XML with keys and Capabilities annotations (for Mendix)
//   GET /odata/{app}/{EntitySet}      $filter $orderby $top $skip $count $select, at most 2000 objects per response and
//                                     @odata.nextLink for the rest (seed §8.6)
//   GET /odata/{app}/{EntitySet}/$count, GET /odata/{app}/Assets('{assetId}')
// Writes are refused with 405 (seed §8.1). `@odata.count` and `/$count` of Time Series and Aggregates are wrong as seed
// §8.6 warns: they count only the objects of one response (at most 2000), not the total.
import { didYouMean, suggest } from '../../core/lint/similar';
import { DATA_HUB_METHODS, LIMITS } from '../../core/limits';
import { SCOPES } from '../auth';
import type { SandboxContext } from '../context';
import { ApiError, badRequest, type Exchange, notFound } from '../http';
import type { ApiModule, Method, Route } from '../router';
import { aggregateRows, planAggregates } from '../odata/aggregate';
import { csdl } from '../odata/csdl';
import { limitation, type ODataQuery, readQuery, type Row, type Value } from '../odata/query';
import {
  assetRow, assetsOf, formatSkiptoken, invalidSkiptoken, parseSkiptoken, readPage, type Resume, timeSeriesRows,
} from '../odata/rows';
import { type EntitySetDef, entitySets } from '../odata/service';
import { contractStore } from '../odata/store';

const MAX = LIMITS.maxRecordsPerRequest.value;
/** Points one response may read before it answers with what it has and a next link (keeps every request quick). */
const POINT_BUDGET = 250_000;
const WRITES: readonly Method[] = ['POST', 'PUT', 'PATCH', 'DELETE', 'MERGE'];

interface Service {
  readonly applicationName: string;
  readonly root: string;
  readonly sets: readonly EntitySetDef[];
}

function service(x: Exchange, ctx: SandboxContext): Service {
  const applicationName = x.params.app!;
  const store = contractStore(ctx);
  const contracts = store.published(applicationName);
  if (contracts.length === 0) {
    const known = [...new Set([...store.contracts.values()].filter((c) => c.status === 'Published').map((c) => c.applicationName))];
    throw notFound(`No published contract has the application name '${applicationName}' in tenant ${ctx.credentials.tenant}: ` +
      `publish one (POST /api/datacontracts/v1/contracts/{id}/publish).${didYouMean(suggest(applicationName, known))}`);
  }
  return { applicationName, root: `${x.origin}/odata/${applicationName}/`, sets: entitySets(ctx.model, contracts) };
}

/** The entity set a path segment names (`TS_…`, or `Assets('…')` with a key). */
function entitySet(s: Service, segment: string): { set: EntitySetDef; key?: string } {
  const m = /^([^(]+)\('(.*)'\)$/.exec(segment);
  const name = m ? m[1]! : segment;
  const set = s.sets.find((e) => e.name === name);
  if (!set) {
    const names = s.sets.map((e) => e.name);
    throw notFound(`The service ${s.applicationName} has no entity set '${name}'.${didYouMean(suggest(name, names))} ` +
      `Its entity sets: ${names.join(', ')}.`);
  }
  return m ? { set, key: m[2]!.replace(/''/g, "'") } : { set };
}

const SET_SCOPES: Readonly<Record<EntitySetDef['kind'], readonly string[]>> = {
  asset: [SCOPES.assetsRead, SCOPES.assetsAdmin], timeSeries: [SCOPES.timeSeriesRead], aggregate: [SCOPES.aggregatesRead],
};

function checkScope(x: Exchange, set: EntitySetDef): void {
  const needed = SET_SCOPES[set.kind];
  if (!needed.some((s) => x.scopes.includes(s))) {
    throw new ApiError(403, 'forbidden', `Reading ${set.name} needs one of the scopes ${needed.join(', ')}; the token has ${x.scopes.join(', ') || 'none'}.`);
  }
}

/** Seed §8.1, also for a GET or POST that asks for a write with X-HTTP-Method. */
function refuseWrite(x: Exchange): never {
  const method = x.header('x-http-method') ?? x.header('x-http-method-override') ?? x.req.method ?? '';
  const target = x.params.set ?? x.url.pathname;
  throw limitation('8.1', `Data Hub is read-only: MindSphere refuses ${method.toUpperCase()} on ${target}. Read with GET here, and create, ` +
    'update or delete through the MindSphere REST APIs (Asset Management, IoT Time Series).', 405, { Allow: DATA_HUB_METHODS.value.join(', ') });
}

function checkRead(x: Exchange): void {
  const override = x.header('x-http-method') ?? x.header('x-http-method-override');
  if (override && !(DATA_HUB_METHODS.value as readonly string[]).includes(override.trim().toUpperCase())) refuseWrite(x);
}

interface Answer {
  readonly rows: readonly Row[];
  /** Right for assets; for time series and aggregates only the objects of this response (seed §8.6). */
  readonly count: number;
  readonly next?: { readonly skiptoken: string; readonly skip: number; readonly top?: number };
}

function answerAssets(ctx: SandboxContext, set: EntitySetDef, q: ODataQuery): Answer {
  const rows = assetsOf(ctx, set, q.equals.get('assetId')).map(assetRow).filter(q.predicate);
  for (const { property, descending } of [...q.orderBy].reverse()) {
    rows.sort((a, b) => compare(a.values[property], b.values[property]) * (descending ? -1 : 1));
  }
  const token = q.skiptoken;
  if (token !== undefined && !/^\d{1,9}$/.test(token)) throw invalidSkiptoken(token);
  const start = token !== undefined ? Number(token) : q.skip;
  const limit = Math.min(q.top ?? Infinity, MAX);
  const page = rows.slice(start, start + limit);
  const end = start + page.length;
  const more = end < rows.length && (q.top === undefined || q.top > page.length);
  return { rows: page, count: rows.length,
    ...(more ? { next: { skiptoken: String(end), skip: 0, ...(q.top !== undefined ? { top: q.top - page.length } : {}) } } : {}) };
}

function compare(a: Value | undefined, b: Value | undefined): number {
  if (a === b) return 0;
  if (a === null || a === undefined) return -1;
  if (b === null || b === undefined) return 1;
  return a < b ? -1 : 1;
}

/** Time series and aggregates: one response of at most 2000 objects, in time order, resuming at the skiptoken. */
function answerOrdered(ctx: SandboxContext, set: EntitySetDef, q: ODataQuery): Answer {
  const now = Date.now();
  const resume: Resume | undefined = parseSkiptoken(q.skiptoken);
  const descending = q.orderBy[0]?.descending ?? false;
  const assets = assetsOf(ctx, set, q.equals.get('assetId'));
  const meter = { cost: 0 };
  const stream = set.kind === 'timeSeries'
    ? timeSeriesRows(ctx, set, assets, q.from ?? -Infinity, q.to ?? now, descending, resume?.time, meter)
    : aggregateRows(ctx, set, assets, planAggregates(q, set, now), descending, resume?.time, meter);
  const page = readPage(stream, { resume, predicate: q.predicate, skip: q.skip, limit: Math.min(q.top ?? Infinity, MAX), budget: POINT_BUDGET, meter });
  const more = page.next !== undefined && (q.top === undefined || q.top > page.rows.length);
  return { rows: page.rows, count: page.rows.length,
    ...(more ? { next: { skiptoken: formatSkiptoken(page.next!), skip: page.skipLeft,
      ...(q.top !== undefined ? { top: q.top - page.rows.length } : {}) } } : {}) };
}

function answer(ctx: SandboxContext, set: EntitySetDef, q: ODataQuery): Answer {
  return set.kind === 'asset' ? answerAssets(ctx, set, q) : answerOrdered(ctx, set, q);
}

/** The request's own URL with the paging options of the next response. */
function nextLink(x: Exchange, next: NonNullable<Answer['next']>): string {
  const query = new URLSearchParams(x.query);
  query.set('$skiptoken', next.skiptoken);
  query.delete('$skip');
  if (next.skip > 0) query.set('$skip', String(next.skip));
  if (next.top !== undefined) query.set('$top', String(next.top));
  return `${x.origin}${x.url.pathname}?${query.toString().replace(/\+/g, '%20')}`;
}

function project(row: Row, select: readonly string[] | undefined): Record<string, Value> {
  if (!select) return { ...row.values };
  return Object.fromEntries(select.map((name) => [name, row.values[name] ?? null]));
}

const JSON_HEADERS = { 'OData-Version': '4.0' };

function serviceDocument(x: Exchange, ctx: SandboxContext): void {
  checkRead(x);
  const s = service(x, ctx);
  x.send(200, { '@odata.context': `${s.root}$metadata`, value: s.sets.map((e) => ({ name: e.name, kind: 'EntitySet', url: e.name })) },
    JSON_HEADERS);
}

function metadata(x: Exchange, ctx: SandboxContext): void {
  checkRead(x);
  const s = service(x, ctx);
  x.sendText(200, csdl(s.applicationName, s.sets, `Data Hub service ${s.applicationName} of tenant ${ctx.credentials.tenant}`),
    JSON_HEADERS, 'application/xml');
}

async function collection(x: Exchange, ctx: SandboxContext): Promise<void> {
  checkRead(x);
  const s = service(x, ctx);
  const { set, key } = entitySet(s, x.params.set!);
  checkScope(x, set);
  if (key !== undefined) {
    if (set.kind !== 'asset') {
      throw badRequest(`${set.name} is read through the entity set with $filter (for example $filter=assetId eq '…'), not by key.`);
    }
    const asset = assetsOf(ctx, set, new Set([key]))[0];
    if (!asset) throw notFound(`${set.name} has no asset '${key}'.`);
    x.send(200, { '@odata.context': `${s.root}$metadata#${set.name}/$entity`, ...assetRow(asset).values }, JSON_HEADERS);
    return;
  }
  const q = readQuery(x.query, set);
  const a = answer(ctx, set, q);
  await x.sendArray(200, a.rows.length, (i) => project(a.rows[i]!, q.select), JSON_HEADERS, {
    head: { '@odata.context': `${s.root}$metadata#${set.name}${q.select ? `(${q.select.join(',')})` : ''}`, ...(q.count ? { '@odata.count': a.count } : {}) },
    key: 'value',
    tail: a.next ? { '@odata.nextLink': nextLink(x, a.next) } : {},
  });
}

function count(x: Exchange, ctx: SandboxContext): void {
  checkRead(x);
  const s = service(x, ctx);
  const { set } = entitySet(s, x.params.set!);
  checkScope(x, set);
  x.sendText(200, String(answer(ctx, set, readQuery(x.query, set)).count), JSON_HEADERS, 'text/plain');
}

const READ_SCOPES = [SCOPES.assetsRead, SCOPES.assetsAdmin, SCOPES.timeSeriesRead, SCOPES.aggregatesRead];
const PATHS: ReadonlyArray<[string, Route['handle']]> = [
  ['/odata/{app}', serviceDocument],
  // Before {set}, so `$metadata` is not taken for an entity set.
  ['/odata/{app}/$metadata', metadata],
  ['/odata/{app}/{set}', collection],
  ['/odata/{app}/{set}/$count', count],
];

export const dataHubApi: ApiModule = {
  name: 'Data Hub OData',
  prefix: '/odata',
  family: 'mdsp',
  routes: PATHS.flatMap(([path, handle]) => [
    ...DATA_HUB_METHODS.value.map((m) => ({ method: m, path, scopes: READ_SCOPES, handle })),
    ...WRITES.map((m) => ({ method: m, path, scopes: READ_SCOPES, handle: refuseWrite })),
  ]),
};
