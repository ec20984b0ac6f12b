// A JSON parser that keeps the source range of every value and key, recovers from errors, and never throws. Contracts,
// Asset Management `filter` values and tenant schemas are all JSON, and their diagnostics must point at the exact key.
// `{{var}}` placeholders (from .http files) are accepted as values.

export interface JsonSpan {
  readonly start: number;
  readonly end: number;
}

export interface JsonProperty extends JsonSpan {
  readonly key: string;
  readonly keyStart: number;
  readonly keyEnd: number;
  readonly value: JsonNode | undefined;
}

export type JsonNode =
  | (JsonSpan & { readonly type: 'object'; readonly properties: readonly JsonProperty[] })
  | (JsonSpan & { readonly type: 'array'; readonly items: readonly JsonNode[] })
  | (JsonSpan & { readonly type: 'string'; readonly value: string })
  | (JsonSpan & { readonly type: 'number'; readonly value: number })
  | (JsonSpan & { readonly type: 'boolean'; readonly value: boolean })
  | (JsonSpan & { readonly type: 'null' })
  | (JsonSpan & { readonly type: 'placeholder'; readonly raw: string });

export type JsonObjectNode = Extract<JsonNode, { type: 'object' }>;

export interface JsonError extends JsonSpan {
  readonly message: string;
}

export interface JsonParseResult {
  readonly root: JsonNode | undefined;
  readonly errors: readonly JsonError[];
}

const MAX_DEPTH = 200;
/**
 * Errors reported, and one more that says others follow: a broken file can have one error every few bytes (a 200 KB array
 * without commas has 100,000), and editors and CI logs gain nothing from each of them.
 */
export const MAX_ERRORS = 100;
const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const ESCAPES: Readonly<Record<string, string>> = { '"': '"', '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' };

class JsonParser {
  private pos = 0;
  private depth = 0;
  /** Set when nesting went past MAX_DEPTH and the rest of the text was skipped: the open brackets are not errors. */
  private gaveUp = false;
  /**
   * Set once an error at the end of the text was reported: in a cut-off file every bracket still open would be "never
   * closed", one error per level (eight for one truncated contract), where one says it all.
   */
  private endReported = false;
  readonly errors: JsonError[] = [];

  constructor(private readonly text: string) {}

  parse(): JsonParseResult {
    this.skip();
    if (this.pos >= this.text.length) {
      this.error('The file is empty: expected a JSON value.', 0, 0);
      return { root: undefined, errors: this.errors };
    }
    const root = this.value();
    this.skip();
    if (this.pos < this.text.length) this.error('Unexpected text after the end of the JSON value.', this.pos, this.text.length);
    return { root, errors: this.errors };
  }

  private value(): JsonNode | undefined {
    this.skip();
    const text = this.text;
    const start = this.pos;
    const c = text[start];
    if (c === '{' && text[start + 1] === '{') return this.placeholder();
    if (c === '{' || c === '[') {
      if (++this.depth > MAX_DEPTH) {
        this.error(`JSON nested more than ${MAX_DEPTH} deep.`, start, text.length);
        this.pos = text.length;
        this.gaveUp = true;
        return undefined;
      }
      const node = c === '{' ? this.object() : this.array();
      this.depth--;
      return node;
    }
    if (c === '"') return { type: 'string', value: this.string(), start, end: this.pos };
    if (c === '-' || (c !== undefined && c >= '0' && c <= '9')) {
      NUMBER.lastIndex = start;
      if (NUMBER.test(text)) {
        this.pos = NUMBER.lastIndex;
        return { type: 'number', value: Number(text.slice(start, this.pos)), start, end: this.pos };
      }
    }
    for (const [word, node] of [['true', { type: 'boolean', value: true }], ['false', { type: 'boolean', value: false }],
      ['null', { type: 'null' }]] as const) {
      if (text.startsWith(word, start)) {
        this.pos += word.length;
        return { ...node, start, end: this.pos } as JsonNode;
      }
    }
    const end = this.tokenEnd(start);
    if (c === undefined) this.atEnd('Expected a JSON value, but the text ends here.', start, end);
    else if (c === "'") this.error('JSON strings use double quotes, not single quotes.', start, end);
    else this.error(`Unexpected '${text.slice(start, Math.min(end, start + 30))}': expected a JSON value (string, number, object, array, true, false or null).`, start, end);
    this.pos = end;
    return undefined;
  }

