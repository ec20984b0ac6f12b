// Connections: the binding keys (clientID, TokenURL, clientSecret) plus what can be derived from them. MindSphere
// encodes the tenant and region in the PIAM token URL and the tenant, app and version in an app client id, so a maker
// only has to paste the three values the Service Management Dashboard shows once.

/** What a user enters or pastes. `gateway` and `tenant` are optional: they are derived where possible. */
export interface Connection {
  readonly name: string;
  readonly tokenUrl: string;
  readonly clientId: string;
  readonly clientSecret: string;
  readonly gateway?: string;
  readonly tenant?: string;
}

/** A connection ready to use: the gateway is known (no trailing slash) and everything derivable is filled in. */
export interface ResolvedConnection extends Connection {
  readonly gateway: string;
  readonly region?: string;
  readonly app?: ClientIdParts;
}

export interface ClientIdParts {
  readonly tenant: string;
  readonly app: string;
  readonly version: string;
  readonly serial: string;
}

/** A connection whose values cannot work; the message says which value and what to do. */
export class ConnectionError extends Error {
  override readonly name = 'ConnectionError';
}

const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]', '::1']);

export function isLoopbackHost(hostname: string): boolean {
  return LOOPBACK_HOSTS.has(hostname.toLowerCase());
}

/** `tenant-app-vX.Y.Z-nnnn` (Developer Cockpit app credentials, API §1.2 B). The app name may contain hyphens. */
export function parseClientId(clientId: string): ClientIdParts | undefined {
  const m = /^([a-z0-9]+)-(.+)-v(\d+\.\d+\.\d+)-(\d+)$/i.exec(clientId.trim());
  if (!m) return undefined;
  const [, tenant = '', app = '', version = '', serial = ''] = m;
  return { tenant, app, version, serial };
}

export interface TokenUrlParts {
  /** Where API calls go: `https://gateway.{region}.{domain}`, or the origin itself for a loopback sandbox. */
  readonly gateway?: string;
  readonly tenant?: string;
  readonly region?: string;
}

/**
 * Derives the gateway, tenant and region from a token URL:
 * `https://{tenant}.piam.{region}.{domain}/oauth/token` → `https://gateway.{region}.{domain}`;
 * `http://127.0.0.1:PORT/oauth/token` (the sandbox) → `http://127.0.0.1:PORT`.
 */
export function parseTokenUrl(tokenUrl: string): TokenUrlParts {
  const url = parseUrl(tokenUrl, 'TokenURL');
  if (isLoopbackHost(url.hostname)) return { gateway: url.origin };
  const m = /^([a-z0-9-]+)\.piam\.([a-z0-9-]+)\.(.+)$/i.exec(url.hostname);
  if (!m) return {};
  const [, tenant = '', region = '', domain = ''] = m;
  return { tenant, region, gateway: `${url.protocol}//gateway.${region}.${domain}${url.port ? `:${url.port}` : ''}` };
}

/** The three binding keys, as pasted or entered. */
export type BindingKeys = Pick<Connection, 'tokenUrl' | 'clientId' | 'clientSecret'>;

/** Checks a TokenURL (a URL, https:// except to this machine, no user:password@) and returns it trimmed. */
export function checkTokenUrl(text: string): string {
  const tokenUrl = text.trim();
  if (!tokenUrl) throw new ConnectionError('The TokenURL is empty. Paste the TokenURL from the binding keys.');
  requireSafeTransport(parseUrl(tokenUrl, 'TokenURL'), 'TokenURL');
  return tokenUrl;
}

/** Checks a client ID and returns it trimmed. */
export function checkClientId(text: string): string {
  const clientId = text.trim();
  if (!clientId) throw new ConnectionError('The client ID is empty. Paste the clientID from the binding keys.');
  // Basic auth joins id and secret with ':', so an id containing one cannot be sent unambiguously (API §1.9.2).
  if (clientId.includes(':')) throw new ConnectionError(`The client ID '${clientId}' contains ':', which no MindSphere client ID does. Check that you pasted the clientID and not a URL.`);
  return clientId;
}

/**
 * The rules of the binding keys themselves (the gateway aside): resolveConnection applies them, and so does the input
 * box they are pasted into, so a mistake is shown while the text is still there to fix. Returns the keys trimmed.
 */
