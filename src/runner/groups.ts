/**
 * Holds the final publishing of a group's runs until every member of the group has a result (or never will),
 * then adds each member's comparison with the baseline to its report. Runs of targets outside a compared group
 * pass straight through. Every run's summary is built here, once, from its final report (./summarize.ts). Only
 * the (small) reports are held — the traces are already published and gone.
 */
import type { TargetConfig } from '../config/targets.js';
import { isAnalysisReport, type RunFinal } from '../sinks/runSink.js';
import type { ReportComparison } from '../analysis/report.js';
import { compareGroups, errorTally, tallyOf, withComparison, type GroupMember } from './comparison.js';
import { modelComparisons } from './driftStep.js';
import { summarize } from './summarize.js';
import type { TargetRun } from './targetRun.js';

interface Held {
  cfg: TargetConfig;
  run: TargetRun;
}

export class GroupBarrier {
  #waiting = new Map<string, Set<string>>();
  #held = new Map<string, Held[]>();

  constructor(targets: readonly TargetConfig[]) {
    const byGroup = new Map<string, TargetConfig[]>();
    for (const t of targets) if (t.group) byGroup.set(t.group, [...(byGroup.get(t.group) ?? []), t]);
    for (const [group, list] of byGroup) {
      if (list.length > 1 && list.some((t) => t.baseline)) this.#waiting.set(group, new Set(list.map((t) => t.name)));
    }
  }

  /** A target's run is ready: the finals that can be published now (this one, or its whole group). */
  arrive(cfg: TargetConfig, run: TargetRun): RunFinal[] {
    const waiting = cfg.group ? this.#waiting.get(cfg.group) : undefined;
    if (!cfg.group || !waiting) return [final(run)];
    this.#held.set(cfg.group, [...(this.#held.get(cfg.group) ?? []), { cfg, run }]);
    return this.#leave(cfg.group, cfg.name);
  }

  /** A target will have no run this round (not started, deadline): its group may be complete now. */
  abandon(cfg: TargetConfig): RunFinal[] {
    return cfg.group && this.#waiting.has(cfg.group) ? this.#leave(cfg.group, cfg.name) : [];
  }

  /** Everything still held (the round is ending). */
  drain(): RunFinal[] {
    return [...this.#waiting.keys()].flatMap((g) => this.#release(g));
  }

  #leave(group: string, name: string): RunFinal[] {
    const waiting = this.#waiting.get(group)!;
    waiting.delete(name);
    return waiting.size === 0 ? this.#release(group) : [];
  }

  #release(group: string): RunFinal[] {
    const held = this.#held.get(group) ?? [];
    this.#held.delete(group);
    this.#waiting.delete(group);
    const members: GroupMember[] = held.map((h) => ({
      name: h.cfg.name,
      group,
      baseline: h.cfg.baseline ?? false,
      tally: tally(h.run),
    }));
    const comparisons = compareGroups(members);
    const models = modelComparisons(
      held.map((h) => ({ name: h.cfg.name, group, baseline: h.cfg.baseline ?? false, model: h.run.model })),
    );
    return held.map(({ cfg, run }) => {
      const list = [comparisons.get(cfg.name), models.get(cfg.name)].filter(
        (c): c is ReportComparison => c !== undefined,
      );
      const report = run.artifacts.report;
      if (!list.length) return final(run);
      // an error run's report.json has no comparison: only its summary carries it
      if (!isAnalysisReport(report)) return final(run, list);
      const compared = withComparison(report, list);
      return { ...final({ ...run, artifacts: { ...run.artifacts, report: compared } }), report: compared };
    });
  }
}

/** What the comparison needs of a run, from its report. */
function tally(run: TargetRun): GroupMember['tally'] {
  const report = run.artifacts.report;
  return isAnalysisReport(report) ? tallyOf(report) : errorTally();
}

/** A run's final summary, built once from its final report (./summarize.ts). */
function final(run: TargetRun, errorComparison?: readonly ReportComparison[]): RunFinal {
  return {
    summary: summarize(run.artifacts.report, run.facts, errorComparison),
    paths: run.artifacts.paths,
    secrets: run.artifacts.secrets,
  };
}
