/**
 * Queue mode's planner (issue 22 §2), run by the timer once a minute instead of a round. Under the region's blob
 * lease (an overlapping invocation enqueues nothing) it claims its window in the planner state (./plannerWindow.ts:
 * a retried or overlapping planner never plans one probe twice), enqueues one message per probe due in it — the
 * jittered start as the message's initial visibility delay, `notAfter` = start + CANARY_PROBE_LATE_MS — and then,
 * at most once a minute, runs the end-of-round step the probers skip: heartbeat and watchdog, mutes, the poison
 * queue's card, and the dashboard regenerated from the index. It claims no budget: the prober does, before each probe. A probe it could
 * not enqueue gets a "not probed: queue" index line, so every due probe ends as one line. One log line a minute
 * says what was due, enqueued and skipped (with reasons). Storage and queue faults are logged naming the setting
 * to check, and every call is bounded: the planner ends within {@link PLANNER_DEADLINE_MS}.
 */
import type { CanarySettings } from '../config/settings.js';
import type { TargetConfig } from '../config/targets.js';
import { msUntil, withDeadline } from '../deadline.js';
import type { LineLog } from '../log.js';
import { MINUTE_MS, probeMessage, runIdOfMinute, type ProbeMessage } from '../queue/probeMessage.js';
import type { ProbeQueue } from '../queue/probeQueue.js';
import { summariesFromIndex } from '../report/fleetData.js';
import type { RunSummary } from '../runSummary.js';
import { errorText, fanOut, type FanOutContext } from '../sinks/fanOut.js';
import type { RunSink } from '../sinks/runSink.js';
import type { ArtifactStore } from '../store/artifactStore.js';
import type { BlobLease } from '../store/blobLease.js';
import { dailyIndexPath, plannerStatePath } from '../store/layout.js';
import { notProbedSummary } from './budget.js';
import { runPool } from './pool.js';
import { claimWindow, plannedProbes, type PlannerClaim, type PlannerState } from './plannerWindow.js';
import { roundWindow } from './roundSelection.js';

/** The planner's whole invocation ends by then (it runs every minute). */
export const PLANNER_DEADLINE_MS = 50_000;
/** Budget of the lease and of the state's claim, each. */
const STATE_BUDGET_MS = 10_000;
/** Budget of one enqueue (the SDK's retries included). */
const SEND_BUDGET_MS = 10_000;
const SEND_CONCURRENCY = 16;
/**
 * A message lives this long after its `notAfter`: a backlog is dequeued late and dropped as stale with an index
 * line, not expired unseen; one no prober reached in a day expires.
 */
export const MESSAGE_TTL_AFTER_STALE_MS = 86_400_000;

export interface PlannerDeps {
  store: ArtifactStore;
  queue: ProbeQueue;
  lease: BlobLease;
  log: LineLog;
  /** The end-of-round sinks (watchdog, mutes, poison queue, dashboard: ../sinks/createSinks.ts `endOfRoundSinks`). */
  sinks: readonly RunSink[];
  /** Names this invocation in the planner state (the host's invocation id). */
  invocationId: string;
  /** Epoch ms (tests inject one); visibility delays are measured on it. */
  clock?: () => number;
}

export interface PlannerResult {
  /** `lease-held`: another planner runs; this one did nothing. */
  kind: 'planned' | 'lease-held';
  fromMs?: number;
  toMs?: number;
  due: number;
  enqueued: number;
  /** Reason → count (probes of the window not enqueued, members planned without their baseline, missed starts). */
  skipped: Record<string, number>;
  /** Whether this invocation ran the minute's end-of-round step. */
  ranSinks: boolean;
}

/** A storage or queue fault, logged naming the setting to check; the invocation fails with it. */
export class PlannerInfrastructureError extends Error {
  override readonly name = 'PlannerInfrastructureError';
}

