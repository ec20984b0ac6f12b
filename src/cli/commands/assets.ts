// `mdsp-makers assets`: lists the tenant's assets (optionally filtered with Asset Management filter JSON) as a table,
// a hierarchy or JSON.
import { type Asset, collect } from '../../client';
import { CONNECTION_OPTIONS, CONNECTION_USAGE, CREDENTIALS_HELP, formatOption, parseCommandArgs, withClient } from '../credentials';
import { type CliCommand, UsageError } from '../io';
import { formatTable, printable } from '../../core/tabular';

const FORMATS = ['table', 'json'] as const;

const command: CliCommand = {
  summary: `List the assets of the tenant.\n\n  --filter JSON   Asset Management filter, e.g. '{"typeId":{"endsWith":"Pump"}}'\n  --tree          show the hierarchy\n  --format F      table (default) or json\n\n${CREDENTIALS_HELP}`,
  usage: `mdsp-makers assets [--filter JSON] [--tree] [--format table|json] ${CONNECTION_USAGE}`,
  async run(args, io) {
    const { values } = parseCommandArgs(args, {
      ...CONNECTION_OPTIONS,
      filter: { type: 'string' },
      tree: { type: 'boolean' },
      format: { type: 'string' },
    }, 0);
    const format = formatOption(values.format, FORMATS);
    const filter = values.filter === undefined ? undefined : parseFilter(values.filter);
    return withClient(values, io, async ({ client }) => {
      const assets = await collect(client.assets.list({ ...(filter ? { filter } : {}), sort: 'name,asc', signal: io.signal }));
      if (values.tree) {
        const roots = buildTree(assets);
        io.stdout(format === 'json' ? `${JSON.stringify(roots, null, 2)}\n` : renderTree(roots));
      } else if (format === 'json') {
        io.stdout(`${JSON.stringify(assets, null, 2)}\n`);
      } else {
        io.stdout(assets.length === 0 ? 'No assets match.\n'
          : formatTable(['name', 'assetId', 'typeId', 'parentId'], assets.map((a) => [a.name, a.assetId, a.typeId, a.parentId ?? ''])));
      }
      return 0;
    });
  },
};

export default command;

function parseFilter(text: string): Record<string, unknown> {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new UsageError(`--filter is not valid JSON (${error instanceof Error ? error.message : String(error)}). Asset Management filters are JSON such as '{"name":{"startsWith":"Pump"}}'.`);
  }
  if (!json || typeof json !== 'object' || Array.isArray(json)) {
    throw new UsageError('--filter must be a JSON object such as \'{"name":{"startsWith":"Pump"}}\'.');
  }
  return json as Record<string, unknown>;
}

export type AssetNode = Asset & { children: AssetNode[] };

/** Nests assets under their parents; assets whose parent is not in the list (or the root) become roots. */
export function buildTree(assets: readonly Asset[]): AssetNode[] {
  const nodes = new Map(assets.map((a) => [a.assetId, { ...a, children: [] as AssetNode[] }]));
  const roots: AssetNode[] = [];
  for (const node of nodes.values()) {
    const parent = node.parentId ? nodes.get(node.parentId) : undefined;
    if (parent && parent !== node) parent.children.push(node);
    else roots.push(node);
  }
  return roots;
}

function renderTree(roots: readonly AssetNode[]): string {
  const lines: string[] = [];
  const walk = (node: AssetNode, prefix: string, last: boolean, top: boolean) => {
    lines.push(`${top ? '' : `${prefix}${last ? '└── ' : '├── '}`}${printable(`${node.name}  (${node.typeId}, ${node.assetId})`)}`);
    const childPrefix = top ? '' : `${prefix}${last ? '    ' : '│   '}`;
    node.children.forEach((c, i) => walk(c, childPrefix, i === node.children.length - 1, false));
  };
  roots.forEach((r) => walk(r, '', true, true));
  return lines.length ? `${lines.join('\n')}\n` : 'No assets match.\n';
}
