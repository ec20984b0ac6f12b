// Starts the sandbox tenant in a worker thread (worker.ts) and speaks for it: the extension's built-in tenant runs there.
// Free of `vscode`, so it is tested like the rest of the sandbox. Only plain options cross to the worker (no functions);
// its log lines come back as messages.
import { Worker } from 'node:worker_threads';

/** What the worker is started with (the subset of SandboxOptions the extension sets). */
export interface WorkerOptions {
  readonly port?: number;
  readonly seed?: string;
  readonly assets?: number;
  readonly latencyMs?: number;
}

export type WorkerToHost =
  | { type: 'ready'; url: string; tokenUrl: string; tenant: string; clientId: string; clientSecret: string }
  | { type: 'log'; line: string }
  | { type: 'failed'; message: string };

export type HostToWorker = { type: 'close' };

export interface WorkerSandbox {
  readonly url: string;
  readonly tokenUrl: string;
  readonly tenant: string;
  readonly clientId: string;
  readonly clientSecret: string;
  close(): Promise<void>;
}

export interface WorkerEvents {
  log(line: string): void;
  /** The tenant ended without being asked to (a failure inside it): says why. */
  stopped(reason: string): void;
}

/** How long a closing tenant may take to finish its connections before its worker is terminated. */
const CLOSE_TIMEOUT_MS = 5000;

/**
 * Starts the worker `script` (dist/sandbox-worker.js in the extension) and resolves once its tenant listens; rejects with
 * the tenant's own message when it cannot start.
 */
export function startSandboxWorker(script: string, options: WorkerOptions, events: WorkerEvents): Promise<WorkerSandbox> {
  const worker = new Worker(script, { workerData: options });
  let ready = false;
  let closing = false;
  let stopped = false;
  // Made at once: the worker may end on its own (a failure) long before close is called, and 'exit' comes only once.
  const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
  let closed: Promise<void> | undefined;
  // A failure inside the worker brings an 'error' and then an 'exit': the tenant stopped once.
  const stop = (reason: string) => {
    if (closing || stopped) return;
    stopped = true;
    events.stopped(reason);
  };
  return new Promise((resolve, reject) => {
    worker.on('message', (message: WorkerToHost) => {
      if (message.type === 'log') events.log(message.line);
      else if (message.type === 'failed') reject(new Error(message.message));
      else {
        ready = true;
        const { type: _, ...endpoint } = message;
        resolve({ ...endpoint, close: () => closeWorker() });
      }
    });
    worker.on('error', (error) => (ready ? stop(error.message) : reject(error)));
    worker.on('exit', (code) => (ready ? stop(`its worker ended with exit code ${code}`)
      : reject(new Error(`The sandbox tenant's worker ended (exit code ${code}) before it was ready.`))));
  });

  function closeWorker(): Promise<void> {
    closed ??= (async () => {
      closing = true;
      worker.postMessage({ type: 'close' } satisfies HostToWorker); // a no-op once the worker has ended
      // A worker that does not end in time is terminated; terminate() resolves once it has, 'exit' or not.
      let timer: NodeJS.Timeout | undefined;
      const terminated = new Promise<void>((resolve) => {
        timer = setTimeout(() => void worker.terminate().then(() => resolve(), () => resolve()), CLOSE_TIMEOUT_MS);
      });
      await Promise.race([exited, terminated]);
      clearTimeout(timer);
    })();
    return closed;
  }
}
