// Plain-text tables and CSV for command-line output of MindSphere data (time series, aggregates, assets). Pure.

const ESCAPES: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

/**
 * Text from a server made safe for a terminal: control characters (a line break, or ESC starting a sequence that
 * recolours or rewrites the screen) are shown as escapes such as `\n` and `\x1b` instead of acting.
 */
export function printable(text: string): string {
  // eslint-disable-next-line no-control-regex -- matching control characters is the point
  return text.replace(/[\x00-\x1f\x7f-\x9f]/g, (c) => ESCAPES[c] ?? `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
}

/** An aligned text table with a header row and a rule under it; cells pass through `printable`. */
export function formatTable(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const safe = rows.map((r) => r.map(printable));
  const widths = header.map((h, i) => Math.max(h.length, ...safe.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]) => cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join('  ').trimEnd();
  return [line(header.map(printable)), line(widths.map((w) => '-'.repeat(w))), ...safe.map(line)].join('\n') + '\n';
}

/** One CSV field (RFC 4180): quoted when it holds a comma, quote or line break; null and undefined are empty. */
export function csvField(value: unknown): string {
  if (value === null || value === undefined) return '';
  const text = typeof value === 'object' ? JSON.stringify(value) : String(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function csvRow(values: readonly unknown[]): string {
  return `${values.map(csvField).join(',')}\n`;
}

/**
 * Flattens nested objects one level into dotted columns, as aggregates need for CSV:
 * `{starttime, pressure: {average: 93.75}}` → `{starttime, 'pressure.average': 93.75}`.
 */
export function flattenRecord(record: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(record)) {
    if (value && typeof value === 'object' && !Array.isArray(value)) {
      for (const [inner, v] of Object.entries(value)) out[`${key}.${inner}`] = v;
    } else {
      out[key] = value;
    }
  }
  return out;
}

export type PageFormat = 'csv' | 'json' | 'ndjson';

/** Renders rows page by page, so that a million of them never sit in memory as one string. */
export interface PageWriter<R> {
  start(): string;
  page(rows: readonly R[]): string;
  end(): string;
}

/**
 * A page writer for CSV, a JSON array or NDJSON. CSV uses `columns` when given (the header comes first), else the keys of
 * the first page; a key that first appears later cannot join the header any more and is reported once to `onLateColumn`.
 */
export function pageWriter<R extends Readonly<Record<string, unknown>>>(format: PageFormat, columns?: readonly string[],
  onLateColumn?: (name: string) => void): PageWriter<R> {
  if (format === 'ndjson') return { start: () => '', page: (rows) => rows.map((r) => `${JSON.stringify(r)}\n`).join(''), end: () => '' };
  if (format === 'json') {
    let first = true;
    return {
      start: () => '[',
      page: (rows) => rows.map((r) => {
        const text = `${first ? '\n' : ',\n'}${JSON.stringify(r)}`;
        first = false;
        return text;
      }).join(''),
      end: () => (first ? ']\n' : '\n]\n'),
    };
  }
  let cols = columns;
  const late = new Set<string>();
  return {
    start: () => (cols ? csvRow(cols) : ''),
    page: (rows) => {
      let header = '';
      if (!cols) {
        if (rows.length === 0) return '';
        cols = [...new Set(rows.flatMap((r) => Object.keys(r)))];
        header = csvRow(cols);
      }
      const known = new Set(cols);
      for (const r of rows) {
        for (const k of Object.keys(r)) {
          if (!known.has(k) && !late.has(k)) {
            late.add(k);
            onLateColumn?.(k);
          }
        }
      }
      const c = cols;
      return header + rows.map((r) => csvRow(c.map((name) => r[name]))).join('');
    },
    end: () => '',
  };
}
