// Helpers over the filter syntax tree: a visitor, and the list of "attribute operator value" comparisons in a filter,
// which is what MindSphere's limits are about (seed §8.5) and what a server needs to answer a query.
import type { BinaryNode, BinaryOperator, CallNode, FilterNode, MemberNode, UnaryNode } from './ast';

/** Calls `visit` on every node, parents before children. */
export function walkFilter(node: FilterNode | undefined, visit: (node: FilterNode) => void): void {
  if (!node) return;
  visit(node);
  switch (node.type) {
    case 'binary':
      walkFilter(node.left, visit);
      walkFilter(node.right, visit);
      return;
    case 'unary':
      walkFilter(node.operand, visit);
      return;
    case 'call':
      for (const a of node.args) walkFilter(a, visit);
      return;
    case 'list':
      for (const i of node.items) walkFilter(i, visit);
      return;
    case 'lambda':
      walkFilter(node.collection, visit);
      walkFilter(node.body, visit);
      return;
    case 'error':
      for (const c of node.children) walkFilter(c, visit);
      return;
  }
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
  visitComparisons(ast, undefined, out);
  return out;
}

// Objects are built as plain literals of one shape (no spreads): this runs for every request of a document.
function visitComparisons(node: FilterNode | undefined, negatedBy: UnaryNode | undefined, out: Comparison[]): void {
  if (!node) return;
  switch (node.type) {
    case 'binary': {
      if (COMPARISON.has(node.operator)) {
        const left = node.left;
        const right = node.right;
        if (left.type === 'member') {
          out.push({ attribute: left.path, member: left, operator: node.operator, operatorStart: node.operatorStart,
            operatorEnd: node.operatorEnd, value: right, node, flipped: false, negatedBy });
        } else if (right.type === 'member') {
          out.push({ attribute: right.path, member: right, operator: FLIPPED[node.operator] ?? node.operator,
            operatorStart: node.operatorStart, operatorEnd: node.operatorEnd, value: left, node, flipped: true, negatedBy });
        }
      }
      visitComparisons(node.left, negatedBy, out);
      visitComparisons(node.right, negatedBy, out);
      return;
    }
    case 'unary':
      visitComparisons(node.operand, node.operator === 'not' ? (negatedBy ? undefined : node) : negatedBy, out);
      return;
    case 'call': {
      const args = node.args;
      let memberIndex = -1;
      for (let i = 0; i < args.length; i++) if (args[i]?.type === 'member') { memberIndex = i; break; }
      const member = args[memberIndex];
      if (member?.type === 'member') {
        const value = memberIndex === 0 ? args[1] : args[0];
        out.push({ attribute: member.path, member, operator: node.name.toLowerCase(), operatorStart: node.start,
          operatorEnd: node.nameEnd, value, node, flipped: memberIndex > 0, negatedBy });
      }
      for (const a of args) visitComparisons(a, negatedBy, out);
      return;
    }
    case 'list':
      for (const i of node.items) visitComparisons(i, negatedBy, out);
      return;
    case 'error':
      for (const c of node.children) visitComparisons(c, negatedBy, out);
      return;
    case 'lambda':
    case 'member':
    case 'literal':
      return;
  }
}

/** Every property referenced by the filter outside lambda bodies (a lambda's variable is not a property of the entity). */
export function collectMembers(ast: FilterNode | undefined): MemberNode[] {
  const out: MemberNode[] = [];
  const visit = (node: FilterNode | undefined): void => {
    if (!node) return;
    if (node.type === 'member') out.push(node);
    else if (node.type === 'lambda') out.push(node.collection);
    else if (node.type === 'binary') { visit(node.left); visit(node.right); }
    else if (node.type === 'unary') visit(node.operand);
    else if (node.type === 'call') node.args.forEach(visit);
    else if (node.type === 'list') node.items.forEach(visit);
    else if (node.type === 'error') node.children.forEach(visit);
  };
  visit(ast);
  return out;
}
