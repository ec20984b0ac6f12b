// Helpers over the filter syntax tree: a visitor, and the list of "attribute operator value" comparisons in a filter,
// which is what MindSphere's limits are about (seed §8.5) and what a server needs to answer a query.
import type { BinaryNode, BinaryOperator, CallNode, FilterNode, MemberNode, UnaryNode } from './ast';

/** Returned by a `descend` visitor to leave out the node's children. */
const SKIP = Symbol('skip');

/**
 * Visits `root` and everything under it, parents before children and children in source order, with a stack of its own
 * rather than recursion: a flat chain of thousands of `and`s (a generated filter) is a tree thousands deep. `visit` gets
 * the state its parent passed down and returns the state for its own children, or SKIP.
 */
function descend<S>(root: FilterNode | undefined, state: S, visit: (node: FilterNode, state: S) => S | typeof SKIP): void {
  if (!root) return;
  const nodes: FilterNode[] = [root];
  const states: S[] = [state];
  while (nodes.length) {
    const node = nodes.pop() as FilterNode;
    const next = visit(node, states.pop() as S);
    if (next === SKIP) continue;
    // Children are pushed last first, so that they come off the stack in source order. (No arrays built per node: this
    // runs for every request of a document.)
    let list: readonly FilterNode[] | undefined;
    switch (node.type) {
      case 'binary': nodes.push(node.right, node.left); states.push(next, next); break;
      case 'unary': nodes.push(node.operand); states.push(next); break;
      case 'lambda':
        if (node.body) { nodes.push(node.body); states.push(next); }
        nodes.push(node.collection); states.push(next);
        break;
      case 'call': list = node.args; break;
      case 'list': list = node.items; break;
      case 'error': list = node.children; break;
    }
    if (list) for (let i = list.length - 1; i >= 0; i--) { nodes.push(list[i] as FilterNode); states.push(next); }
  }
}

/** Calls `visit` on every node, parents before children. */
export function walkFilter(node: FilterNode | undefined, visit: (node: FilterNode) => void): void {
  descend(node, undefined, (n) => visit(n));
}

const COMPARISON: ReadonlySet<BinaryOperator> = new Set(['eq', 'ne', 'gt', 'ge', 'lt', 'le', 'has', 'in']);
/** `5 lt x` means `x gt 5`. */
const FLIPPED: Partial<Record<BinaryOperator, BinaryOperator>> = { gt: 'lt', ge: 'le', lt: 'gt', le: 'ge' };

export interface Comparison {
  /** The property path being compared (`assetId`, `timestamp`). */
  readonly attribute: string;
  readonly member: MemberNode;
  /**
   * `eq`, `ne`, `gt`, `ge`, `lt`, `le`, `has`, `in` as if the property were on the left (`5 lt x` gives `gt`),
   * or the lower-cased name of a function applied to the property (`contains`, `startswith`, `year`, …).
   */
  readonly operator: string;
  /** The range of the operator keyword or function name as written. */
  readonly operatorStart: number;
  readonly operatorEnd: number;
  /** The other operand (the value), if any. */
  readonly value: FilterNode | undefined;
  /** The whole comparison. */
  readonly node: BinaryNode | CallNode;
  /** True when the property was written on the right (`'x' eq name`). */
  readonly flipped: boolean;
  /** The innermost `not` this comparison sits under an odd number of, if any. */
  readonly negatedBy: UnaryNode | undefined;
}

/** Every comparison of a property with a value, in source order. Lambda bodies are skipped (they filter collections). */
export function collectComparisons(ast: FilterNode | undefined): Comparison[] {
  const out: Comparison[] = [];
  // The state passed down is the innermost `not` the node sits under an odd number of.
  descend<UnaryNode | undefined>(ast, undefined, (node, negatedBy) => {
    if (node.type === 'lambda') return SKIP;
    if (node.type === 'unary' && node.operator === 'not') return negatedBy ? undefined : node;
    const comparison = comparisonAt(node, negatedBy);
    if (comparison) out.push(comparison);
    return negatedBy;
  });
  return out;
}

// Objects are built as plain literals of one shape (no spreads): this runs for every request of a document.
function comparisonAt(node: FilterNode, negatedBy: UnaryNode | undefined): Comparison | undefined {
  if (node.type === 'binary') {
    if (!COMPARISON.has(node.operator)) return undefined;
    const left = node.left;
    const right = node.right;
    if (left.type === 'member') {
      return { attribute: left.path, member: left, operator: node.operator, operatorStart: node.operatorStart,
        operatorEnd: node.operatorEnd, value: right, node, flipped: false, negatedBy };
    }
    if (right.type === 'member') {
      return { attribute: right.path, member: right, operator: FLIPPED[node.operator] ?? node.operator,
        operatorStart: node.operatorStart, operatorEnd: node.operatorEnd, value: left, node, flipped: true, negatedBy };
    }
    return undefined;
  }
  if (node.type === 'call') {
    const args = node.args;
    let memberIndex = -1;
    for (let i = 0; i < args.length; i++) if (args[i]?.type === 'member') { memberIndex = i; break; }
    const member = args[memberIndex];
    if (member?.type !== 'member') return undefined;
    const value = memberIndex === 0 ? args[1] : args[0];
    return { attribute: member.path, member, operator: node.name.toLowerCase(), operatorStart: node.start,
      operatorEnd: node.nameEnd, value, node, flipped: memberIndex > 0, negatedBy };
  }
  return undefined;
}

/** Every property referenced by the filter outside lambda bodies (a lambda's variable is not a property of the entity). */
export function collectMembers(ast: FilterNode | undefined): MemberNode[] {
  const out: MemberNode[] = [];
  descend(ast, undefined, (node) => {
    if (node.type === 'member') out.push(node);
    else if (node.type === 'lambda') {
      out.push(node.collection);
      return SKIP;
    }
    return undefined;
  });
  return out;
}
