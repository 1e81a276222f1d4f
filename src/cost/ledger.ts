/**
 * The daily spend ledger as pure functions: reservations made before a probe (its estimated cost), settled with
 * the actual cost after, and the 80 % / 100 % marks of the daily budget. Stored by {@link ../store/budgetLedger.ts}
 * in `ledger/<yyyy-mm-dd>.json` under ETag conditions, so regions and overlapping rounds share one ledger. Spend is
 * the sum of the settled costs and of the still-open reservations: a round that died after reserving keeps its
 * reservation counted, so the budget errs on the side of not spending. Settled entries are folded into per-target
 * totals, so the ledger holds only the probes in flight and stays small however many runs a day has.
 */
import { formatUsd, type UsdStyle } from './usd.js';

export interface LedgerEntry {
  target: string;
  region: string;
  runId: string;
  /** 1 = the run's probe, 2+ = confirmation probes. */
  attempt: number;
  reservedUsd: number;
  at: string;
}

export interface SettledTotal {
  usd: number;
  probes: number;
  /** The runs' first probes only (confirmations excluded): the planner's estimate of a run. */
  runUsd: number;
  runs: number;
}

export interface Ledger {
  version: 1;
  /** UTC day, YYYY-MM-DD. */
  day: string;
  /** Open reservations (probes in flight, or of a round that died), by {@link entryKey}. */
  entries: Record<string, LedgerEntry>;
  /** Settled spend per target (absent in a new ledger). */
  settled?: Record<string, SettledTotal>;
  /** When each mark of the daily budget was first reached (ISO). */
  marks: { '80'?: string; '100'?: string };
  updatedAt: string;
}

/** Spend per UTC day (YYYY-MM-DD → USD) of one month, read from the ledgers: what the dashboard's month total uses. */
export interface MonthSpend {
  days: Record<string, number>;
}

export interface Caps {
  /** The daily budget of everything (CANARY_DAILY_BUDGET_USD). */
  dailyUsd?: number;
  /** Per target name (TargetConfig.dailyBudgetUsd). */
  perTarget?: Readonly<Record<string, number | undefined>>;
}

export interface ReservationRequest {
  target: string;
  region: string;
  runId: string;
  attempt: number;
  /** Estimated USD; null when the model has no price (then it is refused under a cap). */
  estimateUsd: number | null;
}

export const entryKey = (r: Pick<LedgerEntry, 'region' | 'target' | 'runId' | 'attempt'>): string =>
  `${r.runId}/${r.region}/${r.target}/${r.attempt}`;

export function emptyLedger(day: string, nowIso: string): Ledger {
  return { version: 1, day, entries: {}, marks: {}, updatedAt: nowIso };
}

/** USD spent (settled + reserved), in total or for one target. */
export function spentUsd(ledger: Ledger, target?: string): number {
  let sum = 0;
  for (const e of Object.values(ledger.entries)) if (target === undefined || e.target === target) sum += e.reservedUsd;
  for (const [t, v] of Object.entries(ledger.settled ?? {})) if (target === undefined || t === target) sum += v.usd;
  return sum;
}

const PLAIN2: UsdStyle = { digits: 2, grouping: false };
const PLAIN4: UsdStyle = { digits: 4, grouping: false };

/** Why a reservation cannot be granted under `caps`, or undefined when it can. */
export function refusal(ledger: Ledger, r: ReservationRequest, caps: Caps): string | undefined {
  const targetCap = caps.perTarget?.[r.target];
  if (caps.dailyUsd === undefined && targetCap === undefined) return undefined;
  if (r.estimateUsd === null) return 'no price for its model, so the budget cannot be kept';
  const total = spentUsd(ledger) + r.estimateUsd;
  if (caps.dailyUsd !== undefined && total > caps.dailyUsd + 1e-9) {
    const [cap, spent, run] = [
      formatUsd(caps.dailyUsd, PLAIN2),
      formatUsd(spentUsd(ledger), PLAIN4),
      formatUsd(r.estimateUsd, PLAIN4),
    ];
    return `today's budget ${cap} would be exceeded (${spent} spent, about ${run} a run)`;
  }
  if (targetCap !== undefined && spentUsd(ledger, r.target) + r.estimateUsd > targetCap + 1e-9) {
    return `its daily budget ${formatUsd(targetCap, PLAIN2)} would be exceeded`;
  }
  return undefined;
}

