// The host half of the preview panel, without VS Code: it validates each message of the webview, loads data from the
// injected SeriesSource with progress and cancellation, keeps the loaded table at full resolution, and posts downsampled
// lines. PreviewPanel connects it to a real WebviewPanel; tests connect it to a fake UI or to the webview in Chromium.
import { downsampleMinMax, MAX_POINTS_PER_PIXEL } from '../../core/downsample';
import { AGGREGATE_UNITS } from '../../core/limits';
import { redact } from '../../core/redact';
import {
  checkAggregateInterval, chooseAggregateInterval, RANGE_PRESET_IDS, RANGE_PRESETS, resolveRange,
  type AggregateInterval, type RangePreset, type Result, type TimeRange,
} from '../../core/timerange';
import {
  CHARTABLE_TYPES, type AspectSummary, type HostToWebview, type InitialSelection, type SeriesQuery, usableIn, type VariableSummary,
} from '../../protocol/preview';
import { parseWebviewMessage, type WebviewToHost } from '../../protocol/preview-schema';
import { aggregateTable, fullSeries, rawTableOf, seriesPayload, tableLength, type FullSeries, type LoadedTable } from './columns';
import { exportFileName, exportPieces, type ExportFormat } from './export';
import { restRequest } from './rest';
import type { SeriesSource } from './source';

/** What the controller needs of VS Code; PreviewPanel implements it. */
export interface PreviewUi {
  post(message: HostToWebview): void;
  setTitle(title: string): void;
  /** VS Code's own progress for a long load; `cancel` runs when the user cancels it there. */
  startProgress(title: string, cancel: () => void): ProgressHandle;
  /**
   * Asks where to save and writes `pieces` there, with progress titled `title`; resolves to where the file went, or
   * undefined when the user cancelled (in the dialog or while writing: then nothing was written).
   */
  save(fileName: string, format: ExportFormat, pieces: Iterable<string>, title: string): Promise<string | undefined>;
  copy(text: string): Promise<void>;
}

export interface ProgressHandle {
  report(fraction: number | null, message: string): void;
  done(): void;
}

export interface PreviewLog {
  info(message: string): void;
  warn(message: string): void;
  error(message: string, error?: unknown): void;
}

export interface PreviewOptions {
  /** At most this many points per horizontal pixel reach the webview (setting `mdsp.preview.maxPointsPerPixel`). */
  readonly pointsPerPixel?: number;
  readonly defaultRange?: RangePreset;
  /** What the panel was opened on. */
  readonly initial?: InitialSelection;
  readonly now?: () => number;
  /** VS Code's progress appears only for loads that take longer than this. */
  readonly progressDelayMs?: number;
  /** The memory a raw load may take (default RAW_MEMORY_BUDGET); one estimated to need more stops after its first page. */
  readonly rawMemoryBudget?: number;
}

const PROGRESS_EVERY_MS = 100;

/**
 * The memory a raw load may take in the extension host. It keeps, per record, the time (8 bytes) and per variable the
 * value and quality code of the table (16) and the chart's line at full resolution (time, value, severity: 17); the
 * records arrive as objects (about 200 bytes each) but only a page at a time (RawTableBuilder). 512 MiB holds 5 million
 * records of 3 variables; 90 days at one record a second (7.8 million) would not fit, and aggregates show such ranges.
 */
export const RAW_MEMORY_BUDGET = 512 * 1024 * 1024;

/** The most raw records a load of `variables` variables reads within `budget` bytes, rounded down to two significant digits. */
export function rawRecordLimit(variables: number, budget = RAW_MEMORY_BUDGET): number {
  const exact = Math.floor(budget / (8 + 33 * Math.max(1, variables)));
  const unit = 10 ** Math.max(0, Math.floor(Math.log10(exact)) - 1);
  return Math.floor(exact / unit) * unit;
}

interface Loaded {
  readonly key: string;
  readonly query: SeriesQuery;
  readonly range: TimeRange;
  readonly interval: AggregateInterval | undefined;
  readonly table: LoadedTable;
  readonly series: readonly FullSeries[];
  readonly assetName: string;
}

interface Running {
  readonly requestId: number;
  readonly abort: AbortController;
}

type Plan = { range: TimeRange; interval: AggregateInterval | undefined; auto: boolean; variables: VariableSummary[] };

