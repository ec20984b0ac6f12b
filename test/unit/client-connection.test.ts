import assert from 'node:assert/strict';
import { test } from 'node:test';
import { checkClientId, ConnectionError, parseBindingKeys, parseClientId, parseTokenUrl, readPastedKeys, resolveConnection } from '../../src/client';

const KEYS = {
  clientId: 'makers01-pumpmonitor-v1.0.0-7731',
  tokenUrl: 'https://makers01.piam.eu1.mindsphere.io/oauth/token',
  clientSecret: 'q7Zx-secret-9f3K',
};

test('a PIAM token URL gives the tenant, the region and the gateway', () => {
  assert.deepEqual(parseTokenUrl(KEYS.tokenUrl), { tenant: 'makers01', region: 'eu1', gateway: 'https://gateway.eu1.mindsphere.io' });
  assert.deepEqual(parseTokenUrl('https://acme.piam.eu1-int.insights-hub.siemens.com/oauth/token?grant_type=client_credentials'),
    { tenant: 'acme', region: 'eu1-int', gateway: 'https://gateway.eu1-int.insights-hub.siemens.com' });
});

test('the sandbox token URL gives its own origin as the gateway', () => {
  assert.deepEqual(parseTokenUrl('http://127.0.0.1:43121/oauth/token'), { gateway: 'http://127.0.0.1:43121' });
  assert.deepEqual(parseTokenUrl('http://localhost:7000/oauth/token'), { gateway: 'http://localhost:7000' });
});

test('an app client id gives tenant, app (hyphens allowed) and version', () => {
  assert.deepEqual(parseClientId('makers01-pump-monitor-v2.10.3-98452440'),
    { tenant: 'makers01', app: 'pump-monitor', version: '2.10.3', serial: '98452440' });
  assert.equal(parseClientId('just-a-client'), undefined);
});

test('resolveConnection derives what it can and names what is wrong', () => {
  const c = resolveConnection({ name: '', ...KEYS });
  assert.equal(c.gateway, 'https://gateway.eu1.mindsphere.io');
  assert.equal(c.tenant, 'makers01');
  assert.equal(c.name, 'makers01');
  assert.equal(c.app?.app, 'pumpmonitor');
  // A given gateway wins, without a trailing slash (the Siemens SDK appends /api/... to it).
  assert.equal(resolveConnection({ name: 'x', ...KEYS, gateway: 'https://gateway.cn1.mindsphere-in.cn/' }).gateway, 'https://gateway.cn1.mindsphere-in.cn');
  assert.throws(() => resolveConnection({ name: 'x', ...KEYS, tokenUrl: 'https://login.example.com/token' }),
    (e: unknown) => e instanceof ConnectionError && /Cannot derive the gateway.*MDSP_GATEWAY/.test(e.message));
  assert.throws(() => resolveConnection({ name: 'x', ...KEYS, tokenUrl: 'http://makers01.piam.eu1.mindsphere.io/oauth/token' }),
    /unencrypted/);
  assert.throws(() => resolveConnection({ name: 'x', ...KEYS, clientSecret: '  ' }), /client secret is empty/);
  assert.throws(() => resolveConnection({ name: 'x', ...KEYS, tokenUrl: 'makers01.piam' }), /is not a URL/);
  assert.throws(() => resolveConnection({ name: 'x', ...KEYS, gateway: 'garbage' }), /gateway 'garbage' is not a URL\. It should look like https:\/\/gateway\.eu1/);
  for (const tokenUrl of ['https://bob:hunter2pw@makers01.piam.eu1.mindsphere.io/oauth/token', 'ftp://bob:hunter2pw@x/y', 'bob:hunter2pw@x']) {
    assert.throws(() => resolveConnection({ name: 'x', ...KEYS, tokenUrl }), (e: unknown) => e instanceof ConnectionError && !e.message.includes('hunter2pw'),
      `a password in the TokenURL is not repeated: ${tokenUrl}`);
  }
  assert.throws(() => resolveConnection({ name: 'x', ...KEYS, tokenUrl: 'https://bob:hunter2pw@makers01.piam.eu1.mindsphere.io/oauth/token' }),
    /TokenURL 'https:\/\/…@makers01\.piam\.eu1\.mindsphere\.io\/oauth\/token' carries a user name or password/);
});

