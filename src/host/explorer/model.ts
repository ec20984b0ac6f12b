// What the MindSphere explorer shows and how it loads, without VS Code: the asset hierarchy with lazily loaded, paged
// children ("Load more…"), asset types by derivation, aspect types, errors on the node that failed. One model per
// connection; tree.ts adapts it to a TreeDataProvider, and the tests and the benchmark drive it directly.
import {
  type Asset, type AspectType, type AssetType, collect, type DataHubContract, type MindSphereClient, type PageResult, type VariableDefinition,
} from '../../client';
import { LIMITS } from '../../core/limits';
import { addTo } from '../../core/multimap';
import type { ConnectionSummary } from '../connections/session';
import { messageOf } from '../util';
import {
  type AspectNode, type AspectTypeNode, type AssetNode, type AssetTypeNode, CHARTABLE_TYPES, type ConnectionNode, type ContractFileRef,
  type ErrorNode, type ExplorerNode, type GroupKind, type GroupNode, type LoadMoreNode, type VariableNode,
} from './nodes';

/** What the explorer needs of a MindSphere client. */
export type ExplorerSource = Pick<MindSphereClient['assets'], 'root' | 'get' | 'page' | 'aspects' | 'assetTypes' | 'aspectTypes'>;

/** What the Contracts node lists: the tenant's contracts and the workspace's `*.contract.json` files. */
export interface ContractsSource {
  tenant(signal: AbortSignal): Promise<DataHubContract[]>;
  files(): Promise<ContractFileRef[]>;
}

export interface ExplorerModelOptions {
  /** Children per page; MindSphere recommends 200 (the default). */
  readonly pageSize?: number;
  /** Called when a node's children changed (undefined: the whole tree). */
  readonly onChange?: (node: ExplorerNode | undefined) => void;
  /** Where the Contracts node gets its items; without it the connection has no Contracts node. */
  readonly contracts?: ContractsSource;
}

interface TypeIndex {
  readonly assetTypes: ReadonlyMap<string, AssetType>;
  readonly aspectTypes: ReadonlyMap<string, AspectType>;
  /** Types by their parent type id, each list by name. */
  readonly derived: ReadonlyMap<string, AssetType[]>;
  /** Types whose parent is not among the tenant's types: the tops of the derivation tree. */
  readonly roots: readonly AssetType[];
  /** Roots that are in a loop of parent types (a damaged tenant): their parent derives from them in turn. */
  readonly loops: ReadonlySet<string>;
}

/** The children of one asset: its aspects, then the child assets loaded so far. */
interface Listing {
  readonly aspects: ExplorerNode[];
  readonly assets: AssetNode[];
  nextPage: number | undefined;
  total: number;
  /** The last "Load more" failed with this message. */
  failure?: string;
  loading?: Promise<void>;
  /** Aborted when the listing is refreshed: "Load more" of a forgotten listing stops too. */
  readonly signal: AbortSignal;
}

/**
 * Loads by key, each started once and shared until forgotten. Forgetting one (a refresh) aborts it if it is still in
 * flight: a request the tenant never answers must not hold the node until the client's deadline. Whoever still awaits a
 * forgotten load gets the load that replaced it, so the late answer of an old request never shows over a newer one.
 */
class Loads<T> {
  private readonly entries = new Map<string, { readonly promise: Promise<T>; readonly controller: AbortController; settled: boolean }>();

  async get(key: string, load: (signal: AbortSignal) => Promise<T>): Promise<T> {
    for (;;) {
      const entry = this.entry(key, load);
      try {
        const value = await entry.promise;
        if (!entry.controller.signal.aborted) return value;
      } catch (error) {
        if (!entry.controller.signal.aborted) throw error;
      }
      // Forgotten while awaited: its answer (or its abort) is stale; take the load that replaces it.
    }
  }

  /** The load of `key` if one was started and not forgotten. */
  peek(key: string): Promise<T> | undefined {
    return this.entries.get(key)?.promise;
  }

  /**
   * Forgets the loads whose key `matches` (with `pendingOnly`, only those not answered yet) and aborts their signals:
   * what is still loading, and what an answered load started with its signal since ("Load more").
   */
  forget(matches: (key: string) => boolean, pendingOnly = false): void {
    for (const [key, entry] of [...this.entries]) {
      if (!matches(key) || (pendingOnly && entry.settled)) continue;
      this.entries.delete(key);
      entry.controller.abort(new Error('Refreshed.'));
    }
  }

