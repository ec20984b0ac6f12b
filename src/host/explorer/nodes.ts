// The nodes of the MindSphere explorer and how each looks, as plain data (no `vscode` here, so unit tests and the
// benchmark use it directly). tree.ts turns a NodeView into a vscode.TreeItem.
//
// Every node carries what a command on it needs: an asset its id and name, an aspect its asset id, name and variables
// (with units), a variable its asset id and aspect. contextValue is a list of tokens matched by regex in package.json
// menus, e.g. `asset;root`, `aspect;dynamic;chartable`, `variable;chartable`, `contract;published`.
import type { Asset, AspectType, AssetType, DataHubContract, VariableDefinition } from '../../client';
import { isStandardType } from '../../core/contract';
import { CHARTABLE_TYPES } from '../../protocol/preview';
import type { ConnectionSummary } from '../connections/session';

export { CHARTABLE_TYPES };

interface Base {
  /** Unique in the tree and stable across refreshes (VS Code keeps expansion and selection by it). */
  readonly key: string;
  readonly parent: ExplorerNode | undefined;
}

export type GroupKind = 'assets' | 'assetTypes' | 'aspectTypes' | 'contracts';

export interface ConnectionNode extends Base { readonly kind: 'connection'; readonly connection: ConnectionSummary }
export interface GroupNode extends Base { readonly kind: 'group'; readonly group: GroupKind }
export interface AssetNode extends Base {
  readonly kind: 'asset';
  readonly asset: Asset;
  /** From the asset types (when loaded): does its type have aspects at all, and a dynamic one with chartable variables? */
  readonly typeName?: string;
  readonly hasAspects?: boolean;
  readonly chartable: boolean;
}
export interface AspectNode extends Base {
  readonly kind: 'aspect';
  /** Set for an aspect of an asset; absent for an aspect of an asset type. */
  readonly assetId?: string;
  readonly assetName?: string;
  readonly aspect: string;
  readonly aspectTypeId?: string;
  readonly aspectTypeName?: string;
  readonly category?: string;
  readonly variables: readonly VariableDefinition[];
  /** Values of a static aspect's variables on its asset. */
  readonly values?: Readonly<Record<string, unknown>>;
  /** For an aspect of an asset type that the type inherits: the type that declares it. */
  readonly inheritedFrom?: string;
}
export interface VariableNode extends Base {
  readonly kind: 'variable';
  readonly assetId?: string;
  readonly aspect?: string;
  readonly variable: VariableDefinition;
  readonly value?: unknown;
  readonly chartable: boolean;
}
export interface AssetTypeNode extends Base {
  readonly kind: 'assetType';
  readonly type: AssetType;
  readonly derived: readonly AssetType[];
  /** Shown at the top although it has a parent type: its parent types derive from it in turn (a damaged tenant). */
  readonly loop?: boolean;
}
export interface AspectTypeNode extends Base { readonly kind: 'aspectType'; readonly type: AspectType }
export interface LoadMoreNode extends Base { readonly kind: 'loadMore'; readonly shown: number; readonly total: number }
export interface ErrorNode extends Base {
  readonly kind: 'error';
  readonly message: string;
  /** What "Retry" does: refresh the node whose children failed, or load the next page again. */
  readonly retry: { readonly command: 'mdsp.refresh' | 'mdsp.loadMore'; readonly node: ExplorerNode };
}
export interface MessageNode extends Base { readonly kind: 'message'; readonly message: string }
/** A contract of the tenant (Data Hub). */
export interface ContractNode extends Base { readonly kind: 'contract'; readonly contract: DataHubContract }

/** A `*.contract.json` file of the workspace, as the Contracts node lists it. */
export interface ContractFileRef {
  /** The file: a vscode.Uri in the extension (this module uses only these members, so it stays free of `vscode`). */
  readonly uri: { readonly path: string; toString(): string };
  /** Where it is, relative to its workspace folder. */
  readonly relativePath: string;
  /** What the file says ('' when it does not say). */
  readonly name: string;
  readonly version: string;
  /** The first thing that keeps it from being published, with its line, when there is one. */
  readonly problem?: string;
}
export interface ContractFileNode extends Base {
  readonly kind: 'contractFile';
  readonly file: ContractFileRef;
  /** The tenant's contract of the same name and version, when there is one. */
  readonly onTenant?: DataHubContract;
}

export type ExplorerNode =
  | ConnectionNode | GroupNode | AssetNode | AspectNode | VariableNode | AssetTypeNode | AspectTypeNode | LoadMoreNode
  | ErrorNode | MessageNode | ContractNode | ContractFileNode;

