// Generated time series: every point is a pure function of (seed, asset, aspect, variable, time), computed only when a
// request asks for it and never stored. A machine's load follows a daily shift pattern and a weekly one (quiet
// weekends); each variable follows the load with its own gain and noise. Occasional connectivity gaps (the whole asset
// is silent for minutes) and bad or uncertain quality codes come from hashes of the time, so they are identical in
// every run.
import * as time from '../core/time';
import type { SignalProfile } from './plant';
import * as rng from './rng';

// Local copies of what the per-point code uses: imported bindings can compile to getter calls (tsx, CommonJS interop),
// which would cost more than the arithmetic itself in loops over millions of points.
const { DAY_MS, HOUR_MS, MINUTE_MS } = time;
const { hashString, mix, unit } = rng;

/** OPC UA status codes as MindSphere's `<var>_qc` carries them (API §1.4). */
export const QUALITY = { good: 0, uncertainInitialValue: 1083310080, bad: 2147483648 } as const;

/** Classifies a quality code by its OPC UA severity bits: 00 good, 01 uncertain, 1x bad. */
export function qualityClass(code: number): 'good' | 'uncertain' | 'bad' {
  const severity = Math.floor(code / 0x40000000) & 3;
  return severity === 0 ? 'good' : severity === 1 ? 'uncertain' : 'bad';
}

/** Chance that an hour of an asset's data holds a gap, and the chances of a point with bad or uncertain quality. */
const GAP_CHANCE_PER_HOUR = 0.01;
const BAD_CHANCE = 0.002;
const UNCERTAIN_CHANCE = 0.004;
const MODES = ['AUTO', 'MANUAL'] as const;
const TWO_PI = 2 * Math.PI;
const TWO_32 = 4294967296;

export type GeneratedKind = 'number' | 'boolean' | 'string';

export interface GeneratedVariable {
  readonly name: string;
  readonly kind: GeneratedKind;
  readonly qualityCode: boolean;
  readonly profile: SignalProfile;
  readonly hash: number;
  /** The profile resolved for this asset, so the per-point formula reads plain numbers. */
  readonly base: number;
  readonly gain: number;
  readonly noise: number;
  /** Rated power (for scaled profiles) times the asset's ±10 % factor. */
  readonly scale: number;
  /** 10^decimals, for rounding. */
  readonly pow: number;
}

/** The generated data of one aspect of one asset. */
export class SeriesGenerator {
  readonly offsetMs: number;
  private readonly phaseMs: number;
  private readonly assetHash: number;
  private gapHour = Number.NaN;
  private gapStart = 0;
  private gapEnd = 0;
  private previousGapStart = 0;
  private previousGapEnd = 0;

  constructor(
    seed: string,
    assetId: string,
    aspectName: string,
    readonly periodMs: number,
    readonly variables: readonly GeneratedVariable[],
    /** No data before this instant (the plant's commissioning). */
    readonly startMs: number,
  ) {
    this.assetHash = hashString(`${seed}:${assetId}`);
    const seriesHash = hashString(`${seed}:${assetId}:${aspectName}`);
    // Agents do not sample at whole seconds: each series has its own millisecond offset within the period.
    this.offsetMs = periodMs > 1 ? seriesHash % periodMs : 0;
    // Machines start their shifts at slightly different times (up to 90 minutes apart).
    this.phaseMs = (this.assetHash % 90) * MINUTE_MS;
  }

  static variable(seed: string, assetId: string, aspectName: string, name: string, kind: GeneratedKind, qualityCode: boolean,
    profile: SignalProfile, scale: number): GeneratedVariable {
    const hash = hashString(`${seed}:${assetId}:${aspectName}:${name}`);
    // Each asset's variable sits within ±10 % of the profile, so two pumps never draw identical curves.
    const factor = 0.9 + 0.2 * unit(hash, 0x5eed);
    return { name, kind, qualityCode, profile, hash, base: profile.base, gain: profile.gain, noise: profile.noise,
      scale: factor * (profile.scaled ? scale : 1), pow: 10 ** profile.decimals };
  }

