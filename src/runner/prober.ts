/**
 * Queue mode's prober (issue 22 §2): one queued probe → the same path a round takes (./publishRun.ts): budget,
 * quota claim, probe, analysis, confirmation and drift, artifacts, then — once a group member has its baseline's
 * report of the same minute (./queueGroups.ts) — index, `latest/`, alert state, notifications and telemetry.
 * A stale message (dequeued past its `notAfter`) is dropped with a log line and a "not probed" index line, never
 * probed late. A service failure is data: the run is published and the message completes. Only an infrastructure
 * fault — the run's artifacts or index line could be written neither to storage nor to the spool — throws
 * ({@link ProbeInfrastructureError}), so the host retries the message (maxDequeueCount) and then poisons it.
 */
import type { CanarySettings } from '../config/settings.js';
import type { TargetConfig } from '../config/targets.js';
import { withDeadline } from '../deadline.js';
import type { ProbeMessage } from '../queue/probeMessage.js';
import { scrubbingLog } from '../realtime/scrubValue.js';
import type { NotProbedKind, RunSummary } from '../runSummary.js';
import { errorText, fanOut, type FanOutContext, type SinkFailure } from '../sinks/fanOut.js';
import type { RunSink } from '../sinks/runSink.js';
import { notProbedSummary } from './budget.js';
import { Slots } from './pool.js';
import { publishFinals, recordTarget, targetRunContext, type RunPublishing } from './publishRun.js';
import { QuotaLedger } from './quota.js';
import { quotaGate, quotaReason } from './quotaGate.js';
import { queueFinals } from './queueGroups.js';
import { publishReserveMs, roundSinks, type RoundDeps } from './round.js';

/** What became of one message. */
export type ProberOutcome =
  | { kind: 'published'; summary: RunSummary }
  | { kind: 'not-probed'; reason: string }
  | { kind: 'dropped'; reason: string };

/** The run's artifacts or index line reached neither storage nor the spool: the message is retried, then poisoned. */
export class ProbeInfrastructureError extends Error {
  override readonly name = 'ProbeInfrastructureError';
}

export interface ProberDeps extends RoundDeps {
  /** The real clock (epoch ms) staleness and waits are judged on (tests inject one). */
  clock?: () => number;
  /** How long a group member waits for its baseline's report of the same minute (default 90 s). */
  baselineWaitMs?: number;
}

