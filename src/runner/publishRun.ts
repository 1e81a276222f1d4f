/**
 * The one path from a target to its published run, shared by the single-process round (./round.ts) and the queue's
 * prober (./prober.ts): the probe, its analysis, the after-run step (confirmation, drift), its artifacts — holding
 * a publishing slot from the analysis to the artifacts written — and then, once its summary is final (after the
 * group's comparison), the index line, `latest/`, alert state, notifications and telemetry through the same
 * fan-out over the same sinks. Neither mode publishes a run any other way.
 */
import type { LineLog } from '../log.js';
import type { PriceTable } from '../cost/prices.js';
import type { CanarySettings } from '../config/settings.js';
import type { TargetConfig } from '../config/targets.js';
import { msUntil, withDeadline } from '../deadline.js';
import { ConfigError } from '../errors.js';
import { loadCatalog } from '../prompts/catalog.js';
import type { RunSummary } from '../runSummary.js';
import { withMute } from '../sinks/alerts/mute.js';
import { fanOut, type FanOutContext, type Hook, type SinkFailure } from '../sinks/fanOut.js';
import type { RunFinal, RunSink } from '../sinks/runSink.js';
import type { RoundHooks } from './hooks.js';
import { modelLookup } from './modelLookup.js';
import type { Slots } from './pool.js';
import type { Publisher } from './publisher.js';
import { QuotaRefusedError, quotaReason, type QuotaGate } from './quotaGate.js';
import type { RoundDeps } from './round.js';
import { finishTarget, probeTargetRun, runTarget, type TargetRun, type TargetRunContext } from './targetRun.js';

/** Where runs are published: the sinks, the fan-out's context (log, clock, hard deadline) and the steps around. */
export interface RunPublishing {
  settings: Pick<CanarySettings, 'mutes'>;
  sinks: readonly RunSink[];
  fc: FanOutContext;
  /**
   * The round's ordering (./publisher.ts: durable writes first, notifications after them in the background under
   * their own deadline); without it each call runs every stage in place, `record` before `notify`.
   */
  publisher?: Publisher;
  log: LineLog;
  /** The after-run step (confirmation, drift); its `plan` and `end` are the caller's. */
  hooks?: RoundHooks;
  /** How many finished probes may analyse and write their artifacts at once. */
  slots: Slots;
  /** Epoch ms (real clock): every step of the run ends by then. */
  deadlineAt: number;
  /** Claims each confirmation retry's session against the budgets (a refused one is not sent: ./quotaGate.ts). */
  quota?: QuotaGate;
  /** Every sink call that failed is added here when given (the prober's "was the run recorded?"). */
  failures?: SinkFailure[];
  /** Called once a run's artifacts are written (progress lines). */
  onRecorded?: (target: TargetConfig, run: TargetRun) => void;
}

/**
 * A target's probe, analysis, after-run step and artifacts (`onArtifacts` of every sink). `spilling` is the context
 * of the first probe (its answer audio on disk until its turn to publish); a confirmation re-probe runs in
 * `context`. Returns the run ready for its summary, its trace and audio let go. Throws only what
 * {@link probeTargetRun} throws (too late to start) or a deadline.
 */
export async function recordTarget(
  t: TargetConfig,
  index: number,
  context: TargetRunContext,
  spilling: TargetRunContext,
  p: RunPublishing,
): Promise<TargetRun> {
  const { deadlineAt, log } = p;
  const probed = await withDeadline(`target ${t.name}`, msUntil(deadlineAt), () => probeTargetRun(t, index, spilling));
  // from its analysis to its artifacts written a run holds its audio, WAVs, zip and report: a few at a time.
  // Each sink's budget starts when the run's turn comes; the deadline bounds the wait.
  const run = await p.slots.run(async (lease) => {
    let r: TargetRun;
    if ('artifacts' in probed) r = probed;
    else {
      const spillProblem = probed.trace.spilledAudio?.problem;
      if (spillProblem) log.warn(`${t.name}: its answer audio was kept in memory instead of on disk (${spillProblem})`);
      r = await withDeadline(`target ${t.name}`, msUntil(deadlineAt), () => finishTarget(probed, context));
    }
    const afterRun = p.hooks?.afterRun;
    // a confirmation re-probe gives the slot up while it runs, so re-probes never wait on each other's slots
    if (afterRun)
      r = await afterRun(r, t, () =>
        lease.outside(async () => {
          const claim = await p.quota?.claim(t, 'confirm');
          if (claim && !claim.ok) throw new QuotaRefusedError(quotaReason(claim));
          return withDeadline(`target ${t.name}`, msUntil(deadlineAt), () => runTarget(t, index, context));
        }),
      );
    p.onRecorded?.(t, r);
    const failed = await publishTo(p, `artifacts of ${t.name}`, (s, ctx) => s.onArtifacts?.(r.artifacts, ctx));
    p.failures?.push(...failed);
    return r;
  });
  run.artifacts.trace = undefined; // published: let the trace and its audio go
  run.artifacts.html = undefined;
  run.artifacts.confirmations = undefined;
  return run;
}

/**
 * Final runs (their summaries built once, ./groups.ts) to the index, `latest/`, alert state, notifications and
 * telemetry. A muted target is published as usual: its summary says so and its alerts hold their notifications.
 */
export async function publishFinals(runs: readonly RunFinal[], p: RunPublishing): Promise<RunSummary[]> {
  const out: RunSummary[] = [];
  for (const f of runs.map((r) => ({ ...r, summary: withMute(r.summary, p.settings.mutes, p.fc.now()) }))) {
    const failed = await publishTo(p, `summary of ${f.summary.target}`, (s, ctx) => s.onSummary?.(f, ctx));
    p.failures?.push(...failed);
    out.push(f.summary);
    p.log.info(`${f.summary.target}: ${f.summary.verdict}${f.summary.headline ? ` — ${f.summary.headline}` : ''}`);
  }
  return out;
}

/** One hook of every sink, through the round's publisher when there is one. */
function publishTo(p: RunPublishing, what: string, hook: Hook): Promise<SinkFailure[]> {
  return p.publisher ? p.publisher.publish(what, hook) : fanOut(p.sinks, what, hook, p.fc);
}

/** What one run of a round (or one prober message) is: its run id, start, probe deadline, secrets and prices. */
export interface RunFrame {
  runId: string;
  started: Date;
  /** Epoch ms by which the probe must have ended (the rest is for publishing). */
  probeEndAt: number;
  /** Every secret the run learns is added here (the log and all exits scrub them). */
  secrets: Set<string>;
  log: LineLog;
  prices?: PriceTable;
}

/** The view of the composition (./createRound.ts) a target's run needs, for one frame. */
export function targetRunContext(settings: CanarySettings, deps: RoundDeps, f: RunFrame): TargetRunContext {
  const now = deps.now ?? (() => new Date());
  return {
    settings,
    env: deps.env,
    catalog: deps.catalog ?? loadCatalog(),
    credential:
      deps.credential ??
      (() => {
        throw new ConfigError('auth', 'entra targets need a credential');
      }),
    store: deps.store,
    runId: f.runId,
    roundStartedAt: f.started,
    probeEndAt: f.probeEndAt,
    secrets: f.secrets,
    renderReportHtml: deps.renderReportHtml,
    probe: { now, ...deps.probe },
    prices: f.prices,
    baselines: new Map(),
    retirementsFor: modelLookup({ enabled: settings.modelLookup, store: deps.store, now, warn: (m) => f.log.warn(m) }),
  };
}
