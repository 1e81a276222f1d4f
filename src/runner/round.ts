/**
 * One scheduled round: every target probed concurrently (bounded) and each run published as soon as its probe
 * ends (streaming: artifacts first, then — once its group's comparison is known — index, alerts, telemetry),
 * through one fan-out over the sinks (../sinks/fanOut.ts), durable writes before notifications (./publisher.ts):
 * a failing or hanging sink, or a hostile target, never stops the others, and no storage call stands in front of
 * the first probe. Time is bounded end to end: probes must end by `probeEndAt`, every sink call has its
 * own budget, and the round returns by its deadline (derived from the Functions timeout, see ../config). When it
 * is over, whatever happened, it closes its sinks (a sink may own a client, like telemetry's).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { LineLog } from '../log.js';
import type { TokenCredential } from '@azure/identity';
import type { Report } from '../analysis/report.js';
import type { CanarySettings } from '../config/settings.js';
import type { TargetConfig } from '../config/targets.js';
import { msUntil, withDeadline } from '../deadline.js';
import type { PromptSpec } from '../prompts/catalog.js';
import type { ProbeOptions } from '../probe/options.js';
import { newRunId } from '../probe/session.js';
import type { Trace } from '../trace/trace.js';
import { seconds } from '../report/format.js';
import type { RunHtmlOptions } from '../report/runHtml.js';
import type { RunSummary } from '../runSummary.js';
import type { AlertStats } from '../sinks/alerts/alertSink.js';
import type { Channel } from '../sinks/alerts/channels.js';
import { createSinks } from '../sinks/createSinks.js';
import { errorText, fanOut, type FanOutContext } from '../sinks/fanOut.js';
import type { RunFinal, RunSink } from '../sinks/runSink.js';
import { scrubbingLog } from '../realtime/scrubValue.js';
import type { Telemetry } from '../sinks/telemetry.js';
import type { ArtifactStore } from '../store/artifactStore.js';
import { roundIntake } from './fairRound.js';
import { GroupBarrier } from './groups.js';
import { notificationReserveMs, publisher as roundPublisher, uploadSpool } from './publisher.js';
import { loadCatalog } from '../prompts/catalog.js';
import { QuotaRefusedError, quotaReason, type QuotaGate } from './quotaGate.js';
import { readRotation } from './roundSelection.js';
import type { RoundHooks, RoundInfo, RoundPlan } from './hooks.js';
import { runPool, Slots } from './pool.js';
import { publishFinals, recordTarget, targetRunContext, type RunPublishing } from './publishRun.js';
import type { TargetRun } from './targetRun.js';

/** The store a round reads history from and writes through (the spool wrapper adds flush and markUnavailable). */
export type RoundStore = ArtifactStore & {
  flush?: () => Promise<{ uploaded: number; remaining: number; deadLetters?: number }>;
  markUnavailable?: (reason: string) => void;
};

export interface RoundDeps {
  store: RoundStore;
  env: Record<string, string | undefined>;
  log: LineLog;
  /**
   * The sinks to publish to (the round closes them when it is over); default: {@link createSinks} from the
   * settings, the store, `channels` and `telemetry`.
   */
  sinks?: RunSink[];
  /** Alert counters the given `sinks` update (with `sinks`). */
  stats?: AlertStats;
  /** Where notifications go (used when `sinks` is not given); default: the channels of the settings. */
  channels?: readonly Channel[];
  /** Replaces the telemetry client the settings would make (used when `sinks` is not given). */
  telemetry?: Telemetry;
  credential?: () => TokenCredential;
  now?: () => Date;
  catalog?: PromptSpec[];
  /** report.html of a run; `options` carries its links and the same-round baseline (see ../report/runLinks.ts). */
  renderReportHtml?: (report: Report, trace: Trace, options?: RunHtmlOptions) => string;
  /** Called at the end of the round (bounded like a sink). */
  afterRound?: (result: RoundResult) => Promise<void>;
  /** Plan and after-run steps (budgets, confirm-retry). */
  hooks?: RoundHooks;
  /** Extra probe options (tests, the local demo). */
  probe?: Partial<ProbeOptions>;
  /** Progress lines (target m of M). */
  onProgress?: (line: string) => void;
  /** Claims session starts against the budgets (default: a gate over the settings' budgets and this store). */
  quota?: QuotaGate;
  /** Secret values from the settings (webhook URL, connection strings) to scrub from every exit. */
  secrets?: readonly string[];
  /** Aborted at the round's hard deadline (the store's operations listen to it). */
  signal?: AbortSignal;
  /**
   * Where the round keeps answer audio while sessions run, in a folder of its own that it removes at the end
   * (see ../probe/audioSpill.ts). Default: the OS temporary folder (`TMPDIR`).
   */
  tempDir?: string;
}

export interface TargetOutcome {
  summary: RunSummary;
}

