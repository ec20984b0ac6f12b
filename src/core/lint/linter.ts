// The linter: splits a document into blocks (one per `###` request of an .http file; the whole file otherwise), runs the
// rules on each block, and keeps each block's findings with its text, so after an edit only the changed block is checked
// again. Offsets of cached findings are relative to their block; lines and columns are computed when presenting.
import { isContractFile } from '../contract';
import { type ParsedContract, parseContract } from '../contract/parse';
import type { DataHubEntityKind } from '../limits';
import { addTo } from '../multimap';
import { type ContractFile, type RawFinding, type RawFix, type RawRelated, type Report, RequestContext, type Rule } from './rule';
import { type CodeLanguage, codeRequests, httpBlockRequest, type ParsedRequest, type RequestKind, type RestService, splitHttpBlocks } from './requests';
import { RULES } from './rules';
import { SECRET_FILE_GLOBS, secretFileFormat } from './rules/secret-in-file';
import { LineIndex } from './text';
import type { TenantSchema } from './tenant-schema';
import type { Finding, FindingRange, Fix, LintDocumentInput, LintOptions, RuleId } from './types';

export type FileKind = 'http' | 'code' | 'contract' | 'config';

const CODE_LANGUAGES: Readonly<Record<string, CodeLanguage>> = {
  ts: 'js', tsx: 'js', mts: 'js', cts: 'js', js: 'js', jsx: 'js', mjs: 'js', cjs: 'js', java: 'java', cs: 'cs', py: 'py',
};

/**
 * The files fileKind reads, as one glob, for a search that lists candidates before they are read (VS Code's findFiles):
 * the editor's workspace check and the command line check the same files.
 */
export const LINTABLE_GLOB = `**/{${[...new Set(['*.http', '*.rest', '*.contract.json',
  ...Object.keys(CODE_LANGUAGES).map((extension) => `*.${extension}`), ...SECRET_FILE_GLOBS])].join(',')}}`;

/** Folders never looked into, whatever else is configured: no one's own queries, and large. */
export const SKIPPED_FOLDERS: readonly string[] = ['.git', 'node_modules'];

/** What the linter reads in a file, by its name; undefined for files it does not read. */
export function fileKind(fileName: string): { kind: FileKind; language?: CodeLanguage } | undefined {
  const lower = fileName.toLowerCase();
  if (lower.endsWith('.http') || lower.endsWith('.rest')) return { kind: 'http' };
  if (isContractFile(lower)) return { kind: 'contract' };
  const language = CODE_LANGUAGES[lower.slice(lower.lastIndexOf('.') + 1)];
  if (language && lower.includes('.')) return { kind: 'code', language };
  if (secretFileFormat(lower)) return { kind: 'config' };
  return undefined;
}

/** A MindSphere request found in a document, for a "Run with MindSphere" CodeLens and the like. */
export interface MindSphereRequest {
  readonly kind: RequestKind;
  readonly method?: string;
  /** The URL exactly as written in the document. */
  readonly url: string;
  readonly range: FindingRange;
  readonly urlRange: FindingRange;
  readonly service?: RestService;
  readonly version?: string;
  readonly entitySet?: { readonly name: string; readonly kind: DataHubEntityKind; readonly range: FindingRange };
  readonly params: ReadonlyArray<{ readonly name: string; readonly value: string; readonly nameRange: FindingRange; readonly valueRange: FindingRange }>;
}

interface BlockResult {
  readonly findings: readonly RawFinding[];
  /** The parsed contract, for the rules that look across contracts. */
  readonly contract?: ParsedContract;
}

interface Block {
  readonly start: number;
  readonly text: string;
}

interface CachedBlock extends Block {
  readonly result: BlockResult;
}

/** Marks a finding that reports a crash inside a rule (a bug): the linter never lets one escape. */
export const RULE_CRASH = 'crashed on this input';

export class Linter {
  /** File name → its blocks of the latest run, in order, with their results (see analyse for how they are reused). */
  private cache = new Map<string, Array<CachedBlock>>();
  private cachedSchema: TenantSchema | undefined;

