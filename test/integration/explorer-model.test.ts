// The explorer model against the sandbox over loopback HTTP, with small pages so paging shows on the default plant:
// "Load more…" appends without duplicates even when clicked twice at once, reveal pages through to an asset, and
// failures become error nodes whose retry works (for a whole node and for one more page).
import * as assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { type Asset, type AssetType, createClient } from '../../src/client';
import { ExplorerModel, type ExplorerSource } from '../../src/host/explorer/model';
import { type AssetNode, type AssetTypeNode, type ErrorNode, type ExplorerNode, type LoadMoreNode, viewOf } from '../../src/host/explorer/nodes';
import { type RunningSandbox, startSandbox } from '../../src/sandbox';

let sandbox: RunningSandbox;
let failNext = false;

before(async () => {
  sandbox = await startSandbox({ seed: 'explorer', assets: 60 });
});
after(async () => {
  await sandbox.close();
});

function model(pageSize = 3) {
  const client = createClient({
    connection: { name: 'test', tokenUrl: sandbox.tokenUrl, clientId: sandbox.clientId, clientSecret: sandbox.clientSecret },
    // A fetch that can be told to fail once, as a dropped network would.
    fetch: async (input, init) => {
      if (failNext) {
        failNext = false;
        throw Object.assign(new TypeError('fetch failed'), { cause: Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }) });
      }
      return fetch(input, init);
    },
    retry: { maxAttempts: 1 },
  });
  const changes: (ExplorerNode | undefined)[] = [];
  return { changes, model: new ExplorerModel({ id: 'c', name: 'Test', sandbox: true }, async () => client.assets, { pageSize, onChange: (n) => changes.push(n) }) };
}

const assetsOf = (nodes: ExplorerNode[]) => nodes.filter((n): n is AssetNode => n.kind === 'asset');

async function widestArea(m: ExplorerModel): Promise<AssetNode> {
  const [root] = assetsOf(await m.children(m.group('assets')));
  assert.ok(root);
  const site = assetsOf(await m.children(root))[0]!;
  const areas = assetsOf(await m.children(site));
  let best: AssetNode | undefined;
  let total = -1;
  for (const area of areas) {
    const more = (await m.children(area)).find((n): n is LoadMoreNode => n.kind === 'loadMore');
    if (more && more.total > total) [best, total] = [area, more.total];
  }
  assert.ok(best, 'an area with more children than one page');
  return best;
}

test('"Load more…" appends the next page; two clicks at once load it once', async () => {
  const { model: m, changes } = model();
  const area = await widestArea(m);
  const first = await m.children(area);
  const more = first.at(-1) as LoadMoreNode;
  assert.equal(more.kind, 'loadMore');
  assert.equal(assetsOf(first).length, 3);
  await Promise.all([m.loadMore(more), m.loadMore(more)]);
  const second = await m.children(area);
  assert.equal(assetsOf(second).length, 6);
  assert.equal(new Set(second.map((n) => n.key)).size, second.length);
  assert.ok(changes.includes(area), 'the tree is told to redraw the node');
  const names = assetsOf(second).map((a) => a.asset.name);
  assert.deepEqual(names, [...names].sort((a, b) => (a < b ? -1 : 1)), 'sorted by name across pages');
});

test('locating an asset loads page after page along its path', async () => {
  const { model: m } = model();
  const area = await widestArea(m);
  const fresh = model().model;
  const all: AssetNode[] = [];
  for (let nodes = await m.children(area); ; nodes = await m.children(area)) {
    all.splice(0, all.length, ...assetsOf(nodes));
    const more = nodes.at(-1);
    if (more?.kind !== 'loadMore') break;
    await m.loadMore(more);
  }
  const last = all.at(-1)!;
  const found = await fresh.locate(last.asset.assetId);
  assert.equal(found.key, last.key);
  assert.equal((found.parent as AssetNode).asset.assetId, area.asset.assetId);
});

