// mdsp/contract-split-hierarchy: Data Hub cannot associate entities of different contracts (seed §8.2), so an asset type
// and its parent type published in different contracts lose their "is a" link. Checked across all contracts together.
import { jsonProperty } from '../../contract/json';
import type { ContractAssetType } from '../../contract/model';
import { addTo } from '../../multimap';
import type { ContractFile, Rule } from '../rule';

const baseName = (fileName: string) => fileName.replace(/^.*[\\/]/, '');

function idRange(type: ContractAssetType, key: 'id' | 'parentTypeId'): { start: number; end: number } | undefined {
  const node = jsonProperty(type.node, key)?.value ?? (key === 'parentTypeId' ? jsonProperty(type.node, 'id')?.value : undefined) ?? type.node;
  return node ? { start: node.start, end: node.end } : undefined;
}

export const contractSplitHierarchy: Rule = {
  meta: {
    id: 'mdsp/contract-split-hierarchy',
    severity: 'warning',
    description: 'An asset type and its parent or derived type published in different contracts, so no association is possible.',
  },
  workspace(contracts, schema, report) {
    const homes = new Map<string, Array<{ file: ContractFile; type: ContractAssetType }>>();
    for (const file of contracts) {
      for (const type of file.parsed.contract.assetTypes) {
        if (type.id) addTo(homes, type.id, { file, type });
      }
    }
    for (const file of contracts) {
      const contract = file.parsed.contract;
      for (const type of contract.assetTypes) {
        const parent = type.parentTypeId ?? schema?.assetTypes.get(type.id)?.parentTypeId;
        if (!parent || contract.assetTypes.some((t) => t.id === parent)) continue;
        const elsewhere = (homes.get(parent) ?? []).filter((h) => h.file !== file);
        const other = elsewhere[0];
        const at = idRange(type, 'parentTypeId');
        if (!other || !at) continue;
        const otherAt = idRange(other.type, 'id');
        report(file.fileName, {
          ...at,
          message: `${type.id} derives from ${parent}, which is published in another contract ` +
            `("${other.file.parsed.contract.name}", ${baseName(other.file.fileName)}). Data Hub cannot associate entities of ` +
            'different contracts, so your app cannot link the two types. Publish both asset types in one contract.',
          related: otherAt ? elsewhere.map((h) => ({ fileName: h.file.fileName, ...(idRange(h.type, 'id') ?? otherAt),
            message: `${parent} is published in this contract` })) : [],
        });
      }
    }
  },
};
