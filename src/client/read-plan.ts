// The plan of a time-series read past the 2000-record cap, without any I/O: a list of pieces that partition the range
// (from, to] in order. IoT Time Series reads `from` exclusive and `to` inclusive, so pieces (t0,t1], (t1,t2], … share
// boundaries and every record lands in exactly one piece. A piece that comes back full keeps what it got, (from, last],
// and its remainder (last, to] is cut into as many new pieces as the density seen so far says it holds (one piece is
// the same request a `Link: rel="next"` would be, so following Link is the special case of a small remainder).
// Pieces are handed out earliest first and emitted strictly in order, so records come out sorted and memory holds
// only the pieces finished ahead of the oldest unfinished one.
import { parseRecordTime } from '../core/time';
import { MindSphereError, CLIENT_ERROR_CODES, type RequestInfo } from './errors';
import { toIso } from './time';

export interface PlanOptions {
  /** Records per request (MindSphere's cap, 2000). */
  readonly cap: number;
  /**
   * Aim new pieces at most at this share of the cap: regularly sampled data (most sensors) holds the same count in
   * every window of the same width, give or take one record. Less regular data gets less (see `fillFor`), down to
   * `minFill`, so that its ups and downs rarely overflow a piece (an overflow costs one more request).
   */
  readonly maxFill: number;
  readonly minFill: number;
  /** Do not start new pieces while this many records wait, finished, behind an unfinished earlier piece. */
  readonly maxBuffered: number;
}

// maxFill: one record below the cap. A window of evenly spaced records holds the aimed count give or take one, and the
// density of a full answer is measured from its piece's start, before its first record, so it errs on the high side:
// such pieces never overflow, whatever the period and phase (test/unit/client-plan.test.ts).
export const DEFAULT_PLAN: PlanOptions = { cap: 2000, maxFill: 1 - 1 / 2000, minFill: 0.75, maxBuffered: 64 * 2000 };

export interface Piece {
  readonly from: number;
  readonly to: number;
}

interface Slot extends Piece {
  state: 'pending' | 'running' | 'done';
  records: readonly { readonly _time: string }[] | undefined;
}

export interface Progress {
  /** Records received so far (emitted or waiting to be). */
  readonly records: number;
  /** Estimate of the total, from the density seen so far; undefined before the first answer. */
  readonly estimatedTotal: number | undefined;
  readonly requests: number;
}

export class ReadPlan<R extends { readonly _time: string }> {
  private readonly slots: Slot[];
  private received = 0;
  private coveredMs = 0;
  private buffered = 0;
  private requests = 0;

  constructor(from: number, to: number, private readonly options: PlanOptions = DEFAULT_PLAN, private readonly request?: RequestInfo) {
    this.slots = [{ from, to, state: 'pending', records: undefined }];
  }

  /** The earliest piece not yet started, now marked running; undefined when none is left or the buffer is full. */
  next(): Piece | undefined {
    const slot = this.slots.find((s) => s.state === 'pending');
    if (!slot) return undefined;
    // With the buffer full, only pieces before the first finished one may start: they are what lets the buffer drain.
    if (this.buffered >= this.options.maxBuffered) {
      const firstDone = this.slots.findIndex((s) => s.state === 'done');
      if (firstDone !== -1 && firstDone < this.slots.indexOf(slot)) return undefined;
    }
    slot.state = 'running';
    this.requests++;
    return slot;
  }

  /**
   * Records the answer for `piece`: checks every record lies in (from, to] in increasing time order (anything else would
   * be a silent duplicate or gap), and replans the remainder when the answer was full or pointed to more (Link).
   */
  complete(piece: Piece, records: readonly R[], hasMore: boolean): void {
    const index = this.slots.indexOf(piece as Slot);
    const slot = this.slots[index];
    if (!slot || slot.state !== 'running') throw new Error('ReadPlan.complete: not a running piece of this plan');
    // More announced but nothing sent: where the rest starts is unknown, and ending the piece here could be a silent gap.
    if (records.length === 0 && hasMore) throw this.invalid(piece, 'the answer has no records but a Link to more');
    let last = piece.from;
    const gaps = new GapStats();
    for (const record of records) {
      const t = parseRecordTime(record._time); // UTC also without a zone, as MindSphere means it (Date.parse: local time)
      if (!(t > last && t <= piece.to)) throw this.outOfOrder(piece, record._time, t <= last && t > piece.from);
      if (last !== piece.from) gaps.add(t - last);
      last = t;
    }
    const full = records.length > 0 && last < piece.to && (hasMore || records.length >= this.options.cap);
    const doneTo = full ? last : piece.to;
    const done: Slot = { from: piece.from, to: doneTo, state: 'done', records };
    const rest = full ? this.split(doneTo, piece.to, records.length / (doneTo - piece.from), this.fillFor(gaps)) : [];
    this.slots.splice(index, 1, done, ...rest);
    this.received += records.length;
    this.buffered += records.length;
    this.coveredMs += doneTo - piece.from;
  }

  /** Pages ready to emit, in order: the finished pieces at the head of the plan. */
  takeReady(): Array<readonly R[]> {
    const out: Array<readonly R[]> = [];
    while (this.slots[0]?.state === 'done') {
      const slot = this.slots.shift() as Slot;
      if (slot.records && slot.records.length > 0) out.push(slot.records as readonly R[]);
      this.buffered -= slot.records?.length ?? 0;
    }
    return out;
  }

  get finished(): boolean {
    return this.slots.length === 0;
  }

  get running(): number {
    return this.slots.reduce((n, s) => n + (s.state === 'running' ? 1 : 0), 0);
  }