export class PreviewController {
  /** Asset names by id, from the listing or asked for one by one. */
  private readonly names = new Map<string, string>();
  private readonly aspects = new Map<string, readonly AspectSummary[]>();
  private loaded: Loaded | undefined;
  private running: Running | undefined;
  private readonly lifetime = new AbortController();
  private lastWidthPx = 800;
  /** The newest load request: an older one that is still planning gives way to it. */
  private latest = -1;

  constructor(
    private readonly source: SeriesSource,
    private readonly ui: PreviewUi,
    private readonly log: PreviewLog,
    private readonly options: PreviewOptions = {},
  ) {}

  /** Handles one message from the webview. Never throws: bad input is logged and, where it has a request id, answered. */
  async receive(raw: unknown): Promise<void> {
    const parsed = parseWebviewMessage(raw);
    if (!parsed.ok) {
      this.log.warn(`Preview: ignored a message from the webview that is not valid (${redact(parsed.reason)}).`);
      const requestId = (raw as { requestId?: unknown } | null)?.requestId;
      if (Number.isSafeInteger(requestId)) {
        this.ui.post({ type: 'failed', requestId: requestId as number, message: `The panel sent a request the host cannot read: ${parsed.reason}` });
      }
      return;
    }
    try {
      await this.handle(parsed.message);
    } catch (error) {
      this.log.error(`Preview: ${parsed.message.type} failed`, error);
      const requestId = 'requestId' in parsed.message ? parsed.message.requestId : null;
      this.ui.post({ type: 'failed', requestId, message: describe(error), ...statusOf(error) });
    }
  }

  dispose(): void {
    this.lifetime.abort();
    this.running?.abort.abort();
  }

  private async handle(message: WebviewToHost): Promise<void> {
    switch (message.type) {
      case 'ready':
        return this.init();
      case 'listAspects':
        this.ui.post({ type: 'aspects', requestId: message.requestId, assetId: message.assetId, aspects: await this.aspectsOf(message.assetId) });
        return;
      case 'load':
        return this.load(message.requestId, message.query, message.widthPx, message.reason);
      case 'cancel':
        if (this.running?.requestId === message.requestId) this.running.abort.abort();
        return;
      case 'export':
        return this.export(message.format);
      case 'copyRequest':
        return this.copyRequest(message.query);
    }
  }

  /**
   * Answers `ready` (also after the webview was hidden and reloaded): at once the settings and the table of intervals,
   * so the chart of the asset the panel opened on loads right away; then the tenant's assets, once listed (on a tenant
   * of thousands of assets that takes seconds).
   */
  private async init(): Promise<void> {
    this.ui.post({
      type: 'init',
      connection: this.source.label,
      ...(this.options.initial ? { selection: this.options.initial } : {}),
      defaultRange: this.options.defaultRange ?? 'day',
      presets: RANGE_PRESET_IDS.map((id) => ({ id, label: RANGE_PRESETS[id].label, ms: RANGE_PRESETS[id].ms })),
      aggregateUnits: AGGREGATE_UNITS.value.map(({ unit, allowedValues, maxRangeMs }) => ({ unit, allowedValues, maxRangeMs })),
    });
    try {
      const assets = await this.source.assets(this.lifetime.signal);
      for (const a of assets) this.names.set(a.assetId, a.name);
      this.ui.post({ type: 'assets', assets });
    } catch (error) {
      if (this.lifetime.signal.aborted) return;
      this.log.error('Preview: listing assets failed', error);
      this.ui.post({ type: 'failed', requestId: null, message: `Could not list the assets: ${describe(error)}`, ...statusOf(error) });
    }
  }

  private async aspectsOf(assetId: string): Promise<readonly AspectSummary[]> {
    const known = this.aspects.get(assetId);
    if (known) return known;
    const aspects = await this.source.aspects(assetId, this.lifetime.signal);
    this.aspects.set(assetId, aspects);
    return aspects;
  }

  /** An asset's name for titles and messages: from the listing when it came, else asked for (its id if that fails). */
  private async assetName(assetId: string): Promise<string> {
    let name = this.names.get(assetId);
    if (name === undefined) {
      name = await this.source.assetName(assetId, this.lifetime.signal).catch(() => assetId);
      this.names.set(assetId, name);
    }
    return name;
  }