  private entry(key: string, load: (signal: AbortSignal) => Promise<T>) {
    const existing = this.entries.get(key);
    if (existing) return existing;
    const controller = new AbortController();
    const entry = { promise: load(controller.signal), controller, settled: false };
    this.entries.set(key, entry);
    entry.promise.then(() => {
      entry.settled = true;
    }, () => {
      entry.settled = true;
      // A failure is not kept: the next ask (Retry, a refresh) asks the tenant again.
      if (this.entries.get(key) === entry) this.entries.delete(key);
    });
    return entry;
  }
}

const FIND_PAGE_SIZE = 50;
const TYPES = 'types';
const GROUPS: readonly GroupKind[] = ['assets', 'assetTypes', 'aspectTypes', 'contracts'];

export class ExplorerModel {
  readonly root: ConnectionNode;
  private readonly pageSize: number;
  private readonly lists = new Loads<ExplorerNode[]>();
  private readonly listings = new Loads<Listing>();
  /** One entry (TYPES): the asset types and aspect types, fetched together. */
  private readonly typeIndex = new Loads<TypeIndex>();
  private readonly groups = new Map<GroupKind, GroupNode>();

  constructor(connection: ConnectionSummary, private readonly source: () => Promise<ExplorerSource>, private readonly options: ExplorerModelOptions = {}) {
    this.root = { kind: 'connection', key: connection.id, parent: undefined, connection };
    this.pageSize = options.pageSize ?? LIMITS.assetPageSizeRecommended.value;
  }

  /** The same object each time: VS Code's tree matches the elements it is told to refresh by identity. */
  group(group: GroupKind): GroupNode {
    let node = this.groups.get(group);
    if (!node) {
      node = { kind: 'group', key: `${this.root.key}/${group}`, parent: this.root, group };
      this.groups.set(group, node);
    }
    return node;
  }

  async children(node: ExplorerNode | undefined): Promise<ExplorerNode[]> {
    if (!node) return [this.root];
    switch (node.kind) {
      case 'connection': return GROUPS.filter((g) => g !== 'contracts' || this.options.contracts).map((g) => this.group(g));
      case 'group': return this.cached(node, (signal) => this.groupChildren(node, signal));
      case 'asset': return this.assetChildren(node);
      case 'aspect': return node.variables.map((v) => this.variableNode(node, v));
      case 'assetType': return this.cached(node, () => this.assetTypeChildren(node));
      case 'aspectType': return node.type.variables.map((v) => this.variableNode(node, v));
      default: return [];
    }
  }

  /** Fetches the next page of an asset's children (the "Load more…" node). */
  async loadMore(node: LoadMoreNode): Promise<void> {
    const parent = node.parent;
    const pending = parent && this.listings.peek(parent.key);
    if (!parent || parent.kind !== 'asset' || !pending) return;
    const listing = await pending;
    if (listing.nextPage === undefined) return;
    listing.loading ??= this.appendPage(parent, listing).finally(() => {
      listing.loading = undefined;
    });
    await listing.loading;
    this.options.onChange?.(parent);
  }

  /**
   * Forgets what was loaded below `node` (everything when undefined), aborting what is still loading there, and tells
   * the tree, which asks again. A node's key starts with its parent's, so the keys below a node are those that start
   * with its own.
   */
  refresh(node?: ExplorerNode): void {
    if (!node || node.kind === 'connection') {
      const all = () => true;
      this.lists.forget(all);
      this.listings.forget(all);
      this.typeIndex.forget(all);
      this.options.onChange?.(node);
      return;
    }
    const group = groupOf(node);
    if (group === 'assetTypes' || group === 'aspectTypes') {
      // Asset types and aspect types are fetched together, once: refreshing any of them fetches them all again, and
      // both groups show what came back.
      this.typeIndex.forget(() => true);
      for (const types of [this.group('assetTypes'), this.group('aspectTypes')]) {
        this.forgetBelow(types);
        this.options.onChange?.(types);
      }
      return;
    }
    // Every listing waits for the types (to name each asset's type): types still loading are asked again too, or a
    // refreshed node would wait on a request that may never answer. Types already loaded stay.
    this.typeIndex.forget(() => true, true);
    this.forgetBelow(node);
    this.options.onChange?.(node);
  }

  /** Assets matching `text` in their name (server-side filter, first page), for "Find Asset…". */
  async search(text: string, signal?: AbortSignal): Promise<PageResult<Asset>> {
    const source = await this.source();
    return source.page(0, { filter: nameFilter(text), sort: 'name,asc', pageSize: FIND_PAGE_SIZE, ...(signal ? { signal } : {}) });
  }

