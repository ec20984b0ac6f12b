// Every rule, in the order of RULE_IDS. A new rule is a module here plus its id in types.ts and a page in docs/rules/.
import type { Rule } from '../rule';
import type { RuleId } from '../types';
import { aggregateInterval } from './aggregate-interval';
import { assetFilterJson } from './asset-filter-json';
import { contractAppPrefix } from './contract-app-prefix';
import { contractNameLength } from './contract-name-length';
import { contractSchema } from './contract-schema';
import { contractSplitHierarchy } from './contract-split-hierarchy';
import { datetimeFormat } from './datetime-format';
import { enumValue } from './enum-value';
import { filterAttribute } from './filter-attribute';
import { filterOperator } from './filter-operator';
import { orderByTimeseries } from './orderby-timeseries';
import { pageLimit } from './page-limit';
import { querySyntax } from './query-syntax';
import { readOnly } from './read-only';
import { secretInFile } from './secret-in-file';
import { timeRange } from './time-range';
import { unknownName } from './unknown-name';

export const RULES: readonly Rule[] = [
  querySyntax, filterAttribute, filterOperator, orderByTimeseries, datetimeFormat, enumValue, pageLimit, readOnly,
  aggregateInterval, assetFilterJson, timeRange, contractSchema, contractNameLength, contractAppPrefix,
  contractSplitHierarchy, secretInFile, unknownName,
];

export const RULES_BY_ID: ReadonlyMap<RuleId, Rule> = new Map(RULES.map((r) => [r.meta.id, r]));
