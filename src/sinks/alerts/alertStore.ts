/**
 * Alert state in the store: `state/<region>/<target>.json`, changed only through `updateJson` (ETag
 * conditions), so two regions or two overlapping runs never overwrite each other's verdicts or pending
 * notifications, and never post the same notification twice (claims, see ./alertDelivery.ts). A state blob
 * that cannot be read (bad JSON, not an alert state) is moved aside to `state/…corrupt-<time>.json` and
 * rebuilt, so one bad blob never disables a target's alerts. The rules themselves are in ./alertState.ts.
 */
import { randomUUID } from 'node:crypto';
import { InputError } from '../../errors.js';
import type { LineLog } from '../../log.js';
import { isRecord } from '../../json.js';
import type { ArtifactStore } from '../../store/artifactStore.js';
import { alertStatePath, contentTypeFor, corruptStatePath } from '../../store/layout.js';
import type { RunSummary } from '../../runSummary.js';
import { asOutcome, claimPending, MAX_REJECTIONS, settleDeliveries, type SendOutcome } from './alertDelivery.js';
import {
  nextAlertState,
  withoutDelivered,
  type AlertRules,
  type AlertState,
  type AlertStep,
  type Notification,
} from './alertState.js';

/** Pending notifications older than this are dropped by {@link deliverPending} (stale, or rejected for good). */
export const MAX_PENDING_AGE_HOURS = 48;

/** The stored state was not an alert state. */
class CorruptStateError extends Error {
  override readonly name = 'CorruptStateError';
}

/** Optional log of moved-aside state and dropped notifications (warnings and errors only). */
type AlertStoreLog = Pick<LineLog, 'warn' | 'error'>;

const quiet: AlertStoreLog = { warn: () => undefined, error: () => undefined };

function checked(current: AlertState | undefined): AlertState | undefined {
  if (current === undefined) return undefined;
  const ok = isRecord(current) && Array.isArray(current.recent) && Array.isArray(current.pending);
  if (!ok) throw new CorruptStateError('is not an alert state');
  return current;
}

/** `updateJson` on a state blob, moving a corrupt blob aside and starting again from nothing. */
async function updateState(
  store: ArtifactStore,
  region: string,
  target: string,
  now: Date,
  log: AlertStoreLog,
  fn: (current: AlertState | undefined) => AlertState,
): Promise<AlertState> {
  const path = alertStatePath(region, target);
  try {
    return await store.updateJson<AlertState>(path, (current) => fn(checked(current)));
  } catch (error) {
    if (!(error instanceof InputError) && !(error instanceof CorruptStateError)) throw error;
    const aside = corruptStatePath(region, target, now);
    const body = await store.get(path);
    if (body) await store.put(aside, body, contentTypeFor(aside));
    await store.put(path, JSON.stringify(emptyState(region, target, now), null, 2) + '\n', contentTypeFor(path));
    log.error(
      `alert state of ${region}/${target} could not be read (${error.message}); moved aside to ${aside} and rebuilt`,
    );
    return store.updateJson<AlertState>(path, (current) => fn(checked(current)));
  }
}

/** Applies one run to its (region, target) alert state and stores it. Returns the stored state and the notifications this run created. */
export async function applyRun(
  store: ArtifactStore,
  run: RunSummary,
  now: Date,
  rules?: AlertRules,
  log: AlertStoreLog = quiet,
): Promise<AlertStep> {
  let notifications: Notification[] = [];
  const state = await updateState(store, run.region, run.target, now, log, (current) => {
    const step = nextAlertState(current, run, now, rules);
    notifications = step.notifications; // the last call's result is the one stored
    return step.state;
  });
  return { state, notifications };
}

/** The stored alert state, if any. */
export function readAlertState(store: ArtifactStore, region: string, target: string): Promise<AlertState | undefined> {
  return store.readJson<AlertState>(alertStatePath(region, target));
}