export function checkBindingKeys(keys: BindingKeys): BindingKeys {
  const tokenUrl = checkTokenUrl(keys.tokenUrl);
  const clientId = checkClientId(keys.clientId);
  const clientSecret = keys.clientSecret.trim();
  if (!clientSecret) throw new ConnectionError('The client secret is empty. Paste the clientSecret from the binding keys.');
  return { tokenUrl, clientId, clientSecret };
}

/** Starts like a URL, of any scheme: a TokenURL of the wrong one is then named as such, not taken for something else. */
const URL_LIKE = /^[a-z][\w+.-]*:\/\//i;

/** Text that is a single URL: a TokenURL alone. */
export function isSingleUrl(text: string): boolean {
  const t = text.trim();
  return URL_LIKE.test(t) && !/\s/.test(t);
}

/**
 * Reads what was pasted into the Add Connection box: the binding keys (see parseBindingKeys), or a TokenURL alone (the
 * other values are then entered one by one), checked by the rules of resolveConnection. Throws a ConnectionError.
 */
export function readPastedKeys(text: string): BindingKeys | { readonly tokenUrl: string; readonly clientId?: undefined } {
  if (isSingleUrl(text)) return { tokenUrl: checkTokenUrl(text) };
  return checkBindingKeys(parseBindingKeys(text));
}

/** Checks a connection and fills in the gateway, tenant, region and app, or throws a ConnectionError. */
export function resolveConnection(connection: Connection): ResolvedConnection {
  const { tokenUrl, clientId, clientSecret } = checkBindingKeys(connection);

  const derived = parseTokenUrl(tokenUrl);
  const gatewayText = connection.gateway?.trim() || derived.gateway;
  if (!gatewayText) {
    throw new ConnectionError(
      `Cannot derive the gateway from the TokenURL '${tokenUrl}' (it is not of the form https://{tenant}.piam.{region}.{domain}/oauth/token). Set the gateway, e.g. https://gateway.eu1.mindsphere.io (MDSP_GATEWAY on the command line).`,
    );
  }
  const gatewayUrl = parseUrl(gatewayText, 'gateway');
  requireSafeTransport(gatewayUrl, 'gateway');
  if (gatewayUrl.search || gatewayUrl.hash) throw new ConnectionError(`The gateway '${gatewayText}' has a query or fragment; give just its address, e.g. https://gateway.eu1.mindsphere.io.`);
  const gateway = `${gatewayUrl.origin}${gatewayUrl.pathname}`.replace(/\/+$/, '');
  const app = parseClientId(clientId);
  const tenant = connection.tenant?.trim() || derived.tenant || app?.tenant;
  return {
    ...connection,
    name: connection.name.trim() || tenant || clientId,
    tokenUrl,
    clientId,
    clientSecret,
    gateway,
    ...(tenant ? { tenant } : {}),
    ...(derived.region ? { region: derived.region } : {}),
    ...(app ? { app } : {}),
  };
}

const URL_EXAMPLES: Record<'TokenURL' | 'gateway', string> = { TokenURL: 'https://mytenant.piam.eu1.mindsphere.io/oauth/token', gateway: 'https://gateway.eu1.mindsphere.io' };

