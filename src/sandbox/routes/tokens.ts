// Token endpoints: the tenant's PIAM `POST /oauth/token` (client credentials, API §1.2 A) with `GET /token_keys`, served
// at the root because the Siemens SDK derives them from the gateway (API §1.9 #1), and the Technical Token Manager
// `POST /api/technicaltokenmanager/v3/oauth/token` for app credentials (API §1.2 B).
import type { SandboxContext } from '../context';
import { ApiError, asObject, type Exchange, parseJson } from '../http';
import type { ApiModule } from '../router';

const TOKEN_BODY_MAX_BYTES = 64 * 1024;
const NO_STORE = { 'Cache-Control': 'no-store', Pragma: 'no-cache' };

const invalidClient = (message: string) =>
  new ApiError(401, 'unauthorized', message, 'invalid_client', { 'WWW-Authenticate': 'Basic realm="sandbox"' });

/** `Basic base64(id:secret)` → [id, secret], or undefined when the header is not Basic. */
function parseBasic(header: string | undefined): [string, string] | undefined {
  const m = /^\s*Basic\s+(\S+)\s*$/i.exec(header ?? '');
  if (!m) return undefined;
  const decoded = Buffer.from(m[1]!, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) throw invalidClient('The Basic credentials are malformed: expected base64 of "clientId:clientSecret".');
  return [decoded.slice(0, colon), decoded.slice(colon + 1)];
}

function checkSecret(ctx: SandboxContext, clientId: string, clientSecret: string): void {
  const c = ctx.credentials;
  if (clientId !== c.clientId) {
    throw invalidClient(`Bad credentials: client id '${clientId}' is not known in tenant ${c.tenant}; the sandbox's client id is '${c.clientId}'.`);
  }
  if (clientSecret !== c.clientSecret) throw invalidClient(`Bad credentials: the client secret does not match client id '${clientId}'.`);
}

/** Narrows the granted scopes to those requested (`scope=a b`), as UAA does; asking for more is `invalid_scope`. */
function grantedScopes(ctx: SandboxContext, requested: string | null): string[] {
  const granted = ctx.credentials.scopes;
  if (!requested || !requested.trim()) return [...granted];
  const asked = requested.split(/[\s,]+/).filter(Boolean);
  const unknown = asked.filter((s) => !granted.includes(s));
  if (unknown.length) {
    throw new ApiError(400, 'invalidParameter', `Invalid scope: ${unknown.join(', ')}. The client may request: ${granted.join(' ')}.`, 'invalid_scope');
  }
  return asked;
}

/** The parameters the token endpoint reads; others are ignored, as RFC 6749 §3.1 asks of unrecognized ones. */
const TOKEN_PARAMS = ['grant_type', 'scope', 'client_id', 'client_secret', 'subtenant'] as const;

/**
 * RFC 6749 §3.1: request parameters must not be included more than once. Taking the first (or last) of two would
 * hide a client bug, so a repeat within the query or within the body is refused. Once in each is accepted: the Mendix
 * TokenURL carries grant_type in its query while an OAuth library may send it in the body as well.
 */
function refuseRepeated(params: URLSearchParams, where: string, names: readonly string[] = TOKEN_PARAMS): void {
  for (const name of names) {
    const count = params.getAll(name).length;
    if (count > 1) {
      throw new ApiError(400, 'invalidParameter',
        `Parameter '${name}' appears ${count} times in the ${where}; an OAuth token request may include each parameter only once (RFC 6749 §3.1): send it once.`);
    }
  }
}