  constructor(private readonly rules: readonly Rule[] = RULES) {}

  /** Checks one document. Never throws. */
  lintDocument(input: LintDocumentInput, options: LintOptions = {}): Finding[] {
    const kind = fileKind(input.fileName);
    if (!kind) return [];
    const groups: FindingGroup[] = [];
    for (const { block, result } of this.analyse(input, options.schema, kind)) {
      if (result.findings.length) groups.push({ offset: block.start, findings: result.findings });
    }
    return present(input.fileName, new LineIndex(input.text), groups, options);
  }

  /** Checks documents together: each one alone, then the rules that look across contracts. Never throws. */
  lintWorkspace(files: readonly LintDocumentInput[], options: LintOptions = {}): Finding[] {
    const out: Finding[] = [];
    const contracts: ContractFile[] = [];
    const indexes = new Map<string, LineIndex>();
    for (const file of files) {
      // Not push(...findings): a generated file can have more findings than a call takes arguments.
      for (const f of this.lintDocument(file, options)) out.push(f);
      const kind = fileKind(file.fileName);
      if (kind?.kind === 'contract') {
        const parsed = this.analyse(file, options.schema, kind)[0]?.result.contract;
        if (parsed) contracts.push({ fileName: file.fileName, parsed });
        indexes.set(file.fileName, new LineIndex(file.text));
      }
    }
    const byFile = new Map<string, RawFinding[]>();
    for (const rule of this.rules) {
      if (!rule.workspace) continue;
      guard(rule.meta.id, () => rule.workspace?.(contracts, options.schema, (fileName, report) => addTo(byFile, fileName, finding(rule, report))),
        (report) => addTo(byFile, contracts[0]?.fileName ?? '', report));
    }
    for (const [fileName, raw] of byFile) {
      const index = indexes.get(fileName);
      if (index) for (const f of present(fileName, index, [{ offset: 0, findings: raw }], options, indexes)) out.push(f);
    }
    return out;
  }

  /** Drops the cached blocks of a document (call when the editor closes it). */
  forget(fileName: string): void {
    this.cache.delete(fileName);
  }

  /** The MindSphere requests of a document, with ranges. (Parsed afresh: cheap, and not worth keeping in the cache.) */
  findRequests(input: LintDocumentInput): MindSphereRequest[] {
    const kind = fileKind(input.fileName);
    const index = new LineIndex(input.text);
    const out: MindSphereRequest[] = [];
    if (kind?.kind === 'http') {
      for (const b of splitHttpBlocks(input.text)) {
        const block = { start: b.start, text: input.text.slice(b.start, b.end) };
        const request = httpBlockRequest(block.text);
        if (request) out.push(describeRequest(request, block, input.text, index));
      }
    } else if (kind?.kind === 'code') {
      for (const r of codeRequests(input.text, kind.language ?? 'js')) out.push(describeRequest(r, { start: 0, text: input.text }, input.text, index));
    }
    return out;
  }

  private analyse(input: LintDocumentInput, schema: TenantSchema | undefined, kind: { kind: FileKind; language?: CodeLanguage }):
    Array<{ block: Block; result: BlockResult }> {
    if (schema !== this.cachedSchema) {
      this.cache.clear();
      this.cachedSchema = schema;
    }
    const { text } = input;
    const previous = this.cache.get(input.fileName) ?? [];
    const ranges = kind.kind === 'http' ? splitHttpBlocks(text) : [{ start: 0, end: text.length }];
    // An edit inside one block leaves the blocks before it at their index and the blocks after it at their index from
    // the end (also when it adds or removes a block), so each block is compared in place with those two of the previous
    // run: no hashing of every block of a long file on every keystroke. A block found in neither (edited, or moved
    // elsewhere) is checked again, which costs a few microseconds.
    const shift = previous.length - ranges.length;
    const out: Array<{ block: Block; result: BlockResult }> = [];
    const next: CachedBlock[] = [];
    for (let i = 0; i < ranges.length; i++) {
      const { start, end } = ranges[i] as { start: number; end: number };
      // A fresh slice also for an unchanged block: a slice of an older version would keep that whole text in memory.
      const block: Block = { start, text: text.slice(start, end) };
      const before = previous[i]?.text === block.text ? previous[i] : previous[i + shift];
      const result = before?.text === block.text ? before.result : this.check(input.fileName, block.text, kind, schema);
      next.push({ start, text: block.text, result });
      out.push({ block, result });
    }
    this.cache.set(input.fileName, next);
    return out;
  }

