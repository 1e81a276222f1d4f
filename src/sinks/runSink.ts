/**
 * The one seam between a round and everything it publishes to (cloudprober's surfacers): a RunSink gets each
 * target's run in up to three calls, and the round's fan-out (./fanOut.ts) runs every sink under its own budget
 * with failures isolated. Adding a sink is one file implementing this plus one line in ./createSinks.ts.
 *
 * 1. `onArtifacts` — as soon as that target's probe ended (streaming: the trace and audio are dropped after it).
 * 2. `onSummary` — once the run's summary is final (after its group's comparison): index, latest, alerts,
 *    telemetry. `record` sinks run before `notify` sinks, so the artifacts an alert links to exist first.
 * 3. `onRoundEnd` — after every target: flushes, the dashboard.
 * 4. `close` — once, when the round is over (whatever happened): a sink that owns a client (telemetry) releases it,
 *    so a sink is created in ./createSinks.ts and closed by the round, with nothing to add anywhere else.
 */
import type { RunCategory } from '../analysis/category.js';
import type { HistorySample } from '../analysis/history.js';
import type { Report } from '../analysis/report.js';
import type { Trace } from '../trace/trace.js';
import type { RunSummary } from '../runSummary.js';
import type { LineLog } from '../log.js';
import type { RunPaths } from '../store/layout.js';

/** What every call gets besides its data. */
export interface SinkContext {
  /** The round's log lines (already scrubbed by the round's logger, ../realtime/scrubValue.ts). */
  log: LineLog;
  /** Evaluation time (injectable; drives alert rules). */
  now: () => Date;
  roundStartedAt: Date;
  /** Aborted when this call's budget is spent or the round's deadline is reached. */
  signal: AbortSignal;
}

/** A target's run for {@link RunSink.onArtifacts}. */
export interface RunArtifacts {
  /** The target's name, and the region the canary ran in (its summary comes later, with {@link RunSink.onSummary}). */
  target: string;
  region: string;
  paths: RunPaths;
  /** Absent when the target never ran (a configuration error). */
  trace?: Trace;
  /** report.json's content: the analysis report, or for an `error` run the error document. */
  report: Report | ErrorReport;
  /** report.html, when it could be rendered. */
  html?: string;
  /** Values to scrub from everything written. */
  secrets: readonly string[];
  /** Healthy turns the analysis may learn from next time. */
  history: HistorySample[];
  /** Confirmation probes of a failing run (CANARY_CONFIRM_RETRIES), stored in `dir` (e.g. `confirm-2/`) of the run folder. */
  confirmations?: { dir: string; trace?: Trace; report: Report | ErrorReport }[];
}

/** A final summary for {@link RunSink.onSummary}; `report` when report.json changed (comparison added). */
export interface RunFinal {
  summary: RunSummary;
  paths: RunPaths;
  report?: Report | ErrorReport;
  secrets: readonly string[];
}

/** The end of a round for {@link RunSink.onRoundEnd}. */
export interface RoundEnd {
  runId: string;
  summaries: RunSummary[];
}

/** report.json of a run that has no analysis: a configuration error, or analysis or rendering that failed. */
export interface ErrorReport {
  schemaVersion: 1;
  kind: 'error-report';
  runId: string;
  target: { name: string; flavour: string; host: string; deployment: string | null; region: string };
  verdict: 'error';
  category: RunCategory;
  error: {
    /** Where it failed: the target's configuration, the analysis of its trace, or rendering its report. */
    stage: 'configuration' | 'analysis' | 'rendering' | 'probe';
    message: string;
    /** What to do about it. */
    fix: string;
  };
  times: { startedAt: string };
}

/** An analysis report (not the error document of a run that could not be analysed). */
export function isAnalysisReport(r: Report | ErrorReport): r is Report {
  return !('kind' in r && r.kind === 'error-report');
}

export interface RunSink {
  readonly name: string;
  /** Budget of one call in ms (cut to what is left of the round). */
  readonly budgetMs: number;
  /** `record` sinks finish before `notify` sinks start for the same run. */
  readonly stage: 'record' | 'notify';
  onArtifacts?(run: RunArtifacts, ctx: SinkContext): Promise<void>;
  onSummary?(run: RunFinal, ctx: SinkContext): Promise<void>;
  onRoundEnd?(end: RoundEnd, ctx: SinkContext): Promise<void>;
  /** A target the round's plan held back (e.g. "not probed: budget"): its line, with no run, alert or telemetry. */
  onNotProbed?(summary: RunSummary, ctx: SinkContext): Promise<void>;
  /** Releases what the sink owns (timers, sockets); called once when the round is over, bounded, never by a sink call. */
  close?(): Promise<void>;
}
