/**
 * The spend ledger in the store: one blob per UTC day ({@link ledgerPath} in ./layout.ts), changed only through
 * `updateJson` (ETag conditions) so every region and overlapping round sees one ledger. The rules are in
 * {@link ../cost/ledger.ts}.
 */
import {
  emptyLedger,
  markBudget,
  reserve,
  settle,
  spentUsd,
  type Caps,
  type Ledger,
  type MonthSpend,
  type ReservationRequest,
} from '../cost/ledger.js';
import type { ArtifactStore } from './artifactStore.js';
import { ledgerPath } from './layout.js';

export const ledgerDay = (at: Date): string => at.toISOString().slice(0, 10);

export function readLedger(store: ArtifactStore, day: string): Promise<Ledger | undefined> {
  return store.readJson<Ledger>(ledgerPath(day));
}

/**
 * Reserves what the caps allow; returns the refused requests by entry key with the reason, and the budget marks
 * reached for the first time (a refusal for the daily budget reaches 100 %).
 */
export async function reserveInLedger(
  store: ArtifactStore,
  day: string,
  requests: readonly ReservationRequest[],
  caps: Caps,
  now: Date,
): Promise<{ refused: Map<string, string>; reached: ('80' | '100')[]; ledger: Ledger }> {
  let refused = new Map<string, string>();
  let reached: ('80' | '100')[] = [];
  const ledger = await store.updateJson<Ledger>(ledgerPath(day), (cur) => {
    const step = reserve(cur ?? emptyLedger(day, now.toISOString()), requests, caps, now.toISOString());
    const exhausted = [...step.refused.values()].some((why) => why.startsWith("today's budget"));
    const marked = markBudget(step.ledger, caps.dailyUsd, now.toISOString(), exhausted);
    refused = step.refused; // the last call's result is the one stored
    reached = marked.reached;
    return marked.ledger;
  });
  return { refused, reached, ledger };
}

/** Settles actual costs and returns the budget marks this update reached for the first time. */
export async function settleInLedger(
  store: ArtifactStore,
  day: string,
  actual: ReadonlyMap<string, number | null>,
  dailyUsd: number | undefined,
  now: Date,
): Promise<{ ledger: Ledger; reached: ('80' | '100')[] }> {
  let reached: ('80' | '100')[] = [];
  const ledger = await store.updateJson<Ledger>(ledgerPath(day), (cur) => {
    const step = markBudget(
      settle(cur ?? emptyLedger(day, now.toISOString()), actual, now.toISOString()),
      dailyUsd,
      now.toISOString(),
    );
    reached = step.reached;
    return step.ledger;
  });
  return { ledger, reached };
}

/** Spend per UTC day of the month of `now` so far (days without a ledger are absent), from the ledgers. */
export async function loadMonthSpend(store: ArtifactStore, now: Date): Promise<MonthSpend> {
  const first = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1);
  const days: string[] = [];
  for (let t = first; t <= now.getTime(); t += 86_400_000) days.push(ledgerDay(new Date(t)));
  const ledgers = await Promise.all(days.map((d) => readLedger(store, d).catch(() => undefined)));
  const out: MonthSpend = { days: {} };
  ledgers.forEach((l, i) => {
    if (l) out.days[days[i]!] = spentUsd(l);
  });
  return out;
}