  /** Resolves the range and interval and checks the variables: everything that can be wrong before any request. */
  private async plan(query: SeriesQuery, widthPx: number): Promise<Result<Plan>> {
    const range = resolveRange(query.range, (this.options.now ?? Date.now)());
    if (!range.ok) return range;
    const aspects = await this.aspectsOf(query.assetId);
    const aspect = aspects.find((a) => a.name === query.aspect);
    if (!aspect) {
      return { ok: false, error: `The asset '${await this.assetName(query.assetId)}' has no dynamic aspect '${query.aspect}' (only dynamic aspects ` +
        `have time series; its dynamic aspects: ${aspects.map((a) => a.name).join(', ') || 'none'}). Refresh the tree and pick one of them.` };
    }
    const variables: VariableSummary[] = [];
    for (const name of query.variables) {
      const v = aspect.variables.find((x) => x.name === name);
      if (!v) return { ok: false, error: `The aspect '${query.aspect}' has no variable '${name}'. Refresh the tree and pick it again.` };
      if (!CHARTABLE_TYPES.has(v.dataType)) {
        return { ok: false, error: `'${name}' holds ${v.dataType} values, which cannot be charted: pick a numeric or boolean variable.` };
      }
      if (!usableIn(v.dataType, query.mode)) {
        return { ok: false, error: `'${name}' holds ${v.dataType} values, which Aggregates v4 does not aggregate: pick a numeric variable, or choose Raw.` };
      }
      variables.push(v);
    }
    if (query.mode === 'raw') return { ok: true, value: { range: range.value, interval: undefined, auto: false, variables } };
    const auto = query.interval === 'auto';
    const interval = query.interval === 'auto'
      ? chooseAggregateInterval(range.value, widthPx)
      : checkAggregateInterval(query.interval, range.value);
    if (!interval.ok) return interval;
    return { ok: true, value: { range: range.value, interval: interval.value, auto, variables } };
  }

  private async load(requestId: number, query: SeriesQuery, widthPx: number, reason: 'load' | 'zoom' | 'restore'): Promise<void> {
    const started = performance.now();
    this.lastWidthPx = widthPx;
    // One load at a time: a new request (a zoom, another selection) supersedes the one in flight.
    this.latest = requestId;
    if (this.running) {
      this.running.abort.abort();
      this.ui.post({ type: 'cancelled', requestId: this.running.requestId });
      this.running = undefined;
    }
    const planned = await this.plan(query, widthPx);
    if (this.latest !== requestId) {
      this.ui.post({ type: 'cancelled', requestId });
      return;
    }
    if (!planned.ok) {
      this.ui.post({ type: 'failed', requestId, message: planned.error });
      return;
    }
    const { interval, auto, variables } = planned.value;
    const key = JSON.stringify([query.assetId, query.aspect, query.variables, query.mode, interval, query.fields]);
    const cached = this.loaded;
    // A webview shown again (VS Code rebuilds hidden webviews) asks for what it showed: "last day" means the same day.
    const range = reason === 'restore' && cached && JSON.stringify(cached.query) === JSON.stringify(query) ? cached.range : planned.value.range;
    const fromCache = reason !== 'load' && cached?.key === key && range.from >= cached.range.from && range.to <= cached.range.to;
    let loaded: Loaded;
    if (fromCache) {
      loaded = cached;
    } else {
      const table = await this.read(requestId, query, range, interval, variables);
      if (!table) return;
      const assetName = await this.assetName(query.assetId);
      loaded = { key, query, range, interval, table, series: fullSeries(table, query.fields), assetName };
      this.loaded = loaded;
      this.ui.setTitle(`${assetName} › ${query.aspect}`);
    }
    const pointsPerPixel = this.options.pointsPerPixel ?? MAX_POINTS_PER_PIXEL;
    const series = loaded.series.map((s) => seriesPayload(s, downsampleMinMax(s.columns, range, widthPx, pointsPerPixel)));
    this.ui.post({
      type: 'series', requestId, from: range.from, to: range.to, mode: query.mode,
      interval: interval ? { ...interval, auto } : null, series, records: tableLength(loaded.table), fromCache,
      elapsedMs: Math.round(performance.now() - started), unreadable: loaded.table.unreadable,
    });
  }

