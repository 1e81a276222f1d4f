/**
 * Exactly-once delivery bookkeeping on the alert state, as pure functions, per channel (Teams, a JSON receiver,
 * PagerDuty, the store's alerts/ folder): a round first *claims* the deliveries it will post — one per pending
 * notification and channel that takes it, keyed `<id>><channel>` — stored under the state's ETag, so an
 * overlapping round sees the claim and skips them; it posts them, then *settles* the outcomes: a delivered one is
 * done for that channel, one the channel could not take now is released for the next round, and one it rejected
 * for good is retried a bounded number of times and then dropped for that channel — never blocking the
 * notifications behind it (a recovery included). A notification leaves `pending` once every channel that takes it
 * is done with it, so a channel that is down, or disabled by a bad setting, never holds back the others.
 */
import type { AlertState, Notification } from './alertState.js';

/** How one delivery went: posted, worth another try later (timeouts, 408, 429, 5xx), or refused for good. */
export type SendOutcome = 'delivered' | 'retry' | 'rejected';

/** A claim older than this is abandoned (its round died or ran out of time) and may be taken again. */
export const CLAIM_LEASE_MS = 15 * 60_000;
/** A notification a channel rejected this many times is dropped for that channel (with a log line). */
export const MAX_REJECTIONS = 3;

/** What the bookkeeping needs to know of a channel (./channels.ts). */
export interface ChannelRoute {
  readonly name: string;
  /** false: configured but unusable (a bad setting): nothing is claimed for it, its notifications wait. */
  readonly usable: boolean;
  /** Whether this channel takes this notification at all (PagerDuty takes no reminders, for instance). */
  accepts(n: Notification): boolean;
}

/** One notification to post to one channel. */
export interface Delivery {
  notification: Notification;
  channel: string;
}

/** The key of one delivery in `claims` and `rejections`. */
export function deliveryKey(id: string, channel: string): string {
  return `${id}>${channel}`;
}

/** The notification id of a delivery key (undefined for a key written before deliveries had channels). */
function idOfKey(key: string): string | undefined {
  const cut = key.lastIndexOf('>');
  return cut > 0 ? key.slice(0, cut) : undefined;
}

/** Claims, oldest notification first, every delivery not done and not claimed by someone else within the lease. Pure. */
export function claimPending(
  state: AlertState,
  by: string,
  now: Date,
  channels: readonly ChannelRoute[],
  leaseMs = CLAIM_LEASE_MS,
): { state: AlertState; claimed: Delivery[] } {
  const claims = { ...(state.claims ?? {}) };
  const claimed: Delivery[] = [];
  for (const n of state.pending) {
    for (const channel of channels) {
      if (!channel.usable || !channel.accepts(n) || state.sent?.[n.id]?.includes(channel.name)) continue;
      const key = deliveryKey(n.id, channel.name);
      const c = claims[key];
      if (c && c.by !== by && now.getTime() - Date.parse(c.at) < leaseMs) continue;
      claims[key] = { by, at: now.toISOString() };
      claimed.push({ notification: n, channel: channel.name });
    }
  }
  return { state: { ...state, claims }, claimed };
}

/** What {@link settleDeliveries} did besides updating the state. */
export interface Settled {
  state: AlertState;
  /** Delivery keys dropped after {@link MAX_REJECTIONS} rejections. */
  dropped: string[];
}

/** Applies delivery outcomes (by delivery key) of deliveries claimed by `by`; releases its other claims. Pure. */
export function settleDeliveries(
  state: AlertState,
  by: string,
  outcomes: ReadonlyMap<string, SendOutcome>,
  now: Date,
  channels: readonly ChannelRoute[],
  maxRejections = MAX_REJECTIONS,
): Settled {
  const rejections = { ...(state.rejections ?? {}) };
  const sent: Record<string, string[]> = { ...(state.sent ?? {}) };
  const dropped: string[] = [];
  const done = (key: string): void => {
    const [id, channel] = [idOfKey(key)!, key.slice(key.lastIndexOf('>') + 1)];
    sent[id] = [...new Set([...(sent[id] ?? []), channel])];
  };
  for (const [key, outcome] of outcomes) {
    if (outcome === 'delivered') done(key);
    if (outcome === 'rejected') {
      rejections[key] = (rejections[key] ?? 0) + 1;
      if (rejections[key]! >= maxRejections) {
        done(key);
        dropped.push(key);
      }
    }
  }
  const complete = (n: Notification): boolean =>
    channels.every((c) => !c.accepts(n) || (sent[n.id] ?? []).includes(c.name));
  const pending = state.pending.filter((n) => !complete(n));
  const live = new Set(pending.map((n) => n.id));
  const mine = (key: string): boolean => live.has(idOfKey(key) ?? '');
  const claims = Object.fromEntries(Object.entries(state.claims ?? {}).filter(([k, c]) => mine(k) && c.by !== by));
  const next: AlertState = {
    ...state,
    pending,
    claims,
    rejections: Object.fromEntries(Object.entries(rejections).filter(([k]) => mine(k))),
    sent: Object.fromEntries(Object.entries(sent).filter(([id]) => live.has(id))),
    updatedAt: now.toISOString(),
    ...([...outcomes.values()].includes('delivered') ? { lastDeliveredAt: now.toISOString() } : {}),
  };
  for (const field of ['claims', 'rejections', 'sent'] as const)
    if (Object.keys(next[field]!).length === 0) delete next[field];
  return { state: next, dropped };
}
