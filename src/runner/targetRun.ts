/**
 * One target within a round, from its configuration to a publishable run, never throwing for anything the
 * target or its data did: a configuration that cannot be used, a probe that does not end, analysis or rendering
 * that throws on a hostile trace — each becomes an `error` run with the reason (the trace kept when there is
 * one). Only "too late to start" is thrown (the round reports it as not probed).
 */
import type { TokenCredential } from '@azure/identity';
import { analyzeTrace, historySamples, type DetectionHistory, type HistorySample } from '../analysis/index.js';
import { buildReport, type Report } from '../analysis/report.js';
import type { PriceTable } from '../cost/prices.js';
import type { ModelRetirement } from '../realtime/lifecycle.js';
import type { CanarySettings } from '../config/settings.js';
import type { TargetConfig } from '../config/targets.js';
import { withDeadline } from '../deadline.js';
import { loadTraceAudio } from '../trace/spilledAudio.js';
import { resolvePrompts, type PromptSpec } from '../prompts/catalog.js';
import type { ProbeOptions } from '../probe/options.js';
import { runProbe, targetSecrets, type ProbeTarget } from '../probe/session.js';
import { targetTransport } from '../probe/webrtc/factory.js';
import type { Trace } from '../trace/trace.js';
import type { RunHtmlOptions } from '../report/runHtml.js';
import { storedBaseline, storedRunOptions, type StoredBaseline, type StoredRun } from '../report/runLinks.js';
import type { RunArtifacts } from '../sinks/runSink.js';
import { scrubValue } from '../realtime/scrubValue.js';
import type { ArtifactStore } from '../store/artifactStore.js';
import { historyPath, latestPath, runPaths, type RunPaths } from '../store/layout.js';
import { errorRun, runError, type RunError } from './errorRun.js';
import type { RetirementsFor } from './modelLookup.js';
import { probeTarget } from './probeTarget.js';
import { withSettingToFix } from './settingToFix.js';
import type { SummaryFacts } from './summarize.js';

/**
 * A run ready to publish: its artifacts (report.json's content among them, changed by the steps after the analysis:
 * confirmation, drift, the group comparison) and what its summary takes besides the report. The summary is built
 * once, from the final report (./summarize.ts).
 */
export interface TargetRun {
  artifacts: RunArtifacts;
  facts: SummaryFacts;
  /** The model `session.created` declared (set by the drift step), for the group's same-round model comparison. */
  model?: string;
  /** How report.html was rendered (its links, the baseline beside it), so a re-render (confirmation) keeps them. */
  htmlOptions?: RunHtmlOptions;
}

/** The round's view a target run needs. */
export interface TargetRunContext {
  settings: CanarySettings;
  env: Record<string, string | undefined>;
  catalog: PromptSpec[];
  credential: () => TokenCredential;
  store: ArtifactStore;
  runId: string;
  roundStartedAt: Date;
  /** Epoch ms by which the probe must have ended (the rest of the round is for publishing). */
  probeEndAt: number;
  /** Every secret the round learns is added here (the log and all exits scrub them). */
  secrets: Set<string>;
  renderReportHtml?: (report: Report, trace: Trace, options?: RunHtmlOptions) => string;
  probe?: Partial<ProbeOptions>;
  /**
   * The baselines of this round that have finished, by group: a target that ends after its baseline shows the
   * baseline's same-minute turns side by side (one small run per group is kept until the round ends).
   */
  baselines: Map<string, StoredBaseline>;
  /** Prices of the run's cost (default: the shipped table). */
  prices?: PriceTable;
  /** Keep each session's output audio in a file here until its analysis (see ../probe/audioSpill.ts). */
  audioSpillDir?: string;
  /**
   * The retirement table for a target: the settings' table plus what the live lookup found (./modelLookup.ts).
   * Started beside the probe, awaited before the analysis; never rejects. Default: the settings' table.
   */
  retirementsFor?: RetirementsFor;
}

/** A session that was not started, for a reason the round reports as "not probed" (never an error run). */
export class NotSentError extends Error {
  override readonly name: string = 'NotSentError';
}

/** Thrown when too little of the round is left to give a session one turn. */
export class TooLateError extends NotSentError {
  override readonly name = 'TooLateError';
}

