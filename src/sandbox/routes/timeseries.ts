// IoT Time Series v3 (API §1.4): read with `from` exclusive and `to` inclusive, at most 2000 records per request and a
// `Link: <…>; rel="next"` header when more follow; write (PUT overwrites whole records at their timestamps) and delete.
import { LIMITS } from '../../core/limits';
import { formatIsoTime, MINUTE_MS, parseIsoTime } from '../../core/time';
import { SCOPES } from '../auth';
import type { SandboxContext } from '../context';
import { ApiError, asObject, badRequest, type Exchange, shortJson } from '../http';
import { INT_BOUND, maxTextLength, type VariableDefinition } from '../model';
import { boolParam, enumParam, intParam, listParam, timeParam } from '../params';
import type { ApiModule } from '../router';
import { type FieldValue, type Fields, type Series, scanSeries } from '../series';

const BASE = '/api/iottimeseries/v3/timeseries';
const MAX_LIMIT = LIMITS.maxRecordsPerRequest.value;
const LATEST_VALUE_LOOKBACK_MS = LIMITS.bulkRangeMaxMs.value;
const LATEST_VALUE_MIN_AGE_MS = 5 * MINUTE_MS;

const notInPropertySet = (name: string, aspect: string) =>
  badRequest(`Property with name ${name} does not belong to property set with name ${aspect}!`, 'invalidRequestBodyProperty');

/** The variables a request selects (all by default, each once); `<var>_qc` selects its variable. */
function selectVariables(series: Series, select: string[] | undefined): readonly VariableDefinition[] {
  if (!select) return series.variables;
  return [...new Set(select.map((name) => {
    const variable = series.variables.find((v) => v.name === name || (v.qualityCode && `${v.name}_qc` === name));
    if (!variable) throw notInPropertySet(name, series.aspectName);
    return variable;
  }))];
}

/** Turns visited points into API records with only the selected variables (and their quality codes). */
function recordBuilder(series: Series, selected: readonly VariableDefinition[]) {
  const g = series.generator;
  const names = new Set(selected.map((v) => v.name));
  // Quality-code names are built once per request, not once per record.
  const generated = (g ? g.variables.filter((v) => names.has(v.name)) : []).map((v) => ({ v, qc: v.qualityCode ? `${v.name}_qc` : '' }));
  const written = selected.map((v) => ({ name: v.name, qc: v.qualityCode ? `${v.name}_qc` : '' }));
  return (time: number, k: number, fields: Fields | undefined): Record<string, FieldValue> => {
    const record: Record<string, FieldValue> = { _time: formatIsoTime(time) };
    if (fields) {
      for (const { name, qc } of written) {
        const value = fields[name];
        if (value !== undefined && value !== null) record[name] = value;
        const code = qc ? fields[qc] : undefined;
        if (code !== undefined && code !== null) record[qc] = code;
      }
    } else if (g) {
      const load = g.load(time);
      for (const { v, qc } of generated) {
        record[v.name] = g.value(v, k, time, load);
        if (qc) record[qc] = g.quality(v, k);
      }
    }
    return record;
  };
}

async function read(x: Exchange, ctx: SandboxContext): Promise<void> {
  const series = ctx.series(x.params.entityId!, x.params.propertySetName!);
  const q = x.query;
  const from = timeParam(q, 'from');
  const to = timeParam(q, 'to');
  const limit = intParam(q, 'limit', 1, MAX_LIMIT, MAX_LIMIT);
  const sort = enumParam(q, 'sort', ['asc', 'desc'] as const, 'asc');
  const latestValue = boolParam(q, 'latestValue');
  const selected = selectVariables(series, listParam(q, 'select'));
  const build = recordBuilder(series, selected);
  const now = Date.now();
  if ((from === undefined) !== (to === undefined) && !latestValue) {
    throw new ApiError(400, 'missingParameter', `Give both 'from' and 'to' (or neither, for the latest record); only '${from === undefined ? 'to' : 'from'}' was given.`);
  }
  if (from !== undefined && to !== undefined && from >= to) {
    throw badRequest(`'from' (${formatIsoTime(from)}) must be before 'to' (${formatIsoTime(to)}); 'from' is exclusive, 'to' inclusive.`);
  }
  if (latestValue) {
    x.send(200, latestValues(series, selected, build, from, to ?? now, now, sort === 'desc'));
    return;
  }
  if (from === undefined || to === undefined) {
    // Neither given: the latest record (API §1.4).
    const records: Record<string, FieldValue>[] = [];
    scanSeries(series, -Infinity, now, now, true, 1, (t, k, f) => {
      records.push(build(t, k, f));
    });
    x.send(200, records);
    return;
  }
  const points: Array<Parameters<typeof build>> = [];
  const more = scanSeries(series, from, to, now, sort === 'desc', limit, (t, k, f) => {
    points.push([t, k, f]);
  });
  const headers: Record<string, string> = {};
  const last = points.at(-1)?.[0] ?? 0;
  if (more) headers.Link = `<${nextUrl(x, sort === 'desc' ? { to: last - 1 } : { from: last })}>; rel="next"`;
  await x.sendArray(200, points.length, (i) => build(...(points[i] as Parameters<typeof build>)), headers);
}

