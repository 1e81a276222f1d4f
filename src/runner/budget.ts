/**
 * The budget of one round: before probing, reserve each target's estimated cost in the day's ledger (baselines
 * first; the estimate is the mean actual cost of the target's runs today, else the catalogue projection); targets
 * the caps cannot cover are "not probed: budget". The ledger gets {@link LEDGER_BUDGET_MS}: a round with a cap waits
 * that long at most (a ledger still unknown then refuses what a cap covers, with a log line); a round without one
 * does not wait at all (the reservation is recorded beside the probes). Confirmation probes reserve their own share. After the round the
 * reservations are settled with the actual costs, and the 80 % / 100 % marks are announced once each per day as
 * `budget` notifications. Without any cap the ledger still records the spend (the dashboard reads it).
 */
import type { PriceTable } from '../cost/prices.js';
import { runsPerDay } from '../config/runsPerDay.js';
import type { CanarySettings } from '../config/settings.js';
import type { TargetConfig } from '../config/targets.js';
import { entryKey, meanActualUsd, spentUsd, type Caps, type ReservationRequest } from '../cost/ledger.js';
import { projectCost, promptLengths } from '../cost/projection.js';
import { formatUsd } from '../cost/usd.js';
import type { PromptSpec } from '../prompts/catalog.js';
import type { Notification } from '../sinks/alerts/alertState.js';
import { noticeSummary } from '../sinks/alerts/notices.js';
import { noRunFigures, type NotProbedKind, type RunSummary } from '../runSummary.js';
import type { ArtifactStore } from '../store/artifactStore.js';
import { ledgerDay, readLedger, reserveInLedger, settleInLedger } from '../store/budgetLedger.js';
import { DASHBOARD_PATH, ledgerPath } from '../store/layout.js';
import { withDeadline } from '../deadline.js';
import { storageErrorText } from '../store/storageErrors.js';

export interface BudgetContext {
  store: ArtifactStore;
  settings: Pick<CanarySettings, 'dailyBudgetUsd' | 'schedule' | 'turns' | 'prompts' | 'region'>;
  targets: readonly TargetConfig[];
  runId: string;
  now: () => Date;
  prices: PriceTable;
  catalog: readonly PromptSpec[];
  notify: (n: Notification) => Promise<boolean>;
  warn: (m: string) => void;
}

export interface RoundBudget {
  /** Why a target is not probed this round, or undefined when it may be. */
  refusal(target: string): string | undefined;
  /** Reserves a confirmation probe (attempt ≥ 2); false when the budget cannot cover it. */
  reserveConfirmation(target: string, attempt: number): Promise<boolean>;
  /** Settles the attempts' actual costs (null: no price) and announces budget marks. */
  settle(costs: readonly { target: string; attempt: number; usd: number | null }[]): Promise<void>;
}

const NOT_PROBED = 'not probed: budget';
/**
 * How long a round's plan waits for the spend ledger (read and reservation together) before deciding without it:
 * a black-holed store costs a capped round's first probes 10 s, not the storage timeout (20 s) per call; long
 * enough that a slow but working store (a read and a conditional write, a few conflicts) is not taken for a dead
 * one, since a ledger unknown with a cap holds the capped targets back. An uncapped round never waits for it.
 */
export const LEDGER_BUDGET_MS = 10_000;