  /** The first error met at the end of the text, which says the text may be cut off; the brackets around it stay quiet. */
  private atEnd(message: string, start: number, end: number): void {
    if (!this.gaveUp && !this.endReported) {
      const levels = this.depth === 1 ? 'an open object or array' : `${this.depth} open objects and arrays`;
      const open = this.depth > 0 ? ` The text ends inside ${levels}: the file may be cut off.` : '';
      this.error(message + open, start, end);
    }
    this.endReported = true;
  }

  private object(): JsonNode {
    const text = this.text;
    const start = this.pos++;
    const properties: JsonProperty[] = [];
    const keys = new Set<string>();
    for (;;) {
      this.skip();
      const c = text[this.pos];
      if (c === '}') {
        this.pos++;
        break;
      }
      if (c === undefined) {
        this.atEnd("This object is never closed: expected '}'.", start, start + 1);
        break;
      }
      if (c !== '"') {
        const end = this.tokenEnd(this.pos);
        this.error(`Expected a property name in double quotes, found '${text.slice(this.pos, Math.min(end, this.pos + 30))}'.`, this.pos, end);
        this.pos = Math.max(end, this.pos + 1);
        continue;
      }
      const keyStart = this.pos;
      const key = this.string();
      const keyEnd = this.pos;
      // JSON.parse, and so MindSphere and every other reader, takes the last of duplicate keys, silently: said here, at
      // the one that wins.
      if (keys.has(key)) {
        this.error(`Duplicate property "${key}": only this one counts (JSON readers take the last); remove one of them.`, keyStart, keyEnd);
      }
      keys.add(key);
      this.skip();
      let value: JsonNode | undefined;
      if (text[this.pos] === ':') {
        this.pos++;
        value = this.value();
      } else {
        this.error(`Expected ':' after the property name "${key}".`, keyStart, keyEnd);
      }
      properties.push({ key, keyStart, keyEnd, value, start: keyStart, end: value?.end ?? keyEnd });
      this.skip();
      if (text[this.pos] === ',') {
        this.pos++;
        this.skip();
        if (text[this.pos] === '}') this.error('Trailing comma: JSON does not allow a comma before }.', this.pos - 1, this.pos);
      } else if (text[this.pos] !== '}' && this.pos < text.length) {
        this.error("Expected ',' or '}' after a property.", this.pos, this.pos + 1);
      }
    }
    return { type: 'object', properties, start, end: this.pos };
  }

  private array(): JsonNode {
    const text = this.text;
    const start = this.pos++;
    const items: JsonNode[] = [];
    for (;;) {
      this.skip();
      const c = text[this.pos];
      if (c === ']') {
        this.pos++;
        break;
      }
      if (c === undefined) {
        this.atEnd("This array is never closed: expected ']'.", start, start + 1);
        break;
      }
      const before = this.pos;
      const item = this.value();
      if (item) items.push(item);
      if (this.pos === before) this.pos++;
      this.skip();
      if (text[this.pos] === ',') {
        this.pos++;
        this.skip();
        if (text[this.pos] === ']') this.error('Trailing comma: JSON does not allow a comma before ].', this.pos - 1, this.pos);
      } else if (text[this.pos] !== ']' && this.pos < text.length) {
        this.error("Expected ',' or ']' after an array item.", this.pos, this.pos + 1);
      }
    }
    return { type: 'array', items, start, end: this.pos };
  }

