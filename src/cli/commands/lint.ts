// `mdsp-makers lint`: checks .http/.rest files, URL strings in code, contracts and credential-bearing files against
// MindSphere's documented limits. Reads the files, hands their text to the pure linter in src/core/lint, prints stylish,
// JSON or SARIF, and exits 0 (no errors), 1 (errors) or 2 (usage or internal error, or a named file it cannot read).
// `--fix` applies the safe fixes.
import { existsSync, readdirSync, readFileSync, type Stats, statSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import ignore, { type Ignore } from 'ignore';
import { collect } from '../../client';
import { addTo } from '../../core/multimap';
import { BINARY, decodeText, encodeText, type TextEncoding } from '../../core/text-file';
import { plural } from '../../core/words';
import {
  type Finding, fileKind, fixDocument, Linter, type LintDocumentInput, readTenantSchema, RULE_CRASH, ruleDocPath, RULES, SKIPPED_FOLDERS, type TenantSchema,
} from '../../core/lint';
import { CONNECTION_OPTIONS, CONNECTION_USAGE, formatOption, parseCommandArgs, withClient } from '../credentials';
import { type CliCommand, type CliIO, UsageError } from '../io';
import { replaceFile } from '../replace-file';

const FORMATS = ['stylish', 'json', 'sarif'] as const;
type Format = (typeof FORMATS)[number];

/** Larger files are skipped: no query or contract is that big, and reading one would only slow CI down. */
const MAX_FILE_BYTES = 10 * 1024 * 1024;
/** Never descended into, whatever .gitignore says (the editor's workspace check skips the same). */
const ALWAYS_SKIPPED = new Set(SKIPPED_FOLDERS);

declare const MDSP_VERSION: string | undefined;

const toPosix = (p: string) => p.split(sep).join('/');

// ---------------------------------------------------------------------------------------------------------------------
// Finding the files: paths, directories (walked, honouring .gitignore files on the way) and globs.

const isGlob = (p: string) => /[*?[\]{}]/.test(p);

/** `**` any depth, `*` within a segment, `?` one character, `{a,b}` alternatives. */
function globToRegExp(glob: string): RegExp {
  let out = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i] as string;
    if (c === '*' && glob[i + 1] === '*') {
      out += glob[i + 2] === '/' ? '(?:.*/)?' : '.*';
      i += glob[i + 2] === '/' ? 2 : 1;
    } else if (c === '*') out += '[^/]*';
    else if (c === '?') out += '[^/]';
    else if (c === '{') out += '(?:';
    else if (c === '}') out += ')';
    else if (c === ',' && out.lastIndexOf('(?:') > out.lastIndexOf(')')) out += '|';
    else out += c.replace(/[.+^$()|\\]/g, '\\$&');
  }
  return new RegExp(`^${out}$`);
}

interface IgnoreLayer {
  readonly dir: string;
  readonly rules: Ignore;
}

function readIgnore(dir: string): IgnoreLayer | undefined {
  const file = join(dir, '.gitignore');
  if (!existsSync(file)) return undefined;
  return { dir, rules: ignore().add(readFileSync(file, 'utf8')) };
}

function ignored(layers: readonly IgnoreLayer[], path: string, isDir: boolean): boolean {
  return layers.some((l) => {
    const rel = toPosix(relative(l.dir, path));
    return rel !== '' && !rel.startsWith('..') && l.rules.ignores(isDir ? `${rel}/` : rel);
  });
}

/** The .gitignore files of `dir` and of its ancestors up to `cwd` (or only `dir` when it lies outside cwd). */
function ancestorLayers(cwd: string, dir: string): IgnoreLayer[] {
  const dirs: string[] = [];
  for (let d = dir; ; d = dirname(d)) {
    dirs.unshift(d);
    if (d === cwd || dirname(d) === d || relative(cwd, d).startsWith('..')) break;
  }
  return dirs.map(readIgnore).filter((l): l is IgnoreLayer => l !== undefined);
}

/** Adds the regular files under `dir` that `accept` takes to `out` (links, FIFOs and devices are passed by). */
function walk(dir: string, layers: readonly IgnoreLayer[], out: string[], accept: (file: string) => boolean): void {
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return;
  }
  for (const e of entries.sort((a, b) => a.name.localeCompare(b.name))) {
    const path = join(dir, e.name);
    if (e.isDirectory()) {
      if (ALWAYS_SKIPPED.has(e.name) || ignored(layers, path, true)) continue;
      const own = readIgnore(path);
      walk(path, own ? [...layers, own] : layers, out, accept);
    } else if (e.isFile() && !ignored(layers, path, false) && accept(path)) {
      out.push(path);
    }
  }
}

/** A file to lint, and whether it was named on the command line (rather than met in a folder or by a glob). */
export interface LintPath {
  readonly path: string;
  readonly named: boolean;
}

