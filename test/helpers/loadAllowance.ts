/**
 * What a timing the probe measured against the in-process simulator may stray from the simulator's plan on a busy
 * machine. Simulator and probe share the test's event loop over loopback: on a loaded laptop their timers fire late
 * and the loop is blocked, so a wall-clock pause is not what was planned. The canary records that itself — the
 * intervals its event loop was blocked (`probe-stall`, read with analysis/probeHealth.ts) and each turn's worst loop
 * lateness (`loop-delay`) — so a test allows the plan's precision (50 ms: `npm run bench:detect` holds an idle machine
 * to it) plus what the trace says the canary lost, never a fixed, generous margin.
 */
import { blockedWithin, probeStalls } from '../../src/analysis/probeHealth.js';
import type { TurnMetrics } from '../../src/analysis/metrics.js';
import { STALL_FLOOR_MS } from '../../src/probe/loopMonitor.js';
import type { Trace } from '../../src/trace/trace.js';

/** How close to the plan a measurement is on an idle machine (the benches' target). */
export const PLAN_PRECISION_MS = 50;

/** How long (ms) the probe's event loop was blocked within [fromMs, toMs] of the trace clock, by its `probe-stall`s. */
export function blockedMs(trace: Trace, fromMs: number, toMs: number): number {
  return blockedWithin(probeStalls(trace), fromMs, toMs);
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
  const unrecorded = Math.min(m.probe.loopDelay?.maxMs ?? STALL_FLOOR_MS, STALL_FLOOR_MS);
  return PLAN_PRECISION_MS + blockedMs(trace, from, to) + unrecorded;
}
