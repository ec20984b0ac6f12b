// The time-series preview as a feature of the extension: "Preview Time Series" (from an asset, aspect or variable of the
// explorer, from another command with a selection, or from the palette with quick picks for asset and aspect), and the
// serializer that brings panels back after a reload. Activation registers only the serializer: the panel's code (zod,
// the controller) and the client load when a panel opens.
import * as vscode from 'vscode';
import type { AspectSummary, InitialSelection } from '../../protocol/preview';
import { PREVIEW_VIEW_TYPE } from '../../protocol/preview';
import { aggregateUnitRule } from '../../core/limits';
import { isNode, pickAsset } from '../explorer/commands';
import { lintFeature } from '../lint';
import { CHARTABLE_TYPES, selectionOf } from '../explorer/nodes';
import type { Services } from '../services';
import { messageOf } from '../util';
import type { PreviewDeps, PreviewPanel } from './panel';
import type { SeriesSource } from './source';

/** What every panel is built from: the data of the connection that is active when the panel opens. */
function previewDeps(s: Services): PreviewDeps {
  return {
    extensionUri: s.context.extensionUri,
    log: s.log,
    async source(): Promise<SeriesSource> {
      const connection = s.session.active();
      const { connectionSeriesSource } = await import('./client-source');
      // Without a connection, session.client rejects with what to do about it; the panel shows that message.
      return connectionSeriesSource(() => s.session.client(connection?.id), connection?.name ?? '');
    },
  };
}

export function registerPreviewFeature(s: Services): vscode.Disposable[] {
  return [
    vscode.window.registerWebviewPanelSerializer(PREVIEW_VIEW_TYPE, {
      async deserializeWebviewPanel(panel: vscode.WebviewPanel, state: unknown): Promise<void> {
        const { PreviewPanel } = await import('./panel');
        PreviewPanel.revive(panel, previewDeps(s), state);
      },
    }),
  ];
}

/**
 * `mdsp.previewTimeSeries`: opens a panel on an explorer node (asset, aspect or variable of an asset), on a selection
 * `{ assetId, aspect?, variables? }` passed by another command, on the query at `(uri, offset)` of a document (its
 * CodeLens), or, from the palette, on an asset and aspect the user picks. Resolves to the panel, or undefined when
 * nothing opened (cancelled, or nothing to chart).
 */
export async function previewTimeSeries(s: Services, arg?: unknown, offset?: unknown): Promise<PreviewPanel | undefined> {
  const deps = previewDeps(s);
  let selection: InitialSelection | undefined;
  if (arg instanceof vscode.Uri) {
    selection = await selectionOfQuery(s, arg, offset);
    if (!selection) return undefined;
  } else if (isNode(arg)) {
    selection = selectionOf(arg);
    if (!selection) {
      void s.ui.warn('Preview Time Series charts the data of an asset: pick an asset, or an aspect or variable under an asset (an asset type holds no data).');
      return undefined;
    }
  } else if (isSelection(arg)) {
    selection = arg;
  } else {
    selection = await askSelection(s, deps);
    if (!selection) return undefined;
  }
  const { PreviewPanel } = await import('./panel');
  return PreviewPanel.open(deps, selection);
}

function isSelection(arg: unknown): arg is InitialSelection {
  if (typeof arg !== 'object' || arg === null) return false;
  const { assetId, aspect, variables } = arg as Record<string, unknown>;
  return typeof assetId === 'string' && assetId !== ''
    && (aspect === undefined || typeof aspect === 'string')
    && (variables === undefined || (Array.isArray(variables) && variables.every((v) => typeof v === 'string')));
}

/** What a query of a document reads (asset, aspect, variables, range, raw or aggregates): what its panel opens on. */
async function selectionOfQuery(s: Services, uri: vscode.Uri, offset: unknown): Promise<InitialSelection | undefined> {
  const at = await lintFeature(s).requestAt(uri, offset);
  if (!at.ok) {
    void s.ui.error(`Preview Time Series: ${at.message}`);
    return undefined;
  }
  const read = at.engine.rangeRead(at.request.method, at.request.url);
  if (!read) {
    void s.ui.warn('Preview Time Series charts reads of time series over a range: GET /api/iottimeseries/v3/timeseries/{assetId}/{aspect}?from=…&to=…, '
      + 'or GET /api/iottsaggregates/v4/aggregates?assetId=…&aspectName=…&from=…&to=…. Add what is missing to the request, or run it instead.');
    return undefined;
  }
  // `select` may name quality codes (`Velocity_qc`): the panel marks them on the variable's line.
  const variables = read.select?.split(',').map((v) => v.trim()).filter((v) => v && !v.endsWith('_qc'));
  const unit = read.kind === 'aggregates' && read.intervalUnit ? aggregateUnitRule(read.intervalUnit)?.unit : undefined;
  return {
    assetId: read.assetId, aspect: read.aspect, ...(variables?.length ? { variables } : {}),
    range: { from: read.from, to: read.to }, mode: read.kind === 'aggregates' ? 'aggregate' : 'raw',
    ...(unit && read.kind === 'aggregates' && read.intervalValue ? { interval: { unit, value: read.intervalValue } } : {}),
  };
}

const chartableVariables = (aspect: AspectSummary): string[] =>
  aspect.variables.filter((v) => CHARTABLE_TYPES.has(v.dataType)).map((v) => v.name);

/**
 * From the palette: an asset (searched by name on the tenant; those without time series say so), then one of its
 * dynamic aspects that has something to chart (the source lists only dynamic ones).
 */
async function askSelection(s: Services, deps: PreviewDeps): Promise<InitialSelection | undefined> {
  const asset = await pickAsset(s, 'Preview Time Series: pick an asset', { timeSeries: true });
  if (!asset) return undefined;
  let aspects: readonly AspectSummary[];
  try {
    const source = await deps.source();
    aspects = await vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: `Listing the aspects of '${asset.name}'` },
      () => source.aspects(asset.assetId, AbortSignal.timeout(60_000)));
  } catch (error) {
    void s.ui.error(`Could not list the aspects of '${asset.name}': ${messageOf(error)}`);
    return undefined;
  }
  const items = aspects
    .map((aspect) => ({ aspect, variables: chartableVariables(aspect) }))
    .filter((a) => a.variables.length > 0)
    .map(({ aspect, variables }) => ({ label: aspect.name, description: variables.join(', '), variables }));
  if (items.length === 0) {
    void s.ui.warn(`'${asset.name}' has no dynamic aspect with numeric or boolean variables: there is no time series to chart. ` +
      'Pick an asset with a dynamic aspect.');
    return undefined;
  }
  const chosen = items.length === 1 ? items[0] : await s.ui.pick(items, {
    title: `Preview Time Series of '${asset.name}'`,
    placeHolder: 'Pick an aspect',
    matchOnDescription: true,
  });
  return chosen && { assetId: asset.assetId, aspect: chosen.label, variables: chosen.variables };
}
