/**
 * Alert rules per (region, target), as a pure function of the previous state and one run. Stored by
 * {@link ./alertStore.ts} in `state/<region>/<target>.json` under ETag conditions.
 *
 * Rules (defaults k = 2, n = 3, reminderHours = 6):
 * - **Failing** means verdict `fail` or `error`. An `error` (no session, auth refused, timeout) is what users
 *   experience as an outage, so it must be able to open an alert; the failure class (the first finding code,
 *   or `error`) keeps it distinguishable from a bad answer.
 * - **Open** when the run is failing and at least k of the last n runs (this one included) are failing. This
 *   catches intermittent faults that "n consecutive" never does. One `alert` notification.
 * - **While open**: no further `alert`. A `reminder` when a failing run arrives and at least reminderHours have
 *   passed since the last notification of this alert; a passing run never sends a reminder.
 * - **Recovered** only when the last n runs all passed (n consecutive passes): one `recovery` that refers to
 *   the opening alert (time, run id, headline). "Fewer than k of n failing" would close and reopen a flapping
 *   target (pass/fail/pass/fail) every other run; with this rule a flapping target stays open (it is broken)
 *   and produces one alert plus reminders. After a recovery the window is clean, so reopening needs k new
 *   failures.
 * - **Idempotent**: a run id already in the window changes nothing (a retried or duplicated update is harmless).
 * - **Pending**: new notifications are queued in `pending` until delivered; a newer reminder or a recovery
 *   supersedes undelivered reminders of the same alert; at most {@link MAX_PENDING} are kept (oldest dropped).
 */
import type { RunCategory } from '../../analysis/category.js';
import type { Verdict } from '../../analysis/findings.js';
import type { RunSummary } from '../../runSummary.js';
import type { MutedNotification, MuteEnd } from './mute.js';
import type { NoticeText } from './notices.js';
import type { PoisonCount } from './poison.js';
import type { RegionSilence } from './watchdog.js';

/** Thresholds of the alert rules (see the module comment). */
export interface AlertRules {
  /** Failing runs within the window that open an alert. */
  k: number;
  /** Window size (last n runs); also the number of consecutive passes that recover. */
  n: number;
  /** Hours between reminders while open. */
  reminderHours: number;
}

/** k = 2 of n = 3, a reminder every 6 h. */
export const DEFAULT_ALERT_RULES: Readonly<AlertRules> = Object.freeze({ k: 2, n: 3, reminderHours: 6 });
/** Most undelivered notifications kept per (region, target); older ones are dropped. */
export const MAX_PENDING = 20;

/** One run in the rule window. */
export interface VerdictRecord {
  runId: string;
  /** The run's start time (ISO). */
  at: string;
  verdict: Verdict;
}

/** What identifies an alert; carried by every notification about it. */
export interface OpeningAlert {
  /** When the alert was opened (evaluation time of the opening run, ISO). */
  openedAt: string;
  runId: string;
  runStartedAt: string;
  headline: string | undefined;
  /** The opening run's most severe finding code, or `fail` / `error`. */
  failureClass: string;
}

/** An alert that is open: its opening plus reminder bookkeeping. */
export interface OpenAlert extends OpeningAlert {
  lastNotifiedAt: string;
  reminders: number;
  /** Runs and failing runs since it opened, the opening run included. */
  runsSinceOpen: number;
  failingRunsSinceOpen: number;
}

/** `alert` when opened, `reminder` while open, `recovery` when closed. */
export type NotificationKind = 'alert' | 'reminder' | 'recovery';

/** A message to deliver; everything a card or payload needs, no secrets (links are made at delivery). */
export interface Notification {
  /** Stable id, `<kind>:<region>/<target>:<runId>`, so receivers can de-duplicate redeliveries. */
  id: string;
  kind: NotificationKind;
  /**
   * What the notification is about: a service `incident`, a `configuration` problem of the canary itself, the
   * spend `budget` (80 % / 100 % of the daily budget), a region whose canary went silent (`watchdog`, see
   * ./watchdog.ts), probe messages in queue mode's poison queue (`poison`, see ./poison.ts), the end of a mute
   * (`mute`, see ./mute.ts), a model's `lifecycle` (it retires soon: one card per
   * model and date) or a round's `digest` (./digest.ts). Absent in older state: read as `incident`.
   */
  category?: RunCategory | 'budget' | 'watchdog' | 'poison' | 'mute' | 'lifecycle' | 'digest';
  createdAt: string;
  region: string;
  target: string;
  /** The run that produced this notification (a passing run for a recovery). */
  summary: RunSummary;
  /** The alert this is about; for `alert`, itself. */
  opening: OpeningAlert;
  /** Failing runs in the window when it was made, e.g. 2 of the last 3. */
  window: { failing: number; of: number };
  /** Runs and failing runs since the alert opened. */
  sinceOpen: { runs: number; failing: number };
  /** `watchdog` notifications: the silent region's last heartbeat and who noticed. */
  silence?: RegionSilence;
  /** `poison` notifications: the poison queue, its count and the most messages seen while open. */
  poison?: PoisonCount;
  /** `mute` notifications: the mute that ended and what is still failing. */
  muteEnd?: MuteEnd;
  /** The words of a notification that is not about a run (watchdog, poison queue, mute end), made with it (./notices.ts). */
  notice?: NoticeText;
}

