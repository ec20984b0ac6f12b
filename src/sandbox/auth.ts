// Tokens of the sandbox tenant: RS256 JWTs with a `kid`, signed by a key pair generated at start and published (one key,
// PEM `value`) at /token_keys, which is what the Siemens Node SDK verifies against (API §1.2, §1.9).
import { createHash, generateKeyPair, randomUUID, sign, verify, type KeyObject } from 'node:crypto';
import { promisify } from 'node:util';

/** The scopes the sandbox checks, named as MindSphere's roles and scopes are (API §1.3, §1.4). */
export const SCOPES = {
  assetsRead: 'mdsp:core:assetmanagement.standarduser',
  assetsAdmin: 'mdsp:core:assetmanagement.admin',
  timeSeriesRead: 'iot.tim.r',
  timeSeriesWrite: 'iot.tim.w',
  timeSeriesDelete: 'iot.tim.d',
  aggregatesRead: 'iot.tsa.r',
} as const;

export const ALL_SCOPES: readonly string[] = Object.values(SCOPES);

export interface TokenClaims {
  jti: string;
  sub: string;
  client_id: string;
  cid: string;
  azp: string;
  grant_type: 'client_credentials';
  scope: string[];
  ten: string;
  zid: string;
  iss: string;
  aud: string[];
  iat: number;
  exp: number;
}

export interface TokenResponse {
  access_token: string;
  token_type: 'Bearer';
  expires_in: number;
  scope: string;
  jti: string;
}

const base64url = (data: Buffer | string) => Buffer.from(data).toString('base64url');

/** A client secret derived from the seed: stable across runs, so scripts and docs can rely on it. */
export function defaultClientSecret(seed: string): string {
  return createHash('sha256').update(`mindsphere-makers-sandbox:${seed}`).digest('base64url').slice(0, 40);
}

export class TokenIssuer {
  /** Verified tokens, so each request costs a map lookup instead of an RSA verification. */
  private readonly verified = new Map<string, TokenClaims>();

  private constructor(
    private readonly privateKey: KeyObject,
    private readonly publicKey: KeyObject,
    readonly kid: string,
    readonly ttlSeconds: number,
  ) {}

  static async create(ttlSeconds: number): Promise<TokenIssuer> {
    const { privateKey, publicKey } = await promisify(generateKeyPair)('rsa', { modulusLength: 2048 });
    const kid = `sandbox-key-${createHash('sha256').update(publicKey.export({ type: 'spki', format: 'der' })).digest('hex').slice(0, 12)}`;
    return new TokenIssuer(privateKey, publicKey, kid, ttlSeconds);
  }

  /** The UAA `token_keys` document: exactly one key, with the PEM (line breaks kept) in `value`. */
  tokenKeys(): unknown {
    const jwk = this.publicKey.export({ format: 'jwk' });
    return {
      keys: [{ kty: 'RSA', alg: 'RS256', use: 'sig', kid: this.kid, value: this.publicKey.export({ type: 'spki', format: 'pem' }),
        n: jwk.n, e: jwk.e }],
    };
  }

  issue(options: { clientId: string; tenant: string; scopes: readonly string[]; issuer: string }): TokenResponse {
    const iat = Math.floor(Date.now() / 1000);
    const jti = randomUUID().replace(/-/g, '');
    const claims: TokenClaims = {
      jti, sub: options.clientId, client_id: options.clientId, cid: options.clientId, azp: options.clientId,
      grant_type: 'client_credentials', scope: [...options.scopes], ten: options.tenant, zid: options.tenant,
      iss: options.issuer, aud: [...new Set(options.scopes.map((s) => s.split(/[.:]/)[0] ?? s))], iat, exp: iat + this.ttlSeconds,
    };
    const header = base64url(JSON.stringify({ alg: 'RS256', kid: this.kid, typ: 'JWT' }));
    const payload = base64url(JSON.stringify(claims));
    const signature = sign('sha256', Buffer.from(`${header}.${payload}`), this.privateKey).toString('base64url');
    return { access_token: `${header}.${payload}.${signature}`, token_type: 'Bearer', expires_in: this.ttlSeconds,
      scope: options.scopes.join(' '), jti };
  }

  /** The claims of a valid, unexpired token of this tenant, or a sentence saying why not. */
  check(token: string): TokenClaims | string {
    let claims = this.verified.get(token);
    if (!claims) {
      const parts = token.split('.');
      if (parts.length !== 3) return 'the bearer token is not a JWT';
      const [header, payload, signature] = parts as [string, string, string];
      let ok: boolean;
      try {
        ok = verify('sha256', Buffer.from(`${header}.${payload}`), this.publicKey, Buffer.from(signature, 'base64url'));
      } catch {
        ok = false;
      }
      if (!ok) return 'the token signature does not match this tenant\'s key (was it issued by another tenant or an earlier sandbox run?)';
      try {
        claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as TokenClaims;
      } catch {
        return 'the token payload is not JSON';
      }
      if (this.verified.size > 10_000) this.verified.clear();
      this.verified.set(token, claims);
    }
    if (claims.exp * 1000 <= Date.now()) return `the token expired at ${new Date(claims.exp * 1000).toISOString()}`;
    return claims;
  }
}
