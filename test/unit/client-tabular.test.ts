import assert from 'node:assert/strict';
import { test } from 'node:test';
import { csvField, flattenRecord, formatTable, pageWriter, printable } from '../../src/core/tabular';

test('CSV fields are quoted only when they must be', () => {
  assert.equal(csvField('plain'), 'plain');
  assert.equal(csvField('a,b'), '"a,b"');
  assert.equal(csvField('say "hi"\n'), '"say ""hi""\n"');
  assert.equal(csvField(null), '');
  assert.equal(csvField(1.5), '1.5');
});

test('page writers produce valid CSV, JSON and NDJSON across pages', () => {
  const pages = [[{ _time: 't1', a: 1 }], [{ _time: 't2', a: 2 }, { _time: 't3', a: 3 }]];
  const render = (w: ReturnType<typeof pageWriter>) => w.start() + pages.map((p) => w.page(p)).join('') + w.end();
  assert.deepEqual(JSON.parse(render(pageWriter('json'))), pages.flat());
  assert.equal(pageWriter('json').start() + pageWriter('json').end(), '[]\n');
  assert.deepEqual(render(pageWriter('ndjson')).trimEnd().split('\n').map((l) => JSON.parse(l)), pages.flat());
  assert.equal(render(pageWriter('csv', ['_time', 'a', 'b'])), '_time,a,b\nt1,1,\nt2,2,\nt3,3,\n');
  const late: string[] = [];
  const w = pageWriter('csv', undefined, (name) => late.push(name));
  assert.equal(w.page([{ _time: 't1', a: 1 }]) + w.page([{ _time: 't2', a: 2, b: 9 }, { _time: 't3', b: 8 }]), '_time,a\nt1,1\nt2,2\nt3,\n');
  assert.deepEqual(late, ['b']);
});

test('aggregates flatten into dotted columns; tables align', () => {
  assert.deepEqual(flattenRecord({ starttime: 's', p: { average: 2, sum: 4 } }), { starttime: 's', 'p.average': 2, 'p.sum': 4 });
  assert.equal(formatTable(['id', 'n'], [['a', '1'], ['bbb', '22']]), 'id   n\n---  --\na    1\nbbb  22\n');
});

test('control characters from server data are shown as escapes in tables, never passed to the terminal', () => {
  const table = formatTable(['name', 'id'], [['evil\nname\t\u001b[31mRED\u001b[0m\u007f\u009b', 'a1']]);
  assert.equal(table.split('\n').length, 4, 'one line per row');
  // eslint-disable-next-line no-control-regex -- looking for control characters is the point
  assert.ok(!/[\x00-\x09\x0b-\x1f\x7f-\x9f]/.test(table), JSON.stringify(table));
  assert.match(table, /evil\\nname\\t\\x1b\[31mRED\\x1b\[0m\\x7f\\x9b {2}a1/);
  assert.equal(printable('plain ü €'), 'plain ü €');
});
