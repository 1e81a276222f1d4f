/**
 * Exactly-once delivery bookkeeping on the alert state, as pure functions: a round first *claims* the pending
 * notifications it will post (stored under the state's ETag, so an overlapping round sees the claim and skips
 * them), posts them, then *settles* the outcomes: delivered ones leave `pending`, ones the receiver could not
 * take now are released for the next round, and ones it rejected for good are retried a bounded number of
 * times and then dropped — never blocking the notifications behind them (a recovery included).
 */
import type { AlertState, Notification } from './alertState.js';

/** How one delivery went: posted, worth another try later (timeouts, 408, 429, 5xx), or refused for good. */
export type SendOutcome = 'delivered' | 'retry' | 'rejected';

/** A claim older than this is abandoned (its round died or ran out of time) and may be taken again. */
export const CLAIM_LEASE_MS = 15 * 60_000;
/** A notification the receiver rejected this many times is dropped (with a log line). */
export const MAX_REJECTIONS = 3;

/** Claims every pending notification not claimed by someone else within the lease. Pure. */
export function claimPending(
  state: AlertState,
  by: string,
  now: Date,
  leaseMs = CLAIM_LEASE_MS,
): { state: AlertState; claimed: Notification[] } {
  const claims = { ...(state.claims ?? {}) };
  const claimed: Notification[] = [];
  for (const n of state.pending) {
    const c = claims[n.id];
    if (c && c.by !== by && now.getTime() - Date.parse(c.at) < leaseMs) continue;
    claims[n.id] = { by, at: now.toISOString() };
    claimed.push(n);
  }
  return { state: { ...state, claims }, claimed };
}

/** What {@link settleDeliveries} did besides updating the state. */
export interface Settled {
  state: AlertState;
  /** Dropped after {@link MAX_REJECTIONS} rejections. */
  dropped: string[];
}

/** Applies delivery outcomes of notifications claimed by `by`; releases its other claims. Pure. */
export function settleDeliveries(
  state: AlertState,
  by: string,
  outcomes: ReadonlyMap<string, SendOutcome>,
  now: Date,
  maxRejections = MAX_REJECTIONS,
): Settled {
  const rejections = { ...(state.rejections ?? {}) };
  const gone = new Set<string>();
  const dropped: string[] = [];
  for (const [id, outcome] of outcomes) {
    if (outcome === 'delivered') gone.add(id);
    if (outcome === 'rejected') {
      rejections[id] = (rejections[id] ?? 0) + 1;
      if (rejections[id]! >= maxRejections) {
        gone.add(id);
        dropped.push(id);
      }
    }
  }
  const pending = state.pending.filter((n) => !gone.has(n.id));
  const live = new Set(pending.map((n) => n.id));
  const claims = Object.fromEntries(
    Object.entries(state.claims ?? {}).filter(([id, c]) => live.has(id) && c.by !== by),
  );
  const kept = Object.fromEntries(Object.entries(rejections).filter(([id]) => live.has(id)));
  const delivered = [...outcomes.values()].includes('delivered');
  const next: AlertState = {
    ...state,
    pending,
    claims,
    rejections: kept,
    updatedAt: now.toISOString(),
    ...(delivered ? { lastDeliveredAt: now.toISOString() } : {}),
  };
  if (Object.keys(next.claims!).length === 0) delete next.claims;
  if (Object.keys(next.rejections!).length === 0) delete next.rejections;
  return { state: next, dropped };
}

/** Maps the older boolean answer of a sender onto an outcome (true delivered, false retry). */
export function asOutcome(answer: SendOutcome | boolean): SendOutcome {
  return answer === true ? 'delivered' : answer === false ? 'retry' : answer;
}
