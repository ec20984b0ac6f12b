// With a data directory, what clients change in the tenant's Asset Management model (aspect types, asset types, assets)
// and its contracts is kept in DIR/tenant.json: rewritten whole before the answer to every such change (to a temporary
// file, then renamed, so a crash leaves the old file or the new one, never half of one) and read at start instead of the
// seed's plant. Time series have their own journal (series.ts).
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { SandboxContext } from './context';
import { type Asset, type AspectType, type AssetType, DATA_TYPES } from './model';
import { contractStore, type StoredContract } from './odata/store';

/** What the seeded plant is made from: a file grown from another plant does not fit this one (other ids, other size). */
export interface PlantIdentity {
  readonly seed: string;
  readonly tenant: string;
  readonly assets: number;
}

interface TenantState {
  readonly version: 1;
  readonly plant: PlantIdentity;
  readonly rootId: string;
  readonly aspectTypes: AspectType[];
  readonly assetTypes: AssetType[];
  readonly assets: Asset[];
  readonly contracts: StoredContract[];
}

const TENANT_FILE = 'tenant.json';
const LOCK_FILE = '.lock';

/**
 * Takes DIR/.lock (holding this process's id, and where the system tells it, the process's start time) for one sandbox:
 * two sandboxes on one directory would overwrite each other's tenant.json and interleave their journals. A lock left by
 * a process that is gone (killed, crashed) is taken over, also when its id now belongs to another process (a container
 * restarted on the same volume gives its sandbox the same small id). Returns the release, for close.
 */
export function lockDataDir(dir: string): () => void {
  if (existsSync(dir) && !statSync(dir).isDirectory()) throw new Error(`The data directory ${dir} is not a directory.`);
  mkdirSync(dir, { recursive: true });
  const lock = join(dir, LOCK_FILE);
  const mine = lockText(process.pid);
  for (;;) {
    try {
      writeFileSync(lock, mine, { flag: 'wx' });
      return () => rmSync(lock, { force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    let holder: string;
    try {
      holder = readFileSync(lock, 'utf8');
    } catch {
      continue; // released meanwhile: try again
    }
    const [pid, started] = [Number(holder.split(' ')[0]), holder.split(' ')[1]];
    // A live process holds it, unless the process with that id started at another time than the one that took it (the
    // id was reused); our own pid too: then another sandbox of this process (a test, a worker thread) holds it. A start
    // time that cannot be read (no /proc, another user's process hidden) counts as the same.
    const now = started === undefined ? undefined : processStartTime(pid);
    if (isAlive(pid) && (now === undefined || now === started)) {
      throw new Error(`The data directory ${dir} is in use by the sandbox of process ${pid}: stop that sandbox first, or use ` +
        `another data directory. (If no sandbox runs there, delete ${lock}.)`);
    }
    rmSync(lock, { force: true }); // stale: its process is gone, or its id was given to another process
  }
}

/** `pid start-time` where /proc has the start time (Linux), else the pid alone: what a lock holds. */
function lockText(pid: number): string {
  const started = processStartTime(pid);
  return started === undefined ? String(pid) : `${pid} ${started}`;
}

/** When the process started, in clock ticks after boot (field 22 of /proc/PID/stat); undefined without /proc. */
function processStartTime(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) is in parentheses and may hold spaces and parentheses itself: count after the last ')'.
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
  } catch {
    return undefined;
  }
}

function isAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'; // alive, of another user
  }
}

export class TenantFile {
  private readonly path: string | undefined;
  /** tenant.json as last written (or the seed's tenant, before the first change): what a failed save goes back to. */
  private saved: string | undefined;

  constructor(dataDir: string | undefined, private readonly plant: PlantIdentity, private readonly log: (line: string) => void) {
    this.path = dataDir === undefined ? undefined : join(dataDir, TENANT_FILE);
  }

  get enabled(): boolean {
    return this.path !== undefined;
  }

  /**
   * Puts the saved tenant in place of the seeded one. A file that cannot be read as a tenant is moved aside (never
   * overwritten: it may be all the user has) and the tenant starts from the seed; a tenant of another plant is refused.
   */
  restore(ctx: SandboxContext): void {
    if (!this.path) return;
    if (existsSync(this.path)) {
      let state: TenantState | undefined;
      try {
        state = parseState(readFileSync(this.path, 'utf8'));
      } catch (error) {
        const aside = `${this.path}.unreadable-${new Date().toISOString().replace(/[:.]/g, '-')}`;
        renameSync(this.path, aside);
        this.log(`${this.path} could not be read (${(error as Error).message}); it was moved to ${aside} and the tenant starts from the seed.`);
      }
      if (state && describePlant(state.plant) !== describePlant(this.plant)) {
        throw new Error(`${this.path} holds ${describePlant(state.plant)}, not ${describePlant(this.plant)}: ` +
          'start the sandbox with that seed, tenant and number of assets, or with another data directory.');
      }
      if (state) apply(ctx, state);
    }
    this.saved = serialise(ctx, this.plant);
  }

  /**
   * Writes the tenant as it is now (call before answering a change, so that an answered change is never lost). When the
   * write fails the change is taken back: it is answered 500, so a retry must not find it done, and a later save must not
   * persist it.
   */
  save(ctx: SandboxContext): void {
    if (!this.path) return;
    const text = serialise(ctx, this.plant);
    const part = `${this.path}.${process.pid}.part`;
    try {
      mkdirSync(join(this.path, '..'), { recursive: true });
      writeFileSync(part, text);
      renameSync(part, this.path);
    } catch (error) {
      rmSync(part, { force: true });
      apply(ctx, JSON.parse(this.saved!) as TenantState);
      throw error;
    }
    this.saved = text;
  }
}

