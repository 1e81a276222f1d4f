/**
 * Alert state in the store: `state/<region>/<target>.json` (and the watchdog's and the mutes' states, which have
 * the same shape: ./watchdogSink.ts, ./muteSink.ts), changed only through `updateJson` (ETag conditions), so two
 * regions or two overlapping runs never overwrite each other's verdicts or pending notifications, and never post
 * the same notification to a channel twice (claims, see ./alertDelivery.ts). A state blob that cannot be read
 * (bad JSON, not an alert state) is moved aside to `….corrupt-<time>.json` and rebuilt, so one bad blob never
 * disables a target's alerts. The rules themselves are in ./alertState.ts; a mute's hold in ./mute.ts.
 */
import { randomUUID } from 'node:crypto';
import { InputError } from '../../errors.js';
import type { LineLog } from '../../log.js';
import { isRecord } from '../../json.js';
import type { ArtifactStore } from '../../store/artifactStore.js';
import { alertStatePath, contentTypeFor, corruptPath } from '../../store/layout.js';
import type { RunSummary } from '../../runSummary.js';
import {
  claimPending,
  deliveryKey,
  MAX_REJECTIONS,
  settleDeliveries,
  type Delivery,
  type SendOutcome,
} from './alertDelivery.js';
import { nextAlertState, type AlertRules, type AlertState, type AlertStep, type Notification } from './alertState.js';
import type { Channel } from './channels.js';
import { holdMuted } from './mute.js';

/**
 * Pending notifications older than this are dropped by {@link deliverPending}, each with a log line — except the
 * alert of an alert still open, which waits (before its reminders) until a channel takes it.
 */
export const MAX_PENDING_AGE_HOURS = 48;

/** The stored state was not an alert state. */
class CorruptStateError extends Error {
  override readonly name = 'CorruptStateError';
}

/** Optional log of moved-aside state and dropped notifications (warnings and errors only). */
type AlertStoreLog = Pick<LineLog, 'warn' | 'error'>;

const quiet: AlertStoreLog = { warn: () => undefined, error: () => undefined };

function checked<S extends AlertState>(current: S | undefined): S | undefined {
  if (current === undefined) return undefined;
  const ok = isRecord(current) && Array.isArray(current.recent) && Array.isArray(current.pending);
  if (!ok) throw new CorruptStateError('is not an alert state');
  return current;
}

/** Where one alert state lives: a target's (`state/<region>/<target>.json`), a watched region's, a mute's. */
export interface StateRef {
  /** The region and target every notification of this state carries. */
  region: string;
  target: string;
  path: string;
}

/** The alert state of a (region, target) pair. */
export function targetStateRef(region: string, target: string): StateRef {
  return { region, target, path: alertStatePath(region, target) };
}

/** `updateJson` on a state blob, moving a corrupt blob aside and starting again from nothing. */
export async function updateState<S extends AlertState = AlertState>(
  store: ArtifactStore,
  ref: StateRef,
  now: Date,
  log: AlertStoreLog,
  fn: (current: S | undefined) => S,
): Promise<S> {
  const { path } = ref;
  try {
    return await store.updateJson<S>(path, (current) => fn(checked(current)));
  } catch (error) {
    if (!(error instanceof InputError) && !(error instanceof CorruptStateError)) throw error;
    const aside = corruptPath(path, now);
    const body = await store.get(path);
    if (body) await store.put(aside, body, contentTypeFor(aside));
    await store.put(path, JSON.stringify(emptyState(ref, now), null, 2) + '\n', contentTypeFor(path));
    log.error(`alert state ${path} could not be read (${error.message}); moved aside to ${aside} and rebuilt`);
    return store.updateJson<S>(path, (current) => fn(checked(current)));
  }
}

/**
 * Applies one run to its (region, target) alert state and stores it; while the run's target is muted
 * (`run.muted`) its new notifications are held instead of queued. Returns the stored state and the notifications
 * this run created (held ones included).
 */
export async function applyRun(
  store: ArtifactStore,
  run: RunSummary,
  now: Date,
  rules?: AlertRules,
  log: AlertStoreLog = quiet,
): Promise<AlertStep> {
  let notifications: Notification[] = [];
  const state = await updateState(store, targetStateRef(run.region, run.target), now, log, (current) => {
    const step = holdMuted(nextAlertState(current, run, now, rules), run);
    notifications = step.notifications; // the last call's result is the one stored
    return step.state;
  });
  return { state, notifications };
}

/** A state (or other small JSON blob) as stored, or undefined when there is none or it is not JSON (the next update rebuilds it). */
export async function readStateOrSkip<T>(store: ArtifactStore, path: string): Promise<T | undefined> {
  return store.readJson<T>(path).catch((e: unknown) => (e instanceof InputError ? undefined : Promise.reject(e)));
}

