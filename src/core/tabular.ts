// Plain-text tables and CSV for command-line output of MindSphere data (time series, aggregates, assets). Pure.

/** An aligned text table with a header row and a rule under it. */
export function formatTable(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]) => cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join('  ').trimEnd();
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n') + '\n';
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
