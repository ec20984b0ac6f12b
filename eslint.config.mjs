// Lint: typescript-eslint's recommended rules plus the one-way imports between the zones of src/
// (core ← client, sandbox ← cli, host; webview → protocol only). See docs in CONTRIBUTING.md.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

const zone = (files, patterns) => ({
  files,
  rules: { '@typescript-eslint/no-restricted-imports': ['error', { patterns }] },
});
const vscodeImport = { group: ['vscode'], message: 'Only src/host/ may import vscode.' };
const notInto = (...zones) => ({
  group: zones.map((z) => `**/${z}/**`).concat(zones.map((z) => `../${z}`)),
  message: `Imports point one way: core ← client, sandbox ← cli, host. This zone must not import ${zones.join(', ')}.`,
});

export default tseslint.config(
  { ignores: ['dist/', 'out/', 'node_modules/', '.vscode-test/', 'test-results/', 'examples/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      eqeqeq: ['error', 'smart'],
    },
  },
  { files: ['**/*.js', '**/*.mjs', '**/*.cjs'], rules: { '@typescript-eslint/no-require-imports': 'off' } },
  zone(['src/core/**'], [vscodeImport, notInto('client', 'sandbox', 'cli', 'host', 'protocol')]),
  zone(['src/client/**'], [vscodeImport, notInto('sandbox', 'cli', 'host', 'protocol')]),
  zone(['src/sandbox/**'], [vscodeImport, notInto('client', 'cli', 'host', 'protocol')]),
  zone(['src/cli/**'], [vscodeImport, notInto('host')]),
  zone(['src/protocol/**'], [vscodeImport, notInto('client', 'sandbox', 'cli', 'host')]),
  zone(['webview/**'], [vscodeImport, { group: ['**/src/core/**', '**/src/client/**', '**/src/sandbox/**', '**/src/cli/**', '**/src/host/**'],
    message: 'The webview imports src/protocol only.' }]),
  { files: ['webview/**'], languageOptions: { globals: { ...globals.browser } } },
);