/** A session is given this long past its own timeout to return before it is abandoned. */
const PROBE_GRACE_MS = 5_000;

/** A target whose probe ended, before its analysis: what {@link finishTarget} needs. */
export interface ProbedTarget {
  cfg: TargetConfig;
  paths: RunPaths;
  started: Date;
  target: ProbeTarget;
  trace: Trace;
  /** Read beside the probe (never in front of it); never rejects. */
  history: Promise<DetectionHistory | undefined>;
  /** The retirement table the analysis looks the run's model up in. */
  retirements: Promise<readonly ModelRetirement[]>;
}

/** A target's configuration, history and probe, then its analysis and rendering (one call). */
export async function runTarget(cfg: TargetConfig, index: number, c: TargetRunContext): Promise<TargetRun> {
  const probed = await probeTargetRun(cfg, index, c);
  return 'artifacts' in probed ? probed : finishTarget(probed, c);
}

/**
 * The first half of {@link runTarget}: configuration, history and the probe. A configuration or probe failure
 * is already a finished (error) run; otherwise the probed target, its audio still on disk when the context
 * spills it (`audioSpillDir`).
 */
export async function probeTargetRun(
  cfg: TargetConfig,
  index: number,
  c: TargetRunContext,
): Promise<TargetRun | ProbedTarget> {
  const { settings } = c;
  const paths = runPaths(c.runId, c.roundStartedAt, settings.region, cfg.name);
  const started = new Date();
  let target: ProbeTarget;
  let prompts: PromptSpec[];
  try {
    target = probeTarget(cfg, index, c.env, settings.region, c.credential);
    prompts = resolvePrompts(cfg.prompts ?? settings.prompts, c.catalog);
  } catch (err) {
    return failedRun(cfg, paths, started, c, runError('configuration', err));
  }
  for (const s of targetSecrets(target)) c.secrets.add(s);
  const table = settings.modelRetirements;
  const retirements = c.retirementsFor ? c.retirementsFor(target, table) : Promise.resolve(table);

  const remaining = c.probeEndAt - Date.now();
  // a session squeezed below one turn's deadline would fail by our own doing: skip it, and say so
  if (remaining < settings.turnTimeoutMs)
    throw new TooLateError(
      `only ${Math.round(remaining / 1000)} s of the round deadline left, less than one turn's deadline`,
    );
  const history = readHistory(
    c.store,
    settings.region,
    cfg.name,
    Math.min(10_000, settings.storageTimeoutMs ?? 10_000),
  );
  const left = Math.max(1_000, c.probeEndAt - Date.now());
  let trace: Trace;
  try {
    trace = await withDeadline(`probe of ${cfg.name}`, Math.min(settings.sessionTimeoutMs, left) + PROBE_GRACE_MS, () =>
      runProbe(target, {
        prompts,
        turns: cfg.turns ?? settings.turns,
        runId: c.runId,
        insecureTls: cfg.insecureTls,
        transport: targetTransport(cfg),
        ...(cfg.outputFormat ? { outputFormat: cfg.outputFormat } : {}),
        turnTimeoutMs: Math.min(settings.turnTimeoutMs, left),
        generationWindowMs: settings.generationWindowMs,
        sessionTimeoutMs: Math.min(settings.sessionTimeoutMs, left),
        ...(c.audioSpillDir ? { audioSpillDir: c.audioSpillDir } : {}),
        ...c.probe,
      }),
    );
  } catch (err) {
    return failedRun(cfg, paths, started, c, runError('probe', err), { target });
  }
  return { cfg, paths, started, target, trace, history, retirements };
}