/**
 * Resolves the command line's paths and globs to files the linter reads. Explicit files are taken as given. A path that
 * exists is taken literally before it is read as a glob: route folders such as `[slug]` or `(group)` have glob
 * characters in their names.
 */
export function collectFiles(cwd: string, patterns: readonly string[]): LintPath[] {
  /** Each file, and whether it was named (a file both named and met in a folder counts as named). */
  const paths = new Map<string, boolean>();
  const lintable = (file: string) => fileKind(file) !== undefined;
  for (const pattern of patterns.length ? patterns : ['.']) {
    const path = resolve(cwd, pattern);
    const info = statSync(path, { throwIfNoEntry: false });
    const files: string[] = [];
    if (!info && isGlob(pattern)) {
      const segments = toPosix(pattern).split('/');
      const fixed = segments.slice(0, segments.findIndex(isGlob));
      const base = resolve(cwd, fixed.join('/') || '.');
      const matcher = globToRegExp(toPosix(relative(cwd, path)));
      if (existsSync(base)) {
        walk(base, ancestorLayers(cwd, base), files, (f) => lintable(f) && matcher.test(toPosix(relative(cwd, f))));
      }
      if (files.length === 0) throw new UsageError(`no files to lint match '${pattern}'.`);
    } else if (!info) {
      throw new UsageError(`'${pattern}' does not exist.`);
    } else if (info.isDirectory()) {
      walk(path, ancestorLayers(cwd, path), files, lintable);
    } else {
      paths.set(path, true);
    }
    for (const f of files) paths.set(f, paths.get(f) ?? false);
  }
  return [...paths].map(([path, named]) => ({ path, named }));
}

// ---------------------------------------------------------------------------------------------------------------------
// The tenant schema: from a file (--schema), or from the tenant (--fetch-schema, with the data commands' credentials).

function schemaFromFile(cwd: string, file: string, io: CliIO): TenantSchema {
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(resolve(cwd, file), 'utf8'));
  } catch (error) {
    throw new UsageError(`cannot read the schema '${file}': ${error instanceof Error ? error.message : String(error)}. ` +
      'Give the JSON of the tenant\'s asset types and aspect types (for example: mdsp-makers types --format json > schema.json).');
  }
  const { schema, problems } = readTenantSchema(json);
  if (schema.assetTypes.size === 0 && schema.aspectTypes.size === 0) throw new UsageError(`the schema '${file}' is not usable: ${problems.join(' ')}`);
  for (const p of problems) io.stderr(`mdsp-makers lint: ${file}: ${p}\n`);
  return schema;
}

async function schemaFromTenant(flags: Parameters<typeof withClient>[0], io: CliIO): Promise<TenantSchema | undefined> {
  let schema: TenantSchema | undefined;
  const code = await withClient(flags, io, async ({ client }) => {
    const [assetTypes, aspectTypes] = await Promise.all([
      collect(client.assets.assetTypes({ signal: io.signal })),
      collect(client.assets.aspectTypes({ signal: io.signal })),
    ]);
    schema = readTenantSchema({ assetTypes, aspectTypes }).schema;
    return 0;
  });
  return code === 0 ? schema : undefined;
}

// ---------------------------------------------------------------------------------------------------------------------
// Output

const LEVEL = { error: 'error', warning: 'warning', information: 'note' } as const;

function stylish(findings: readonly Finding[], color: boolean): string {
  const paint = (code: string, text: string) => (color ? `\u001b[${code}m${text}\u001b[0m` : text);
  const byFile = new Map<string, Finding[]>();
  for (const f of findings) addTo(byFile, f.fileName, f);
  const lines: string[] = [];
  for (const [file, list] of byFile) {
    lines.push('', paint('4', file));
    for (const f of list) {
      const sev = f.severity === 'error' ? paint('31', 'error  ') : f.severity === 'warning' ? paint('33', 'warning') : paint('36', 'info   ');
      lines.push(`  ${`${f.range.line}:${f.range.column}`.padEnd(8)} ${sev}  ${f.message}  ${paint('2', f.ruleId)}`);
    }
  }
  if (findings.length === 0) return '';
  const count = (s: Finding['severity']) => findings.filter((f) => f.severity === s).length;
  const fixable = findings.filter((f) => f.fixes.some((x) => x.isPreferred)).length;
  lines.push('', paint(count('error') ? '31;1' : '33;1', `✖ ${plural(findings.length, 'problem')} (${plural(count('error'), 'error')}, ` +
    `${plural(count('warning'), 'warning')}, ${count('information')} information)`));
  if (fixable) lines.push(`  ${plural(fixable, 'problem')} fixable with the \`--fix\` option.`);
  return `${lines.join('\n')}\n`;
}

