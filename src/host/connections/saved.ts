// What the extension remembers of a connection, and how it reads the remembered list back: free of `vscode`, so the
// unit tests use it directly. store.ts keeps the list in global state.

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

/** The built-in Sandbox connection's id: never the id of a saved one. */
export const SANDBOX_ID = 'sandbox';

function isSavedConnection(value: unknown): value is SavedConnection {
  const c = value as Partial<Record<keyof SavedConnection, unknown>> | null;
  return typeof c === 'object' && c !== null && [c.id, c.name, c.tokenUrl, c.clientId, c.gateway].every((v) => typeof v === 'string')
    && [c.tenant, c.region].every((v) => v === undefined || typeof v === 'string');
}

/**
 * The saved connections in a list read from global state. Global state is ours, but a damaged list must not break the
 * extension (two entries with one id, or one with the Sandbox's, would give two tree items one id and blank the
 * Connections view): a malformed entry is skipped, and of entries with the same id the first is kept.
 */
export function savedConnections(stored: unknown): SavedConnection[] {
  if (!Array.isArray(stored)) return [];
  const ids = new Set([SANDBOX_ID]);
  const out: SavedConnection[] = [];
  for (const entry of stored) {
    if (!isSavedConnection(entry) || ids.has(entry.id)) continue;
    ids.add(entry.id);
    out.push(entry);
  }
  return out;
}