/** Removes delivered notifications from `pending`. A no-op when there is no state or nothing to remove. */
export async function markDelivered(
  store: ArtifactStore,
  region: string,
  target: string,
  ids: readonly string[],
  now: Date,
): Promise<AlertState | undefined> {
  if (ids.length === 0) return readAlertState(store, region, target);
  if ((await readAlertState(store, region, target)) === undefined) return undefined;
  return store.updateJson<AlertState>(alertStatePath(region, target), (current) =>
    current === undefined ? emptyState(region, target, now) : withoutDelivered(current, ids, now),
  );
}

/** What {@link deliverPending} did, by notification id. */
export interface PendingDelivery {
  delivered: string[];
  /** Still pending: the receiver could not take them now, or another round holds their claim. */
  pending: string[];
  /** Dropped because older than {@link MAX_PENDING_AGE_HOURS}. */
  expired: string[];
  /** Dropped because the receiver rejected them for good, repeatedly. */
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
 * Delivers the pending notifications of one (region, target), oldest first, exactly once across overlapping
 * rounds: they are claimed under the ETag first, then posted, then settled. A notification the receiver cannot
 * take now stops the pass (it is likely down; the rest wait for the next run); one it rejects for good is
 * counted and skipped, so it never blocks the ones behind it. `send` must not throw for remote failures.
 */
export async function deliverPending(
  store: ArtifactStore,
  region: string,
  target: string,
  send: (notification: Notification, signal?: AbortSignal) => Promise<SendOutcome | boolean>,
  now: () => Date = () => new Date(),
  options: DeliverOptions = {},
): Promise<PendingDelivery> {
  const result: PendingDelivery = { delivered: [], pending: [], expired: [], dropped: [] };
  if (
    (await readAlertState(store, region, target).catch((e: unknown) =>
      e instanceof InputError ? undefined : Promise.reject(e),
    )) === undefined
  ) {
    // nothing stored (or corrupt: applyRun rebuilds it) — nothing to deliver
    return { delivered: [], pending: [], expired: [] };
  }
  const by = options.claimer ?? randomUUID();
  const log = options.log ?? quiet;
  const oldest = now().getTime() - MAX_PENDING_AGE_HOURS * 3_600_000;
  let claimed: Notification[] = [];
  const claimedState = await updateState(store, region, target, now(), log, (current) => {
    const base = current ?? emptyState(region, target, now());
    result.expired = base.pending.filter((n) => Date.parse(n.createdAt) < oldest).map((n) => n.id);
    const fresh = result.expired.length
      ? { ...base, pending: base.pending.filter((n) => !result.expired.includes(n.id)) }
      : base;
    const step = claimPending(fresh, by, now());
    claimed = step.claimed;
    return step.state;
  });
  const outcomes = new Map<string, SendOutcome>();
  let stopped = false;
  for (const n of claimed) {
    if (stopped || options.signal?.aborted) break;
    const outcome = asOutcome(await send(n, options.signal));
    outcomes.set(n.id, outcome);
    if (outcome === 'retry') stopped = true;
  }
  let dropped: string[] = [];
  await updateState(store, region, target, now(), log, (current) => {
    const step = settleDeliveries(current ?? emptyState(region, target, now()), by, outcomes, now());
    dropped = step.dropped;
    return step.state;
  });
  for (const id of dropped)
    log.error(
      `notification ${id} dropped: the receiver rejected it for good ${MAX_REJECTIONS} times (check the webhook ` +
        `and its payload format); the notifications after it go on`,
    );
  result.delivered = [...outcomes].filter(([, o]) => o === 'delivered').map(([id]) => id);
  result.dropped = dropped;
  const done = new Set([...result.delivered, ...dropped]);
  result.pending = claimedState.pending.map((n) => n.id).filter((id) => !done.has(id));
  if (result.dropped.length === 0) delete result.dropped;
  return result;
}

function emptyState(region: string, target: string, now: Date): AlertState {
  return { version: 1, region, target, recent: [], pending: [], updatedAt: now.toISOString() };
}
