// `mdsp-makers timeseries <assetId> <aspect>`: every record of a time range, past the 2000-record cap, as CSV, JSON or
// NDJSON on stdout or into a file, with a progress bar on stderr for long reads.
import { type AssetAspect, collect, type MindSphereClient, type TimeSeriesRecord } from '../../client';
import { pageWriter } from '../../core/tabular';
import {
  CONNECTION_OPTIONS, CONNECTION_USAGE, CREDENTIALS_HELP, formatOption, parseCommandArgs, progressBar, RANGE_HELP,
  rangeOption, requirePositionals, withClient, writePages,
} from '../credentials';
import { type CliCommand, CommandFailure } from '../io';

const FORMATS = ['csv', 'json', 'ndjson'] as const;

const command: CliCommand = {
  summary: `Read the time series of one aspect of an asset, however many records the range holds.\n\n${RANGE_HELP}\n  --select a,b     only these variables\n  --format F       csv (default), json or ndjson\n  --out FILE       write to FILE instead of stdout (replaced only when the read succeeds)\n  --quiet          no progress bar\n\n${CREDENTIALS_HELP}`,
  usage: `mdsp-makers timeseries <assetId> <aspect> [--from TIME] [--to TIME] [--select a,b] [--format csv|json|ndjson] [--out FILE] [--quiet] ${CONNECTION_USAGE}`,
  async run(args, io) {
    const { values, positionals } = parseCommandArgs(args, {
      ...CONNECTION_OPTIONS,
      from: { type: 'string' }, to: { type: 'string' }, select: { type: 'string' }, format: { type: 'string' },
      out: { type: 'string' }, quiet: { type: 'boolean' },
    }, 2);
    const [assetId, aspect] = requirePositionals(positionals, ['assetId', 'aspect']);
    const format = formatOption(values.format, FORMATS);
    const range = rangeOption(values.from, values.to);
    return withClient(values, io, async ({ client }) => {
      const select = values.select?.split(',').map((s) => s.trim()).filter(Boolean);
      // Looked up for every format: a mistyped aspect fails the same way in each (exit 1, as the server's 404 in
      // `aggregates`), naming the asset's aspects.
      const found = await findAspect(client, assetId, aspect, io.signal);
      const columns = format === 'csv' ? csvColumns(found, select) : undefined;
      const bar = values.quiet ? undefined : progressBar(io, 'records');
      const writer = pageWriter<TimeSeriesRecord>(format, columns, (name) => io.stderr(`warning: the variable '${name}' first appeared after the CSV header was written; its values are not in the CSV. Use --format ndjson to keep every field.\n`));
      const count = await writePages(io, values.out, writer, client.streamTimeSeries(assetId, aspect, range.from, range.to, {
        ...(select ? { select } : {}), signal: io.signal,
        onProgress: (p) => bar?.update(p.records, p.estimatedTotal),
      }), bar);
      if (values.out) io.stderr(`Wrote ${count} records to ${values.out}.\n`);
      return 0;
    });
  },
};

export default command;

async function findAspect(client: MindSphereClient, assetId: string, aspect: string, signal: AbortSignal): Promise<AssetAspect> {
  const aspects = await collect(client.assets.aspects(assetId, { signal }));
  const found = aspects.find((a) => a.name === aspect);
  if (found) return found;
  const known = aspects.map((a) => a.name).join(', ') || 'none';
  throw new CommandFailure(`the asset ${assetId} has no aspect '${aspect}' (its aspects: ${known}).`);
}

/**
 * `_time`, then the selected variables (or every variable of the aspect), each followed by `_qc` where it has quality
 * codes: MindSphere returns a variable's quality code with it, also when it is selected.
 */
function csvColumns(found: AssetAspect, select: string[] | undefined): string[] | undefined {
  const selected = select && select.length > 0 ? select : undefined;
  if (!found.variables) return selected ? ['_time', ...selected] : undefined;
  const withQuality = new Set(found.variables.filter((v) => v.qualityCode).map((v) => v.name));
  return ['_time', ...(selected ?? found.variables.map((v) => v.name)).flatMap((name) => (withQuality.has(name) ? [name, `${name}_qc`] : [name]))];
}
