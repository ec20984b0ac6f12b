// The sandbox tenant in a worker thread (started by worker-host.ts): the extension runs its built-in tenant here, so
// that generating and serialising pages of records happens beside the extension host's one JavaScript thread instead of
// on it, and a failure inside the tenant ends the worker, never the extension host. Messages: worker-host.ts.
import { parentPort, workerData } from 'node:worker_threads';
import { type SandboxOptions, startSandbox } from './index';
import type { HostToWorker, WorkerToHost } from './worker-host';

const port = parentPort;
if (!port) throw new Error('src/sandbox/worker.ts runs as a worker thread only (see worker-host.ts).');
const post = (message: WorkerToHost) => port.postMessage(message);

startSandbox({ ...(workerData as SandboxOptions), log: (line) => post({ type: 'log', line }) }).then((sandbox) => {
  port.on('message', (message: HostToWorker) => {
    // Closing the server and the port leaves the worker nothing to do: it ends.
    if (message.type === 'close') void sandbox.close().finally(() => port.close());
  });
  post({ type: 'ready', url: sandbox.url, tokenUrl: sandbox.tokenUrl, tenant: sandbox.tenant, clientId: sandbox.clientId, clientSecret: sandbox.clientSecret });
}, (error: unknown) => {
  post({ type: 'failed', message: error instanceof Error ? error.message : String(error) });
  port.close();
});
