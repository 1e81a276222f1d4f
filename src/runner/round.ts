/**
 * One scheduled round: every target probed concurrently (bounded), within an overall deadline; each run
 * analysed, compared with its group's baseline, written to the artifact store, then alert state updated and
 * notifications delivered, then telemetry. Artifacts are written before any alert goes out.
 */
import type { TokenCredential } from '@azure/identity';
import { analyzeTrace, type DetectionConfig, type DetectionHistory, historySamples, type HistorySample } from '../analysis/index.js';
import { buildReport, type Report } from '../analysis/report.js';
import type { CanarySettings } from '../config/settings.js';
import type { TargetConfig } from '../config/targets.js';
import { ConfigError } from '../errors.js';
import { loadCatalog, resolvePrompts, type PromptSpec } from '../probe/prompts.js';
import { newRunId, runProbe, targetSecrets, type ProbeOptions } from '../probe/session.js';
import type { Trace } from '../probe/trace.js';
import { applyRun, deliverPending } from '../sinks/alertStore.js';
import type { Notification } from '../sinks/alertState.js';
import type { ArtifactStore } from '../sinks/artifactStore.js';
import { runPaths, safeSegment } from '../sinks/layout.js';
import type { RunSummary } from '../sinks/runSummary.js';
import { noTelemetry, type Telemetry } from '../sinks/telemetry.js';
import { compareGroups } from './comparison.js';
import { runPool } from './pool.js';
import { probeTarget } from './probeTarget.js';
import { publishRun } from './publish.js';
import { summarize } from './summarize.js';
import { roundPrices } from '../cost/roundPrices.js';
import { isBudgetRefusal, planRoundBudget, recordNotProbed } from './budget.js';
import { assessDrift, withDrift } from './driftStep.js';
import { attemptCosts, probeConfirmed, publishConfirmations, withConfirmation, type Attempt } from './confirm.js';

