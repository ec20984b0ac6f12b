// Data Hub OData (seed §4, §8): the entity sets of a published contract, read as typed rows. A read follows
// `@odata.nextLink` until the end; a Time Series or Aggregate read bounded by `timestamp gt '…' and timestamp le '…'`
// is also split like the IoT Time Series reader (read-plan.ts): when a response comes back full (MindSphere returns at
// most 2000 objects, seed §8.6), the rest of the range is cut, on whole seconds (Data Hub times have no fractions,
// §8.3), into pieces of fewer than 2000 objects that are fetched concurrently and emitted in order.
import { z } from 'zod';
import { classifyEntitySet } from '../core/contract';
import { formatDataHubTime } from '../core/lint/rules/helpers';
import { LIMITS } from '../core/limits';
import { collectComparisons, type FilterNode, parseFilter } from '../core/odata';
import { parseIsoTime } from '../core/time';
import { CLIENT_ERROR_CODES, MindSphereError, type RequestInfo } from './errors';
import { buildUrl, commaList, getText, type Http, type QueryValue } from './http';
import { cutRange, type PieceSource, readPieces } from './read-plan';

export type ODataValue = string | number | boolean | null;
export type ODataRow = Readonly<Record<string, ODataValue>>;

/** An object of the `Assets` entity set. */
export interface AssetRow extends ODataRow {
  readonly assetId: string;
  readonly name: string;
  readonly typeId: string;
}

/** An object of a `TS_{AspectType}_{AspectName}_{AssetType}` entity set: a time and the aspect's variables. */
export interface TimeSeriesRow extends ODataRow {
  readonly assetId: string;
  /** ISO 8601, UTC. */
  readonly timestamp: string;
}

/** An object of an `AGGR_{AspectType}_{AspectName}_{AssetType}` entity set: one value of one variable in one interval. */
export interface AggregateRow extends ODataRow {
  readonly assetId: string;
  readonly aggregationType: string;
  readonly variableName: string;
  readonly intervalUnit: string;
  readonly intervalValue: number;
  readonly intervalCount: number;
  /** The end of the interval (it holds the points after the previous end, up to this one). */
  readonly timestamp: string;
  readonly value: number | null;
}

/** The row type of an entity set, from its name. */
export type RowOf<S extends string> = S extends 'Assets' ? AssetRow : S extends `TS_${string}` ? TimeSeriesRow
  : S extends `AGGR_${string}` ? AggregateRow : ODataRow;

export interface EntitySetQuery {
  /** OData `$filter`, e.g. `assetId eq '…' and timestamp gt '2024-01-01T00:00:00' and timestamp le '2024-01-02T00:00:00'`. */
  readonly filter?: string;
  readonly orderby?: string;
  readonly top?: number;
  readonly skip?: number;
  readonly select?: string | readonly string[];
  /** Ask for `@odata.count` (for Time Series and Aggregates MindSphere's count is wrong, seed §8.6). */
  readonly count?: boolean;
  readonly signal?: AbortSignal;
  readonly onProgress?: (progress: ODataProgress) => void;
  /** Requests in flight at once for a split read (the client's default otherwise). */
  readonly concurrency?: number;
}

export interface ODataProgress {
  readonly rows: number;
  readonly requests: number;
  /** From the density seen so far, for a split read. */
  readonly estimatedTotal?: number;
}

export interface EntitySetResult<R> {
  readonly rows: R[];
  /** `@odata.count` of the first response, when asked for. */
  readonly count?: number;
  readonly requests: number;
}

/** The application name of a contract, or the name itself: the service root is `/odata/{applicationName}/`. */
export type ContractRef = string | { readonly applicationName: string };

const value = z.union([z.string(), z.number(), z.boolean(), z.null()]);
const anyRow = z.record(z.string(), value);
const ROW_SCHEMAS = {
  asset: z.looseObject({ assetId: z.string(), name: z.string(), typeId: z.string() }).catchall(value),
  timeSeries: z.looseObject({ assetId: z.string(), timestamp: z.string() }).catchall(value),
  aggregate: z.looseObject({ assetId: z.string(), aggregationType: z.string(), variableName: z.string(), intervalUnit: z.string(),
    intervalValue: z.number(), intervalCount: z.number(), timestamp: z.string(), value: z.number().nullable() }).catchall(value),
} as const;

function pageSchema(row: z.ZodType) {
  return z.looseObject({ value: z.array(row), '@odata.nextLink': z.string().optional(), '@odata.count': z.number().optional() });
}

interface Page {
  readonly rows: ODataRow[];
  readonly next?: string;
  readonly count?: number;
}

interface Target {
  readonly path: string;
  readonly query: Readonly<Record<string, QueryValue>>;
}

const CAP = LIMITS.maxRecordsPerRequest.value;
const SECOND = 1000;

/** Aim split pieces at this share of the cap, so a little unevenness does not overflow them (as read-plan.ts). */
const FILL = 0.9;

export function servicePath(contract: ContractRef): string {
  return `/odata/${encodeURIComponent(typeof contract === 'string' ? contract : contract.applicationName)}`;
}

