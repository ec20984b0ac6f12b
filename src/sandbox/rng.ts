// Deterministic randomness: everything the sandbox generates (ids, names, signal shapes, noise) is a pure function of
// the seed, so the same seed gives the same plant and the same time series in every run, on every machine.

/** FNV-1a over the UTF-16 code units of a string: a stable 32-bit hash for seeding. */
export function hashString(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** Mixes two 32-bit integers into a well-spread 32-bit hash (a murmur3-style finaliser). Cheap enough for every point. */
export function mix(a: number, b: number): number {
  let h = (a ^ Math.imul(b, 0x9e3779b1)) >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

/** A hash in [0, 1). */
export function unit(a: number, b: number): number {
  return mix(a, b) / 4294967296;
}

/** A seeded pseudo-random generator (mulberry32) for building the plant. */
export class Random {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  /** A float in [0, 1). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** An integer in [min, max]. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  /** A float in [min, max). */
  range(min: number, max: number): number {
    return min + this.next() * (max - min);
  }

  pick<T>(items: readonly T[]): T {
    const item = items[Math.floor(this.next() * items.length)];
    if (item === undefined) throw new Error('pick from an empty list');
    return item;
  }

  /** 32 lowercase hex characters: the form of MindSphere asset ids. */
  hex32(): string {
    let out = '';
    for (let i = 0; i < 4; i++) out += (Math.floor(this.next() * 4294967296) >>> 0).toString(16).padStart(8, '0');
    return out;
  }
}
