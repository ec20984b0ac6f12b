// THE OData `$filter` / `$orderby` parser of the project (the linter uses it, and the sandbox answers Data Hub queries
// with it). A Pratt parser over the scanner in lexer.ts: OData v4 precedence (§5.1.1 of the URL conventions), functions,
// lambdas, `in` lists, and literals of every kind with `''` escaping. It is tolerant: on incomplete or broken text it
// records an error (with what it expected there) and carries on, so an editor gets diagnostics while the user types.
// It never throws, whatever the input.
import type {
  BinaryOperator, Expectation, FilterNode, FilterParseResult, LiteralKind, LiteralNode, MemberNode, OrderByItem,
  OrderByParseResult, SyntaxError,
} from './ast';
import { Lexer, Tok } from './lexer';

/** Binding power of each infix operator: higher binds tighter. */
const INFIX: Readonly<Record<string, number>> = {
  or: 1, and: 2,
  eq: 3, ne: 3,
  gt: 4, ge: 4, lt: 4, le: 4, has: 4, in: 4,
  add: 5, sub: 5,
  mul: 6, div: 6, divby: 6, mod: 6,
};
const OPERATORS_BY_LENGTH: ReadonlyArray<readonly BinaryOperator[] | undefined> = (() => {
  const out: BinaryOperator[][] = [];
  for (const op of Object.keys(INFIX) as BinaryOperator[]) (out[op.length] ??= []).push(op);
  return out;
})();
const UNARY_POWER = 7;
/**
 * Deeper nesting than this (parentheses, calls, lambdas, `in` lists, `not` and `-` together) is reported instead of
 * recursed into: a fuzzed `((((…` or `not not not …` must not overflow the stack.
 */
const MAX_DEPTH = 100;

const LITERAL_KIND: Partial<Record<Tok, LiteralKind>> = {
  [Tok.Number]: 'number',
  [Tok.DateTimeOffset]: 'dateTimeOffset',
  [Tok.Date]: 'date',
  [Tok.TimeOfDay]: 'timeOfDay',
  [Tok.Guid]: 'guid',
  [Tok.Duration]: 'duration',
  [Tok.Typed]: 'typed',
  [Tok.Placeholder]: 'placeholder',
};

const DESCRIBE: Partial<Record<Tok, string>> = {
  [Tok.RParen]: "')'", [Tok.Comma]: "','", [Tok.Slash]: "'/'", [Tok.Colon]: "':'", [Tok.LParen]: "'('",
};

class Parser {
  private readonly lex: Lexer;
  private readonly errors: SyntaxError[] = [];
  private depth = 0;

  constructor(private readonly text: string) {
    this.lex = new Lexer(text);
    this.lex.scan(0);
  }

  filter(): FilterParseResult {
    if (this.tok() === Tok.End) return { ast: undefined, errors: this.errors };
    let ast = this.expression(0);
    // Recover from trailing garbage: report it, then keep parsing so the rest still gets checked.
    while (this.tok() !== Tok.End) {
      const children: FilterNode[] = [ast];
      const start = this.lex.start;
      this.error(`Unexpected ${this.describe()}: expected an operator such as 'and' or 'eq', or the end of the filter.`,
        start, this.lex.end, 'operator');
      // Skip a token that cannot start an expression (`)`, `,`); otherwise parse from it, so `a eq 1 b eq 2` keeps `b eq 2`.
      if (!this.startsExpression()) this.advance();
      if (this.tok() !== Tok.End) children.push(this.expression(0));
      ast = { type: 'error', start: ast.start, end: this.lastEnd(children), children };
    }
    return { ast, errors: this.errors };
  }

  orderBy(): OrderByParseResult {
    const items: OrderByItem[] = [];
    while (this.tok() !== Tok.End) {
      const expression = this.expression(0);
      let direction: 'asc' | 'desc' | undefined;
      let directionStart: number | undefined;
      let directionEnd: number | undefined;
      if (this.tok() === Tok.Identifier) {
        const word = this.word();
        const lower = word.toLowerCase();
        if (lower === 'asc' || lower === 'desc') {
          if (word !== lower) this.lowercase(word);
          [direction, directionStart, directionEnd] = [lower, this.lex.start, this.lex.end];
          this.advance();
        }
      }
      const item: OrderByItem = { expression, start: expression.start, end: directionEnd ?? expression.end, direction, directionStart, directionEnd };
      items.push(item);
      if (this.tok() === Tok.Comma) {
        this.advance();
        if (this.tok() === Tok.End) this.error('Expected a property to sort by after the comma.', this.lex.start, this.lex.end, 'expression');
      } else if (this.tok() !== Tok.End) {
        this.error(`Unexpected ${this.describe()}: expected 'asc', 'desc', ',' or the end of $orderby.`,
          this.lex.start, this.lex.end, 'direction');
        this.advance();
      }
    }
    return { items, errors: this.errors };
  }

