// `mdsp-makers types`: the tenant's asset types (with their aspects) and aspect types (with their variables).
import { collect } from '../../client';
import { formatTable } from '../../core/tabular';
import { CONNECTION_OPTIONS, CONNECTION_USAGE, CREDENTIALS_HELP, formatOption, parseCommandArgs, withClient } from '../credentials';
import type { CliCommand } from '../io';

const FORMATS = ['table', 'json'] as const;

const command: CliCommand = {
  summary: `List the asset types and aspect types of the tenant.\n\n  --format F   table (default) or json\n\n${CREDENTIALS_HELP}`,
  usage: `mdsp-makers types [--format table|json] ${CONNECTION_USAGE}`,
  async run(args, io) {
    const { values } = parseCommandArgs(args, { ...CONNECTION_OPTIONS, format: { type: 'string' } }, 0);
    const format = formatOption(values.format, FORMATS);
    return withClient(values, io, async ({ client }) => {
      const [assetTypes, aspectTypes] = await Promise.all([
        collect(client.assets.assetTypes({ sort: 'name,asc', signal: io.signal })),
        collect(client.assets.aspectTypes({ sort: 'name,asc', signal: io.signal })),
      ]);
      if (format === 'json') {
        io.stdout(`${JSON.stringify({ assetTypes, aspectTypes }, null, 2)}\n`);
        return 0;
      }
      io.stdout(`Asset types (${assetTypes.length})\n`);
      io.stdout(formatTable(['id', 'parent', 'aspects'], assetTypes.map((t) => [
        t.id, t.parentTypeId ?? '', (t.aspects ?? []).map((a) => `${a.name}: ${a.aspectType?.id ?? '?'}`).join(', '),
      ])));
      io.stdout(`\nAspect types (${aspectTypes.length})\n`);
      io.stdout(formatTable(['id', 'category', 'variables'], aspectTypes.map((t) => [
        t.id, t.category, t.variables.map((v) => `${v.name} ${v.dataType}${v.unit ? ` [${v.unit}]` : ''}`).join(', '),
      ])));
      return 0;
    });
  },
};

export default command;
