// The editor's workspace check lists candidates with LINTABLE_GLOB, the command line keeps the files fileKind reads:
// both must take the same names, or "Check Workspace" and `mdsp-makers lint` disagree on the same folder.
import * as assert from 'node:assert/strict';
import { test } from 'node:test';
import { fileKind, LINTABLE_GLOB } from '../../../src/core/lint';

/** The glob's alternatives (`*.ts`, `.env.*`, …) as a test of a base name. */
function globTakes(base: string): boolean {
  const alternatives = /^\*\*\/\{(.*)\}$/.exec(LINTABLE_GLOB)?.[1]?.split(',') ?? [];
  return alternatives.some((a) => new RegExp(`^${a.replace(/[.]/g, '\\.').replace(/\*/g, '[^/]*')}$`).test(base));
}

test('LINTABLE_GLOB takes exactly the file names the linter reads', () => {
  const names = ['q.http', 'q.rest', 'Plant.contract.json', 'app.ts', 'app.tsx', 'app.mts', 'app.cts', 'app.js', 'app.jsx', 'app.mjs', 'app.cjs',
    'App.java', 'App.cs', 'app.py', '.env', '.env.local', 'prod.env', 'app.properties', 'manifest.yml', 'values.yaml', 'settings.json',
    'README.md', 'app.go', 'image.png', 'Makefile', 'app.kt', 'style.css', 'env', 'data.csv'];
  for (const name of names) assert.equal(globTakes(name), fileKind(`/w/${name}`) !== undefined, name);
  assert.ok(['q.http', 'app.ts', 'app.py', 'App.java', 'App.cs'].every(globTakes), 'requests and code, not only contracts and settings files');
});
