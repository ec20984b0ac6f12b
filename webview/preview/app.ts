// The preview panel's webview: the controls (asset, aspect, variables, range, raw or aggregated), the chart and the
// table, progress with a cancel button, and the buttons that ask the host to export or copy. It talks to the host only
// through messages (src/protocol/preview.ts) and keeps its view state with setState, so a reload brings it back.
import {
  CHARTABLE_TYPES, type AggregateFieldChoice, type AspectSummary, type AssetSummary, type HostToWebview, type IntervalChoice, type RangePreset,
  type SeriesQuery, usableIn, type VariableSummary, type ViewState, type WebviewToHost,
} from '../../src/protocol/preview';
import type { VscodeCheckbox } from '@vscode-elements/elements/dist/vscode-checkbox/vscode-checkbox.js';
import type { VscodeMultiSelect } from '@vscode-elements/elements/dist/vscode-multi-select/vscode-multi-select.js';
import type { VscodeProgressBar } from '@vscode-elements/elements/dist/vscode-progress-bar/vscode-progress-bar.js';
import type { VscodeRadio } from '@vscode-elements/elements/dist/vscode-radio/vscode-radio.js';
import type { VscodeSingleSelect } from '@vscode-elements/elements/dist/vscode-single-select/vscode-single-select.js';
import type { VscodeTextfield } from '@vscode-elements/elements/dist/vscode-textfield/vscode-textfield.js';
import { Chart } from './chart';
import { align, type Aligned } from './data';
import { append, clear, h, setText } from './dom';
import { formatCount, fromRangeTime, toLocalField, toRangeField } from './format';
import { Table } from './table';

export interface VsCodeApi {
  postMessage(message: WebviewToHost): void;
  getState(): unknown;
  setState(state: ViewState): void;
}

type Init = Extract<HostToWebview, { type: 'init' }>;
type SeriesMessage = Extract<HostToWebview, { type: 'series' }>;
type Window = { from: number; to: number };
type Reason = Extract<WebviewToHost, { type: 'load' }>['reason'];

/** Opened on an aspect (or an asset), the panel charts its first variables, up to this many. */
const DEFAULT_VARIABLES = 8;
const WINDOW_DEBOUNCE_MS = 300;
const CHANGE_DEBOUNCE_MS = 400;
const FIELD_LABELS: Record<AggregateFieldChoice, string> = { average: 'Average', minmax: 'Min/max band', sum: 'Sum', count: 'Counts' };

const DEFAULT_STATE: ViewState = {
  version: 1, range: { preset: 'day' }, mode: 'raw', interval: 'auto', fields: ['average', 'minmax'], view: 'chart', hidden: [],
};

function restoredState(saved: unknown): ViewState {
  const s = saved as Partial<ViewState> | undefined;
  return s && s.version === 1 ? { ...DEFAULT_STATE, ...s } : DEFAULT_STATE;
}

/** What the host left out of the load because it could not read it: said, so data never goes missing silently. */
function unreadableParts(m: SeriesMessage): string[] {
  const { times = 0, values = 0 } = m.unreadable ?? {};
  const what = m.mode === 'raw' ? 'record' : 'interval';
  return [
    ...(times > 0 ? [`${formatCount(times)} ${what}${times === 1 ? '' : 's'} left out (time not readable)`] : []),
    ...(values > 0 ? [`${formatCount(values)} value${values === 1 ? '' : 's'} left out (not a number)`] : []),
  ];
}

/** `1 request`, `2,000 records`. */
function plural(n: number, noun: string): string {
  return `${formatCount(n)} ${noun}${n === 1 ? '' : 's'}`;
}

/** Why a variable cannot be shown in this mode, in a few words for its option in the Variables list. */
function unusableReason(v: VariableSummary, mode: SeriesQuery['mode']): string | undefined {
  if (usableIn(v.dataType, mode)) return undefined;
  return CHARTABLE_TYPES.has(v.dataType) ? `${v.dataType.toLowerCase()}: Aggregates v4 aggregates numbers only` : `${v.dataType.toLowerCase()}: cannot be charted`;
}

function labelled(label: string, id: string, control: HTMLElement): HTMLElement {
  control.id = id;
  return h('div', { class: 'field' }, h('vscode-label', { for: id }, label), control);
}