export async function planRoundBudget(c: BudgetContext): Promise<RoundBudget> {
  const day = ledgerDay(c.now());
  const region = c.settings.region;
  const caps: Caps = {
    dailyUsd: c.settings.dailyBudgetUsd,
    perTarget: Object.fromEntries(c.targets.map((t) => [t.name, t.dailyBudgetUsd])),
  };
  const capped = caps.dailyUsd !== undefined || c.targets.some((t) => t.dailyBudgetUsd !== undefined);
  const estimates = new Map<string, number | null>();
  let refused = new Map<string, string>();
  const reserveAll = async (): Promise<Awaited<ReturnType<typeof reserveInLedger>>> => {
    const today = await readLedger(c.store, day);
    const { schedule, turns, prompts } = c.settings;
    const catalog = promptLengths(c.catalog);
    const projection = projectCost({
      targets: c.targets,
      regions: [region],
      schedule,
      runsPerDayPerRegion: runsPerDay(schedule),
      turns,
      prompts,
      catalog,
      prices: c.prices,
    });
    for (const row of projection.rows) estimates.set(row.target, meanActualUsd(today, row.target) ?? row.usdPerRun);
    const order = [...c.targets].sort((a, b) => Number(b.baseline ?? false) - Number(a.baseline ?? false));
    const requests: ReservationRequest[] = order.map((t) => ({
      target: t.name,
      region,
      runId: c.runId,
      attempt: 1,
      estimateUsd: estimates.get(t.name) ?? null,
    }));
    return reserveInLedger(c.store, day, requests, caps, c.now());
  };
  const reserved = withDeadline(`the spend ledger ${ledgerPath(day)}`, LEDGER_BUDGET_MS, reserveAll).then(
    async (r) => {
      refused = r.refused;
      await announce(c, r.reached, spentUsd(r.ledger), day);
    },
    (err: unknown) => {
      const why = `the spend ledger ${ledgerPath(day)} is unavailable (${storageErrorText(err)})`;
      if (!capped) return c.warn(`${why}; probing without recording the spend`);
      // a cap that cannot be checked is treated as reached: the targets under one are not probed this round
      const held = c.targets.filter((t) => caps.dailyUsd !== undefined || t.dailyBudgetUsd !== undefined);
      for (const t of held) refused.set(entryKey({ runId: c.runId, region, target: t.name, attempt: 1 }), why);
      c.warn(
        `${why}; ${held.length} target(s) under a spending cap not probed this round (a cap that cannot be ` +
          `checked is treated as reached), ${c.targets.length - held.length} without a cap probed`,
      );
    },
  );
  // the caps decide what is probed, so a capped round waits (≤ LEDGER_BUDGET_MS); otherwise probing starts at once
  if (capped) await reserved;
  return {
    refusal(target) {
      const why = refused.get(entryKey({ runId: c.runId, region, target, attempt: 1 }));
      return why === undefined ? undefined : `${NOT_PROBED} (${why})`;
    },
    async reserveConfirmation(target, attempt) {
      await reserved;
      try {
        const r = await reserveInLedger(
          c.store,
          day,
          [{ target, region, runId: c.runId, attempt, estimateUsd: estimates.get(target) ?? null }],
          caps,
          c.now(),
        );
        await announce(c, r.reached, spentUsd(r.ledger), day);
        return r.refused.size === 0;
      } catch (err) {
        c.warn(`confirmation of ${target} not reserved: ${err instanceof Error ? err.message : String(err)}`);
        return !capped;
      }
    },
    async settle(costs) {
      await reserved;
      if (!costs.length) return;
      try {
        const actual = new Map(
          costs.map((x) => [entryKey({ runId: c.runId, region, target: x.target, attempt: x.attempt }), x.usd]),
        );
        const r = await settleInLedger(c.store, day, actual, caps.dailyUsd, c.now());
        await announce(c, r.reached, spentUsd(r.ledger), day);
      } catch (err) {
        c.warn(`spend ledger not settled: ${err instanceof Error ? err.message : String(err)}`);
      }
    },
  };
}

/** One `budget` notification per mark reached (the ledger made sure each mark is reached once per day). */
async function announce(
  c: BudgetContext,
  reached: readonly ('80' | '100')[],
  spent: number,
  day: string,
): Promise<void> {
  const budget = c.settings.dailyBudgetUsd;
  if (budget === undefined) return;
  for (const mark of reached) {
    const at = c.now().toISOString();
    const amounts = `${formatUsd(spent, { digits: 2, grouping: false })} of ${formatUsd(budget, { digits: 2, grouping: false })} on ${day}`;
    const headline =
      mark === '100'
        ? `Daily budget used up: ${amounts}; targets it cannot cover are not probed until 00:00 UTC.`
        : `80 % of the daily budget reached: ${amounts}.`;
    const summary = budgetSummary(c, at, headline, ledgerPath(day));
    const n: Notification = {
      id: `budget:${c.settings.region}/${day}:${mark}`,
      kind: 'alert',
      category: 'budget',
      createdAt: at,
      region: c.settings.region,
      target: 'budget',
      summary,
      opening: { openedAt: at, runId: c.runId, runStartedAt: at, headline, failureClass: `budget_${mark}` },
      window: { failing: 0, of: 0 },
      sinceOpen: { runs: 0, failing: 0 },
    };
    if (!(await c.notify(n).catch(() => false))) c.warn(`budget notification ${n.id} not delivered`);
  }
}

/** A budget notice's summary: a notice's (../sinks/alerts/notices.ts) naming the day's ledger. */
function budgetSummary(c: BudgetContext, at: string, headline: string, path: string): RunSummary {
  const notice = noticeSummary({
    runId: c.runId,
    at,
    region: c.settings.region,
    target: 'budget',
    verdict: 'error',
    headline,
  });
  return { ...notice, flavour: 'budget', deployment: 'daily budget', reportPath: path };
}

/**
 * The index line of a target not probed — the budget did not cover it, a session quota was used up, the round was
 * full: a line, not silence (no alert state, no telemetry).
 */
export function notProbedSummary(
  roundStartedAt: Date,
  runId: string,
  region: string,
  t: TargetConfig,
  reason: string,
  kind: NotProbedKind = 'budget',
): RunSummary {
  return {
    ...noRunFigures(),
    runId,
    startedAt: roundStartedAt.toISOString(),
    region,
    target: t.name,
    flavour: t.flavour ?? 'unknown',
    host: '',
    deployment: t.deployment,
    group: t.group,
    baseline: t.baseline ?? false,
    verdict: 'error',
    headline: reason,
    reportPath: '',
    reportHtmlPath: DASHBOARD_PATH,
    notProbed: kind,
  };
}

export function isBudgetRefusal(reason: string): boolean {
  return reason.startsWith(NOT_PROBED);
}
