// Builds the three outputs of the package (and, with --tests, the suites that run inside a real VS Code):
//   dist/extension.js   what VS Code loads: runs dist/main.js, the extension host bundle (CommonJS, `vscode` external),
//                       with V8's code cache
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

/**
 * Gives the extension bundle one ES namespace of the `vscode` module for all its files. Left alone, esbuild wraps each
 * `import * as vscode from 'vscode'` (an external CommonJS module) in its own __toESM(require('vscode')), which copies
 * every property of VS Code's API object with getters: once per importing file, 22 times, most of the extension's code
 * loading time in the benchmark's profile (issue 8). Here every file imports the one module `export * from 'vscode'`.
 */
const oneVscodeNamespace = {
  name: 'one-vscode-namespace',
  setup(build) {
    build.onResolve({ filter: /^vscode$/ }, (args) =>
      args.namespace === 'vscode-api' ? { path: 'vscode', external: true } : { path: 'vscode', namespace: 'vscode-api' });
    build.onLoad({ filter: /.*/, namespace: 'vscode-api' }, () => ({ contents: "export * from 'vscode';", loader: 'js' }));
  },
};

/**
 * Leaves zod's translations of its error messages out of the node bundles: `import { z } from 'zod'` keeps every export of
 * the namespace, including `z.locales` with all 60-odd languages (a third of the minified extension, compiled at every
 * activation). The client words its own messages and zod's English default is imported separately, so nothing uses them.
 */
const withoutZodLocales = {
  name: 'without-zod-locales',
  setup(build) {
    build.onResolve({ filter: /\/locales\/index\.js$/ }, (args) =>
      /[\\/]node_modules[\\/]zod[\\/]/.test(args.importer) ? { path: 'zod-locales', namespace: 'zod-locales' } : undefined);
    build.onLoad({ filter: /.*/, namespace: 'zod-locales' }, () => ({ contents: 'export {};', loader: 'js' }));
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
  // What VS Code loads: runs dist/main.js with V8's code cache (src/host/bootstrap.ts).
  { ...common, entryPoints: ['src/host/bootstrap.ts'], outfile: 'dist/extension.js', platform: 'node', format: 'cjs', target: 'node20' },
  { ...common, entryPoints: ['src/host/extension.ts'], outfile: 'dist/main.js', platform: 'node', format: 'cjs',
    target: 'node20', external: ['vscode'], plugins: [...common.plugins, oneVscodeNamespace, withoutZodLocales],
    // When the bundle's code starts to run: activate() logs what loading and activating cost from here (src/host/extension.ts).
    // The banner goes before esbuild's "use strict", so it repeats the directive to keep the bundle strict.
    banner: { js: '"use strict";\nvar __mdspBundleStart = { wall: performance.now(), cpu: process.cpuUsage() };' } },
  { ...common, entryPoints: webviewEntries, outdir: 'dist/webview', platform: 'browser', format: 'iife', target: 'es2022',
    loader: { '.ttf': 'file', '.woff': 'file', '.woff2': 'file' } },
  { ...common, entryPoints: ['src/cli/main.ts'], outfile: 'dist/cli.js', platform: 'node', format: 'cjs', target: 'node20',
    banner: { js: '#!/usr/bin/env node' }, plugins: [...common.plugins, withoutZodLocales],
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
  // A production build starts from an empty dist/, so no stale sourcemap or bundle reaches the package.
  if (production) fs.rmSync(path.join(__dirname, 'dist'), { recursive: true, force: true });
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
