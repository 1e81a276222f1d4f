/**
 * The plan check `validate` and `cost` print (issue 22 §1, issue 21 §4): the configured targets laid out over one
 * planned UTC day by the same rules the canary runs by — the schedule's rounds and the targets due in each
 * (`every` + jitter, ./plan.ts) in round mode; each due probe at its own jittered start in queue mode — and then
 * (1) each deployment's and key's session starts against its budget (./planBudgets.ts: per minute, as the quota
 * gate admits them, and per day; first probes alone and with every confirmation retry), and (2) in round mode,
 * whether the busiest round fits its due targets (./planRound.ts) — in queue mode each probe is a message with its
 * own deadline, so what bounds the plan is the budgets and the prober instances, whose peak of sessions at once is
 * given instead. Every region probes every target at the same planned times and their budgets are shared, so each
 * start counts once per region. Pure: the day is given.
 */
import type { CanaryMode } from '../config/queueSettings.js';
import { nextRuns } from '../config/scheduleTimes.js';
import type { CanarySettings } from '../config/settings.js';
import type { TargetConfig } from '../config/targets.js';
import type { PromptLength } from '../cost/projection.js';
import { everyMsOf, jitterMsOf, nextStartAt } from './plan.js';
import { checkScope, type ScopeCheck } from './planBudgets.js';
import { checkRound, dueByWindow, type PlannedTarget, type RoundFitCheck } from './planRound.js';
import { MAX_QUOTA_WAITS } from './quotaGate.js';
import { quotaScopes, type QuotaScope } from './quotaScopes.js';
import { publishReserveMs } from './round.js';
import { expectedSessionMs } from './roundFit.js';
import type { RoundWindow } from './roundSelection.js';

const DAY_MS = 86_400_000;
/** Rounds of the planned day looked at (a schedule firing more often is looked at for its first 1,440 rounds). */
export const MAX_PLANNED_ROUNDS = 1_440;
/** Messages one prober instance runs at once: host.json's queues `batchSize` 8 + `newBatchThreshold` 4. */
export const PROBER_MESSAGES_PER_INSTANCE = 12;

export type PlanSettings = Pick<
  CanarySettings,
  | 'mode'
  | 'schedule'
  | 'concurrency'
  | 'roundDeadlineMs'
  | 'turnTimeoutMs'
  | 'confirmRetries'
  | 'quota'
  | 'turns'
  | 'prompts'
>;

export interface PlanCheckInput {
  targets: readonly TargetConfig[];
  settings: PlanSettings;
  /** The prompt catalogue's lengths (../cost/projection.ts promptLengths). */
  lengths: readonly PromptLength[];
  /** Apps (regions) that each probe every target (default 1). */
  regions?: number;
  /** The planned day is the UTC day holding this time. */
  at: Date;
}

/** Queue mode: sessions running at once in one region's prober instances at the day's peak. */
export interface QueueLoad {
  peakSessions: number;
  /** … when every probe is confirmed (its retries run after it). */
  worstPeakSessions: number;
  /** Instances that holds at {@link PROBER_MESSAGES_PER_INSTANCE} messages each. */
  instances: number;
  worstInstances: number;
}

export interface PlanCheck {
  mode: CanaryMode;
  regions: number;
  confirmRetries: number;
  /** How long a start may wait for a per-minute budget before it is refused. */
  maxWaitMs: number;
  /** Every budget, the ones over first, then near, then the rest. */
  scopes: ScopeCheck[];
  round?: RoundFitCheck;
  queue?: QueueLoad;
  total: { targets: number; perDay: number; worstPerDay: number };
}

/** The rounds of the UTC day holding `at`: consecutive ticks of the schedule (at least one window). */
export function plannedWindows(schedule: string, at: Date): RoundWindow[] {
  const dayStart = Math.floor(at.getTime() / DAY_MS) * DAY_MS;
  const ticks = nextRuns(schedule, new Date(dayStart - 1_000), MAX_PLANNED_ROUNDS + 1).map((d) => d.getTime());
  const out: RoundWindow[] = [];
  for (let i = 0; i + 1 < ticks.length && (i === 0 || ticks[i]! < dayStart + DAY_MS); i++)
    out.push({ fromMs: ticks[i]!, toMs: ticks[i + 1]!, everyMs: ticks[i + 1]! - ticks[i]! });
  return out.length ? out : [{ fromMs: dayStart, toMs: dayStart + DAY_MS, everyMs: DAY_MS }];
}