  progress(): Progress {
    if (this.coveredMs === 0) return { records: this.received, estimatedTotal: undefined, requests: this.requests };
    const density = this.received / this.coveredMs;
    const remainingMs = this.slots.reduce((sum, s) => sum + (s.state === 'done' ? 0 : s.to - s.from), 0);
    return { records: this.received, estimatedTotal: Math.round(this.received + density * remainingMs), requests: this.requests };
  }

  private split(from: number, to: number, density: number, fill: number): Slot[] {
    return cutRange(from, to, density, this.options.cap * fill).map((p) => ({ ...p, state: 'pending', records: undefined }));
  }

  /**
   * The share of the cap to aim pieces at, from how regular the gaps between a full answer's records were. For gaps
   * with coefficient of variation `cv`, the count in a window expected to hold n records varies by about cv × √n
   * (renewal theory; Poisson-like data has cv = 1), so aiming 2.5 such deviations below the cap overflows a piece
   * about once in 160. Evenly spaced records (cv = 0) vary by one record at most.
   */
  private fillFor(gaps: GapStats): number {
    const { cap, minFill, maxFill } = this.options;
    const cv = gaps.count >= 100 ? gaps.cv() : 1; // too few gaps to judge: assume Poisson-like
    return Math.min(maxFill, Math.max(minFill, 1 - (2.5 * cv) / Math.sqrt(cap)));
  }

  private outOfOrder(piece: Piece, time: string, duplicate: boolean): MindSphereError {
    return this.invalid(piece, `a record at ${time} is ${duplicate ? 'out of order or repeated' : 'outside the requested range'}`);
  }

  private invalid(piece: Piece, what: string): MindSphereError {
    return new MindSphereError({ status: 200, code: CLIENT_ERROR_CODES.invalidResponse, ...(this.request ? { request: this.request } : {}),
      serverMessage: `${what} (${toIso(piece.from)}, ${toIso(piece.to)}]; the read stopped rather than return duplicates or gaps` });
  }
}

/** Running mean and spread of the gaps between consecutive records. */
class GapStats {
  count = 0;
  private sum = 0;
  private sumOfSquares = 0;

  add(gap: number): void {
    this.count++;
    this.sum += gap;
    this.sumOfSquares += gap * gap;
  }

  /** Coefficient of variation: standard deviation / mean (0 when every gap is the same). */
  cv(): number {
    const mean = this.sum / this.count;
    return Math.sqrt(Math.max(0, this.sumOfSquares / this.count - mean * mean)) / mean;
  }
}

/**
 * At most this many pieces from one cut: a dense first page over a range of years would otherwise plan billions of
 * pieces at once. Fewer is safe: a piece that comes back full is cut again.
 */
export const MAX_PIECES_PER_CUT = 10_000;

/**
 * Cuts (from, to] into pieces expected to hold about `perPiece` records each at `density` records per ms, with
 * boundaries on whole multiples of `step` ms from `from` (at most one piece per step, and MAX_PIECES_PER_CUT in all).
 */
export function cutRange(from: number, to: number, density: number, perPiece: number, step = 1): Piece[] {
  const steps = (to - from) / step;
  const count = Math.max(1, Math.min(steps, MAX_PIECES_PER_CUT, Math.ceil((density * (to - from)) / perPiece)));
  const pieces: Piece[] = [];
  for (let i = 0; i < count; i++) {
    const a = from + Math.floor((steps * i) / count) * step;
    const b = i === count - 1 ? to : from + Math.floor((steps * (i + 1)) / count) * step;
    if (b > a) pieces.push({ from: a, to: b });
  }
  return pieces;
}

/** What readPieces needs of a split read's plan (ReadPlan is one). */
export interface PieceSource<P, T> {
  /** The next piece to start, now marked running; undefined when none may start yet. */
  next(): P | undefined;
  /** The finished pages that are next in order. */
  takeReady(): Iterable<T>;
  readonly finished: boolean;
}

/**
 * Runs `read` on the pieces of `plan` with at most `concurrency` requests in flight, and yields the pages in order as
 * they become ready. A read calls `received` once its answer is in: the next piece starts then, while that answer is
 * parsed, so parsing adds nothing to the round trips (a read that never calls it keeps its place until it ends). The
 * first failure wins: it aborts the read's signal through `abort` (which makes the other pieces fail too; they must not
 * replace it) and is thrown. Stopping the iteration early aborts the pieces still in flight.
 */
export async function* readPieces<P, T>(plan: PieceSource<P, T>, read: (piece: P, received: () => void) => Promise<void>,
  concurrency: number, abort: (reason: unknown) => void): AsyncGenerator<T> {
  const running = new Set<Promise<void>>();
  let inFlight = 0;
  // Resolves the loop's wait; every change it waits for (an answer in, a piece ended) calls it.
  let wake = () => {};
  let failure: { error: unknown } | undefined;
  try {
    while (!plan.finished) {
      for (let piece: P | undefined; inFlight < concurrency && (piece = plan.next()) !== undefined; ) {
        inFlight++;
        let answered = false;
        const received = () => {
          if (answered) return;
          answered = true;
          inFlight--;
          wake();
        };
        const task = read(piece, received)
          .catch((error: unknown) => {
            failure ??= { error };
            abort(error);
          })
          .finally(() => {
            received();
            running.delete(task);
            wake();
          });
        running.add(task);
      }
      if (running.size > 0) await new Promise<void>((resolve) => { wake = resolve; });
      if (failure) throw failure.error;
      yield* plan.takeReady();
    }
  } finally {
    if (!plan.finished) abort(failure?.error ?? new DOMException('The read was stopped.', 'AbortError'));
  }
}
