/**
 * Alert state in the store: `state/<region>/<target>.json`, changed only through `updateJson` (ETag
 * conditions), so two regions or two overlapping runs never overwrite each other's verdicts or pending
 * notifications. The rules themselves are in {@link ./alertState.ts}.
 */
import type { ArtifactStore } from '../store/artifactStore.js';
import { nextAlertState, withoutDelivered, type AlertRules, type AlertState, type AlertStep, type Notification } from './alertState.js';
import { alertStatePath } from '../store/layout.js';
import type { RunSummary } from '../runSummary.js';

/** Pending notifications older than this are dropped by {@link deliverPending} (stale, or rejected for good). */
export const MAX_PENDING_AGE_HOURS = 48;

/** Applies one run to its (region, target) alert state and stores it. Returns the stored state and the notifications this run created. */
export async function applyRun(store: ArtifactStore, run: RunSummary, now: Date, rules?: AlertRules): Promise<AlertStep> {
  let notifications: Notification[] = [];
  const state = await store.updateJson<AlertState>(alertStatePath(run.region, run.target), (current) => {
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
export async function markDelivered(store: ArtifactStore, region: string, target: string, ids: readonly string[], now: Date): Promise<AlertState | undefined> {
  if (ids.length === 0) return readAlertState(store, region, target);
  if ((await readAlertState(store, region, target)) === undefined) return undefined;
  return store.updateJson<AlertState>(alertStatePath(region, target), (current) =>
    current === undefined ? emptyState(region, target, now) : withoutDelivered(current, ids, now),
  );
}

/** What {@link deliverPending} did, by notification id. */
export interface PendingDelivery {
  delivered: string[];
  /** Still pending (the first failure stops the pass, so later ones are not tried this run). */
  pending: string[];
  /** Dropped because older than {@link MAX_PENDING_AGE_HOURS}. */
  expired: string[];
}

/**
 * Sends the pending notifications of one (region, target), oldest first, and marks the delivered ones. Stops
 * at the first failed delivery (the receiver is likely down; the rest wait for the next run and the round
 * stays within its deadline). `send` resolves true when delivered and must not throw for remote failures.
 */
export async function deliverPending(
  store: ArtifactStore,
  region: string,
  target: string,
  send: (notification: Notification) => Promise<boolean>,
  now: () => Date = () => new Date(),
): Promise<PendingDelivery> {
  const state = await readAlertState(store, region, target);
  const result: PendingDelivery = { delivered: [], pending: [], expired: [] };
  if (!state) return result;
  const oldest = now().getTime() - MAX_PENDING_AGE_HOURS * 3_600_000;
  let stopped = false;
  for (const n of state.pending) {
    if (Date.parse(n.createdAt) < oldest) result.expired.push(n.id);
    else if (stopped) result.pending.push(n.id);
    else if (await send(n)) result.delivered.push(n.id);
    else {
      stopped = true;
      result.pending.push(n.id);
    }
  }
  await markDelivered(store, region, target, [...result.delivered, ...result.expired], now());
  return result;
}

function emptyState(region: string, target: string, now: Date): AlertState {
  return { version: 1, region, target, recent: [], pending: [], updatedAt: now.toISOString() };
}
