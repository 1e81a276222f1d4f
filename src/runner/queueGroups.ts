/**
 * The group comparison in queue mode (issue 22 §2): a group's baseline and its targets are planned into the same
 * minute, so they share a run id and run folder; a member's prober reads the baseline's published report.json of
 * that run (polling, for a bounded time) and compares with it through the round's own barrier (./groups.ts), so
 * the comparison reads exactly as in a round. A baseline publishes at once; a member whose baseline has not
 * published in time is published without a comparison, and the log says why. The round's model comparison needs
 * the baseline's trace and is not made here.
 */
import type { Report } from '../analysis/report.js';
import type { TargetConfig } from '../config/targets.js';
import type { LineLog } from '../log.js';
import type { ErrorReport, RunFinal } from '../sinks/runSink.js';
import type { ArtifactStore } from '../store/artifactStore.js';
import { runPaths } from '../store/layout.js';
import { GroupBarrier } from './groups.js';
import type { TargetRun } from './targetRun.js';

export interface QueueGroupContext {
  store: ArtifactStore;
  region: string;
  runId: string;
  runStartedAt: Date;
  /** How long to wait for the baseline's report (0: look once). */
  waitMs: number;
  /** Between two looks (default 1 s). */
  pollMs?: number;
  log: LineLog;
}

/** The run's final (one): compared with its group's baseline of the same run when there is one. */
export async function queueFinals(
  target: TargetConfig,
  run: TargetRun,
  targets: readonly TargetConfig[],
  c: QueueGroupContext,
): Promise<RunFinal[]> {
  const baseline =
    target.group && !target.baseline ? targets.find((t) => t.group === target.group && t.baseline) : undefined;
  if (!baseline) return new GroupBarrier([target]).arrive(target, run);
  const report = await baselineReport(baseline, c);
  if (!report) {
    c.log.warn(
      `${target.name}: baseline ${baseline.name} published no report for run ${c.runId} within ` +
        `${Math.round(c.waitMs / 1000)} s; published without the group's comparison`,
    );
    return new GroupBarrier([target]).arrive(target, run);
  }
  const barrier = new GroupBarrier([baseline, target]);
  barrier.arrive(baseline, storedRun(baseline, report, c));
  return barrier.arrive(target, run).filter((f) => f.summary.target === target.name);
}

async function baselineReport(baseline: TargetConfig, c: QueueGroupContext): Promise<Report | ErrorReport | undefined> {
  const path = runPaths(c.runId, c.runStartedAt, c.region, baseline.name).reportJson;
  const until = Date.now() + c.waitMs;
  for (;;) {
    const report = await c.store.readJson<Report | ErrorReport>(path).catch(() => undefined);
    if (report) return report;
    if (Date.now() + (c.pollMs ?? 1_000) > until) return undefined;
    await new Promise((r) => setTimeout(r, c.pollMs ?? 1_000));
  }
}

/** The baseline's published run as the barrier takes it: its report (its trace is not needed for the tally). */
function storedRun(cfg: TargetConfig, report: Report | ErrorReport, c: QueueGroupContext): TargetRun {
  const paths = runPaths(c.runId, c.runStartedAt, c.region, cfg.name);
  return {
    artifacts: {
      target: cfg.name,
      region: c.region,
      paths,
      report,
      secrets: [],
      history: [],
    },
    facts: { region: c.region, group: cfg.group, baseline: true, paths },
  };
}
