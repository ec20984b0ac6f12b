// `mdsp-makers odata <contract> <entitySet>`: the objects of a Data Hub entity set, every page of them (past MindSphere's
// 2000 per response, seed §8.6), as JSON, NDJSON or CSV. Without an entity set it lists the service's entity sets.
import type { ODataRow } from '../../client';
import { pageWriter } from '../../core/tabular';
import {
  CONNECTION_OPTIONS, CONNECTION_USAGE, CREDENTIALS_HELP, formatOption, parseCommandArgs, positiveInt, progressBar, withClient, writePages,
} from '../credentials';
import { type CliCommand, UsageError } from '../io';

const FORMATS = ['json', 'ndjson', 'csv'] as const;

const command: CliCommand = {
  summary: 'Read a Data Hub entity set of a published contract (Assets, TS_…, AGGR_…), following @odata.nextLink past the ' +
    '2000 objects of one response.\n\n' +
    '  <contract>        the application name of the service (mdsp_<tenant>), or a contract id or name\n' +
    '  <entitySet>       without it, the entity sets of the service are listed\n' +
    "  --filter F        OData $filter, e.g. \"assetId eq '…' and timestamp gt '2024-01-01T00:00:00' and timestamp le '2024-01-02T00:00:00'\"\n" +
    '  --orderby O       $orderby (time series and aggregates: timestamp [asc|desc] only)\n' +
    '  --top N --skip N  $top and $skip\n' +
    '  --select a,b      only these properties\n' +
    '  --count           print @odata.count on stderr (wrong for time series and aggregates, seed §8.6)\n' +
    '  --format F        json (default), ndjson or csv\n' +
    '  --out FILE        write to FILE instead of stdout (replaced only when the read succeeds)\n' +
    '  --quiet           no progress bar\n\n' + CREDENTIALS_HELP,
  usage: `mdsp-makers odata <contract> [<entitySet>] [--filter F] [--orderby O] [--top N] [--skip N] [--select a,b] [--count] ` +
    `[--format json|ndjson|csv] [--out FILE] [--quiet] ${CONNECTION_USAGE}`,
  async run(args, io) {
    const { values, positionals } = parseCommandArgs(args, {
      ...CONNECTION_OPTIONS, filter: { type: 'string' }, orderby: { type: 'string' }, top: { type: 'string' }, skip: { type: 'string' },
      select: { type: 'string' }, count: { type: 'boolean' }, format: { type: 'string' }, out: { type: 'string' }, quiet: { type: 'boolean' },
    }, 2);
    const [contract, entitySet] = positionals;
    if (!contract) throw new UsageError('missing <contract>: the application name of a published contract, such as mdsp_makers01.');
    const format = formatOption(values.format, FORMATS);
    const top = values.top === undefined ? undefined : values.top === '0' ? 0 : positiveInt(values.top, '--top');
    const skip = values.skip === undefined ? undefined : values.skip === '0' ? 0 : positiveInt(values.skip, '--skip');
    return withClient(values, io, async ({ client }) => {
      const signal = io.signal;
      // A contract id or name stands for its application name; anything else is taken as the application name itself.
      const found = await client.contracts.find(contract, { signal }).catch(() => undefined);
      const service = found?.applicationName ?? contract;
      if (!entitySet) {
        io.stdout(`${(await client.odata.entitySets(service, { signal })).join('\n')}\n`);
        return 0;
      }
      const bar = values.quiet ? undefined : progressBar(io, 'objects');
      const writer = pageWriter<ODataRow>(format, undefined, (name) => io.stderr(`warning: the property '${name}' first appeared ` +
        'after the CSV header was written; its values are not in the CSV. Use --format ndjson to keep every property.\n'));
      const query = {
        ...(values.filter ? { filter: values.filter } : {}), ...(values.orderby ? { orderby: values.orderby } : {}),
        ...(top !== undefined ? { top } : {}), ...(skip !== undefined ? { skip } : {}), ...(values.select ? { select: values.select } : {}),
        ...(values.count ? { count: true } : {}), signal,
        onProgress: (p: { rows: number; estimatedTotal?: number }) => bar?.update(p.rows, p.estimatedTotal),
      };
      const counted = async function* () {
        // The count comes with the first response; read whole so it can be printed before the rows.
        const result = await client.odata.queryEntitySet(service, entitySet, query);
        io.stderr(`@odata.count: ${result.count ?? 'not given'}\n`);
        yield result.rows;
      };
      const pages = values.count ? counted() : client.odata.stream(service, entitySet, query);
      const total = await writePages(io, values.out, writer, pages, bar);
      if (values.out) io.stderr(`Wrote ${total} objects of ${entitySet} to ${values.out}.\n`);
      return 0;
    });
  },
};

export default command;
