// The tenant schema for schema-aware linting and completion: the active connection's asset types and aspect types,
// fetched once per connection, kept in memory, refreshed by command ("Refresh Tenant Schema") and dropped when the
// active connection changes. Fetching never starts a tenant by itself: it waits until the connection is live.
import * as vscode from 'vscode';
import type { MindSphereClient } from '../../client';
import { collect } from '../../client/collect';
import type { TenantSchema } from '../../core/lint/tenant-schema';
import type { Log } from '../log';

export interface LiveConnection {
  /** Stable id of the connection (the cache key). */
  readonly id: string;
  readonly name: string;
  readonly client: MindSphereClient;
}

/** The active connection, as the lint features need it. */
export interface ConnectionSource {
  /** Fires when the active connection changes or becomes live (the sandbox started, keys edited). */
  readonly onDidChange: vscode.Event<void>;
  /** The active connection if it is live now; never starts one (no sandbox start, no token request). */
  live(): Promise<LiveConnection | undefined>;
  /** The active connection, made live if needed (starts the sandbox): for an explicit user action. */
  require(): Promise<LiveConnection>;
}

export class SchemaCache implements vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  /** Fires when a schema arrives or is dropped: open documents are linted again. */
  readonly onDidChange = this.changed.event;
  private schema: { connectionId: string; value: TenantSchema } | undefined;
  private loading: Promise<void> | undefined;
  private readonly subscription: vscode.Disposable;
  /** After a failed fetch, wait for a connection change or a refresh before trying again. */
  private failedFor: string | undefined;

  constructor(private readonly connections: ConnectionSource, private readonly log: Log) {
    this.subscription = connections.onDidChange(() => {
      this.failedFor = undefined;
      this.ensure();
    });
  }

  current(): TenantSchema | undefined {
    return this.schema?.value;
  }

  /** Starts fetching the schema of the live connection when there is none for it yet (cheap to call often). */
  ensure(): void {
    this.loading ??= this.load().finally(() => {
      this.loading = undefined;
    });
  }

  /** Fetches the schema again (the command); resolves with the numbers for the message, rejects with the error. */
  async refresh(signal?: AbortSignal): Promise<{ connection: string; assetTypes: number; aspectTypes: number }> {
    await this.loading;
    const connection = await this.connections.require();
    await this.fetch(connection, signal);
    const schema = this.schema?.value;
    return { connection: connection.name, assetTypes: schema?.assetTypes.size ?? 0, aspectTypes: schema?.aspectTypes.size ?? 0 };
  }

  private async load(): Promise<void> {
    const connection = await this.connections.live().catch(() => undefined);
    if (!connection) {
      if (this.schema) this.drop();
      return;
    }
    if (this.schema?.connectionId === connection.id || this.failedFor === connection.id) return;
    if (this.schema && this.schema.connectionId !== connection.id) this.drop();
    await this.fetch(connection).catch((error: unknown) => {
      this.failedFor = connection.id;
      this.log.warn(`Could not fetch the tenant schema of '${connection.name}' for linting (names are not checked until ` +
        `"MindSphere: Refresh Tenant Schema" succeeds): ${error instanceof Error ? error.message : String(error)}`);
    });
  }

  private async fetch(connection: LiveConnection, signal?: AbortSignal): Promise<void> {
    const started = Date.now();
    // Exploded asset types carry inherited aspects and variables: the names a query may use.
    const [assetTypes, aspectTypes] = await Promise.all([
      collect(connection.client.assets.assetTypes({ exploded: true, signal })),
      collect(connection.client.assets.aspectTypes({ signal })),
    ]);
    const { readTenantSchema } = await import('../../core/lint/tenant-schema');
    const { schema, problems } = readTenantSchema({ assetTypes, aspectTypes });
    for (const p of problems) this.log.warn(`Tenant schema of '${connection.name}': ${p}`);
    this.schema = { connectionId: connection.id, value: schema };
    this.failedFor = undefined;
    this.log.info(`Tenant schema of '${connection.name}': ${schema.assetTypes.size} asset types, ${schema.aspectTypes.size} ` +
      `aspect types (${Date.now() - started} ms)`);
    this.changed.fire();
  }

  private drop(): void {
    this.schema = undefined;
    this.changed.fire();
  }

  dispose(): void {
    this.subscription.dispose();
    this.changed.dispose();
  }
}