/** How a node looks: tree.ts maps this onto a TreeItem one to one. */
export interface NodeView {
  readonly label: string;
  readonly description?: string;
  /** Markdown. */
  readonly tooltip?: string;
  /** A codicon id, optionally with a theme color id. */
  readonly icon: { readonly id: string; readonly color?: string };
  readonly collapsible: 'none' | 'collapsed' | 'expanded';
  readonly contextValue: string;
  readonly command?: { readonly command: string; readonly title: string; readonly arguments: readonly unknown[] };
}

const GROUPS: Record<GroupKind, { label: string; icon: string; tooltip: string }> = {
  assets: { label: 'Assets', icon: 'list-tree', tooltip: 'The asset hierarchy, from the root asset of the tenant.' },
  assetTypes: { label: 'Asset Types', icon: 'symbol-class', tooltip: 'Asset types, grouped by derivation, with their aspects and variables.' },
  aspectTypes: { label: 'Aspect Types', icon: 'symbol-interface', tooltip: 'Aspect types and their variables.' },
  contracts: { label: 'Contracts', icon: 'law',
    tooltip: 'The contracts that publish asset types to Mendix Data Hub: the tenant\'s, and the workspace\'s `*.contract.json` files.' },
};

/** A tenant contract's `status` once it is on Data Hub (otherwise `Not published`). */
const PUBLISHED = 'Published';

const ASSET_ICONS: Record<string, string> = {
  'core.basicenterprise': 'organization',
  'core.basicsite': 'location',
  'core.basicarea': 'layers',
};

function variableIcon(dataType: string): string {
  switch (dataType) {
    case 'BOOLEAN': return 'symbol-boolean';
    case 'STRING': case 'BIG_STRING': return 'symbol-string';
    case 'TIMESTAMP': return 'calendar';
    case 'DOUBLE': case 'INT': case 'LONG': return 'symbol-number';
    default: return 'symbol-field';
  }
}

/** `DOUBLE · kW`, the way a variable is described everywhere in the tree. */
export function describeVariable(v: VariableDefinition): string {
  return [v.dataType, v.unit].filter(Boolean).join(' · ');
}

function shortType(typeId: string): string {
  return typeId.slice(typeId.indexOf('.') + 1);
}

