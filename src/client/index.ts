// The MindSphere client: what the extension, the CLI and the tests import.
export { createClient, DEFAULT_CONCURRENCY, DEFAULT_DEADLINE_MS, type ClientOptions, type MindSphereClient } from './client';
export {
  type BindingKeys, checkBindingKeys, checkClientId, checkTokenUrl, type ClientIdParts, type Connection, ConnectionError, isLoopbackHost,
  isSingleUrl, parseBindingKeys, parseClientId, parseTokenUrl, readPastedKeys, resolveConnection, type ResolvedConnection, type TokenUrlParts,
} from './connection';
export {
  CLIENT_ERROR_CODES, errorFromResponse, InputError, MindSphereError, parseErrorBody, parseMindSphereError, type RequestInfo,
} from './errors';
export type { ApiRequest, ApiResponse, HttpMethod } from './http';
export { DEFAULT_RETRY_POLICY, type RetryPolicy } from './retry';
export type { Progress } from './read-plan';
export type { ListOptions, PageResult } from './assets';
export { collect } from './collect';
export type { Page, ReadOptions } from './timeseries';
export type { AggregateOptions } from './aggregates';
export { intervalOf } from './aggregates';
export type { AccessToken } from './token';
export { VERIFY_OPTIONS, verifyConnection } from './verify';
export { jwtExpiry } from './token';
export { type TimeInput, toEpochMs, toIso, toRange } from './time';
export { DEFAULT_PROXY_PORT, isLocalOrigin, type ProxyOptions, type RunningProxy, startProxy } from './proxy';
export type {
  Aggregate, Asset, AssetAspect, AssetType, AssetVariable, AspectType, TimeSeriesRecord, VariableDefinition,
} from './schemas';
export { CONTRACTS_PATH, type ContractInput, type ContractsApi, type DataHubContract } from './contracts';
export {
  type AggregateRow, type AssetRow, type ContractRef, type EntitySetQuery, type EntitySetResult, type ODataApi, type ODataProgress,
  type ODataRow, type ODataValue, type RowOf, servicePath, type TimeSeriesRow, timestampBounds,
} from './odata';
