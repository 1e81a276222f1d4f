/**
 * Deterministic randomness for the simulator: every audio byte, delivery time and id derives from the
 * simulator's `seed`, so two runs with the same seed are identical.
 */

/** A seeded pseudo-random source (mulberry32). */
export interface Rng {
  /** Uniform in [0, 1). */
  next(): number;
  /** Uniform in [lo, hi). */
  range(lo: number, hi: number): number;
  /** Integer uniform in [lo, hi] (both inclusive). */
  int(lo: number, hi: number): number;
}

/** Mixes any number of integers or strings into a 32-bit seed (FNV-1a over their text). */
export function mixSeed(...parts: readonly (number | string)[]): number {
  let h = 0x811c9dc5;
  for (const ch of parts.join('\u0001')) {
    h ^= ch.codePointAt(0) ?? 0;
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** A mulberry32 generator seeded with `seed`. */
export function createRng(seed: number): Rng {
  let state = seed >>> 0;
  const next = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    range: (lo, hi) => lo + (hi - lo) * next(),
    int: (lo, hi) => lo + Math.floor((hi - lo + 1) * next()),
  };
}

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

/** Mints ids the way the service spells them: `<prefix>_` + 21 base62 characters (`sess_`, `resp_`, `item_`, `event_`, …). */
export function createIdMinter(rng: Rng): (prefix: string) => string {
  return (prefix) => {
    let id = `${prefix}_`;
    for (let i = 0; i < 21; i++) id += BASE62[Math.floor(rng.next() * 62)];
    return id;
  };
}