/** The request's URL with `from` (ascending) or `to` (descending) moved past the last record sent. */
function nextUrl(x: Exchange, move: { from?: number; to?: number }): string {
  const query = new URLSearchParams(x.query);
  if (move.from !== undefined) query.set('from', formatIsoTime(move.from));
  if (move.to !== undefined) query.set('to', formatIsoTime(move.to));
  // Absolute, built from the Host the client used, with the query percent-encoded (API §1.9 #9).
  return `${x.origin}${x.url.pathname}?${query.toString().replace(/\+/g, '%20')}`;
}

/**
 * `latestValue=true`: the latest value of each selected variable, at least 5 minutes and at most 90 days old (API §1.4),
 * grouped by timestamp.
 */
function latestValues(series: Series, selected: readonly VariableDefinition[],
  build: (t: number, k: number, f: Fields | undefined) => Record<string, FieldValue>,
  from: number | undefined, to: number, now: number, descending: boolean): Record<string, FieldValue>[] {
  const byTime = new Map<number, Record<string, FieldValue>>();
  /** Takes from a record the values of the variables still missing; true while some are. */
  const take = (t: number, record: Record<string, FieldValue>, missing: Set<string>): boolean => {
    for (const name of [...missing]) {
      if (record[name] === undefined) continue;
      missing.delete(name);
      const out = byTime.get(t) ?? { _time: record._time! };
      out[name] = record[name]!;
      if (record[`${name}_qc`] !== undefined) out[`${name}_qc`] = record[`${name}_qc`]!;
      byTime.set(t, out);
    }
    return missing.size > 0;
  };
  const start = Math.max(from ?? -Infinity, to - LATEST_VALUE_LOOKBACK_MS);
  const end = Math.min(to, now - LATEST_VALUE_MIN_AGE_MS);
  const g = series.generator;
  const generated = new Set(selected.filter((v) => g?.variables.some((gv) => gv.name === v.name)).map((v) => v.name));
  const writtenOnly = new Set(selected.map((v) => v.name).filter((name) => !generated.has(name)));
  // Generated points carry every generated variable, so this walk stops at the first one (written records before it
  // may be partial). Variables never generated are looked for only among the written records: walking back over
  // generated points for them would read up to 90 days of points for a variable that may have no value at all.
  if (generated.size) scanSeries(series, start, end, now, true, Infinity, (t, k, f) => take(t, build(t, k, f), generated));
  const o = series.overlay;
  if (o && writtenOnly.size) {
    const [first, stop] = o.window(start, end);
    for (let i = stop - 1; i >= first && writtenOnly.size; i--) take(o.times[i]!, build(o.times[i]!, -1, o.records[i]), writtenOnly);
  }
  const times = [...byTime.keys()].sort((a, b) => (descending ? b - a : a - b));
  return times.map((t) => byTime.get(t)!);
}

const RECORD_MAX_BYTES = LIMITS.timeSeriesRecordMaxBytes.value;

/** Validates written records against the aspect's variables and converts them to (time, fields) pairs. */
function parseRecords(body: unknown, series: Series): [number, Fields][] {
  if (!Array.isArray(body)) throw badRequest('The request body must be a JSON array of records such as [{"_time":"2024-01-31T00:00:00.000Z","Power":1.5}].', 'invalidRequestBodyProperty');
  if (body.length === 0) throw badRequest('The request body holds no records; send at least one.', 'missingRequestBodyProperty');
  return body.map((item, index) => {
    const record = asObject(item, `Record ${index}`);
    // The limit is in bytes of UTF-8, as sent; a string's length counts UTF-16 code units.
    if (Buffer.byteLength(JSON.stringify(record)) > RECORD_MAX_BYTES) {
      throw new ApiError(413, 'payloadTooLarge', `Record ${index} is larger than ${RECORD_MAX_BYTES} bytes, the maximum record size.`);
    }
    const time = typeof record._time === 'string' ? parseIsoTime(record._time) : undefined;
    if (time === undefined) {
      throw badRequest(`Record ${index}: _time ${shortJson(record._time)} is not an ISO 8601 time such as 2024-01-31T00:00:00.000Z.`, 'invalidRequestBodyProperty');
    }
    const fields: Fields = {};
    for (const [name, value] of Object.entries(record)) {
      if (name === '_time') continue;
      const qcOf = name.endsWith('_qc') ? series.variables.find((v) => v.qualityCode && `${v.name}_qc` === name) : undefined;
      const variable = qcOf ? undefined : series.variables.find((v) => v.name === name);
      if (!variable && !qcOf) throw notInPropertySet(name, series.aspectName);
      const problem = qcOf ? (value === null || Number.isInteger(value) ? undefined : 'an integer quality code') : checkValue(variable!, value);
      if (problem) throw badRequest(`Record ${index}: ${name} = ${shortJson(value)} is not ${problem}.`, 'invalidRequestBodyProperty');
      fields[name] = value as FieldValue;
    }
    return [time, fields];
  });
}