/** The stored state of one (region, target): `state/<region>/<target>.json`. */
export interface AlertState {
  version: 1;
  region: string;
  target: string;
  /** The last n verdicts, oldest first. */
  recent: VerdictRecord[];
  open?: OpenAlert;
  /** Notifications not yet delivered, oldest first. */
  pending: Notification[];
  lastRecovery?: { at: string; runId: string; opening: OpeningAlert };
  lastDeliveredAt?: string;
  /**
   * Deliveries a round has claimed, by delivery key (notification id and channel, see ./alertDelivery.ts): who,
   * when. Claims are written under the state's ETag before anything is posted, so two overlapping rounds (or
   * regions) never post the same notification to the same channel twice; a claim older than its lease is taken
   * to be abandoned.
   */
  claims?: Record<string, { by: string; at: string }>;
  /** Deliveries the receiver rejected for good (4xx other than 408/429), by delivery key. */
  rejections?: Record<string, number>;
  /** Channels a still-pending notification is done with (delivered, or dropped after rejections), by id. */
  sent?: Record<string, string[]>;
  /** Notifications a mute (CANARY_MUTE) held back instead of delivering, oldest first (see ./mute.ts). */
  muted?: MutedNotification[];
  updatedAt: string;
}

/** Result of {@link nextAlertState}. */
export interface AlertStep {
  state: AlertState;
  /** Notifications created by this run (also appended to `state.pending`). */
  notifications: Notification[];
}

/** `fail` and `error` count as failing. */
export function isFailingVerdict(verdict: Verdict): boolean {
  return verdict !== 'pass';
}

/** Applies one run to the alert state. Pure: same inputs, same output. */
export function nextAlertState(
  prev: AlertState | undefined,
  run: RunSummary,
  now: Date,
  rules: AlertRules = DEFAULT_ALERT_RULES,
): AlertStep {
  checkRules(rules);
  const nowIso = now.toISOString();
  const base: AlertState = prev ?? {
    version: 1,
    region: run.region,
    target: run.target,
    recent: [],
    pending: [],
    updatedAt: nowIso,
  };
  if (base.recent.some((r) => r.runId === run.runId)) return { state: base, notifications: [] };

  const recent = [...base.recent, { runId: run.runId, at: run.startedAt, verdict: run.verdict }]
    .sort((a, b) => timeOf(a.at, now) - timeOf(b.at, now))
    .slice(-rules.n);
  const window = { failing: recent.filter((r) => isFailingVerdict(r.verdict)).length, of: recent.length };
  const failing = isFailingVerdict(run.verdict);
  const state: AlertState = { ...base, recent, updatedAt: nowIso, open: base.open ? { ...base.open } : undefined };
  const make = (kind: NotificationKind, opening: OpeningAlert, sinceOpen: Notification['sinceOpen']): Notification => ({
    id: `${kind}:${run.region}/${run.target}:${run.runId}`,
    kind,
    ...(run.category ? { category: run.category } : {}),
    createdAt: nowIso,
    region: run.region,
    target: run.target,
    summary: run,
    opening,
    window,
    sinceOpen,
  });

  const notifications: Notification[] = [];
  const open = state.open;
  if (!open) {
    if (failing && window.failing >= rules.k) {
      const opening: OpeningAlert = {
        openedAt: nowIso,
        runId: run.runId,
        runStartedAt: run.startedAt,
        headline: run.headline,
        failureClass: run.findingCodes[0] ?? run.verdict,
      };
      state.open = { ...opening, lastNotifiedAt: nowIso, reminders: 0, runsSinceOpen: 1, failingRunsSinceOpen: 1 };
      notifications.push(make('alert', opening, { runs: 1, failing: 1 }));
    }
  } else {
    open.runsSinceOpen++;
    if (failing) open.failingRunsSinceOpen++;
    const opening = openingOf(open);
    const sinceOpen = { runs: open.runsSinceOpen, failing: open.failingRunsSinceOpen };
    if (recent.length >= rules.n && window.failing === 0) {
      notifications.push(make('recovery', opening, sinceOpen));
      state.open = undefined;
      state.lastRecovery = { at: nowIso, runId: run.runId, opening };
    } else if (failing && now.getTime() - Date.parse(open.lastNotifiedAt) >= rules.reminderHours * 3_600_000) {
      open.lastNotifiedAt = nowIso;
      open.reminders++;
      notifications.push(make('reminder', opening, sinceOpen));
    }
  }
  if (state.open === undefined) delete state.open;
  state.pending = queue(base.pending, notifications);
  return { state, notifications };
}

function openingOf(open: OpenAlert): OpeningAlert {
  return {
    openedAt: open.openedAt,
    runId: open.runId,
    runStartedAt: open.runStartedAt,
    headline: open.headline,
    failureClass: open.failureClass,
  };
}

/** Appends new notifications; a reminder or recovery supersedes undelivered reminders of the same alert. */
function queue(pending: readonly Notification[], added: readonly Notification[]): Notification[] {
  let out = [...pending];
  for (const n of added) {
    if (n.kind !== 'alert') out = out.filter((p) => !(p.kind === 'reminder' && p.opening.runId === n.opening.runId));
    out.push(n);
  }
  return out.slice(-MAX_PENDING);
}

function timeOf(iso: string, fallback: Date): number {
  const t = Date.parse(iso);
  return Number.isNaN(t) ? fallback.getTime() : t;
}

function checkRules(rules: AlertRules): void {
  const { k, n, reminderHours } = rules;
  if (!Number.isInteger(n) || n < 1) throw new RangeError(`alert rule n must be an integer ≥ 1, got ${n}`);
  if (!Number.isInteger(k) || k < 1 || k > n)
    throw new RangeError(`alert rule k must be an integer in 1…n (${n}), got ${k}`);
  if (!(reminderHours > 0)) throw new RangeError(`alert rule reminderHours must be > 0, got ${reminderHours}`);
}
