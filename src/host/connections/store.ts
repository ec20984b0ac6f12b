import * as vscode from 'vscode';
import { registerSecret } from '../../core/redact';

/**
 * What the extension remembers of a connection. Everything here is non-secret and lives in global state (never in
 * settings, so a cloned repository's .vscode/settings.json cannot redirect anyone's keys); the client secret lives only
 * in SecretStorage, which VS Code encrypts with a key held by the OS keychain.
 */
export interface SavedConnection {
  readonly id: string;
  readonly name: string;
  readonly tokenUrl: string;
  readonly clientId: string;
  readonly gateway: string;
  readonly tenant?: string;
  readonly region?: string;
}

/** A connection with its secret, ready to hand to the client. Never logged, never stored outside SecretStorage. */
export interface ConnectionWithSecret extends SavedConnection {
  readonly clientSecret: string;
}

const LIST_KEY = 'mdsp.connections';
const ACTIVE_KEY = 'mdsp.activeConnection';
const secretKey = (id: string): string => `mdsp.connection/${id}/clientSecret`;

export const SANDBOX_ID = 'sandbox';

function isSavedConnection(value: unknown): value is SavedConnection {
  const c = value as Partial<Record<keyof SavedConnection, unknown>> | null;
  return typeof c === 'object' && c !== null && [c.id, c.name, c.tokenUrl, c.clientId, c.gateway].every((v) => typeof v === 'string');
}

export class ConnectionStore implements vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  /** Fires when the list, the active connection or a stored secret changes (in this window or another one). */
  readonly onDidChange = this.changed.event;
  private readonly subscription: vscode.Disposable;

  constructor(private readonly context: vscode.ExtensionContext) {
    // Another window may edit a secret: our cached clients must see it.
    this.subscription = context.secrets.onDidChange((e) => {
      if (e.key.startsWith('mdsp.connection/')) this.changed.fire();
    });
  }

  list(): SavedConnection[] {
    const stored = this.context.globalState.get<unknown>(LIST_KEY, []);
    // Global state is ours, but a damaged entry must not break the extension: it is skipped, not trusted.
    return Array.isArray(stored) ? stored.filter(isSavedConnection) : [];
  }

  get(id: string): SavedConnection | undefined {
    return this.list().find((c) => c.id === id);
  }

  /** The active connection's id; undefined until the user chooses one (the explorer then shows its welcome). */
  activeId(): string | undefined {
    const id = this.context.globalState.get<string>(ACTIVE_KEY);
    return id === SANDBOX_ID || (id !== undefined && this.get(id)) ? id : undefined;
  }

  async setActive(id: string): Promise<void> {
    await this.context.globalState.update(ACTIVE_KEY, id);
    this.changed.fire();
  }

  async withSecret(id: string): Promise<ConnectionWithSecret | undefined> {
    const saved = this.get(id);
    if (!saved) return undefined;
    const clientSecret = await this.context.secrets.get(secretKey(id));
    if (clientSecret === undefined) return undefined;
    registerSecret(clientSecret);
    return { ...saved, clientSecret };
  }

  /** Adds or replaces a connection. The secret goes to SecretStorage first, so a saved entry always has one. */
  async save(connection: ConnectionWithSecret): Promise<void> {
    const { clientSecret, ...saved } = connection;
    registerSecret(clientSecret);
    await this.context.secrets.store(secretKey(saved.id), clientSecret);
    const others = this.list().filter((c) => c.id !== saved.id);
    await this.context.globalState.update(LIST_KEY, [...others, saved]);
    this.changed.fire();
  }

  async rename(id: string, name: string): Promise<void> {
    await this.context.globalState.update(LIST_KEY, this.list().map((c) => (c.id === id ? { ...c, name } : c)));
    this.changed.fire();
  }

  /** Removes a connection and deletes its secret. */
  async remove(id: string): Promise<void> {
    await this.context.secrets.delete(secretKey(id));
    await this.context.globalState.update(LIST_KEY, this.list().filter((c) => c.id !== id));
    if (this.context.globalState.get<string>(ACTIVE_KEY) === id) await this.context.globalState.update(ACTIVE_KEY, undefined);
    this.changed.fire();
  }

  /** True when SecretStorage holds a secret for this connection (the tests check that removal deletes it). */
  async hasSecret(id: string): Promise<boolean> {
    return (await this.context.secrets.get(secretKey(id))) !== undefined;
  }

  dispose(): void {
    this.subscription.dispose();
    this.changed.dispose();
  }
}
