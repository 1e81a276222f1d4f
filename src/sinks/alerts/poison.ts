/**
 * Queue mode's poison-queue rules, pure (issue 22 §2): the prober throws only for the canary's own faults, so a
 * message the Functions host moved to `<queue>-poison` is a probe the canary lost, and the planner looks at that
 * queue's length once a minute. One observation (the approximate count, or `undefined` when it could not be read)
 * is applied to the region's alert state (`poison/<region>.json`, the same AlertState the targets have, so its
 * notifications get the same claims, retries and channels) with the targets' rules at K = N = 1: the first count
 * above 0 opens one ☠️ alert naming the region, the count and the queue; reminders follow every
 * CANARY_REMINDER_HOURS while messages wait (with the count then); the first count of 0 after that recovers it
 * once. A count that cannot be read changes nothing (the caller logs it); neither does a repeated observation of
 * the same minute (its run id), so two planners of one minute never make two cards.
 */
import { nextAlertState, type AlertState, type AlertStep, type Notification } from './alertState.js';
import { noticeSummary, poisonHeadline, poisonNotice } from './notices.js';

/** The target name of a poison alert: not a valid target name, so `_poison@<region>` never collides with one. */
export const POISON_TARGET = '_poison';
/** The failure class of a poison alert. */
export const POISON_FAILURE_CLASS = 'probe_poisoned';

/** What a poison notification says about the queue (Notification.poison). */
export interface PoisonCount {
  region: string;
  /** The poison queue's name (`<CANARY_QUEUE_NAME>-poison`). */
  queue: string;
  /** The approximate number of messages in it when read. */
  count: number;
  /** When it was read (the planner's clock). */
  at: string;
  /** The most messages seen since the alert opened (this count when none is open). */
  peak: number;
}

/** The region's poison state: an AlertState plus the last count observed. */
export interface PoisonState extends AlertState {
  poison?: PoisonCount;
}

/** Where and when the count was read: the region, the poison queue, the planner's minute (its run id). */
export interface PoisonObserver {
  region: string;
  queue: string;
  runId: string;
}

/**
 * Applies one count of the poison queue to the region's poison state (see the module comment). Pure. With no
 * alert open, a count of 0 — like a count that could not be read — returns the state unchanged.
 */
export function observePoison(
  prev: PoisonState | undefined,
  count: number | undefined,
  o: PoisonObserver,
  now: Date,
  reminderHours: number,
): AlertStep & { state: PoisonState } {
  const unchanged = { state: prev ?? emptyPoisonState(o.region, now), notifications: [] };
  if (count === undefined || !Number.isFinite(count) || count < 0) return unchanged;
  if (count === 0 && !prev?.open) return unchanged;
  if (prev?.recent.some((r) => r.runId === o.runId)) return unchanged;
  const peak = prev?.open ? Math.max(prev.poison?.peak ?? 0, count) : count;
  const poison: PoisonCount = { region: o.region, queue: o.queue, count, at: now.toISOString(), peak };
  const run = noticeSummary({
    runId: o.runId,
    at: now.toISOString(),
    region: o.region,
    target: POISON_TARGET,
    verdict: count > 0 ? 'fail' : 'pass',
    headline: poisonHeadline(poison),
  });
  const step = nextAlertState(prev, run, now, { k: 1, n: 1, reminderHours });
  const made = new Set(step.notifications.map((n) => n.id));
  const dress = (n: Notification): Notification => {
    if (!made.has(n.id)) return n;
    const opening = n.kind === 'alert' ? { ...n.opening, failureClass: POISON_FAILURE_CLASS } : n.opening;
    return { ...n, opening, category: 'poison', poison, notice: poisonNotice(n.kind, poison, opening.openedAt) };
  };
  const state: PoisonState = { ...step.state, pending: step.state.pending.map(dress), poison };
  if (state.open?.runId === run.runId) state.open = { ...state.open, failureClass: POISON_FAILURE_CLASS };
  return { state, notifications: step.notifications.map(dress) };
}

function emptyPoisonState(region: string, now: Date): PoisonState {
  return { version: 1, region, target: POISON_TARGET, recent: [], pending: [], updatedAt: now.toISOString() };
}
