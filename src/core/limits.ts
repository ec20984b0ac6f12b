// MindSphere's documented limits, as data, each with its source. The linter, the sandbox tenant and the client all read
// them from here, so a change at MindSphere is a one-line change.
// Sources: "seed §x" is ../shared/seed/mindsphere-iiot-for-makers.txt; "API §x" is ../shared/docs/mindsphere-api.md.

export interface Limit<T> {
  readonly value: T;
  readonly source: string;
}

const limit = <T>(value: T, source: string): Limit<T> => ({ value, source });

const DAY_MS = 24 * 60 * 60 * 1000;

export const LIMITS = {
  /** Records per IoT Time Series GET, and Time Series / Aggregate objects per Data Hub response. */
  maxRecordsPerRequest: limit(2000, 'seed §8.6; API §1.4 (limit default and maximum 2000)'),
  /** Technical tokens live 30 minutes. */
  tokenTtlSeconds: limit(1800, 'API §1.2 (expires_in 1800; Siemens Node SDK token handling)'),
  /** Clients fetch a new token this long before the old one expires. */
  tokenRefreshMarginSeconds: limit(300, 'API §1.2 ("a new token is automatically fetched 5 minutes before")'),
  /** Asset Management list defaults. */
  assetPageSizeDefault: limit(10, 'API §1.3 (pagination: size defaults to 10)'),
  assetPageSizeRecommended: limit(200, 'API §1.3 ("recommended to provide the page size of 200")'),
  assetPageSizeMax: limit(2000, 'API §1.3 (mindconnect-nodejs requests size=2000; no larger size is documented)'),
  /** Bulk read and latestValue look back at most this far. */
  bulkRangeMaxMs: limit(90 * DAY_MS, 'API §1.4 (bulk read: the range must be < 90 days)'),
  /** Contract entity names AGGR_{AspectType}_{AspectName}_{AssetType} longer than this fail to publish with HTTP 500. */
  contractEntityNameMax: limit(200, 'seed §9.2'),
  /** Application names of contracts are prefilled as this prefix + tenant name. */
  contractAppPrefix: limit('mdsp_', 'seed §2.3.3'),
  dataLakeFoldersPerContract: limit(20, 'API §1.6 (Integrated Data Lake OData contracts)'),
  dataLakeContractsMax: limit(50, 'API §1.6 (Integrated Data Lake OData contracts)'),
  /** Data Hub time literals are strings in this form. */
  dataHubDateTimeFormat: limit('YYYY-MM-DDTHH:mm:ss', 'seed §8.3'),
  /** Variable sizes. */
  stringMaxLength: limit(255, 'API §1.3 (STRING max length 255)'),
  bigStringMaxLength: limit(100_000, 'API §1.3 (BIG_STRING max 100000)'),
  timeSeriesRecordMaxBytes: limit(200_000, 'API §1.4 (maximum record size 200,000 bytes)'),
  /** PUT /timeseries with several asset-aspect pairs. */
  timeSeriesMultiPutMaxPairs: limit(5, 'API §1.4 (v3.4.1 spec: max 5 asset-aspect combinations)'),
  timeSeriesMultiPutMaxBytes: limit(100 * 1024, 'API §1.4 (v3.4.1 spec: body ≤ 100 kb)'),
  timeSeriesMultiPutMaxItems: limit(100, 'API §1.4 (v3.4.1 spec: ≤ 100 items in total)'),
  /** Type ids are {tenantPrefix}.{name}. */
  typeIdPattern: limit(/^[A-Za-z0-9_]{1,8}\.[A-Za-z0-9_.]{1,119}$/, 'API §1.1 (1–128 chars of A-Z a-z 0-9 _ .; prefix ≤ 8)'),
  assetIdPattern: limit(/^[a-f0-9]{32}$/, 'API §1.1 (mindconnect-nodejs checkAssetId)'),
  reservedVariableNames: limit(
    ['id', 'name', 'description', 'tenant', 'etag', 'scope', 'properties', 'propertySets', 'extends', 'variables',
      'aspects', 'parentTypeId'] as const,
    'API §1.3 (reserved words for variable and aspect names)',
  ),
} as const;

/** Aggregates v4 interval units with the values allowed for each and the longest range one request may cover. */
export type AggregateUnit = 'minute' | 'hour' | 'day' | 'week' | 'month';

export interface AggregateUnitRule {
  readonly unit: AggregateUnit;
  readonly allowedValues: readonly number[];
  readonly maxRangeMs: number;
  /** Nominal length of one interval of value 1 (a month is counted as 30 days, as the range caps are). */
  readonly unitMs: number;
}

const range = (from: number, to: number, step = 1): number[] =>
  Array.from({ length: Math.floor((to - from) / step) + 1 }, (_, i) => from + i * step);

