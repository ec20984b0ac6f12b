// Builds the three outputs of the package (and, with --tests, the suites that run inside a real VS Code):
//   dist/extension.mjs  the extension host bundle (an ES module with lazily imported chunks in dist/chunks/, `vscode` external)
//   dist/webview/*.js   browser bundles of the webview panels
//   dist/cli.js         the `mdsp-makers` command line (Node, with a shebang)
// Types are checked separately by `tsc --noEmit` (npm run typecheck): esbuild only strips them.
const esbuild = require('esbuild');
const fs = require('fs');
const path = require('path');

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');
const withTests = process.argv.includes('--tests');

/** Prints errors in the format of VS Code's `$esbuild-watch` problem matcher. */
const problemMatcher = {
  name: 'problem-matcher',
  setup(build) {
    build.onStart(() => console.log('[watch] build started'));
    build.onEnd((result) => {
      for (const { text, location } of result.errors) {
        console.error(`✘ [ERROR] ${text}`);
        if (location) console.error(`    ${location.file}:${location.line}:${location.column}:`);
      }
      console.log('[watch] build finished');
    });
  },
};

const common = {
  bundle: true,
  minify: production,
  sourcemap: production ? false : 'linked',
  sourcesContent: false,
  logLevel: 'warning',
  plugins: watch ? [problemMatcher] : [],
};

const webviewEntries = fs
  .readdirSync(path.join(__dirname, 'webview'), { withFileTypes: true })
  .filter((d) => d.isDirectory() && fs.existsSync(path.join(__dirname, 'webview', d.name, 'main.ts')))
  .map((d) => ({ in: `webview/${d.name}/main.ts`, out: d.name }));

const builds = [
  // An ES module split into chunks: activation loads extension.mjs and the chunks it imports statically (the code that
  // registers the features, under 100 KB); the linter, the client with zod, the sandbox and the preview panel are chunks
  // that load on their first import(). One CommonJS file held them all, and V8 compiled every byte of it at activation.
  // VS Code loads an extension whose main is an .mjs file with import() (since 1.100; engines.vscode is ^1.105).
  { ...common, entryPoints: { extension: 'src/host/extension.ts' }, outdir: 'dist', outExtension: { '.js': '.mjs' },
    chunkNames: 'chunks/[name]-[hash]', splitting: true, platform: 'node', format: 'esm', target: 'node20', external: ['vscode'],
    // When the extension's first module starts to run: activate() logs what loading and activating cost from here
    // (src/host/extension.ts). Every output file carries the line; the first one evaluated sets the time.
    banner: { js: 'globalThis.__mdspBundleStart ??= { wall: performance.now(), cpu: process.cpuUsage() };' } },
  { ...common, entryPoints: webviewEntries, outdir: 'dist/webview', platform: 'browser', format: 'iife', target: 'es2022',
    loader: { '.ttf': 'file', '.woff': 'file', '.woff2': 'file' } },
  { ...common, entryPoints: ['src/cli/main.ts'], outfile: 'dist/cli.js', platform: 'node', format: 'cjs', target: 'node20',
    banner: { js: '#!/usr/bin/env node' },
    define: { MDSP_VERSION: JSON.stringify(require('./package.json').version) } },
];

if (withTests) {
  const suiteDir = path.join(__dirname, 'test', 'vscode', 'suite');
  const suites = fs.readdirSync(suiteDir).filter((f) => f.endsWith('.ts')).map((f) => `test/vscode/suite/${f}`);
  // Each suite file is its own CommonJS module, as mocha loads them by path; `vscode` and `mocha` come from the host.
  builds.push({ ...common, minify: false, entryPoints: suites, outdir: 'out/test/vscode/suite', platform: 'node',
    format: 'cjs', target: 'node20', external: ['vscode', 'mocha'] });
}

async function main() {
  // A production build starts from an empty dist/, so no stale sourcemap or bundle reaches the package; every build
  // replaces the chunks (their names change with their content).
  fs.rmSync(path.join(__dirname, production ? 'dist' : 'dist/chunks'), { recursive: true, force: true });
  const contexts = await Promise.all(builds.map((b) => esbuild.context(b)));
  if (watch) {
    await Promise.all(contexts.map((c) => c.watch()));
    return;
  }
  await Promise.all(contexts.map((c) => c.rebuild()));
  await Promise.all(contexts.map((c) => c.dispose()));
  fs.chmodSync(path.join(__dirname, 'dist', 'cli.js'), 0o755);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