  /** Runs every rule on one block. */
  private check(fileName: string, text: string, kind: { kind: FileKind; language?: CodeLanguage },
    schema: TenantSchema | undefined): BlockResult {
    const findings: RawFinding[] = [];
    // One reporter for the block; `current` is the rule running (no closure per rule and request: this is the hot loop).
    let current: Rule = this.rules[0] as Rule;
    const report = (r: Report) => findings.push(finding(current, r));
    const onCrash = (f: RawFinding) => findings.push(f);
    const run = (rule: Rule, call: () => void) => {
      current = rule;
      guard(rule.meta.id, call, onCrash);
    };
    let contract: ParsedContract | undefined;
    if (kind.kind === 'http' || kind.kind === 'code') {
      // Parsing is guarded like a rule (a crash is reported under mdsp/query-syntax, the rule about how requests are
      // written): a parser bug costs this block its request findings, not the other blocks and files.
      let found: ParsedRequest[] = [];
      guard('mdsp/query-syntax', () => { found = requestsOf(text, kind); }, onCrash, 'The request parser');
      for (const request of found) {
        const context = new RequestContext(request, schema, text, kind.kind === 'http' ? 'http' : 'code');
        for (const rule of this.rules) {
          if (!rule.request) continue;
          current = rule;
          // Inline rather than through guard: this runs for every rule and request, and a closure each adds up.
          try {
            rule.request(context, report);
          } catch (error) {
            onCrash(crashFinding(rule.meta.id, error));
          }
        }
      }
    }
    if (kind.kind === 'contract') {
      contract = parseContract(text);
      const context = { fileName, text, parsed: contract, schema };
      for (const rule of this.rules) if (rule.contract) run(rule, () => rule.contract?.(context, report));
    }
    if (kind.kind !== 'code') {
      for (const rule of this.rules) if (rule.text) run(rule, () => rule.text?.(fileName, text, report));
    }
    return contract ? { findings, contract } : { findings };
  }
}

/** The requests of an .http block or a source file. */
function requestsOf(text: string, kind: { kind: FileKind; language?: CodeLanguage }): ParsedRequest[] {
  if (kind.kind === 'code') return codeRequests(text, kind.language ?? 'js');
  const request = httpBlockRequest(text);
  return request ? [request] : [];
}

function finding(rule: Rule, report: Report): RawFinding {
  return { ...report, ruleId: rule.meta.id, severity: report.severity ?? rule.meta.severity };
}

/** Runs a rule; a rule that throws becomes one finding saying so, instead of an exception for the caller. */
function guard(ruleId: RuleId, call: () => void, onCrash: (f: RawFinding) => void, who?: string): void {
  try {
    call();
  } catch (error) {
    onCrash(crashFinding(ruleId, error, who));
  }
}

/** The finding for a crash (its message is made only then: `who` names the rule unless given). */
function crashFinding(ruleId: RuleId, error: unknown, who = `The rule ${ruleId}`): RawFinding {
  return { ruleId, severity: 'information', start: 0, end: 0,
    message: `${who} ${RULE_CRASH} (a bug in the linter, please report it): ${String(error)}` };
}

/**
 * Messages quote what the user wrote, and a value can be a megabyte long (a pasted blob, a generated file): such words
 * keep their start and end around an ellipsis, so a hover or a CI log stays readable. No word of the rules' own text
 * comes near the limit (the longest is a 68-character name in the examples).
 */
function shortenLongWords(text: string): string {
  return hasLongWord(text) ? text.replace(LONG_WORD, (word) => `${word.slice(0, 80)}…${word.slice(-30)}`) : text;
}

