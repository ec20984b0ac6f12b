// Reading the saved connections back from global state, without VS Code: a damaged list (by an older version, a sync
// conflict, a hand edit) gives each connection once, never the Sandbox's id, and only well-formed entries.
import * as assert from 'node:assert/strict';
import { test } from 'node:test';
import { SANDBOX_ID, savedConnections } from '../../src/host/connections/saved';

const entry = (id: string, name = id) => ({ id, name, tokenUrl: 'https://t1.piam.eu1.mindsphere.io/oauth/token', clientId: 't1-app', gateway: 'https://gateway.eu1.mindsphere.io' });

test('a damaged connection list: the first entry per id, not the Sandbox\'s id, tenant and region strings or absent', () => {
  const stored = [
    entry('a', 'First'), entry('a', 'Second'), entry(SANDBOX_ID, 'Not the Sandbox'),
    { ...entry('b'), tenant: 't1', region: 'eu1' }, { ...entry('c'), tenant: 42 }, { ...entry('d'), region: { x: 1 } }, null, 'e',
  ];
  assert.deepEqual(savedConnections(stored).map((c) => `${c.id}:${c.name}`), ['a:First', 'b:b']);
  assert.deepEqual(savedConnections({ a: entry('a') }), []);
});
