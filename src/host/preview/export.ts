// Export of the loaded data at full resolution (not the downsampled lines the chart holds). JSON has MindSphere's own
// shapes (raw records `{_time, var, var_qc}`, Aggregates v4 intervals), so an export can be replayed anywhere the API's
// answers are expected; CSV has one row per record or interval.
import { formatIsoSeconds, formatIsoTime } from '../../core/time';
import { AGGREGATE_KEYS, type LoadedTable } from './columns';

export type ExportFormat = 'csv' | 'json';

const cell = (v: number): string => (Number.isNaN(v) ? '' : String(v));

export function exportTable(table: LoadedTable, format: ExportFormat): string {
  return format === 'csv' ? toCsv(table) : `${JSON.stringify(toRecords(table), null, 1)}\n`;
}

function toCsv(table: LoadedTable): string {
  const lines: string[] = [];
  if (table.kind === 'raw') {
    const withQc = table.columns.map((c) => c.qc.some((q) => !Number.isNaN(q)));
    lines.push(['_time', ...table.columns.flatMap((c, k) => (withQc[k] ? [c.name, `${c.name}_qc`] : [c.name]))].join(','));
    for (let i = 0; i < table.times.length; i++) {
      const row = [formatIsoTime(table.times[i] as number)];
      table.columns.forEach((c, k) => {
        row.push(cell(c.values[i] as number));
        if (withQc[k]) row.push(cell(c.qc[i] as number));
      });
      lines.push(row.join(','));
    }
  } else {
    lines.push(['starttime', 'endtime', ...table.columns.flatMap((c) => AGGREGATE_KEYS.map((k) => `${c.name}.${k}`))].join(','));
    for (let i = 0; i < table.starts.length; i++) {
      const row = [formatIsoSeconds(table.starts[i] as number), formatIsoSeconds(table.ends[i] as number)];
      for (const c of table.columns) for (const k of AGGREGATE_KEYS) row.push(cell(c.fields[k][i] as number));
      lines.push(row.join(','));
    }
  }
  return `${lines.join('\n')}\n`;
}

function toRecords(table: LoadedTable): Record<string, unknown>[] {
  if (table.kind === 'raw') {
    return Array.from(table.times, (t, i) => {
      const record: Record<string, unknown> = { _time: formatIsoTime(t) };
      for (const c of table.columns) {
        if (!Number.isNaN(c.values[i])) record[c.name] = c.values[i];
        if (!Number.isNaN(c.qc[i])) record[`${c.name}_qc`] = c.qc[i];
      }
      return record;
    });
  }
  return Array.from(table.starts, (t, i) => {
    const record: Record<string, unknown> = { starttime: formatIsoSeconds(t), endtime: formatIsoSeconds(table.ends[i] as number) };
    for (const c of table.columns) {
      const fields = Object.fromEntries(AGGREGATE_KEYS.filter((k) => !Number.isNaN(c.fields[k][i])).map((k) => [k, c.fields[k][i]]));
      if (Object.keys(fields).length) record[c.name] = fields;
    }
    return record;
  });
}

/** A file name like the Siemens CLI's downloads: `{asset}-{aspect}-{from}-{to}.{csv|json}`, safe on every OS. */
export function exportFileName(assetName: string, aspect: string, from: number, to: number, format: ExportFormat): string {
  const safe = (s: string) => s.replace(/[^A-Za-z0-9_.-]+/g, '_').replace(/^[._]+|_+$/g, '').slice(0, 80) || 'asset';
  const stamp = (ms: number) => formatIsoSeconds(ms).replace(/[:]/g, '');
  return `${safe(assetName)}-${safe(aspect)}-${stamp(from)}-${stamp(to)}.${format}`;
}