/** The second half of {@link runTarget}: the trace's audio read back, analysis, report.html. */
export async function finishTarget(p: ProbedTarget, c: TargetRunContext): Promise<TargetRun> {
  const { settings } = c;
  const { cfg, paths, trace, target } = p;
  const fail = (e: RunError): TargetRun => failedRun(cfg, paths, p.started, c, e, { trace, target });
  try {
    await loadTraceAudio(trace);
  } catch (err) {
    delete trace.spilledAudio;
    return fail({
      stage: 'probe',
      message: `the recorded answer audio could not be read back: ${(err as Error).message}`,
    });
  }
  let report: Report;
  try {
    const analysis = analyzeTrace(trace, settings.thresholds, await p.history, await p.retirements);
    report = withSettingToFix(buildReport(trace, analysis, { prices: c.prices }), cfg);
  } catch (err) {
    return fail(runError('analysis', err));
  }
  const stored: StoredRun = { report, trace, reportHtmlPath: paths.reportHtml };
  let html: string | undefined;
  let htmlOptions: RunHtmlOptions | undefined;
  try {
    // kept for the rest of the round: the report and its drawn timelines, never the audio
    if (cfg.baseline && cfg.group) c.baselines.set(cfg.group, storedBaseline(stored));
    if (c.renderReportHtml) {
      const baseline = cfg.group && !cfg.baseline ? c.baselines.get(cfg.group) : undefined;
      const previousReportHtmlPath = await previousReport(c.store, settings.region, cfg.name);
      htmlOptions = storedRunOptions(stored, {
        ...(baseline ? { baseline } : {}),
        ...(previousReportHtmlPath ? { previousReportHtmlPath } : {}),
      });
      html = c.renderReportHtml(report, trace, htmlOptions);
    }
  } catch (err) {
    return fail(runError('rendering', err));
  }
  const secrets = [...c.secrets];
  let samples: HistorySample[] = [];
  try {
    samples = historySamples(report);
  } catch {
    samples = [];
  }
  return {
    artifacts: { target: cfg.name, region: settings.region, paths, trace, report, html, secrets, history: samples },
    facts: {
      region: settings.region,
      group: cfg.group,
      baseline: cfg.baseline ?? false,
      paths,
      secrets,
    },
    ...(htmlOptions ? { htmlOptions } : {}),
  };
}

/** An `error` run for the target, its trace kept when there is one. */
function failedRun(
  cfg: TargetConfig,
  paths: RunPaths,
  started: Date,
  c: TargetRunContext,
  e: RunError,
  extra: { trace?: Trace; target?: ProbeTarget } = {},
): TargetRun {
  const meta = extra.trace?.meta;
  const host = meta?.target.host ?? extra.target?.endpoint.url.host ?? hostOf(cfg.endpoint);
  const flavour = meta?.target.flavour ?? extra.target?.endpoint.flavour ?? cfg.flavour ?? 'unknown';
  const startedAt = meta?.startedAt ?? started.toISOString();
  const region = c.settings.region;
  const r = errorRun(cfg, e, { runId: c.runId, startedAt, region, host, flavour });
  const secrets = [...c.secrets];
  return {
    artifacts: {
      target: cfg.name,
      region,
      paths,
      trace: extra.trace,
      report: scrubValue(r.report, secrets),
      html: r.html,
      secrets,
      history: [],
    },
    facts: {
      region,
      group: cfg.group,
      baseline: cfg.baseline ?? false,
      paths,
      durationMs: Date.now() - started.getTime(),
      secrets,
    },
  };
}

/** The report.html of the target's previous run (its `latest/` summary), for the report's "previous run" link. */
async function previousReport(store: ArtifactStore, region: string, target: string): Promise<string | undefined> {
  try {
    const latest = await withDeadline(`latest run of ${target}`, 5_000, () =>
      store.readJson<{ reportHtmlPath?: unknown }>(latestPath(region, target)),
    );
    return typeof latest?.reportHtmlPath === 'string' ? latest.reportHtmlPath : undefined;
  } catch {
    return undefined;
  }
}

/** The target's healthy history, or none when the store cannot say (a degraded store answers at once). */
async function readHistory(
  store: ArtifactStore,
  region: string,
  target: string,
  budgetMs: number,
): Promise<DetectionHistory | undefined> {
  try {
    const samples = await withDeadline(`history of ${target}`, budgetMs, () =>
      store.readJson<HistorySample[]>(historyPath(region, target)),
    );
    return Array.isArray(samples) ? { target, samples } : undefined;
  } catch {
    return undefined;
  }
}

function hostOf(endpoint: string | undefined): string {
  try {
    return endpoint ? new URL(endpoint).host : 'unknown';
  } catch {
    return 'unknown';
  }
}
