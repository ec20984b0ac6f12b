// The bootstrap VS Code loads (src/host/bootstrap.ts): the bundle runs as require would run it, with V8's code cache
// written after the first start, used on the next, and replaced when it no longer fits.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, test } from 'node:test';
import { messageOf } from '../../src/host/util';

const BOOTSTRAP = resolve(__dirname, '../../src/host/bootstrap.ts');
const dir = mkdtempSync(join(tmpdir(), 'mdsp-bootstrap-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const BUNDLE = `"use strict";
const path = require('node:path');
module.exports = { where: path.basename(__filename), dir: __dirname, four: 2 * 2 };
`;

interface Loaded { cache: 'used' | 'none' | 'rejected'; exports: { where: string; dir: string; four: number; version?: number } }

/**
 * Loads the bundle in a new node process, as each start of VS Code's extension host does (within one process V8 reuses
 * its own compilation and never looks at the cache), and waits there until the cache is written.
 */
function load(bundle: string, cacheDir: string): Loaded {
  const script = `const { loadWithCodeCache } = require(${JSON.stringify(BOOTSTRAP)});
const loaded = loadWithCodeCache(${JSON.stringify(bundle)}, ${JSON.stringify(cacheDir)}, 0);
setTimeout(() => console.log(JSON.stringify(loaded)), 100);`;
  const run = spawnSync(process.execPath, ['--import', 'tsx', '-e', script], { encoding: 'utf8' });
  assert.equal(run.status, 0, run.stderr);
  return JSON.parse(run.stdout) as Loaded;
}

test('the bundle runs like a CommonJS module; its cache is written, then used, and replaced when it does not fit', () => {
  const bundle = join(dir, 'main.js');
  const cacheDir = join(dir, 'storage');
  writeFileSync(bundle, BUNDLE);
  const first = load(bundle, cacheDir);
  assert.deepEqual(first, { cache: 'none', exports: { where: 'main.js', dir, four: 4 } });
  const [cacheFile, ...others] = readdirSync(cacheDir);
  assert.match(cacheFile ?? '', /^main\.js\.\d+-\d+\.v8cache$/);
  assert.deepEqual(others, []);
  assert.deepEqual(load(bundle, cacheDir), { ...first, cache: 'used' });

  // A damaged cache: V8 refuses it, the bundle still runs, and a good cache takes its place.
  writeFileSync(join(cacheDir, cacheFile ?? ''), Buffer.from('not a code cache at all'));
  assert.deepEqual(load(bundle, cacheDir), { ...first, cache: 'rejected' });
  assert.equal(load(bundle, cacheDir).cache, 'used');

  // A new version of the bundle gets its own cache, and the old one goes.
  writeFileSync(bundle, `${BUNDLE}module.exports.version = 2;\n`);
  assert.deepEqual(load(bundle, cacheDir), { cache: 'none', exports: { ...first.exports, version: 2 } });
  const now = readdirSync(cacheDir);
  assert.equal(now.length, 1);
  assert.notEqual(now[0], cacheFile);
  assert.equal(load(bundle, cacheDir).cache, 'used');
});

test('a cache folder that cannot be written only costs the cache', () => {
  const bundle = join(dir, 'other.js');
  writeFileSync(bundle, BUNDLE);
  const blocked = join(dir, 'a-file');
  writeFileSync(blocked, '');
  assert.equal(load(bundle, join(blocked, 'storage')).exports.four, 4);
  assert.equal(load(bundle, join(blocked, 'storage')).cache, 'none');
});

test('a bundle missing from the installation is reported as such, not as Node\'s "Cannot find module" with its stack', () => {
  // As main.js loads client.js when first needed (esbuild.js, HOST_BUNDLES), here with client.js gone.
  const bundle = join(dir, 'needs-client.js');
  writeFileSync(bundle, "module.exports = () => require('./client.js');\n");
  const loadClient = createRequire(__filename)(bundle) as () => unknown;
  const error = (() => {
    try {
      loadClient();
    } catch (e) {
      return e;
    }
  })();
  assert.equal(messageOf(error), 'A part of MindSphere Makers (client.js) is missing: its installation is damaged. Reinstall the extension, then reload the window.');
  // The sandbox's worker is started by its full path, and a missing one fails as an ES module would.
  const worker = Object.assign(new Error(`Cannot find module '${join(dir, 'dist', 'sandbox-worker.js')}' imported from ${dir}`), { code: 'ERR_MODULE_NOT_FOUND' });
  assert.match(messageOf(worker), /^A part of MindSphere Makers \(sandbox-worker\.js\) is missing/);
  // Any other error keeps its own message.
  assert.equal(messageOf(new Error("Cannot find module './client.js'")), "Cannot find module './client.js'");
});