export async function runPlanner(
  settings: CanarySettings,
  targets: readonly TargetConfig[],
  deps: PlannerDeps,
): Promise<PlannerResult> {
  const { log, store, queue, lease } = deps;
  const clock = deps.clock ?? Date.now;
  const region = settings.region;
  const deadlineAt = Date.now() + PLANNER_DEADLINE_MS;
  const fault = (what: string, setting: string, err: unknown): PlannerInfrastructureError => {
    const e = new PlannerInfrastructureError(
      `planner ${region}: ${what} failed (${errorText(err)}); nothing more is planned this minute — check ${setting}`,
    );
    log.error(e.message);
    return e;
  };
  const held = await withDeadline(`the planner lease ${lease.description}`, STATE_BUDGET_MS, (signal) =>
    lease.tryAcquire(60, signal),
  ).catch((err: unknown) => {
    throw fault(`taking the lease ${lease.description}`, storageSetting(settings), err);
  });
  if (!held) {
    log.info(`planner ${region}: another planner holds ${lease.description}; this one enqueues nothing`);
    return { kind: 'lease-held', due: 0, enqueued: 0, skipped: {}, ranSinks: false };
  }
  try {
    let claim: PlannerClaim | undefined;
    await withDeadline('the planner state', STATE_BUDGET_MS, () =>
      store.updateJson<PlannerState>(plannerStatePath(region), (current) => {
        claim = claimWindow(current, clock(), deps.invocationId);
        return claim.state;
      }),
    ).catch((err: unknown) => {
      throw fault(`claiming its window in ${plannerStatePath(region)}`, storageSetting(settings), err);
    });
    const c = claim!;
    const everyMs = roundWindow(settings.schedule, new Date(clock())).everyMs;
    const { due, withoutBaseline } = plannedProbes(targets, c.fromMs, c.toMs, everyMs);
    const skipped: Record<string, number> = {};
    const count = (reason: string, n = 1): void => void (n > 0 && (skipped[reason] = (skipped[reason] ?? 0) + n));
    if (c.missed) {
      const missed = plannedProbes(targets, c.missed.fromMs, c.missed.toMs, everyMs).due.length;
      count(`missed (no planner ran ${iso(c.missed.fromMs)}–${iso(c.missed.toMs)})`, missed);
    }
    if (c.toMs <= c.fromMs) count('window already planned by another invocation');
    count(
      "group member without its baseline in its minute (its every is not a multiple of the baseline's)",
      withoutBaseline.length,
    );
    const messages = due.map((p) => ({
      target: p.target,
      m: probeMessage(region, p.target.name, p.startAt, settings.queue!.lateMs),
    }));
    const failed = await enqueue(messages, queue, clock, deadlineAt);
    for (const reason of failed.values()) count(`not enqueued: ${reason}`);
    if (failed.size) {
      log.error(
        `planner ${region}: ${failed.size} of ${due.length} probe(s) could not be enqueued on ${queue.description} ` +
          `(${[...new Set(failed.values())].join('; ')}) — check ${queueSetting(settings)}; each gets a "not probed: queue" line`,
      );
      await notEnqueuedLines(messages, failed, deps, deadlineAt);
    }
    const enqueued = due.length - failed.size;
    log.info(
      `planner ${region} ${iso(c.fromMs)}–${iso(c.toMs)}: ${due.length} due, ${enqueued} enqueued, ` +
        `${Object.values(skipped).reduce((a, b) => a + b, 0)} skipped` +
        (Object.keys(skipped).length
          ? ` (${Object.entries(skipped)
              .map(([r, n]) => `${n} ${r}`)
              .join('; ')})`
          : ''),
    );
    if (c.sinks) await endOfRound(c, deps, settings, clock, deadlineAt);
    return { kind: 'planned', fromMs: c.fromMs, toMs: c.toMs, due: due.length, enqueued, skipped, ranSinks: c.sinks };
  } finally {
    await withDeadline('releasing the planner lease', 5_000, (signal) => held.release(signal)).catch((err: unknown) =>
      log.warn(`planner ${region}: the lease was not released (${errorText(err)}); it expires within 60 s`),
    );
  }
}

/** Sends every message (bounded concurrency, each bounded); returns the ones not sent, with why. */
async function enqueue(
  messages: readonly { m: ProbeMessage }[],
  queue: ProbeQueue,
  clock: () => number,
  deadlineAt: number,
): Promise<Map<number, string>> {
  const failed = new Map<number, string>();
  if (!messages.length) return failed;
  const ready = await withDeadline(`creating ${queue.description}`, SEND_BUDGET_MS, (signal) =>
    queue.ensure(signal),
  ).then(
    () => undefined,
    (err: unknown) => errorText(err),
  );
  if (ready) {
    messages.forEach((_, i) => failed.set(i, ready));
    return failed;
  }
  const results = await runPool(messages, SEND_CONCURRENCY, deadlineAt, ({ m }) => {
    const startAt = Date.parse(m.startAt);
    const ttl = Date.parse(m.notAfter) - clock() + MESSAGE_TTL_AFTER_STALE_MS;
    return withDeadline(`enqueueing ${m.target}`, Math.min(SEND_BUDGET_MS, msUntil(deadlineAt)), (signal) =>
      queue.send(m, startAt - clock(), ttl, signal),
    );
  });
  results.forEach((r, i) => {
    if (r.status === 'failed') failed.set(i, errorText(r.error));
    else if (r.status === 'not-started') failed.set(i, 'the planner ran out of time');
  });
  return failed;
}