export class App {
  private state: ViewState;
  /** No saved state: a new panel rather than one restored after a reload. */
  private fresh: boolean;
  private init: Init | undefined;
  /** The tenant's assets, once the host has listed them (after `init`). */
  private catalog: readonly AssetSummary[] = [];
  private readonly aspects = new Map<string, readonly AspectSummary[]>();
  private readonly pendingAspects = new Map<number, { resolve: (a: readonly AspectSummary[]) => void; reject: (e: Error) => void }>();
  private nextId = 1;
  private loading: { requestId: number; reason: Reason; query: SeriesQuery } | undefined;
  /** What is on screen: the query of the last full load, its range, and the latest answer (maybe a zoomed window). */
  private shown: { query: SeriesQuery; full: Window; answer: SeriesMessage; aligned: Aligned } | undefined;
  private restoreZoom: Window | undefined;
  private windowTimer: ReturnType<typeof setTimeout> | undefined;
  /** The asset whose aspects are being listed: an answer for an asset the user has left is dropped. */
  private pickingAsset = '';
  private changeTimer: ReturnType<typeof setTimeout> | undefined;

  private readonly el = {
    connection: h('span', { class: 'connection' }),
    path: h('span', { class: 'path' }),
    asset: h('vscode-single-select', { combobox: true, filter: 'contains', 'aria-label': 'Asset' }) as VscodeSingleSelect,
    aspect: h('vscode-single-select', { 'aria-label': 'Aspect' }) as VscodeSingleSelect,
    variables: h('vscode-multi-select', { 'aria-label': 'Variables' }) as VscodeMultiSelect,
    range: h('vscode-single-select', { 'aria-label': 'Time range' }) as VscodeSingleSelect,
    from: h('vscode-textfield', { type: 'datetime-local', 'aria-label': 'From (UTC)' }) as VscodeTextfield,
    to: h('vscode-textfield', { type: 'datetime-local', 'aria-label': 'To (UTC)' }) as VscodeTextfield,
    custom: h('div', { class: 'custom-range', hidden: true }),
    raw: h('vscode-radio', { name: 'mode', value: 'raw', label: 'Raw' }, 'Raw') as VscodeRadio,
    aggregate: h('vscode-radio', { name: 'mode', value: 'aggregate', label: 'Aggregates' }, 'Aggregates') as VscodeRadio,
    interval: h('vscode-single-select', { 'aria-label': 'Aggregate interval' }) as VscodeSingleSelect,
    fields: new Map<AggregateFieldChoice, VscodeCheckbox>(),
    aggregateRow: h('div', { class: 'row aggregate-options', hidden: true }),
    load: h('vscode-button', { icon: 'graph-line' }, 'Load'),
    progress: h('div', { class: 'progress', hidden: true }),
    bar: h('vscode-progress-bar', { 'aria-label': 'Loading' }) as VscodeProgressBar,
    progressText: h('span', { class: 'progress-text', role: 'status' }),
    cancel: h('vscode-button', { secondary: true, icon: 'close' }, 'Cancel'),
    error: h('div', { class: 'error', role: 'alert', hidden: true }),
    notice: h('div', { class: 'notice', role: 'status', 'aria-live': 'polite' }),
    summary: h('div', { class: 'summary', 'aria-live': 'polite' }),
    /** Says, while the chart and table are dimmed, that they show the previous selection (see showPrevious). */
    previous: h('div', { class: 'previous-note', role: 'status' }),
    tableCaption: h('div', { class: 'table-caption' }),
    // Disabled until data is shown: there is nothing to reset or export before (see onSeries).
    resetZoom: h('vscode-button', { secondary: true, icon: 'zoom-out', title: 'Show the whole range (0 or Escape in the chart)', disabled: true }, 'Reset zoom'),
    exportCsv: h('vscode-button', { secondary: true, icon: 'export', disabled: true }, 'Export CSV'),
    exportJson: h('vscode-button', { secondary: true, icon: 'json', disabled: true }, 'Export JSON'),
    copyRest: h('vscode-button', { secondary: true, icon: 'copy' }, 'Copy REST request'),
    tabs: h('vscode-tabs'),
  };
  private readonly chart: Chart;
  private readonly table = new Table();
  /** Data the table has not been filled with yet: it is filled when its tab is shown, so the chart comes first. */
  private tablePending: Aligned | undefined;