/** The top-level `timestamp gt '…'` and `timestamp le '…'` of a filter, when both are whole seconds. */
export function timestampBounds(filter: string): { from: number; to: number } | undefined {
  const parsed = parseFilter(filter);
  if (!parsed.ast || parsed.errors.length) return undefined;
  const conjuncts = (n: FilterNode): FilterNode[] => (n.type === 'binary' && n.operator === 'and' ? [...conjuncts(n.left), ...conjuncts(n.right)] : [n]);
  let from: number | undefined;
  let to: number | undefined;
  for (const node of conjuncts(parsed.ast)) {
    const c = collectComparisons(node)[0];
    if (!c || c.node !== node || c.attribute !== 'timestamp' || c.value?.type !== 'literal' || c.value.kind !== 'string') continue;
    const t = parseIsoTime(String(c.value.value));
    if (t === undefined || t % SECOND !== 0) return undefined;
    if (c.operator === 'gt') from = Math.max(from ?? -Infinity, t);
    else if (c.operator === 'le') to = Math.min(to ?? Infinity, t);
  }
  return from !== undefined && to !== undefined && from < to ? { from, to } : undefined;
}

export function createODataApi(http: Http, gateway: string, defaults: { concurrency: number }) {
  /** One response: a request, or a next link (which must point back to the gateway: the token goes nowhere else). */
  async function fetchPage(target: Target, schema: z.ZodType, signal: AbortSignal): Promise<Page> {
    const response = await http.send({ method: 'GET', path: target.path, query: target.query, schema: pageSchema(schema), signal });
    const data = response.data as z.infer<ReturnType<typeof pageSchema>>;
    return { rows: data.value as ODataRow[], ...(data['@odata.nextLink'] ? { next: data['@odata.nextLink'] } : {}),
      ...(data['@odata.count'] !== undefined ? { count: data['@odata.count'] } : {}) };
  }

  /** The URLs a read has requested (its first one included), as a server whose next links go round is a loop. */
  const requested = (first: Target) => new Set([buildUrl(gateway, first.path, first.query)]);

  /** Where a next link leads; `followed` (see requested) gets its URL, or the read stops when it has it already. */
  function followTarget(link: string, request: RequestInfo, followed: Set<string>): Target {
    const base = new URL(gateway);
    const url = new URL(link, base);
    const prefix = base.pathname.replace(/\/$/, '');
    if (url.origin !== base.origin || !url.pathname.startsWith(prefix)) {
      throw new MindSphereError({ status: 200, code: CLIENT_ERROR_CODES.invalidResponse, request,
        serverMessage: `the next link points to ${url.origin}, not to the gateway ${base.origin}; it was not followed (the token is sent to the gateway only)` });
    }
    const target = { path: url.pathname.slice(prefix.length), query: Object.fromEntries(url.searchParams) };
    const key = buildUrl(gateway, target.path, target.query);
    if (followed.has(key)) {
      throw new MindSphereError({ status: 200, code: CLIENT_ERROR_CODES.invalidResponse, request,
        serverMessage: `the next link ${link} leads to a page this read has already requested; the read stopped rather than go round again` });
    }
    followed.add(key);
    return target;
  }

  /**
   * Every object of an entity set that the query selects, page by page, in the server's order. Stopping the iteration,
   * an abort of `signal` or the deadline stop every request in flight.
   */
  async function* stream<S extends string>(contract: ContractRef, entitySet: S, options: EntitySetQuery = {}): AsyncGenerator<readonly RowOf<S>[]> {
    const path = `${servicePath(contract)}/${encodeURIComponent(entitySet)}`;
    const request: RequestInfo = { method: 'GET', path };
    const kind = classifyEntitySet(entitySet);
    const select = commaList(options.select);
    const schema = select || !kind ? anyRow : ROW_SCHEMAS[kind];
    const query: Record<string, QueryValue> = { $filter: options.filter || undefined, $orderby: options.orderby || undefined,
      $top: options.top, $skip: options.skip, $select: select, $count: options.count ? 'true' : undefined };
    const bounds = options.filter && (kind === 'timeSeries' || kind === 'aggregate') && !options.top && !options.skip && !options.count &&
      (!options.orderby || /^\s*timestamp(\s+asc)?\s*$/.test(options.orderby)) && (!select || select.split(',').includes('timestamp'))
      ? timestampBounds(options.filter) : undefined;
    const deadline = http.deadline(options.signal, request);
    try {
      if (bounds) {
        yield* splitRead(path, query, options, bounds, schema, deadline, request) as AsyncGenerator<readonly RowOf<S>[]>;
        return;
      }
      let target: Target = { path, query };
      const followed = requested(target);
      for (let requests = 1, rows = 0; ; requests++) {
        const page = await fetchPage(target, schema, deadline.signal);
        deadline.restart();
        rows += page.rows.length;
        options.onProgress?.({ rows, requests });
        if (requests === 1) counts.set(options, page.count);
        yield page.rows as unknown as readonly RowOf<S>[];
        if (!page.next) return;
        target = followTarget(page.next, request, followed);
      }
    } finally {
      deadline.dispose();
    }
  }

  /** The first response's `@odata.count` of a stream, handed to query() (streams yield rows only). */
  const counts = new WeakMap<EntitySetQuery, number | undefined>();

  async function* splitRead(path: string, query: Record<string, QueryValue>, options: EntitySetQuery, range: { from: number; to: number },
    schema: z.ZodType, deadline: ReturnType<Http['deadline']>, request: RequestInfo): AsyncGenerator<readonly ODataRow[]> {
    const filter = options.filter!;
    const concurrency = Math.max(1, options.concurrency ?? defaults.concurrency);
    // Data Hub writes timestamps without a zone; they are UTC (Date.parse would read them as local time).
    const timeOf = (row: ODataRow) => parseIsoTime(String(row.timestamp)) ?? Number.NaN;
    const slots: Slot[] = [{ from: range.from, to: range.to, state: 'pending' }];
    let received = 0;
    let covered = 0;
    let requests = 0;

    /**
     * One piece. A full response keeps the whole seconds it covers and the rest of the piece is cut by the density seen;
     * when one second holds more than a response, that second is read to its end through the next links first.
     */
    const read = async (slot: Slot): Promise<void> => {
      const pieceFilter = `(${filter}) and timestamp gt '${formatDataHubTime(slot.from)}' and timestamp le '${formatDataHubTime(slot.to)}'`;
      requests++;
      const first: Target = { path, query: { ...query, $filter: pieceFilter } };
      const page = await fetchPage(first, schema, deadline.signal);
      deadline.restart();
      let rows = page.rows;
      let next = page.next;
      const followed = requested(first);
      const follow = async (link: string) => {
        requests++;
        const more = await fetchPage(followTarget(link, request, followed), schema, deadline.signal);
        deadline.restart();
        rows = rows.concat(more.rows);
        next = more.next;
      };
      // A response may end early without objects (the server's limit on work per request): read on until some come.
      while (next && rows.length === 0) await follow(next);
      let done = slot.to;
      const lastTime = () => timeOf(rows[rows.length - 1]!);
      if (next) {
        let end = Math.floor(lastTime() / SECOND) * SECOND;
        if (end <= slot.from) {
          end = Math.min(slot.to, slot.from + SECOND);
          while (next && lastTime() <= end) await follow(next);
        }
        if (next) {
          rows = rows.filter((r) => timeOf(r) <= end);
          done = end;
          const rest = cutRange(end, slot.to, rows.length / (end - slot.from), CAP * FILL, SECOND);
          slots.splice(slots.indexOf(slot) + 1, 0, ...rest.map((p): Slot => ({ ...p, state: 'pending' })));
        }
      }
      Object.assign(slot, { to: done, state: 'done', rows });
      received += rows.length;
      covered += done - slot.from;
      const remaining = slots.reduce((n, s) => n + (s.state === 'done' ? 0 : s.to - s.from), 0);
      options.onProgress?.({ rows: received, requests, estimatedTotal: Math.round(received + (received / covered) * remaining) });
    };

    const plan: PieceSource<Slot, readonly ODataRow[]> = {
      next() {
        const slot = slots.find((s) => s.state === 'pending');
        if (slot) slot.state = 'running';
        return slot;
      },
      *takeReady() {
        while (slots[0]?.state === 'done') {
          const rows = slots.shift()!.rows ?? [];
          if (rows.length) yield rows;
        }
      },
      get finished() {
        return slots.length === 0;
      },
    };
    yield* readPieces(plan, read, concurrency, (reason) => deadline.abort(reason));
  }

  /** All objects the query selects, in one array (see stream). */
  async function query<S extends string>(contract: ContractRef, entitySet: S, options: EntitySetQuery = {}): Promise<EntitySetResult<RowOf<S>>> {
    const rows: RowOf<S>[] = [];
    let requests = 0;
    const own: EntitySetQuery = { ...options, onProgress: (p) => {
      requests = p.requests;
      options.onProgress?.(p);
    } };
    for await (const page of stream(contract, entitySet, own)) rows.push(...page);
    const count = counts.get(own);
    return { rows, requests, ...(count !== undefined ? { count } : {}) };
  }

  return {
    stream,
    queryEntitySet: query,
    /** The service's CSDL XML (`$metadata`): entity types, keys and capabilities. */
    metadata: (contract: ContractRef, options: { signal?: AbortSignal } = {}): Promise<string> =>
      getText(http, `${servicePath(contract)}/$metadata`, 'application/xml', options.signal),
    /** The entity sets of the service (its service document). */
    async entitySets(contract: ContractRef, options: { signal?: AbortSignal } = {}): Promise<string[]> {
      const path = `${servicePath(contract)}/`;
      const schema = z.looseObject({ value: z.array(z.looseObject({ name: z.string() })) });
      return (await http.request({ method: 'GET', path, schema, signal: options.signal })).data.value.map((e) => e.name);
    },
  };
}

interface Slot {
  from: number;
  to: number;
  state: 'pending' | 'running' | 'done';
  rows?: readonly ODataRow[];
}

export type ODataApi = ReturnType<typeof createODataApi>;