function serialise(ctx: SandboxContext, plant: PlantIdentity): string {
  const model = ctx.model;
  const state: TenantState = {
    version: 1, plant, rootId: model.rootId,
    aspectTypes: [...model.aspectTypes.values()], assetTypes: [...model.assetTypes.values()], assets: [...model.assets.values()],
    contracts: [...contractStore(ctx).contracts.values()],
  };
  return JSON.stringify(state);
}

function apply(ctx: SandboxContext, state: TenantState): void {
  const model = ctx.model;
  model.rootId = state.rootId;
  replace(model.aspectTypes, state.aspectTypes.map((t) => [t.id, t]));
  replace(model.assetTypes, state.assetTypes.map((t) => [t.id, t]));
  replace(model.assets, state.assets.map((a) => [a.assetId, a]));
  replace(contractStore(ctx).contracts, state.contracts.map((c) => [c.id, c]));
  ctx.modelChanged();
}

function describePlant(plant: PlantIdentity): string {
  return `the tenant '${plant.tenant}' of seed '${plant.seed}' with ${plant.assets} seeded assets`;
}

function replace<V>(map: Map<string, V>, entries: [string, V][]): void {
  map.clear();
  for (const [key, value] of entries) map.set(key, value);
}

/** The state, checked for its shape (the file is ours, but may have been edited or cut short). */
function parseState(text: string): TenantState {
  const state = JSON.parse(text) as Partial<TenantState> | null;
  if (!state || typeof state !== 'object' || state.version !== 1) throw new Error('not a version 1 tenant file');
  const plant = state.plant;
  if (typeof plant?.seed !== 'string' || typeof plant.tenant !== 'string' || typeof plant.assets !== 'number') throw new Error("'plant' is missing");
  if (typeof state.rootId !== 'string') throw new Error("'rootId' is missing");
  const ids = { aspectTypes: 'id', assetTypes: 'id', assets: 'assetId', contracts: 'id' } as const;
  for (const [key, id] of Object.entries(ids) as [keyof typeof ids, string][]) {
    const list: unknown = state[key];
    if (!Array.isArray(list) || !list.every((item) => typeof (item as Record<string, unknown> | null)?.[id] === 'string')) {
      throw new Error(`'${key}' is not a list of items with an ${id}`);
    }
  }
  if (!state.assets!.some((a) => a.assetId === state.rootId)) throw new Error('its root asset is missing');
  checkItems(state as TenantState);
  return state as TenantState;
}

/**
 * The fields the API relies on, and the references between items: an item that breaks them would start the tenant and
 * then answer 500s, so the file counts as unreadable instead.
 */
function checkItems(state: TenantState): void {
  type Item = Record<string, unknown>;
  const list = (value: unknown, each: (item: Item) => boolean) =>
    Array.isArray(value) && value.every((item) => typeof item === 'object' && item !== null && each(item as Item));
  const named = (item: Item) => typeof item.name === 'string';
  const variables = (value: unknown) => list(value, (v) => named(v) && (DATA_TYPES as readonly unknown[]).includes(v.dataType));
  const aspectTypes = new Set(state.aspectTypes.map((t) => t.id));
  const assetTypes = new Set(state.assetTypes.map((t) => t.id));
  const assets = new Set(state.assets.map((a) => a.assetId));
  const check = (ok: boolean, what: string) => {
    if (!ok) throw new Error(what);
  };
  for (const t of state.aspectTypes as unknown as Item[]) {
    const what = `aspect type '${t.id as string}'`;
    check(named(t) && (t.category === 'static' || t.category === 'dynamic') && typeof t.etag === 'number', `${what} lacks its name, category or etag`);
    check(variables(t.variables), `${what} has no list of variables with a name and a data type`);
  }
  for (const t of state.assetTypes as unknown as Item[]) {
    const what = `asset type '${t.id as string}'`;
    check(named(t) && typeof t.etag === 'number', `${what} lacks its name or etag`);
    check(t.parentTypeId === null || assetTypes.has(t.parentTypeId as string), `${what} names an unknown parent type`);
    check(variables(t.variables), `${what} has no list of variables with a name and a data type`);
    check(list(t.aspects, (a) => named(a) && aspectTypes.has(a.aspectTypeId as string)), `${what} has an aspect without a name or of an unknown aspect type`);
  }
  for (const a of state.assets as unknown as Item[]) {
    const what = `asset '${a.assetId as string}'`;
    check(named(a) && typeof a.etag === 'number', `${what} lacks its name or etag`);
    check(assetTypes.has(a.typeId as string), `${what} is of an unknown type`);
    check(a.assetId === state.rootId ? a.parentId === null : assets.has(a.parentId as string), `${what} has an unknown parent`);
    check(list(a.variables, named) && list(a.aspects, (x) => named(x) && list(x.variables, named)), `${what} has no list of variables and aspects with names`);
  }
  for (const c of state.contracts as unknown as Item[]) {
    const typeIds = Array.isArray(c.assetTypes) && c.assetTypes.every((id) => typeof id === 'string');
    check(named(c) && typeof c.etag === 'number' && typeIds, `contract '${c.id as string}' lacks its name, etag or asset types`);
  }
}
