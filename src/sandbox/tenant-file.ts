// With a data directory, what clients change in the tenant's Asset Management model (aspect types, asset types, assets)
// and its contracts is kept in DIR/tenant.json: rewritten whole before the answer to every such change (to a temporary
// file, then renamed, so a crash leaves the old file or the new one, never half of one) and read at start instead of the
// seed's plant. Time series have their own journal (series.ts).
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { SandboxContext } from './context';
import type { Asset, AspectType, AssetType } from './model';
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

export class TenantFile {
  private readonly path: string | undefined;

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
    if (!this.path || !existsSync(this.path)) return;
    let state: TenantState;
    try {
      state = parseState(readFileSync(this.path, 'utf8'));
    } catch (error) {
      const aside = `${this.path}.unreadable-${new Date().toISOString().replace(/[:.]/g, '-')}`;
      renameSync(this.path, aside);
      this.log(`${this.path} could not be read (${(error as Error).message}); it was moved to ${aside} and the tenant starts from the seed.`);
      return;
    }
    if (describePlant(state.plant) !== describePlant(this.plant)) {
      throw new Error(`${this.path} holds ${describePlant(state.plant)}, not ${describePlant(this.plant)}: ` +
        'start the sandbox with that seed, tenant and number of assets, or with another data directory.');
    }
    const model = ctx.model;
    model.rootId = state.rootId;
    replace(model.aspectTypes, state.aspectTypes.map((t) => [t.id, t]));
    replace(model.assetTypes, state.assetTypes.map((t) => [t.id, t]));
    replace(model.assets, state.assets.map((a) => [a.assetId, a]));
    replace(contractStore(ctx).contracts, state.contracts.map((c) => [c.id, c]));
    ctx.modelChanged();
  }

  /** Writes the tenant as it is now (call before answering a change, so that an answered change is never lost). */
  save(ctx: SandboxContext): void {
    if (!this.path) return;
    const model = ctx.model;
    const state: TenantState = {
      version: 1, plant: this.plant, rootId: model.rootId,
      aspectTypes: [...model.aspectTypes.values()], assetTypes: [...model.assetTypes.values()], assets: [...model.assets.values()],
      contracts: [...contractStore(ctx).contracts.values()],
    };
    mkdirSync(join(this.path, '..'), { recursive: true });
    const part = `${this.path}.${process.pid}.part`;
    writeFileSync(part, JSON.stringify(state));
    renameSync(part, this.path);
  }
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
  return state as TenantState;
}
