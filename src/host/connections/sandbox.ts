import path from 'node:path';
import * as vscode from 'vscode';
import type { ConnectionWithSecret } from './store';
import { SANDBOX_ID } from './saved';
import type { Log } from '../log';

/** A running sandbox tenant, as much as the extension needs of it. */
interface SandboxEndpoint {
  readonly url: string;
  readonly tokenUrl: string;
  readonly tenant: string;
  readonly clientId: string;
  readonly clientSecret: string;
  close?(): Promise<void>;
}

/**
 * The built-in Sandbox connection. Choosing it starts the sandbox tenant in a worker thread of the extension host (on a
 * free loopback port; its work then does not hold up the extension host's thread, and a failure in it cannot take the
 * extension host down), or reuses the one `npm start` started (MDSP_SANDBOX_URL and its credentials in the
 * environment), so a new user sees a full plant within seconds, with no account.
 */
export class SandboxHost implements vscode.Disposable {
  private running: Promise<SandboxEndpoint> | undefined;
  private readonly stopped = new vscode.EventEmitter<void>();
  /** Fires when the tenant ended without being asked to; the next connection() starts a new one. */
  readonly onDidStop = this.stopped.event;

  constructor(private readonly log: Log) {}

  /** The sandbox as a connection, starting the tenant on first use. */
  async connection(): Promise<ConnectionWithSecret> {
    const sandbox = await (this.running ??= this.start().catch((error: unknown) => {
      this.running = undefined; // let the next attempt start afresh
      throw error;
    }));
    return {
      id: SANDBOX_ID,
      name: 'Sandbox',
      tokenUrl: sandbox.tokenUrl,
      clientId: sandbox.clientId,
      clientSecret: sandbox.clientSecret,
      gateway: sandbox.url,
      tenant: sandbox.tenant,
    };
  }

  isRunning(): boolean {
    return this.running !== undefined;
  }

  /** Stops the tenant (after its settings changed); the next connection() starts it afresh with the new settings. */
  async restart(): Promise<void> {
    const running = this.running;
    this.running = undefined;
    await running?.then((s) => s.close?.()).catch(() => undefined);
  }

  private async start(): Promise<SandboxEndpoint> {
    const env = process.env;
    if (env.MDSP_SANDBOX_URL && env.MDSP_SANDBOX_CLIENT_ID && env.MDSP_SANDBOX_CLIENT_SECRET) {
      this.log.info(`Using the sandbox tenant at ${env.MDSP_SANDBOX_URL}`);
      return {
        url: env.MDSP_SANDBOX_URL.replace(/\/+$/, ''),
        tokenUrl: `${env.MDSP_SANDBOX_URL.replace(/\/+$/, '')}/oauth/token`,
        tenant: env.MDSP_SANDBOX_TENANT ?? 'makers01',
        clientId: env.MDSP_SANDBOX_CLIENT_ID,
        clientSecret: env.MDSP_SANDBOX_CLIENT_SECRET,
      };
    }
    const config = vscode.workspace.getConfiguration('mdsp.sandbox');
    const started = Date.now();
    const assets = config.get<number>('assets', 0);
    // Loaded on first use only: nothing of the sandbox is part of activation.
    const { startSandboxWorker } = await import('../../sandbox/worker-host');
    // Declared before the start, so that a later stop can say which tenant ended.
    let sandbox: SandboxEndpoint | undefined = undefined;
    // dist/sandbox-worker.js, beside this bundle; it loads the sandbox's code in the worker, never at activation.
    sandbox = await startSandboxWorker(path.join(__dirname, 'sandbox-worker.js'), {
      port: 0,
      seed: config.get<string>('seed', 'makers'),
      ...(assets ? { assets } : {}),
      latencyMs: config.get<number>('latencyMs', 0),
    }, {
      log: (line) => this.log.info(`[sandbox] ${line}`),
      stopped: (reason) => this.onStopped(sandbox, reason),
    });
    this.log.info(`Sandbox tenant '${sandbox.tenant}' started at ${sandbox.url} in ${Date.now() - started} ms`);
    return sandbox;
  }

  /** The tenant `which` ended by itself: forget it (if it is still the current one), so that the next use starts another. */
  private onStopped(which: SandboxEndpoint | undefined, reason: string): void {
    this.log.error(`The sandbox tenant stopped unexpectedly (${reason}); it starts again when it is next needed.`);
    const current = this.running;
    void current?.then((s) => {
      if (s === which && this.running === current) this.running = undefined;
      this.stopped.fire();
    }, () => undefined);
  }

  dispose(): void {
    void this.running?.then((s) => s.close?.()).catch(() => undefined);
    this.running = undefined;
    this.stopped.dispose();
  }
}