test('a failed load shows an error node that retries by refreshing; a failed page keeps what was loaded', async () => {
  const { model: m } = model();
  const area = await widestArea(m);
  m.refresh(area);
  failNext = true;
  const [failed] = await m.children(area);
  assert.equal(failed?.kind, 'error');
  assert.match((failed as ErrorNode).message, /did not answer .*ECONNREFUSED/);
  assert.equal((failed as ErrorNode).retry.command, 'mdsp.refresh');
  m.refresh((failed as ErrorNode).retry.node);
  const loaded = await m.children(area);
  assert.equal(assetsOf(loaded).length, 3);
  failNext = true;
  await m.loadMore(loaded.at(-1) as LoadMoreNode);
  const afterFailure = await m.children(area);
  assert.equal(assetsOf(afterFailure).length, 3, 'the first page stays');
  const error = afterFailure.at(-1) as ErrorNode;
  assert.match(error.message, /^Could not load more: /);
  assert.equal(error.retry.command, 'mdsp.loadMore');
  await m.loadMore(error.retry.node as LoadMoreNode);
  assert.equal(assetsOf(await m.children(area)).length, 6);
});

// A tenant in memory that the tests change under an open tree, as someone working in Asset Manager meanwhile would.
interface Tenant { assets: Asset[]; assetTypes: AssetType[]; rootId?: string }

function memoryModel(tenant: Tenant, pageSize = 200) {
  const listed = async function* <T>(items: T[]) {
    yield* items;
  };
  const source = {
    root: async () => tenant.assets.find((a) => a.assetId === (tenant.rootId ?? tenant.assets[0]?.assetId))!,
    get: async (id: string) => tenant.assets.find((a) => a.assetId === id)!,
    page: async (page: number, options: { filter?: { parentId?: string } }) => {
      const items = tenant.assets.filter((a) => a.parentId === options.filter?.parentId).sort((a, b) => a.name.localeCompare(b.name));
      return { items: items.slice(page * pageSize, (page + 1) * pageSize), page, totalPages: Math.max(1, Math.ceil(items.length / pageSize)),
        totalElements: items.length };
    },
    aspects: () => listed([]),
    assetTypes: () => listed(tenant.assetTypes),
    aspectTypes: () => listed([]),
  } as unknown as ExplorerSource;
  return new ExplorerModel({ id: 'c', name: 'Memory', sandbox: false }, async () => source, { pageSize });
}

const asset = (assetId: string, parentId?: string): Asset => ({ assetId, name: assetId, typeId: 'core.basicasset', ...(parentId ? { parentId } : {}) });
const assetType = (id: string, parentTypeId?: string): AssetType => ({ id, name: id, ...(parentTypeId ? { parentTypeId } : {}), aspects: [], variables: [] }) as AssetType;
const names = (nodes: ExplorerNode[]) => nodes.map((n) => (n.kind === 'asset' ? n.asset.name : n.kind === 'assetType' ? n.type.id : n.kind));
const only = <T>(nodes: T[]): T => {
  assert.equal(nodes.length, 1);
  return nodes[0]!;
};

/** Every node below `node`, as the tree would expand them all. */
async function expandAll(m: ExplorerModel, node: ExplorerNode): Promise<ExplorerNode[]> {
  const out: ExplorerNode[] = [];
  for (const child of await m.children(node)) out.push(child, ...await expandAll(m, child));
  return out;
}

test('Refresh on an asset or on the Assets group reloads the expanded levels below it', async () => {
  const tenant: Tenant = { assets: [asset('Root'), asset('Site', 'Root'), asset('Pump1', 'Site')], assetTypes: [] };
  const m = memoryModel(tenant);
  const siteChildren = async () => m.children(only(await m.children(only(await m.children(m.group('assets'))))));
  assert.deepEqual(names(await siteChildren()), ['Pump1']);
  tenant.assets.push(asset('Pump2', 'Site'));
  m.refresh(only(await m.children(m.group('assets'))));
  assert.deepEqual(names(await siteChildren()), ['Pump1', 'Pump2'], 'Refresh on the root asset');
  tenant.assets.push(asset('Pump3', 'Site'));
  m.refresh(m.group('assets'));
  assert.deepEqual(names(await siteChildren()), ['Pump1', 'Pump2', 'Pump3'], 'Refresh on the Assets group');
});