/** Undefined when the value fits the variable's data type, else what was expected. */
function checkValue(v: VariableDefinition, value: unknown): string | undefined {
  if (value === null) return undefined;
  switch (v.dataType) {
    case 'BOOLEAN':
      return typeof value === 'boolean' ? undefined : 'a boolean';
    case 'INT':
      return Number.isInteger(value) && (value as number) >= -INT_BOUND && (value as number) < INT_BOUND ? undefined : 'a 32-bit integer (INT)';
    case 'LONG':
      return Number.isSafeInteger(value) ? undefined : 'an integer (LONG)';
    case 'DOUBLE':
      return typeof value === 'number' && Number.isFinite(value) ? undefined : 'a number (DOUBLE)';
    case 'TIMESTAMP':
      return typeof value === 'string' && parseIsoTime(value) !== undefined ? undefined : 'an ISO 8601 time (TIMESTAMP)';
    case 'STRING':
    case 'BIG_STRING': {
      const max = maxTextLength(v);
      return typeof value === 'string' && value.length <= max ? undefined : `a string of at most ${max} characters (${v.dataType})`;
    }
  }
}

async function write(x: Exchange, ctx: SandboxContext): Promise<void> {
  const series = ctx.series(x.params.entityId!, x.params.propertySetName!);
  const records = parseRecords(await x.json(ctx.maxBodyBytes, 'application/json'), series);
  ctx.overlays.put(series.key, records);
  x.send(204);
}

/**
 * `PUT /timeseries` with several asset-aspect pairs (v3.4.1 limits: 5 pairs, 100 items, 100 KB). A request beyond the
 * limits is refused whole (400); otherwise each pair is validated on its own and the valid ones are written: 202
 * Accepted, with `{"errors":[{"index","message"}]}` for the pairs that were not (API §1.4, "per-pair validation errors").
 */
async function writeMany(x: Exchange, ctx: SandboxContext): Promise<void> {
  const body = asObject(await x.json(LIMITS.timeSeriesMultiPutMaxBytes.value, 'application/json'));
  const list = body.timeseries;
  if (!Array.isArray(list) || list.length === 0) {
    throw badRequest('The body must be {"timeseries":[{"entityId","propertySetName","data":[…]}]} with at least one item.', 'invalidRequestBodyProperty');
  }
  const maxPairs = LIMITS.timeSeriesMultiPutMaxPairs.value;
  if (list.length > maxPairs) throw badRequest(`${list.length} asset-aspect pairs in one request; at most ${maxPairs} are allowed.`);
  const items = list.reduce((n: number, item) => n + (Array.isArray((item as { data?: unknown } | null)?.data) ? item.data.length : 0), 0);
  const maxItems = LIMITS.timeSeriesMultiPutMaxItems.value;
  if (items > maxItems) throw badRequest(`${items} records in one request; at most ${maxItems} are allowed.`);
  const errors: { index: number; message: string }[] = [];
  list.forEach((item, index) => {
    try {
      const entry = asObject(item, 'The item');
      if (typeof entry.entityId !== 'string' || typeof entry.propertySetName !== 'string') {
        throw badRequest('The item needs string fields entityId and propertySetName.', 'missingRequestBodyProperty');
      }
      const series = ctx.series(entry.entityId, entry.propertySetName);
      ctx.overlays.put(series.key, parseRecords(entry.data, series));
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
      errors.push({ index, message: `timeseries[${index}]: ${error.message}` });
    }
  });
  x.send(202, errors.length ? { errors } : undefined);
}

function remove(x: Exchange, ctx: SandboxContext): void {
  const series = ctx.series(x.params.entityId!, x.params.propertySetName!);
  const from = timeParam(x.query, 'from');
  const to = timeParam(x.query, 'to');
  if (from === undefined || to === undefined) {
    throw new ApiError(400, 'missingParameter', "Deleting time series needs both 'from' (exclusive) and 'to' (inclusive).");
  }
  if (from >= to) throw badRequest(`'from' (${formatIsoTime(from)}) must be before 'to' (${formatIsoTime(to)}).`);
  ctx.overlays.delete(series.key, from, to);
  x.send(204);
}

const read_ = [SCOPES.timeSeriesRead];
export const timeSeriesApi: ApiModule = {
  name: 'IoT Time Series v3',
  prefix: '/api/iottimeseries/v3',
  family: 'iot',
  routes: [
    { method: 'GET', path: `${BASE}/{entityId}/{propertySetName}`, scopes: read_, handle: read },
    { method: 'PUT', path: `${BASE}/{entityId}/{propertySetName}`, scopes: [SCOPES.timeSeriesWrite], handle: write },
    { method: 'DELETE', path: `${BASE}/{entityId}/{propertySetName}`, scopes: [SCOPES.timeSeriesDelete], handle: remove },
    { method: 'PUT', path: BASE, scopes: [SCOPES.timeSeriesWrite], handle: writeMany },
  ],
};
