// `mdsp-makers aggregates <assetId> <aspect>`: Aggregates v4 of a time range, split past the per-request range caps
// (24 h of minutes, 7 days of hours, 90 days otherwise), as CSV (one column per variable and field), a table of
// averages, or JSON.
import type { Aggregate, AggregateOptions } from '../../client';
import { AGGREGATE_UNITS, type AggregateUnit } from '../../core/limits';
import { flattenRecord, formatTable, pageWriter } from '../../core/tabular';
import {
  CONNECTION_OPTIONS, CONNECTION_USAGE, CREDENTIALS_HELP, formatOption, parseCommandArgs, positiveInt, progressBar,
  RANGE_HELP, rangeOption, requirePositionals, withClient, writeOutput,
} from '../credentials';
import { type CliCommand, UsageError } from '../io';

const FORMATS = ['csv', 'table', 'json'] as const;
const UNITS = AGGREGATE_UNITS.value.map((r) => r.unit);

const command: CliCommand = {
  summary: `Read Aggregates v4 (min, max, average, sum, counts per interval) of one aspect of an asset.\n\n${RANGE_HELP}\n  --unit U         ${UNITS.join(', ')} (with --value; default: MindSphere picks)\n  --value N        interval length in units, e.g. --unit minute --value 30\n  --select a,b     only these variables\n  --format F       csv (default; columns like pressure.average), table (averages) or json\n  --out FILE       write to FILE instead of stdout\n\n${CREDENTIALS_HELP}`,
  usage: `mdsp-makers aggregates <assetId> <aspect> [--from TIME] [--to TIME] [--unit ${UNITS.join('|')} --value N] [--select a,b] [--format csv|table|json] [--out FILE] ${CONNECTION_USAGE}`,
  async run(args, io) {
    const { values, positionals } = parseCommandArgs(args, {
      ...CONNECTION_OPTIONS,
      from: { type: 'string' }, to: { type: 'string' }, unit: { type: 'string' }, value: { type: 'string' },
      select: { type: 'string' }, format: { type: 'string' }, out: { type: 'string' }, quiet: { type: 'boolean' },
    }, 2);
    const [assetId, aspect] = requirePositionals(positionals, ['assetId', 'aspect'] as const);
    const format = formatOption(values.format, FORMATS);
    const range = rangeOption(values.from, values.to);
    const interval = intervalOptions(values.unit, values.value);
    return withClient(values, io, async ({ client }) => {
      const bar = values.quiet ? undefined : progressBar(io, 'requests', 0);
      let aggregates: Aggregate[] = [];
      try {
        aggregates = await client.readAggregates(assetId, aspect, range.from, range.to, {
          ...interval, ...(values.select ? { select: values.select } : {}), signal: io.signal,
          // Chunks are the unit of progress here; a single-request read draws nothing.
          onProgress: (p) => p.chunks > 1 && bar?.update(p.chunksDone, p.chunks),
        });
      } finally {
        bar?.done(aggregates.length, 'intervals');
      }
      await writeOutput(io, values.out, (write) => write(render(format, aggregates)));
      return 0;
    });
  },
};

export default command;

function intervalOptions(unit: string | undefined, value: string | undefined): Pick<AggregateOptions, 'intervalUnit' | 'intervalValue'> {
  if (unit === undefined && value === undefined) return {};
  if (unit === undefined || value === undefined) throw new UsageError('give --unit and --value together, e.g. --unit hour --value 1.');
  if (!(UNITS as string[]).includes(unit)) throw new UsageError(`--unit must be one of ${UNITS.join(', ')}, not '${unit}'.`);
  return { intervalUnit: unit as AggregateUnit, intervalValue: positiveInt(value, '--value') };
}

function render(format: (typeof FORMATS)[number], aggregates: readonly Aggregate[]): string {
  if (format === 'json') return `${JSON.stringify(aggregates, null, 2)}\n`;
  const variables = [...new Set(aggregates.flatMap((a) => Object.keys(a).filter((k) => k !== 'starttime' && k !== 'endtime')))];
  if (format === 'table') {
    if (aggregates.length === 0) return 'No aggregates in this range.\n';
    return formatTable(['starttime', 'endtime', ...variables.map((v) => `${v} (avg)`)], aggregates.map((a) => [
      a.starttime, a.endtime, ...variables.map((v) => {
        const avg = (a[v] as { average?: unknown } | undefined)?.average;
        return typeof avg === 'number' ? String(Math.round(avg * 1000) / 1000) : '';
      }),
    ]));
  }
  return pageWriter('csv').page(aggregates.map(flattenRecord));
}