function parseUrl(text: string, label: 'TokenURL' | 'gateway'): URL {
  // Messages show the URL without any user:password@ in it: they end up in logs.
  const shown = text.trim().replace(/^([a-z][\w+.-]*:\/\/)?[^/@\s]*@/i, '$1…@');
  let url: URL;
  try {
    url = new URL(text.trim());
  } catch {
    throw new ConnectionError(`The ${label} '${shown}' is not a URL. It should look like ${URL_EXAMPLES[label]}.`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new ConnectionError(`The ${label} '${shown}' must start with https://.`);
  }
  if (url.username || url.password) {
    throw new ConnectionError(`The ${label} '${shown}' carries a user name or password. Remove them: the binding keys are what authenticates.`);
  }
  return url;
}

/** Credentials and tokens travel in clear text over http: allow it only to this machine (the sandbox). */
function requireSafeTransport(url: URL, label: 'TokenURL' | 'gateway'): void {
  if (url.protocol === 'http:' && !isLoopbackHost(url.hostname)) {
    throw new ConnectionError(`The ${label} '${url.href}' uses http://, which would send the binding keys and tokens unencrypted. Use https:// (plain http is only allowed for the local sandbox).`);
  }
}

const LABELS = {
  clientId: /client[\s_-]*id/iy,
  tokenUrl: /token[\s_-]*url/iy,
  clientSecret: /client[\s_-]*secret/iy,
} as const;
type Field = keyof typeof LABELS;
const FIELD_NAMES: Record<Field, string> = { clientId: 'clientID', tokenUrl: 'TokenURL', clientSecret: 'clientSecret' };

/**
 * Reads the text of the binding keys pop-up (clientID, TokenURL and clientSecret, labelled, in any order, separated by
 * ':', '=', spaces, tabs or newlines, optionally quoted as in JSON) into a connection. Three unlabelled lines are
 * accepted too: the URL is the TokenURL, the value shaped like `tenant-app-vX.Y.Z-nnnn` the client ID, the remaining
 * one the secret. Throws a ConnectionError naming what is missing, or when unlabelled values cannot be told apart.
 */
export function parseBindingKeys(text: string, name = ''): Connection {
  const found = findLabelled(text) ?? findUnlabelled(text);
  const missing = (Object.keys(FIELD_NAMES) as Field[]).filter((f) => !found[f]).map((f) => FIELD_NAMES[f]);
  if (missing.length > 0) {
    throw new ConnectionError(`The binding keys are incomplete: ${missing.join(', ')} ${missing.length === 1 ? 'is' : 'are'} missing. Copy all three values (clientID, TokenURL, clientSecret) from the pop-up.`);
  }
  const connection = { name, tokenUrl: found.tokenUrl ?? '', clientId: found.clientId ?? '', clientSecret: found.clientSecret ?? '' };
  return { ...connection, name: name || parseTokenUrl(connection.tokenUrl).tenant || parseClientId(connection.clientId)?.tenant || connection.clientId };
}

type Found = Partial<Record<Field, string>>;

function findLabelled(text: string): Found | undefined {
  const found: Found = {};
  let any = false;
  // Scan left to right: at each position try every label; after a label, skip separators and take the value.
  for (let i = 0; i < text.length; i++) {
    if (i > 0 && /[A-Za-z0-9]/.test(text[i - 1] ?? '')) continue; // labels start at a word boundary
    for (const field of Object.keys(LABELS) as Field[]) {
      const re = LABELS[field];
      re.lastIndex = i;
      const m = re.exec(text);
      if (!m) continue;
      const after = /["']?[ \t\r\n]*[:=]?[ \t\r\n]*["']?([^\s"',;]+)/y;
      after.lastIndex = i + m[0].length;
      const v = after.exec(text);
      any = true;
      const value = v?.[1];
      // A value that is itself the next label means this label had none: leave that label to the next round.
      if (value && !isLabel(value)) {
        if (!found[field]) found[field] = value;
        i = after.lastIndex - 1;
      } else {
        i += m[0].length - 1;
      }
      break;
    }
  }
  return any ? found : undefined;
}

function isLabel(word: string): boolean {
  return (Object.values(LABELS) as RegExp[]).some((re) => new RegExp(`^${re.source}:?$`, 'i').test(word));
}

function findUnlabelled(text: string): Found {
  const values = text.split(/\s+/).map((v) => v.replace(/^["']|["',;]$/g, '')).filter(Boolean);
  const found: Found = {};
  const rest: string[] = [];
  for (const v of values) {
    if (!found.tokenUrl && URL_LIKE.test(v)) found.tokenUrl = v;
    else if (!found.clientId && parseClientId(v)) found.clientId = v;
    else rest.push(v);
  }
  // Without the client ID's shape there is no telling it from the secret, and a guess the wrong way round would show
  // the secret wherever the client ID is shown (the name prompt, the log, error messages).
  if (!found.clientId && rest.length > 1) {
    throw new ConnectionError('Without their labels, the clientID and the clientSecret cannot be told apart (the clientID is not of the form tenant-app-vX.Y.Z-nnnn). Paste them with their labels (clientID: …, clientSecret: …), or enter just the TokenURL to give each value on its own.');
  }
  if (rest.length === 1) found.clientSecret = rest[0];
  return found;
}
