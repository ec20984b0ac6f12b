// Builds the three outputs of the package (and, with --tests, the suites that run inside a real VS Code):
//   dist/extension.js   what VS Code loads: runs dist/main.js, the extension host bundle (CommonJS, `vscode` external),
//                       with V8's code cache; main.js loads the other host bundles (HOST_BUNDLES) when first needed
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

/**
 * The extension host's code, split into bundles that load when first needed: activation compiles and runs dist/main.js
 * only (issue 8; with everything in one bundle V8 read and ran 540 KB at every activation, zod a third of it). An import
 * of a bundle's entry file from another bundle becomes `require('./<name>.js')` (a dynamic `import()` too: see
 * `supported` below), so each module is evaluated once at run time, in one bundle. Modules with state that several
 * bundles use are bundles of their own for that reason: a copy in two bundles would be two registries of secrets to
 * redact, or an error class that `instanceof` no longer recognises. Other modules that two bundles import (limits,
 * time helpers) hold no state, and each bundle keeps its own copy.
 */
const HOST_BUNDLES = {
  main: 'src/host/extension.ts',
  client: 'src/client/index.ts', // the client and zod: on the first request to a tenant
  sandbox: 'src/sandbox/index.ts', // when the sandbox tenant starts
  'sandbox-worker': 'src/sandbox/worker.ts', // the thread the extension's sandbox tenant runs in (it loads sandbox.js)
  lint: 'src/host/lint/engine.ts', // when the first query file is linted
  redact: 'src/core/redact.ts', // the registry of secrets to mask
  errors: 'src/client/errors.ts', // MindSphereError, which the host tests with instanceof
  zod: 'zod', // for the client's schemas and the preview panel's checks of webview messages: one copy for both
};

/** A HOST_BUNDLES entry is a source file (src/…) or a package by its name. */
const isPackageEntry = (entry) => !entry.startsWith('src/');

/** Resolves imports of the other host bundles' entries (HOST_BUNDLES) to those bundles, for the bundle `self`. */
function otherHostBundles(self) {
  const bundleOf = new Map(Object.entries(HOST_BUNDLES).map(([name, entry]) => [isPackageEntry(entry) ? entry : path.join(__dirname, entry), name]));
  const sourceFile = (base) => [`${base}.ts`, path.join(base, 'index.ts')].find((f) => fs.existsSync(f));
  const other = (name) => (name && name !== self ? { path: `./${name}.js`, external: true } : undefined);
  return {
    name: 'other-host-bundles',
    setup(build) {
      build.onResolve({ filter: /^\./ }, (args) =>
        args.importer.includes(`${path.sep}node_modules${path.sep}`) ? undefined : other(bundleOf.get(sourceFile(path.resolve(args.resolveDir, args.path)))));
      build.onResolve({ filter: /^[^./]/ }, (args) => other(bundleOf.get(args.path)));
    },
  };
}

/** Fails the build when a host bundle holds a copy of another's entry (an import the plugin above did not recognise). */
function checkHostBundles(metafiles) {
  const owned = Object.entries(HOST_BUNDLES).map(([name, entry]) =>
    [name, isPackageEntry(entry) ? (input) => input.startsWith(`node_modules/${entry}/`) : (input) => input === entry]);
  for (const metafile of metafiles) {
    for (const [output, { inputs }] of Object.entries(metafile?.outputs ?? {})) {
      const self = path.basename(output, '.js');
      if (!(self in HOST_BUNDLES) || path.dirname(output) !== 'dist') continue;
      for (const [name, isEntry] of owned) {
        const copy = name !== self && Object.keys(inputs).find(isEntry);
        if (copy) throw new Error(`dist/${self}.js holds ${copy}, which belongs to dist/${name}.js: import it by its entry (HOST_BUNDLES in esbuild.js)`);
      }
    }
  }
}

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
  ...Object.entries(HOST_BUNDLES).map(([name, entry]) => ({
    ...common, entryPoints: [entry], outfile: `dist/${name}.js`, platform: 'node', format: 'cjs', target: 'node20',
    external: ['vscode'], plugins: [...common.plugins, otherHostBundles(name), oneVscodeNamespace, withoutZodLocales], metafile: true,
    // main.js runs in a vm.Script (src/host/bootstrap.ts), which cannot import(): other bundles load with require.
    supported: { 'dynamic-import': false },
    // When the bundle's code starts to run: activate() logs what loading and activating cost from here (src/host/extension.ts).
    // The banner goes before esbuild's "use strict", so it repeats the directive to keep the bundle strict.
    ...(name === 'main' ? { banner: { js: '"use strict";\nvar __mdspBundleStart = { wall: performance.now(), cpu: process.cpuUsage() };' } } : {}),
  })),
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
  const results = await Promise.all(contexts.map((c) => c.rebuild()));
  checkHostBundles(results.map((r) => r.metafile));
  await Promise.all(contexts.map((c) => c.dispose()));
  fs.chmodSync(path.join(__dirname, 'dist', 'cli.js'), 0o755);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
