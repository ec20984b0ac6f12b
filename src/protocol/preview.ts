// The time-series preview panel's messages between the extension host and its webview. The webview imports this file for
// its types and a few constants (no zod: the schemas are in preview-schema.ts). Flow: the webview posts `ready`; the host answers `init`; every request of the webview carries a
// `requestId` that the host's answer repeats, so a late answer to a superseded request is recognised and dropped.
// Series cross as typed arrays (VS Code's postMessage transfers them without turning them into JSON).
import type { AggregateUnit } from '../core/limits';
import type { RangePreset } from '../core/timerange';
import type { AggregateFieldChoice, IntervalChoice, SeriesQuery, WebviewToHost } from './preview-schema';

export type { AggregateFieldChoice, IntervalChoice, RangePreset, SeriesQuery, WebviewToHost };

/** The view type of the panel (package.json `onWebviewPanel:` activation event and the serializer use it). */
export const PREVIEW_VIEW_TYPE = 'mdsp.preview';

/** Data types the chart can draw (booleans as 0 and 1): the explorer, the host and the panel offer only these. */
export const CHARTABLE_TYPES: ReadonlySet<string> = new Set(['DOUBLE', 'INT', 'LONG', 'BOOLEAN']);

/** Data types Aggregates v4 aggregates: numbers only (it answers a `select` of any other variable with 400). */
export const AGGREGATABLE_TYPES: ReadonlySet<string> = new Set(['DOUBLE', 'INT', 'LONG']);

/** Whether a variable of this data type can be shown in this mode: the host refuses, and the panel disables, the others. */
export function usableIn(dataType: string, mode: SeriesQuery['mode']): boolean {
  return (mode === 'aggregate' ? AGGREGATABLE_TYPES : CHARTABLE_TYPES).has(dataType);
}

/** Quality of a point, from its OPC UA quality code: the chart marks uncertain and bad points. */
export const QUALITY = { good: 0, uncertain: 1, bad: 2 } as const;
export type Quality = (typeof QUALITY)[keyof typeof QUALITY];

export interface AssetSummary {
  readonly assetId: string;
  readonly name: string;
  /** Where the asset sits, such as `Plant › Area 1`, to tell assets with the same name apart. */
  readonly path: string;
}

export interface VariableSummary {
  readonly name: string;
  readonly unit: string;
  readonly dataType: string;
  readonly qualityCode: boolean;
}

export interface AspectSummary {
  readonly name: string;
  readonly variables: readonly VariableSummary[];
}

/** What the panel was opened on (from the tree: an asset, aspect or variable; from a query's CodeLens, also its range). */
export interface InitialSelection {
  readonly assetId: string;
  readonly aspect?: string;
  readonly variables?: readonly string[];
  /** A query's own range (ISO 8601), read mode and interval, in place of the default range. */
  readonly range?: { readonly from: string; readonly to: string };
  readonly mode?: SeriesQuery['mode'];
  readonly interval?: Exclude<IntervalChoice, 'auto'>;
}

/** What the panel shows as one line: a variable's values (raw) or one field of its aggregates. */
export type SeriesField = 'value' | 'average' | 'min' | 'max' | 'sum' | 'count';

export interface SeriesPayload {
  readonly variable: string;
  readonly unit: string;
  readonly field: SeriesField;
  /** Epoch milliseconds, ascending (for aggregates: the start of each interval). */
  readonly times: Float64Array;
  /** NaN is a gap: the chart breaks its line there. */
  readonly values: Float64Array;
  /** Per point, a `Quality`. */
  readonly quality: Uint8Array;
  /** Points with a value in the window before downsampling (gap marks are not points), and whether some were left out. */
  readonly sourceCount: number;
  /** Bad and uncertain points in the window before downsampling (a drawn mark may stand for many of them). */
  readonly sourceBad: number;
  readonly sourceUncertain: number;
  readonly downsampled: boolean;
}

export interface ResolvedInterval {
  readonly unit: AggregateUnit;
  readonly value: number;
  /** Chosen by the host for the range, rather than by the user. */
  readonly auto: boolean;
}

export type HostToWebview =
  | {
      readonly type: 'init';
      /** Shown in the panel: which tenant the data comes from (`Sandbox`, a connection name). */
      readonly connection: string;
      readonly selection?: InitialSelection;
      readonly defaultRange: RangePreset;
      /** The range presets, with their length (a preset ends now). */
      readonly presets: readonly { readonly id: RangePreset; readonly label: string; readonly ms: number }[];
      /** The Aggregates v4 interval table (units, the values each allows, the longest range each covers). */
      readonly aggregateUnits: readonly { readonly unit: AggregateUnit; readonly allowedValues: readonly number[]; readonly maxRangeMs: number }[];
    }
  /** The tenant's assets, for picking another: sent after `init` once listed, which on a big tenant takes a while. */
  | { readonly type: 'assets'; readonly assets: readonly AssetSummary[] }
  | { readonly type: 'aspects'; readonly requestId: number; readonly assetId: string; readonly aspects: readonly AspectSummary[] }
  | {
      readonly type: 'progress';
      readonly requestId: number;
      readonly records: number;
      readonly requests: number;
      /** Share of the range loaded so far (0–1), when known. */
      readonly fraction: number | null;
    }
  | {
      readonly type: 'series';
      readonly requestId: number;
      readonly from: number;
      readonly to: number;
      readonly mode: 'raw' | 'aggregate';
      readonly interval: ResolvedInterval | null;
      readonly series: readonly SeriesPayload[];
      /** Records (or aggregates) behind the series, before downsampling, and how the host got them. */
      readonly records: number;
      readonly fromCache: boolean;
      readonly elapsedMs: number;
      /**
       * What the load left out because it could not read it: records (or intervals) without a readable time, and values
       * that are neither numbers nor booleans. The panel says so; absent means nothing was left out.
       */
      readonly unreadable?: { readonly times: number; readonly values: number };
    }
  | { readonly type: 'failed'; readonly requestId: number | null; readonly message: string; readonly status?: number }
  | { readonly type: 'cancelled'; readonly requestId: number }
  | { readonly type: 'notice'; readonly message: string };

/** The webview's view state (getState/setState), restored after a reload by the panel serializer. */
export interface ViewState {
  readonly version: 1;
  /** The connection whose data the panel showed (`init.connection`). */
  readonly connection?: string;
  readonly selection?: {
    readonly assetId: string;
    readonly assetName: string;
    readonly aspect: string;
    readonly variables: readonly string[];
  };
  readonly range: SeriesQuery['range'];
  readonly mode: SeriesQuery['mode'];
  readonly interval: IntervalChoice;
  readonly fields: readonly AggregateFieldChoice[];
  readonly view: 'chart' | 'table';
  /** The zoomed window, if any. */
  readonly zoom?: { readonly from: number; readonly to: number };
  /** Series hidden through the legend, by key `variable.field`. */
  readonly hidden: readonly string[];
}
