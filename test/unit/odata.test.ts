import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { collectComparisons, collectMembers, type FilterNode, parseFilter, parseOrderBy } from '../../src/core/odata';

/** The tree without ranges, written the way a person reads it: `(a eq 1)`. */
function show(node: FilterNode | undefined): string {
  if (!node) return '∅';
  switch (node.type) {
    case 'binary': return `(${show(node.left)} ${node.operator} ${show(node.right)})`;
    case 'unary': return `(${node.operator} ${show(node.operand)})`;
    case 'call': return `${node.name}(${node.args.map(show).join(', ')})`;
    case 'member': return node.path;
    case 'literal': return node.raw;
    case 'list': return `[${node.items.map(show).join(', ')}]`;
    case 'lambda': return `${node.collection.path}/${node.operator}(${node.variable ?? ''}: ${show(node.body)})`;
    case 'error': return `<error ${node.children.map(show).join(' ')}>`;
  }
}

const parsed = (text: string) => show(parseFilter(text).ast);
const slice = (text: string, n: { start: number; end: number }) => text.slice(n.start, n.end);

describe('OData $filter parser', () => {
  test('follows OData precedence: not > mul > add > relational > eq > and > or', () => {
    assert.equal(parsed("a eq 1 or b eq 2 and c eq 3"), '((a eq 1) or ((b eq 2) and (c eq 3)))');
    assert.equal(parsed('a add 2 mul 3 gt 7'), '((a add (2 mul 3)) gt 7)');
    assert.equal(parsed('(a eq 1 or b eq 2) and c eq 3'), '(((a eq 1) or (b eq 2)) and (c eq 3))');
    assert.equal(parsed("not contains(name, 'x') and a eq 1"), "((not contains(name, 'x')) and (a eq 1))");
    assert.equal(parsed('a sub b sub c'), '((a sub b) sub c)');
  });

  test('parses literals of every kind with their values', () => {
    const kinds = (text: string) => {
      const ast = parseFilter(`x eq ${text}`).ast;
      assert.ok(ast?.type === 'binary' && ast.right.type === 'literal', text);
      return [ast.right.kind, ast.right.value];
    };
    assert.deepEqual(kinds("'it''s'"), ['string', "it's"]);
    assert.deepEqual(kinds('-12.5'), ['number', -12.5]);
    assert.deepEqual(kinds('1.5e3'), ['number', 1500]);
    assert.deepEqual(kinds('true'), ['boolean', true]);
    assert.deepEqual(kinds('null'), ['null', null]);
    assert.deepEqual(kinds('2024-03-01T10:00:00Z'), ['dateTimeOffset', '2024-03-01T10:00:00Z']);
    assert.deepEqual(kinds('2024-03-01T10:00:00.125+01:00'), ['dateTimeOffset', '2024-03-01T10:00:00.125+01:00']);
    assert.deepEqual(kinds('2024-03-01'), ['date', '2024-03-01']);
    assert.deepEqual(kinds('10:30:00'), ['timeOfDay', '10:30:00']);
    assert.deepEqual(kinds('8a7d3c2e-1f4b-4c5d-9e6f-0a1b2c3d4e5f'), ['guid', '8a7d3c2e-1f4b-4c5d-9e6f-0a1b2c3d4e5f']);
    assert.deepEqual(kinds("duration'PT1H'"), ['duration', "duration'PT1H'"]);
    assert.deepEqual(kinds("datetime'2024-03-01T10:00:00'"), ['typed', "datetime'2024-03-01T10:00:00'"]);
    assert.deepEqual(kinds('{{from}}'), ['placeholder', '{{from}}']);
    assert.deepEqual(kinds('${from}'), ['placeholder', '${from}']);
  });

  test('keeps exact source ranges for every node', () => {
    const text = "  timestamp gt '2024-01-01T00:00:00' and contains(name,'Pump')";
    const ast = parseFilter(text).ast;
    assert.ok(ast?.type === 'binary');
    assert.equal(slice(text, ast), text.trim());
    assert.equal(text.slice(ast.operatorStart, ast.operatorEnd), 'and');
    assert.ok(ast.left.type === 'binary' && ast.right.type === 'call');
    assert.equal(slice(text, ast.left.left), 'timestamp');
    assert.equal(slice(text, ast.left.right), "'2024-01-01T00:00:00'");
    assert.equal(slice(text, ast.right), "contains(name,'Pump')");
    assert.equal(text.slice(ast.right.start, ast.right.nameEnd), 'contains');
  });

  test('parses functions, in-lists, lambdas, member paths and parameter aliases', () => {
    assert.equal(parsed("startswith(name,'P') and endswith(name, 'ump')"), "(startswith(name, 'P') and endswith(name, 'ump'))");
    assert.equal(parsed("assetId in ('a', 'b')"), "(assetId in ['a', 'b'])");
    assert.equal(parsed('Tags/any(t: t/name eq @tag)'), 'Tags/any(t: (t/name eq @tag))');
    assert.equal(parsed("location/country eq 'DE'"), "(location/country eq 'DE')");
    assert.equal(parsed('geo.distance(pos, 1) lt 5'), '(geo.distance(pos, 1) lt 5)');
  });

  test('tolerates incomplete text while typing, saying what it expected', () => {
    for (const text of ['timestamp gt ', 'timestamp gt \'2024', "contains(name,", '(a eq 1', 'a eq 1 and', 'a eq']) {
      const r = parseFilter(text);
      assert.ok(r.ast, text);
      assert.ok(r.errors.length > 0, text);
    }
    const r = parseFilter('timestamp gt ');
    assert.equal(r.errors[0]?.expected, 'expression');
    assert.equal(r.errors[0]?.start, 13);
    assert.deepEqual(parseFilter('(a eq 1').errors[0]?.fix, { title: "Add the missing ')'", start: 7, end: 7, newText: ')' });
  });

  test('reports mistakes with repairs: upper-case keywords, double quotes, trailing garbage', () => {
    const upper = parseFilter("a EQ 1 AND b eq 2");
    assert.equal(parsed("a EQ 1 AND b eq 2"), '((a eq 1) and (b eq 2))');
    assert.deepEqual(upper.errors.map((e) => e.fix?.newText), ['eq', 'and']);
    assert.equal(parseFilter('name eq "Pump"').errors[0]?.fix?.newText, "'Pump'");
    const garbage = parseFilter("a eq 1 b eq 2");
    assert.equal(garbage.errors.length, 1);
    assert.equal(garbage.errors[0]?.start, 7);
    // Both halves stay in the tree, so the rest of the filter is still checked.
    assert.equal(collectComparisons(garbage.ast).length, 2);
  });

  test('empty text has no tree and no error; nesting is bounded instead of overflowing the stack', () => {
    assert.deepEqual(parseFilter('   '), { ast: undefined, errors: [] });
    // One error that says so, not one per parenthesis left open when the parser stopped reading.
    const deep = parseFilter('('.repeat(50_000) + 'a eq 1' + ')'.repeat(50_000));
    assert.deepEqual(deep.errors.map((e) => e.message), ['Parentheses are nested more than 100 deep.']);
    const calls = parseFilter('contains('.repeat(300) + 'a' + ')'.repeat(300));
    assert.deepEqual(calls.errors.map((e) => e.message), ['Function calls are nested more than 100 deep.']);
  });
});

