// How the data commands of the CLI get a connection: the environment variables MDSP_TOKEN_URL, MDSP_CLIENT_ID,
// MDSP_CLIENT_SECRET (and MDSP_GATEWAY when the token URL is not a PIAM URL), or `--sandbox`, which starts the sandbox
// tenant in this process. Also the shared argument parsing and error reporting of those commands, so each command is
// only what it does.
import { stat } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import {
  type Connection, ConnectionError, createClient, InputError, MindSphereError, type MindSphereClient, toRange,
} from '../client';
import { LIMITS } from '../core/limits';
import type { PageWriter } from '../core/tabular';
import { redact } from '../core/redact';
import { type CliIO, UsageError } from './io';
import { openReplacement } from './replace-file';

export const ENV = {
  tokenUrl: 'MDSP_TOKEN_URL',
  clientId: 'MDSP_CLIENT_ID',
  clientSecret: 'MDSP_CLIENT_SECRET',
  gateway: 'MDSP_GATEWAY',
} as const;

/** The options every data command takes, in node:util parseArgs form. */
export const CONNECTION_OPTIONS = {
  sandbox: { type: 'boolean' },
  verbose: { type: 'boolean' },
  concurrency: { type: 'string' },
} as const satisfies NonNullable<ParseArgsConfig['options']>;

export const CONNECTION_USAGE = '[--sandbox] [--verbose] [--concurrency N]';

export const CREDENTIALS_HELP = `Credentials come from ${ENV.tokenUrl}, ${ENV.clientId} and ${ENV.clientSecret} (the binding keys; ` +
  `${ENV.gateway} when the gateway cannot be derived from the token URL), or use --sandbox for the built-in sandbox tenant.`;

/** The connection described by the environment, or a UsageError naming what is missing. */
export function connectionFromEnv(env: NodeJS.ProcessEnv): Connection {
  const value = (name: string) => env[name]?.trim() || undefined;
  const missing = [ENV.tokenUrl, ENV.clientId, ENV.clientSecret].filter((name) => !value(name));
  if (missing.length > 0) {
    throw new UsageError(`no MindSphere credentials: ${missing.join(', ')} ${missing.length === 1 ? 'is' : 'are'} not set. ` +
      `Set ${missing.length === 1 ? 'it' : 'them'} from the binding keys (clientID, TokenURL, clientSecret), or use --sandbox for the built-in sandbox tenant.`);
  }
  const gateway = value(ENV.gateway);
  return { name: 'environment', tokenUrl: value(ENV.tokenUrl) ?? '', clientId: value(ENV.clientId) ?? '',
    clientSecret: value(ENV.clientSecret) ?? '', ...(gateway ? { gateway } : {}) };
}

export interface CliSession {
  readonly client: MindSphereClient;
  /** True when talking to the in-process sandbox tenant. */
  readonly sandbox: boolean;
}

type ConnectionFlags = { sandbox?: boolean; verbose?: boolean; concurrency?: string; out?: string };

/**
 * Opens a client for the flags and environment, runs `task`, and closes everything again. MindSphere failures are
 * printed as their one-line message and give exit code 1; bad credentials, times or intervals are usage errors (2).
 */
export async function withClient(flags: ConnectionFlags, io: CliIO, task: (session: CliSession) => Promise<number>): Promise<number> {
  const concurrency = flags.concurrency === undefined ? undefined : positiveInt(flags.concurrency, '--concurrency');
  await checkOutOption(io, flags.out);
  const log = flags.verbose ? (line: string) => io.stderr(`${redact(line)}\n`) : undefined;
  let close: (() => Promise<void>) | undefined;
  try {
    let connection: Connection;
    if (flags.sandbox) {
      // Loaded only when asked for: the sandbox is a whole server the other commands never need.
      const { startSandbox } = await import('../sandbox');
      const sandbox = await startSandbox({ port: 0 });
      close = () => sandbox.close();
      connection = { name: 'sandbox', tokenUrl: sandbox.tokenUrl, clientId: sandbox.clientId, clientSecret: sandbox.clientSecret, gateway: sandbox.url };
    } else {
      connection = connectionFromEnv(io.env);
    }
    const client = createClient({ connection, fetch, ...(concurrency ? { concurrency } : {}), ...(log ? { log } : {}) });
    return await task({ client, sandbox: !!flags.sandbox });
  } catch (error) {
    if (error instanceof ConnectionError || error instanceof InputError) throw new UsageError(error.message);
    if (error instanceof MindSphereError) {
      io.stderr(`${redact(error.toString())}\n`);
      return 1;
    }
    if (io.signal.aborted && (error as { name?: string } | undefined)?.name === 'AbortError') {
      io.stderr('Stopped.\n');
      return 130;
    }
    throw error;
  } finally {
    await close?.();
  }
}