export interface RoundResult {
  runId: string;
  startedAt: string;
  durationMs: number;
  outcomes: TargetOutcome[];
  /** Targets that could not be probed before the deadline, or that the plan held back. */
  notProbed: { target: string; reason: string }[];
  notificationsDelivered: number;
  notificationsPending: number;
  /** Spooled writes the store refused, waiting in the spool's dead/ folder (retried with backoff). */
  spoolDeadLetters?: number;
}

/** How many finished probes may write their artifacts at once: a quarter of the probe concurrency, at least 2. */
export function publishConcurrency(concurrency: number): number {
  return Math.max(2, Math.ceil(concurrency / 4));
}

/** Time kept after the last probe for publishing, alerting, telemetry and the dashboard. */
export function publishReserveMs(roundDeadlineMs: number): number {
  return Math.min(90_000, Math.max(3_000, Math.round(roundDeadlineMs * 0.2)));
}

export async function runRound(
  settings: CanarySettings,
  targets: readonly TargetConfig[],
  deps: RoundDeps,
): Promise<RoundResult> {
  const secrets = new Set<string>((deps.secrets ?? []).filter((s) => s.length >= 4));
  const log = scrubbingLog(deps.log, () => [...secrets]);
  const built = roundSinks(settings, deps, log, secrets);
  try {
    return await round(settings, targets, deps, { secrets, log, built });
  } finally {
    const close = async (s: RunSink): Promise<void> => {
      if (s.close)
        await withDeadline(`closing the ${s.name} sink`, 5_000, () => s.close!()).catch((err: unknown) =>
          log.warn(errorText(err)),
        );
    };
    await Promise.all(built.sinks.map(close));
  }
}

/** The sinks a round (or one queued probe) publishes to: the ones given, or those the settings make. */
export function roundSinks(
  settings: CanarySettings,
  deps: RoundDeps,
  log: LineLog,
  secrets: ReadonlySet<string>,
): { sinks: RunSink[]; stats: AlertStats } {
  if (deps.sinks) return { sinks: deps.sinks, stats: deps.stats ?? { delivered: 0, pending: 0 } };
  return createSinks(settings, {
    store: deps.store,
    env: deps.env,
    telemetry: deps.telemetry,
    log,
    channels: deps.channels,
    secrets: () => [...secrets],
    catalog: deps.catalog,
  });
}

/** What a round publishes through: its sinks, its log and the secrets both scrub. */
interface Publishing {
  secrets: Set<string>;
  log: LineLog;
  built: { sinks: RunSink[]; stats: AlertStats };
}

