/**
 * Where other parts plug into a round without editing it: a `plan` step before any probe (e.g. a spend budget
 * that drops or defers targets), an `afterRun` step per target between its analysis and its publishing (e.g. a
 * confirm-retry that re-probes a failing target and returns the run to publish instead), and an `end` step once
 * every run is published, before the round-end sinks (e.g. settling the spend ledger).
 */
import type { PriceTable } from '../cost/prices.js';
import type { TargetConfig } from '../config/targets.js';
import type { RunSummary } from '../runSummary.js';
import type { TargetRun } from './targetRun.js';

/** A target the plan held back; `summary` is its index line (e.g. "not probed: budget"), recorded by the index sink. */
export interface PlanSkip {
  target: string;
  reason: string;
  summary?: RunSummary;
}

/** The targets to probe this round and the ones the plan held back (logged; never silent). */
export interface RoundPlan {
  probe: TargetConfig[];
  skipped: PlanSkip[];
  /** Prices the round's reports use (default: the settings' table). */
  prices?: PriceTable;
}

/** What the round tells its hooks about itself. */
export interface RoundInfo {
  runId: string;
  startedAt: Date;
}

export interface RoundHooks {
  /** Before any probe. Default: probe every target. */
  plan?(targets: readonly TargetConfig[], round: RoundInfo): Promise<RoundPlan>;
  /**
   * After a target's run was analysed, before it is published; returns the run to publish. `again` probes the
   * target once more (same paths, same deadline rules; throws when too little of the round is left).
   */
  afterRun?(run: TargetRun, target: TargetConfig, again: () => Promise<TargetRun>): Promise<TargetRun>;
  /** After every run of the round was published, before the round-end sinks (the dashboard). */
  end?(summaries: readonly RunSummary[]): Promise<void>;
}
