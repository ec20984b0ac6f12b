// mdsp/secret-in-file: a client secret (or a Mendix `MX_…_ClientSecret` constant) written in a workspace file. Binding
// keys must stay out of the app model and the repository (seed §6): set them at deployment, or keep them in VS Code's
// secret storage. The finding never repeats the secret.
import type { Reporter, Rule } from '../rule';

/** Keys that hold a client secret: clientSecret, client_secret, MDSP_CLIENT_SECRET, MX_…_ClientSecret, …ClientSecret. */
const SECRET_KEY = /client[_.-]?secret$/i;
/** Values that are clearly not a secret: empty, references, template placeholders, masks and sample text. */
const NOT_A_SECRET = /^(?:\$\{.*\}|\$[A-Za-z_]\w*|\{\{.*\}\}|\(\(.*\)\)|<.*>|%.*%|\*+|x+|\.{3}|(?:change|replace)[-_ ]?me|todo|your\b.*|your[-_].*|secret|client[-_ ]?secret|null|none|undefined|env\(.*\)|process\.env.*)$/i;
/** Real client secrets are long random strings; short values are samples. */
const MIN_LENGTH = 8;

type Format = 'env' | 'properties' | 'yaml' | 'json' | 'http';

/** The names secretFileFormat reads, as globs (for a search that lists candidates before they are read). */
export const SECRET_FILE_GLOBS: readonly string[] = ['.env', '.env.*', '*.env', '*.properties', '*.yml', '*.yaml', '*.json', '*.http', '*.rest'];

export function secretFileFormat(fileName: string): Format | undefined {
  const base = fileName.replace(/^.*[\\/]/, '').toLowerCase();
  if (base === '.env' || base.startsWith('.env.') || base.endsWith('.env')) return 'env';
  if (base.endsWith('.properties')) return 'properties';
  if (base.endsWith('.yml') || base.endsWith('.yaml')) return 'yaml';
  if (base.endsWith('.json')) return 'json';
  if (base.endsWith('.http') || base.endsWith('.rest')) return 'http';
  return undefined;
}

const LINE_PATTERNS: Readonly<Record<Exclude<Format, 'json'>, RegExp>> = {
  env: /^[ \t]*(?:export[ \t]+)?([\w.-]+)[ \t]*=[ \t]*(.*?)[ \t]*$/gmd,
  properties: /^[ \t]*([\w.-]+)[ \t]*[=:][ \t]*(.*?)[ \t]*$/gmd,
  yaml: /^[ \t]*(?:-[ \t]*)?["']?([\w.-]+)["']?[ \t]*:[ \t]*(.*?)[ \t]*$/gmd,
  http: /^[ \t]*@([\w.-]+)[ \t]*=[ \t]*(.*?)[ \t]*$/gmd,
};
const JSON_PAIR = /"([\w.-]+)"\s*:\s*"((?:[^"\\\n]|\\.)*)"/gd;
/** A Basic credential written out in an .http header (a `{{variable}}` is fine). */
const BASIC_HEADER = /^[ \t]*(?:authorization|x-space-auth-key)[ \t]*:[ \t]*basic[ \t]+([A-Za-z0-9+/=]{12,})[ \t]*$/gimd;

const ADVICE: Readonly<Record<Format, string>> = {
  env: 'Keep this file out of git (.gitignore) and rotate the keys if it was ever committed.',
  properties: 'Read it from an environment variable at run time instead.',
  yaml: 'In a Cloud Foundry manifest use a ((variable)) or `cf set-env`; elsewhere read it from the environment.',
  json: 'Set it at deployment (Mendix: the constant in the environment\'s Model Options) or read it from the environment.',
  http: 'Use {{$processEnv MDSP_CLIENT_SECRET}} or a variable from a git-ignored environment file instead.',
};

/** Where a capture group starts (the patterns use the `d` flag for exact indices). */
const groupStart = (m: RegExpExecArray | RegExpMatchArray, group: number): number => m.indices?.[group]?.[0] ?? m.index ?? 0;

/** The value without quotes and without a trailing ` # comment` (YAML and .env; a `#` inside quotes or a word stays). */
function bare(format: Format, raw: string): string {
  const value = raw.replace(/\r$/, '');
  const quoted = /^(["'])(.*?)\1/.exec(value);
  if (quoted) return quoted[2] ?? '';
  return format === 'yaml' || format === 'env' ? value.replace(/\s+#.*$/, '') : value;
}

function check(format: Format, key: string, value: string, valueStart: number, report: Reporter): void {
  const unquoted = bare(format, value);
  if (!SECRET_KEY.test(key) || unquoted.length < MIN_LENGTH || NOT_A_SECRET.test(unquoted)) return;
  const start = valueStart + value.indexOf(unquoted);
  const replacement = format === 'http' ? '{{$processEnv MDSP_CLIENT_SECRET}}' : format === 'yaml' ? '((client_secret))' : undefined;
  report({
    start,
    end: start + unquoted.length,
    message: `A client secret is written in this file (${key}): anyone who can read the file or the repository can use ` +
      `these binding keys. ${ADVICE[format]}`,
    fixes: replacement ? [{ title: `Replace the secret with ${replacement}`, isPreferred: false,
      edits: [{ start, end: start + unquoted.length, newText: replacement }] }] : [],
  });
}

export const secretInFile: Rule = {
  meta: {
    id: 'mdsp/secret-in-file',
    severity: 'error',
    description: 'A client secret (or an MX_..._ClientSecret constant) written in a workspace file.',
  },
  text(fileName, text, report) {
    const format = secretFileFormat(fileName);
    // Most files (and most .http blocks) name no secret at all: skip them with one cheap test.
    if (!format || !/secret|basic/i.test(text)) return;
    if (format === 'json') {
      for (const m of text.matchAll(JSON_PAIR)) check(format, m[1] as string, m[2] as string, groupStart(m, 2), report);
      return;
    }
    for (const m of text.matchAll(LINE_PATTERNS[format])) check(format, m[1] as string, m[2] as string, groupStart(m, 2), report);
    if (format === 'http') {
      for (const m of text.matchAll(BASIC_HEADER)) {
        const start = groupStart(m, 1);
        report({ start, end: start + (m[1] as string).length,
          message: `A Basic credential (client ID and secret, base64-encoded) is written in this file: anyone who can read it ` +
            `can use these binding keys. ${ADVICE.http}` });
      }
    }
  },
};
