// Removes secrets from text before it is logged or shown. Every log line of the extension and the CLI passes through
// here, so a token or client secret that reaches an error message still never reaches a log or the output channel.

const PATTERNS: ReadonlyArray<[RegExp, string]> = [
  // Authorization headers: Bearer tokens and Basic credentials (12+ characters, so prose such as "the bearer token"
  // stays readable; no real token or base64 'id:secret' is that short).
  [/\b(Bearer|Basic)\s+[A-Za-z0-9\-._~+/]{12,}=*/gi, '$1 ***'],
  // X-SPACE-AUTH-KEY headers carry Basic credentials too.
  [/(x-space-auth-key["']?\s*[:=]\s*["']?)[^"'\s,}]+/gi, '$1***'],
  // Anything shaped like a JWT (three base64url parts, the first one a JSON header).
  [/\beyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]*/g, '***jwt***'],
  // key=value and "key": "value" forms of secret-bearing fields.
  [/((?:client_?secret|clientSecret|access_token|refresh_token|password)["']?\s*[:=]\s*["']?)[^"'&\s,}]+/gi, '$1***'],
];

const known = new Set<string>();

/** Registers a value (a client secret, a token) to be masked wherever it appears, even without a recognisable label. */
export function registerSecret(value: string | undefined): void {
  if (value && value.length >= 6) known.add(value);
}

export function redact(text: string): string {
  let out = text;
  for (const secret of known) out = out.split(secret).join('***');
  for (const [pattern, replacement] of PATTERNS) out = out.replace(pattern, replacement);
  return out;
}

/** Longer than any token or secret: a secret that starts within an excerpt ends within this much more text. */
const LONGEST_SECRET = 16 * 1024;

/**
 * The first `maxChars` characters of `text`, redacted. Redacted before it is cut: a secret cut in two no longer matches
 * its registered value or its pattern, and its first characters would be shown.
 */
export function redactedExcerpt(text: string, maxChars: number): string {
  return redact(text.slice(0, maxChars + LONGEST_SECRET)).slice(0, maxChars);
}

