/**
 * What queue mode's planner plans, as pure functions of its state and the time (issue 22 §2). Each minute it
 * claims, in one ETag-guarded write of `plan/<region>/planner.json`, the window from where the last planner stopped
 * (or now) to the end of the coming minute — so two planners that overlap, or a retried one, never plan one
 * (target, start) twice: the second finds the window taken. The same write claims the minute's end-of-round step
 * (dashboard, heartbeat, watchdog, mutes), so that runs at most once a minute. A group's members are planned into
 * their baseline's minute (each at its own second), so the prober can compare them with the baseline's report of
 * the same run (./queueGroups.ts).
 */
import type { TargetConfig } from '../config/targets.js';
import { MINUTE_MS } from '../queue/probeMessage.js';
import { dueProbes, everyMsOf, jitterMsOf, type DueProbe } from './plan.js';

/** `plan/<region>/planner.json`. */
export interface PlannerState {
  v: 1;
  /** ISO: everything due before it is planned (or was missed). */
  plannedUntil: string;
  /** ISO: where the last claim started, so an invocation whose write was retried finds its own window again. */
  claimedFrom: string;
  /** The invocation that made the last claim. */
  by: string;
  /** ISO start of the minute whose end-of-round step was claimed last, and by whom. */
  sinksMinute?: string;
  sinksBy?: string;
}

/** What one invocation claimed. */
export interface PlannerClaim {
  state: PlannerState;
  /** The window to plan, `[fromMs, toMs)`; empty (from = to) when another planner already planned it. */
  fromMs: number;
  toMs: number;
  /** Starts nobody planned: from the last planner's end to now (a planner that did not run), at most a day. */
  missed?: { fromMs: number; toMs: number };
  /** This invocation runs the minute's end-of-round step. */
  sinks: boolean;
  minuteMs: number;
}

/** A gap longer than this (a planner stopped for days) is not counted as missed probes: its probes are long gone. */
const MAX_MISSED_MS = 86_400_000;

/**
 * The claim of invocation `by` at `nowMs` over `current`: pure, and safe to call again on a newer state (the
 * optimistic update does when it meets a conflict) — an invocation that finds its own claim keeps it.
 */
export function claimWindow(current: PlannerState | undefined, nowMs: number, by: string): PlannerClaim {
  const minuteMs = Math.floor(nowMs / MINUTE_MS) * MINUTE_MS;
  const toMs = minuteMs + 2 * MINUTE_MS;
  const minute = new Date(minuteMs).toISOString();
  const until = current ? Date.parse(current.plannedUntil) : NaN;
  const mine = current?.by === by;
  const fromMs = mine ? Date.parse(current.claimedFrom) : Number.isFinite(until) ? Math.max(until, nowMs) : nowMs;
  const end = mine ? until : Math.max(toMs, fromMs);
  const sinks = current?.sinksMinute !== minute || current.sinksBy === by;
  const gap = !mine && Number.isFinite(until) && until < nowMs && nowMs - until <= MAX_MISSED_MS;
  const claimed = end > fromMs;
  const state: PlannerState = claimed
    ? { v: 1, plannedUntil: new Date(end).toISOString(), claimedFrom: new Date(fromMs).toISOString(), by }
    : current!; // nothing new to plan: the last claim stays as it is, so its invocation can find it again
  return {
    state: { ...state, sinksMinute: minute, sinksBy: sinks ? by : current?.sinksBy },
    fromMs,
    toMs: claimed ? end : fromMs,
    ...(gap ? { missed: { fromMs: until, toMs: nowMs } } : {}),
    sinks,
    minuteMs,
  };
}

/** The group's baseline a member is compared with, if it has one. */
export function baselineOf(t: TargetConfig, targets: readonly TargetConfig[]): TargetConfig | undefined {
  return t.group && !t.baseline ? targets.find((b) => b.group === t.group && b.baseline) : undefined;
}

/**
 * A target's offset in its interval as the planner places it: its own jitter, except a group member's, which
 * starts in its baseline's minute (of the member's interval) at the second its own jitter gives — so with the same
 * `every` as the baseline, or a multiple of it, every probe of the member shares a minute with one of the baseline.
 */
export function plannedOffset(targets: readonly TargetConfig[], roundEveryMs: number) {
  return (t: TargetConfig, everyMs: number): number => {
    const own = jitterMsOf(t, everyMs);
    const baseline = baselineOf(t, targets);
    if (!baseline) return own;
    const b = jitterMsOf(baseline, everyMsOf(baseline, roundEveryMs));
    return (Math.floor(b / MINUTE_MS) * MINUTE_MS + (own % MINUTE_MS)) % everyMs;
  };
}

/** The probes due in the claim's window, and the members among them whose baseline is not planned in their minute. */
export function plannedProbes(
  targets: readonly TargetConfig[],
  fromMs: number,
  toMs: number,
  roundEveryMs: number,
): { due: DueProbe[]; withoutBaseline: DueProbe[] } {
  if (toMs <= fromMs) return { due: [], withoutBaseline: [] };
  const offsets = plannedOffset(targets, roundEveryMs);
  const due = dueProbes(targets, fromMs, toMs, roundEveryMs, offsets);
  const minute = (ms: number): number => Math.floor(ms / MINUTE_MS);
  const withoutBaseline = due.filter((p) => {
    const b = baselineOf(p.target, targets);
    if (!b) return false;
    // the baseline's probe of the same minute may lie outside this window (an earlier claim): ask the schedule
    const m = minute(p.startAt) * MINUTE_MS;
    return dueProbes([b], m, m + MINUTE_MS, roundEveryMs, offsets).length === 0;
  });
  return { due, withoutBaseline };
}