/** node:util parseArgs, with its errors turned into usage errors (exit code 2 and the command's usage). */
export function parseCommandArgs<O extends NonNullable<ParseArgsConfig['options']>>(args: string[], options: O, positionals: number) {
  // `--from -24h` is what people type; parseArgs would take -24h for an option, so it becomes `--from=-24h`.
  const joined: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] ?? '';
    const next = args[i + 1];
    if (arg.startsWith('--') && options[arg.slice(2)]?.type === 'string' && next !== undefined && /^-\d/.test(next)) {
      joined.push(`${arg}=${next}`);
      i++;
    } else {
      joined.push(arg);
    }
  }
  let parsed;
  try {
    parsed = parseArgs({ args: joined, options, allowPositionals: positionals > 0, strict: true });
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message.replace(/\. To specify a positional argument.*$/s, '.') : String(error));
  }
  if (parsed.positionals.length > positionals) {
    throw new UsageError(`unexpected argument '${parsed.positionals[positionals]}'.`);
  }
  return parsed;
}

/**
 * `--out FILE`, checked before anything is read: an empty name or a folder would otherwise fail only at the end of a
 * long read (or, for an empty name, write to stdout without a word).
 */
async function checkOutOption(io: CliIO, file: string | undefined): Promise<void> {
  if (file === undefined) return;
  if (!file.trim()) throw new UsageError('--out needs a file name; leave it out to write to stdout.');
  const target = resolve(io.cwd, file);
  if ((await stat(target).catch(() => undefined))?.isDirectory()) {
    throw new UsageError(`--out ${file} is a folder; give the name of a file to write, such as ${join(file, 'data.csv')}.`);
  }
  if (!(await stat(dirname(target)).catch(() => undefined))?.isDirectory()) {
    throw new UsageError(`--out ${file}: the folder ${dirname(target)} does not exist; create it first or write elsewhere.`);
  }
}

export function positiveInt(text: string, flag: string): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1) throw new UsageError(`${flag} must be a whole number of at least 1, not '${text}'.`);
  return n;
}

/** Checks a `--format` value against the command's list (the first is the default). */
export function formatOption<F extends string>(value: string | undefined, formats: readonly F[]): F {
  if (value === undefined) return formats[0] as F;
  if ((formats as readonly string[]).includes(value)) return value as F;
  throw new UsageError(`--format must be one of ${formats.join(', ')}, not '${value}'.`);
}

// Output of the data commands: positionals, time ranges, files written safely, the progress bar.

export const RANGE_HELP = '  --from TIME      start, exclusive (default -24h)\n  --to TIME        end, inclusive (default now)\n' +
  '                   TIME is ISO 8601 (2026-03-01T00:00:00Z; no zone = UTC), now, or relative: -15m, -24h, -7d';

/** The named positional arguments, or a UsageError naming the first one missing. */
export function requirePositionals<const N extends readonly string[]>(positionals: readonly string[], names: N): { [K in keyof N]: string } {
  const missing = names.slice(positionals.length);
  if (missing.length > 0) throw new UsageError(`missing ${missing.map((n) => `<${n}>`).join(' and ')}.`);
  return names.map((_, i) => positionals[i] ?? '') as { [K in keyof N]: string };
}

