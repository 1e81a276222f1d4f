/**
 * The counter of one session budget (a deployment's or a key's), as stored in its blob: the start times of the
 * sessions claimed in the last ten minutes (to count any 60 s exactly, claims coming in any order) and the claims
 * per hour of the last two days (to count any 24 h, in whole hours: the hour of the claim and the 23 before it).
 * Pure; bounded (ten minutes of claims, at most ten times the per-minute budget, and 48 hour buckets).
 */
import type { SessionBudget } from '../config/quotaBudgets.js';

export interface QuotaCounter {
  /** Epoch ms of each claimed start of the last ten minutes (and any later ones), sorted. */
  recent: number[];
  /** Claims per hour: key = epoch hour (`Math.floor(ms / 3600000)`). */
  hours: Record<string, number>;
}

const MINUTE_MS = 60_000;
const HOUR_MS = 3_600_000;
/** Starts are kept this long after the latest one: claims up to 9 minutes out of order are still counted exactly. */
const KEEP_MS = 10 * MINUTE_MS;

export const emptyCounter = (): QuotaCounter => ({ recent: [], hours: {} });

/** What refused a claim, and from when a claim in the same minute could fit (per-minute refusals only). */
export interface CounterRefusal {
  reason: string;
  retryAt?: number;
}

/**
 * Starts already claimed in the busiest 60 s that would contain `atMs`: the windows `[s, s + 60 s)` with
 * `atMs - 60 s < s ≤ atMs` hold the most when one begins at the first of them or ends just after a later start.
 */
export function busiestMinute(recent: readonly number[], atMs: number): number {
  const later = recent.filter((p) => p > atMs && p < atMs + MINUTE_MS);
  const starts = [atMs - MINUTE_MS + 1, ...later.map((p) => p - MINUTE_MS + 1)];
  return Math.max(...starts.map((s) => recent.filter((p) => p >= s && p < s + MINUTE_MS).length));
}

/** Starts claimed in the 24 hours that end with the hour of `atMs` (later hours included). */
export function claimedInDay(hours: Readonly<Record<string, number>>, atMs: number): number {
  const hour = Math.floor(atMs / HOUR_MS);
  return Object.entries(hours).reduce((n, [h, c]) => (Number(h) > hour - 24 ? n + c : n), 0);
}

/** Claims one start at `atMs` when `budget` allows it: the new counter, or why not. */
export function claimIn(
  counter: QuotaCounter | undefined,
  atMs: number,
  budget: SessionBudget,
): { counter: QuotaCounter } | { refusal: CounterRefusal } {
  const c = pruned(counter ?? emptyCounter(), atMs);
  if (budget.perMinute !== undefined) {
    const busiest = busiestMinute(c.recent, atMs);
    if (busiest >= budget.perMinute) {
      const inWindow = c.recent.filter((p) => p > atMs - MINUTE_MS && p <= atMs);
      return {
        refusal: {
          reason: `${busiest} of ${budget.perMinute} session(s) per minute already started`,
          retryAt: (inWindow[0] ?? atMs) + MINUTE_MS,
        },
      };
    }
  }
  if (budget.perDay !== undefined) {
    const day = claimedInDay(c.hours, atMs);
    if (day >= budget.perDay)
      return { refusal: { reason: `${day} of ${budget.perDay} session(s) per day already started` } };
  }
  const hour = String(Math.floor(atMs / HOUR_MS));
  return {
    counter: {
      recent: [...c.recent, atMs].sort((a, b) => a - b),
      hours: { ...c.hours, [hour]: (c.hours[hour] ?? 0) + 1 },
    },
  };
}

/** Gives a claim at `atMs` back (the other budget refused it). */
export function releaseIn(counter: QuotaCounter | undefined, atMs: number): QuotaCounter {
  const c = counter ?? emptyCounter();
  const i = c.recent.indexOf(atMs);
  const hour = String(Math.floor(atMs / HOUR_MS));
  const left = (c.hours[hour] ?? 0) - 1;
  const hours = { ...c.hours };
  if (left > 0) hours[hour] = left;
  else delete hours[hour];
  return { recent: i < 0 ? c.recent : c.recent.filter((_, j) => j !== i), hours };
}

/** Drops what no window can count any more (relative to the latest time the counter knows). */
function pruned(c: QuotaCounter, atMs: number): QuotaCounter {
  const recent = Array.isArray(c.recent) ? c.recent.filter((p) => Number.isFinite(p)) : [];
  const latest = Math.max(atMs, ...recent);
  const hourNow = Math.floor(latest / HOUR_MS);
  const hours = Object.fromEntries(
    Object.entries(c.hours && typeof c.hours === 'object' ? c.hours : {}).filter(
      ([h, n]) => Number(h) > hourNow - 48 && typeof n === 'number' && n > 0,
    ),
  );
  return { recent: recent.filter((p) => p > latest - KEEP_MS), hours };
}
