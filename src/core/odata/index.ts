// The OData expression parser: `$filter` and `$orderby` to a syntax tree with exact source ranges and tolerant errors.
export type * from './ast';
export { placeholderEnd } from './lexer';
export { parseFilter, parseOrderBy } from './parser';
export { collectComparisons, collectMembers, walkFilter, type Comparison } from './walk';