/** `--from` and `--to` (defaults: the last 24 hours) as epoch ms, or a UsageError saying what is wrong. */
export function rangeOption(from: string | undefined, to: string | undefined): { from: number; to: number } {
  try {
    return toRange(from ?? '-24h', to ?? 'now');
  } catch (error) {
    if (error instanceof InputError) throw new UsageError(error.message);
    throw error;
  }
}

export interface Sink {
  write(text: string): Promise<void>;
  /** Makes the output final (a file replaces its target only now). */
  commit(): Promise<void>;
  /** Drops a partial output (the target file, if any, stays as it was). */
  abort(): Promise<void>;
}

/**
 * Where a command writes its data: stdout, or `file` (relative to the working directory), replaced only when
 * everything was written (see replace-file.ts), so a failed read never leaves a truncated file in place of a good one.
 */
export async function openSink(io: CliIO, file: string | undefined): Promise<Sink> {
  if (!file) {
    const write = async (text: string) => {
      if (!text) return;
      io.stdout(text);
      await io.drained?.();
    };
    return { write, commit: async () => {}, abort: async () => {} };
  }
  try {
    return await openReplacement(resolve(io.cwd, file));
  } catch (error) {
    throw new UsageError(`cannot write ${file}: ${error instanceof Error ? error.message : String(error)}.`);
  }
}

/** Opens the output (see openSink), runs `task` with its write function, then commits it, or drops it if `task` fails. */
export async function writeOutput(io: CliIO, file: string | undefined, task: (write: (text: string) => Promise<void>) => Promise<void>): Promise<void> {
  const sink = await openSink(io, file);
  try {
    await task((text) => sink.write(text));
    await sink.commit();
  } catch (error) {
    await sink.abort();
    throw error;
  }
}

/**
 * Streams pages of rows through `writer` to the output (see writeOutput) and returns how many were written. Nothing is
 * written before the first page arrives: a refused read leaves stdout empty, with the error on stderr. `progress` is
 * ended with the count so far, whether the read succeeds or not.
 */
export async function writePages<R>(io: CliIO, file: string | undefined, writer: PageWriter<R>, pages: AsyncIterable<readonly R[]>,
  progress?: ProgressBar): Promise<number> {
  let count = 0;
  let started = false;
  const opening = () => {
    if (started) return '';
    started = true;
    return writer.start();
  };
  try {
    await writeOutput(io, file, async (write) => {
      for await (const rows of pages) {
        await write(`${opening()}${writer.page(rows)}`);
        count += rows.length;
      }
      await write(`${opening()}${writer.end()}`);
    });
  } finally {
    progress?.done(count);
  }
  return count;
}

export interface ProgressBar {
  update(done: number, estimatedTotal: number | undefined): void;
  /** Ends the bar with a line saying how many of `unit` came in how long (only after a long read). */
  done(total: number, unit?: string): void;
}

/**
 * A one-line progress bar on stderr, redrawn at most every 200 ms, shown only for reads of more than one page (a short
 * read prints nothing extra) and only on a terminal; elsewhere a long read ends with the summary line alone.
 */
export function progressBar(io: CliIO, unit: string, minTotal = LIMITS.maxRecordsPerRequest.value): ProgressBar {
  const started = Date.now();
  let last = 0;
  let long = false;
  return {
    update(done, estimate) {
      const now = Date.now();
      if (estimate === undefined || estimate <= minTotal) return;
      long = true;
      if (!io.stderrIsTTY || now - last < 200) return;
      last = now;
      const share = Math.min(1, done / Math.max(estimate, 1));
      const width = 30;
      const filled = Math.round(share * width);
      io.stderr(`\r[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${String(Math.round(share * 100)).padStart(3)}%  ${done.toLocaleString('en-US')} of ~${estimate.toLocaleString('en-US')} ${unit}`);
    },
    done(total, totalUnit = unit) {
      if (!long) return;
      const clear = io.stderrIsTTY ? `\r${' '.repeat(78)}\r` : '';
      io.stderr(`${clear}${total.toLocaleString('en-US')} ${totalUnit} in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
    },
  };
}
