/**
 * The watchdog's rules, pure: every round of every region looks at the other regions' heartbeats (the last round
 * each one finished, `heartbeats/<region>.json`) and applies one observation per region to that region's shared
 * alert state (`watchdog/<region>.json`, the same AlertState the targets have, so its notifications get the same
 * claims, retries and channels). A region is *silent* once more than two of its schedule's intervals have passed
 * since its last round (the deadline its heartbeat carries, ../../config/scheduleTimes.ts). The rules are the
 * targets' with K = N = 1: the first silent observation opens one alert whoever makes it, reminders follow every
 * CANARY_REMINDER_HOURS, and the first observation of a live heartbeat recovers it once. The state keeps the
 * newest heartbeat any observer saw, so a round that read an older heartbeat never reopens an alert another round
 * just recovered. A region whose heartbeat was removed (retired) recovers any alert open about it.
 */
import { nextAlertState, type AlertState, type AlertStep, type Notification } from './alertState.js';
import { noticeSummary, silenceHeadline, silenceNotice } from './notices.js';

/** The target name of a watchdog alert: not a valid target name, so `<target>@<region>` never collides with one. */
export const WATCHDOG_TARGET = '_watchdog';

/** What a region writes at the end of every round (`heartbeats/<region>.json`). */
export interface Heartbeat {
  version: 1;
  region: string;
  /** When the round ended (the round's clock). */
  at: string;
  roundId: string;
  roundStartedAt: string;
  schedule: string;
  /** The schedule's next fire after this round started, and the interval after it. */
  nextRunAt: string;
  intervalMs: number;
  /** The region counts as silent after this (see ../../config/scheduleTimes.ts). */
  silentAfter: string;
  /** The targets the round probed. */
  targets: string[];
}

/** What a watchdog notification says about the region (Notification.silence). */
export interface RegionSilence {
  region: string;
  /** The last round it finished; absent when its heartbeat was removed. */
  lastRoundAt?: string;
  lastRoundId?: string;
  intervalMs: number;
  silentForMs: number;
  /** For a recovery: when the round before the new one ended, i.e. when the silence began. */
  silentSince?: string;
  /** The region whose round noticed. */
  noticedBy: string;
  targets?: string[];
}

/** A region's watchdog state: an AlertState plus the newest heartbeat any observer saw. */
export interface WatchdogState extends AlertState {
  heartbeat?: Heartbeat;
}

/** The region that observes, and its round. */
export interface Observer {
  region: string;
  roundId: string;
}

/**
 * Applies one observation of `region` (its heartbeat as read now, or undefined when it has none any more) to its
 * watchdog state. Pure. Without a heartbeat and without an open alert there is nothing to observe: the state is
 * returned unchanged.
 */
export function observeRegion(
  prev: WatchdogState | undefined,
  region: string,
  read: Heartbeat | undefined,
  observer: Observer,
  now: Date,
  reminderHours: number,
): AlertStep & { state: WatchdogState } {
  const known = prev?.heartbeat;
  // an observer that read an older heartbeat than one already seen judges by the newer one
  const latest = read && known && Date.parse(known.at) > Date.parse(read.at) ? known : read;
  if (!latest && !prev?.open) return { state: prev ?? emptyWatchdogState(region, now), notifications: [] };
  const silent = latest !== undefined && isSilent(latest, now);
  const silence: RegionSilence = {
    region,
    ...(latest ? { lastRoundAt: latest.at, lastRoundId: latest.roundId, targets: latest.targets } : {}),
    intervalMs: latest?.intervalMs ?? 0,
    silentForMs: latest ? Math.max(0, now.getTime() - Date.parse(latest.at)) : 0,
    ...(known && latest && known.at !== latest.at ? { silentSince: known.at } : {}),
    noticedBy: observer.region,
  };
  const run = noticeSummary({
    runId: `${observer.region}:${observer.roundId}`,
    at: now.toISOString(),
    region,
    target: WATCHDOG_TARGET,
    verdict: silent ? 'fail' : 'pass',
    headline: silenceHeadline(silence),
  });
  const step = nextAlertState(prev, run, now, { k: 1, n: 1, reminderHours });
  const made = new Set(step.notifications.map((n) => n.id));
  const dress = (n: Notification): Notification => {
    if (!made.has(n.id)) return n;
    const opening = n.kind === 'alert' ? { ...n.opening, failureClass: 'region_silent' } : n.opening;
    return { ...n, opening, category: 'watchdog', silence, notice: silenceNotice(n.kind, silence, opening.openedAt) };
  };
  const state: WatchdogState = { ...step.state, pending: step.state.pending.map(dress) };
  if (state.open?.runId === run.runId) state.open = { ...state.open, failureClass: 'region_silent' };
  if (latest) state.heartbeat = latest;
  return { state, notifications: step.notifications.map(dress) };
}

/** Whether a region whose last heartbeat is `hb` is silent at `now`. */
export function isSilent(hb: Heartbeat, now: Date): boolean {
  return now.getTime() > Date.parse(hb.silentAfter);
}

function emptyWatchdogState(region: string, now: Date): WatchdogState {
  return { version: 1, region, target: WATCHDOG_TARGET, recent: [], pending: [], updatedAt: now.toISOString() };
}