/** Text from the tenant as plain Markdown text: no character of it can start a link, an image or any formatting. */
export function escapeMd(text: string): string {
  return text.replace(/[\\`*_{}[\]()#+\-.!|<>]/g, '\\$&');
}

/**
 * Text from the tenant as a Markdown code span. Backslashes do not escape inside one, so a backtick in the text would end
 * the span and let the rest render as Markdown (a link, a remote image): the fence is one backtick longer than the
 * longest run inside, padded with spaces when the text starts or ends with one, and a line break (which could end the
 * paragraph, and the span with it) becomes a space.
 */
export function codeSpan(text: string): string {
  const flat = text.replace(/[\r\n]+/g, ' ');
  const fence = '`'.repeat(Math.max(0, ...(flat.match(/`+/g) ?? []).map((run) => run.length)) + 1);
  const pad = /^[` ]|[` ]$/.test(flat) ? ' ' : '';
  return `${fence}${pad}${flat}${pad}${fence}`;
}

function formatValue(value: unknown): string {
  if (value === null || value === undefined || value === '') return '';
  return typeof value === 'string' ? value : JSON.stringify(value);
}

const lines = (...parts: (string | false | null | undefined)[]): string => parts.filter(Boolean).join('\n\n');

export function viewOf(node: ExplorerNode): NodeView {
  switch (node.kind) {
    case 'connection': {
      const c = node.connection;
      return {
        label: c.name,
        description: c.sandbox ? 'sandbox tenant' : [c.tenant, c.region].filter(Boolean).join(' · '),
        tooltip: lines(`**${escapeMd(c.name)}**`, c.sandbox ? 'The local sandbox tenant: a seeded plant, no account needed.' : undefined,
          c.gateway && `Gateway: ${codeSpan(c.gateway)}`, c.clientId && `Client ID: ${codeSpan(c.clientId)}`),
        icon: { id: c.sandbox ? 'beaker' : 'plug' },
        collapsible: 'expanded',
        contextValue: `connection;active${c.sandbox ? ';sandbox' : ''}`,
      };
    }
    case 'group': {
      const g = GROUPS[node.group];
      return { label: g.label, tooltip: g.tooltip, icon: { id: g.icon }, collapsible: node.group === 'assets' ? 'expanded' : 'collapsed',
        contextValue: `group;${node.group}` };
    }
    case 'asset': {
      const a = node.asset;
      const root = !a.parentId;
      const variables = (a.variables ?? []).filter((v) => formatValue(v.value));
      return {
        label: a.name,
        description: node.typeName ?? shortType(a.typeId),
        tooltip: lines(`**${escapeMd(a.name)}**`, a.description && escapeMd(a.description), `Type: ${codeSpan(a.typeId)}`, `Asset ID: ${codeSpan(a.assetId)}`,
          a.externalId ? `External ID: ${codeSpan(a.externalId)}` : undefined,
          variables.length > 0 && variables.map((v) => `${escapeMd(v.name)}: ${escapeMd(formatValue(v.value))}`).join('  \n')),
        icon: { id: ASSET_ICONS[a.typeId] ?? (node.chartable ? 'pulse' : 'circuit-board') },
        collapsible: root ? 'expanded' : 'collapsed',
        contextValue: ['asset', root && 'root', node.hasAspects && 'hasAspects', node.chartable && 'chartable'].filter(Boolean).join(';'),
      };
    }
    case 'aspect': {
      const dynamic = node.category === 'dynamic';
      const chartable = dynamic && node.assetId !== undefined && node.variables.some((v) => CHARTABLE_TYPES.has(v.dataType));
      return {
        label: node.aspect,
        description: [node.aspectTypeName ?? (node.aspectTypeId && shortType(node.aspectTypeId)), node.category,
          node.inheritedFrom && `from ${shortType(node.inheritedFrom)}`].filter(Boolean).join(' · '),
        tooltip: lines(`**${escapeMd(node.aspect)}**${node.assetName ? ` of ${escapeMd(node.assetName)}` : ''}`,
          node.aspectTypeId && `Aspect type: ${codeSpan(node.aspectTypeId)}${node.category ? ` (${escapeMd(node.category)})` : ''}`,
          dynamic && node.assetId ? 'Dynamic: its variables are time series.' : undefined),
        icon: { id: dynamic ? 'pulse' : 'symbol-constant' },
        collapsible: node.variables.length > 0 ? 'collapsed' : 'none',
        contextValue: ['aspect', node.category, chartable && 'chartable', node.assetId ? 'ofAsset' : 'ofType'].filter(Boolean).join(';'),
      };
    }
    case 'variable': {
      const v = node.variable;
      const value = formatValue(node.value);
      return {
        label: v.name,
        description: value ? `= ${value}${v.unit ? ` ${v.unit}` : ''}` : describeVariable(v),
        tooltip: lines(`**${escapeMd(v.name)}**${node.aspect ? ` in ${escapeMd(node.aspect)}` : ''}`, `Data type: ${codeSpan(v.dataType)}`,
          v.unit ? `Unit: ${escapeMd(v.unit)}` : undefined, v.qualityCode ? `With quality codes (${codeSpan(`${v.name}_qc`)}).` : undefined),
        icon: { id: variableIcon(v.dataType) },
        collapsible: 'none',
        contextValue: node.chartable ? 'variable;chartable' : 'variable',
      };
    }
    case 'assetType': {
      const t = node.type;
      return {
        label: t.name,
        description: node.loop ? `${t.id} · derivation loop` : t.id,
        tooltip: lines(`**${escapeMd(t.name)}**`, t.description && escapeMd(t.description), `Type ID: ${codeSpan(t.id)}`,
          t.parentTypeId ? `Derived from ${codeSpan(t.parentTypeId)}` : undefined,
          node.loop ? 'Its parent types derive from it in turn (a derivation loop), so it is shown at the top.' : undefined,
          t.instantiable === false ? 'Not instantiable.' : undefined),
        icon: { id: 'symbol-class' },
        collapsible: node.derived.length + (t.aspects?.length ?? 0) + (t.variables?.length ?? 0) > 0 ? 'collapsed' : 'none',
        // New Contract… is offered on the tenant's own types only: a contract publishes those, not `core.` types.
        contextValue: isStandardType(t.id) ? 'assetType;standard' : 'assetType',
      };
    }
    case 'aspectType': {
      const t = node.type;
      return {
        label: t.name,
        description: `${t.category} · ${t.variables.length} variable${t.variables.length === 1 ? '' : 's'}`,
        tooltip: lines(`**${escapeMd(t.name)}**`, t.description && escapeMd(t.description), `Aspect type ID: ${codeSpan(t.id)}`),
        icon: { id: 'symbol-interface' },
        collapsible: t.variables.length > 0 ? 'collapsed' : 'none',
        contextValue: `aspectType;${t.category}`,
      };
    }
    case 'loadMore':
      return {
        label: 'Load more…',
        description: `${node.shown.toLocaleString('en')} of ${node.total.toLocaleString('en')} shown`,
        icon: { id: 'ellipsis' },
        collapsible: 'none',
        contextValue: 'loadMore',
        command: { command: 'mdsp.loadMore', title: 'Load More', arguments: [node] },
      };
    case 'error':
      return {
        label: node.message,
        tooltip: `${escapeMd(node.message)}\n\nClick to retry.`,
        icon: { id: 'error', color: 'errorForeground' },
        collapsible: 'none',
        contextValue: 'error',
        command: { command: node.retry.command, title: 'Retry', arguments: [node.retry.node] },
      };
    case 'message':
      return { label: node.message, icon: { id: 'info' }, collapsible: 'none', contextValue: 'message' };
    case 'contract': {
      const c = node.contract;
      const published = c.status === PUBLISHED;
      return {
        label: c.name,
        description: `${c.version} · ${published ? 'published' : 'not published'}`,
        tooltip: lines(`**${escapeMd(c.name)}** ${escapeMd(c.version)}`, c.description && escapeMd(c.description),
          `Application name: ${codeSpan(c.applicationName)} · ${escapeMd(c.environmentType)}`,
          published ? `Published to Data Hub${c.publishedAt ? ` at ${escapeMd(c.publishedAt)}` : ''}: ${c.entitySets?.length ?? 0} entity sets.`
            : 'Saved on the tenant, not published to Data Hub.',
          `Asset types: ${c.assetTypes.map(codeSpan).join(', ')}`,
          c.missingAssetTypes?.length ? `Missing on the tenant: ${c.missingAssetTypes.map(codeSpan).join(', ')}` : undefined,
          `Contract ID: ${codeSpan(c.id)}`),
        icon: published ? { id: 'law', color: 'charts.green' } : { id: 'law' },
        collapsible: 'none',
        contextValue: `contract;${published ? 'published' : 'notPublished'}`,
      };
    }
    case 'contractFile': {
      const f = node.file;
      const state = f.problem ? 'not valid' : !node.onTenant ? 'not on the tenant'
        : node.onTenant.status === PUBLISHED ? 'published' : 'on the tenant, not published';
      const fileName = f.relativePath.replace(/^.*\//, '');
      const folder = f.relativePath.slice(0, f.relativePath.length - fileName.length).replace(/\/$/, '');
      return {
        label: fileName,
        description: [folder, state].filter(Boolean).join(' · '),
        tooltip: lines(`**${escapeMd(f.relativePath)}**`, f.name && `Contract ${escapeMd(f.name)} ${escapeMd(f.version)}: ${state}.`,
          f.problem && `Not valid: ${escapeMd(f.problem)}`, 'Click to open; publish it with "Publish Contract".'),
        icon: f.problem ? { id: 'warning', color: 'problemsWarningIcon.foreground' } : { id: 'json' },
        collapsible: 'none',
        contextValue: ['contractFile', f.problem && 'invalid', node.onTenant && 'onTenant'].filter(Boolean).join(';'),
        command: { command: 'vscode.open', title: 'Open', arguments: [f.uri] },
      };
    }
  }
}

/** The id "Copy ID" copies: an asset's id, a type's id, an aspect's type id. */
export function idOf(node: ExplorerNode): string | undefined {
  switch (node.kind) {
    case 'asset': return node.asset.assetId;
    case 'assetType': case 'aspectType': return node.type.id;
    case 'aspect': return node.aspectTypeId;
    case 'contract': return node.contract.id;
    default: return undefined;
  }
}

/** What a time-series preview of this node shows (the preview panel's InitialSelection), when it is an asset's. */
export function selectionOf(node: ExplorerNode): { assetId: string; aspect?: string; variables?: string[] } | undefined {
  switch (node.kind) {
    case 'asset': return { assetId: node.asset.assetId };
    case 'aspect':
      return node.assetId === undefined ? undefined
        : { assetId: node.assetId, aspect: node.aspect, variables: node.variables.filter((v) => CHARTABLE_TYPES.has(v.dataType)).map((v) => v.name) };
    case 'variable':
      return node.assetId === undefined || node.aspect === undefined ? undefined
        : { assetId: node.assetId, aspect: node.aspect, variables: [node.variable.name] };
    default: return undefined;
  }
}
