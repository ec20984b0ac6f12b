import * as vscode from 'vscode';
import type { MindSphereClient } from '../../client';
import type { Log } from '../log';
import type { SandboxHost } from './sandbox';
import { SANDBOX_ID, type SavedConnection } from './saved';
import type { ConnectionStore } from './store';

/** What the views show of a connection: never its secret. */
export interface ConnectionSummary {
  readonly id: string;
  readonly name: string;
  readonly sandbox: boolean;
  readonly tenant?: string;
  readonly region?: string;
  readonly gateway?: string;
  readonly clientId?: string;
}

export const SANDBOX_SUMMARY: ConnectionSummary = { id: SANDBOX_ID, name: 'Sandbox', sandbox: true };

export function summaryOf(saved: SavedConnection): ConnectionSummary {
  const { id, name, tenant, region, gateway, clientId } = saved;
  return { id, name, sandbox: false, tenant, region, gateway, clientId };
}

/**
 * The active connection and one MindSphere client per connection, created on first use: the client module (and for
 * the Sandbox the sandbox tenant itself) is loaded only then, never at activation.
 */
export class Session implements vscode.Disposable {
  private readonly clients = new Map<string, Promise<MindSphereClient>>();
  private readonly changed = new vscode.EventEmitter<void>();
  /** Fires when another connection becomes active, or the active one changes (renamed, edited, removed). */
  readonly onDidChange = this.changed.event;
  private lastActive: string;
  private readonly subscriptions: vscode.Disposable[];

  constructor(private readonly store: ConnectionStore, private readonly sandbox: SandboxHost, private readonly log: Log) {
    this.lastActive = JSON.stringify(this.active() ?? null);
    this.subscriptions = [
      store.onDidChange(() => {
        // A saved connection may have a new secret or address: its next client is built from the stored values.
        for (const id of this.clients.keys()) if (id !== SANDBOX_ID) this.clients.delete(id);
        this.fireIfActiveChanged();
      }),
      // The sandbox tenant ended by itself: its client points at a port nobody listens on any more.
      sandbox.onDidStop(() => {
        this.clients.delete(SANDBOX_ID);
        if (this.store.activeId() === SANDBOX_ID) this.changed.fire();
      }),
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration('mdsp.client')) this.clients.clear();
        if (e.affectsConfiguration('mdsp.sandbox')) void this.restartSandbox();
      }),
    ];
  }

  /** The active connection, or undefined before the user chose one. */
  active(): ConnectionSummary | undefined {
    return this.summary(this.store.activeId());
  }

  summary(id: string | undefined): ConnectionSummary | undefined {
    if (id === SANDBOX_ID) return SANDBOX_SUMMARY;
    const saved = id === undefined ? undefined : this.store.get(id);
    return saved && summaryOf(saved);
  }

  /** Every connection: the Sandbox first, then the saved ones by name. */
  all(): ConnectionSummary[] {
    const saved = this.store.list().map(summaryOf).sort((a, b) => a.name.localeCompare(b.name));
    return [SANDBOX_SUMMARY, ...saved];
  }

  async select(id: string): Promise<void> {
    if (!this.summary(id)) throw new Error(`There is no connection '${id}'.`);
    await this.store.setActive(id);
  }

  /** The client of a connection (default: the active one). Rejects with a message for people. */
  client(id: string | undefined = this.store.activeId()): Promise<MindSphereClient> {
    if (id === undefined) {
      return Promise.reject(new Error('No MindSphere connection is selected. Run "MindSphere: Use Sandbox Tenant" or "MindSphere: Add Connection…".'));
    }
    let client = this.clients.get(id);
    if (!client) {
      client = this.createClient(id);
      this.clients.set(id, client);
      // A failed start (sandbox port, missing secret) is not cached: the next attempt tries again.
      client.catch(() => this.clients.get(id) === client && this.clients.delete(id));
    }
    return client;
  }

  private async createClient(id: string): Promise<MindSphereClient> {
    const connection = id === SANDBOX_ID ? await this.sandbox.connection() : await this.store.withSecret(id);
    if (!connection) {
      const name = this.store.get(id)?.name ?? id;
      throw new Error(`The client secret of the connection '${name}' is no longer in the keychain. Run "MindSphere: Edit Connection…" and paste the binding keys again.`);
    }
    const { createClient } = await import('../../client');
    const concurrency = vscode.workspace.getConfiguration('mdsp.client').get<number>('concurrency');
    return createClient({
      connection,
      fetch: globalThis.fetch, // VS Code's: it applies the user's proxy and certificate settings
      ...(concurrency ? { concurrency } : {}),
      log: (line) => this.log.info(`[${connection.name}] ${line}`),
    });
  }

  private async restartSandbox(): Promise<void> {
    this.clients.delete(SANDBOX_ID);
    if (!this.sandbox.isRunning()) return;
    this.log.info('The sandbox settings changed: restarting the sandbox tenant.');
    await this.sandbox.restart();
    if (this.store.activeId() === SANDBOX_ID) this.changed.fire();
  }

  private fireIfActiveChanged(): void {
    const now = JSON.stringify(this.active() ?? null);
    if (now === this.lastActive) return;
    this.lastActive = now;
    this.changed.fire();
  }

  dispose(): void {
    for (const s of this.subscriptions) s.dispose();
    this.changed.dispose();
  }
}
