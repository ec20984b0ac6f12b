// What `npm run package` puts in the .vsix, as vsce computes it from .vscodeignore: the built code, the media the
// manifest and webviews use, the rules' pages that diagnostics link to, package.json, README and LICENSE; never
// sources, tests, the README's screenshots or source maps. vsce runs on a copy of the project's top-level files with a stand-in dist/, src/ and test/, so the
// answer neither depends on whether a build ran nor walks node_modules. `npm start` installs the same files into
// code-server (scripts/package-files.mjs).
import * as assert from 'node:assert/strict';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { listFiles, PackageManager } from '@vscode/vsce';
import { installPackagedFiles } from '../../scripts/package-files.mjs';

const ALLOWED = /^(dist\/(?!.*\.map$).+|media\/(?!screenshots\/).+|docs\/rules\/[\w-]+\.md|package\.json|README\.md|LICENSE)$/;

test('the package holds only what the installed extension needs', async (t) => {
  const dir = mkdtempSync(path.join(tmpdir(), 'mdsp-package-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  for (const entry of ['package.json', 'README.md', 'LICENSE', '.vscodeignore', 'media', 'docs']) cpSync(entry, path.join(dir, entry), { recursive: true });
  const stand = ['dist/extension.js', 'dist/main.js', 'dist/main.js.map', 'dist/cli.js', 'dist/webview/preview.js', 'dist/webview/preview.js.map',
    'dist/webview/preview.css', 'src/host/extension.ts', 'test/unit/a.test.ts', 'tsconfig.json', 'esbuild.js'];
  for (const file of stand) {
    mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    writeFileSync(path.join(dir, file), '');
  }
  const files = (await listFiles({ cwd: dir, packageManager: PackageManager.None })).map((f) => f.replace(/\\/g, '/'));
  assert.deepEqual(files.filter((f) => !ALLOWED.test(f)), []);
  for (const needed of ['dist/extension.js', 'dist/main.js', 'dist/cli.js', 'dist/webview/preview.js', 'dist/webview/preview.css', 'package.json', 'README.md',
    'LICENSE', 'media/icon.png', 'media/mindsphere.svg', 'media/schemas/contract.schema.json',
    'docs/rules/filter-operator.md']) { // the page the code of a filter-operator diagnostic links to
    assert.ok(files.includes(needed), `${needed} is missing from the package`);
  }
  // `npm start` installs into code-server's extensions folder exactly these files (the rules' pages too, or the links
  // of diagnostics open "file not found" there).
  const installed = path.join(dir, 'installed');
  installPackagedFiles(dir, installed);
  assert.deepEqual(readdirSync(installed, { recursive: true, withFileTypes: true }).filter((e) => e.isFile())
    .map((e) => path.relative(installed, path.join(e.parentPath, e.name)).replace(/\\/g, '/')).sort(), [...files].sort());
});
