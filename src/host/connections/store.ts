import * as vscode from 'vscode';
import { registerSecret } from '../../core/redact';
import { SANDBOX_ID, type SavedConnection, savedConnections } from './saved';

/** A connection with its secret, ready to hand to the client. Never logged, never stored outside SecretStorage. */
export interface ConnectionWithSecret extends SavedConnection {
  readonly clientSecret: string;
}

const LIST_KEY = 'mdsp.connections';
const ACTIVE_KEY = 'mdsp.activeConnection';
const secretKey = (id: string): string => `mdsp.connection/${id}/clientSecret`;

export class ConnectionStore implements vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  /** Fires when the list, the active connection or a stored secret changes (in this window or another one). */
  readonly onDidChange = this.changed.event;
  private readonly subscriptions: vscode.Disposable[];
  /**
   * This window's active connection. VS Code shares global state between windows without telling them, so each window
   * holds its own (a new window starts with the one chosen last anywhere): another window's choice must not switch the
   * data under this window's tree.
   */
  private active: string | undefined;
  /** The list as this window last showed it. */
  private shownList: string;

  constructor(private readonly context: vscode.ExtensionContext) {
    this.active = context.globalState.get<string>(ACTIVE_KEY);
    this.shownList = this.storedList();
    this.subscriptions = [
      // Another window may edit a secret: our cached clients must see it.
      context.secrets.onDidChange((e) => {
        if (e.key.startsWith('mdsp.connection/')) this.changed.fire();
      }),
      // Nor does VS Code tell when another window changed the list: look again when the user comes back to this one.
      vscode.window.onDidChangeWindowState((e) => {
        if (e.focused && this.storedList() !== this.shownList) this.fire();
      }),
    ];
  }

  private storedList(): string {
    return JSON.stringify(this.context.globalState.get<unknown>(LIST_KEY) ?? null);
  }

  private fire(): void {
    this.shownList = this.storedList();
    this.changed.fire();
  }

  list(): SavedConnection[] {
    return savedConnections(this.context.globalState.get<unknown>(LIST_KEY, []));
  }

  get(id: string): SavedConnection | undefined {
    return this.list().find((c) => c.id === id);
  }

  /** This window's active connection's id; undefined until the user chooses one (the explorer then shows its welcome). */
  activeId(): string | undefined {
    const id = this.active;
    return id === SANDBOX_ID || (id !== undefined && this.get(id)) ? id : undefined;
  }

  /** Makes a connection active in this window, and the one the next new window starts with. */
  async setActive(id: string): Promise<void> {
    this.active = id;
    await this.context.globalState.update(ACTIVE_KEY, id);
    this.fire();
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
    this.fire();
  }

  async rename(id: string, name: string): Promise<void> {
    await this.context.globalState.update(LIST_KEY, this.list().map((c) => (c.id === id ? { ...c, name } : c)));
    this.fire();
  }

  /** Removes a connection and deletes its secret. */
  async remove(id: string): Promise<void> {
    await this.context.secrets.delete(secretKey(id));
    await this.context.globalState.update(LIST_KEY, this.list().filter((c) => c.id !== id));
    if (this.active === id) this.active = undefined;
    if (this.context.globalState.get<string>(ACTIVE_KEY) === id) await this.context.globalState.update(ACTIVE_KEY, undefined);
    this.fire();
  }

  /** True when SecretStorage holds a secret for this connection (the tests check that removal deletes it). */
  async hasSecret(id: string): Promise<boolean> {
    return (await this.context.secrets.get(secretKey(id))) !== undefined;
  }

  dispose(): void {
    for (const subscription of this.subscriptions) subscription.dispose();
    this.changed.dispose();
  }
}
