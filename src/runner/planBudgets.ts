/**
 * The session budgets against a planned day (issue 22 §1): for one deployment or key, its planned session starts
 * (./planCheck.ts lays them out) admitted the way the quota gate admits them at run time (./quotaGate.ts) — at most
 * `perMinute` in any 60 s, a start over it waiting for the minute to free up, but never longer than the gate lets
 * it (its waits, the probe window) — and against `perDay`. Counted twice: the first probes alone (a healthy day),
 * and the worst case, in which every probe fails and is confirmed CANARY_CONFIRM_RETRIES times at once (a
 * deployment's outage fails all its targets together; a failing session can end at once, so its retries are
 * counted in its own minute). Pure.
 */
import type { SessionBudget } from '../config/quotaBudgets.js';
import type { QuotaKind } from './quotaScopes.js';

const MINUTE_MS = 60_000;

/** One budget's day: first probes alone and with every confirmation retry. */
export interface ScopeCheck {
  kind: QuotaKind;
  id: string;
  /** For people: `deployment gpt-realtime on x.openai.azure.com`, `key AOAI_KEY` (never a secret). */
  label: string;
  budget: SessionBudget;
  /** Targets that count against it. */
  targets: number;
  /** Most starts planned in any 60 s (a round asks for all its due starts at once). */
  peakPerMinute: number;
  /** … with every confirmation retry. */
  worstPeakPerMinute: number;
  perDay: number;
  worstPerDay: number;
  /** Starts per day the per-minute budget cannot admit within the longest wait (first probes alone). */
  refusedPerDay: number;
  worstRefusedPerDay: number;
  /**
   * `over`: the first probes alone do not fit — probes are "not probed: quota" every day; `near`: they fit, but
   * not with every confirmation, or the budget delays starts, or they use 80 % of it; `fits`: none of these.
   */
  status: 'fits' | 'near' | 'over';
}

/** What {@link checkScope} needs besides the scope. */
export interface ScopeDay {
  /** Planned starts (epoch ms, sorted), each `sessions` session starts (one per region). */
  starts: Float64Array;
  sessions: number;
  confirmRetries: number;
  /** The longest a start may wait for its minute before it is refused. */
  maxWaitMs: number;
  /** Days the starts span (the per-day figures divide by it). */
  days: number;
}

/** Share of a budget from which a plan is "near" it. */
export const NEAR_SHARE = 0.8;

export function checkScope(
  scope: { kind: QuotaKind; id: string; label: string; budget: SessionBudget },
  targets: number,
  d: ScopeDay,
): ScopeCheck {
  const worst = d.sessions * (1 + d.confirmRetries);
  const perMinute = scope.budget.perMinute;
  const perDayBudget = scope.budget.perDay;
  const peak = busiestMinute(d.starts);
  const perDay = (d.starts.length * d.sessions) / d.days;
  const worstPerDay = (d.starts.length * worst) / d.days;
  const refusedPerDay = admit(d.starts, d.sessions, perMinute, d.maxWaitMs) / d.days;
  const worstRefusedPerDay = admit(d.starts, worst, perMinute, d.maxWaitMs) / d.days;
  const overDay = perDayBudget !== undefined && perDay > perDayBudget;
  const status =
    refusedPerDay > 0 || overDay
      ? 'over'
      : worstRefusedPerDay > 0 ||
          (perDayBudget !== undefined && worstPerDay > perDayBudget) ||
          (perMinute !== undefined && peak * d.sessions > perMinute * NEAR_SHARE) ||
          (perDayBudget !== undefined && perDay > perDayBudget * NEAR_SHARE)
        ? 'near'
        : 'fits';
  return {
    ...scope,
    targets,
    peakPerMinute: peak * d.sessions,
    worstPeakPerMinute: peak * worst,
    perDay,
    worstPerDay,
    refusedPerDay,
    worstRefusedPerDay,
    status,
  };
}

/** The most entries of sorted `times` in any 60 s window `[t, t + 60 s)`. */
export function busiestMinute(times: Float64Array): number {
  let best = 0;
  for (let i = 0, j = 0; j < times.length; j++) {
    while (times[j]! - times[i]! >= MINUTE_MS) i++;
    best = Math.max(best, j - i + 1);
  }
  return best;
}

/**
 * Starts the per-minute budget refuses: each planned start (sorted `times`, `each` sessions apiece) is admitted at
 * the earliest moment that keeps every 60 s at `perMinute` or fewer, first come first served, or refused when that is
 * more than `maxWaitMs` after its planned time (then so are the rest of its burst, which could only wait longer).
 */
export function admit(times: Float64Array, each: number, perMinute: number | undefined, maxWaitMs: number): number {
  if (perMinute === undefined) return 0;
  const ring = new Float64Array(perMinute); // the last `perMinute` admitted starts
  let admitted = 0;
  let last = -Infinity;
  let refused = 0;
  for (let i = 0; i < times.length;) {
    const s = times[i]!;
    let j = i;
    while (j < times.length && times[j] === s) j++;
    let left = (j - i) * each;
    for (; left > 0; left--) {
      const at = Math.max(s, last, admitted < perMinute ? s : ring[admitted % perMinute]! + MINUTE_MS);
      if (at - s > maxWaitMs) break;
      ring[admitted % perMinute] = last = at;
      admitted++;
    }
    refused += left;
    i = j;
  }
  return refused;
}