  constructor(private readonly vscode: VsCodeApi, private readonly root: HTMLElement) {
    const saved = vscode.getState();
    this.fresh = saved === undefined || saved === null;
    this.state = restoredState(saved);
    this.chart = new Chart({
      onWindow: (from, to) => this.onWindow(from, to),
      onReset: () => this.resetZoom(),
      onToggle: (key, shown) => this.save({ hidden: shown ? this.state.hidden.filter((k) => k !== key) : [...new Set([...this.state.hidden, key])] }),
    });
  }

  start(): void {
    this.layout();
    this.wire();
    addEventListener('message', (e: MessageEvent) => this.onMessage(e.data));
    // VS Code switches the theme by the body's class: re-read the colours the canvas uses.
    new MutationObserver(() => this.chart.retheme()).observe(document.body, { attributes: true, attributeFilter: ['class'] });
    this.post({ type: 'ready' });
  }

  private post(message: WebviewToHost): void {
    this.vscode.postMessage(message);
  }

  private save(patch: Partial<ViewState>): void {
    this.state = { ...this.state, ...patch };
    this.vscode.setState(this.state);
  }

  private layout(): void {
    const e = this.el;
    for (const f of Object.keys(FIELD_LABELS) as AggregateFieldChoice[]) {
      e.fields.set(f, h('vscode-checkbox', { label: FIELD_LABELS[f], value: f }) as VscodeCheckbox);
    }
    append(e.custom, labelled('From (UTC)', 'from', e.from), labelled('To (UTC)', 'to', e.to));
    append(e.aggregateRow,
      labelled('Interval', 'interval', e.interval),
      h('div', { class: 'field fields', role: 'group', 'aria-label': 'Aggregate fields' }, ...e.fields.values()));
    append(e.progress, e.bar, e.progressText, e.cancel);
    const chartPanel = h('vscode-tab-panel', {}, h('div', { class: 'chart-panel' }, this.chart.element, e.summary));
    const tablePanel = h('vscode-tab-panel', {}, e.tableCaption, this.table.element);
    append(e.tabs,
      h('vscode-tab-header', { slot: 'header' }, 'Chart'), chartPanel,
      h('vscode-tab-header', { slot: 'header' }, 'Table'), tablePanel);
    append(this.root,
      h('header', { class: 'title' }, e.connection, e.path),
      h('section', { class: 'controls', 'aria-label': 'What to show' },
        h('div', { class: 'row' },
          labelled('Asset', 'asset', e.asset), labelled('Aspect', 'aspect', e.aspect), labelled('Variables', 'variables', e.variables)),
        h('div', { class: 'row' },
          labelled('Range', 'range', e.range), e.custom,
          h('vscode-radio-group', { class: 'field mode', 'aria-label': 'Data' }, e.raw, e.aggregate),
          h('div', { class: 'field load' }, e.load)),
        e.aggregateRow),
      e.progress, e.error, e.notice, e.previous,
      h('div', { class: 'actions', role: 'toolbar', 'aria-label': 'Data actions' }, e.resetZoom, e.exportCsv, e.exportJson, e.copyRest),
      e.tabs);
    this.applyStateToControls();
  }

  /** Sets the controls that do not depend on the catalog from the view state. */
  private applyStateToControls(): void {
    const e = this.el;
    const s = this.state;
    e.raw.checked = s.mode === 'raw';
    e.aggregate.checked = s.mode === 'aggregate';
    e.aggregateRow.hidden = s.mode !== 'aggregate';
    for (const [f, box] of e.fields) box.checked = s.fields.includes(f);
    if ('from' in s.range) {
      // The fields are UTC: a range with an offset (a query's CodeLens) is shown as its UTC instants, so the field and
      // the data agree, and editing one end leaves the other where it was.
      e.from.value = toRangeField(s.range.from);
      e.to.value = toRangeField(s.range.to);
    }
    e.custom.hidden = !('from' in s.range);
    e.tabs.selectedIndex = s.view === 'table' ? 1 : 0;
  }