/**
 * Reserves the requests in order, as many as the caps allow (a refused one does not stop later cheaper ones).
 * Idempotent: a request already in the ledger is granted again without a second reservation.
 */
export function reserve(
  ledger: Ledger,
  requests: readonly ReservationRequest[],
  caps: Caps,
  nowIso: string,
): { ledger: Ledger; refused: Map<string, string> } {
  const next: Ledger = { ...ledger, entries: { ...ledger.entries }, updatedAt: nowIso };
  const refused = new Map<string, string>();
  for (const r of requests) {
    const key = entryKey(r);
    if (next.entries[key]) continue;
    const why = refusal(next, r, caps);
    if (why) refused.set(key, why);
    // (a refusal for the daily budget is what `markBudget(…, exhausted)` turns into the 100 % mark)
    else
      next.entries[key] = {
        target: r.target,
        region: r.region,
        runId: r.runId,
        attempt: r.attempt,
        reservedUsd: r.estimateUsd ?? 0,
        at: nowIso,
      };
  }
  return { ledger: next, refused };
}

/**
 * Replaces reservations with actual costs (a cost without a price settles at its reservation) and folds them into
 * the per-target totals. Idempotent: a key already settled is no longer an entry and is ignored.
 */
export function settle(ledger: Ledger, actual: ReadonlyMap<string, number | null>, nowIso: string): Ledger {
  const entries = { ...ledger.entries };
  const settled: Record<string, SettledTotal> = { ...(ledger.settled ?? {}) };
  for (const [key, usd] of actual) {
    const e = entries[key];
    if (!e) continue;
    const cost = usd ?? e.reservedUsd;
    const t = settled[e.target] ?? { usd: 0, probes: 0, runUsd: 0, runs: 0 };
    settled[e.target] = {
      usd: t.usd + cost,
      probes: t.probes + 1,
      runUsd: t.runUsd + (e.attempt === 1 ? cost : 0),
      runs: t.runs + (e.attempt === 1 ? 1 : 0),
    };
    delete entries[key];
  }
  return { ...ledger, entries, settled, updatedAt: nowIso };
}

/**
 * Marks newly reached (80 / 100 % of the daily budget); returns them so each is announced once per day. `exhausted`:
 * a probe was just refused for the daily budget — the budget is used up even though the spend stays below it.
 */
export function markBudget(
  ledger: Ledger,
  dailyUsd: number | undefined,
  nowIso: string,
  exhausted = false,
): { ledger: Ledger; reached: ('80' | '100')[] } {
  if (dailyUsd === undefined) return { ledger, reached: [] };
  const spent = exhausted ? dailyUsd : spentUsd(ledger);
  const reached: ('80' | '100')[] = [];
  const marks = { ...ledger.marks };
  if (spent >= 0.8 * dailyUsd - 1e-9 && !marks['80']) ((marks['80'] = nowIso), reached.push('80'));
  if (spent >= dailyUsd - 1e-9 && !marks['100']) ((marks['100'] = nowIso), reached.push('100'));
  return { ledger: reached.length ? { ...ledger, marks, updatedAt: nowIso } : ledger, reached };
}

/** The mean actual cost of a target's settled runs (first attempts) in a ledger, or undefined. */
export function meanActualUsd(ledger: Ledger | undefined, target: string): number | undefined {
  const t = ledger?.settled?.[target];
  return t && t.runs > 0 ? t.runUsd / t.runs : undefined;
}