test('Refresh on the Asset Types group, an asset type or an aspect type fetches the types again', async () => {
  const tenant: Tenant = { assets: [asset('Root')], assetTypes: [assetType('core.basicasset'), assetType('ten.Pump', 'core.basicasset')] };
  const m = memoryModel(tenant);
  const derived = async () => names(await m.children(only(await m.children(m.group('assetTypes')))));
  assert.deepEqual(await derived(), ['ten.Pump']);
  tenant.assetTypes.push(assetType('ten.Turbine', 'core.basicasset'));
  m.refresh(only(await m.children(m.group('assetTypes'))));
  assert.deepEqual(await derived(), ['ten.Pump', 'ten.Turbine'], 'Refresh on an asset type');
  tenant.assetTypes.push(assetType('ten.Valve', 'core.basicasset'));
  m.refresh(m.group('assetTypes'));
  assert.deepEqual(await derived(), ['ten.Pump', 'ten.Turbine', 'ten.Valve'], 'Refresh on the Asset Types group');
  tenant.assetTypes.push(assetType('ten.Fan', 'core.basicasset'));
  m.refresh(m.group('aspectTypes'));
  assert.deepEqual(await derived(), ['ten.Fan', 'ten.Pump', 'ten.Turbine', 'ten.Valve'], 'Refresh on the Aspect Types group');
});

test('no tree id twice: an asset moved between loaded parents, listed twice, or its own parent; an asset type listed twice', async () => {
  const tenant: Tenant = {
    assets: [asset('Root', 'Root'), asset('AreaA', 'Root'), asset('AreaB', 'Root'), asset('PumpX', 'AreaA'), asset('PumpY', 'AreaA')],
    assetTypes: [assetType('core.basicasset'), assetType('ten.Pump', 'core.basicasset'), assetType('ten.Pump', 'core.basicasset')],
  };
  tenant.assets.push(asset('PumpY', 'AreaA')); // in the first page twice
  const m = memoryModel(tenant);
  const root = only(await m.children(m.group('assets'))) as AssetNode;
  const [areaA, areaB] = await m.children(root);
  assert.deepEqual(names([areaA!, areaB!]), ['AreaA', 'AreaB'], 'an asset that is its own parent is not its own child');
  assert.deepEqual(names(await m.children(areaA!)), ['PumpX', 'PumpY']);
  // Moved in Asset Manager meanwhile.
  Object.assign(tenant.assets.find((a) => a.assetId === 'PumpX')!, { parentId: 'AreaB', hierarchyPath: [{ assetId: 'Root', name: 'Root' }, { assetId: 'AreaB', name: 'AreaB' }] });
  assert.deepEqual(names(await m.children(areaB!)), ['PumpX']);
  const keys = [...await expandAll(m, m.group('assets')), ...await expandAll(m, m.group('assetTypes'))].map((n) => n.key);
  assert.deepEqual(keys.filter((k, i) => keys.indexOf(k) !== i), []);
  assert.deepEqual(names(await expandAll(m, m.group('assetTypes'))), ['core.basicasset', 'ten.Pump']);
  assert.equal((await m.locate('PumpX')).parent, areaB, 'Find Asset reveals it where it is now');
});

