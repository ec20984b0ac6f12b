// Where the preview panel gets its data: an interface over the MindSphere client (client-source.ts; tests may implement
// it over generated data). Records keep MindSphere's own shapes, as the client returns them.
import type { Aggregate, TimeSeriesRecord } from '../../client';
import type { AggregateInterval } from '../../core/timerange';
import type { AspectSummary, AssetSummary } from '../../protocol/preview';

export type { Aggregate, TimeSeriesRecord };

export interface ReadRequest {
  readonly assetId: string;
  readonly aspect: string;
  readonly variables: readonly string[];
  /** Epoch milliseconds: `from` exclusive, `to` inclusive. */
  readonly from: number;
  readonly to: number;
}

export interface ReadProgress {
  /** Records received so far. */
  readonly records: number;
  /** Requests sent so far. */
  readonly requests: number;
  /** The client's estimate of the total, once it has one. */
  readonly estimatedTotal?: number;
}

export interface ReadOptions {
  /** Aborted when the user cancels, starts another load, or closes the panel. */
  readonly signal: AbortSignal;
  readonly onProgress: (progress: ReadProgress) => void;
}

export interface SeriesSource {
  /** The gateway URL, for the equivalent REST request (`https://gateway.eu1.mindsphere.io`, the sandbox's URL). */
  readonly gateway: string;
  /** Shown in the panel: where the data comes from (`Sandbox`, a connection's name). */
  readonly label: string;
  assets(signal: AbortSignal): Promise<readonly AssetSummary[]>;
  /** One asset's name (one request, where listing every asset of a big tenant takes many). */
  assetName(assetId: string, signal: AbortSignal): Promise<string>;
  /** The asset's aspects that have time series: its dynamic ones. */
  aspects(assetId: string, signal: AbortSignal): Promise<readonly AspectSummary[]>;
  /**
   * Every raw record of the range (past the 2000-record cap: the client splits the range), page by page in time order,
   * so that the caller can keep them in a smaller form than objects as they come.
   */
  streamRaw(request: ReadRequest, options: ReadOptions): AsyncIterable<readonly TimeSeriesRecord[]>;
  /** Every Aggregates v4 interval of the range, sorted by time. */
  readAggregates(request: ReadRequest & { readonly interval: AggregateInterval }, options: ReadOptions): Promise<readonly Aggregate[]>;
}