test('binding keys pasted in any order, with colons, equals signs, tabs or newlines', () => {
  const variants = [
    `clientID: ${KEYS.clientId}\nTokenURL: ${KEYS.tokenUrl}\nclientSecret: ${KEYS.clientSecret}`,
    `clientSecret = ${KEYS.clientSecret}\r\nTokenURL ${KEYS.tokenUrl}\r\nclientID = ${KEYS.clientId}`,
    `TokenURL\t${KEYS.tokenUrl}\tclientSecret\n\n${KEYS.clientSecret}\nclientID\n${KEYS.clientId}\n`,
    `Client ID:\n${KEYS.clientId}\nToken URL:\n${KEYS.tokenUrl}\nClient Secret:\n${KEYS.clientSecret}`,
    JSON.stringify({ clientID: KEYS.clientId, TokenURL: KEYS.tokenUrl, clientSecret: KEYS.clientSecret }),
    // The three values copied one by one with the Copy buttons, without labels.
    `${KEYS.tokenUrl}\n${KEYS.clientSecret}\n${KEYS.clientId}`,
  ];
  for (const text of variants) {
    const c = parseBindingKeys(text);
    assert.deepEqual({ clientId: c.clientId, tokenUrl: c.tokenUrl, clientSecret: c.clientSecret }, KEYS, text);
    assert.equal(c.name, 'makers01');
  }
});

test('incomplete binding keys name what is missing', () => {
  assert.throws(() => parseBindingKeys(`clientID: ${KEYS.clientId}\nTokenURL:\nclientSecret: ${KEYS.clientSecret}`),
    (e: unknown) => e instanceof ConnectionError && /TokenURL is missing/.test(e.message));
  assert.throws(() => parseBindingKeys(''), /clientID, TokenURL, clientSecret are missing/);
});

test('unlabelled values whose client ID has no recognisable shape are refused, not guessed (the secret could be shown as the client ID)', () => {
  const serviceClientId = 'makers01-service-credentials';
  for (const text of [`${KEYS.tokenUrl}\n${KEYS.clientSecret}\n${serviceClientId}`, `${KEYS.tokenUrl}\n${serviceClientId}\n${KEYS.clientSecret}`]) {
    assert.throws(() => parseBindingKeys(text), (e: unknown) => e instanceof ConnectionError
      && /cannot be told apart.*with their labels/.test(e.message) && !e.message.includes(KEYS.clientSecret));
  }
  // With labels, the same values are read.
  const c = parseBindingKeys(`TokenURL ${KEYS.tokenUrl}\nclientSecret ${KEYS.clientSecret}\nclientID ${serviceClientId}`);
  assert.deepEqual([c.clientId, c.clientSecret], [serviceClientId, KEYS.clientSecret]);
});

test('the Add Connection box refuses what resolveConnection would refuse, with its message, while the text is in the box', () => {
  const messageOf = (f: () => unknown): string => {
    try {
      f();
    } catch (e) {
      assert.ok(e instanceof ConnectionError, String(e));
      return e.message;
    }
    return 'accepted';
  };
  const pastes = [
    `clientID a:b TokenURL ${KEYS.tokenUrl} clientSecret x`,
    `clientID ${KEYS.clientId} TokenURL http://makers01.piam.eu1.mindsphere.io/oauth/token clientSecret x`,
    `clientID ${KEYS.clientId} TokenURL ftp://makers01.piam.eu1.mindsphere.io/oauth/token clientSecret x`,
    `clientID ${KEYS.clientId} TokenURL https://bob:pw@makers01.piam.eu1.mindsphere.io/oauth/token clientSecret x`,
  ];
  for (const text of pastes) {
    const refused = messageOf(() => readPastedKeys(text));
    assert.notEqual(refused, 'accepted', text);
    assert.equal(refused, messageOf(() => resolveConnection(parseBindingKeys(text))), 'one rule, one message');
  }
  assert.match(messageOf(() => readPastedKeys(pastes[0]!)), /^The client ID 'a:b' contains ':'/);
  // A TokenURL alone (the other values follow one by one) is checked as well, and of any scheme it is named as a URL.
  assert.equal(messageOf(() => readPastedKeys('ftp://host/oauth/token')), "The TokenURL 'ftp://host/oauth/token' must start with https://.");
  assert.match(messageOf(() => readPastedKeys('http://makers01.piam.eu1.mindsphere.io/oauth/token')), /uses http:\/\/, which would send the binding keys/);
  assert.match(messageOf(() => readPastedKeys(`ftp://host/oauth/token\n${KEYS.clientSecret}\n${KEYS.clientId}`)), /TokenURL 'ftp:\/\/host\/oauth\/token' must start with https:\/\//);
  assert.deepEqual(readPastedKeys(` ${KEYS.tokenUrl} `), { tokenUrl: KEYS.tokenUrl });
  assert.deepEqual(readPastedKeys(`clientID ${KEYS.clientId} TokenURL ${KEYS.tokenUrl} clientSecret ${KEYS.clientSecret}`), KEYS);
  assert.deepEqual(readPastedKeys('http://127.0.0.1:4000/oauth/token'), { tokenUrl: 'http://127.0.0.1:4000/oauth/token' }, 'the sandbox');
  // The value-by-value client ID box uses the same rule.
  assert.equal(messageOf(() => checkClientId('a:b')), messageOf(() => readPastedKeys(pastes[0]!)));
});