/** The stored alert state, if any. */
export function readAlertState(store: ArtifactStore, region: string, target: string): Promise<AlertState | undefined> {
  return store.readJson<AlertState>(alertStatePath(region, target));
}

/** What {@link deliverPending} did. */
export interface PendingDelivery {
  /** Deliveries made, by delivery key (`<id>><channel>`, ./alertDelivery.ts). */
  delivered: string[];
  /** Notification ids still pending: a channel could not take them now, or another round holds their claim. */
  pending: string[];
  /** Notification ids dropped because older than {@link MAX_PENDING_AGE_HOURS}. */
  expired: string[];
  /** Delivery keys dropped because the channel rejected them for good, repeatedly. */
  dropped?: string[];
}

/** Options of {@link deliverPending}. */
export interface DeliverOptions {
  /** Who claims (default: a fresh id per call). */
  claimer?: string;
  /** Stop posting once aborted (the round's alert budget); unposted claims are released. */
  signal?: AbortSignal;
  log?: AlertStoreLog;
}

/**
 * Delivers the pending notifications of one alert state exactly once per channel across overlapping rounds and
 * regions: they are claimed under the ETag first, then posted, then settled. The channels post side by side,
 * each its notifications oldest first: a notification a channel cannot take now stops that channel's pass (it is
 * likely down; the rest wait for the next run) and never the other channels'; one it rejects for good is counted
 * and skipped, so it never blocks the ones behind it. A channel's `send` must not throw for remote failures.
 */
export async function deliverPending(
  store: ArtifactStore,
  ref: StateRef,
  channels: readonly Channel[],
  now: () => Date = () => new Date(),
  options: DeliverOptions = {},
): Promise<PendingDelivery> {
  const result: PendingDelivery = { delivered: [], pending: [], expired: [], dropped: [] };
  const stored = await readStateOrSkip<AlertState>(store, ref.path);
  // nothing stored (or corrupt: the next update rebuilds it), or nowhere to deliver
  if (stored === undefined || channels.length === 0) return { delivered: [], pending: [], expired: [] };
  const by = options.claimer ?? randomUUID();
  const log = options.log ?? quiet;
  const oldest = now().getTime() - MAX_PENDING_AGE_HOURS * 3_600_000;
  let claimed: Delivery[] = [];
  const claimedState = await updateState(store, ref, now(), log, (current) => {
    const base = current ?? emptyState(ref, now());
    // the alert of an alert still open never expires: the channel must see it before any reminder for it
    const stillOpen = (n: Notification): boolean => n.kind === 'alert' && base.open?.runId === n.opening.runId;
    result.expired = base.pending.filter((n) => Date.parse(n.createdAt) < oldest && !stillOpen(n)).map((n) => n.id);
    const fresh = result.expired.length
      ? { ...base, pending: base.pending.filter((n) => !result.expired.includes(n.id)) }
      : base;
    const step = claimPending(fresh, by, now(), channels);
    claimed = step.claimed;
    return step.state;
  });
  for (const id of result.expired)
    log.warn(
      `notification ${id} expired: not delivered within ${MAX_PENDING_AGE_HOURS} h (the app stopped, the clock ` +
        `jumped or every channel failed); dropped`,
    );
  const outcomes = new Map<string, SendOutcome>();
  await Promise.all(
    channels.map(async (channel) => {
      const unseen = new Set<string>(); // alerts this channel did not take: their reminders wait behind them
      for (const d of claimed.filter((c) => c.channel === channel.name)) {
        if (options.signal?.aborted) return;
        const { kind, opening } = d.notification;
        if (kind === 'reminder' && unseen.has(opening.runId)) continue;
        const outcome = await channel.send(d.notification, options.signal);
        if (kind === 'alert' && outcome !== 'delivered') unseen.add(opening.runId);
        outcomes.set(deliveryKey(d.notification.id, channel.name), outcome);
        if (outcome === 'retry') return;
      }
    }),
  );
  let dropped: string[] = [];
  const settled = await updateState(store, ref, now(), log, (current) => {
    const step = settleDeliveries(current ?? emptyState(ref, now()), by, outcomes, now(), channels);
    dropped = step.dropped;
    return step.state;
  });
  for (const key of dropped)
    log.error(
      `notification ${key} dropped: the channel rejected it for good ${MAX_REJECTIONS} times (check its setting ` +
        `and payload format); the notifications after it go on`,
    );
  result.delivered = [...outcomes].filter(([, o]) => o === 'delivered').map(([key]) => key);
  result.dropped = dropped;
  const left = new Set(settled.pending.map((n) => n.id));
  result.pending = claimedState.pending.map((n) => n.id).filter((id) => left.has(id));
  if (result.dropped.length === 0) delete result.dropped;
  return result;
}

function emptyState(ref: StateRef, now: Date): AlertState {
  return { version: 1, region: ref.region, target: ref.target, recent: [], pending: [], updatedAt: now.toISOString() };
}
