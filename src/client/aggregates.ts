// IoT TS Aggregates v4 (API §1.5) past the per-request caps: a range longer than the unit allows (24 h for minutes,
// 7 days for hours, 90 days otherwise) or holding more than 2000 intervals is cut on interval boundaries into chunks
// that are fetched concurrently and merged in order.
import { aggregateUnitRule, type AggregateUnit, LIMITS } from '../core/limits';
import { Semaphore } from '../core/semaphore';
import { checkAggregateInterval } from '../core/timerange';
import { parseRecordTime } from '../core/time';
import { InputError } from './errors';
import { commaList, type Http } from './http';
import { type Aggregate, aggregatesResponseSchema } from './schemas';
import { type TimeInput, toIso, toRange } from './time';

const PATH = '/api/iottsaggregates/v4/aggregates';

export interface AggregateOptions {
  /** Interval unit and value; both or neither (then MindSphere picks, within one request's range cap). */
  readonly intervalUnit?: AggregateUnit;
  readonly intervalValue?: number;
  readonly select?: string | readonly string[];
  readonly signal?: AbortSignal;
  readonly concurrency?: number;
  readonly onProgress?: (progress: AggregatesProgress) => void;
}

export interface AggregatesProgress {
  readonly chunksDone: number;
  readonly chunks: number;
  readonly aggregates: number;
  /** Estimated from the chunks done so far (all but the last cover the same span). */
  readonly estimatedTotal: number;
}

export interface Chunk {
  readonly from: number;
  readonly to: number;
}

/** The interval in ms and the longest chunk one request may cover for a unit and value, or an InputError. */
export function intervalOf(unit: string, value: number): { stepMs: number; chunkMs: number } {
  const checked = checkAggregateInterval({ unit: unit as AggregateUnit, value }, { from: 0, to: 0 });
  const rule = aggregateUnitRule(unit);
  if (!checked.ok || !rule) throw new InputError(checked.ok ? `'${unit}' is not an Aggregates v4 interval unit.` : checked.error);
  const stepMs = rule.unitMs * value;
  const maxIntervals = LIMITS.maxRecordsPerRequest.value;
  const chunkMs = Math.max(stepMs, Math.floor(Math.min(rule.maxRangeMs, maxIntervals * stepMs) / stepMs) * stepMs);
  return { stepMs, chunkMs };
}

/** More requests than any sensible read makes (10,000 chunks of minute intervals cover 27 years). */
export const MAX_AGGREGATE_CHUNKS = 10_000;

/**
 * Cuts (from, to] into chunks of at most `chunkMs`, each starting on a multiple of `stepMs` after `from`; refuses a
 * range that would take more than MAX_AGGREGATE_CHUNKS requests (millions of chunks would only fill the memory).
 */
export function planAggregateChunks(from: number, to: number, chunkMs: number): Chunk[] {
  const count = Math.ceil((to - from) / chunkMs);
  if (count > MAX_AGGREGATE_CHUNKS) {
    throw new InputError(`The range ${toIso(from)} to ${toIso(to)} would take ${count.toLocaleString('en-US')} requests of at most ` +
      `${Math.round(chunkMs / 360_000) / 10} hours each, more than the ${MAX_AGGREGATE_CHUNKS.toLocaleString('en-US')} the client makes for one read. Narrow the range or choose a longer interval.`);
  }
  const chunks: Chunk[] = [];
  for (let a = from; a < to; a += chunkMs) chunks.push({ from: a, to: Math.min(to, a + chunkMs) });
  return chunks;
}

export function createAggregatesApi(http: Http, defaults: { concurrency: number }) {
  async function fetchChunk(assetId: string, aspect: string, chunk: Chunk, options: AggregateOptions, signal: AbortSignal): Promise<Aggregate[]> {
    const response = await http.send({
      method: 'GET',
      path: PATH,
      query: { assetId, aspectName: aspect, from: toIso(chunk.from), to: toIso(chunk.to),
        intervalUnit: options.intervalUnit, intervalValue: options.intervalValue, select: commaList(options.select) },
      schema: aggregatesResponseSchema,
      signal,
    });
    return response.data.aggregates;
  }

  /** The aggregates of (from, to] in time order, each interval once, however long the range. */
  async function read(assetId: string, aspect: string, from: TimeInput, to: TimeInput, options: AggregateOptions = {}): Promise<Aggregate[]> {
    const range = toRange(from, to);
    if ((options.intervalUnit === undefined) !== (options.intervalValue === undefined)) {
      throw new InputError('Give both the interval unit and the interval value, or neither.');
    }
    const unit = options.intervalUnit ?? 'day';
    const value = options.intervalValue ?? 1;
    // Without an interval MindSphere picks one, and can only do so within a single request's range.
    const single = options.intervalUnit === undefined && range.to - range.from <= intervalOf('day', 1).chunkMs;
    const chunks = single ? [range] : planAggregateChunks(range.from, range.to, intervalOf(unit, value).chunkMs);
    const effective = single ? options : { ...options, intervalUnit: unit, intervalValue: value };
    const deadline = http.deadline(options.signal, { method: 'GET', path: PATH });
    const slots = new Semaphore(Math.max(1, options.concurrency ?? defaults.concurrency));
    let done = 0;
    let count = 0;
    try {
      const results = await Promise.all(chunks.map((chunk) => slots.run(async () => {
        const aggregates = await fetchChunk(assetId, aspect, chunk, effective, deadline.signal);
        deadline.restart();
        done++;
        count += aggregates.length;
        options.onProgress?.({ chunksDone: done, chunks: chunks.length, aggregates: count, estimatedTotal: Math.round((count / done) * chunks.length) });
        return aggregates;
      }).catch((error: unknown) => {
        deadline.abort(error); // one chunk failed: stop the others rather than let them run on
        throw error;
      })));
      return mergeInOrder(results);
    } finally {
      deadline.dispose();
    }
  }

  return { read };
}

/**
 * Concatenates chunk results, keeping each interval once. MindSphere widens a range that does not sit on interval
 * boundaries, so two neighbouring chunks can both return the interval that straddles their boundary.
 */
export function mergeInOrder(chunks: readonly (readonly Aggregate[])[]): Aggregate[] {
  const out: Aggregate[] = [];
  let lastStart = -Infinity;
  for (const chunk of chunks) {
    for (const a of chunk) {
      const start = parseRecordTime(a.starttime);
      if (start <= lastStart) continue;
      out.push(a);
      lastStart = start;
    }
  }
  return out;
}

export type AggregatesApi = ReturnType<typeof createAggregatesApi>;
