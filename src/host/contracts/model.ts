// The contract commands' logic without VS Code (unit-tested on its own): a new contract drafted from the tenant's asset
// types, the types related to a selection (seed §8.2), what a `*.contract.json` file sends to the tenant, where its
// problems are, and the message for a failed publish.
import type { AspectType, AssetType, ContractInput } from '../../client';
// Not from '../../client': this module loads at activation, the client (dist/client.js, with zod) on the first request.
import { MindSphereError } from '../../client/errors';
import type { Contract, ParsedContract } from '../../core/contract';
import { LIMITS } from '../../core/limits';
import { LineIndex } from '../../core/lint/text';
import { messageOf } from '../util';

/** The environment type a new contract gets, as Asset Manager prefills it. */
export const DEFAULT_ENVIRONMENT = 'Sandbox';
export const DEFAULT_VERSION = '1.0.0';

/** Why a contract name cannot be used (it also names the file), or undefined when it can. */
export function contractNameProblem(name: string): string | undefined {
  const n = name.trim();
  if (!n) return 'Enter a name for the contract.';
  if (/[\\/:*?"<>|\p{Cc}]/u.test(n)) return 'The name also names the file: leave out \\ / : * ? " < > | and control characters.';
  if (n.startsWith('.')) return 'The name also names the file: it must not start with a dot.';
  return undefined;
}

export function versionProblem(version: string): string | undefined {
  if (!version.trim()) return 'Enter a version, for example 1.0.0.';
  if (/\s/.test(version.trim())) return 'A version has no spaces, for example 1.0.0.';
  return undefined;
}

/** `Pump Monitoring` → `Pump-Monitoring.contract.json`. */
export function contractFileName(name: string): string {
  return `${name.trim().replace(/\s+/g, '-')}.contract.json`;
}

/** The tenant's own type ids start with `{tenant}.`; `core.` types belong to every tenant. */
const ownType = (tenant: string) => (id: string) => id.startsWith(`${tenant}.`);

/**
 * The types a contract of `selected` should also publish (seed §8.2: Data Hub cannot associate entities of different
 * contracts): the tenant's own ancestors of each selected type, and every type derived from one, by name. Standard
 * `core.` types are left out: every type derives from them.
 */
export function relatedTypes<T extends Pick<AssetType, 'id' | 'name' | 'parentTypeId'>>(selected: readonly string[], all: readonly T[],
  tenant: string): T[] {
  const byId = new Map(all.map((t) => [t.id, t]));
  const isOwn = ownType(tenant);
  const chosen = new Set(selected);
  const related = new Set<string>();
  for (const id of selected) {
    for (let parent = byId.get(id)?.parentTypeId; parent && isOwn(parent) && byId.has(parent) && !related.has(parent);
      parent = byId.get(parent)?.parentTypeId) {
      related.add(parent);
    }
  }
  const queue = [...selected];
  for (let id = queue.shift(); id !== undefined; id = queue.shift()) {
    for (const t of all) {
      if (t.parentTypeId === id && t.id !== id && !related.has(t.id)) {
        related.add(t.id);
        queue.push(t.id);
      }
    }
  }
  return [...related].filter((id) => !chosen.has(id)).map((id) => byId.get(id)).filter((t): t is T => t !== undefined)
    .sort((a, b) => a.name.localeCompare(b.name));
}

export interface DraftInput {
  readonly name: string;
  readonly version: string;
  readonly tenant: string;
  /** Exploded asset types (with inherited aspects), in the order the contract lists them. */
  readonly types: readonly AssetType[];
  readonly aspectTypes: ReadonlyMap<string, AspectType>;
}

/** The text of a new `*.contract.json`: application name `mdsp_` + tenant (seed §2.3.3), each type with its aspects. */
export function draftContract(input: DraftInput): string {
  const contract = {
    name: input.name.trim(),
    version: input.version.trim(),
    tenant: input.tenant,
    applicationName: `${LIMITS.contractAppPrefix.value}${input.tenant}`,
    environmentType: DEFAULT_ENVIRONMENT,
    assetTypes: input.types.map((t) => ({
      id: t.id,
      name: t.name,
      ...(t.parentTypeId ? { parentTypeId: t.parentTypeId } : {}),
      aspects: (t.aspects ?? []).map((a) => {
        const typeId = a.aspectType?.id ?? '';
        const variables = input.aspectTypes.get(typeId)?.variables ?? a.aspectType?.variables ?? [];
        return { name: a.name, aspectType: typeId,
          variables: variables.map((v) => ({ name: v.name, dataType: v.dataType, ...(v.unit ? { unit: v.unit } : {}) })) };
      }),
    })),
  };
  return `${JSON.stringify(contract, null, 2)}\n`;
}

/** What the contracts API takes from a contract file: the asset types by id (their aspects are the tenant's). */
export function contractInput(c: Contract): ContractInput {
  return {
    name: c.name, version: c.version, tenant: c.tenant, applicationName: c.applicationName,
    environmentType: c.environmentType as ContractInput['environmentType'], assetTypes: c.assetTypes.map((t) => t.id),
    ...(c.description ? { description: c.description } : {}),
  };
}

export interface FileProblem {
  readonly message: string;
  readonly start: number;
  readonly end: number;
  /** 1-based, as an editor shows them. */
  readonly line: number;
  readonly column: number;
}

/**
 * At most this many problems are kept: only the first is shown, with a count. A broken file can have one problem per
 * few bytes (a 200 KB array without commas has 100 000), and keeping them all costs time and memory on every refresh.
 */
export const MAX_FILE_PROBLEMS = 100;

/** The first MAX_FILE_PROBLEMS JSON and schema problems of a contract file, in the order they appear. */
export function fileProblems(text: string, parsed: ParsedContract): FileProblem[] {
  const lines = new LineIndex(text);
  return [...parsed.json.errors, ...parsed.issues].sort((a, b) => a.start - b.start).slice(0, MAX_FILE_PROBLEMS).map((p) => {
    const { line, column } = lines.position(p.start);
    return { message: p.message, start: p.start, end: p.end, line, column };
  });
}

/** `line 3, column 5: Expected ':' … (and 2 more problems)`; `99+` when fileProblems stopped counting. */
export function describeProblems(problems: readonly FileProblem[]): string {
  const [first] = problems;
  if (!first) return '';
  const more = problems.length - 1;
  const count = `${more}${problems.length >= MAX_FILE_PROBLEMS ? '+' : ''}`;
  return `line ${first.line}, column ${first.column}: ${first.message}${more > 0 ? ` (and ${count} more problem${more === 1 ? '' : 's'})` : ''}`;
}

const sentence = (text: string) => text.trim().replace(/([^.!?])$/, '$1.');

/**
 * What a failure of the publish step leaves behind: the contract was created (or replaced) first, so it stays saved on
 * the tenant, not published; publishing the file again replaces it. Empty when an earlier step failed (a failed
 * replace leaves the old contract, a failed create nothing).
 */
function savedNote(error: MindSphereError, file?: string): string {
  if (!error.request?.path.endsWith('/publish')) return '';
  return ' The contract is saved on the tenant, not published' +
    (file ? `: correct ${file} and publish it again, which replaces the saved one.` : '.');
}

/**
 * The message for a failed publish of a contract (`file`: the contract file that was sent, if one was). The
 * 200-character AGGR_ failure (seed §9.2) is MindSphere's HTTP 500 and says little by its status alone, so it is named;
 * every message keeps the server's status, code and words.
 */
export function publishFailure(what: string, error: unknown, file?: string): string {
  if (error instanceof MindSphereError && error.status === 500 && /AGGR_/.test(error.serverMessage)) {
    const code = error.code ? ` [code: ${error.code}${error.logref ? `, logref: ${error.logref}` : ''}]` : '';
    const hint = /shorten/i.test(error.serverMessage) ? '' : ' Shorten the aspect type, aspect or asset type name, then publish again.';
    return `MindSphere could not publish ${what} to Data Hub (HTTP 500): an AGGR_{AspectType}_{AspectName}_{AssetType} entity ` +
      `name is longer than ${LIMITS.contractEntityNameMax.value} characters. ${sentence(error.serverMessage)}${savedNote(error)}${hint}${code}`;
  }
  return `Publishing ${what} failed: ${messageOf(error)}${error instanceof MindSphereError ? savedNote(error, file) : ''}`;
}