  /**
   * The tree node of an asset, loading its ancestors' children (page after page where needed) along its hierarchy
   * path, so the tree can reveal it.
   */
  async locate(assetId: string): Promise<AssetNode> {
    const source = await this.source();
    const asset = await source.get(assetId);
    let node = (await this.children(this.group('assets')))[0];
    if (node?.kind !== 'asset') throw new Error(node?.kind === 'error' ? node.message : 'The tenant has no root asset.');
    const path = [...(asset.hierarchyPath ?? []).map((p) => p.assetId), asset.assetId];
    if (path[0] !== node.asset.assetId) path.unshift(node.asset.assetId);
    for (const id of path.slice(1)) node = await this.findChild(node, id, asset.name);
    return node;
  }

  private async findChild(parent: AssetNode, assetId: string, wanted: string): Promise<AssetNode> {
    for (;;) {
      const listing = await this.listing(parent);
      const found = listing.assets.find((a) => a.asset.assetId === assetId);
      if (found) return found;
      if (listing.nextPage === undefined || listing.failure) {
        throw new Error(listing.failure ?? `'${wanted}' is not below '${parent.asset.name}' any more; refresh the explorer.`);
      }
      await this.appendPage(parent, listing);
      this.options.onChange?.(parent);
    }
  }

  private async cached(node: ExplorerNode, load: (signal: AbortSignal) => Promise<ExplorerNode[]>): Promise<ExplorerNode[]> {
    try {
      return await this.lists.get(node.key, load);
    } catch (error) {
      return [this.errorNode(node, error, 'mdsp.refresh')];
    }
  }

  private async groupChildren(node: GroupNode, signal: AbortSignal): Promise<ExplorerNode[]> {
    if (node.group === 'contracts') return this.contractChildren(node, signal);
    if (node.group === 'assets') {
      const [root, types] = await Promise.all([(await this.source()).root({ signal }), this.types().catch(() => undefined)]);
      return [this.assetNode(node, root, types)];
    }
    const types = await this.types();
    if (node.group === 'assetTypes') return types.roots.map((t) => this.assetTypeNode(node, t, types));
    const aspectTypes = [...types.aspectTypes.values()].sort(byName);
    if (aspectTypes.length === 0) return [{ kind: 'message', key: `${node.key}/empty`, parent: node, message: 'No aspect types in this tenant.' }];
    return aspectTypes.map((type) => ({ kind: 'aspectType', key: `${node.key}/aspectType/${type.id}`, parent: node, type }));
  }

  /**
   * The tenant's contracts by name and version, then the workspace's contract files (each matched to the tenant's
   * contract of the same name and version). When the tenant cannot be asked, its error (with Retry) comes first and the
   * files are still listed.
   */
  private async contractChildren(node: GroupNode, signal: AbortSignal): Promise<ExplorerNode[]> {
    const source = this.options.contracts;
    if (!source) return [];
    const [tenant, files] = await Promise.allSettled([source.tenant(signal), source.files()]);
    const contracts = tenant.status === 'fulfilled'
      ? [...tenant.value].sort((a, b) => a.name.localeCompare(b.name) || a.version.localeCompare(b.version, 'en', { numeric: true })) : [];
    const out: ExplorerNode[] = tenant.status === 'rejected' ? [this.errorNode(node, tenant.reason, 'mdsp.refresh')]
      : contracts.map((contract) => ({ kind: 'contract', key: `${node.key}/contract/${contract.id}`, parent: node, contract }));
    if (files.status === 'rejected') {
      out.push({ kind: 'message', key: `${node.key}/files-error`, parent: node, message: `Cannot list the workspace's contract files: ${messageOf(files.reason)}` });
    } else {
      for (const file of files.value) {
        const onTenant = file.problem ? undefined : contracts.find((c) => c.name === file.name && c.version === file.version);
        out.push({ kind: 'contractFile', key: `${node.key}/file/${file.uri.toString()}`, parent: node, file, ...(onTenant ? { onTenant } : {}) });
      }
    }
    if (out.length === 0) {
      out.push({ kind: 'message', key: `${node.key}/empty`, parent: node,
        message: 'No contracts yet: select asset types and run "New Contract…".' });
    }
    return out;
  }

