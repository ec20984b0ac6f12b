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
  readonly value?: FilterNode;
  /** The whole comparison. */
  readonly node: BinaryNode | CallNode;
  /** True when the property was written on the right (`'x' eq name`). */
  readonly flipped: boolean;
  /** The innermost `not` this comparison sits under an odd number of, if any. */
  readonly negatedBy?: UnaryNode;
}

/** Every comparison of a property with a value, in source order. Lambda bodies are skipped (they filter collections). */
export function collectComparisons(ast: FilterNode | undefined): Comparison[] {
  const out: Comparison[] = [];
  const visit = (node: FilterNode | undefined, negatedBy: UnaryNode | undefined): void => {
    if (!node) return;
    switch (node.type) {
      case 'binary': {
        if (COMPARISON.has(node.operator)) {
          const base = { operatorStart: node.operatorStart, operatorEnd: node.operatorEnd, node, ...(negatedBy ? { negatedBy } : {}) };
          if (node.left.type === 'member') {
            out.push({ ...base, attribute: node.left.path, member: node.left, operator: node.operator, value: node.right, flipped: false });
          } else if (node.right.type === 'member') {
            out.push({ ...base, attribute: node.right.path, member: node.right,
              operator: FLIPPED[node.operator] ?? node.operator, value: node.left, flipped: true });
          }
        }
        visit(node.left, negatedBy);
        visit(node.right, negatedBy);
        return;
      }
      case 'unary':
        visit(node.operand, node.operator === 'not' ? (negatedBy ? undefined : node) : negatedBy);
        return;
      case 'call': {
        const memberIndex = node.args.findIndex((a) => a.type === 'member');
        const member = node.args[memberIndex];
        if (member?.type === 'member') {
          const value = node.args.find((_, i) => i !== memberIndex);
          out.push({ attribute: member.path, member, operator: node.name.toLowerCase(), operatorStart: node.start,
            operatorEnd: node.nameEnd, node, flipped: memberIndex > 0, ...(value ? { value } : {}),
            ...(negatedBy ? { negatedBy } : {}) });
        }
        for (const a of node.args) visit(a, negatedBy);
        return;
      }
      case 'list':
        for (const i of node.items) visit(i, negatedBy);
        return;
      case 'error':
        for (const c of node.children) visit(c, negatedBy);
        return;
      case 'lambda':
      case 'member':
      case 'literal':
        return;
    }
  };
  visit(ast, undefined);
  return out;
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
