/**
 * Mutes (CANARY_MUTE, ../../config/mute.ts), pure. While a mute covers a target, its runs are probed, reported
 * and counted as usual and carry `muted` (so the dashboard can say "muted until …"), but the notifications its
 * alert state makes are *held*: recorded in the state's `muted` list instead of queued for delivery. Held are
 * alerts and reminders, and the recovery of an alert the mute held (nobody was told it opened); the recovery of
 * an alert that was announced before the mute is still sent, so no page stays open forever. When the mute ends,
 * one message across all regions says so and lists what is still failing (./muteSink.ts); from then on the
 * targets notify as usual (PagerDuty gets a trigger for each target still failing, ./pagerDuty.ts).
 */
import { muteScope, type Mute } from '../../config/mute.js';
import type { RunSummary } from '../../runSummary.js';
import { MAX_PENDING, type AlertStep, type Notification, type NotificationKind } from './alertState.js';
import { notificationCategory } from './notificationText.js';

/** What a muted run carries: when its mute ends, what the mute covers, why. */
export type RunMute = NonNullable<RunSummary['muted']>;

/** A notification a mute held back (AlertState.muted). */
export interface MutedNotification {
  id: string;
  kind: NotificationKind;
  category: string;
  createdAt: string;
  /** The alert it is about (its opening run). */
  openingRunId: string;
  headline?: string;
  /** The mute that held it. */
  scope: string;
  until: string;
}

/** A target still failing when a mute ended. */
export interface StillFailing {
  target: string;
  region: string;
  openedAt: string;
  headline?: string;
  failureClass: string;
  category: string;
}

/** What the end-of-mute message says (Notification.muteEnd). */
export interface MuteEnd {
  scope: string;
  until: string;
  reason?: string;
  /** Notifications held during the mute, all regions together. */
  held: number;
  stillFailing: StillFailing[];
  /** Targets of this mute another mute still covers (not listed as failing: they are still muted). */
  stillMuted: string[];
}

/** The mute covering a target at `now` (the one ending last), if any. */
export function activeMute(
  mutes: readonly Mute[],
  target: { name: string; group?: string },
  now: Date,
): Mute | undefined {
  return mutes
    .filter(
      (m) =>
        Date.parse(m.until) > now.getTime() &&
        (m.target === target.name || (m.group !== undefined && m.group === target.group)),
    )
    .sort((a, b) => Date.parse(b.until) - Date.parse(a.until))[0];
}

/** The summary with `muted` set while a mute covers its target (unchanged otherwise). */
export function withMute(summary: RunSummary, mutes: readonly Mute[], now: Date): RunSummary {
  const m = activeMute(mutes, { name: summary.target, group: summary.group }, now);
  if (!m) return summary;
  return { ...summary, muted: { until: m.until, scope: muteScope(m), ...(m.reason ? { reason: m.reason } : {}) } };
}

/** Moves the notifications a run's mute holds from `pending` to `muted` (see the module comment). Pure. */
export function holdMuted(step: AlertStep, run: RunSummary): AlertStep {
  const mute = run.muted;
  if (!mute || step.notifications.length === 0) return step;
  const heldAlerts = new Set((step.state.muted ?? []).filter((m) => m.kind === 'alert').map((m) => m.openingRunId));
  const held = step.notifications.filter((n) => n.kind !== 'recovery' || heldAlerts.has(n.opening.runId));
  if (held.length === 0) return step;
  const ids = new Set(held.map((n) => n.id));
  return {
    notifications: step.notifications,
    state: {
      ...step.state,
      pending: step.state.pending.filter((n) => !ids.has(n.id)),
      muted: [...(step.state.muted ?? []), ...held.map((n) => record(n, mute))].slice(-MAX_PENDING),
    },
  };
}

/** The stable name of a mute (its state blob): what it covers and when it ends. */
export function muteKey(m: Mute): string {
  return `${m.target !== undefined ? `target-${m.target}` : `group-${m.group}`}-${m.until.replace(/[-:.]/g, '')}`;
}

function record(n: Notification, mute: RunMute): MutedNotification {
  return {
    id: n.id,
    kind: n.kind,
    category: notificationCategory(n),
    createdAt: n.createdAt,
    openingRunId: n.opening.runId,
    ...(n.summary.headline ? { headline: n.summary.headline } : {}),
    scope: mute.scope,
    until: mute.until,
  };
}
