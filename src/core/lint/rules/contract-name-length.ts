// mdsp/contract-name-length: publishing a contract fails with HTTP 500 when AGGR_{AspectType}_{AspectName}_{AssetType}
// is longer than 200 characters (seed §9.2).
import { entitySetName } from '../../contract/naming';
import { jsonProperty } from '../../contract/json';
import { LIMITS } from '../../limits';
import type { Rule } from '../rule';

const MAX = LIMITS.contractEntityNameMax.value;

export const contractNameLength: Rule = {
  meta: {
    id: 'mdsp/contract-name-length',
    severity: 'error',
    description: `An AGGR_{AspectType}_{AspectName}_{AssetType} entity name over ${MAX} characters, which makes publishing fail with HTTP 500.`,
  },
  contract({ parsed }, report) {
    for (const assetType of parsed.contract.assetTypes) {
      for (const aspect of assetType.aspects) {
        const name = entitySetName('aggregate', aspect.aspectType, aspect.name, assetType.id);
        if (name.length <= MAX) continue;
        const node = jsonProperty(aspect.node, 'name')?.value ?? aspect.node;
        if (!node) continue;
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
    }
  },
};
