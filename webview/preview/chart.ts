// The chart: uPlot with one y-axis per unit, a min/max band for aggregates, bad and uncertain quality marks drawn over
// the lines, gaps as gaps. Drag to zoom, Shift+drag (or the middle button) to pan, double-click to reset; from the
// keyboard: arrows pan, + and - zoom, 0 or Escape resets, < and > move the readout. The legend is the readout of time and
// values under the cursor; its entries toggle lines (click, or Enter and Space when focused).
import uPlot from 'uplot';
import { type Aligned, align, type Line } from './data';
import { h } from './dom';
import { formatTicks, formatTime, formatValue } from './format';
import { QUALITY } from '../../src/protocol/preview';

export interface ChartEvents {
  /** The user zoomed or panned: the visible window, in epoch milliseconds. */
  onWindow(from: number, to: number): void;
  /** The user asked for the whole range again. */
  onReset(): void;
  onToggle(key: string, shown: boolean): void;
}

interface Theme {
  foreground: string;
  grid: string;
  palette: string[];
  warning: string;
  error: string;
  lineWidth: number;
}

const PALETTE_VARS = ['blue', 'orange', 'green', 'purple', 'red', 'yellow'].map((c) => `--vscode-charts-${c}`);
const FALLBACK_PALETTE = ['#3794ff', '#d18616', '#89d185', '#b180d7', '#f14c4c', '#cca700'];
const KEY_PAN = 0.1;
const KEY_CURSOR = 0.01;

/** Reads the theme from VS Code's --vscode-* variables (canvas colours cannot use var() directly). */
function readTheme(): Theme {
  const style = getComputedStyle(document.body);
  const v = (name: string, fallback: string) => style.getPropertyValue(name).trim() || fallback;
  const highContrast = document.body.classList.contains('vscode-high-contrast') ||
    document.body.classList.contains('vscode-high-contrast-light');
  return {
    foreground: v('--vscode-charts-foreground', v('--vscode-foreground', '#cccccc')),
    grid: v('--vscode-charts-lines', 'rgba(128,128,128,0.35)'),
    palette: PALETTE_VARS.map((name, i) => v(name, FALLBACK_PALETTE[i] as string)),
    warning: v('--vscode-editorWarning-foreground', '#cca700'),
    error: v('--vscode-editorError-foreground', '#f14c4c'),
    lineWidth: highContrast ? 2 : 1,
  };
}