  /** Reads a string starting at the opening quote; leaves `pos` after the closing quote. */
  private string(): string {
    const text = this.text;
    const start = this.pos;
    let i = start + 1;
    let out = '';
    let chunk = i;
    for (;;) {
      const c = text[i];
      if (c === undefined || c === '\n') {
        if (c === undefined) this.atEnd('This string is never closed: expected a closing ".', start, i);
        else this.error('This string is never closed: expected a closing ".', start, i);
        this.pos = i;
        return out + text.slice(chunk, i);
      }
      if (c === '"') {
        this.pos = i + 1;
        return out + text.slice(chunk, i);
      }
      if (c < ' ') {
        // JSON.parse refuses raw U+0000-U+001F in strings (a tab pasted into a name, a stray NUL): the value is kept.
        const code = c.charCodeAt(0);
        const escape = Object.keys(ESCAPES).find((k) => ESCAPES[k] === c);
        this.error(`Raw control character U+${code.toString(16).toUpperCase().padStart(4, '0')} in a JSON string: write it as ` +
          `${escape ? `\\${escape}` : `\\u${code.toString(16).padStart(4, '0')}`} or remove it.`, i, i + 1);
      }
      if (c === '\\') {
        out += text.slice(chunk, i);
        const e = text[i + 1] ?? '';
        if (e === 'u' && /^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) {
          out += String.fromCharCode(parseInt(text.slice(i + 2, i + 6), 16));
          i += 6;
        } else if (ESCAPES[e] !== undefined) {
          out += ESCAPES[e];
          i += 2;
        } else {
          // A backslash may be the text's last character: the range stays inside the text.
          const end = Math.min(i + 2, text.length);
          this.error(`Invalid escape '\\${e}' in a JSON string.`, i, end);
          i = end;
        }
        chunk = i;
        continue;
      }
      i++;
    }
  }

  private placeholder(): JsonNode {
    const start = this.pos;
    const close = this.text.indexOf('}}', start + 2);
    this.pos = close < 0 ? this.text.length : close + 2;
    return { type: 'placeholder', raw: this.text.slice(start, this.pos), start, end: this.pos };
  }

  private skip(): void {
    const text = this.text;
    while (this.pos < text.length) {
      const c = text.charCodeAt(this.pos);
      if (c === 32 || c === 9 || c === 10 || c === 13 || c === 0xfeff) this.pos++;
      else break;
    }
  }

  private tokenEnd(from: number): number {
    let i = from;
    while (i < this.text.length && !/[\s,:{}[\]"]/.test(this.text[i] ?? '')) i++;
    return Math.max(i, Math.min(from + 1, this.text.length));
  }

  private error(message: string, start: number, end: number): void {
    if (this.errors.length > MAX_ERRORS) return;
    if (this.errors.length === MAX_ERRORS) message = `More JSON errors follow from here; only the first ${MAX_ERRORS} are reported.`;
    this.errors.push({ message, start, end: Math.max(start, end) });
  }
}

/** Parses JSON text. Never throws; `errors` is empty for valid JSON. */
export function parseJson(text: string): JsonParseResult {
  try {
    return new JsonParser(text).parse();
  } catch (error) {
    return { root: undefined, errors: [{ message: `The JSON could not be parsed: ${String(error)}`, start: 0, end: text.length }] };
  }
}

/** The property `key` of an object node, if present: the last of duplicates, as JSON.parse and jsonValue take it. */
export function jsonProperty(node: JsonNode | undefined, key: string): JsonProperty | undefined {
  return node?.type === 'object' ? node.properties.findLast((p) => p.key === key) : undefined;
}

/** The plain value of a node (placeholders become their raw text). */
export function jsonValue(node: JsonNode | undefined): unknown {
  if (!node) return undefined;
  switch (node.type) {
    case 'object': return Object.fromEntries(node.properties.map((p) => [p.key, jsonValue(p.value)]));
    case 'array': return node.items.map(jsonValue);
    case 'null': return null;
    case 'placeholder': return node.raw;
    default: return node.value;
  }
}