  private expression(minPower: number): FilterNode {
    let left = this.prefix();
    for (;;) {
      if (this.tok() !== Tok.Identifier) return left;
      // Most identifiers here are lower-case operators: recognise them without slicing the text.
      let operator: BinaryOperator | undefined = this.operatorAtToken();
      let power = operator ? INFIX[operator] : undefined;
      if (operator === undefined || power === undefined) {
        const word = this.word();
        const lower = word.toLowerCase();
        power = INFIX[lower];
        if (power === undefined) return left;
        operator = lower as BinaryOperator;
        if (power > minPower) this.lowercase(word);
      }
      if (power <= minPower) return left;
      const operatorStart = this.lex.start;
      const operatorEnd = this.lex.end;
      this.advance();
      const right = operator === 'in' ? this.inList() : this.expression(power);
      left = { type: 'binary', operator, left, right, operatorStart, operatorEnd, start: left.start, end: right.end };
    }
  }

  private prefix(): FilterNode {
    const lex = this.lex;
    const start = lex.start;
    switch (lex.kind) {
      case Tok.LParen: return this.group();
      case Tok.Minus: {
        const tooDeep = this.enter(start, 'Negations');
        if (tooDeep) return tooDeep;
        this.advance();
        const operand = this.expression(UNARY_POWER);
        this.depth--;
        return { type: 'unary', operator: '-', operand, start, end: operand.end };
      }
      case Tok.String: return this.stringLiteral();
      case Tok.Identifier: return this.identifier();
      case Tok.End: {
        this.error('The filter ends here, but a value or property is missing.', start, start, 'expression');
        return { type: 'error', start, end: start, children: [] };
      }
    }
    const kind = LITERAL_KIND[lex.kind];
    if (kind !== undefined) {
      const raw = this.text.slice(start, lex.end);
      if (lex.unterminated) this.error(`The placeholder ${raw} is not closed.`, start, lex.end, 'expression');
      let value: string | number = raw;
      let typeName: string | undefined;
      if (kind === 'number') value = Number(raw.replace(/[mMdDfFlL]$/, ''));
      else if (kind === 'typed') typeName = raw.slice(0, raw.indexOf("'"));
      this.advance();
      const node: LiteralNode = { type: 'literal', kind, raw, value, start, end: this.prevEnd };
      return typeName === undefined ? node : { ...node, typeName };
    }
    // A token that cannot start an expression: report it and stand an error node in its place.
    this.error(`Unexpected ${this.describe()}: expected a property, a value or a function.`, start, lex.end, 'expression');
    const end = lex.end;
    this.advance();
    return { type: 'error', start, end, children: [] };
  }

  private prevEnd = 0;
  /** Set when nesting went past MAX_DEPTH and the rest of the text was skipped: the open parentheses are not errors. */
  private gaveUp = false;

  private advance(): void {
    this.prevEnd = this.lex.end;
    this.lex.scan(this.lex.end);
  }

  /**
   * Goes one level deeper into something that nests (its parsing recurses into expression(); the caller decrements
   * `depth` when done), or, past MAX_DEPTH, reports it, skips the rest of the text and returns the node to stand there.
   */
  private enter(start: number, what: string): FilterNode | undefined {
    if (this.depth < MAX_DEPTH) {
      this.depth++;
      return undefined;
    }
    this.error(`${what} are nested more than ${MAX_DEPTH} deep.`, start, this.text.length, 'end');
    this.giveUp();
    return { type: 'error', start, end: this.text.length, children: [] };
  }

  private group(): FilterNode {
    const open = this.lex.start;
    const tooDeep = this.enter(open, 'Parentheses');
    if (tooDeep) return tooDeep;
    this.advance();
    const inner = this.expression(0);
    this.depth--;
    if (this.tok() === Tok.RParen) this.advance();
    else this.missingParen(open);
    return inner;
  }

