// `mdsp-makers lint` as a user runs it: the real command line in a child process, over examples/ and over temporary
// projects. Exit codes, the three formats, .gitignore, --schema and --fix.
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import {
  chmodSync, cpSync, existsSync, lstatSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, describe, test } from 'node:test';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { RULE_IDS } from '../../../src/core/lint';

const ROOT = resolve(__dirname, '../../..');
const MAIN = join(ROOT, 'src/cli/main.ts');
const TSX = require.resolve('tsx');

interface Run {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

function cli(args: string[], cwd = ROOT): Run {
  const r = spawnSync(process.execPath, ['--import', TSX, MAIN, 'lint', ...args], {
    cwd, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0' },
    // A lint that hangs (it ignores SIGTERM while it works) fails its test instead of stopping the whole suite.
    timeout: 120_000, killSignal: 'SIGKILL',
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

interface JsonFinding {
  file: string; line: number; column: number; endLine: number; endColumn: number; ruleId: string; severity: string; message: string;
  fixes: Array<{ title: string; isPreferred: boolean; edits: unknown[] }>;
}

const temps: string[] = [];
function project(files: Record<string, string | Uint8Array>): string {
  const dir = mkdtempSync(join(tmpdir(), 'mdsp-lint-'));
  temps.push(dir);
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(join(dir, name, '..'), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  return dir;
}
after(() => temps.forEach((d) => rmSync(d, { recursive: true, force: true })));

const GE = "###\nGET {{dataHub}}/TS_PumpHydraulics_Hydraulics_Pump?$filter=timestamp ge '2024-03-01T00:00:00' and timestamp le '2024-03-02T00:00:00'\n";

describe('mdsp-makers lint', () => {
  test('reports exactly the findings marked in examples/ (every rule shown there)', () => {
    const run = cli(['examples', '--schema', 'examples/tenant-schema.json', '--format', 'json']);
    assert.equal(run.code, 1, run.stderr);
    const findings = JSON.parse(run.stdout) as JsonFinding[];
    const actual: Record<string, string[]> = {};
    for (const f of findings) (actual[f.file.replace(/^examples\//, '')] ??= []).push(`${f.line} ${f.ruleId}`);
    const expected = (JSON.parse(readFileSync(join(ROOT, 'examples/expected-findings.json'), 'utf8')) as { findings: Record<string, string[]> }).findings;
    assert.deepEqual(actual, expected);
    const rules = new Set(findings.map((f) => f.ruleId));
    assert.deepEqual(RULE_IDS.filter((id) => !rules.has(id)), [], 'every rule is shown in examples/');
    // The JSON format is exactly these fields.
    assert.deepEqual(Object.keys(findings[0] ?? {}), ['file', 'line', 'column', 'endLine', 'endColumn', 'ruleId', 'severity', 'message', 'fixes']);
  });

  test('exit codes: 0 when clean or only warnings, 1 on errors, 2 on usage errors', () => {
    const clean = project({ 'ok.http': "###\nGET {{host}}/api/iottimeseries/v3/timeseries/{{a}}/Hydraulics?from=2024-03-01T00:00:00Z&to=2024-03-02T00:00:00Z\n" });
    const ok = cli([], clean);
    assert.deepEqual([ok.code, ok.stdout], [0, '']);
    const warnings = project({ 'w.http': "###\nGET {{host}}/api/iottimeseries/v3/timeseries/{{a}}/H?from=2024-03-01T00:00:00Z&to=2024-03-02T00:00:00Z&limit=3000\n" });
    assert.equal(cli([], warnings).code, 0);
    assert.equal(cli([], project({ 'e.http': GE })).code, 1);
    for (const args of [['--format', 'xml'], ['missing-folder'], ['--schema', 'nope.json'], ['--bogus'], ['--schema', 'a', '--fetch-schema']]) {
      const run = cli(args, clean);
      assert.equal(run.code, 2, `${args.join(' ')}: ${run.stdout}`);
      assert.match(run.stderr, /Usage: mdsp-makers lint/);
    }
  });

  test('stylish output names file, position, severity, message and rule', () => {
    const dir = project({ 'q/e.http': GE });
    const run = cli([], dir);
    assert.match(run.stdout, /^q\/e\.http$/m);
    assert.match(run.stdout, /^ {2}2:69 +error +MindSphere does not allow 'ge' on timestamp.* mdsp\/filter-operator$/m);
    assert.match(run.stdout, /✖ 1 problem \(1 error, 0 warnings, 0 information\)/);
    assert.match(run.stdout, /1 problem fixable with the `--fix` option/);
  });

  test('walking a folder honours .gitignore; explicit files and globs are linted', () => {
    const dir = project({ '.gitignore': 'generated/\n*.local.http\n', 'generated/g.http': GE, 'a.local.http': GE, 'src/a.http': GE,
      'node_modules/pkg/x.http': GE, 'notes.md': GE });
    const files = (args: string[]) => [...new Set((JSON.parse(cli([...args, '--format', 'json'], dir).stdout) as JsonFinding[]).map((f) => f.file))].sort();
    assert.deepEqual(files([]), ['src/a.http']);
    assert.deepEqual(files(['a.local.http']), ['a.local.http']);
    assert.deepEqual(files(['**/*.http']), ['src/a.http']);
    assert.equal(cli(['**/*.rest'], dir).code, 2);
  });

  test('SARIF 2.1.0 for code scanning: rules with help, locations, fixes, related locations', () => {
    const run = cli(['examples/contracts', 'examples/queries/datahub.http', '--format', 'sarif']);
    const log = JSON.parse(run.stdout) as {
      version: string; runs: Array<{ tool: { driver: { rules: Array<{ id: string; helpUri: string; defaultConfiguration: { level: string } }> } };
        results: Array<{ ruleId: string; ruleIndex: number; level: string; locations: Array<{ physicalLocation: { artifactLocation: { uri: string }; region: { startLine: number } } }>;
          relatedLocations?: unknown[]; fixes?: Array<{ artifactChanges: Array<{ replacements: unknown[] }> }> }> }>;
    };
    assert.equal(log.version, '2.1.0');
    const sarifRun = log.runs[0];
    assert.ok(sarifRun);
    const rules = sarifRun.tool.driver.rules;
    // helpUri is absolute (SARIF 2.1.0, 3.49.12): the rule's page in the installed package.
    const help = rules.find((r) => r.id === 'mdsp/filter-operator')?.helpUri ?? '';
    assert.equal(help, pathToFileURL(join(ROOT, 'docs/rules/filter-operator.md')).href);
    assert.ok(rules.every((r) => existsSync(fileURLToPath(r.helpUri))), 'every rule has its page');
    for (const r of sarifRun.results) assert.equal(rules[r.ruleIndex]?.id, r.ruleId);
    const ge = sarifRun.results.find((r) => r.ruleId === 'mdsp/filter-operator' && r.fixes);
    assert.equal(ge?.locations[0]?.physicalLocation.artifactLocation.uri, 'examples/queries/datahub.http');
    assert.equal(ge?.level, 'error');
    assert.ok(sarifRun.results.some((r) => r.ruleId === 'mdsp/contract-split-hierarchy' && r.relatedLocations?.length === 1));
    assert.ok(sarifRun.results.some((r) => r.level === 'warning'));
  });

  test('--schema enables mdsp/unknown-name; --fix applies the safe fixes in place and reports the rest', () => {
    const dir = mkdtempSync(join(tmpdir(), 'mdsp-lint-fix-'));
    temps.push(dir);
    cpSync(join(ROOT, 'examples'), dir, { recursive: true });
    const without = JSON.parse(cli(['--format', 'json'], dir).stdout) as JsonFinding[];
    assert.ok(!without.some((f) => f.ruleId === 'mdsp/unknown-name'));
    const before = readFileSync(join(dir, 'queries/datahub.http'), 'utf8');
    const run = cli(['--schema', 'tenant-schema.json', '--fix', '--format', 'json'], dir);
    const after = readFileSync(join(dir, 'queries/datahub.http'), 'utf8');
    assert.match(run.stderr, /fixed \d+ problems? in queries\/datahub\.http/);
    assert.match(after, /timestamp gt '2024-02-29T23:59:59' and timestamp le '2024-03-02T00:00:00'/);
    assert.match(after, /intervalUnit eq 'days'/);
    assert.match(after, /&\$top=2000$/m);
    assert.notEqual(before, after);
    const left = JSON.parse(run.stdout) as JsonFinding[];
    assert.ok(left.every((f) => !f.fixes.some((x) => x.isPreferred)), 'no preferred fix is left unapplied');
    assert.ok(left.some((f) => f.ruleId === 'mdsp/read-only'), 'findings without a safe fix remain');
    // The secret is never printed, in any format.
    for (const format of ['stylish', 'json', 'sarif']) assert.ok(!cli(['deploy', '--format', format], dir).stdout.includes('9f3KqL2xWv8ZtR4mN6pB1cYd'));
  });

  test('SARIF URIs encode each path segment whole: a \'#\' or \'?\' in a file name stays part of the path', () => {
    const dir = project({ 'q #1?/a b#?.http': GE });
    const log = JSON.parse(cli(['--format', 'sarif'], dir).stdout) as {
      runs: Array<{ results: Array<{ locations: Array<{ physicalLocation: { artifactLocation: { uri: string } } }> }> }>;
    };
    const uri = log.runs[0]?.results[0]?.locations[0]?.physicalLocation.artifactLocation.uri ?? '';
    assert.equal(uri, 'q%20%231%3F/a%20b%23%3F.http');
    assert.equal(decodeURIComponent(new URL(uri, pathToFileURL(`${dir}/`)).pathname), `${dir}/q #1?/a b#?.http`);
  });

  test('SARIF names a file outside the working directory by an absolute file: URI without uriBaseId', () => {
    const dir = project({ 'in.http': GE });
    const outside = join(project({ 'out #1.http': GE }), 'out #1.http');
    const log = JSON.parse(cli(['in.http', outside, '--format', 'sarif'], dir).stdout) as {
      runs: Array<{ results: Array<{ locations: Array<{ physicalLocation: { artifactLocation: { uri: string; uriBaseId?: string } } }> }> }>;
    };
    const artifacts = log.runs[0]?.results.map((r) => r.locations[0]?.physicalLocation.artifactLocation)
      .sort((a, b) => (a?.uri ?? '').localeCompare(b?.uri ?? ''));
    assert.deepEqual(artifacts, [{ uri: pathToFileURL(outside).href }, { uri: 'in.http', uriBaseId: '%SRCROOT%' }]);
    assert.equal(fileURLToPath(pathToFileURL(outside).href), outside);
  });

  test('a file that starts with a byte order mark: positions as editors count them, and --fix keeps the mark', () => {
    const bom = `\uFEFFPOST {{dataHub}}/TS_PumpHydraulics_Hydraulics_Pump?$filter=timestamp ge '2024-03-01T00:00:00' and timestamp le '2024-03-02T00:00:00'\n`;
    const dir = project({ 'bom.http': bom, 'plain.http': bom.slice(1) });
    const findings = JSON.parse(cli(['--format', 'json'], dir).stdout) as JsonFinding[];
    const where = (file: string) => findings.filter((f) => f.file === file).map((f) => `${f.line}:${f.column} ${f.ruleId}`);
    assert.deepEqual(where('bom.http'), ['1:1 mdsp/read-only', `1:${bom.indexOf(' ge ') + 1} mdsp/filter-operator`]);
    assert.deepEqual(where('bom.http'), where('plain.http'));
    cli(['--fix'], dir);
    const fixed = readFileSync(join(dir, 'bom.http'), 'utf8');
    assert.ok(fixed.startsWith('\uFEFFPOST ') && fixed.includes('timestamp gt '), fixed);
  });

  test('--fetch-schema --sandbox reads the schema from the sandbox tenant over HTTP', () => {
    const run = cli(['examples/queries', 'examples/contracts/pumps.contract.json', '--fetch-schema', '--sandbox', '--format', 'json']);
    const unknown = (JSON.parse(run.stdout) as JsonFinding[]).filter((f) => f.ruleId === 'mdsp/unknown-name');
    // The examples use the sandbox tenant's names: only the two deliberate misspellings are unknown there.
    assert.deepEqual(unknown.map((f) => `${f.file}:${f.line}`), ['examples/contracts/pumps.contract.json:23', 'examples/queries/datahub.http:44']);
    assert.match(unknown[1]?.message ?? '', /Did you mean 'AGGR_Flow_Flow_Pump'\?/);
  });

  test('a path with glob characters that exists is taken as it is: Next.js and SvelteKit route folders', () => {
    const dir = project({ 'web/routes/[slug]/page.http': GE, 'web/routes/(group)/{id}/x.http': GE, 'web/routes/s/page.http': GE });
    const files = (args: string[]) => {
      const run = cli([...args, '--format', 'json'], dir);
      assert.equal(run.code, 1, run.stderr);
      return [...new Set((JSON.parse(run.stdout) as JsonFinding[]).map((f) => f.file))].sort();
    };
    assert.deepEqual(files(['web/routes/[slug]/page.http']), ['web/routes/[slug]/page.http']);
    assert.deepEqual(files(['web/routes/[slug]']), ['web/routes/[slug]/page.http']);
    assert.deepEqual(files(['web/routes/(group)/{id}']), ['web/routes/(group)/{id}/x.http']);
    // What does not exist is still a glob: '[slug]' matches one of s, l, u, g.
    assert.deepEqual(files(['web/routes/[slug]/*.http']), ['web/routes/s/page.http']);
  });

  test('--fix writes through a symbolic link to its target and keeps each file\'s permission bits',
    { skip: process.platform === 'win32' && 'modes and links are POSIX' }, () => {
      const dir = project({ 'real/q.http': GE, 'private.http': GE, 'tool.http': GE });
      chmodSync(join(dir, 'private.http'), 0o600);
      chmodSync(join(dir, 'tool.http'), 0o755);
      symlinkSync(join('real', 'q.http'), join(dir, 'q.http'));
      const run = cli(['--fix', 'q.http', 'private.http', 'tool.http'], dir);
      assert.equal(run.code, 0, run.stdout + run.stderr);
      assert.ok(lstatSync(join(dir, 'q.http')).isSymbolicLink(), 'the link is still a link');
      assert.match(readFileSync(join(dir, 'real/q.http'), 'utf8'), /timestamp gt /, 'the linked file is fixed');
      assert.equal(statSync(join(dir, 'private.http')).mode & 0o777, 0o600);
      assert.equal(statSync(join(dir, 'tool.http')).mode & 0o777, 0o755);
      assert.match(readFileSync(join(dir, 'tool.http'), 'utf8'), /timestamp gt /);
    });

  test('a FIFO is never read: named, it is reported and lint exits 2; in a folder it is passed by',
    { skip: process.platform === 'win32' && 'FIFOs are POSIX' }, () => {
      const dir = project({ 'e.http': GE });
      execFileSync('mkfifo', [join(dir, 'ff.http')]);
      const named = cli(['ff.http', 'e.http', '--format', 'json'], dir);
      assert.equal(named.code, 2);
      assert.equal(named.stderr, 'mdsp-makers lint: cannot lint ff.http: it is a FIFO (named pipe), not a regular file.\n');
      assert.deepEqual((JSON.parse(named.stdout) as JsonFinding[]).map((f) => f.file), ['e.http'], 'the other files are still linted');
      const walked = cli([], dir);
      assert.equal(walked.code, 1, walked.stderr);
      assert.equal(walked.stderr, '');
    });

  test('a UTF-16 file with its byte order mark (PowerShell 5\'s >) is linted like its UTF-8 twin, and --fix keeps its encoding', () => {
    // Text outside ASCII and the BMP, and a CRLF, before the error: its line and column must be the UTF-8 twin's.
    const text = `# Pumpe \u{1F6B0} ü\r\n${GE}`;
    const utf16 = (bigEndian: boolean) => {
      const bytes = Buffer.from(`\uFEFF${text}`, 'utf16le');
      return bigEndian ? bytes.swap16() : bytes;
    };
    const dir = project({ 'le.http': utf16(false), 'be.http': utf16(true), 'plain.http': text });
    const run = cli(['le.http', 'be.http', 'plain.http', '--format', 'json'], dir);
    assert.equal(run.code, 1, run.stderr);
    const findings = JSON.parse(run.stdout) as JsonFinding[];
    const where = (file: string) => findings.filter((f) => f.file === file).map((f) => `${f.line}:${f.column} ${f.ruleId}`);
    assert.deepEqual(where('plain.http'), [`3:${GE.split('\n')[1]!.indexOf(' ge ') + 2} mdsp/filter-operator`]);
    assert.deepEqual(where('le.http'), where('plain.http'));
    assert.deepEqual(where('be.http'), where('plain.http'));
    cli(['--fix'], dir);
    assert.match(readFileSync(join(dir, 'plain.http'), 'utf8'), /timestamp gt /);
    for (const [file, bigEndian] of [['le.http', false], ['be.http', true]] as const) {
      const fixed = readFileSync(join(dir, file));
      assert.deepEqual([...fixed.subarray(0, 2)], bigEndian ? [0xfe, 0xff] : [0xff, 0xfe], `${file} keeps its byte order mark`);
      assert.equal((bigEndian ? Buffer.from(fixed).swap16() : fixed).toString('utf16le'), `\uFEFF${readFileSync(join(dir, 'plain.http'), 'utf8')}`);
    }
  });

  test('a binary file named on the command line is reported and lint exits 2; met in a folder it is skipped quietly', () => {
    const dir = project({ 'bin.http': new Uint8Array([0x47, 0x45, 0x54, 0x20, 0x00, 0x01, 0x02]), 'ok.json': '{}\n' });
    const named = cli(['bin.http', 'ok.json'], dir);
    assert.equal(named.code, 2);
    assert.equal(named.stderr, 'mdsp-makers lint: cannot lint bin.http: it is binary (it has NUL bytes and no UTF-16 byte order mark).\n');
    const walked = cli([], dir);
    assert.deepEqual([walked.code, walked.stderr], [0, '']);
  });
});
