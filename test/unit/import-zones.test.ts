import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ESLint } from 'eslint';

// The zones of src/ import one way (conventions: core ← client, sandbox ← cli, host). The lint must fail otherwise.
const eslint = new ESLint({ cwd: process.cwd() });

async function importErrors(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return (result?.messages ?? [])
    .filter((m) => m.ruleId === '@typescript-eslint/no-restricted-imports')
    .map((m) => m.message);
}

test('core may not import vscode', async () => {
  const errors = await importErrors('src/core/x.ts', "import * as vscode from 'vscode';\nexport const v = vscode;\n");
  assert.equal(errors.length, 1);
  assert.match(errors[0] ?? '', /Only src\/host\/ may import vscode/);
});

test('core may not import the client, and the client may not import the sandbox', async () => {
  assert.equal((await importErrors('src/core/x.ts', "import { a } from '../client/a';\nexport { a };\n")).length, 1);
  assert.equal((await importErrors('src/client/x.ts', "import { a } from '../sandbox/a';\nexport { a };\n")).length, 1);
});

test('the webview imports protocol only', async () => {
  assert.equal((await importErrors('webview/preview/x.ts', "import { a } from '../../src/core/a';\nexport { a };\n")).length, 1);
  assert.deepEqual(await importErrors('webview/preview/x.ts', "import type { A } from '../../src/protocol/a';\nexport type { A };\n"), []);
});

test('host and cli may compose the other zones', async () => {
  assert.deepEqual(await importErrors('src/host/x.ts', "import * as vscode from 'vscode';\nimport { a } from '../client/a';\nexport { a, vscode };\n"), []);
  assert.deepEqual(await importErrors('src/cli/x.ts', "import { a } from '../sandbox/a';\nexport { a };\n"), []);
});
