// mdsp/secret-in-file on the files a Mendix or Node maker keeps next to the app.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { lint, squiggles } from './helpers';

const SECRET = 'Xk9#2mPq7vLw4tZa8sB1';
const ID = 'secret-in-file';

test('finds client secrets in .env, manifest.yml, JSON, .properties and .http files, never repeating them', () => {
  const cases: Array<[string, string, string]> = [
    ['.env', `MDSP_CLIENT_ID=makers01-app-v1.0.0-7731\nMDSP_CLIENT_SECRET=${SECRET}\n`, SECRET],
    ['.env.production', `export MX_MindSphereIIotAuthenticator_ClientSecret="${SECRET}"\r\n`, SECRET],
    ['manifest.yml', `applications:\n- name: pumps\n  env:\n    MX_MindSphereIIotAuthenticator_ClientSecret: '${SECRET}'  # set here for now\n`, SECRET],
    ['config/settings.json', `{\n  "constants": { "MindSphereIIotAuthenticator.ClientSecret": "${SECRET}" }\n}\n`, SECRET],
    ['application.properties', `mindsphere.client-secret = ${SECRET}\n`, SECRET],
    ['pumps.http', `@clientSecret = ${SECRET}\n\n###\nPOST {{tokenUrl}}\nAuthorization: Basic bWFrZXJzMDE6c2VjcmV0c2VjcmV0\n`, SECRET],
  ];
  for (const [file, text, secret] of cases) {
    const findings = lint(file, text).filter((f) => f.ruleId === `mdsp/${ID}`);
    assert.ok(findings.length >= 1, file);
    assert.equal(text.slice(findings[0]?.range.start, findings[0]?.range.end), secret, file);
    assert.equal(findings[0]?.severity, 'error');
    for (const f of findings) assert.ok(!f.message.includes(secret) && !f.message.includes('bWFrZXJz'), `${file} leaks the secret`);
  }
  const basic = lint('pumps.http', cases[5]?.[1] ?? '');
  assert.deepEqual(squiggles(cases[5]?.[1] ?? '', basic, `mdsp/${ID}`).map(([t]) => t), [SECRET, 'bWFrZXJzMDE6c2VjcmV0c2VjcmV0']);
});

test('leaves references, placeholders, empty values and unrelated keys alone', () => {
  const clean: Array<[string, string]> = [
    ['.env', 'MDSP_CLIENT_SECRET=\nMDSP_CLIENT_ID=makers01-app-v1.0.0-7731\nCLIENT_SECRET=${VAULT_SECRET}\n'],
    ['.env.example', 'MDSP_CLIENT_SECRET=<your client secret>\nMX_MindSphereIIotAuthenticator_ClientSecret=changeme\n'],
    ['manifest.yml', 'applications:\n- name: pumps\n  env:\n    MX_MindSphereIIotAuthenticator_ClientSecret: ((client_secret))\n'],
    ['package.json', '{\n  "name": "pumps",\n  "scripts": { "start": "node index.js" },\n  "clientSecret": "***"\n}\n'],
    ['pumps.http', '@clientSecret = {{$processEnv MDSP_CLIENT_SECRET}}\n\n###\nPOST {{tokenUrl}}\nAuthorization: Basic {{basic}}\n'],
    ['app.properties', 'mindsphere.client-id = makers01-app-v1.0.0-7731\nmindsphere.password.policy = strong\n'],
  ];
  for (const [file, text] of clean) assert.deepEqual(lint(file, text), [], file);
});

test('offers a reference in place of the secret, never as a fix applied unasked', () => {
  const findings = lint('manifest.yml', `env:\n  MDSP_CLIENT_SECRET: ${SECRET}\n`);
  assert.deepEqual(findings[0]?.fixes.map((f) => [f.edits[0]?.newText, f.isPreferred]), [['((client_secret))', false]]);
});