  /** Control events update the view state (the model); the panel reads the state, never the controls. */
  private wire(): void {
    const e = this.el;
    e.asset.addEventListener('change', () => void this.pickAsset(e.asset.value));
    e.aspect.addEventListener('change', () => {
      const assetId = this.state.selection?.assetId ?? '';
      this.select(assetId, e.aspect.value, this.fillVariables(assetId, e.aspect.value, undefined));
    });
    e.variables.addEventListener('change', () => {
      const sel = this.state.selection;
      if (sel) this.select(sel.assetId, sel.aspect, Array.isArray(e.variables.value) ? e.variables.value : []);
    });
    e.range.addEventListener('change', () => {
      const custom = e.range.value === 'custom';
      e.custom.hidden = !custom;
      if (!custom) {
        this.changed({ range: { preset: e.range.value as RangePreset } });
        return;
      }
      if (!e.from.value) {
        const to = Date.now();
        e.from.value = toLocalField(to - 86_400_000);
        e.to.value = toLocalField(to);
      }
      // "Custom range…" asks for dates: the panel loads once one is entered (or on Load), not the range it starts from.
      clearTimeout(this.changeTimer);
      this.save({ range: { from: e.from.value, to: e.to.value } });
      e.from.focus();
    });
    for (const field of [e.from, e.to]) field.addEventListener('change', () => this.changed({ range: { from: e.from.value, to: e.to.value } }));
    for (const radio of [e.raw, e.aggregate]) {
      radio.addEventListener('change', () => {
        e.aggregateRow.hidden = !e.aggregate.checked;
        this.save({ mode: e.aggregate.checked ? 'aggregate' : 'raw' });
        // Aggregates take numbers only: the list shows what the mode can take, and the selection is kept for Raw.
        const sel = this.state.selection;
        if (sel) this.fillVariables(sel.assetId, sel.aspect, sel.variables);
        this.changed({});
      });
    }
    e.interval.addEventListener('change', () => {
      const [unit, value] = e.interval.value.split(':');
      this.changed({ interval: unit && value ? { unit: unit as Exclude<IntervalChoice, 'auto'>['unit'], value: Number(value) } : 'auto' });
    });
    for (const box of e.fields.values()) {
      box.addEventListener('change', () => this.changed({ fields: [...e.fields].filter(([, b]) => b.checked).map(([f]) => f) }));
    }
    e.load.addEventListener('click', () => this.requestLoad('load'));
    e.cancel.addEventListener('click', () => {
      if (this.loading) this.post({ type: 'cancel', requestId: this.loading.requestId });
    });
    e.resetZoom.addEventListener('click', () => this.resetZoom());
    e.exportCsv.addEventListener('click', () => this.post({ type: 'export', format: 'csv' }));
    e.exportJson.addEventListener('click', () => this.post({ type: 'export', format: 'json' }));
    e.copyRest.addEventListener('click', () => {
      const query = this.query();
      if (query) this.post({ type: 'copyRequest', query });
    });
    e.tabs.addEventListener('vsc-tabs-select', (ev) => {
      this.save({ view: ev.detail.selectedIndex === 1 ? 'table' : 'chart' });
      this.fillTable();
    });
  }