  /** Index of the first point strictly after `t`. */
  firstIndexAfter(t: number): number {
    return Math.floor((Math.max(t, this.startMs - 1) - this.offsetMs) / this.periodMs) + 1;
  }

  /** Index of the last point at or before `t`. */
  lastIndexAtOrBefore(t: number): number {
    return Math.floor((t - this.offsetMs) / this.periodMs);
  }

  timeOf(k: number): number {
    return k * this.periodMs + this.offsetMs;
  }

  /** False inside a connectivity gap or before the start. */
  exists(t: number): boolean {
    if (t < this.startMs) return false;
    const hour = Math.floor(t / HOUR_MS);
    if (hour !== this.gapHour) {
      // A gap that starts late in the previous hour may reach into this one.
      this.gapHour = hour;
      [this.previousGapStart, this.previousGapEnd] = this.gap(hour - 1);
      [this.gapStart, this.gapEnd] = this.gap(hour);
    }
    return !((t >= this.gapStart && t < this.gapEnd) || (t >= this.previousGapStart && t < this.previousGapEnd));
  }

  /** The asset's connectivity gap starting in `hour`, 3 to 42 minutes long, or an empty window. */
  private gap(hour: number): [number, number] {
    const h = mix(this.assetHash, hour);
    if (h / TWO_32 >= GAP_CHANCE_PER_HOUR) return [0, 0];
    const h2 = mix(h, 0x9a9);
    const start = hour * HOUR_MS + (h2 % 40) * MINUTE_MS;
    return [start, start + (3 + ((h2 >>> 8) % 40)) * MINUTE_MS];
  }

  /** The machine's load at `t`, 0..1: a day shift, a quieter night and quiet weekends. */
  load(t: number): number {
    const local = t + this.phaseMs;
    const day = Math.floor(local / DAY_MS);
    const level = DAILY_LOAD[Math.floor((local - day * DAY_MS) / 1000)]!;
    const weekday = (day + 4) % 7; // 1970-01-01 was a Thursday; 0 = Sunday
    return weekday === 0 || weekday === 6 ? level * 0.45 : level;
  }

  /** Value of variable `v` at point index `k` (time `t`, machine load `load`). */
  value(v: GeneratedVariable, k: number, t: number, load: number): number | boolean | string {
    if (v.kind === 'boolean') return load > v.profile.base;
    if (v.kind === 'string') return unit(v.hash, Math.floor(t / HOUR_MS)) < v.profile.base ? MODES[1] : MODES[0];
    return this.number(v, k, load);
  }

  /** Value of a numeric variable: kept apart from `value` so loops over millions of points stay on unboxed doubles. */
  number(v: GeneratedVariable, k: number, load: number): number {
    const u = pointHash(v.hash, k) / TWO_32;
    const raw = (v.base + v.gain * load) * v.scale + v.noise * (2 * u - 1);
    return Math.round(raw * v.pow) / v.pow;
  }

  /** Quality code of variable `v` at point index `k`: mostly good, rarely uncertain or bad. */
  quality(v: GeneratedVariable, k: number): number {
    const h = pointHash(v.hash, k);
    // Bits independent enough of the noise's: one more multiply instead of another hash.
    const u = (Math.imul(h ^ (h >>> 15), 0x2c1b3c6d) >>> 0) / TWO_32;
    return u < BAD_CHANCE ? QUALITY.bad : u < BAD_CHANCE + UNCERTAIN_CHANCE ? QUALITY.uncertainInitialValue : QUALITY.good;
  }
}

/** One hash per point and variable (indices beyond 2^32 fold their high part into the seed). */
function pointHash(variableHash: number, k: number): number {
  return mix(k < TWO_32 ? variableHash : variableHash ^ Math.floor(k / TWO_32), k >>> 0);
}

/** The weekday load over a day, per second: 0.3 at midnight rising to 0.9 at noon (a table, as cos per point is slow). */
const DAILY_LOAD = Float64Array.from({ length: DAY_MS / 1000 }, (_, s) => 0.3 + 0.6 * (0.5 - 0.5 * Math.cos((TWO_PI * s) / (DAY_MS / 1000))));