test('asset types in a derivation loop are shown at the top, marked, with the types derived from them', async () => {
  const tenant: Tenant = { assets: [asset('Root')], assetTypes: [
    assetType('core.basicasset'), assetType('ten.LoopA', 'ten.LoopB'), assetType('ten.LoopB', 'ten.LoopA'),
    assetType('ten.ChildOfLoop', 'ten.LoopA'), assetType('ten.Self', 'ten.Self'), assetType('ten.Orphan', 'ten.Missing'),
  ] };
  const m = memoryModel(tenant);
  const tops = (await m.children(m.group('assetTypes'))) as AssetTypeNode[];
  assert.deepEqual(names(tops), ['core.basicasset', 'ten.LoopA', 'ten.Orphan', 'ten.Self']);
  assert.deepEqual(tops.map((t) => viewOf(t).description), ['core.basicasset', 'ten.LoopA · derivation loop', 'ten.Orphan', 'ten.Self · derivation loop']);
  const all = await expandAll(m, m.group('assetTypes'));
  assert.deepEqual(names(all).sort(), tenant.assetTypes.map((t) => t.id).sort(), 'every type once');
  assert.deepEqual(names(await m.children(tops[1]!)), ['ten.ChildOfLoop', 'ten.LoopB']);
});

test('whether an asset has time series comes from its type, for a page of search results at once', async () => {
  const { model: m } = model();
  const found = (await m.search('Pump')).items;
  const marks = new Map(await Promise.all(found.map(async (a) => [a.name, await m.hasTimeSeries(a)] as const)));
  const pump = [...marks.keys()].find((name) => /^Pump P-\d+$/.test(name));
  const house = [...marks.keys()].find((name) => name.startsWith('Pump House'));
  assert.ok(pump && house, [...marks.keys()].join(', '));
  assert.equal(marks.get(pump), true, 'a pump has dynamic aspects with numbers');
  assert.equal(marks.get(house), false, 'an area has none: the asset picker says so');
});

/**
 * A tenant in memory whose answers to some requests (by `what`: root, types, page:<parentId>) wait until the test gives
 * them, as a server that does not answer would. Each answer is of the tenant as it was when asked. A held request
 * rejects when its signal aborts, unless `ignoreAbort` (an answer already on its way when the refresh came).
 */
function heldModel(tenant: Tenant, options: { ignoreAbort?: boolean; pageSize?: number } = {}) {
  const holding = new Set<string>();
  const held: { what: string; signal: AbortSignal | undefined; answer: () => void }[] = [];
  const hold = <T>(what: string, signal: AbortSignal | undefined, value: T): Promise<T> => {
    if (!holding.has(what)) return Promise.resolve(value);
    return new Promise<T>((resolve, reject) => {
      held.push({ what, signal, answer: () => resolve(value) });
      if (!options.ignoreAbort) signal?.addEventListener('abort', () => reject(signal.reason as Error), { once: true });
    });
  };
  const pageSize = options.pageSize ?? 200;
  async function* listed<T>(what: string, items: T[], signal: AbortSignal | undefined) {
    yield* await hold(what, signal, [...items]);
  }
  const source = {
    root: ({ signal }: { signal?: AbortSignal } = {}) => hold('root', signal, tenant.assets[0]!),
    get: async (id: string) => tenant.assets.find((a) => a.assetId === id)!,
    page: (page: number, { filter, signal }: { filter?: { parentId?: string }; signal?: AbortSignal }) => {
      const items = tenant.assets.filter((a) => a.parentId === filter?.parentId);
      return hold(`page:${filter?.parentId}`, signal, { items: items.slice(page * pageSize, (page + 1) * pageSize), page,
        totalPages: Math.max(1, Math.ceil(items.length / pageSize)), totalElements: items.length });
    },
    aspects: () => listed('aspects', [], undefined),
    assetTypes: ({ signal }: { signal?: AbortSignal } = {}) => listed('types', tenant.assetTypes, signal),
    aspectTypes: () => listed('aspectTypes', [], undefined),
  } as unknown as ExplorerSource;
  const model = new ExplorerModel({ id: 'c', name: 'Held', sandbox: false }, async () => source, { pageSize });
  return { model, holding, held };
}

/** Waits until `condition` holds (the model asks the tenant a few microtasks after it is asked). */
async function until(condition: () => boolean): Promise<void> {
  for (let i = 0; !condition(); i++) {
    if (i > 100) assert.fail('timed out waiting');
    await new Promise((r) => setImmediate(r));
  }
}

