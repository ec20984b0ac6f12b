// `mdsp-makers contracts [list|get|publish|metadata]`: the tenant's Data Hub contracts (seed §2.3.3). `publish` takes
// a contract by id or name, or a `*.contract.json` file, which it creates (or updates) on the tenant and publishes.
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { ContractInput, DataHubContract, MindSphereClient } from '../../client';
import { isContractFile, parseContract } from '../../core/contract';
import { formatTable } from '../../core/tabular';
import { BINARY, type DecodedText, decodeText } from '../../core/text-file';
import { CONNECTION_OPTIONS, CONNECTION_USAGE, CREDENTIALS_HELP, formatOption, parseCommandArgs, withClient, writeOutput } from '../credentials';
import { type CliCommand, type CliIO, UsageError } from '../io';

const ACTIONS = ['list', 'get', 'publish', 'metadata'] as const;
const FORMATS = ['table', 'json'] as const;

const command: CliCommand = {
  summary: 'The tenant\'s Data Hub contracts.\n\n' +
    '  list                      every contract (default): name, version, application name, status\n' +
    '  get <contract>            one contract as JSON\n' +
    '  publish <contract|FILE>   publish a contract, or create (or update) one from a *.contract.json file and publish it\n' +
    '  metadata <contract>       the contract as OData CSDL XML (Asset Manager\'s "Download your contract")\n' +
    '  <contract> is an id or a name.\n' +
    '  --format F                list: table (default) or json\n' +
    '  --out FILE                metadata: write to FILE instead of stdout\n\n' + CREDENTIALS_HELP,
  usage: `mdsp-makers contracts [list|get|publish|metadata] [<contract>|FILE] [--format table|json] [--out FILE] ${CONNECTION_USAGE}`,
  async run(args, io) {
    const { values, positionals } = parseCommandArgs(args, { ...CONNECTION_OPTIONS, format: { type: 'string' }, out: { type: 'string' } }, 2);
    const action = (positionals[0] ?? 'list') as (typeof ACTIONS)[number];
    if (!ACTIONS.includes(action)) throw new UsageError(`'${action}' is not an action: use ${ACTIONS.join(', ')}.`);
    const target = positionals[1];
    if (action !== 'list' && !target) throw new UsageError(`contracts ${action} needs a contract id or name${action === 'publish' ? ', or a *.contract.json file' : ''}.`);
    const format = formatOption(values.format, FORMATS);
    const file = action === 'publish' && target && isContractFile(target) ? await readContractFile(io, target) : undefined;
    return withClient(values, io, async ({ client }) => {
      const signal = io.signal;
      if (action === 'list') {
        const contracts = await client.contracts.list({ signal });
        io.stdout(format === 'json' ? `${JSON.stringify(contracts, null, 2)}\n` : contracts.length === 0 ? 'No contracts yet.\n'
          : formatTable(['name', 'version', 'applicationName', 'environmentType', 'status', 'assetTypes', 'id'],
            contracts.map((c) => [c.name, c.version, c.applicationName, c.environmentType, c.status, String(c.assetTypes.length), c.id])));
        return 0;
      }
      if (file) return report(io, client, await client.contracts.publishInput(file, { signal }));
      const contract = await client.contracts.find(target!, { signal });
      if (!contract) {
        const names = (await client.contracts.list({ signal })).map((c) => c.name);
        io.stderr(`No contract '${target}' on this tenant${names.length ? `; its contracts: ${names.join(', ')}` : ''}.\n`);
        return 1;
      }
      if (action === 'get') io.stdout(`${JSON.stringify(contract, null, 2)}\n`);
      else if (action === 'publish') return report(io, client, await client.contracts.publish(contract.id, { signal }));
      else {
        await writeOutput(io, values.out, async (write) => write(await client.contracts.metadata(contract.id, { signal })));
        if (values.out) io.stderr(`Wrote the CSDL of ${contract.name} ${contract.version} to ${values.out}.\n`);
      }
      return 0;
    });
  },
};

export default command;

function report(io: CliIO, client: MindSphereClient, c: DataHubContract): number {
  io.stdout(`Published ${c.name} ${c.version} to Data Hub: ${client.connection.gateway}/odata/${c.applicationName}/ ` +
    `(${c.entitySets?.length ?? 0} entity sets: ${(c.entitySets ?? []).join(', ')}).\n`);
  return 0;
}

/**
 * A `*.contract.json` file as the contracts API takes it; its problems are usage errors, each with its path. Decoded as
 * `lint` decodes it (UTF-16 with a byte order mark too), so a file lint passes is one publish reads.
 */
async function readContractFile(io: CliIO, file: string): Promise<ContractInput> {
  let decoded: DecodedText | undefined;
  try {
    decoded = decodeText(await readFile(resolve(io.cwd, file)));
  } catch (error) {
    throw new UsageError(`cannot read ${file}: ${error instanceof Error ? error.message : String(error)}.`);
  }
  if (!decoded) throw new UsageError(`cannot read ${file}: ${BINARY}.`);
  const parsed = parseContract(decoded.text);
  const problems = [...parsed.json.errors.map((e) => e.message), ...parsed.issues.map((i) => i.message)];
  if (problems.length) throw new UsageError(`${file} is not a valid contract (run mdsp-makers lint ${file}):\n  ${problems.join('\n  ')}`);
  const c = parsed.contract;
  return { name: c.name, version: c.version, tenant: c.tenant, applicationName: c.applicationName,
    environmentType: c.environmentType as ContractInput['environmentType'], assetTypes: c.assetTypes.map((t) => t.id),
    ...(c.description ? { description: c.description } : {}) };
}