describe('comparisons', () => {
  test('normalises the property to the left and marks negation', () => {
    const list = collectComparisons(parseFilter("'2024-01-01T00:00:00' lt timestamp and not (assetId eq 'x') and contains(name,'P')").ast);
    assert.deepEqual(list.map((c) => [c.attribute, c.operator, c.flipped, Boolean(c.negatedBy)]), [
      ['timestamp', 'gt', true, false],
      ['assetId', 'eq', false, true],
      ['name', 'contains', false, false],
    ]);
  });

  test('lists the members referenced, skipping lambda variables', () => {
    assert.deepEqual(collectMembers(parseFilter("a eq 1 and Tags/any(t: t/x eq 2) and year(ts) eq 2024").ast).map((m) => m.path),
      ['a', 'Tags', 'ts']);
  });
});

describe('OData $orderby parser', () => {
  test('parses items, directions and their ranges', () => {
    const text = 'timestamp desc, name';
    const r = parseOrderBy(text);
    assert.deepEqual(r.errors, []);
    assert.deepEqual(r.items.map((i) => [show(i.expression), i.direction]), [['timestamp', 'desc'], ['name', undefined]]);
    assert.equal(text.slice(r.items[0]?.directionStart, r.items[0]?.directionEnd), 'desc');
  });

  test('reports a dangling comma and an unknown direction', () => {
    assert.equal(parseOrderBy('timestamp,').errors[0]?.expected, 'expression');
    assert.equal(parseOrderBy('timestamp descending').errors[0]?.expected, 'direction');
  });
});