test('Refresh on a node whose load the tenant does not answer aborts it and asks again; whoever waited gets the new answer', async () => {
  const tenant: Tenant = { assets: [asset('Root'), asset('Site', 'Root'), asset('Pump1', 'Site')], assetTypes: [] };
  const { model: m, holding, held } = heldModel(tenant);
  const site = only(await m.children(only(await m.children(m.group('assets')))));
  holding.add('page:Site');
  const waiting = m.children(site);
  await until(() => held.length === 1);
  m.refresh(site);
  assert.equal(held[0]!.signal?.aborted, true, 'the request in flight is aborted');
  holding.clear();
  tenant.assets.push(asset('Pump2', 'Site'));
  assert.deepEqual(names(await m.children(site)), ['Pump1', 'Pump2'], 'the tree asks again: a new request');
  assert.deepEqual(names(await waiting), ['Pump1', 'Pump2'], 'the first caller gets the new answer, not an error');

  // "Load more" that does not answer: a refresh of its node aborts it too.
  const paged = heldModel({ assets: [asset('Root'), asset('A', 'Root'), asset('B', 'Root')], assetTypes: [] }, { pageSize: 1 });
  const root = only(await paged.model.children(paged.model.group('assets')));
  const more = (await paged.model.children(root)).at(-1) as LoadMoreNode;
  assert.equal(more.kind, 'loadMore');
  paged.holding.add('page:Root');
  const loading = paged.model.loadMore(more);
  await until(() => paged.held.length === 1);
  paged.model.refresh(root);
  assert.equal(paged.held[0]!.signal?.aborted, true);
  await loading;
});

test('the view\'s Refresh aborts every load the tenant does not answer, the types included, and starts again', async () => {
  const tenant: Tenant = { assets: [asset('Root'), asset('Site', 'Root')], assetTypes: [assetType('core.basicasset')] };
  const { model: m, holding, held } = heldModel(tenant);
  holding.add('root').add('types');
  const assets = m.children(m.group('assets'));
  const types = m.children(m.group('assetTypes'));
  await until(() => held.length === 2);
  m.refresh();
  assert.deepEqual(held.map((h) => [h.what, h.signal?.aborted]), [['root', true], ['types', true]]);
  holding.clear();
  assert.deepEqual(names(await assets), ['Root']);
  assert.deepEqual(names(await types), ['core.basicasset']);
  // Refresh on the Assets group also asks again for the types still loading (its assets wait for them), but not for
  // types already loaded.
  holding.add('root').add('types');
  m.refresh();
  const again = m.children(m.group('assets'));
  await until(() => held.length === 4);
  m.refresh(m.group('assets'));
  assert.deepEqual(held.slice(2).map((h) => h.signal?.aborted), [true, true]);
  holding.delete('root');
  holding.delete('types');
  assert.deepEqual(names(await again), ['Root']);
  holding.add('types');
  m.refresh(m.group('assets'));
  assert.deepEqual(names(await m.children(m.group('assets'))), ['Root'], 'loaded types are not asked for again');
  assert.equal(held.length, 4);
});

test('a late answer to a request made before a refresh never replaces the answer after it', async () => {
  const tenant: Tenant = { assets: [asset('Root'), asset('Site', 'Root'), asset('Pump1', 'Site')], assetTypes: [] };
  const { model: m, holding, held } = heldModel(tenant, { ignoreAbort: true });
  const site = only(await m.children(only(await m.children(m.group('assets')))));
  holding.add('page:Site');
  const before = m.children(site);
  await until(() => held.length === 1);
  tenant.assets.push(asset('Pump2', 'Site'));
  m.refresh(site);
  holding.clear();
  assert.deepEqual(names(await m.children(site)), ['Pump1', 'Pump2']);
  held[0]!.answer(); // the tenant as it was before the refresh
  assert.deepEqual(names(await before), ['Pump1', 'Pump2'], 'the caller from before the refresh gets the newer answer');
  assert.deepEqual(names(await m.children(site)), ['Pump1', 'Pump2']);
});
