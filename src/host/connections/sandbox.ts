import * as vscode from 'vscode';
import type { ConnectionWithSecret } from './store';
import { SANDBOX_ID } from './store';
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
 * The built-in Sandbox connection. Choosing it starts the sandbox tenant inside the extension host (on a free loopback
 * port), or reuses the one `npm start` started (MDSP_SANDBOX_URL and its credentials in the environment), so a new user
 * sees a full plant within seconds, with no account.
 */
export class SandboxHost implements vscode.Disposable {
  private running: Promise<SandboxEndpoint> | undefined;

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
    // Loaded on first use only: the sandbox is not part of activation.
    const { startSandbox } = await import('../../sandbox');
    const started = Date.now();
    const sandbox = await startSandbox({
      port: 0,
      seed: config.get<string>('seed', 'makers'),
      assets: config.get<number>('assets', 0) || undefined,
      latencyMs: config.get<number>('latencyMs', 0),
      log: (line) => this.log.info(`[sandbox] ${line}`),
    });
    this.log.info(`Sandbox tenant '${sandbox.tenant}' started at ${sandbox.url} in ${Date.now() - started} ms`);
    return sandbox;
  }

  dispose(): void {
    void this.running?.then((s) => s.close?.()).catch(() => undefined);
    this.running = undefined;
  }
}
