// Text positions: 1-based line/column lookup, and `Mapped` text, which is text that was decoded from the source (a
// percent-encoded query value, an escaped string literal) together with the way back to source offsets. Every check
// works on decoded text and still reports, and fixes, the exact characters in the file.
import type { FindingRange } from './types';

export class LineIndex {
  private readonly starts: number[] = [0];

  constructor(text: string) {
    for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) this.starts.push(i + 1);
  }

  /** 1-based line and column (in UTF-16 code units, as editors and SARIF count them) of an offset. */
  position(offset: number): { line: number; column: number } {
    const starts = this.starts;
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((starts[mid] ?? 0) <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, column: offset - (starts[lo] ?? 0) + 1 };
  }

  range(start: number, end: number): FindingRange {
    const a = this.position(start);
    const b = end === start ? a : this.position(end);
    return { start, end, line: a.line, column: a.column, endLine: b.line, endColumn: b.column };
  }
}

/** How a decoded layer writes replacement text back (percent-encoding, string escaping). */
type Encoder = (text: string) => string;

/** Decoded text plus, for each decoded offset 0..length, the source offset it came from. */
export class Mapped {
  private constructor(
    readonly text: string,
    /** A number: the text is a verbatim copy starting at that source offset. An array: one entry per offset 0..length. */
    private readonly map: number | Int32Array,
    readonly encode: Encoder,
  ) {}

  /** Source text taken as is, starting at `base`. */
  static verbatim(text: string, base: number): Mapped {
    return new Mapped(text, base, (t) => t);
  }

  /** The source offset of decoded offset `i` (an end offset maps to the end of the source characters before it). */
  source(i: number): number {
    if (typeof this.map === 'number') return this.map + i;
    return this.map[Math.max(0, Math.min(i, this.text.length))] ?? 0;
  }

  get sourceStart(): number {
    return this.source(0);
  }

  get sourceEnd(): number {
    return this.source(this.text.length);
  }

  /** True when decoded and source text are the same characters. */
  get isVerbatim(): boolean {
    return typeof this.map === 'number';
  }

  slice(start: number, end = this.text.length): Mapped {
    const s = Math.max(0, Math.min(start, this.text.length));
    const e = Math.max(s, Math.min(end, this.text.length));
    if (typeof this.map === 'number') return new Mapped(this.text.slice(s, e), this.map + s, this.encode);
    return new Mapped(this.text.slice(s, e), this.map.subarray(s, e + 1), this.encode);
  }

  trim(): Mapped {
    const lead = this.text.length - this.text.trimStart().length;
    return this.slice(lead, lead + this.text.trim().length);
  }

  /** Percent-decodes a URL query component (`+` is a space, as servers and URLSearchParams read it). */
  decodeQueryComponent(): Mapped {
    const text = this.text;
    if (!/[%+]/.test(text)) return this;
    let out = '';
    const map: number[] = [];
    let i = 0;
    while (i < text.length) {
      const c = text[i] as string;
      if (c === '%' && /^[0-9a-fA-F]{2}$/.test(text.slice(i + 1, i + 3))) {
        // Gather a run of %XX bytes and decode it as UTF-8; fall back to the bytes one by one when it is not UTF-8.
        let j = i;
        const bytes: number[] = [];
        while (text[j] === '%' && /^[0-9a-fA-F]{2}$/.test(text.slice(j + 1, j + 3))) {
          bytes.push(parseInt(text.slice(j + 1, j + 3), 16));
          j += 3;
        }
        let decoded: string;
        try {
          decoded = decodeURIComponent(bytes.map((b) => `%${b.toString(16).padStart(2, '0')}`).join(''));
        } catch {
          // Not with fromCharCode(...bytes): spreading a long run (a pasted blob) overflows the stack.
          decoded = bytes.map((b) => String.fromCharCode(b)).join('');
        }
        // Spread the decoded characters over the source run so that ranges stay inside it.
        for (let k = 0; k < decoded.length; k++) map.push(this.source(i + Math.floor((k * (j - i)) / decoded.length)));
        out += decoded;
        i = j;
        continue;
      }
      map.push(this.source(i));
      out += c === '+' ? ' ' : c;
      i++;
    }
    map.push(this.source(text.length));
    const outer = this.encode;
    return new Mapped(out, Int32Array.from(map), (t) => outer(encodeQueryValue(t)));
  }

  /**
   * Decodes the body of a string literal of a programming language (`\"`, `\\`, `\n`, `\u0041`), or, for verbatim
   * strings (C# `@"…"`, Python raw strings), only the doubled quote.
   */
  decodeStringLiteral(quote: string, verbatim: boolean): Mapped {
    const text = this.text;
    if (verbatim ? !text.includes(quote + quote) : !text.includes('\\')) {
      const outer = this.encode;
      return new Mapped(text, typeof this.map === 'number' ? this.map : this.map,
        (t) => outer(verbatim ? t.split(quote).join(quote + quote) : escapeForLiteral(t, quote)));
    }
    let out = '';
    const map: number[] = [];
    let i = 0;
    while (i < text.length) {
      map.push(this.source(i));
      if (verbatim && text[i] === quote && text[i + 1] === quote) {
        out += quote;
        i += 2;
      } else if (!verbatim && text[i] === '\\' && i + 1 < text.length) {
        const e = text[i + 1] as string;
        const hex = e === 'u' ? /^[0-9a-fA-F]{4}/.exec(text.slice(i + 2)) : null;
        if (hex) {
          out += String.fromCharCode(parseInt(hex[0], 16));
          i += 6;
        } else {
          out += ESCAPES[e] ?? e;
          i += 2;
        }
      } else {
        out += text[i];
        i++;
      }
    }
    map.push(this.source(text.length));
    const outer = this.encode;
    return new Mapped(out, Int32Array.from(map),
      (t) => outer(verbatim ? t.split(quote).join(quote + quote) : escapeForLiteral(t, quote)));
  }

  /** Text that stands for a whole source range (a code expression read as a `{placeholder}`). */
  static synthetic(text: string, sourceStart: number, sourceEnd: number): Mapped {
    const map = new Int32Array(text.length + 1).fill(sourceStart);
    map[text.length] = sourceEnd;
    return new Mapped(text, map, (t) => t);
  }

  /** Joins pieces of source (a request line and its `?`/`&` continuation lines) into one text. */
  static concat(parts: readonly Mapped[]): Mapped {
    if (parts.length === 1 && parts[0]) return parts[0];
    let text = '';
    const map: number[] = [];
    for (const p of parts) {
      for (let i = 0; i < p.text.length; i++) map.push(p.source(i));
      text += p.text;
    }
    const last = parts[parts.length - 1];
    map.push(last ? last.sourceEnd : 0);
    return new Mapped(text, Int32Array.from(map), parts[0]?.encode ?? ((t) => t));
  }
}

const ESCAPES: Readonly<Record<string, string>> = { n: '\n', t: '\t', r: '\r', b: '\b', f: '\f', v: '\v', '0': '\0' };

function escapeForLiteral(text: string, quote: string): string {
  return text.replace(/\\/g, '\\\\').split(quote).join(`\\${quote}`);
}

/** Percent-encodes a query value, leaving the characters OData and ISO times read well unencoded when safe. */
export function encodeQueryValue(text: string): string {
  return encodeURIComponent(text).replace(/%27/g, "'").replace(/%24/g, '$').replace(/%2C/gi, ',');
}
