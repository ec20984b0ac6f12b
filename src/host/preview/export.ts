// Export of the loaded data at full resolution (not the downsampled lines the chart holds). JSON has MindSphere's own
// shapes (raw records `{_time, var, var_qc}`, Aggregates v4 intervals), so an export can be replayed anywhere the API's
// answers are expected; CSV has one row per record or interval. Written piece by piece, never held as one string.
import fs from 'node:fs/promises';
import { formatIsoSeconds, formatIsoTime } from '../../core/time';
import { AGGREGATE_KEYS, AGGREGATE_TIME_KEYS, type AggregateColumn, type AggregateKey, type LoadedTable, tableLength } from './columns';

export type ExportFormat = 'csv' | 'json';

const cell = (v: number): string => (Number.isNaN(v) ? '' : String(v));

/** An Aggregates v4 field of one interval as the API writes it (times as ISO text), undefined where there is none. */
function aggregateField(c: AggregateColumn, k: AggregateKey, i: number): string | number | undefined {
  const v = c.fields[k][i] as number;
  if (Number.isNaN(v)) return undefined;
  return AGGREGATE_TIME_KEYS.has(k) ? formatIsoTime(v) : v;
}

/** Rows per piece of an export: a few hundred kilobytes each. */
const ROWS_PER_PIECE = 5000;

/**
 * The loaded table as a file, piece by piece, never as one string: 5 million records as JSON are about 750 million
 * characters, past the longest string V8 can make (CSV gets there with a few more variables), and the pieces let the
 * writer show progress and stop on cancel.
 */
export function* exportPieces(table: LoadedTable, format: ExportFormat): Generator<string> {
  const length = tableLength(table);
  if (format === 'csv') {
    const csv = csvRows(table);
    yield `${csv.header}\n`;
    for (const lines of inPieces(length, csv.row)) yield `${lines.join('\n')}\n`;
    return;
  }
  // As JSON.stringify(records, null, 1) writes it.
  let first = true;
  for (const lines of inPieces(length, jsonRow(table))) {
    yield `${first ? '[\n' : ',\n'}${lines.join(',\n')}`;
    first = false;
  }
  yield length === 0 ? '[]\n' : '\n]\n';
}

function* inPieces(length: number, row: (i: number) => string): Generator<string[]> {
  for (let start = 0; start < length; start += ROWS_PER_PIECE) {
    const lines: string[] = [];
    for (let i = start; i < Math.min(length, start + ROWS_PER_PIECE); i++) lines.push(row(i));
    yield lines;
  }
}

function csvRows(table: LoadedTable): { header: string; row: (i: number) => string } {
  if (table.kind === 'raw') {
    const withQc = table.columns.map((c) => c.qc.some((q) => !Number.isNaN(q)));
    return {
      header: ['_time', ...table.columns.flatMap((c, k) => (withQc[k] ? [c.name, `${c.name}_qc`] : [c.name]))].join(','),
      row: (i) => {
        const row = [formatIsoTime(table.times[i] as number)];
        table.columns.forEach((c, k) => {
          row.push(cell(c.values[i] as number));
          if (withQc[k]) row.push(cell(c.qc[i] as number));
        });
        return row.join(',');
      },
    };
  }
  return {
    header: ['starttime', 'endtime', ...table.columns.flatMap((c) => AGGREGATE_KEYS.map((k) => `${c.name}.${k}`))].join(','),
    row: (i) => {
      const row = [formatIsoSeconds(table.starts[i] as number), formatIsoSeconds(table.ends[i] as number)];
      for (const c of table.columns) for (const k of AGGREGATE_KEYS) row.push(String(aggregateField(c, k, i) ?? ''));
      return row.join(',');
    },
  };
}

/** A record in MindSphere's shape, as it stands in the exported array (one space more on each of its lines). */
function jsonRow(table: LoadedTable): (i: number) => string {
  const indented = (record: Record<string, unknown>) => ` ${JSON.stringify(record, null, 1).replace(/\n/g, '\n ')}`;
  if (table.kind === 'raw') {
    return (i) => {
      const record: Record<string, unknown> = { _time: formatIsoTime(table.times[i] as number) };
      for (const c of table.columns) {
        if (!Number.isNaN(c.values[i])) record[c.name] = c.values[i];
        if (!Number.isNaN(c.qc[i])) record[`${c.name}_qc`] = c.qc[i];
      }
      return indented(record);
    };
  }
  return (i) => {
    const record: Record<string, unknown> = { starttime: formatIsoSeconds(table.starts[i] as number), endtime: formatIsoSeconds(table.ends[i] as number) };
    for (const c of table.columns) {
      const fields = Object.fromEntries(AGGREGATE_KEYS.map((k) => [k, aggregateField(c, k, i)]).filter(([, v]) => v !== undefined));
      if (Object.keys(fields).length) record[c.name] = fields;
    }
    return indented(record);
  };
}

/** A file name like the Siemens CLI's downloads: `{asset}-{aspect}-{from}-{to}.{csv|json}`, safe on every OS. */
export function exportFileName(assetName: string, aspect: string, from: number, to: number, format: ExportFormat): string {
  const safe = (s: string) => s.replace(/[^A-Za-z0-9_.-]+/g, '_').replace(/^[._]+|_+$/g, '').slice(0, 80) || 'asset';
  const stamp = (ms: number) => formatIsoSeconds(ms).replace(/[:]/g, '');
  return `${safe(assetName)}-${safe(aspect)}-${stamp(from)}-${stamp(to)}.${format}`;
}

/**
 * Writes the pieces to a file beside `file`, renamed over it once complete: a failed or cancelled export leaves an
 * earlier file of that name as it was. Each write lets the extension host breathe, and the user cancel.
 */
export async function writeInPieces(file: string, pieces: Iterable<string>, progress: { report(value: { message?: string }): void },
  token: { readonly isCancellationRequested: boolean }): Promise<boolean> {
  const part = `${file}.${process.pid}.part`;
  const handle = await fs.open(part, 'w');
  let complete = false;
  try {
    let bytes = 0;
    let shown = 0;
    for (const piece of pieces) {
      if (token.isCancellationRequested) return false;
      bytes += (await handle.write(piece)).bytesWritten;
      if (bytes - shown >= 16 * 1024 * 1024) {
        shown = bytes;
        progress.report({ message: `${Math.floor(bytes / 1024 / 1024)} MB written` });
      }
    }
    complete = true;
  } finally {
    await handle.close();
    if (complete) await fs.rename(part, file);
    else await fs.rm(part, { force: true });
  }
  return true;
}