  private onMessage(data: unknown): void {
    const m = data as HostToWebview | undefined;
    if (!m || typeof m !== 'object' || typeof m.type !== 'string') return;
    try {
      switch (m.type) {
        case 'init':
          void this.onInit(m);
          break;
        case 'assets':
          this.onAssets(m.assets);
          break;
        case 'aspects':
          this.aspects.set(m.assetId, m.aspects);
          this.pendingAspects.get(m.requestId)?.resolve(m.aspects);
          this.pendingAspects.delete(m.requestId);
          break;
        case 'progress':
          if (m.requestId === this.loading?.requestId) this.showProgress(m.records, m.requests, m.fraction);
          break;
        case 'series':
          if (m.requestId === this.loading?.requestId) this.onSeries(m);
          break;
        case 'failed':
          this.onFailed(m.requestId, m.status === undefined || m.message.includes(String(m.status)) ? m.message : `${m.message} (HTTP ${m.status})`);
          break;
        case 'cancelled':
          if (m.requestId === this.loading?.requestId) {
            const reason = this.loading.reason;
            this.endLoading();
            setText(this.el.notice, 'Loading cancelled.');
            if (reason !== 'zoom') this.showPrevious();
          }
          break;
        case 'notice':
          setText(this.el.notice, m.message);
          break;
      }
    } catch (error) {
      this.showError(`The panel could not show the host's answer: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  private async onInit(init: Init): Promise<void> {
    this.init = init;
    const fresh = this.fresh;
    this.fresh = false;
    const e = this.el;
    setText(e.connection, init.connection);
    // A new panel starts on the user's default range (setting mdsp.preview.defaultRange), or on the range, mode and
    // interval of the query it was opened on; a restored one on its own.
    if (fresh) {
      const q = init.selection;
      this.save({ range: q?.range ?? { preset: init.defaultRange }, ...(q?.mode ? { mode: q.mode } : {}), ...(q?.interval ? { interval: q.interval } : {}) });
      this.applyStateToControls();
    }
    this.fillOptions(e.range, [...init.presets.map((p) => ({ value: p.id, label: p.label })), { value: 'custom', label: 'Custom range…' }],
      'preset' in this.state.range ? this.state.range.preset : 'custom');
    this.fillOptions(e.interval, [
      { value: 'auto', label: 'Automatic' },
      ...init.aggregateUnits.flatMap((u) => u.allowedValues.map((v) => ({ value: `${u.unit}:${v}`, label: `${v} ${u.unit}${v === 1 ? '' : 's'}` }))),
    ], this.state.interval === 'auto' ? 'auto' : `${this.state.interval.unit}:${this.state.interval.value}`);
    // A panel opened from the tree starts on what was clicked; afterwards (hidden and shown, reloaded) its own state wins.
    const saved = this.state.selection;
    const want = saved ?? (init.selection && { assetId: init.selection.assetId, aspect: init.selection.aspect, variables: init.selection.variables });
    this.fillAssets(want?.assetId);
    this.restoreZoom = saved ? this.state.zoom : undefined;
    // A panel restored after a reload gets the data of the connection active then, which may not be the one it showed.
    const before = this.state.connection;
    this.save({ connection: init.connection });
    if (want) await this.pickAsset(want.assetId, want.aspect, want.variables, saved ? 'restore' : 'load');
    if (before !== undefined && before !== init.connection) {
      setText(this.el.notice, `This panel showed the data of '${before}'; it now shows '${init.connection}', the active connection. ` +
        `To see the data of '${before}' again, select it and open the preview anew.`);
    }
  }

  /** The catalog came: the asset picker offers every asset, still on the one shown. */
  private onAssets(assets: readonly AssetSummary[]): void {
    this.catalog = assets;
    const shown = this.state.selection?.assetId ?? this.init?.selection?.assetId;
    this.fillAssets(shown);
    if (shown) this.showPath(shown);
    const selection = this.state.selection;
    const name = selection && this.asset(selection.assetId)?.name;
    if (selection && name) this.save({ selection: { ...selection, assetName: name } });
  }

  /** Fills the asset picker from the catalog; until it comes, with the one asset shown (under its saved name, if any). */
  private fillAssets(shown: string | undefined): void {
    const saved = this.state.selection;
    const options = this.catalog.length > 0 || !shown
      ? this.catalog.map((a) => ({ value: a.assetId, label: a.name, description: a.path }))
      : [{ value: shown, label: saved?.assetId === shown ? saved.assetName : 'Loading the assets…' }];
    this.fillOptions(this.el.asset, options, shown);
  }

  private showPath(assetId: string): void {
    const asset = this.asset(assetId);
    setText(this.el.path, asset ? ` › ${asset.path ? `${asset.path} › ` : ''}${asset.name}` : '');
  }

  private fillOptions(select: VscodeSingleSelect, options: { value: string; label: string; description?: string }[], value: string | undefined): void {
    clear(select);
    for (const o of options) {
      append(select, h('vscode-option', { value: o.value, description: o.description, selected: o.value === value }, o.label));
    }
    if (value !== undefined) select.value = value;
  }

  private listAspects(assetId: string): Promise<readonly AspectSummary[]> {
    const known = this.aspects.get(assetId);
    if (known) return Promise.resolve(known);
    const requestId = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pendingAspects.set(requestId, { resolve, reject });
      this.post({ type: 'listAspects', requestId, assetId });
    });
  }

  /** Selects an asset, lists its aspects, and selects an aspect and variables (the ones wanted, or sensible ones). */
  private async pickAsset(assetId: string, aspect?: string, variables?: readonly string[], loadAs?: Reason): Promise<void> {
    if (!assetId) return;
    const asset = this.asset(assetId);
    this.el.asset.value = assetId;
    this.pickingAsset = assetId;
    this.showPath(assetId);
    let aspects: readonly AspectSummary[];
    try {
      aspects = await this.listAspects(assetId);
    } catch {
      return; // the failure is shown already
    }
    if (this.pickingAsset !== assetId) return; // the user picked another asset meanwhile
    const chosen = aspects.find((a) => a.name === aspect) ?? aspects.find((a) => a.variables.some((v) => CHARTABLE_TYPES.has(v.dataType)));
    this.fillOptions(this.el.aspect, aspects.map((a) => ({ value: a.name, label: a.name })), chosen?.name);
    const picked = this.fillVariables(assetId, chosen?.name ?? '', variables);
    if (!chosen) {
      this.showError(`'${asset?.name ?? assetId}' has no aspect with numeric variables to chart.`);
      return;
    }
    this.select(assetId, chosen.name, picked, loadAs);
  }

  private asset(assetId: string): AssetSummary | undefined {
    return this.catalog.find((a) => a.assetId === assetId);
  }

  private variablesOf(assetId: string, aspectName: string): readonly VariableSummary[] | undefined {
    return this.aspects.get(assetId)?.find((a) => a.name === aspectName)?.variables;
  }

  /**
   * Lists the aspect's variables, those the mode cannot show disabled with the reason in their label (vscode-elements
   * shows no description for a disabled option), and checks the wanted ones it can show. Returns the selection to keep:
   * the wanted variables the aspect has (so a boolean left out of Aggregates comes back in Raw), else its first ones the
   * mode can show.
   */
  private fillVariables(assetId: string, aspectName: string, wanted: readonly string[] | undefined): string[] {
    const vars = this.variablesOf(assetId, aspectName) ?? [];
    const mode = this.state.mode;
    const known = wanted?.filter((w) => vars.some((v) => v.name === w)) ?? [];
    const keep = known.length > 0 ? known : vars.filter((v) => usableIn(v.dataType, mode)).slice(0, DEFAULT_VARIABLES).map((v) => v.name);
    const select = this.el.variables;
    clear(select);
    for (const v of vars) {
      const reason = unusableReason(v, mode);
      append(select, h('vscode-option', {
        value: v.name, selected: !reason && keep.includes(v.name), disabled: reason !== undefined,
        description: reason ?? [v.unit, v.dataType.toLowerCase()].filter(Boolean).join(' · '),
      }, reason ? `${v.name} (${reason})` : v.name));
    }
    select.value = vars.filter((v) => !unusableReason(v, mode) && keep.includes(v.name)).map((v) => v.name);
    return keep;
  }

  /** Records a selection; loads at once when `loadAs` says how, else as any change of the controls does. */
  private select(assetId: string, aspect: string, variables: readonly string[], loadAs?: Reason): void {
    const saved = this.state.selection;
    const assetName = this.asset(assetId)?.name ?? (saved?.assetId === assetId ? saved.assetName : assetId);
    if (loadAs) {
      this.save({ selection: { assetId, assetName, aspect, variables } });
      this.requestLoad(loadAs);
    } else {
      this.changed({ selection: { assetId, assetName, aspect, variables } });
    }
  }

  /**
   * The query the view state describes, or undefined (with a message when `report`) when something is missing. It
   * leaves out the selected variables the mode cannot show (booleans in Aggregates: MindSphere would refuse them).
   */
  private query(report = true): SeriesQuery | undefined {
    const { selection, range, mode, interval, fields } = this.state;
    const problem = (message: string) => {
      if (report) this.showError(message);
      return undefined;
    };
    if (!selection?.assetId || !selection.aspect || selection.variables.length === 0) return problem('Pick an asset, an aspect and at least one variable.');
    const types = this.variablesOf(selection.assetId, selection.aspect);
    const left = types ? selection.variables.filter((name) => types.some((v) => v.name === name && usableIn(v.dataType, mode))) : selection.variables;
    if (left.length === 0) {
      const names = selection.variables.map((v) => `'${v}'`).join(', ');
      return problem(mode === 'aggregate'
        ? `Aggregates v4 aggregates numeric variables only, and ${names} ${selection.variables.length === 1 ? 'is' : 'are'} not numeric: ` +
          'pick a numeric variable, or choose Raw.'
        : `${names} cannot be charted (neither numeric nor boolean): pick a numeric or boolean variable.`);
    }
    if ('from' in range && (!range.from || !range.to)) return problem('Enter both ends of the custom range (From and To, in UTC), then choose Load.');
    return { assetId: selection.assetId, aspect: selection.aspect, variables: [...left], range, mode, interval, fields: [...fields] };
  }

  /** A control changed: once something is on screen, the panel follows the controls by itself. */
  private changed(patch: Partial<ViewState>): void {
    this.save(patch);
    const following = this.shown !== undefined || this.loading !== undefined;
    if (!this.query(following)) {
      // The controls now ask for something that cannot load: what is on screen is the previous selection.
      if (this.loading && this.loading.reason !== 'zoom') this.post({ type: 'cancel', requestId: this.loading.requestId });
      clearTimeout(this.changeTimer);
      this.showPrevious();
      return;
    }
    this.hideError();
    if (!following) return;
    clearTimeout(this.changeTimer);
    // A zoom still waiting would reload the old query over the new one: the change shows the whole range anyway.
    clearTimeout(this.windowTimer);
    this.changeTimer = setTimeout(() => this.requestLoad('load'), CHANGE_DEBOUNCE_MS);
  }

  private requestLoad(reason: Reason, window?: Window): void {
    // This load supersedes what was waiting: a pending change, and a pending zoom (which, firing later, would cancel
    // this load and show the old query's data under the new controls).
    clearTimeout(this.changeTimer);
    clearTimeout(this.windowTimer);
    const query = window && this.shown
      ? { ...this.shown.query, range: { from: new Date(window.from).toISOString(), to: new Date(window.to).toISOString() } }
      : this.query();
    if (!query) return;
    this.hideError();
    setText(this.el.notice, '');
    const requestId = this.nextId++;
    this.loading = { requestId, reason, query };
    this.post({ type: 'load', requestId, query, widthPx: this.chart.plotWidth(), reason });
    if (!this.shown && query.mode === 'raw') this.prepareChart(query);
    this.showProgress(0, 0, null);
  }

  private onSeries(m: SeriesMessage): void {
    const loading = this.loading;
    if (!loading) return;
    this.loading = undefined;
    this.hideProgress();
    const aligned = align(m.series);
    const window = { from: m.from, to: m.to };
    if (loading.reason !== 'zoom' || !this.shown) {
      this.shown = { query: loading.query, full: window, answer: m, aligned };
      this.showPrevious(false);
      this.save({ zoom: undefined });
      for (const button of [this.el.resetZoom, this.el.exportCsv, this.el.exportJson]) button.disabled = false;
    } else {
      this.shown = { ...this.shown, answer: m, aligned };
      const full = this.shown.full;
      this.save({ zoom: m.from <= full.from && m.to >= full.to ? undefined : window });
    }
    const hidden = new Set(this.state.hidden);
    this.chart.show(aligned, window, hidden);
    this.tablePending = aligned;
    this.fillTable();
    this.summarise(m, aligned);
    if (this.restoreZoom) {
      const zoom = this.restoreZoom;
      this.restoreZoom = undefined;
      this.requestLoad('zoom', zoom);
    }
  }

  /** The first load of raw data brings one line per variable, in the query's order, with the catalog's unit. */
  private prepareChart(query: SeriesQuery): void {
    const variables = this.aspects.get(query.assetId)?.find((a) => a.name === query.aspect)?.variables ?? [];
    const lines = query.variables.map((name) => ({ variable: name, unit: variables.find((v) => v.name === name)?.unit ?? '', field: 'value' as const }));
    const { range } = query;
    const now = Date.now();
    const preset = 'preset' in range ? this.init?.presets.find((p) => p.id === range.preset) : undefined;
    const window = 'preset' in range ? preset && { from: now - preset.ms, to: now } : { from: fromRangeTime(range.from), to: fromRangeTime(range.to) };
    if (window && window.from < window.to) this.chart.prepare(lines, window, new Set(this.state.hidden));
  }

  private fillTable(): void {
    if (this.state.view !== 'table' || !this.tablePending) return;
    this.table.show(this.tablePending);
    this.tablePending = undefined;
  }

  private summarise(m: SeriesMessage, aligned: Aligned): void {
    const s = aligned.stats;
    const what = m.mode === 'raw' ? 'records' : `aggregates of ${m.interval?.value} ${m.interval?.unit}${m.interval?.value === 1 ? '' : 's'}${m.interval?.auto ? ' (automatic)' : ''}`;
    const parts = [
      `${formatCount(m.records)} ${what}`,
      s.downsampled
        ? `${formatCount(s.points)} points drawn of ${formatCount(s.sourcePoints)} (min/max per pixel; zoom in for full resolution)`
        : `${formatCount(s.points)} points`,
      `${formatCount(s.gaps)} gap${s.gaps === 1 ? '' : 's'}`,
      m.mode === 'raw' ? `${formatCount(s.bad)} bad` : `${formatCount(s.bad)} intervals marked bad`,
      m.mode === 'raw' ? `${formatCount(s.uncertain)} uncertain` : `${formatCount(s.uncertain)} marked uncertain`,
      ...unreadableParts(m),
      m.fromCache ? 'from memory' : `${formatCount(m.elapsedMs)} ms`,
    ];
    setText(this.el.summary, parts.join(' · '));
    setText(this.el.tableCaption, s.downsampled
      ? `The rows are the ${formatCount(s.points)} points on the chart, of ${formatCount(s.sourcePoints)}: zoom in on the chart, or export, for every record.`
      : `The rows are every point on the chart (${formatCount(s.points)}).`);
  }

  private onWindow(from: number, to: number): void {
    this.save({ zoom: { from, to } });
    clearTimeout(this.windowTimer);
    this.windowTimer = setTimeout(() => {
      const shown = this.shown;
      // A zoom of the data on screen must not cancel a load the user asked for since (it would load the old query).
      if (!shown || (this.loading && this.loading.reason !== 'zoom')) return;
      const a = shown.answer;
      // Fetch again when the window needs more detail than is on screen, or reaches past what was loaded.
      const coarser = a.series.some((s) => s.downsampled) || (a.mode === 'aggregate' && a.interval?.auto === true);
      if (coarser || from < a.from || to > a.to) this.requestLoad('zoom', { from, to });
    }, WINDOW_DEBOUNCE_MS);
  }

  private resetZoom(): void {
    const shown = this.shown;
    if (!shown) return;
    clearTimeout(this.windowTimer);
    const a = shown.answer;
    if (a.from === shown.full.from && a.to === shown.full.to) {
      this.chart.show(shown.aligned, shown.full, new Set(this.state.hidden));
      this.save({ zoom: undefined });
    } else {
      this.requestLoad('zoom', shown.full);
    }
  }

  private onFailed(requestId: number | null, message: string): void {
    const pending = requestId === null ? undefined : this.pendingAspects.get(requestId);
    if (pending) {
      this.pendingAspects.delete(requestId as number);
      pending.reject(new Error(message));
    } else if (requestId !== null && requestId !== this.loading?.requestId) {
      return; // an answer to a request the panel has moved on from
    }
    if (requestId !== null && requestId === this.loading?.requestId) {
      // A zoom that failed leaves the selection's own chart; a load that failed, the previous selection's.
      if (this.loading.reason !== 'zoom') this.showPrevious();
      this.endLoading();
    }
    this.showError(message);
  }

  /**
   * Dims the chart and the table and says whose data they hold when a load of what the controls show failed, was
   * cancelled or cannot start, so the old data is not read as the new selection's; `false` when a load succeeded.
   */
  private showPrevious(previous = true): void {
    const shown = this.shown;
    const on = previous && shown !== undefined;
    this.el.tabs.classList.toggle('previous', on);
    setText(this.el.previous, on ? `Dimmed below: the previous selection, ${this.describe(shown.query)}, not what the controls show.` : '');
  }

  /** A query in a few words: `Pump P-101 › Flow (FlowRate, Pressure), Last day, raw`. */
  private describe(q: SeriesQuery): string {
    const sel = this.state.selection;
    const asset = this.asset(q.assetId)?.name ?? (sel?.assetId === q.assetId ? sel.assetName : q.assetId);
    const r = q.range;
    const range = 'preset' in r ? this.init?.presets.find((p) => p.id === r.preset)?.label ?? r.preset : `${r.from} to ${r.to} (UTC)`;
    return `${asset} › ${q.aspect} (${q.variables.join(', ')}), ${range}, ${q.mode === 'raw' ? 'raw' : 'aggregates'}`;
  }

  /** A load ended without data: the frame built ahead for a first load goes (nothing is there to draw in it). */
  private endLoading(): void {
    this.loading = undefined;
    this.hideProgress();
    if (!this.shown) this.chart.discardPrepared();
  }

  private showProgress(records: number, requests: number, fraction: number | null): void {
    const e = this.el;
    e.progress.hidden = false;
    e.bar.indeterminate = fraction === null;
    if (fraction !== null) e.bar.value = Math.round(fraction * 100);
    e.bar.max = 100;
    setText(e.progressText, records === 0 ? 'Loading…' : `Loading… ${plural(records, 'record')} (${plural(requests, 'request')})`);
  }

  private hideProgress(): void {
    this.el.progress.hidden = true;
  }

  private showError(message: string): void {
    this.el.error.hidden = false;
    setText(this.el.error, message);
  }

  private hideError(): void {
    this.el.error.hidden = true;
    setText(this.el.error, '');
  }
}
