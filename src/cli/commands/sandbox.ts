// `mdsp-makers sandbox`: runs the sandbox tenant until Ctrl+C (SIGINT) or SIGTERM. With --json it prints one line with
// the connection when ready, for scripts and `npm start`; otherwise a banner with the same facts for people.
import { isIP } from 'node:net';
import type { FaultOptions, RequestEvent, SandboxOptions } from '../../sandbox';
import { parseCommandArgs } from '../credentials';
import { type CliCommand, untilStopped, UsageError } from '../io';

const OPTIONS = {
  port: { type: 'string' },
  host: { type: 'string' },
  seed: { type: 'string' },
  assets: { type: 'string' },
  latency: { type: 'string' },
  faults: { type: 'string' },
  'rate-limit': { type: 'string' },
  'token-ttl': { type: 'string' },
  'points-per-second': { type: 'string' },
  'data-dir': { type: 'string' },
  json: { type: 'boolean' },
  verbose: { type: 'boolean' },
} as const;

const FAULT_KEYS: Record<string, keyof FaultOptions> = {
  '429': 'rate429', '500': 'rate500', '503': 'rate503', reset: 'rateReset', 'retry-after': 'retryAfterSeconds',
};

/** `429=0.1,500=0.05,503=0.02,reset=0.01,retry-after=2`: probabilities per request, and the Retry-After seconds. */
export function parseFaults(spec: string): FaultOptions {
  const faults: FaultOptions = {};
  for (const part of spec.split(',').map((p) => p.trim()).filter(Boolean)) {
    const [key = '', value = '', ...rest] = part.split('=');
    const field = FAULT_KEYS[key.trim()];
    const n = Number(value);
    if (!field || rest.length || value.trim() === '' || !Number.isFinite(n)) {
      throw new UsageError(`--faults: '${part}' is not KEY=NUMBER with KEY one of ${Object.keys(FAULT_KEYS).join(', ')} (e.g. --faults 429=0.1,500=0.05,reset=0.02).`);
    }
    if (field === 'retryAfterSeconds' ? n < 0 : n < 0 || n > 1) {
      throw new UsageError(`--faults: ${key} must be ${field === 'retryAfterSeconds' ? 'a number of seconds ≥ 0' : 'a probability from 0 to 1'}, not ${value}.`);
    }
    faults[field] = n;
  }
  return faults;
}

function number(text: string | undefined, flag: string, min: number, max: number, integer = true): number | undefined {
  if (text === undefined) return undefined;
  const n = Number(text);
  if (text.trim() === '' || !Number.isFinite(n) || (integer && !Number.isInteger(n)) || n < min || n > max) {
    throw new UsageError(`${flag} must be ${integer ? 'a whole number' : 'a number'} from ${min} to ${max}, not '${text}'.`);
  }
  return n;
}

/** The status, or what happened to a request that got none. */
function outcome(e: RequestEvent): string {
  if (e.reset) return 'reset (injected fault)';
  return e.status === 0 ? 'no response (client gone or sandbox closing)' : String(e.status);
}

function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || (isIP(host) === 4 && host.startsWith('127.'));
}

const command: CliCommand = {
  summary: 'Run the sandbox tenant: a local MindSphere with a seeded plant, generated time series and the same URLs, JSON ' +
    'shapes, limits and errors, until Ctrl+C. It binds 127.0.0.1 unless --host says otherwise.\n\n' +
    '  --faults      injected failures, e.g. 429=0.1,500=0.05,503=0.02,reset=0.01,retry-after=2\n' +
    '  --rate-limit  requests per endpoint per 30 s, then 429 with Retry-After\n' +
    '  --data-dir    keep written time series, types, assets and contracts in DIR across restarts\n' +
    '  --json        print {"gateway","tokenUrl","clientId","clientSecret","tenant"} on one line when ready\n' +
    '  --verbose     log every request on stderr\n\nSee docs/sandbox.md.',
  usage: 'mdsp-makers sandbox [--port 0] [--host 127.0.0.1] [--seed makers] [--assets N] [--latency MS] [--faults SPEC] ' +
    '[--rate-limit N] [--token-ttl S] [--points-per-second N] [--data-dir DIR] [--json] [--verbose]',
  async run(args, io) {
    const { values: v } = parseCommandArgs(args, OPTIONS, 0);
    const host = v.host ?? '127.0.0.1';
    if (v.host !== undefined && v.host.trim() === '') throw new UsageError('--host needs an address, e.g. --host 127.0.0.1.');
    if (!isLoopback(host)) {
      // Only an explicit --host gets here; say what it means, since the credentials are fixed and printed.
      io.stderr(`warning: --host ${host} makes the sandbox reachable from other machines; anyone who can reach it can use its ` +
        'credentials (they are derived from the seed). Use it only on a trusted network.\n');
    }
    if (v['data-dir'] !== undefined && v['data-dir'].trim() === '') throw new UsageError('--data-dir needs a directory, e.g. --data-dir ./sandbox-data.');
    const options: SandboxOptions = {
      host,
      port: number(v.port, '--port', 0, 65535) ?? 0,
      ...(v.seed !== undefined ? { seed: v.seed } : {}),
      assets: number(v.assets, '--assets', 1, 1_000_000),
      latencyMs: number(v.latency, '--latency', 0, 600_000),
      faults: v.faults !== undefined ? parseFaults(v.faults) : undefined,
      rateLimit: number(v['rate-limit'], '--rate-limit', 1, 1_000_000),
      tokenTtlSeconds: number(v['token-ttl'], '--token-ttl', 1, 31_536_000),
      pointsPerSecond: number(v['points-per-second'], '--points-per-second', 0.001, 1000, false),
      dataDir: v['data-dir'],
      log: (line) => io.stderr(`${line}\n`),
      ...(v.verbose ? { onRequest: (e) => io.stderr(`${e.route} → ${outcome(e)} (${e.durationMs.toFixed(1)} ms)\n`) } : {}),
    };
    const { startSandbox } = await import('../../sandbox');
    let sandbox;
    try {
      sandbox = await startSandbox(options);
    } catch (error) {
      const code = (error as { code?: string }).code;
      if (code === 'EADDRINUSE') throw new UsageError(`port ${options.port} on ${host} is in use; choose another with --port, or --port 0 for a free one.`);
      if (code === 'EADDRNOTAVAIL' || code === 'ENOTFOUND') throw new UsageError(`cannot listen on ${host}: no such local address.`);
      throw error;
    }
    const facts = { gateway: sandbox.url, tokenUrl: sandbox.tokenUrl, clientId: sandbox.clientId, clientSecret: sandbox.clientSecret, tenant: sandbox.tenant };
    if (v.json) io.stdout(`${JSON.stringify(facts)}\n`);
    else {
      io.stdout([
        `MindSphere sandbox tenant '${facts.tenant}' is running.`,
        `  Gateway        ${facts.gateway}`,
        `  TokenURL       ${facts.tokenUrl}`,
        `  ClientID       ${facts.clientId}`,
        `  ClientSecret   ${facts.clientSecret}`,
        '',
        `Try: curl -s -u '${facts.clientId}:${facts.clientSecret}' -d grant_type=client_credentials ${facts.tokenUrl}`,
        'Press Ctrl+C to stop.',
        '',
      ].join('\n'));
    }
    await untilStopped(io);
    await sandbox.close();
    io.stderr('Sandbox tenant stopped.\n');
    return 0;
  },
};

export default command;
