/**
 * What a timing the probe measured against the in-process simulator may stray from the simulator's plan on a busy
 * machine. Simulator and probe share the test's event loop over loopback: on a loaded laptop their timers fire late
 * and the loop is blocked, so a wall-clock pause is not what was planned. The canary records that itself — the
 * intervals its event loop was blocked (`probe-stall`, read with analysis/probeHealth.ts) and each turn's worst loop
 * lateness (`loop-delay`) — so a test allows the plan's precision (50 ms: `npm run bench:detect` holds an idle machine
 * to it) plus what the trace says the canary lost, never a fixed, generous margin. A test that talks to the simulator
 * without the probe watches its own loop with the probe's monitor ({@link watchLoop}).
 */
import { performance } from 'node:perf_hooks';
import { blockedWithin, probeStalls, type BlockedInterval } from '../../src/analysis/probeHealth.js';
import type { TurnMetrics } from '../../src/analysis/metrics.js';
import { LoopMonitor, STALL_FLOOR_MS } from '../../src/probe/loopMonitor.js';
import type { NewEntry } from '../../src/probe/recorder.js';
import { entriesOfKind, type Trace } from '../../src/trace/trace.js';

/** How close to the plan a measurement is on an idle machine (the benches' target). */
export const PLAN_PRECISION_MS = 50;

/** How long (ms) the probe's event loop was blocked within [fromMs, toMs] of the trace clock, by its `probe-stall`s. */
export function blockedMs(trace: Trace, fromMs: number, toMs: number): number {
  return blockedWithin(probeStalls(trace), fromMs, toMs);
}

/**
 * The most the probe's loop can have delayed what it recorded within [fromMs, toMs] of the trace clock: its recorded
 * blocks there, plus one lateness under the stall floor (the worst its turns' `loop-delay` saw, up to that floor).
 */
export function lostInTrace(trace: Trace, fromMs: number, toMs: number): number {
  const worst = entriesOfKind(trace, 'loop-delay').map((e) => e.maxMs);
  return blockedMs(trace, fromMs, toMs) + unrecordedMs(worst.length ? Math.max(...worst) : undefined);
}

/** A lateness under the stall floor: the worst lateness seen, up to that floor (the floor when unknown). */
function unrecordedMs(worstMs: number | null | undefined): number {
  return Math.min(worstMs ?? STALL_FLOOR_MS, STALL_FLOOR_MS);
}

/**
 * The allowance for a reasoning turn's measured reasoning time (`timing.reasoningMs`) against the plan. The
 * simulator sends each step at its planned time from `response.create`; the measurement is the answer's first delta
 * less the preamble's first delta and audio, so it moves by whatever made either delta late: the time the probe was
 * blocked from `response.create` to the answer's first audio, and a lateness under the loop monitor's stall floor,
 * which no `probe-stall` records (the turn's `loop-delay` maximum, up to that floor).
 */
export function reasoningAllowanceMs(trace: Trace, m: TurnMetrics): number {
  const from = m.timing.anchorTraceMs!;
  const to = from + m.timing.finalAnswerMs!;
  return PLAN_PRECISION_MS + blockedMs(trace, from, to) + unrecordedMs(m.probe.loopDelay?.maxMs);
}

/** This process's event loop, watched by the probe's own monitor; times on the `performance.now()` clock. */
export interface LoopWatch {
  /**
   * The most the loop can have delayed what happened within [fromMs, toMs]: the time it was recorded blocked, plus
   * one lateness under the stall floor, which no stall records.
   */
  lostMs(fromMs: number, toMs: number): number;
  stop(): void;
}

/** Starts watching this process's event loop (a simulator in the test's process shares it). */
export function watchLoop(): LoopWatch {
  const stalls: BlockedInterval[] = [];
  const monitor = new LoopMonitor(
    {
      add: <E extends NewEntry>(entry: E): E & { t: number; turn: number } => {
        const t = performance.now();
        const e: NewEntry = entry;
        if (e.kind === 'probe-stall') stalls.push({ fromMs: t - e.durationMs, toMs: t, durationMs: e.durationMs });
        return { ...entry, t, turn: 0 };
      },
    },
    { maxStalls: 100_000 },
  );
  monitor.start();
  return {
    lostMs: (fromMs, toMs) => blockedWithin(stalls, fromMs, toMs) + STALL_FLOOR_MS,
    stop: () => monitor.stop(),
  };
}
