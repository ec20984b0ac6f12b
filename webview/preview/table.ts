// The table view of what the chart shows: one row per time, one column per line. Only the rows in view exist in the
// DOM (virtual scrolling), so a million rows scroll as smoothly as ten. Column headers sort (again: reverse); the body
// scrolls with the arrow keys, Page Up/Down, Home and End.
import { QUALITY } from '../../src/protocol/preview';
import type { Aligned, Cell } from './data';
import { clear, h } from './dom';
import { formatTime, formatValue, TABLE_DIGITS } from './format';

const ROW_PX = 22;
const OVERSCAN = 8;

interface Column {
  readonly label: string;
  readonly values: readonly Cell[] | Float64Array;
  readonly quality?: Uint8Array;
}

export class Table {
  readonly element: HTMLElement;
  private readonly head: HTMLElement;
  private readonly viewport: HTMLElement;
  private readonly spacer: HTMLElement;
  private readonly rows: HTMLElement;
  private columns: Column[] = [];
  private order: Uint32Array = new Uint32Array(0);
  private sort = { column: 0, descending: false };
  private frame = 0;

  constructor() {
    this.head = h('div', { class: 'table-head', role: 'row' });
    this.rows = h('div', { class: 'table-rows', role: 'rowgroup' });
    this.spacer = h('div', { class: 'table-spacer' }, this.rows);
    this.viewport = h('div', { class: 'table-viewport', tabindex: 0, 'aria-label': 'Rows (arrow keys, Page Up/Down, Home, End scroll)' }, this.spacer);
    this.element = h('div', { class: 'table', role: 'grid', 'aria-readonly': 'true' }, h('div', { role: 'rowgroup' }, this.head), this.viewport);
    this.viewport.addEventListener('scroll', () => this.schedule());
    this.viewport.addEventListener('keydown', (e) => this.onKey(e));
    new ResizeObserver(() => this.schedule()).observe(this.viewport);
  }

  show(data: Aligned): void {
    this.columns = [
      { label: 'Time (UTC)', values: data.x },
      ...data.lines.map((l) => ({ label: l.unit && l.field !== 'count' ? `${l.label} [${l.unit}]` : l.label, values: l.values, quality: l.quality })),
    ];
    this.element.setAttribute('aria-colcount', String(this.columns.length));
    this.element.setAttribute('aria-rowcount', String(data.x.length + 1));
    this.spacer.style.height = `${data.x.length * ROW_PX}px`;
    this.renderHead();
    this.applySort();
  }

  /** Rows in the data, and the row numbers (0-based, in the current order) that are in the DOM. */
  rowCount(): number {
    return this.order.length;
  }

  private renderHead(): void {
    clear(this.head);
    this.columns.forEach((c, k) => {
      const sorted = this.sort.column === k;
      const button = h('button', { type: 'button', class: 'sort' }, c.label,
        h('span', { class: `codicon ${sorted ? (this.sort.descending ? 'codicon-arrow-down' : 'codicon-arrow-up') : ''}`, 'aria-hidden': 'true' }));
      button.addEventListener('click', () => {
        this.sort = { column: k, descending: this.sort.column === k ? !this.sort.descending : k > 0 };
        this.renderHead();
        this.applySort();
      });
      this.head.append(h('div', {
        role: 'columnheader', class: k === 0 ? 'cell time' : 'cell',
        'aria-sort': sorted ? (this.sort.descending ? 'descending' : 'ascending') : 'none',
      }, button));
    });
  }

  private applySort(): void {
    const n = this.columns[0]?.values.length ?? 0;
    const order = new Uint32Array(n);
    for (let i = 0; i < n; i++) order[i] = i;
    const { column, descending } = this.sort;
    const values = this.columns[column]?.values;
    if (values && column > 0) {
      // Empty cells (no point at that time) go last in either direction.
      const key = (i: number) => values[i] ?? Number.NaN;
      order.sort((a, b) => {
        const x = key(a);
        const y = key(b);
        if (Number.isNaN(x)) return Number.isNaN(y) ? a - b : 1;
        if (Number.isNaN(y)) return -1;
        return (descending ? y - x : x - y) || a - b;
      });
    } else if (descending) {
      order.reverse();
    }
    this.order = order;
    this.viewport.scrollTop = 0;
    this.render();
  }

  private schedule(): void {
    if (this.frame) return;
    this.frame = requestAnimationFrame(() => {
      this.frame = 0;
      this.render();
    });
  }

  private render(): void {
    const first = Math.max(0, Math.floor(this.viewport.scrollTop / ROW_PX) - OVERSCAN);
    const visible = Math.ceil((this.viewport.clientHeight || 400) / ROW_PX) + 2 * OVERSCAN;
    const last = Math.min(this.order.length, first + visible);
    this.rows.style.transform = `translateY(${first * ROW_PX}px)`;
    const rows: HTMLElement[] = [];
    for (let r = first; r < last; r++) {
      const i = this.order[r] as number;
      rows.push(h('div', { class: 'table-row', role: 'row', 'aria-rowindex': r + 2 },
        ...this.columns.map((c, k) => (k === 0 ? h('div', { role: 'gridcell', class: 'cell time' }, formatTime(c.values[i])) : this.cell(c, i)))));
    }
    this.rows.replaceChildren(...rows);
  }

  private cell(c: Column, i: number): HTMLElement {
    const v = c.values[i];
    const q = c.quality?.[i] ?? QUALITY.good;
    const text = v === null ? 'gap' : formatValue(v, TABLE_DIGITS);
    const mark = q === QUALITY.bad ? 'bad' : q === QUALITY.uncertain ? 'uncertain' : undefined;
    return h('div', { role: 'gridcell', class: `cell num${v === null ? ' gap' : ''}` }, text,
      mark && h('span', { class: `quality ${mark} codicon codicon-${mark === 'bad' ? 'error' : 'warning'}`, title: `${mark} quality` }),
      mark && h('span', { class: 'visually-hidden' }, ` (${mark} quality)`));
  }

  private onKey(e: KeyboardEvent): void {
    const page = Math.max(1, Math.floor(this.viewport.clientHeight / ROW_PX) - 1) * ROW_PX;
    const moves: Record<string, number> = { ArrowDown: ROW_PX, ArrowUp: -ROW_PX, PageDown: page, PageUp: -page };
    if (e.key in moves) this.viewport.scrollTop += moves[e.key] as number;
    else if (e.key === 'Home') this.viewport.scrollTop = 0;
    else if (e.key === 'End') this.viewport.scrollTop = this.viewport.scrollHeight;
    else return;
    e.preventDefault();
  }
}