export function checkPlan(input: PlanCheckInput): PlanCheck {
  const { settings: s, targets } = input;
  const regions = Math.max(1, input.regions ?? 1);
  const windows = plannedWindows(s.schedule, input.at);
  const planned = targets.map((t): PlannedTarget => {
    const own = t.every === undefined ? undefined : everyMsOf(t, 0);
    return {
      target: t,
      ownEveryMs: own,
      ownJitterMs: own === undefined ? 0 : jitterMsOf(t, own),
      sessionMs: expectedSessionMs(t, s, input.lengths),
    };
  });
  const probeWindowMs = s.roundDeadlineMs - publishReserveMs(s.roundDeadlineMs);
  const maxWaitMs = Math.max(0, Math.min(MAX_QUOTA_WAITS * 60_000, probeWindowMs - s.turnTimeoutMs));
  const due = s.mode === 'round' ? dueByWindow(planned, windows) : undefined;
  const starts = due ? roundStarts(planned, windows, due) : queueStarts(planned, windows[0]!);
  const first = windows[0]!.fromMs;
  const days = due ? (windows.at(-1)!.toMs - first) / DAY_MS : 1;

  const scopeOf = quotaScopes(targets, s.quota);
  const byScope = new Map<string, { scope: QuotaScope; targets: number; starts: number[] }>();
  planned.forEach((p, i) => {
    for (const scope of scopeOf.get(p.target.name) ?? []) {
      const key = `${scope.kind}:${scope.id}`;
      const b = byScope.get(key) ?? { scope, targets: 0, starts: [] };
      b.targets++;
      for (const at of starts[i]!) b.starts.push(at);
      byScope.set(key, b);
    }
  });
  const rank = { over: 0, near: 1, fits: 2 } as const;
  const scopes = [...byScope.values()]
    .map((b) =>
      checkScope(b.scope, b.targets, {
        starts: Float64Array.from(b.starts).sort(),
        sessions: regions,
        confirmRetries: s.confirmRetries,
        maxWaitMs,
        days,
      }),
    )
    .sort((a, b) => rank[a.status] - rank[b.status] || a.label.localeCompare(b.label));
  const count = starts.reduce((a, l) => a + l.length, 0);
  return {
    mode: s.mode,
    regions,
    confirmRetries: s.confirmRetries,
    maxWaitMs,
    scopes,
    ...(due ? { round: checkRound(planned, windows, due, s.concurrency, probeWindowMs) } : {}),
    ...(due ? {} : { queue: queueLoad(planned, starts, s.confirmRetries) }),
    total: {
      targets: targets.length,
      perDay: (count * regions) / days,
      worstPerDay: (count * regions * (1 + s.confirmRetries)) / days,
    },
  };
}

/** Round mode: each target's starts are those of the rounds it is due in (a round starts its due targets at once). */
function roundStarts(
  planned: readonly PlannedTarget[],
  windows: readonly RoundWindow[],
  due: readonly PlannedTarget[][],
): number[][] {
  const index = new Map(planned.map((p, i) => [p, i]));
  const out = planned.map((): number[] => []);
  due.forEach((list, w) => {
    for (const p of list) out[index.get(p)!]!.push(windows[w]!.fromMs);
  });
  return out;
}

/** Queue mode: each probe at its jittered start over the day (a target without `every` at the schedule's interval). */
function queueStarts(planned: readonly PlannedTarget[], w: RoundWindow): number[][] {
  const dayStart = Math.floor(w.fromMs / DAY_MS) * DAY_MS;
  return planned.map((p) => {
    const every = p.ownEveryMs ?? w.everyMs;
    const jitter = p.ownEveryMs === undefined ? jitterMsOf(p.target, every) : p.ownJitterMs;
    const out: number[] = [];
    for (let at = nextStartAt(every, jitter, dayStart); at < dayStart + DAY_MS; at += every) out.push(at);
    return out;
  });
}

/** The most sessions in flight at once in one region, first probes alone and with their retries after them. */
function queueLoad(planned: readonly PlannedTarget[], starts: readonly number[][], retries: number): QueueLoad {
  const peak = (factor: number): number => {
    const s: number[] = [];
    const e: number[] = [];
    planned.forEach((p, i) => {
      for (const at of starts[i]!) {
        s.push(at);
        e.push(at + p.sessionMs * factor);
      }
    });
    const a = Float64Array.from(s).sort();
    const b = Float64Array.from(e).sort();
    let best = 0;
    for (let i = 0, j = 0; i < a.length; i++) {
      while (b[j]! <= a[i]!) j++;
      best = Math.max(best, i + 1 - j);
    }
    return best;
  };
  const peakSessions = peak(1);
  const worstPeakSessions = peak(1 + retries);
  const inst = (n: number): number => Math.ceil(n / PROBER_MESSAGES_PER_INSTANCE);
  return { peakSessions, worstPeakSessions, instances: inst(peakSessions), worstInstances: inst(worstPeakSessions) };
}
