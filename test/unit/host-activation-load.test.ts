// What activation runs of the extension bundle: every module reached from src/host/extension.ts by static imports (esbuild
// evaluates a module that is reached only through import() when that import runs). Issue 8 wants the linter and the
// client to load lazily: with them, zod (most of the bundle) and the sandbox stay out of the activation path, which keeps
// the extension's start fast (see the vscode benchmark in bench/RESULTS.md).
import * as assert from 'node:assert/strict';
import { test } from 'node:test';
import { build, type Metafile } from 'esbuild';

/** The modules activation evaluates, each with the import chain that reaches it. */
async function eagerModules(): Promise<Map<string, string>> {
  const result = await build({
    entryPoints: ['src/host/extension.ts'], bundle: true, write: false, metafile: true, outfile: 'extension.js',
    platform: 'node', format: 'cjs', target: 'node20', external: ['vscode'], logLevel: 'silent',
  });
  const inputs: Metafile['inputs'] = result.metafile.inputs;
  const chains = new Map<string, string>();
  const queue: [string, string][] = [['src/host/extension.ts', 'src/host/extension.ts']];
  for (let next = queue.shift(); next; next = queue.shift()) {
    const [file, chain] = next;
    if (chains.has(file)) continue;
    chains.set(file, chain);
    for (const i of inputs[file]?.imports ?? []) {
      if (i.kind !== 'dynamic-import' && !i.external) queue.push([i.path, `${chain} → ${i.path}`]);
    }
  }
  return chains;
}

test('activation evaluates neither the linter, the client, zod nor the sandbox', async () => {
  const eager = await eagerModules();
  assert.ok(eager.has('src/host/lint/index.ts'), 'the walk follows static imports (the lint feature registers at activation)');
  const lazy = [/^src\/core\/lint\/linter\.ts$/, /^src\/client\/index\.ts$/, /^src\/client\/http\.ts$/, /node_modules\/zod\//, /^src\/sandbox\//];
  // The first chain to each: one import to make lazy often removes the rest.
  const found = lazy.flatMap((l) => [...eager].filter(([file]) => l.test(file)).slice(0, 1).map(([, chain]) => chain));
  assert.deepEqual(found, [], 'these load at activation; import them with import() where they are used, or only their types');
});