function json(findings: readonly Finding[]): string {
  return `${JSON.stringify(findings.map((f) => ({
    file: f.fileName, line: f.range.line, column: f.range.column, endLine: f.range.endLine, endColumn: f.range.endColumn,
    ruleId: f.ruleId, severity: f.severity, message: f.message, fixes: f.fixes,
  })), null, 2)}\n`;
}

let packageRoot: string | undefined;

/**
 * The rule's page in the installed package as an absolute file: URI (SARIF wants helpUri absolute). The package root is
 * the folder above this code that holds docs/rules: `dist/` when bundled, `src/cli/commands/` when run from source.
 */
function ruleHelpUri(ruleId: string): string {
  packageRoot ??= ((dir) => {
    while (!existsSync(join(dir, 'docs', 'rules')) && dirname(dir) !== dir) dir = dirname(dir);
    return dir;
  })(__dirname);
  return pathToFileURL(join(packageRoot, ruleDocPath(ruleId))).href;
}

function sarif(findings: readonly Finding[], cwd: string): string {
  const region = (r: Finding['range']) => ({ startLine: r.line, startColumn: r.column, endLine: r.endLine, endColumn: r.endColumn,
    charOffset: r.start, charLength: r.end - r.start });
  // A file under the working directory is relative to %SRCROOT%, each segment encoded whole (encodeURI leaves '#' and
  // '?' alone, and they would end the path); one elsewhere is named by its absolute path (see the display name above)
  // and gets an absolute file: URI, which takes no uriBaseId (SARIF 2.1.0, 3.4.3 and 3.4.4).
  const artifact = (file: string) => (isAbsolute(file) ? { uri: pathToFileURL(file).href }
    : { uri: file.split('/').map(encodeURIComponent).join('/'), uriBaseId: '%SRCROOT%' });
  const ruleIndex = new Map(RULES.map((r, i) => [r.meta.id, i]));
  const log = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [{
      tool: {
        driver: {
          name: 'mdsp-makers lint',
          version: typeof MDSP_VERSION === 'string' ? MDSP_VERSION : '0.0.0-dev',
          rules: RULES.map((r) => {
            const helpUri = ruleHelpUri(r.meta.id);
            return {
              id: r.meta.id,
              name: r.meta.id.replace(/^mdsp\//, '').replace(/-(\w)/g, (_, c: string) => c.toUpperCase()),
              shortDescription: { text: r.meta.description },
              fullDescription: { text: r.meta.description },
              helpUri,
              help: { text: `${r.meta.description} See ${helpUri}.`, markdown: `${r.meta.description} See [${ruleDocPath(r.meta.id)}](${helpUri}).` },
              defaultConfiguration: { level: LEVEL[r.meta.severity] },
              properties: { tags: ['mindsphere'] },
            };
          }),
        },
      },
      originalUriBaseIds: { '%SRCROOT%': { uri: `${new URL(`file://${toPosix(cwd).replace(/^([A-Za-z]):/, '/$1:')}/`).href}` } },
      columnKind: 'utf16CodeUnits',
      results: findings.map((f) => ({
        ruleId: f.ruleId,
        ruleIndex: ruleIndex.get(f.ruleId) ?? 0,
        level: LEVEL[f.severity],
        message: { text: f.message },
        locations: [{ physicalLocation: { artifactLocation: artifact(f.fileName), region: region(f.range) } }],
        ...(f.related?.length ? { relatedLocations: f.related.map((r, id) => ({ id, message: { text: r.message },
          physicalLocation: { artifactLocation: artifact(r.fileName), region: region(r.range) } })) } : {}),
        ...(f.fixes.length ? { fixes: f.fixes.map((x) => ({ description: { text: x.title }, artifactChanges: [{
          artifactLocation: artifact(f.fileName),
          replacements: x.edits.map((e) => ({ deletedRegion: region(e.range), insertedContent: { text: e.newText } })),
        }] })) } : {}),
      })),
    }],
  };
  return `${JSON.stringify(log, null, 2)}\n`;
}

// ---------------------------------------------------------------------------------------------------------------------

const HELP = `Check MindSphere queries, contracts and credential files against MindSphere's documented limits.

  [paths or globs]   files, folders (walked, honouring .gitignore) or globs such as 'src/**/*.http'; default: .
  --format F         stylish (default), json, or sarif (SARIF 2.1.0 for GitHub code scanning)
  --schema FILE      the tenant's asset types and aspect types as JSON (mdsp-makers types --format json > FILE),
                     to check names (mdsp/unknown-name)
  --fetch-schema     read the asset types and aspect types from the tenant instead (with the credentials below)
  --fix              apply the safe fixes in place, then report what is left

Reads .http/.rest files, URL strings in .ts/.js/.java/.cs/.py, *.contract.json, and .env*, *.yml/*.yaml, *.json,
*.properties (for written-out client secrets). Exit code: 0 no errors, 1 errors found, 2 usage or internal error,
or a file named here that cannot be linted (binary, or not a regular file such as a FIFO).
Rules and their documentation: docs/rules/.`;

const command: CliCommand = {
  summary: HELP,
  usage: `mdsp-makers lint [paths or globs ...] [--format stylish|json|sarif] [--schema FILE | --fetch-schema ${CONNECTION_USAGE}] [--fix]`,
  async run(args, io) {
    const { values, positionals } = parseCommandArgs(args, {
      format: { type: 'string' }, schema: { type: 'string' }, fix: { type: 'boolean' }, 'fetch-schema': { type: 'boolean' },
      ...CONNECTION_OPTIONS,
    }, Number.MAX_SAFE_INTEGER);
    const format: Format = formatOption(values.format, FORMATS);
    if (values.schema && values['fetch-schema']) throw new UsageError('give either --schema FILE or --fetch-schema, not both.');
    const cwd = io.cwd;
    let schema: TenantSchema | undefined;
    if (values.schema) schema = schemaFromFile(cwd, values.schema, io);
    if (values['fetch-schema']) {
      schema = await schemaFromTenant(values, io);
      if (!schema) return 2;
    }

    const files: LintDocumentInput[] = [];
    /** How each file was encoded: --fix writes it back the same way. */
    const encodings = new Map<string, TextEncoding>();
    let unread = false;
    for (const { path, named } of collectFiles(cwd, positionals)) {
      const display = toPosix(isAbsolute(path) && !relative(cwd, path).startsWith('..') ? relative(cwd, path) : path);
      const cannot = (why: string) => {
        io.stderr(`mdsp-makers lint: cannot lint ${display}: ${why}.\n`);
        unread = true;
      };
      const info = statSync(path);
      // Only a named path can be one (a folder walk takes regular files only); reading a FIFO would wait for a writer
      // forever, and a device may never end.
      if (!info.isFile()) {
        cannot(`it is ${fileType(info)}, not a regular file`);
        continue;
      }
      if (info.size > MAX_FILE_BYTES) {
        io.stderr(`mdsp-makers lint: skipped ${display}: larger than ${MAX_FILE_BYTES / 1024 / 1024} MiB.\n`);
        continue;
      }
      const decoded = decodeText(readFileSync(path));
      if (!decoded) {
        // A binary file met in a folder or by a glob (an image named .json, a compiled .js) is nobody's query: skipped
        // quietly, as reporting it would fail CI over files the user never asked about. A named one is a mistake to show.
        if (named) cannot(BINARY);
        continue;
      }
      files.push({ fileName: display, text: decoded.text });
      encodings.set(display, decoded.encoding);
    }

    const linter = new Linter();
    const options = schema ? { schema } : {};
    if (values.fix) {
      for (let i = 0; i < files.length; i++) {
        const file = files[i] as LintDocumentInput;
        const fixed = fixDocument(file, options, linter);
        if (fixed.text === file.text) continue;
        // Replaced only when all written, so an interrupted --fix never leaves half a file.
        await replaceFile(resolve(cwd, file.fileName), encodeText(fixed.text, encodings.get(file.fileName) ?? 'utf8'));
        files[i] = { fileName: file.fileName, text: fixed.text };
        io.stderr(`mdsp-makers lint: fixed ${plural(fixed.applied, 'problem')} in ${file.fileName}\n`);
      }
    }
    const findings = linter.lintWorkspace(files, options)
      .sort((a, b) => a.fileName.localeCompare(b.fileName) || a.range.start - b.range.start);

    if (format === 'json') io.stdout(json(findings));
    else if (format === 'sarif') io.stdout(sarif(findings, cwd));
    else io.stdout(stylish(findings, io.env.FORCE_COLOR !== undefined ? io.env.FORCE_COLOR !== '0' : process.stdout.isTTY === true && !io.env.NO_COLOR));
    return unread ? 2 : exitCode(findings);
  },
};

/** What a file that is not a regular file is, in words. */
function fileType(info: Stats): string {
  if (info.isFIFO()) return 'a FIFO (named pipe)';
  if (info.isSocket()) return 'a socket';
  if (info.isCharacterDevice() || info.isBlockDevice()) return 'a device';
  return 'a special file';
}

/**
 * 2 when a rule crashed (an internal error: that rule checked nothing, so a clean result would be a silent miss),
 * else 1 when there are errors, else 0.
 */
export function exitCode(findings: readonly Finding[]): number {
  if (findings.some((f) => f.message.includes(RULE_CRASH))) return 2;
  return findings.some((f) => f.severity === 'error') ? 1 : 0;
}

export default command;
