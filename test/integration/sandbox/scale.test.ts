// A plant of 10,000 assets: every asset reachable by paging, unique 32-hex ids, a browsable hierarchy (no area with
// hundreds of children), filters and time series working at that size.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { AM, type Harness, harness, qs, TS } from './helpers';

let h: Harness;
before(async () => {
  h = await harness({ assets: 10_000 });
});
after(() => h.close());

test('10,000 assets page through in 2000s with unique ids and sane hierarchy', async () => {
  const ids = new Set<string>();
  const children = new Map<string, number>();
  let pages = 0;
  for (let page = 0; ; page++) {
    const r = await h.get(`${AM}/assets?${qs({ size: 2000, page, basicFieldsOnly: true })}`);
    assert.equal(r.status, 200);
    assert.equal(r.json.page.totalElements, 10_000);
    for (const a of r.json._embedded?.assets ?? []) {
      assert.match(a.assetId, /^[a-f0-9]{32}$/);
      ids.add(a.assetId);
      if (a.parentId) children.set(a.parentId, (children.get(a.parentId) ?? 0) + 1);
    }
    pages++;
    if (!r.json._links.next) break;
  }
  assert.equal(pages, 5);
  assert.equal(ids.size, 10_000);
  const most = Math.max(...children.values());
  assert.ok(most <= 60, `no parent has more than 60 children (the busiest has ${most})`);
});

test('filters and time series work on the big plant', async () => {
  const turbines = await h.get(`${AM}/assets?${qs({ filter: JSON.stringify({ hasType: 'makers01.CNGTurbine' }), size: 1, sort: 'name,desc' })}`);
  assert.ok(turbines.json.page.totalElements > 500, `${turbines.json.page.totalElements} turbines`);
  const last = turbines.json._embedded.assets[0];
  assert.equal(last.hierarchyPath.length, 3);
  const r = await h.get(`${TS}/${last.assetId}/PrimaryMotor?${qs({ from: '2024-03-05T00:00:00Z', to: '2024-03-05T00:01:00Z' })}`);
  assert.equal(r.json.length, 60);
});