/** A "not probed: queue" index line for each probe not enqueued, in its own run (bounded; the rest is logged). */
async function notEnqueuedLines(
  messages: readonly { target: TargetConfig; m: ProbeMessage }[],
  failed: ReadonlyMap<number, string>,
  deps: PlannerDeps,
  deadlineAt: number,
): Promise<void> {
  const lines = [...failed].map(([i, reason]) => {
    const { target, m } = messages[i]!;
    const s = notProbedSummary(
      new Date(m.runStartedAt),
      m.runId,
      m.region,
      target,
      `not probed: not enqueued (${reason})`,
      'queue',
    );
    return { path: dailyIndexPath(m.runStartedAt), line: JSON.stringify(s) };
  });
  const written = await runPool(lines, SEND_CONCURRENCY, deadlineAt, ({ path, line }) =>
    withDeadline('a not-probed line', Math.min(SEND_BUDGET_MS, msUntil(deadlineAt)), () =>
      deps.store.appendLine(path, line),
    ),
  );
  const lost = written.filter((r) => r.status !== 'done').length;
  if (lost) deps.log.error(`planner: ${lost} "not probed: queue" line(s) could not be written either`);
}

/**
 * The minute's end-of-round step: the runs published in the last two minutes go to the sinks as the "round", and
 * the not-probed lines of one settled minute — the one whose probes are all past their `notAfter` — go to the
 * digest (consecutive minutes take consecutive minutes, so a line is in one digest at most).
 */
async function endOfRound(
  c: PlannerClaim,
  deps: PlannerDeps,
  settings: CanarySettings,
  clock: () => number,
  deadlineAt: number,
): Promise<void> {
  const settledTo = c.minuteMs - MINUTE_MS - settings.queue!.lateMs;
  const lines = await withDeadline('reading the index', STATE_BUDGET_MS, () =>
    regionLines(deps.store, settings.region, settledTo - MINUTE_MS, clock()),
  ).catch((err: unknown) => {
    deps.log.warn(`planner: the index could not be read (${errorText(err)}); the heartbeat lists no targets`);
    return [];
  });
  const recentFrom = c.minuteMs - 2 * MINUTE_MS;
  const summaries = lines.filter((s) => !s.notProbed && Date.parse(s.startedAt) >= recentFrom);
  const settled = lines.filter((s) => {
    const at = Date.parse(s.startedAt);
    return s.notProbed && at >= settledTo - MINUTE_MS && at < settledTo;
  });
  const fc: FanOutContext = {
    log: deps.log,
    now: () => new Date(clock()),
    roundStartedAt: new Date(c.minuteMs),
    deadlineAt,
  };
  for (const line of settled)
    await fanOut(deps.sinks, `not-probed line of ${line.target}`, (s, ctx) => s.onNotProbed?.(line, ctx), fc);
  await fanOut(
    deps.sinks,
    'end of minute',
    (s, ctx) => s.onRoundEnd?.({ runId: runIdOfMinute(c.minuteMs, settings.region), summaries }, ctx),
    fc,
  );
}

/** The region's index lines (runs and not-probed lines) that started in `[fromMs, toMs]`, from the daily index. */
async function regionLines(store: ArtifactStore, region: string, fromMs: number, toMs: number): Promise<RunSummary[]> {
  const paths = [...new Set([dailyIndexPath(new Date(fromMs)), dailyIndexPath(new Date(toMs))])];
  const bodies = await Promise.all(paths.map((p) => store.get(p)));
  return summariesFromIndex(
    bodies.map((b) => b?.toString('utf8')),
    fromMs,
    toMs,
  ).summaries.filter((s) => s.region === region);
}

function iso(ms: number): string {
  return new Date(ms).toISOString().replace(/\.000Z$/, 'Z');
}

/** The setting naming the store the lease and state live in. */
function storageSetting(s: CanarySettings): string {
  return s.storage.kind === 'account-url'
    ? "CANARY_STORAGE_ACCOUNT_URL and the app identity's Storage Blob Data role"
    : 'CANARY_STORAGE_CONNECTION_STRING';
}

function queueSetting(s: CanarySettings): string {
  return s.queue?.connection.kind === 'service-url'
    ? "CANARY_QUEUE__queueServiceUri and the app identity's Storage Queue Data Contributor role"
    : 'CANARY_QUEUE';
}