  /** Reads from the source with progress in the panel and (for long loads) in VS Code; undefined when cancelled. */
  private async read(requestId: number, query: SeriesQuery, range: TimeRange, interval: AggregateInterval | undefined,
    variables: readonly VariableSummary[]): Promise<LoadedTable | undefined> {
    const abort = new AbortController();
    const running: Running = { requestId, abort };
    this.running = running;
    const stopWithPanel = () => abort.abort();
    this.lifetime.signal.addEventListener('abort', stopWithPanel);
    const title = `Loading ${await this.assetName(query.assetId)} › ${query.aspect}`;
    let vscodeProgress: ProgressHandle | undefined;
    const delay = setTimeout(() => (vscodeProgress = this.ui.startProgress(title, () => abort.abort())), this.options.progressDelayMs ?? 500);
    let lastPost = 0;
    const maxRaw = rawRecordLimit(variables.length, this.options.rawMemoryBudget);
    let tooMany: number | undefined;
    const onProgress = (p: { records: number; requests: number; estimatedTotal?: number }) => {
      const expected = Math.max(p.records, p.estimatedTotal ?? 0);
      if (!interval && expected > maxRaw && !abort.signal.aborted) {
        tooMany = expected;
        abort.abort();
      }
      const now = performance.now();
      if (now - lastPost < PROGRESS_EVERY_MS || abort.signal.aborted) return;
      lastPost = now;
      const fraction = p.estimatedTotal ? Math.min(1, p.records / p.estimatedTotal) : null;
      this.ui.post({ type: 'progress', requestId, records: p.records, requests: p.requests, fraction });
      vscodeProgress?.report(fraction, `${p.records.toLocaleString('en-US')} records`);
    };
    const request = { assetId: query.assetId, aspect: query.aspect, variables: query.variables, from: range.from, to: range.to };
    try {
      this.ui.post({ type: 'progress', requestId, records: 0, requests: 0, fraction: 0 });
      const options = { signal: abort.signal, onProgress };
      return interval
        ? aggregateTable(await this.source.readAggregates({ ...request, interval }, options), variables)
        : await rawTableOf(this.source.streamRaw(request, options), variables);
    } catch (error) {
      if (!abort.signal.aborted) throw error;
      if (tooMany !== undefined && this.running === running && !this.lifetime.signal.aborted) {
        const several = variables.length > 1;
        throw new Error(`This range holds about ${tooMany.toLocaleString('en-US')} raw records, more than the ` +
          `${maxRaw.toLocaleString('en-US')} the preview loads raw for ${several ? `${variables.length} variables` : '1 variable'} ` +
          `(they would not fit in memory). Choose Aggregates, ${several ? 'fewer variables, ' : ''}or a shorter range.`, { cause: error });
      }
      // Cancelled by the user, by a newer request (which already said so), or by closing the panel.
      if (this.running === running) this.ui.post({ type: 'cancelled', requestId });
      return undefined;
    } finally {
      clearTimeout(delay);
      vscodeProgress?.done();
      this.lifetime.signal.removeEventListener('abort', stopWithPanel);
      if (this.running === running) this.running = undefined;
    }
  }

  private async export(format: ExportFormat): Promise<void> {
    const loaded = this.loaded;
    if (!loaded) {
      this.ui.post({ type: 'notice', message: 'Nothing to export yet: load data first.' });
      return;
    }
    const name = exportFileName(loaded.assetName, loaded.query.aspect, loaded.range.from, loaded.range.to, format);
    const what = `${tableLength(loaded.table).toLocaleString('en-US')} ${loaded.table.kind === 'raw' ? 'records' : 'intervals'}`;
    const where = await this.ui.save(name, format, exportPieces(loaded.table, format), `Exporting ${what} as ${format.toUpperCase()}`);
    if (where) this.ui.post({ type: 'notice', message: `Exported ${what} to ${where}.` });
  }

  private async copyRequest(query: SeriesQuery): Promise<void> {
    const planned = await this.plan(query, this.lastWidthPx);
    if (!planned.ok) {
      this.ui.post({ type: 'notice', message: planned.error });
      return;
    }
    const text = restRequest(this.source.gateway, query, planned.value.range, planned.value.interval);
    await this.ui.copy(text);
    this.ui.post({ type: 'notice', message: `Copied the REST request (without a token): ${text.split('\n')[1] ?? ''}` });
  }
}

function describe(error: unknown): string {
  return redact(error instanceof Error ? error.message : String(error));
}

/** Keeps the server's HTTP status (MindSphereError and most HTTP errors carry `status`). */
function statusOf(error: unknown): { status?: number } {
  const status = (error as { status?: unknown } | null)?.status;
  return typeof status === 'number' && status > 0 ? { status } : {};
}