const MAX_WORD = 120;
const LONG_WORD = new RegExp(`\\S{${MAX_WORD + 1},}`, 'g');
const SPACE = /\s/;

/**
 * Whether `text` has a word of more than MAX_WORD characters. A plain scan: the regular expression alone is tried again
 * at every character of every shorter word, and most messages quote a URL of 60 to 120 characters, which made it the
 * slowest step of a re-lint after an edit.
 */
function hasLongWord(text: string): boolean {
  if (text.length <= MAX_WORD) return false;
  for (let i = 0, run = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    // ASCII white space is tab to carriage return and the space; beyond ASCII, \s itself is asked.
    const space = c < 127 ? c === 32 || (c >= 9 && c <= 13) : SPACE.test(text[i]!);
    run = space ? 0 : run + 1;
    if (run > MAX_WORD) return true;
  }
  return false;
}

/** Findings of one block, with offsets relative to the block, which starts at `offset` in the document. */
interface FindingGroup {
  readonly offset: number;
  readonly findings: readonly RawFinding[];
}

function present(fileName: string, index: LineIndex, groups: readonly FindingGroup[], options: LintOptions,
  others?: ReadonlyMap<string, LineIndex>): Finding[] {
  const out: Finding[] = [];
  const settings = options.rules;
  for (const { offset, findings } of groups) {
    for (const f of findings) {
      const setting = settings?.[f.ruleId];
      if (setting === 'off') continue;
      const related = f.related?.flatMap((r: RawRelated) => {
        const other = others?.get(r.fileName);
        return other ? [{ fileName: r.fileName, message: shortenLongWords(r.message), range: other.range(r.start, r.end) }] : [];
      });
      const finding: Finding = {
        ruleId: f.ruleId,
        severity: setting ?? f.severity,
        message: shortenLongWords(f.message),
        fileName,
        range: index.range(f.start + offset, f.end + offset),
        fixes: f.fixes ? f.fixes.map((fix: RawFix): Fix => ({
          title: shortenLongWords(fix.title), isPreferred: fix.isPreferred,
          edits: fix.edits.map((e) => ({ range: index.range(e.start + offset, e.end + offset), newText: e.newText })),
        })) : [],
      };
      out.push(related?.length ? { ...finding, related } : finding);
    }
  }
  return out.sort((a, b) => a.range.start - b.range.start || a.ruleId.localeCompare(b.ruleId));
}

function describeRequest(r: ParsedRequest, block: Block, text: string, index: LineIndex): MindSphereRequest {
  const at = (start: number, end: number) => index.range(block.start + start, block.start + end);
  const urlStart = block.start + r.url.sourceStart;
  return {
    kind: r.kind,
    ...(r.method ? { method: r.method } : {}),
    url: text.slice(urlStart, block.start + r.queryEnd),
    range: at(r.start, r.end),
    urlRange: at(r.url.sourceStart, r.queryEnd),
    ...(r.service ? { service: r.service, version: r.version } : {}),
    ...(r.entitySet ? { entitySet: { name: r.entitySet.name, kind: r.entitySet.kind, range: at(r.entitySet.start, r.entitySet.end) } } : {}),
    params: r.params.map((p) => ({ name: p.name, value: p.value.text, nameRange: at(p.nameStart, p.nameEnd),
      valueRange: at(p.value.sourceStart, p.value.sourceEnd) })),
  };
}

const shared = new Linter();

/** Checks one document with a shared linter (its block cache makes re-linting after an edit cheap). */
export function lintDocument(input: LintDocumentInput & LintOptions): Finding[] {
  return shared.lintDocument(input, input);
}

/** Checks documents together (contracts across files). */
export function lintWorkspace(files: readonly LintDocumentInput[], options: LintOptions = {}): Finding[] {
  return shared.lintWorkspace(files, options);
}

/** The MindSphere requests of a document (method, URL, query parameters, kind), with ranges. */
export function findRequests(input: LintDocumentInput): MindSphereRequest[] {
  return shared.findRequests(input);
}

