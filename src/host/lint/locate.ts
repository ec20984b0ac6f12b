// Where a MindSphere request sits in a document, and which part of it an offset points at. Pure (no vscode), so the
// CodeLens, hover, completion and run-query features share it and unit tests cover it without an editor.
import {
  type CodeLanguage, codeRequests, httpBlockRequest, type ParsedRequest, type RequestParam, splitHttpBlocks,
} from '../../core/lint/requests';
import type { Mapped } from '../../core/lint/text';
import { fileKind } from '../../core/lint/linter';

export type SourceLanguage = 'http' | CodeLanguage;

/** The kind of source a file holds, by its name (code-server gives .http files no language id of their own). */
export function sourceLanguage(fileName: string): SourceLanguage | undefined {
  const kind = fileKind(fileName);
  return kind?.kind === 'http' ? 'http' : kind?.kind === 'code' ? kind.language : undefined;
}

/**
 * A request found in a document. The request's offsets are relative to `base` (the start of its .http block), as the
 * request finder returns them so it can cache by block: add `base` to get document offsets.
 */
export interface FoundRequest {
  readonly request: ParsedRequest;
  readonly base: number;
}

/**
 * The requests of the latest text of a few .http files, by block text. VS Code asks for the CodeLens after every pause
 * in typing, and parsing every request of a 5,000-line file takes tens of milliseconds where one edit changes one block.
 */
const parsedBlocks = new Map<string, Map<string, ParsedRequest | undefined>>();
const PARSED_FILES = 8;

/** Every MindSphere request of a document, in order. */
export function findRequests(text: string, fileName: string): FoundRequest[] {
  const language = sourceLanguage(fileName);
  if (!language) return [];
  if (language !== 'http') return codeRequests(text, language).map((request) => ({ request, base: 0 }));
  const previous = parsedBlocks.get(fileName);
  const parsed = new Map<string, ParsedRequest | undefined>();
  const out: FoundRequest[] = [];
  for (const block of splitHttpBlocks(text)) {
    const blockText = text.slice(block.start, block.end);
    const request = parsed.has(blockText) ? parsed.get(blockText)
      : previous?.has(blockText) ? previous.get(blockText) : httpBlockRequest(blockText);
    parsed.set(blockText, request);
    if (request) out.push({ request, base: block.start });
  }
  // This file becomes the newest of the few kept.
  parsedBlocks.delete(fileName);
  parsedBlocks.set(fileName, parsed);
  if (parsedBlocks.size > PARSED_FILES) parsedBlocks.delete(parsedBlocks.keys().next().value as string);
  return out;
}

/** The request whose text (request line, continuation lines, headers) contains `offset`, if any. */
export function requestAt(text: string, fileName: string, offset: number): FoundRequest | undefined {
  const language = sourceLanguage(fileName);
  if (!language) return undefined;
  if (language === 'http') {
    // Only the block around the offset is parsed: hover and completion stay fast in a 5,000-line file.
    const block = splitHttpBlocks(text).find((b) => offset >= b.start && offset <= b.end);
    const request = block && httpBlockRequest(text.slice(block.start, block.end));
    return request && block ? { request, base: block.start } : undefined;
  }
  const request = codeRequests(text, language).find((r) => offset >= r.start && offset <= r.end);
  return request ? { request, base: 0 } : undefined;
}

/** The request whose request line (method and URL) is on the line of `offset`, or contains it. */
export function requestOnLine(text: string, fileName: string, offset: number): FoundRequest | undefined {
  const lineStart = text.lastIndexOf('\n', offset - 1) + 1;
  let lineEnd = text.indexOf('\n', offset);
  if (lineEnd < 0) lineEnd = text.length;
  const found = requestAt(text, fileName, offset);
  if (found) return found;
  return findRequests(text, fileName).find(({ request, base }) => request.start + base <= lineEnd && request.end + base >= lineStart);
}

/** Where in a request an offset is: on a parameter's name, on its value, on the entity set, or elsewhere. */
export type RequestPart =
  | { readonly kind: 'paramName'; readonly param: RequestParam }
  | { readonly kind: 'paramValue'; readonly param: RequestParam; /** Offset in the decoded value. */ readonly at: number }
  | { readonly kind: 'entitySet' }
  | { readonly kind: 'resource'; readonly index: number }
  | { readonly kind: 'other' };

/** Which part of `request` the block-relative offset `offset` points at. */
export function partAt(request: ParsedRequest, offset: number): RequestPart {
  for (const param of request.params) {
    if (offset >= param.nameStart && offset <= param.nameEnd) return { kind: 'paramName', param };
    const value = param.value;
    if (offset >= value.sourceStart && offset <= value.sourceEnd && value.sourceEnd > param.nameEnd) {
      return { kind: 'paramValue', param, at: decodedOffset(value, offset) };
    }
  }
  const set = request.entitySet;
  if (set && offset >= set.start && offset <= set.end) return { kind: 'entitySet' };
  const index = request.resourceRanges.findIndex((r) => offset >= r.start && offset <= r.end);
  if (index >= 0) return { kind: 'resource', index };
  return { kind: 'other' };
}

/** The decoded offset whose source offset is the last one at or before `sourceOffset` (the inverse of Mapped.source). */
export function decodedOffset(value: Mapped, sourceOffset: number): number {
  let lo = 0;
  let hi = value.text.length;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (value.source(mid) <= sourceOffset) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}
