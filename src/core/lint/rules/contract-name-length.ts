// mdsp/contract-name-length: the Data Hub entity names a contract makes must be ones Data Hub can publish and serve.
// Publishing fails with HTTP 500 when AGGR_{AspectType}_{AspectName}_{AssetType} is longer than 200 characters (seed
// §9.2); and a name that is not an OData identifier, or that two aspects share, breaks the service's $metadata.
import { entitySetClashes, entitySetName, isODataIdentifier, localTypeName } from '../../contract/naming';
import { jsonProperty } from '../../contract/json';
import type { ContractAspect, ContractAssetType } from '../../contract/model';
import { LIMITS } from '../../limits';
import type { Reporter, Rule } from '../rule';

const MAX = LIMITS.contractEntityNameMax.value;

interface AspectSets {
  readonly assetType: ContractAssetType;
  readonly aspect: ContractAspect;
  /** The TS_ name; the AGGR_ name differs only in its prefix, so it is long, bad or shared exactly when this is. */
  readonly name: string;
}

/** The JSON value of `key` (or the whole object when it is missing), as a report's range. */
const at = (node: ContractAspect['node'], key: string) => jsonProperty(node, key)?.value ?? node;

function checkLength({ assetType, aspect }: AspectSets, report: Reporter): void {
  const name = entitySetName('aggregate', aspect.aspectType, aspect.name, assetType.id);
  const node = at(aspect.node, 'name');
  if (name.length <= MAX || !node) return;
  const excess = name.length - MAX;
  const shorter = aspect.name.length > excess ? aspect.name.slice(0, aspect.name.length - excess) : undefined;
  report({
    start: node.start,
    end: node.end,
    message: `The Data Hub entity ${name.slice(0, 60)}… is ${name.length} characters long; MindSphere fails to ` +
      `publish a contract with an AGGR_{AspectType}_{AspectName}_{AssetType} name over ${MAX} characters (HTTP 500 ` +
      `INTERNAL SERVER ERROR). Shorten the aspect name, aspect type or asset type by ${excess} characters in Asset ` +
      'Manager, then here.',
    fixes: shorter ? [{ title: `Shorten the aspect name to "${shorter}" (rename it in Asset Manager too)`, isPreferred: false,
      edits: [{ start: node.start, end: node.end, newText: JSON.stringify(shorter) }] }] : [],
  });
}

/** Reports the part that makes the name no OData identifier (a type id with a second dot, an aspect name with a space). */
function checkIdentifier({ assetType, aspect, name }: AspectSets, report: Reporter, reported: Set<number>): void {
  if (isODataIdentifier(name)) return;
  const parts = [
    { part: localTypeName(assetType.id), node: at(assetType.node, 'id'), what: `the asset type id "${assetType.id}"` },
    { part: localTypeName(aspect.aspectType), node: at(aspect.node, 'aspectType'), what: `the aspect type id "${aspect.aspectType}"` },
    { part: aspect.name, node: at(aspect.node, 'name'), what: `the aspect name "${aspect.name}"` },
  ];
  // Each part follows an `_` in the name, so a leading digit is fine: only its other characters matter.
  const bad = parts.find((p) => !isODataIdentifier(`_${p.part}`));
  if (!bad?.node || reported.has(bad.node.start)) return;
  reported.add(bad.node.start);
  report({
    start: bad.node.start,
    end: bad.node.end,
    message: `The Data Hub entity ${name} is not an OData identifier (letters, digits and _ only), because of ${bad.what}; ` +
      'Data Hub cannot serve it. Use type ids with one dot, after the tenant, and aspect names of letters, digits and _.',
  });
}

export const contractNameLength: Rule = {
  meta: {
    id: 'mdsp/contract-name-length',
    severity: 'error',
    description: `An AGGR_{AspectType}_{AspectName}_{AssetType} entity name over ${MAX} characters, which makes publishing fail with ` +
      'HTTP 500, or an entity name that is not an OData identifier or that two aspects share.',
  },
  contract({ parsed }, report) {
    const sets: AspectSets[] = parsed.contract.assetTypes.flatMap((assetType) => assetType.aspects
      .map((aspect) => ({ assetType, aspect, name: entitySetName('timeSeries', aspect.aspectType, aspect.name, assetType.id) })));
    // Half-written aspects (no name or type yet) are the schema rule's; they would only look alike here.
    const complete = sets.filter((s) => s.aspect.name && s.aspect.aspectType);
    const reported = new Set<number>();
    for (const s of sets) checkLength(s, report);
    for (const s of complete) checkIdentifier(s, report, reported);
    for (const { first, again } of entitySetClashes(complete)) {
      const node = at(again.aspect.node, 'name');
      if (!node) continue;
      const aggregate = entitySetName('aggregate', again.aspect.aspectType, again.aspect.name, again.assetType.id);
      report({
        start: node.start,
        end: node.end,
        message: `The Data Hub entities ${again.name} and ${aggregate} of aspect "${again.aspect.name}" ` +
          `(${again.aspect.aspectType}) of ${again.assetType.id} have the names of aspect "${first.aspect.name}" ` +
          `(${first.aspect.aspectType}) of ${first.assetType.id}, because _ joins the parts and is in them too. Data Hub ` +
          'cannot serve both: rename one of the aspects in Asset Manager, then here.',
      });
    }
  },
};
