// The preview's SeriesSource over the MindSphere client: the catalog from Asset Management, raw data through the
// client's split read (past the 2000-record cap, with progress), aggregates through its chunked v4 read. The extension
// imports this module only when a panel opens, so the client is not loaded at activation.
import { collect, type MindSphereClient } from '../../client';
import type { AspectSummary, AssetSummary } from '../../protocol/preview';
import type { SeriesSource } from './source';

/** `label` names the connection in the panel (`Sandbox`, the connection's name). */
export function clientSeriesSource(client: MindSphereClient, label: string): SeriesSource {
  return {
    gateway: client.connection.gateway,
    label,
    async assets(signal) {
      const assets = await collect(client.assets.list({ signal, sort: 'name,asc' }));
      const byId = new Map(assets.map((a) => [a.assetId, a]));
      const pathOf = (parentId: string | null | undefined): string => {
        const names: string[] = [];
        for (let p = parentId ? byId.get(parentId) : undefined; p && names.length < 64; p = p.parentId ? byId.get(p.parentId) : undefined) {
          names.unshift(p.name);
        }
        return names.join(' › ');
      };
      return assets.map((a): AssetSummary => ({ assetId: a.assetId, name: a.name, path: pathOf(a.parentId) }));
    },
    async assetName(assetId, signal) {
      return (await client.assets.get(assetId, { signal })).name;
    },
    async aspects(assetId, signal) {
      // Only dynamic aspects have time series (MindSphere answers a read of a static one with 400); one without a
      // category is kept, for the tenant to decide.
      const aspects = (await collect(client.assets.aspects(assetId, { signal }))).filter((a) => a.category !== 'static');
      return aspects.map((a): AspectSummary => ({
        name: a.name,
        variables: (a.variables ?? []).map((v) => ({ name: v.name, unit: v.unit ?? '', dataType: v.dataType, qualityCode: v.qualityCode === true })),
      }));
    },
    streamRaw(req, { signal, onProgress }) {
      return client.streamTimeSeries(req.assetId, req.aspect, req.from, req.to, {
        select: req.variables, signal,
        onProgress: (p) => onProgress({ records: p.records, requests: p.requests, ...(p.estimatedTotal ? { estimatedTotal: p.estimatedTotal } : {}) }),
      });
    },
    readAggregates(req, { signal, onProgress }) {
      return client.readAggregates(req.assetId, req.aspect, req.from, req.to, {
        intervalUnit: req.interval.unit, intervalValue: req.interval.value, select: req.variables, signal,
        onProgress: (p) => onProgress({ records: p.aggregates, requests: p.chunksDone, estimatedTotal: p.estimatedTotal }),
      });
    },
  };
}

/**
 * A SeriesSource for one connection that asks `clientOf` for its client at every call rather than keeping the first:
 * a panel then keeps working when the session replaces the client (the sandbox restarted on a new port after its
 * settings changed, a connection's binding keys edited). Rejects, with the session's message, when there is none.
 */
export async function connectionSeriesSource(clientOf: () => Promise<MindSphereClient>, label: string): Promise<SeriesSource> {
  let current = clientSeriesSource(await clientOf(), label);
  const fresh = async (): Promise<SeriesSource> => (current = clientSeriesSource(await clientOf(), label));
  return {
    get gateway() {
      return current.gateway;
    },
    label,
    assets: async (signal) => (await fresh()).assets(signal),
    assetName: async (assetId, signal) => (await fresh()).assetName(assetId, signal),
    aspects: async (assetId, signal) => (await fresh()).aspects(assetId, signal),
    async* streamRaw(request, options) {
      yield* (await fresh()).streamRaw(request, options);
    },
    readAggregates: async (request, options) => (await fresh()).readAggregates(request, options),
  };
}