  private async assetChildren(node: AssetNode): Promise<ExplorerNode[]> {
    let listing: Listing;
    try {
      listing = await this.listing(node);
    } catch (error) {
      return [this.errorNode(node, error, 'mdsp.refresh')];
    }
    const out: ExplorerNode[] = [...listing.aspects, ...listing.assets];
    if (listing.failure !== undefined) {
      const more = this.loadMoreNode(node, listing);
      out.push({ kind: 'error', key: `${node.key}/more-error`, parent: node, message: listing.failure, retry: { command: 'mdsp.loadMore', node: more } });
    } else if (listing.nextPage !== undefined) {
      out.push(this.loadMoreNode(node, listing));
    }
    return out;
  }

  private listing(node: AssetNode): Promise<Listing> {
    return this.listings.get(node.key, (signal) => this.loadListing(node, signal));
  }

  private async loadListing(node: AssetNode, signal: AbortSignal): Promise<Listing> {
    const source = await this.source();
    const assetId = node.asset.assetId;
    // The first page of children and the asset's aspects in parallel; types whose definition has no aspects skip the
    // aspects request.
    const [page, aspects, types] = await Promise.all([
      source.page(0, { filter: { parentId: assetId }, sort: 'name,asc', pageSize: this.pageSize, signal }),
      node.hasAspects === false ? Promise.resolve([]) : collect(source.aspects(assetId, { pageSize: this.pageSize, signal })),
      this.types().catch(() => undefined),
    ]);
    const values = staticValues(node.asset);
    const aspectNodes = aspects.sort(byName).map((a): AspectNode => ({
      kind: 'aspect', key: `${node.key}/aspect/${a.name}`, parent: node, assetId, assetName: node.asset.name, aspect: a.name,
      ...(a.aspectTypeId ? { aspectTypeId: a.aspectTypeId, aspectTypeName: types?.aspectTypes.get(a.aspectTypeId)?.name ?? shortId(a.aspectTypeId) } : {}),
      category: a.category ?? (a.aspectTypeId ? types?.aspectTypes.get(a.aspectTypeId)?.category : undefined),
      variables: a.variables ?? (a.aspectTypeId ? types?.aspectTypes.get(a.aspectTypeId)?.variables : undefined) ?? [],
      ...(values.has(a.name) ? { values: values.get(a.name) } : {}),
    }));
    return {
      aspects: aspectNodes,
      assets: this.childAssets(node, page.items, [], types),
      nextPage: page.page + 1 < page.totalPages ? page.page + 1 : undefined,
      total: page.totalElements,
      signal,
    };
  }

  private async appendPage(node: AssetNode, listing: Listing): Promise<void> {
    const pageNumber = listing.nextPage;
    if (pageNumber === undefined) return;
    try {
      const source = await this.source();
      const [page, types] = await Promise.all([
        source.page(pageNumber, { filter: { parentId: node.asset.assetId }, sort: 'name,asc', pageSize: this.pageSize, signal: listing.signal }),
        this.types().catch(() => undefined),
      ]);
      listing.assets.push(...this.childAssets(node, page.items, listing.assets, types));
      listing.nextPage = page.page + 1 < page.totalPages && page.items.length > 0 ? page.page + 1 : undefined;
      listing.total = page.totalElements;
      listing.failure = undefined;
    } catch (error) {
      listing.failure = `Could not load more: ${messageOf(error)}`;
    }
  }

  private assetTypeChildren(node: AssetTypeNode): Promise<ExplorerNode[]> {
    return this.types().then((types) => {
      const t = node.type;
      const aspects = (t.aspects ?? []).map((a): AspectNode => {
        const aspectType = a.aspectType?.id ? types.aspectTypes.get(a.aspectType.id) ?? a.aspectType : undefined;
        const origin = originTypeId(a);
        return {
          kind: 'aspect', key: `${node.key}/aspect/${a.name}`, parent: node, aspect: a.name,
          ...(aspectType ? { aspectTypeId: aspectType.id, aspectTypeName: aspectType.name ?? shortId(aspectType.id) } : {}),
          category: aspectType?.category,
          variables: aspectType?.variables ?? [],
          ...(origin && origin !== t.id ? { inheritedFrom: origin } : {}),
        };
      });
      const variables = (t.variables ?? []).map((v) => this.variableNode(node, v));
      // The type's own definition first, then the types derived from it.
      return [...aspects, ...variables, ...(types.derived.get(t.id) ?? []).map((d) => this.assetTypeNode(node, d, types))];
    });
  }

  /** The tenant's asset types (exploded: with inherited aspects) and aspect types, loaded once per connection. */
  private types(): Promise<TypeIndex> {
    return this.typeIndex.get(TYPES, (signal) => this.loadTypes(signal));
  }

