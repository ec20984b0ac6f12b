// mdsp/contract-app-prefix: Asset Manager prefills a contract's application name as `mdsp_` + tenant (seed §2.3.3), which
// is how a maker finds every contract of the tenant in Mendix Data Hub.
import { jsonProperty } from '../../contract/json';
import { LIMITS } from '../../limits';
import type { Rule } from '../rule';

const PREFIX = LIMITS.contractAppPrefix.value;

export const contractAppPrefix: Rule = {
  meta: {
    id: 'mdsp/contract-app-prefix',
    severity: 'warning',
    description: `An application name that is not ${PREFIX} + the tenant name.`,
  },
  contract({ parsed }, report) {
    const { tenant, applicationName, node } = parsed.contract;
    const value = jsonProperty(node, 'applicationName')?.value;
    if (!tenant || !applicationName || value?.type !== 'string') return;
    const expected = `${PREFIX}${tenant}`;
    if (applicationName === expected) return;
    report({
      start: value.start,
      end: value.end,
      message: `The application name should be "${expected}" (${PREFIX} + the tenant "${tenant}"), as Asset Manager prefills ` +
        `it; with "${applicationName}" the contract does not appear with the tenant's other contracts in Mendix Data Hub.`,
      fixes: [{ title: `Change to "${expected}"`, isPreferred: true, edits: [{ start: value.start, end: value.end, newText: JSON.stringify(expected) }] }],
    });
  },
};
