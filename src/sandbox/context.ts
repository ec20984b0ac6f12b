// What every API module of one running sandbox shares: the tenant's credentials, the token issuer, the asset model and
// the time series (generated plus written).
import type { TokenIssuer } from './auth';
import { ApiError, notFound } from './http';
import type { AssetModel } from './model';
import { type Plant, signalKey } from './plant';
import { type OverlayStore, type Series } from './series';
import { type GeneratedKind, SeriesGenerator } from './signal';

export interface ClientCredentials {
  readonly tenant: string;
  readonly clientId: string;
  readonly clientSecret: string;
  /** Scopes granted to the client (a token request may ask for fewer). */
  readonly scopes: readonly string[];
}

const ASSET_ID = /^[a-f0-9]{32}$/;

export class SandboxContext {
  private readonly generators = new Map<string, SeriesGenerator>();

  constructor(
    readonly credentials: ClientCredentials,
    readonly seed: string,
    readonly issuer: TokenIssuer,
    readonly plant: Plant,
    readonly overlays: OverlayStore,
    /** Spacing of generated points. */
    readonly periodMs: number,
    /** Generated data starts here (the plant's commissioning). */
    readonly historyStartMs: number,
    readonly maxBodyBytes: number,
    readonly log: (line: string) => void,
  ) {}

  get model(): AssetModel {
    return this.plant.model;
  }

  /** Call after a change to types or the hierarchy: drops derived indexes and generators built from old types. */
  modelChanged(): void {
    this.model.changed();
    this.generators.clear();
  }

  /** The time series of an asset's aspect, or a 400/404 that says which part is wrong. */
  series(assetId: string, aspectName: string): Series {
    if (!ASSET_ID.test(assetId)) {
      throw new ApiError(400, 'invalidParameter', `Asset id '${assetId}' is not valid: asset ids are 32 lowercase hex characters.`);
    }
    const asset = this.model.liveAsset(assetId);
    if (!asset) throw notFound(`Asset '${assetId}' does not exist in tenant ${this.credentials.tenant}.`);
    const aspect = this.model.aspectOf(asset, aspectName);
    if (!aspect) {
      const names = this.model.aspectsOfType(asset.typeId).map((a) => a.name);
      throw notFound(`Asset '${asset.name}' (${assetId}) has no aspect '${aspectName}'; its aspects are: ${names.join(', ') || 'none'}.`);
    }
    if (aspect.aspectType.category !== 'dynamic') {
      throw new ApiError(400, 'invalidParameter', `Aspect '${aspectName}' is static (type ${aspect.aspectType.id}): only dynamic aspects have time series.`);
    }
    const key = `${assetId}/${aspectName}`;
    return {
      key,
      aspectName,
      variables: aspect.aspectType.variables,
      generator: asset.generated ? this.generator(key, assetId, aspectName, aspect.aspectType.id, aspect.aspectType.variables) : undefined,
      overlay: this.overlays.get(key),
    };
  }

  private generator(key: string, assetId: string, aspectName: string, aspectTypeId: string,
    variables: readonly { name: string; dataType: string; qualityCode?: boolean }[]): SeriesGenerator | undefined {
    let generator = this.generators.get(key);
    if (generator) return generator;
    const scale = this.plant.ratedPower.get(assetId) ?? 1;
    const generated = variables.flatMap((v) => {
      const profile = this.plant.signals.get(signalKey(aspectTypeId, v.name));
      if (!profile) return [];
      const kind: GeneratedKind = v.dataType === 'BOOLEAN' ? 'boolean' : v.dataType === 'STRING' ? 'string' : 'number';
      return [SeriesGenerator.variable(this.seed, assetId, aspectName, v.name, kind, v.qualityCode ?? false, profile, scale)];
    });
    if (generated.length === 0) return undefined;
    generator = new SeriesGenerator(this.seed, assetId, aspectName, this.periodMs, generated, this.historyStartMs);
    this.generators.set(key, generator);
    return generator;
  }
}