async function clientCredentialsToken(x: Exchange, ctx: SandboxContext): Promise<void> {
  // Form encoding is expected; a body sent without the right type (fetch defaults to text/plain) is still read as a form,
  // but JSON is refused with a pointer to the fix, as UAA does.
  const type = x.header('content-type') ?? '';
  if (/json/i.test(type)) {
    throw new ApiError(415, 'unsupportedMediaType',
      `Content-Type '${type}' is not supported: send the token request as application/x-www-form-urlencoded.`);
  }
  const form = new URLSearchParams((await x.body(TOKEN_BODY_MAX_BYTES)).toString('utf8'));
  refuseRepeated(x.query, 'query');
  refuseRepeated(form, 'form body');
  for (const name of TOKEN_PARAMS) {
    const [inQuery, inBody] = [x.query.get(name), form.get(name)];
    if (inQuery !== null && inBody !== null && inQuery !== inBody) {
      throw new ApiError(400, 'invalidParameter',
        `Parameter '${name}' is '${inQuery}' in the query but '${inBody}' in the form body: send it once, or the same in both.`);
    }
  }
  // The Mendix authenticator puts grant_type in the token URL's query, the SDKs in the body: both are accepted.
  const grant = form.get('grant_type') ?? x.query.get('grant_type');
  if (!grant) throw new ApiError(400, 'missingParameter', 'grant_type is missing: send grant_type=client_credentials in the body or the query.');
  if (grant !== 'client_credentials') {
    throw new ApiError(400, 'invalidParameter', `Unsupported grant type '${grant}': this tenant issues technical tokens with grant_type=client_credentials only.`,
      'unsupported_grant_type');
  }
  let credentials = parseBasic(x.header('authorization'));
  if (!credentials) {
    const id = form.get('client_id');
    const secret = form.get('client_secret');
    if (id === null || secret === null) {
      throw invalidClient('No client authentication: send Authorization: Basic base64(clientId:clientSecret).');
    }
    ctx.log(`warning: non-standard client authentication: client '${id}' sent client_id/client_secret in the form body; MindSphere expects Authorization: Basic.`);
    credentials = [id, secret];
  }
  checkSecret(ctx, ...credentials);
  const scopes = grantedScopes(ctx, form.get('scope') ?? x.query.get('scope'));
  const token = ctx.issuer.issue({ clientId: credentials[0], tenant: ctx.credentials.tenant, scopes, issuer: `${x.origin}/oauth/token` });
  const subtenant = form.get('subtenant');
  x.send(200, subtenant ? { ...token, subtenant } : token, NO_STORE);
}

const APP_FIELDS = ['appName', 'appVersion', 'hostTenant', 'userTenant'] as const;

async function technicalToken(x: Exchange, ctx: SandboxContext): Promise<void> {
  const credentials = parseBasic(x.header('x-space-auth-key')) ?? parseBasic(x.header('authorization'));
  if (!credentials) throw invalidClient('No app credentials: send X-SPACE-AUTH-KEY: Basic base64(clientId:clientSecret).');
  checkSecret(ctx, ...credentials);
  const raw = await x.body(TOKEN_BODY_MAX_BYTES);
  const inQuery = APP_FIELDS.some((f) => x.query.has(f));
  if (inQuery && raw.length > 0) {
    throw new ApiError(400, 'invalidParameter', 'Send appName, appVersion, hostTenant and userTenant either in the JSON body or in the query, not both.');
  }
  if (inQuery) refuseRepeated(x.query, 'query', APP_FIELDS);
  const params: Record<string, unknown> = inQuery ? Object.fromEntries(x.query) : raw.length ? asObject(parseJson(raw)) : {};
  const missing = APP_FIELDS.filter((f) => typeof params[f] !== 'string' || params[f] === '');
  if (missing.length) {
    throw new ApiError(400, 'missingRequestBodyProperty', `Missing ${missing.join(', ')}: the Token Manager needs appName, appVersion, hostTenant and userTenant.`);
  }
  const { tenant, clientId } = ctx.credentials;
  for (const f of ['hostTenant', 'userTenant'] as const) {
    if (params[f] !== tenant) throw new ApiError(403, 'forbidden', `${f} '${String(params[f])}' is not this tenant: the app credentials belong to tenant '${tenant}'.`);
  }
  // App credentials are issued for one app and version: `{tenant}-{app}-v{version}-{number}` (API §1.2 B).
  const m = /^[^-]+-(.+)-v(\d+\.\d+\.\d+)-\d+$/.exec(clientId);
  if (m && (params.appName !== m[1] || params.appVersion !== m[2])) {
    throw new ApiError(403, 'forbidden', `The app credentials belong to app '${m[1]}' version ${m[2]}, not '${String(params.appName)}' version ${String(params.appVersion)}.`);
  }
  const token = ctx.issuer.issue({ clientId, tenant, scopes: ctx.credentials.scopes, issuer: `${x.origin}/oauth/token` });
  x.send(200, token, NO_STORE);
}

export const oauthApi: ApiModule = {
  name: 'oauth',
  prefix: '/oauth',
  family: 'oauth',
  routes: [
    { method: 'POST', path: '/oauth/token', handle: clientCredentialsToken },
  ],
};

export const tokenKeysApi: ApiModule = {
  name: 'token keys',
  prefix: '/token_keys',
  family: 'oauth',
  routes: [{ method: 'GET', path: '/token_keys', handle: (x, ctx) => x.send(200, ctx.issuer.tokenKeys()) }],
};

export const tokenManagerApi: ApiModule = {
  name: 'technical token manager',
  prefix: '/api/technicaltokenmanager/v3',
  family: 'mdsp',
  routes: [{ method: 'POST', path: '/api/technicaltokenmanager/v3/oauth/token', handle: technicalToken }],
};
