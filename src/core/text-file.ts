// The text of a file as editors read it: UTF-8, with or without a byte order mark, or UTF-16 with its mark (what
// Windows PowerShell 5's `>` and Notepad's "Unicode" write). Without a UTF-16 mark, a file with NUL bytes is binary:
// UTF-8 text has none, and guessing UTF-16 without the mark would take binary files for text.
// Written back in the encoding it was read in, so a fix changes only the characters it means to.

/** Why a file decodeText refused is not text, as a user reads it. */
export const BINARY = 'it is binary (it has NUL bytes and no UTF-16 byte order mark)';

export type TextEncoding = 'utf8' | 'utf8-bom' | 'utf16le' | 'utf16be';

export interface DecodedText {
  /** Without the byte order mark, so offsets, lines and columns are those an editor shows. */
  readonly text: string;
  readonly encoding: TextEncoding;
}

function encodingOf(bytes: Uint8Array): TextEncoding {
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return 'utf16le';
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return 'utf16be';
  return bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 'utf8-bom' : 'utf8';
}

/** Swaps the bytes of each UTF-16 code unit (big endian ⇄ little endian). */
function swapped(bytes: Uint8Array): Uint8Array {
  const out = new Uint8Array(bytes.length);
  for (let i = 0; i + 1 < bytes.length; i += 2) {
    out[i] = bytes[i + 1] as number;
    out[i + 1] = bytes[i] as number;
  }
  return out;
}

/** The file's text and encoding, or undefined when it is binary (a NUL character in the decoded text). */
export function decodeText(bytes: Uint8Array): DecodedText | undefined {
  const encoding = encodingOf(bytes);
  // TextDecoder drops the byte order mark. Big endian is swapped to little endian rather than decoded as 'utf-16be',
  // which Node built without ICU lacks.
  const text = encoding === 'utf16le' || encoding === 'utf16be'
    ? new TextDecoder('utf-16le').decode(encoding === 'utf16be' ? swapped(bytes) : bytes)
    : new TextDecoder('utf-8').decode(bytes);
  return text.includes('\u0000') ? undefined : { text, encoding };
}

/** `text` as the bytes of a file in `encoding`, with the byte order mark it was read with. */
export function encodeText(text: string, encoding: TextEncoding): Uint8Array {
  if (encoding === 'utf8') return new TextEncoder().encode(text);
  if (encoding === 'utf8-bom') return new TextEncoder().encode(`\uFEFF${text}`);
  const marked = `\uFEFF${text}`;
  const out = new Uint8Array(marked.length * 2);
  const [low, high] = encoding === 'utf16le' ? [0, 1] : [1, 0];
  for (let i = 0; i < marked.length; i++) {
    const unit = marked.charCodeAt(i);
    out[2 * i + low] = unit & 0xff;
    out[2 * i + high] = unit >> 8;
  }
  return out;
}
