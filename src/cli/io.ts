import { once } from 'node:events';
import { redact } from '../core/redact';

/** What a CLI command talks to: passed in so tests can run commands in-process and read what they print. */
export interface CliIO {
  readonly stdout: (text: string) => void;
  /** Resolves when stdout has taken what was written so far (backpressure): long outputs wait for it between pages. */
  readonly drained?: () => Promise<void>;
  readonly stderr: (text: string) => void;
  /** stderr is a terminal: progress is drawn in place there (in a CI log every redraw would stay, hundreds of them). */
  readonly stderrIsTTY?: boolean;
  readonly env: NodeJS.ProcessEnv;
  readonly cwd: string;
  /** Aborted on SIGINT/SIGTERM: long-running commands stop cleanly. */
  readonly signal: AbortSignal;
}

export interface CliCommand {
  readonly summary: string;
  readonly usage: string;
  /** Resolves to the process exit code: 0 success, 1 findings or failure, 2 usage or internal error. */
  run(args: string[], io: CliIO): Promise<number>;
}

/** A usage mistake: printed with the command's usage, exit code 2. */
export class UsageError extends Error {}

/** A failure the command found itself, such as a name the tenant does not know: printed without the usage, exit code 1. */
export class CommandFailure extends Error {}

/** Resolves when the command is asked to stop (Ctrl+C, SIGTERM): the servers of `sandbox` and `proxy` run until then. */
export function untilStopped(io: CliIO): Promise<void> {
  return new Promise((resolve) => {
    if (io.signal.aborted) resolve();
    else io.signal.addEventListener('abort', () => resolve(), { once: true });
  });
}

export function processIO(signal: AbortSignal): CliIO {
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    // The reader stopped early (`| head`): nobody wants the rest, so stop quietly, as command-line tools do.
    if (error.code === 'EPIPE') process.exit(0);
    process.stderr.write(`mdsp-makers: cannot write to stdout: ${error.message}\n`);
    process.exit(2);
  });
  return {
    stdout: (t) => void process.stdout.write(t),
    drained: () => (process.stdout.writableNeedDrain ? once(process.stdout, 'drain').then(() => undefined) : Promise.resolve()),
    // Everything on stderr is for people and may end up in CI logs: never let a secret through.
    stderr: (t) => process.stderr.write(redact(t)),
    stderrIsTTY: process.stderr.isTTY === true,
    env: process.env,
    cwd: process.cwd(),
    signal,
  };
}