  /** The right-hand side of `in`: a parenthesised list, or (OData 4.01) a single collection-valued expression. */
  private inList(): FilterNode {
    if (this.tok() !== Tok.LParen) return this.expression(INFIX.in ?? 0);
    const start = this.lex.start;
    const tooDeep = this.enter(start, 'Parentheses');
    if (tooDeep) return tooDeep;
    this.advance();
    const items: FilterNode[] = [];
    while (this.tok() !== Tok.RParen && this.tok() !== Tok.End) {
      items.push(this.expression(0));
      if (this.tok() === Tok.Comma) this.advance();
      else if (this.tok() !== Tok.RParen) break;
    }
    this.depth--;
    if (this.tok() === Tok.RParen) this.advance();
    else this.missingParen(start);
    return { type: 'list', items, start, end: this.prevEnd };
  }

  private giveUp(): void {
    this.gaveUp = true;
    this.lex.scan(this.text.length);
  }

  private missingParen(open: number): void {
    if (this.gaveUp) return;
    const at = this.tok() === Tok.End ? this.text.length : this.lex.start;
    this.error("This '(' is never closed: expected ')'.", open, open + 1, 'closeParen',
      this.tok() === Tok.End ? { title: "Add the missing ')'", start: at, end: at, newText: ')' } : undefined);
  }

  private stringLiteral(): LiteralNode {
    const lex = this.lex;
    const start = lex.start;
    const end = lex.end;
    const raw = this.text.slice(start, end);
    const quote = raw[0] ?? "'";
    const body = lex.unterminated ? raw.slice(1) : raw.slice(1, -1);
    const value = body.includes(quote + quote) ? body.split(quote + quote).join(quote) : body;
    if (lex.doubleQuoted) {
      const fixed = `'${value.replace(/'/g, "''")}'`;
      this.error('OData strings are written in single quotes; double quotes are not a string literal.', start, end,
        undefined, lex.unterminated ? undefined : { title: `Use single quotes: ${fixed}`, start, end, newText: fixed });
    } else if (lex.unterminated) {
      this.error('This string is never closed: add a closing quote (a quote inside a string is written twice: \'\').',
        start, end, undefined, { title: 'Close the string', start: end, end, newText: "'" });
    }
    this.advance();
    return { type: 'literal', kind: 'string', raw, value, start, end };
  }

  private identifier(): FilterNode {
    const lex = this.lex;
    const start = lex.start;
    const word = this.word();
    const lower = word.toLowerCase();
    if (lower === 'not') {
      const tooDeep = this.enter(start, 'Negations');
      if (tooDeep) return tooDeep;
      if (word !== 'not') this.lowercase(word);
      this.advance();
      const operand = this.expression(UNARY_POWER);
      this.depth--;
      return { type: 'unary', operator: 'not', operand, start, end: operand.end };
    }
    if (lower === 'true' || lower === 'false') {
      this.advance();
      return { type: 'literal', kind: 'boolean', raw: word, value: lower === 'true', start, end: this.prevEnd };
    }
    if (lower === 'null') {
      this.advance();
      return { type: 'literal', kind: 'null', raw: word, value: null, start, end: this.prevEnd };
    }
    if (word === 'INF' || word === 'NaN') {
      this.advance();
      return { type: 'literal', kind: 'number', raw: word, value: word === 'INF' ? Infinity : NaN, start, end: this.prevEnd };
    }
    const nameEnd = lex.end;
    this.advance();
    if (lex.kind === Tok.LParen) return this.call(word, start, nameEnd);
    return this.memberPath(word, start, nameEnd);
  }

  private call(name: string, start: number, nameEnd: number): FilterNode {
    const tooDeep = this.enter(start, 'Function calls');
    if (tooDeep) return tooDeep;
    const open = this.lex.start;
    this.advance();
    const args: FilterNode[] = [];
    while (this.tok() !== Tok.RParen && this.tok() !== Tok.End) {
      args.push(this.expression(0));
      if (this.tok() === Tok.Comma) {
        this.advance();
        if (this.tok() === Tok.RParen || this.tok() === Tok.End) {
          this.error(`Expected another argument of ${name}() after the comma.`, this.lex.start, this.lex.end, 'expression');
        }
      } else if (this.tok() !== Tok.RParen) {
        if (this.tok() === Tok.End) break;
        this.error(`Unexpected ${this.describe()} in the arguments of ${name}(): expected ',' or ')'.`,
          this.lex.start, this.lex.end, 'comma');
        this.advance();
      }
    }
    this.depth--;
    if (this.tok() === Tok.RParen) this.advance();
    else this.missingParen(open);
    return { type: 'call', name, nameEnd, args, start, end: this.prevEnd };
  }