  private async loadTypes(signal: AbortSignal): Promise<TypeIndex> {
    const source = await this.source();
    const pageSize = LIMITS.assetPageSizeRecommended.value;
    const [assetTypes, aspectTypes] = await Promise.all([
      collect(source.assetTypes({ exploded: true, pageSize, sort: 'name,asc', signal })),
      collect(source.aspectTypes({ pageSize, sort: 'name,asc', signal })),
    ]);
    // A type listed twice (pages shifted by a change meanwhile) is one type: built from the map, each shows once.
    const byId = new Map(assetTypes.map((t) => [t.id, t]));
    const sorted = [...byId.values()].sort(byName);
    const derived = new Map<string, AssetType[]>();
    const roots: AssetType[] = [];
    for (const t of sorted) {
      if (t.parentTypeId && byId.has(t.parentTypeId)) addTo(derived, t.parentTypeId, t);
      else roots.push(t);
    }
    // Types whose parentTypeIds go round in a loop (a type its own parent included) are reached from no root, nor are
    // the types derived from them: each loop's first type by name becomes a root, taken out of its parent's list to cut
    // the loop, so no type vanishes.
    const reached = new Set<string>();
    const reach = (top: AssetType): void => {
      for (const stack = [top]; stack.length > 0;) {
        const t = stack.pop()!;
        if (reached.has(t.id)) continue;
        reached.add(t.id);
        stack.push(...derived.get(t.id) ?? []);
      }
    };
    roots.forEach(reach);
    const parentOf = (t: AssetType): AssetType | undefined => (t.parentTypeId ? byId.get(t.parentTypeId) : undefined);
    const loops = new Set<string>();
    for (const t of sorted) {
      if (reached.has(t.id)) continue;
      // Up from t until a type comes again: that one is in the loop, and the loop is it and its parents.
      const chain = new Set<AssetType>();
      let u: AssetType | undefined = t;
      while (u && !chain.has(u)) {
        chain.add(u);
        u = parentOf(u);
      }
      const loop: AssetType[] = [];
      for (let v = u; v && !loop.includes(v); v = parentOf(v)) loop.push(v);
      const top = loop.sort(byName)[0] ?? t;
      const parent = top.parentTypeId ?? '';
      derived.set(parent, (derived.get(parent) ?? []).filter((d) => d !== top));
      roots.push(top);
      loops.add(top.id);
      reach(top);
    }
    return { assetTypes: byId, aspectTypes: new Map(aspectTypes.map((t) => [t.id, t])), derived, roots: roots.sort(byName), loops };
  }

  /**
   * The nodes of a page of `parent`'s children: each asset once (`shown` are those listed already), and none of
   * `parent`'s ancestors, which a damaged hierarchy (an asset its own parent) would nest without end.
   */
  private childAssets(parent: AssetNode, page: readonly Asset[], shown: readonly AssetNode[], types: TypeIndex | undefined): AssetNode[] {
    const skip = new Set(shown.map((a) => a.asset.assetId));
    for (let n: ExplorerNode | undefined = parent; n?.kind === 'asset'; n = n.parent) skip.add(n.asset.assetId);
    const out: AssetNode[] = [];
    for (const asset of page) {
      if (skip.has(asset.assetId)) continue;
      skip.add(asset.assetId);
      out.push(this.assetNode(parent, asset, types));
    }
    return out;
  }

  private assetNode(parent: ExplorerNode, asset: Asset, types: TypeIndex | undefined): AssetNode {
    const type = types?.assetTypes.get(asset.typeId);
    const aspects = type && types ? aspectsOfType(type, types) : undefined;
    return {
      // Keyed by its path: an asset moved while both its old and new parent are loaded shows under each, until a
      // refresh, and a tree id must be unique.
      kind: 'asset', key: `${parent.key}/asset/${asset.assetId}`, parent, asset,
      ...(type && aspects ? { typeName: type.name, hasAspects: aspects.any } : {}),
      chartable: aspects?.chartable ?? false,
    };
  }

  /**
   * Whether an asset has time series to chart (a dynamic aspect with numeric or boolean variables), from its type as
   * the tree marks it: no request per asset, so a list of any length is marked at once. Undefined when the type is not
   * known (the types failed to load, or the type is newer than them).
   */
  async hasTimeSeries(asset: Asset): Promise<boolean | undefined> {
    const types = await this.types().catch(() => undefined);
    const type = types?.assetTypes.get(asset.typeId);
    return type && types ? aspectsOfType(type, types).chartable : undefined;
  }