/** Runs one probe message through the shared path. `targets` is the configured list (the message names one). */
export async function runProbeMessage(
  settings: CanarySettings,
  targets: readonly TargetConfig[],
  m: ProbeMessage,
  deps: ProberDeps,
): Promise<ProberOutcome> {
  const clock = deps.clock ?? Date.now;
  const secrets = new Set<string>((deps.secrets ?? []).filter((s) => s.length >= 4));
  const log = scrubbingLog(deps.log, () => [...secrets]);
  const target = targets.find((t) => t.name === m.target);
  if (m.region !== settings.region || !target) {
    const reason = !target
      ? `target ${m.target} is not configured any more`
      : `it was planned for region ${m.region}, this app probes from ${settings.region}`;
    log.warn(`probe message of ${m.target} for run ${m.runId} dropped: ${reason}`);
    return { kind: 'dropped', reason };
  }
  const startedAt = new Date(m.runStartedAt);
  const deadlineAt = clock() + settings.roundDeadlineMs;
  const fc: FanOutContext = { log, now: deps.now ?? (() => new Date()), roundStartedAt: startedAt, deadlineAt };
  const built = roundSinks(settings, deps, log, secrets);
  const failures: SinkFailure[] = [];
  // the round-end hooks (dashboard, heartbeat, mutes) are the planner's, once a minute, not every probe's
  const sinks = built.sinks.map((s): RunSink => ({ ...s, onRoundEnd: undefined }));
  try {
    const late = clock() - Date.parse(m.notAfter);
    if (late > 0) {
      const reason = `not probed: stale (dequeued ${Math.round((clock() - Date.parse(m.startAt)) / 1000)} s after its planned start)`;
      log.warn(`${target.name}: ${reason}; its message was dropped`);
      await notProbedLine(sinks, fc, settings, m, target, reason, 'queue');
      return { kind: 'dropped', reason };
    }
    // the message becomes visible at whole seconds: wait out the rest of the jitter (bounded)
    const early = Date.parse(m.startAt) - clock();
    if (early > 0) await new Promise((r) => setTimeout(r, Math.min(early, 60_000)));
    await flushSpool(deps, log);
    const hooks = deps.hooks ?? {};
    const plan = hooks.plan ? await hooks.plan([target], { runId: m.runId, startedAt }) : undefined;
    const held = plan?.skipped.find((s) => s.target === target.name);
    if (held) {
      if (held.summary)
        await fanOut(sinks, `not-probed line of ${target.name}`, (k, ctx) => k.onNotProbed?.(held.summary!, ctx), fc);
      log.warn(`${target.name}: not probed: ${held.reason}`);
      return { kind: 'not-probed', reason: held.reason };
    }
    const probeEndAt = deadlineAt - publishReserveMs(settings.roundDeadlineMs);
    const quota =
      deps.quota ??
      quotaGate({
        ledger: new QuotaLedger({ store: deps.store, targets, quota: settings.quota, warn: (w) => log.warn(w) }),
        now: fc.now,
        // a per-minute budget may hold the start back, never past the message's notAfter (on the real clock)
        latestStartAt: () =>
          Math.min(probeEndAt - settings.turnTimeoutMs, Date.parse(m.notAfter) - clock() + Date.now()),
      });
    const claim = await quota.claim(target, 'probe');
    if (!claim.ok) {
      const reason = quotaReason(claim);
      log.warn(`${target.name}: ${reason}`);
      await notProbedLine(sinks, fc, settings, m, target, reason, 'quota');
      return { kind: 'not-probed', reason };
    }
    log.info(`probe of ${target.name} for run ${m.runId} starting`);
    const p: RunPublishing = {
      settings,
      sinks,
      fc,
      log,
      hooks,
      quota,
      slots: new Slots(1),
      deadlineAt,
      failures,
    };
    const frame = { runId: m.runId, started: startedAt, probeEndAt, secrets, log, prices: plan?.prices };
    const context = targetRunContext(settings, deps, frame);
    const run = await recordTarget(target, 0, context, context, p);
    const finals = await queueFinals(target, run, targets, {
      store: deps.store,
      region: settings.region,
      runId: m.runId,
      runStartedAt: startedAt,
      waitMs: Math.min(deps.baselineWaitMs ?? 90_000, Math.max(0, deadlineAt - clock() - 10_000)),
      log,
    });
    const [summary] = await publishFinals(finals, p);
    await withDeadline('after-run step', Math.max(1_000, deadlineAt - clock()), async () =>
      hooks.end?.([summary!]),
    ).catch((err: unknown) => log.warn(`end-of-run step failed: ${errorText(err)}`));
    const lost = failures.filter((f) => f.sink === 'artifacts' || f.sink === 'index');
    if (lost.length)
      throw new ProbeInfrastructureError(
        `${target.name}: the run could not be recorded (${lost.map((f) => `${f.sink}: ${f.reason}`).join('; ')})`,
      );
    return { kind: 'published', summary: summary! };
  } finally {
    await Promise.all(
      built.sinks.map((s) =>
        s.close
          ? withDeadline(`closing the ${s.name} sink`, 5_000, () => s.close!()).catch((err: unknown) =>
              log.warn(errorText(err)),
            )
          : undefined,
      ),
    );
  }
}

async function notProbedLine(
  sinks: readonly RunSink[],
  fc: FanOutContext,
  settings: CanarySettings,
  m: ProbeMessage,
  t: TargetConfig,
  reason: string,
  kind: NotProbedKind,
): Promise<void> {
  const line = notProbedSummary(new Date(m.runStartedAt), m.runId, settings.region, t, reason, kind);
  await fanOut(sinks, `not-probed line of ${t.name}`, (k, ctx) => k.onNotProbed?.(line, ctx), fc);
}

/** Artifacts spooled by an earlier message on this instance go up first (bounded; the rest waits). */
async function flushSpool(deps: ProberDeps, log: { info(m: string): void; warn(m: string): void }): Promise<void> {
  const flush = deps.store.flush;
  if (!flush) return;
  await withDeadline('spool upload', 10_000, () => flush()).then(
    (f) => f.uploaded > 0 && log.info(`spool: uploaded ${f.uploaded} artifact(s) from earlier runs`),
    (err: unknown) => log.warn(`spool upload stopped: ${errorText(err)}; the rest waits for the next message`),
  );
}
