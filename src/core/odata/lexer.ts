// A hand-written scanner for OData v4 expressions. It works on char codes and reuses one mutable token (no arrays of
// token objects), which is why parsing keeps up with, and beats, published parsers while keeping every range.

export const enum Tok {
  End,
  LParen,
  RParen,
  Comma,
  Slash,
  Colon,
  Minus,
  Identifier,
  String,
  Number,
  DateTimeOffset,
  Date,
  TimeOfDay,
  Guid,
  Duration,
  Typed,
  Placeholder,
  /** A character that starts no token (reported by the parser). */
  Invalid,
}

const SPACE = 32, TAB = 9, LF = 10, CR = 13, QUOTE = 39, DQUOTE = 34, LPAREN = 40, RPAREN = 41, COMMA = 44, SLASH = 47,
  COLON = 58, MINUS = 45, DOT = 46, DOLLAR = 36, AT = 64, LBRACE = 123, RBRACE = 125, UNDERSCORE = 95;

const isDigit = (c: number) => c >= 48 && c <= 57;
const isAlpha = (c: number) => (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
const isHex = (c: number) => isDigit(c) || (c >= 65 && c <= 70) || (c >= 97 && c <= 102);
const isIdentStart = (c: number) => isAlpha(c) || c === UNDERSCORE || c === DOLLAR || c === AT || c > 127;
const isIdentPart = (c: number) => isAlpha(c) || isDigit(c) || c === UNDERSCORE || c > 127;

const GUID = /[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}/y;
const DATE_TIME = /-?\d{4,}-\d{2}-\d{2}(?:T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|z|[+-]\d{2}:\d{2})?)?/y;
const TIME_OF_DAY = /\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?/y;
const NUMBER = /\d+(?:\.\d+)?(?:[eE][+-]?\d+)?[mMdDfFlL]?/y;

/**
 * The end (exclusive) of a placeholder whose first `{` is at `brace`: `{{name}}`, or a `{…}` with balanced braces inside,
 * as in `${encodeURIComponent(JSON.stringify({ a: 1 }))}`. -1 when it is not closed.
 */
export function placeholderEnd(text: string, brace: number): number {
  if (text.charCodeAt(brace + 1) === LBRACE) {
    const close = text.indexOf('}}', brace + 2);
    return close < 0 ? -1 : close + 2;
  }
  let depth = 0;
  for (let i = brace; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === LBRACE) depth++;
    else if (c === RBRACE && --depth === 0) return i + 1;
  }
  return -1;
}

export class Lexer {
  kind: Tok = Tok.End;
  start = 0;
  end = 0;
  /** Set for an unterminated string, or a string in double quotes (both reported by the parser). */
  unterminated = false;
  doubleQuoted = false;

  constructor(readonly text: string) {}

  /** Moves to the next token, starting at `pos`. */
  scan(pos: number): void {
    const text = this.text;
    const n = text.length;
    let c = text.charCodeAt(pos);
    while (pos < n && (c === SPACE || c === TAB || c === LF || c === CR)) c = text.charCodeAt(++pos);
    this.start = pos;
    this.unterminated = false;
    this.doubleQuoted = false;
    if (pos >= n) {
      this.kind = Tok.End;
      this.end = n;
      return;
    }
    switch (c) {
      case LPAREN: return this.single(Tok.LParen, pos);
      case RPAREN: return this.single(Tok.RParen, pos);
      case COMMA: return this.single(Tok.Comma, pos);
      case SLASH: return this.single(Tok.Slash, pos);
      case COLON: return this.single(Tok.Colon, pos);
      case QUOTE: return this.string(pos, QUOTE, Tok.String);
      case DQUOTE:
        this.string(pos, DQUOTE, Tok.String);
        this.doubleQuoted = true;
        return;
      case LBRACE: return this.placeholder(pos);
      case MINUS:
        if (isDigit(text.charCodeAt(pos + 1))) return this.numberOrDate(pos);
        return this.single(Tok.Minus, pos);
    }
    if (c === DOLLAR && text.charCodeAt(pos + 1) === LBRACE) return this.placeholder(pos + 1, pos);
    if (isDigit(c) || isAlpha(c)) {
      // A GUID may start with a digit or a letter: 8 hex digits and a dash.
      if (text.charCodeAt(pos + 8) === MINUS && isHex(c)) {
        GUID.lastIndex = pos;
        if (GUID.test(text) && !isIdentPart(text.charCodeAt(GUID.lastIndex))) return this.token(Tok.Guid, GUID.lastIndex);
      }
      if (isDigit(c)) return this.numberOrDate(pos);
    }
    if (isIdentStart(c)) return this.identifier(pos);
    this.kind = Tok.Invalid;
    this.end = pos + 1;
  }

  private single(kind: Tok, pos: number): void {
    this.kind = kind;
    this.end = pos + 1;
  }

  private token(kind: Tok, end: number): void {
    this.kind = kind;
    this.end = end;
  }

  /** `'it''s'`: a doubled quote is an escaped quote. */
  private string(pos: number, quote: number, kind: Tok): void {
    const text = this.text;
    let i = pos + 1;
    for (;;) {
      const q = text.indexOf(quote === QUOTE ? "'" : '"', i);
      if (q < 0) {
        this.unterminated = true;
        return this.token(kind, text.length);
      }
      if (text.charCodeAt(q + 1) === quote) {
        i = q + 2;
        continue;
      }
      return this.token(kind, q + 1);
    }
  }

  /** `{{var}}`, `${expr}`, `{name}`: placeholders of .http files, JS template strings, Python and C# interpolation. */
  private placeholder(brace: number, start = brace): void {
    this.start = start;
    const end = placeholderEnd(this.text, brace);
    this.unterminated = end < 0;
    this.token(Tok.Placeholder, end < 0 ? this.text.length : end);
  }

  private numberOrDate(pos: number): void {
    const text = this.text;
    DATE_TIME.lastIndex = pos;
    if (DATE_TIME.test(text)) {
      const end = DATE_TIME.lastIndex;
      const t = text.indexOf('T', pos);
      return this.token(t >= 0 && t < end ? Tok.DateTimeOffset : Tok.Date, end);
    }
    const digitsFrom = text.charCodeAt(pos) === MINUS ? pos + 1 : pos;
    TIME_OF_DAY.lastIndex = digitsFrom;
    if (text.charCodeAt(digitsFrom + 2) === COLON && TIME_OF_DAY.test(text)) return this.token(Tok.TimeOfDay, TIME_OF_DAY.lastIndex);
    NUMBER.lastIndex = digitsFrom;
    NUMBER.test(text);
    return this.token(Tok.Number, Math.max(NUMBER.lastIndex, digitsFrom + 1));
  }

  private identifier(pos: number): void {
    const text = this.text;
    const n = text.length;
    let i = pos + 1;
    for (;;) {
      while (i < n && isIdentPart(text.charCodeAt(i))) i++;
      // Namespace-qualified names: `geo.distance`, `Edm.String`, `Namespace.Color'Red'`.
      if (text.charCodeAt(i) === DOT && isIdentStart(text.charCodeAt(i + 1))) {
        i += 2;
        continue;
      }
      break;
    }
    if (text.charCodeAt(i) === QUOTE) {
      // `duration'P1D'`, `datetime'…'`, `guid'…'`, `X'0A'`, enum `NS.Type'Value'`: a prefixed literal.
      this.string(i, QUOTE, Tok.Typed);
      if (text.slice(pos, i).toLowerCase() === 'duration') this.kind = Tok.Duration;
      this.start = pos;
      return;
    }
    this.token(Tok.Identifier, i);
  }
}
