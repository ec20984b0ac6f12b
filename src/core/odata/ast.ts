// The syntax tree of an OData v4 `$filter` / `$orderby` expression. Every node carries its exact source range as 0-based
// offsets into the text that was parsed ([start, end), end exclusive), so diagnostics and fixes can point at any part of it.

export type LiteralKind =
  | 'string'
  | 'number'
  | 'boolean'
  | 'null'
  | 'dateTimeOffset'
  | 'date'
  | 'timeOfDay'
  | 'guid'
  | 'duration'
  /** A prefixed literal such as `datetime'…'` (OData v3), `guid'…'`, `binary'…'`, `X'…'` or an enum `NS.Type'Value'`. */
  | 'typed'
  /** A template placeholder standing for a value the tool cannot know: `{{var}}`, `${expr}`, `{name}`. */
  | 'placeholder';

export type BinaryOperator =
  | 'or' | 'and'
  | 'eq' | 'ne'
  | 'gt' | 'ge' | 'lt' | 'le' | 'has' | 'in'
  | 'add' | 'sub'
  | 'mul' | 'div' | 'divby' | 'mod';

interface Span {
  readonly start: number;
  readonly end: number;
}

export interface LiteralNode extends Span {
  readonly type: 'literal';
  readonly kind: LiteralKind;
  /** The literal exactly as written. */
  readonly raw: string;
  /** The decoded value: unescaped text for strings, a number, a boolean, null, or the raw text for the other kinds. */
  readonly value: string | number | boolean | null;
  /** For `typed` literals: the prefix (`datetime`, `guid`, `binary`, or the enum type name). */
  readonly typeName?: string;
}

export interface MemberNode extends Span {
  readonly type: 'member';
  /** The property path as written, segments joined with `/` (for example `assetId` or `location/country`). */
  readonly path: string;
}

export interface BinaryNode extends Span {
  readonly type: 'binary';
  readonly operator: BinaryOperator;
  readonly left: FilterNode;
  readonly right: FilterNode;
  /** Range of the operator keyword. */
  readonly operatorStart: number;
  readonly operatorEnd: number;
}

export interface UnaryNode extends Span {
  readonly type: 'unary';
  readonly operator: 'not' | '-';
  readonly operand: FilterNode;
}

export interface CallNode extends Span {
  readonly type: 'call';
  /** The function name as written (`contains`, `startswith`, `geo.distance`, …). */
  readonly name: string;
  readonly nameEnd: number;
  readonly args: readonly FilterNode[];
}

/** A parenthesised list, the right-hand side of `in`: `('a', 'b')`. */
export interface ListNode extends Span {
  readonly type: 'list';
  readonly items: readonly FilterNode[];
}

/** `collection/any(v: body)` or `collection/all(v: body)`. */
export interface LambdaNode extends Span {
  readonly type: 'lambda';
  readonly operator: 'any' | 'all';
  readonly collection: MemberNode;
  readonly variable?: string;
  readonly body?: FilterNode;
}

/** Where the text is missing or unparsable. `children` keeps what could still be parsed around the damage. */
export interface ErrorNode extends Span {
  readonly type: 'error';
  readonly children: readonly FilterNode[];
}

export type FilterNode = LiteralNode | MemberNode | BinaryNode | UnaryNode | CallNode | ListNode | LambdaNode | ErrorNode;

/** What the parser expected where it stopped: lets an editor offer completions on incomplete text. */
export type Expectation = 'expression' | 'operator' | 'closeParen' | 'comma' | 'direction' | 'end';

export interface SyntaxError extends Span {
  readonly message: string;
  readonly expected?: Expectation;
  /** A safe repair, when there is exactly one sensible one (lower-casing `AND`, `"x"` → `'x'`, a missing `)`). */
  readonly fix?: { readonly title: string; readonly start: number; readonly end: number; readonly newText: string };
}

export interface FilterParseResult {
  /** Undefined only for empty (or whitespace-only) text. */
  readonly ast: FilterNode | undefined;
  readonly errors: readonly SyntaxError[];
}

export interface OrderByItem extends Span {
  readonly expression: FilterNode;
  readonly direction: 'asc' | 'desc' | undefined;
  readonly directionStart: number | undefined;
  readonly directionEnd: number | undefined;
}

export interface OrderByParseResult {
  readonly items: readonly OrderByItem[];
  readonly errors: readonly SyntaxError[];
}