export interface RoundLog {
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

export interface RoundDeps {
  store: ArtifactStore & { flush?: () => Promise<{ uploaded: number; remaining: number }> };
  env: Record<string, string | undefined>;
  log: RoundLog;
  /** Delivers one notification; resolves true when delivered. Never throws for remote failures. */
  notify: (n: Notification) => Promise<boolean>;
  telemetry?: Telemetry;
  credential?: () => TokenCredential;
  now?: () => Date;
  catalog?: PromptSpec[];
  renderReportHtml?: (report: Report, trace: Trace) => string;
  /** Called at the end of the round, e.g. to regenerate the dashboard. */
  afterRound?: (result: RoundResult) => Promise<void>;
  /** Extra probe options (tests, the local demo). */
  probe?: Partial<ProbeOptions>;
  /** Progress lines (target m of M). */
  onProgress?: (line: string) => void;
}

export interface TargetOutcome {
  summary: RunSummary;
  report: Report;
}

export interface RoundResult {
  runId: string;
  startedAt: string;
  durationMs: number;
  outcomes: TargetOutcome[];
  /** Targets that could not be probed before the deadline or whose configuration failed. */
  notProbed: { target: string; reason: string }[];
  notificationsDelivered: number;
  notificationsPending: number;
}

const HISTORY_KEEP = 50;

export async function runRound(settings: CanarySettings, targets: readonly TargetConfig[], deps: RoundDeps): Promise<RoundResult> {
  const now = deps.now ?? (() => new Date());
  const started = now();
  const runId = newRunId(started);
  // the deadline runs on the real clock; `now` (injectable) only stamps runs and drives the alert rules
  const deadlineAt = Date.now() + settings.roundDeadlineMs;
  const { log } = deps;
  const telemetry = deps.telemetry ?? noTelemetry;
  log.info(`round ${runId}: ${targets.length} target(s) from ${settings.region}, concurrency ${settings.concurrency}`);

  if (deps.store.flush) {
    const f = await deps.store.flush();
    if (f.uploaded > 0 || f.remaining > 0) log.info(`spool: uploaded ${f.uploaded} artifact(s) from earlier runs, ${f.remaining} still waiting`);
  }

  const catalog = deps.catalog ?? loadCatalog();
  const prices = await roundPrices(deps.store, settings, (m) => log.warn(m));
  const credential = deps.credential ?? (() => { throw new ConfigError('auth', 'entra targets need a credential'); });
  let finished = 0;
  const budget = await planRoundBudget({ store: deps.store, settings, targets, runId, now, prices, catalog, notify: deps.notify, warn: (m) => log.warn(m) });
  const results = await runPool(targets, settings.concurrency, deadlineAt, async (t, i) => {
    const refused = budget.refusal(t.name);
    if (refused) throw new Error(refused);
    const target = probeTarget(t, i, deps.env, settings.region, credential);
    const prompts = resolvePrompts(t.prompts ?? settings.prompts, catalog);
    const history = await readHistory(deps.store, settings.region, t.name).catch(() => undefined);
    const once = async (): Promise<Attempt> => {
      const remaining = deadlineAt - Date.now();
      // a session squeezed below one turn's deadline would fail by our own doing: skip it, and say so
      if (remaining < settings.turnTimeoutMs) throw new Error(`only ${Math.round(remaining / 1000)} s of the round deadline left, less than one turn's deadline`);
      const trace = await runProbe(target, {
        prompts, turns: t.turns ?? settings.turns, runId, insecureTls: t.insecureTls,
        turnTimeoutMs: Math.min(settings.turnTimeoutMs, remaining), sessionTimeoutMs: Math.min(settings.sessionTimeoutMs, remaining),
        ...deps.probe,
      });
      return { trace, analysis: analyzeTrace(trace, settings.thresholds as Partial<DetectionConfig>, history) };
    };
    // a failing probe is confirmed before it counts, within the deadline and the budget
    const attempts = await probeConfirmed(once, settings.confirmRetries, async (n) => deadlineAt - Date.now() >= settings.turnTimeoutMs && (await budget.reserveConfirmation(t.name, n)));
    const { trace, analysis } = attempts[0]!;
    deps.onProgress?.(`target ${++finished} of ${targets.length}: ${t.name} → ${attempts.at(-1)!.analysis.verdict}`);
    return { target, trace, analysis, attempts };
  });

  // comparison needs every report of the round, so reports are built first, then published
  const done = results.flatMap((r, i) => (r.status === 'done' ? [{ cfg: targets[i]!, ...r.value, report: withConfirmation(buildReport(r.value.trace, r.value.analysis, { prices }), r.value.attempts, prices) }] : []));
  const comparisons = compareGroups(done.map((d) => ({ name: d.cfg.name, group: d.cfg.group, baseline: d.cfg.baseline ?? false, report: d.report })));
  const notProbed = results.flatMap((r, i) =>
    r.status === 'done' ? [] : [{ target: targets[i]!.name, reason: r.status === 'not-started' ? 'round deadline reached before it started' : errorText(r.error) }],
  );
  for (const n of notProbed) log.error(`target ${n.target} not probed: ${n.reason}`);
  for (const [i, r] of results.entries()) if (r.status === 'failed' && isBudgetRefusal(errorText(r.error))) await recordNotProbed(deps.store, started, runId, settings.region, targets[i]!, errorText(r.error)).catch((err: unknown) => log.warn(`index line for ${targets[i]!.name} not written: ${errorText(err)}`));

  const drift = await assessDrift(deps.store, settings.region, done.map((d) => ({ name: d.cfg.name, group: d.cfg.group, baseline: d.cfg.baseline, trace: d.trace, report: d.report })), (m) => log.warn(m));
  const outcomes: TargetOutcome[] = [];
  for (const d of done) {
    const comparison = comparisons.get(d.cfg.name);
    const report = withDrift(comparison ? { ...d.report, comparison: [comparison] } : d.report, drift.get(d.cfg.name));
    const paths = runPaths(runId, started, settings.region, d.cfg.name);
    const summary = summarize(report, settings.region, d.cfg, paths);
    const secrets = targetSecrets(d.target);
    await publishRun(deps.store, { trace: d.trace, report, summary, paths, roundStartedAt: started, secrets, html: deps.renderReportHtml?.(report, d.trace) });
    await publishConfirmations(deps.store, paths, d.attempts, d.attempts.map((a) => buildReport(a.trace, a.analysis, { prices })), secrets);
    await rememberHealthy(deps.store, settings.region, d.cfg.name, historySamples(report)).catch((err: unknown) => log.warn(`history for ${d.cfg.name} not updated: ${errorText(err)}`));
    outcomes.push({ summary, report });
    log.info(`${d.cfg.name}: ${summary.verdict}${summary.headline ? ` — ${summary.headline}` : ''}`);
  }

  // targets that never reached the service (configuration, deadline) cost nothing: release their reservation
  const unspent = results.flatMap((r, i) => (r.status !== 'done' && !(r.status === 'failed' && isBudgetRefusal(errorText(r.error))) ? [{ target: targets[i]!.name, attempt: 1, usd: 0 }] : []));
  await budget.settle([...done.flatMap((d) => attemptCosts(d.cfg.name, d.attempts, prices)), ...unspent]);

  let delivered = 0;
  let pending = 0;
  for (const { summary } of outcomes) {
    try {
      await applyRun(deps.store, summary, now(), { k: settings.alertRule.k, n: settings.alertRule.n, reminderHours: settings.alertRule.reminderHours });
      const r = await deliverPending(deps.store, settings.region, summary.target, deps.notify, now);
      delivered += r.delivered.length;
      pending += r.pending.length;
    } catch (err) {
      log.error(`alert state for ${summary.target} not updated: ${errorText(err)}`);
    }
    telemetry.trackRun(summary);
  }
  await telemetry.flush().catch((err: unknown) => log.warn(`telemetry flush failed: ${errorText(err)}`));

  const result: RoundResult = { runId, startedAt: started.toISOString(), durationMs: now().getTime() - started.getTime(), outcomes, notProbed, notificationsDelivered: delivered, notificationsPending: pending };
  if (deps.afterRound) await deps.afterRound(result).catch((err: unknown) => log.warn(`after-round step failed: ${errorText(err)}`));
  log.info(`round ${runId} done in ${(result.durationMs / 1000).toFixed(1)} s: ${outcomes.filter((o) => o.summary.verdict === 'pass').length} pass, ${outcomes.filter((o) => o.summary.verdict !== 'pass').length} not passing, ${notProbed.length} not probed; ${delivered} notification(s) delivered, ${pending} pending`);
  return result;
}

export function historyPath(region: string, target: string): string {
  return `history/${safeSegment(region)}/${safeSegment(target)}.json`;
}

async function readHistory(store: ArtifactStore, region: string, target: string): Promise<DetectionHistory | undefined> {
  const samples = await store.readJson<HistorySample[]>(historyPath(region, target));
  return samples ? { target, samples } : undefined;
}

async function rememberHealthy(store: ArtifactStore, region: string, target: string, samples: HistorySample[]): Promise<void> {
  if (samples.length === 0) return;
  await store.updateJson<HistorySample[]>(historyPath(region, target), (cur) => [...(cur ?? []), ...samples].slice(-HISTORY_KEEP));
}

function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

