/**
 * When each target is due (issue 22 §1): a target is probed every `every` (its own interval, ../config/every.ts, or
 * the round's), at a stable offset inside that interval — its jitter, a hash of its name and deployment — so the
 * probes of one deployment do not all start together and a target keeps its place from round to round. Pure: the
 * times are given. The queue mode's planner enqueues {@link dueProbes} at their `startAt`; the single-process round
 * probes the targets due in its own window (./roundSelection.ts).
 */
import { createHash } from 'node:crypto';
import { parseEvery } from '../config/every.js';
import type { TargetConfig } from '../config/targets.js';

/** The target's interval in ms: its `every`, else the round's. */
export function everyMsOf(target: Pick<TargetConfig, 'every' | 'name'>, roundEveryMs: number): number {
  return target.every === undefined ? roundEveryMs : parseEvery(target.every, `${target.name}.every`);
}

/**
 * The target's stable offset in `[0, everyMs)`: the first 48 bits of SHA-256 over its name and deployment (or
 * endpoint), modulo the interval, in whole milliseconds. The same target lands at the same offset in every process
 * and every round; two targets of one deployment almost never share it.
 */
export function jitterMsOf(target: Pick<TargetConfig, 'name' | 'deployment' | 'endpoint'>, everyMs: number): number {
  if (!(everyMs >= 1)) throw new RangeError(`an interval must be at least 1 ms, got ${everyMs}`);
  const digest = createHash('sha256')
    .update(`${target.name}\u0000${target.deployment ?? target.endpoint ?? ''}`)
    .digest();
  return digest.readUIntBE(0, 6) % Math.floor(everyMs);
}

/** The first start at or after `fromMs` of a target with this interval and jitter (epoch ms). */
export function nextStartAt(everyMs: number, jitterMs: number, fromMs: number): number {
  return Math.ceil((fromMs - jitterMs) / everyMs) * everyMs + jitterMs;
}

/** One probe due in a window: the target and when it starts (epoch ms). */
export interface DueProbe {
  target: TargetConfig;
  startAt: number;
}

/** Where in its interval a target starts (default: its own {@link jitterMsOf}). */
export type OffsetOf = (target: TargetConfig, everyMs: number) => number;

/**
 * Every probe due in `[fromMs, toMs)`: each target at every `startAt` in the window with
 * `startAt ≡ offset (mod every)` — none when its interval is longer than the window and its offset falls outside,
 * several when it is shorter. Sorted by start, then by the targets' order. The queue's planner gives a group's
 * members an offset in their baseline's minute (./plannerWindow.ts).
 */
export function dueProbes(
  targets: readonly TargetConfig[],
  fromMs: number,
  toMs: number,
  roundEveryMs: number,
  offsetOf: OffsetOf = jitterMsOf,
): DueProbe[] {
  const out: (DueProbe & { i: number })[] = [];
  targets.forEach((target, i) => {
    const every = everyMsOf(target, roundEveryMs);
    const jitter = offsetOf(target, every);
    for (let at = nextStartAt(every, jitter, fromMs); at < toMs; at += every) out.push({ target, startAt: at, i });
  });
  return out.sort((a, b) => a.startAt - b.startAt || a.i - b.i).map(({ target, startAt }) => ({ target, startAt }));
}
