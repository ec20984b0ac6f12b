// The explorer model against the sandbox over loopback HTTP, with small pages so paging shows on the default plant:
// "Load more…" appends without duplicates even when clicked twice at once, reveal pages through to an asset, and
// failures become error nodes whose retry works (for a whole node and for one more page).
import * as assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { createClient } from '../../src/client';
import { ExplorerModel } from '../../src/host/explorer/model';
import type { AssetNode, ErrorNode, ExplorerNode, LoadMoreNode } from '../../src/host/explorer/nodes';
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