export const AGGREGATE_UNITS: Limit<readonly AggregateUnitRule[]> = limit(
  [
    { unit: 'minute', allowedValues: range(2, 60, 2), maxRangeMs: DAY_MS, unitMs: 60_000 },
    { unit: 'hour', allowedValues: range(1, 24), maxRangeMs: 7 * DAY_MS, unitMs: 3_600_000 },
    { unit: 'day', allowedValues: range(1, 90), maxRangeMs: 90 * DAY_MS, unitMs: DAY_MS },
    { unit: 'week', allowedValues: range(1, 12), maxRangeMs: 90 * DAY_MS, unitMs: 7 * DAY_MS },
    { unit: 'month', allowedValues: range(1, 3), maxRangeMs: 90 * DAY_MS, unitMs: 30 * DAY_MS },
  ],
  'API §1.5 (v4: minute 2..60 even, hour 1–24, day 1–90, week 1–12, month 1–3; ranges 24 h / 7 d / 90 d)',
);

export function aggregateUnitRule(unit: string): AggregateUnitRule | undefined {
  return AGGREGATE_UNITS.value.find((r) => r.unit === unit);
}

/** Interval units a Data Hub Time Series Aggregate entity accepts (anything else, such as `day`, is an error). */
export const DATA_HUB_INTERVAL_UNITS: Limit<readonly string[]> = limit(['days', 'minutes', 'seconds'], 'seed §8.4');

/**
 * The `aggregationType` values of a Data Hub Time Series Aggregate entity (the sandbox's Data Hub serves one object per
 * value): the value fields of an Aggregates v4 aggregate. Data Hub's own names are not documented.
 */
export const DATA_HUB_AGGREGATION_TYPES = limit(
  ['average', 'minvalue', 'maxvalue', 'firstvalue', 'lastvalue', 'sum', 'sd', 'countgood', 'countuncertain', 'countbad'] as const,
  'API §1.5 (v4 aggregate fields); their use as Data Hub aggregationType values is inferred [I]',
);

/** Asset Management `filter` JSON: the fields that filter (others are ignored) and the functions and operations. */
export const ASSET_FILTER = limit(
  {
    fields: ['assetId', 'tenantId', 'name', 'externalId', 't2tenant', 'subTenant', 'timezone', 'twinType', 'deleted',
      'parentId', 'typeId', 'fileId', 'hasType'] as const,
    functions: ['eq', 'in', 'startsWith', 'endsWith', 'contains', 'before', 'after', 'between'] as const,
    operations: ['and', 'or', 'not'] as const,
  },
  'API §1.3 (filtering reference)',
);

/** What Data Hub (and, per seed §8.5, REST) can filter on, by entity kind. */
export type DataHubEntityKind = 'asset' | 'timeSeries' | 'aggregate';
export type DataHubOperator = 'eq' | 'contains' | 'startsWith' | 'endsWith' | 'gt' | 'le';

export interface FilterRule {
  readonly entity: DataHubEntityKind;
  readonly attributes: readonly string[];
  readonly operators: readonly DataHubOperator[];
}

export const DATA_HUB_FILTERS: Limit<readonly FilterRule[]> = limit(
  [
    { entity: 'asset', attributes: ['assetId', 'name', 'parentId', 'timezone', 'typeId'],
      operators: ['eq', 'contains', 'startsWith', 'endsWith'] },
    { entity: 'timeSeries', attributes: ['assetId'], operators: ['eq'] },
    { entity: 'timeSeries', attributes: ['timestamp'], operators: ['gt', 'le'] },
    { entity: 'aggregate',
      attributes: ['assetId', 'aggregationType', 'variableName', 'intervalUnit', 'intervalValue', 'intervalCount'],
      operators: ['eq'] },
    { entity: 'aggregate', attributes: ['timestamp'], operators: ['gt', 'le'] },
  ],
  'seed §8.5 (after = greater than, before = less than or equal to)',
);

/** The only attribute Time Series and Aggregates can be sorted by. */
export const DATA_HUB_SORTABLE = limit({ timeSeries: ['timestamp'], aggregate: ['timestamp'] }, 'seed §8.7');

/** Aspect type variable data types. */
export const VARIABLE_DATA_TYPES = limit(
  ['BOOLEAN', 'INT', 'LONG', 'DOUBLE', 'STRING', 'TIMESTAMP', 'BIG_STRING'] as const,
  'API §1.3 (AspectTypeResource: dataType)',
);

/** Environment types a Data Hub contract may declare. */
export const CONTRACT_ENVIRONMENT_TYPES = limit(
  ['Sandbox', 'production', 'non-production'] as const,
  'API §1.6 (Asset Manager Contract Administration: Environment type)',
);

/** IoT Time Series `sort` takes a direction only (the records are always ordered by time). */
export const TIME_SERIES_SORT_ORDERS = limit(['asc', 'desc'] as const, 'API §1.4 (sort: asc (default) | desc)');

/** Asset Management `sort` is Spring-style `field,direction`. */
export const ASSET_SORT_DIRECTIONS = limit(['asc', 'desc'] as const, 'API §1.3 (sort syntax name,asc)');

/** The only methods Data Hub OData serves: it is read-only. */
export const DATA_HUB_METHODS = limit(['GET', 'HEAD'] as const, 'seed §8.1');