  private assetTypeNode(parent: ExplorerNode, type: AssetType, types: TypeIndex): AssetTypeNode {
    return { kind: 'assetType', key: `${parent.key}/assetType/${type.id}`, parent, type, derived: types.derived.get(type.id) ?? [],
      ...(types.loops.has(type.id) ? { loop: true } : {}) };
  }

  private variableNode(parent: AspectNode | AspectTypeNode | AssetTypeNode, variable: VariableDefinition): VariableNode {
    const ofAsset = parent.kind === 'aspect' && parent.assetId !== undefined;
    const dynamic = parent.kind === 'aspect' && parent.category === 'dynamic';
    return {
      kind: 'variable', key: `${parent.key}/${variable.name}`, parent, variable,
      ...(parent.kind === 'aspect' ? { aspect: parent.aspect, ...(parent.assetId ? { assetId: parent.assetId } : {}) } : {}),
      ...(parent.kind === 'aspect' && parent.values ? { value: parent.values[variable.name] } : {}),
      chartable: ofAsset && dynamic && CHARTABLE_TYPES.has(variable.dataType),
    };
  }

  private loadMoreNode(parent: AssetNode, listing: Listing): LoadMoreNode {
    return { kind: 'loadMore', key: `${parent.key}/more`, parent, shown: listing.assets.length, total: listing.total };
  }

  private errorNode(node: ExplorerNode, error: unknown, command: ErrorNode['retry']['command']): ErrorNode {
    return { kind: 'error', key: `${node.key}/error`, parent: node, message: messageOf(error), retry: { command, node } };
  }

  private forgetBelow(node: ExplorerNode): void {
    const below = (key: string) => key === node.key || key.startsWith(`${node.key}/`);
    this.lists.forget(below);
    this.listings.forget(below);
  }
}

function groupOf(node: ExplorerNode): GroupKind | undefined {
  for (let n: ExplorerNode | undefined = node; n; n = n.parent) if (n.kind === 'group') return n.group;
  return undefined;
}

/** The Asset Management filter for "name contains text", tolerant of case (the filter's contains is case-sensitive). */
/** What an asset type gives its assets: any aspect at all, and a dynamic one with something to chart. */
function aspectsOfType(type: AssetType, types: TypeIndex): { any: boolean; chartable: boolean } {
  const chartable = (type.aspects ?? []).some((a) => {
    const aspectType = a.aspectType?.id ? types.aspectTypes.get(a.aspectType.id) ?? a.aspectType : undefined;
    return aspectType?.category === 'dynamic' && (aspectType.variables ?? []).some((v) => CHARTABLE_TYPES.has(v.dataType));
  });
  return { any: (type.aspects ?? []).length > 0, chartable };
}

export function nameFilter(text: string): Record<string, unknown> {
  const t = text.trim();
  const capitalized = t.replace(/(^|\s)(\p{Ll})/gu, (_m, space: string, letter: string) => space + letter.toUpperCase());
  const variants = [...new Set([t, t.toLowerCase(), capitalized, t.toUpperCase()])];
  return variants.length === 1 ? { name: { contains: t } } : { name: { or: variants.map((v) => ({ contains: v })) } };
}

function staticValues(asset: Asset): Map<string, Record<string, unknown>> {
  const out = new Map<string, Record<string, unknown>>();
  for (const aspect of asset.aspects ?? []) {
    const variables = (aspect as { variables?: unknown }).variables;
    if (!Array.isArray(variables)) continue;
    out.set(aspect.name, Object.fromEntries(variables.filter(isNameValue).map((v) => [v.name, v.value])));
  }
  return out;
}

function isNameValue(v: unknown): v is { name: string; value: unknown } {
  return typeof v === 'object' && v !== null && typeof (v as { name?: unknown }).name === 'string';
}

/** The type that declares an inherited aspect, from its `_links.origin` (exploded asset types). */
function originTypeId(aspect: object): string | undefined {
  const href = (aspect as { _links?: { origin?: { href?: unknown } } })._links?.origin?.href;
  if (typeof href !== 'string') return undefined;
  const m = /\/assettypes\/([^/?#]+)/.exec(href);
  return m?.[1] ? decodeURIComponent(m[1]) : undefined;
}

function shortId(id: string): string {
  return id.slice(id.indexOf('.') + 1);
}

const byName = (a: { name: string }, b: { name: string }): number => a.name.localeCompare(b.name);

