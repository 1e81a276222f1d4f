/**
 * Where other parts plug into a round without editing it: a `plan` step before any probe (e.g. a spend budget
 * that drops or defers targets) and an `afterRun` step per target between its analysis and its publishing
 * (e.g. a confirm-retry that re-probes a failing target once and returns the run to publish instead).
 */
import type { TargetConfig } from '../config/targets.js';
import type { TargetRun } from './targetRun.js';

/** The targets to probe this round and the ones the plan held back (logged; never silent). */
export interface RoundPlan {
  probe: TargetConfig[];
  skipped: { target: string; reason: string }[];
}

export interface RoundHooks {
  /** Before any probe. Default: probe every target. */
  plan?(targets: readonly TargetConfig[]): Promise<RoundPlan>;
  /** After a target's run was analysed, before it is published; returns the run to publish. */
  afterRun?(run: TargetRun, target: TargetConfig): Promise<TargetRun>;
}
