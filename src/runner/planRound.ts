/**
 * Whether a single-process round fits its due targets over a planned day (issue 21 §4), by the round's own rules
 * (./roundFit.ts: concurrency × probe window × ROUND_FILL of expected session time) and, when the busiest round does
 * not, how the rotation copes (./roundSelection.ts: every due target within ⌈due ÷ fits⌉ rounds) and what would make
 * every round fit: a concurrency, a longer `every` for the targets due every round (checked against the real jitter
 * over the day), or at most so many due targets per app. Pure.
 */
import { MAX_EVERY_MS } from '../config/every.js';
import { MAX_CONCURRENCY } from '../config/settings.js';
import type { TargetConfig } from '../config/targets.js';
import { jitterMsOf, nextStartAt } from './plan.js';
import { fillRound, roundCapacityMs, ROUND_FILL } from './roundFit.js';
import type { RoundWindow } from './roundSelection.js';

/** A target as the plan sees it: its own interval and jitter (none: the round's), its expected session. */
export interface PlannedTarget {
  target: TargetConfig;
  ownEveryMs: number | undefined;
  ownJitterMs: number;
  sessionMs: number;
}

/** A full round whose rotation takes more rounds than this to probe every due target is refused. */
export const MAX_ROTATION_ROUNDS = 2;

export interface RoundFitCheck {
  /** `fits`: every round probes all its due targets; `rotation`: the busiest rounds rotate, each target probed within {@link MAX_ROTATION_ROUNDS} rounds; `full`: the rotation takes longer. */
  status: 'fits' | 'rotation' | 'full';
  /** The busiest round's interval, its concurrency, its probe window and the session time it plans (ms). */
  intervalMs: number;
  concurrency: number;
  probeWindowMs: number;
  capacityMs: number;
  /** Targets due in the busiest round, their expected session time, and how many of them it fits. */
  due: number;
  dueSessionMs: number;
  fits: number;
  /** Rounds the rotation needs to probe every one of them once. */
  rounds: number;
  /** What would make every round fit (a full or rotating round only). */
  fix?: RoundFix;
}

export interface RoundFix {
  /** The CANARY_CONCURRENCY that fits the busiest round (none when above the most allowed). */
  concurrency?: number;
  /** `every` for the targets due every round that makes every round of the day fit (none when even a day does not). */
  every?: { targets: number; everyMs: number };
  /** Due targets one app's round fits: the rest in other apps. */
  perApp: number;
}

/** Whether `p` is due in `w` (as ../runner/roundSelection.ts's dueInWindow decides), with `ownEveryMs` given. */
function isDue(p: PlannedTarget, w: RoundWindow, ownEveryMs = p.ownEveryMs, ownJitterMs = p.ownJitterMs): boolean {
  return ownEveryMs === undefined || ownEveryMs <= w.everyMs || nextStartAt(ownEveryMs, ownJitterMs, w.fromMs) < w.toMs;
}

/** The targets due in each window, in their configured order. */
export function dueByWindow(planned: readonly PlannedTarget[], windows: readonly RoundWindow[]): PlannedTarget[][] {
  return windows.map((w) => planned.filter((p) => isDue(p, w)));
}

const sumMs = (due: readonly PlannedTarget[]): number => due.reduce((a, p) => a + p.sessionMs, 0);

export function checkRound(
  planned: readonly PlannedTarget[],
  windows: readonly RoundWindow[],
  due: readonly PlannedTarget[][],
  concurrency: number,
  probeWindowMs: number,
): RoundFitCheck {
  const capacityMs = roundCapacityMs(concurrency, probeWindowMs);
  let busiest = 0;
  due.forEach((d, i) => {
    if (sumMs(d) > sumMs(due[busiest]!)) busiest = i;
  });
  const list = due[busiest] ?? [];
  const dueSessionMs = sumMs(list);
  const fits = fillRound(list, (p) => p.sessionMs, capacityMs).fit.length;
  const rounds = list.length ? Math.ceil(list.length / Math.max(1, fits)) : 0;
  const base = {
    intervalMs: windows[busiest]?.everyMs ?? 0,
    concurrency,
    probeWindowMs,
    capacityMs,
    due: list.length,
    dueSessionMs,
    fits,
    rounds,
  };
  if (fits >= list.length) return { status: 'fits', ...base };
  const perWindow = probeWindowMs * ROUND_FILL;
  const needed = perWindow > 0 ? Math.ceil(dueSessionMs / perWindow) : Infinity;
  const every = everyThatFits(planned, windows, capacityMs, base.intervalMs);
  return {
    status: rounds <= MAX_ROTATION_ROUNDS ? 'rotation' : 'full',
    ...base,
    fix: {
      ...(needed <= MAX_CONCURRENCY ? { concurrency: needed } : {}),
      ...(every ? { every } : {}),
      perApp: fits,
    },
  };
}

/**
 * The shortest `every` (whole minutes, a multiple of the round's interval, at most a day) that, given to every
 * target due every round, makes every window of the day fit — with the jitter that interval gives each target.
 */
function everyThatFits(
  planned: readonly PlannedTarget[],
  windows: readonly RoundWindow[],
  capacityMs: number,
  intervalMs: number,
): { targets: number; everyMs: number } | undefined {
  const moved = planned.filter((p) => p.ownEveryMs === undefined || p.ownEveryMs <= intervalMs);
  if (!moved.length || intervalMs <= 0) return undefined;
  const movedSet = new Set(moved);
  const everyOf = (m: number): number => Math.ceil((m * intervalMs) / 60_000) * 60_000;
  const fitsWith = (everyMs: number): boolean => {
    const given = planned.map((p) => (movedSet.has(p) ? jitterMsOf(p.target, everyMs) : undefined));
    return windows.every((w) => {
      let ms = 0;
      planned.forEach((p, i) => {
        const j = given[i];
        if (j === undefined ? isDue(p, w) : isDue(p, w, everyMs, j)) ms += p.sessionMs;
      });
      return ms <= capacityMs;
    });
  };
  let hi = Math.floor(MAX_EVERY_MS / intervalMs);
  if (hi < 2 || !fitsWith(Math.min(MAX_EVERY_MS, everyOf(hi)))) return undefined;
  let lo = 2;
  while (lo < hi) {
    const mid = Math.floor((lo + hi) / 2);
    if (fitsWith(everyOf(mid))) hi = mid;
    else lo = mid + 1;
  }
  return { targets: moved.length, everyMs: Math.min(MAX_EVERY_MS, everyOf(lo)) };
}