/** `color` with an alpha (0–1), whatever CSS form the theme gives it in. */
function withAlpha(color: string, alpha: number): string {
  const ctx = document.createElement('canvas').getContext('2d');
  if (!ctx) return color;
  ctx.fillStyle = color;
  const normal = ctx.fillStyle; // the canvas normalises opaque colours to #rrggbb
  if (!/^#[0-9a-f]{6}$/i.test(normal)) return color;
  return `${normal}${Math.round(alpha * 255).toString(16).padStart(2, '0')}`;
}

export class Chart {
  readonly element: HTMLElement;
  private readonly host: HTMLElement;
  private readonly empty: HTMLElement;
  /** The axes in words: uPlot draws their labels on the canvas, where screen readers cannot see them. */
  private readonly axes: HTMLElement;
  /** The readout in words, announced as < and > move it: uPlot's legend changes silently (and on every mouse move). */
  private readonly spoken: HTMLElement;
  private plot: uPlot | undefined;
  private data: Aligned | undefined;
  private hidden = new Set<string>();
  private theme = readTheme();
  private resizeObserver: ResizeObserver;
  private drawnMark = false;
  /** The lines of a chart built ahead of its data (see prepare), until the data arrives. */
  private prepared: readonly string[] | undefined;

  constructor(private readonly events: ChartEvents) {
    this.host = h('div', { class: 'chart-host' });
    this.empty = h('div', { class: 'chart-empty', hidden: true }, 'No data in this range.');
    this.axes = h('p', { class: 'axes visually-hidden', id: 'chart-axes' });
    this.spoken = h('p', { class: 'readout visually-hidden', 'aria-live': 'polite' });
    this.element = h('div', {
      class: 'chart', tabindex: 0, role: 'figure', 'aria-describedby': 'chart-axes',
      'aria-label': 'Chart. Drag to zoom, Shift+drag to pan, double-click to reset. Keys: arrows pan, + and - zoom, 0 or Escape resets, < and > move the readout.',
    }, this.host, this.empty, this.axes, this.spoken);
    this.element.addEventListener('keydown', (e) => this.onKey(e));
    this.resizeObserver = new ResizeObserver(() => this.resize());
    this.resizeObserver.observe(this.host);
  }

  /**
   * Builds the chart for the lines a first load will bring, while their data is on its way: the axes, legend and canvas
   * are ready when it arrives, which then only has to be drawn. A chart already on screen stays until new data comes.
   */
  prepare(lines: readonly Pick<Line, 'variable' | 'unit' | 'field'>[], window: { from: number; to: number }, hidden: ReadonlySet<string>): void {
    if (this.plot) return;
    this.data = align(lines.map((l) => ({ ...l, times: new Float64Array(0), values: new Float64Array(0), quality: new Uint8Array(0),
      sourceCount: 0, sourceBad: 0, sourceUncertain: 0, downsampled: false })));
    this.hidden = new Set(hidden);
    this.empty.hidden = true; // "No data" only once the data says so
    this.build(window);
    this.drawnMark = false; // an empty frame is not the data drawn
    this.prepared = this.data.lines.map(lineSignature);
  }

  /** Takes down a chart built ahead (prepare) whose data will not come: its load failed or was cancelled. */
  discardPrepared(): void {
    if (!this.prepared) return;
    this.prepared = undefined;
    this.plot?.destroy();
    this.plot = undefined;
    this.data = undefined;
    this.axes.textContent = '';
  }

  /** Draws `data` over the window [from, to]; lines whose key is in `hidden` start switched off. */
  show(data: Aligned, window: { from: number; to: number }, hidden: ReadonlySet<string>): void {
    const prepared = this.prepared;
    this.prepared = undefined;
    const sameLines = prepared?.length === data.lines.length && data.lines.every((l, i) => prepared[i] === lineSignature(l));
    const sameHidden = hidden.size === this.hidden.size && [...hidden].every((k) => this.hidden.has(k));
    this.data = data;
    this.hidden = new Set(hidden);
    this.empty.hidden = data.stats.points > 0;
    if (this.plot && sameLines && sameHidden) {
      this.drawnMark = true;
      this.plot.setData(plotData(data));
      this.plot.setScale('x', { min: window.from, max: window.to });
      return;
    }
    this.build(window);
  }

  /** The width of the plotting area in CSS pixels (what the host downsamples to). */
  plotWidth(): number {
    if (this.plot) return Math.max(1, Math.round(this.plot.bbox.width / devicePixelRatio));
    return Math.max(100, this.host.clientWidth - 120);
  }

  window(): { from: number; to: number } | undefined {
    const x = this.plot?.scales.x;
    return x?.min !== undefined && x.max !== undefined ? { from: x.min, to: x.max } : undefined;
  }

  /** Re-reads the colours (VS Code changed the theme) and redraws. */
  retheme(): void {
    this.theme = readTheme();
    const w = this.window();
    if (this.data && w) this.build(w);
  }

  destroy(): void {
    this.resizeObserver.disconnect();
    this.plot?.destroy();
  }

  private size(): { width: number; height: number } {
    return { width: Math.max(200, this.host.clientWidth), height: Math.max(200, this.host.clientHeight - 60) };
  }

  private resize(): void {
    if (this.plot && this.host.clientWidth > 0) this.plot.setSize(this.size());
  }

  private build(window: { from: number; to: number }): void {
    const data = this.data;
    if (!data) return;
    this.plot?.destroy();
    const t = this.theme;
    const variables = [...new Set(data.lines.map((l) => l.variable))];
    const color = (l: Line) => t.palette[variables.indexOf(l.variable) % t.palette.length] as string;
    const units = [...new Set(data.lines.map((l) => scaleOf(l)))];
    // An axis is named by its unit; one without a unit by its variables ("Running", rather than a lone dash).
    const axisLabel = (scale: string) => scale === COUNT_SCALE ? 'count' : scale !== UNITLESS_SCALE ? scale.slice(2)
      : [...new Set(data.lines.filter((l) => scaleOf(l) === scale).map((l) => l.variable))].join(', ');
    this.axes.textContent = `Axes: ${['time (UTC)', ...units.map(axisLabel)].join(', ')}`;
    const series: uPlot.Series[] = [
      { label: 'Time (UTC)', value: (_u, v) => formatTime(v) },
      ...data.lines.map((l): uPlot.Series => ({
        label: l.label,
        scale: scaleOf(l),
        show: !this.hidden.has(l.key),
        stroke: l.field === 'min' || l.field === 'max' || l.field === 'count' ? withAlpha(color(l), 0.7) : color(l),
        width: l.field === 'min' || l.field === 'max' ? 1 : t.lineWidth,
        ...(l.field === 'min' || l.field === 'max' ? { dash: [4, 3] } : l.field === 'sum' ? { dash: [2, 2] } : {}),
        ...(l.field === 'count' ? { paths: uPlot.paths.stepped?.({ align: 1 }) } : {}),
        spanGaps: false,
        value: (_u, v) => formatValue(v),
      })),
    ];
    const index = (variable: string, field: string) => data.lines.findIndex((l) => l.variable === variable && l.field === field) + 1;
    const bands: uPlot.Band[] = variables.flatMap((v) => {
      const max = index(v, 'max');
      const min = index(v, 'min');
      const line = data.lines[max - 1];
      return max > 0 && min > 0 && line ? [{ series: [max, min] as [number, number], fill: withAlpha(color(line), 0.15) }] : [];
    });
    const axisStyle = { stroke: t.foreground, ticks: { stroke: t.grid, width: 1 } };
    const opts: uPlot.Options = {
      ...this.size(),
      ms: 1,
      tzDate: (ts) => uPlot.tzDate(new Date(ts), 'Etc/UTC'),
      scales: { x: { time: true, auto: false, min: window.from, max: window.to } },
      series,
      bands,
      axes: [
        { ...axisStyle, grid: { stroke: t.grid, width: 1 } },
        ...units.map((scale, k): uPlot.Axis => ({
          ...axisStyle, scale, label: axisLabel(scale), side: k % 2 === 0 ? 3 : 1,
          grid: { show: k === 0, stroke: t.grid, width: 1 }, values: (_u, splits, _axis, _space, increment) => formatTicks(splits, increment),
        })),
      ],
      cursor: {
        drag: { x: true, y: false, setScale: false },
        bind: {
          mousedown: (_u, _target, handler) => (e: MouseEvent) => {
            if (e.shiftKey || e.button === 1) {
              this.startPan(e);
              return null;
            }
            return handler(e);
          },
          dblclick: () => () => {
            this.events.onReset();
            return null;
          },
        },
      },
      legend: { live: true },
      hooks: {
        setSelect: [(u) => this.onSelect(u)],
        setSeries: [(u, i, o) => this.onSeries(u, i, o)],
        draw: [(u) => this.drawQuality(u)],
      },
    };
    this.drawnMark = true;
    this.plot = new uPlot(opts, plotData(data), this.host);
    this.makeLegendReachable(this.plot);
  }

  private setWindow(from: number, to: number, byUser: boolean): void {
    if (!this.plot || !(to > from)) return;
    this.plot.setScale('x', { min: from, max: to });
    if (byUser) this.events.onWindow(from, to);
  }

  private onSelect(u: uPlot): void {
    const { left, width } = u.select;
    if (width < 3) return;
    const from = u.posToVal(left, 'x');
    const to = u.posToVal(left + width, 'x');
    u.setSelect({ left: 0, top: 0, width: 0, height: 0 }, false);
    this.setWindow(from, to, true);
  }

  private startPan(down: MouseEvent): void {
    const u = this.plot;
    const w = this.window();
    if (!u || !w) return;
    down.preventDefault();
    const perPx = (w.to - w.from) / Math.max(1, u.over.clientWidth);
    const move = (e: MouseEvent) => {
      const shift = (down.clientX - e.clientX) * perPx;
      u.setScale('x', { min: w.from + shift, max: w.to + shift });
    };
    const up = () => {
      removeEventListener('mousemove', move);
      removeEventListener('mouseup', up);
      const now = this.window();
      if (now) this.events.onWindow(now.from, now.to);
    };
    addEventListener('mousemove', move);
    addEventListener('mouseup', up);
  }

  private onKey(e: KeyboardEvent): void {
    const w = this.window();
    if (!w || e.target !== this.element) return;
    const span = w.to - w.from;
    const mid = w.from + span / 2;
    switch (e.key) {
      case 'ArrowLeft':
      case 'ArrowRight': {
        const shift = (e.key === 'ArrowLeft' ? -1 : 1) * span * KEY_PAN;
        this.setWindow(w.from + shift, w.to + shift, true);
        break;
      }
      case '+':
      case '=':
        this.setWindow(mid - span / 4, mid + span / 4, true);
        break;
      case '-':
      case '_':
        this.setWindow(mid - span, mid + span, true);
        break;
      case '0':
      case 'Escape':
      case 'Home':
        this.events.onReset();
        break;
      case '<':
      case ',':
      case '>':
      case '.':
        this.moveCursor(e.key === '<' || e.key === ',' ? -KEY_CURSOR : KEY_CURSOR);
        break;
      default:
        return;
    }
    e.preventDefault();
  }

  /** Steps the readout across the plot, for keyboard users. */
  private moveCursor(share: number): void {
    const u = this.plot;
    if (!u) return;
    const width = u.over.clientWidth;
    const left = u.cursor.left === undefined || u.cursor.left < 0 ? width / 2 : u.cursor.left + share * width;
    const at = Math.min(width - 1, Math.max(0, left));
    u.setCursor({ left: at, top: u.over.clientHeight / 2 });
    this.speak(u, u.posToIdx(at));
  }

  /** Says the readout at point `i`: its time and the value of each line shown. */
  private speak(u: uPlot, i: number): void {
    const data = this.data;
    if (!data || !(i >= 0 && i < data.x.length)) return;
    const values = data.lines.filter((_, k) => u.series[k + 1]?.show !== false).map((l) => {
      const v = l.values[i];
      const unit = l.unit && l.field !== 'count' ? ` ${l.unit}` : '';
      return `${l.label} ${v === null ? 'gap' : v === undefined ? 'no value' : `${formatValue(v)}${unit}`}`;
    });
    this.spoken.textContent = [formatTime(data.x[i]), ...values].join(', ');
  }

  private onSeries(u: uPlot, i: number | null, o: uPlot.Series): void {
    if (i === null || o.show === undefined) return;
    const line = this.data?.lines[i - 1];
    if (!line) return;
    if (o.show) this.hidden.delete(line.key);
    else this.hidden.add(line.key);
    u.root.querySelectorAll('.u-legend .u-series > th')[i]?.setAttribute('aria-checked', String(o.show));
    this.events.onToggle(line.key, o.show);
  }

  /** uPlot's legend entries toggle on click only: make them focusable switches with Enter and Space. */
  private makeLegendReachable(u: uPlot): void {
    u.root.querySelectorAll<HTMLElement>('.u-legend .u-series > th').forEach((th, i) => {
      if (i === 0) return;
      th.tabIndex = 0;
      th.setAttribute('role', 'switch');
      th.setAttribute('aria-checked', String(u.series[i]?.show !== false));
      th.addEventListener('keydown', (e) => {
        if (e.key !== 'Enter' && e.key !== ' ') return;
        e.preventDefault();
        u.setSeries(i, { show: !u.series[i]?.show });
      });
    });
  }

  /**
   * Marks bad points with a triangle and uncertain ones with a ring, in the theme's error and warning colours. A mark
   * covers a few pixels, so along a line one mark per mark's width is drawn (a bad one in preference): in a
   * downsampled overview nearly every pixel column may hold a marked point, and marks on all of them would hide the line.
   */
  private drawQuality(u: uPlot): void {
    const data = this.data;
    if (data) {
      const [i0 = 0, i1 = data.x.length - 1] = u.series[0]?.idxs ?? [];
      const { ctx } = u;
      const r = 3.5 * devicePixelRatio;
      ctx.save();
      ctx.lineWidth = 1.5 * devicePixelRatio;
      data.lines.forEach((line, k) => {
        if (!u.series[k + 1]?.show) return;
        const scale = scaleOf(line);
        let lastBad = -Infinity;
        let lastMark = -Infinity;
        for (let i = i0; i <= i1; i++) {
          const q = line.quality[i];
          const v = line.values[i];
          if (!q || v === null || v === undefined) continue;
          const x = u.valToPos(data.x[i] as number, 'x', true);
          if (x - (q === QUALITY.bad ? lastBad : lastMark) < 2 * r) continue;
          lastMark = x;
          if (q === QUALITY.bad) lastBad = x;
          const y = u.valToPos(v, scale, true);
          ctx.beginPath();
          if (q === QUALITY.bad) {
            ctx.fillStyle = this.theme.error;
            ctx.moveTo(x, y - r);
            ctx.lineTo(x + r, y + r);
            ctx.lineTo(x - r, y + r);
            ctx.closePath();
            ctx.fill();
          } else {
            ctx.strokeStyle = this.theme.warning;
            ctx.arc(x, y, r, 0, 2 * Math.PI);
            ctx.stroke();
          }
        }
      });
      ctx.restore();
    }
    if (this.drawnMark) {
      this.drawnMark = false;
      // Lets benchmarks and tests measure the first render of new data.
      performance.mark('mdsp-preview-drawn');
    }
  }
}

function plotData(data: Aligned): uPlot.AlignedData {
  return [data.x as unknown as number[], ...data.lines.map((l) => l.values as (number | null)[])];
}

/** What a line looks like on the chart: a chart built for one line draws another with the same signature. */
function lineSignature(line: Line): string {
  return `${line.key} ${line.label} ${scaleOf(line)}`;
}

const COUNT_SCALE = 'u:';
const UNITLESS_SCALE = 'u:–';

/** One y-scale (and axis) per unit; counts of aggregates get their own. */
function scaleOf(line: Line): string {
  return line.field === 'count' ? COUNT_SCALE : line.unit ? `u:${line.unit}` : UNITLESS_SCALE;
}