async function round(
  settings: CanarySettings,
  targets: readonly TargetConfig[],
  deps: RoundDeps,
  { secrets, log, built }: Publishing,
): Promise<RoundResult> {
  const now = deps.now ?? (() => new Date());
  const started = now();
  const startedMs = Date.now();
  const runId = newRunId(started);
  // the deadline runs on the real clock; `now` (injectable) only stamps runs and drives the alert rules
  const deadlineAt = startedMs + settings.roundDeadlineMs;
  const probeEndAt = deadlineAt - publishReserveMs(settings.roundDeadlineMs);
  const fc: FanOutContext = { log, now, roundStartedAt: started, deadlineAt, signal: deps.signal };
  // earlier rounds' spooled writes are uploaded beside the first probes; this round's durable writes wait for them
  const spool = uploadSpool(
    deps.store,
    Math.min(60_000, Math.max(1_000, probeEndAt - Date.now() - settings.turnTimeoutMs)),
    log,
  );
  const publisher = roundPublisher(built.sinks, fc, {
    ready: spool,
    notifyEndAt: deadlineAt - notificationReserveMs(settings.roundDeadlineMs),
    notifying: settings.concurrency,
  });
  log.info(
    `round ${runId}: ${targets.length} target(s) from ${settings.region}, concurrency ${settings.concurrency}, ` +
      `deadline ${Math.round(settings.roundDeadlineMs / 1000)} s`,
  );
  for (const p of settings.problems ?? []) log.error(`configuration error: ${p.message}`);
  const rotation = readRotation(deps.store, settings.region); // awaited only by a full round, briefly

  const catalog = deps.catalog ?? loadCatalog();
  const intake = await roundIntake(
    {
      settings,
      targets,
      store: deps.store,
      catalog,
      runId,
      started,
      now,
      probeEndAt,
      log,
      // written beside the probes, not in front of them
      publishLine: (line) =>
        publisher.publish(`not-probed line of ${line.target}`, (k, ctx) => k.onNotProbed?.(line, ctx)),
      quota: deps.quota,
    },
    rotation,
  );
  const plan = await planRound(intake.selection.probe, deps.hooks, log, { runId, startedAt: started });
  const barrier = new GroupBarrier(plan.probe);
  const outcomes: TargetOutcome[] = [];
  let finished = 0;
  const p: RunPublishing = {
    settings,
    sinks: built.sinks,
    fc,
    publisher,
    log,
    hooks: deps.hooks,
    quota: intake.gate,
    slots: new Slots(publishConcurrency(settings.concurrency)),
    deadlineAt,
    onRecorded: (t, r) =>
      deps.onProgress?.(`target ${++finished} of ${plan.probe.length}: ${t.name} → ${r.artifacts.report.verdict}`),
  };
  const publish = async (runs: RunFinal[]): Promise<void> => {
    for (const summary of await publishFinals(runs, p)) outcomes.push({ summary });
  };
  const frame = { runId, started, probeEndAt, secrets, log, prices: plan.prices };
  const context = targetRunContext(settings, { ...deps, catalog }, frame);
  void intake.publishLines(plan.skipped.flatMap((s) => s.summary ?? []));
  const spillDir = await mkdtemp(join(deps.tempDir ?? tmpdir(), 'realtime-canary-audio-')).catch((err: unknown) => {
    log.warn(`answer audio stays in memory this round: no temporary folder (${errorText(err)})`);
    return undefined;
  });
  // first probes keep their answer audio on disk until their turn to publish; confirmation re-probes keep it in memory
  const spilling = spillDir ? { ...context, audioSpillDir: spillDir } : context;
  const results = await runPool(plan.probe, settings.concurrency, probeEndAt, async (t, i) => {
    let run: TargetRun;
    const claim = await intake.gate.claim(t, 'probe');
    if (!claim.ok) {
      await publish(barrier.abandon(t));
      void intake.publishLines([intake.line(t, quotaReason(claim), 'quota')]);
      throw new QuotaRefusedError(quotaReason(claim));
    }
    try {
      run = await recordTarget(t, i, context, spilling, p);
    } catch (err) {
      await publish(barrier.abandon(t));
      throw err;
    }
    await publish(barrier.arrive(t, run));
  });
  // sessions abandoned at a deadline leave their spill files behind
  if (spillDir) await rm(spillDir, { recursive: true, force: true }).catch(() => undefined);
  await publish(barrier.drain());
  const heldBack = await intake.finish(plan.probe, results); // the targets the deadline cut get their lines too
  await intake.written();
  await publisher.settled();
  // published as each probe ended; reported in the configured order, so tables and results read the same every round
  const order = new Map(targets.map((t, i) => [t.name, i]));
  outcomes.sort((a, b) => (order.get(a.summary.target) ?? 0) - (order.get(b.summary.target) ?? 0));
  const end = deps.hooks?.end;
  if (end)
    await withDeadline('end-of-round step', msUntil(deadlineAt), () => end(outcomes.map((o) => o.summary))).catch(
      (err: unknown) => log.warn(`end-of-round step failed: ${errorText(err)}`),
    );

  const notProbed = [...plan.skipped.map((s) => ({ target: s.target, reason: s.reason })), ...heldBack];
  const full = new Set(intake.selection.full.map((t) => t.name)); // logged in one line by the intake
  for (const n of notProbed) if (!full.has(n.target)) log.error(`target ${n.target} not probed: ${n.reason}`);

  await fanOut(
    built.sinks,
    'end of round',
    (s, ctx) => s.onRoundEnd?.({ runId, summaries: outcomes.map((o) => o.summary) }, ctx),
    fc,
  );
  const stats = built.stats;
  const result: RoundResult = {
    runId,
    startedAt: started.toISOString(),
    durationMs: Date.now() - startedMs,
    outcomes,
    notProbed,
    notificationsDelivered: stats.delivered,
    notificationsPending: stats.pending,
    spoolDeadLetters: (await spool).deadLetters,
  };
  const afterRound = deps.afterRound;
  if (afterRound)
    await withDeadline('after-round step', msUntil(deadlineAt), () => afterRound(result)).catch((err: unknown) =>
      log.warn(`after-round step failed: ${errorText(err)}`),
    );
  const passing = outcomes.filter((o) => o.summary.verdict === 'pass').length;
  log.info(
    `round ${runId} done in ${seconds(result.durationMs)}: ${passing} pass, ${outcomes.length - passing} not passing, ` +
      `${notProbed.length} not probed; ${stats.delivered} notification(s) delivered, ${stats.pending} pending` +
      (result.spoolDeadLetters ? `; ${result.spoolDeadLetters} spooled write(s) dead-lettered` : ''),
  );
  return result;
}

/** The plan step, if any; a plan that fails probes everything (and says so) rather than nothing. */
async function planRound(
  targets: readonly TargetConfig[],
  hooks: RoundHooks | undefined,
  log: LineLog,
  round: RoundInfo,
): Promise<RoundPlan> {
  if (!hooks?.plan) return { probe: [...targets], skipped: [] };
  try {
    return await hooks.plan(targets, round);
  } catch (err) {
    log.error(`the round's plan step failed (${errorText(err)}); probing every target`);
    return { probe: [...targets], skipped: [] };
  }
}