  /** `a/b/c`, and the lambdas `a/any(x: …)` / `a/all(x: …)`. */
  private memberPath(first: string, start: number, firstEnd: number): FilterNode {
    let path = first;
    let end = firstEnd;
    while (this.tok() === Tok.Slash) {
      this.advance();
      if (this.tok() !== Tok.Identifier) {
        this.error(`Expected a property name after '${path}/'.`, this.lex.start, this.lex.end, 'expression');
        return { type: 'member', path, start, end };
      }
      const segment = this.word();
      const segmentEnd = this.lex.end;
      this.advance();
      if ((segment === 'any' || segment === 'all') && this.tok() === Tok.LParen) {
        return this.enter(start, 'Lambdas') ?? this.lambda(segment, { type: 'member', path, start, end });
      }
      path += '/' + segment;
      end = segmentEnd;
    }
    const member: MemberNode = { type: 'member', path, start, end };
    return member;
  }

  private lambda(operator: 'any' | 'all', collection: MemberNode): FilterNode {
    const open = this.lex.start;
    this.advance();
    let variable: string | undefined;
    let body: FilterNode | undefined;
    if (this.tok() === Tok.Identifier) {
      const save = this.lex.start;
      variable = this.word();
      this.advance();
      if (this.tok() === Tok.Colon) {
        this.advance();
        body = this.expression(0);
      } else {
        this.error(`Expected ':' after the lambda variable '${variable}'.`, save, this.lex.end, undefined);
      }
    }
    this.depth--;
    if (this.tok() === Tok.RParen) this.advance();
    else this.missingParen(open);
    const base = { type: 'lambda' as const, operator, collection, start: collection.start, end: this.prevEnd };
    return body ? { ...base, variable, body } : variable ? { ...base, variable } : base;
  }

  /** The lower-case infix operator the current identifier token spells exactly, if any. */
  private operatorAtToken(): BinaryOperator | undefined {
    const { start, end } = this.lex;
    const candidates = OPERATORS_BY_LENGTH[end - start];
    if (candidates) for (const op of candidates) if (this.text.startsWith(op, start)) return op;
    return undefined;
  }

  /** The current token kind (a method, so TypeScript does not narrow it across `advance()`). */
  private tok(): Tok {
    return this.lex.kind;
  }

  private startsExpression(): boolean {
    const k = this.tok();
    return k === Tok.LParen || k === Tok.Minus || k === Tok.String || k === Tok.Identifier || LITERAL_KIND[k] !== undefined;
  }

  private word(): string {
    return this.text.slice(this.lex.start, this.lex.end);
  }

  private lowercase(word: string): void {
    const lower = word.toLowerCase();
    this.error(`OData keywords are lower case: write '${lower}', not '${word}'.`, this.lex.start, this.lex.end, undefined,
      { title: `Write '${lower}'`, start: this.lex.start, end: this.lex.end, newText: lower });
  }

  private describe(): string {
    const kind = this.tok();
    if (kind === Tok.End) return 'end of text';
    return DESCRIBE[kind] ?? `'${this.text.slice(this.lex.start, Math.min(this.lex.end, this.lex.start + 30))}'`;
  }

  private lastEnd(nodes: readonly FilterNode[]): number {
    return Math.max(this.prevEnd, ...nodes.map((n) => n.end));
  }

  private error(message: string, start: number, end: number, expected: Expectation | undefined,
    fix?: SyntaxError['fix']): void {
    const base = { message, start, end };
    const withExpected = expected ? { ...base, expected } : base;
    this.errors.push(fix ? { ...withExpected, fix } : withExpected);
  }
}

/** Parses the (already URL-decoded) value of `$filter`. Never throws. Offsets in the result index into `text`. */
export function parseFilter(text: string): FilterParseResult {
  try {
    return new Parser(text).filter();
  } catch (error) {
    // Defence in depth: the parser has no known way to throw, but a linter must never crash on input.
    return { ast: undefined, errors: [{ message: `The filter could not be parsed: ${String(error)}`, start: 0, end: text.length }] };
  }
}

/** Parses the (already URL-decoded) value of `$orderby`. Never throws. */
export function parseOrderBy(text: string): OrderByParseResult {
  try {
    return new Parser(text).orderBy();
  } catch (error) {
    return { items: [], errors: [{ message: `$orderby could not be parsed: ${String(error)}`, start: 0, end: text.length }] };
  }
}
