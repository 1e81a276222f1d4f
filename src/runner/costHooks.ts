/**
 * The cost steps of a scheduled round (issue 13), as the round's hooks (./hooks.ts): the `plan` reads the
 * round's prices and reserves each target's estimated cost in the day's spend ledger (./budget.ts), holding back
 * what the budget cannot cover as "not probed: budget" index lines; `afterRun` re-probes a failing run to confirm
 * it (./confirm.ts, each confirmation reserved too) and applies the drift step (./driftStep.ts); `end` settles
 * the ledger with the actual cost of every probe and announces the 80 % / 100 % marks, and the retirement notices
 * of models that retire soon (./retirementNotice.ts: one card each).
 */
import type { RunHtmlOptions } from '../report/runHtml.js';
import type { Report } from '../analysis/report.js';
import type { CanarySettings } from '../config/settings.js';
import type { PromptSpec } from '../prompts/catalog.js';
import type { Trace } from '../trace/trace.js';
import type { Notification } from '../sinks/alerts/alertState.js';
import { isAnalysisReport } from '../sinks/runSink.js';
import type { ArtifactStore } from '../store/artifactStore.js';
import { LEDGER_BUDGET_MS, notProbedSummary, planRoundBudget, type RoundBudget } from './budget.js';
import { withDeadline } from '../deadline.js';
import { attemptUsd, probeConfirmed, withConfirmation } from './confirm.js';
import { withRunDrift } from './driftStep.js';
import { retirementNotices } from './retirementNotice.js';
import type { RoundHooks } from './hooks.js';
import { roundPrices } from './roundPrices.js';
import { NotSentError, type TargetRun } from './targetRun.js';

export interface CostHookDeps {
  store: ArtifactStore;
  catalog: readonly PromptSpec[];
  /** Delivers a budget or retirement notification; true when delivered. */
  notify: (n: Notification) => Promise<boolean>;
  warn: (m: string) => void;
  now?: () => Date;
  /** Re-renders report.html of a confirmed run. */
  renderReportHtml?: (report: Report, trace: Trace, options?: RunHtmlOptions) => string;
}

type Settings = Pick<
  CanarySettings,
  'prices' | 'pricesBlob' | 'dailyBudgetUsd' | 'confirmRetries' | 'schedule' | 'turns' | 'prompts' | 'region'
>;

export function costHooks(settings: Settings, deps: CostHookDeps): RoundHooks {
  const now = deps.now ?? (() => new Date());
  const notices = retirementNotices({ store: deps.store, notify: deps.notify, warn: deps.warn, now });
  let budget: RoundBudget | undefined;
  const costs: { target: string; attempt: number; usd: number | null }[] = [];
  let planned: string[] = [];
  return {
    async plan(targets, round) {
      // the prices blob (when configured) gets the ledger's short budget: a black-holed store never holds the probes
      const prices = await withDeadline(`CANARY_PRICES_BLOB ${settings.pricesBlob}`, LEDGER_BUDGET_MS, () =>
        roundPrices(deps.store, settings, deps.warn),
      ).catch((err: unknown) => {
        deps.warn(`${(err as Error).message}; using the shipped prices of ${settings.prices.asOf}`);
        return settings.prices;
      });
      budget = await planRoundBudget({
        store: deps.store,
        settings,
        targets,
        runId: round.runId,
        now,
        prices,
        catalog: deps.catalog,
        notify: deps.notify,
        warn: deps.warn,
      });
      const b = budget;
      const probe = targets.filter((t) => !b.refusal(t.name));
      planned = probe.map((t) => t.name);
      const skipped = targets.flatMap((t) => {
        const reason = b.refusal(t.name);
        return reason
          ? [
              {
                target: t.name,
                reason,
                summary: notProbedSummary(round.startedAt, round.runId, settings.region, t, reason),
              },
            ]
          : [];
      });
      return { probe, skipped, prices };
    },
    async afterRun(run, target, again) {
      const next = async (attempt: number): Promise<TargetRun | undefined> => {
        try {
          return await again();
        } catch (err) {
          if (!(err instanceof NotSentError)) throw err;
          deps.warn(`confirmation ${attempt} of ${target.name} skipped: ${err.message}`);
          costs.push({ target: target.name, attempt, usd: 0 }); // reserved, never probed
          return undefined;
        }
      };
      // a run without an analysis (the probe hung, the analysis threw) has no report to carry the confirmation
      const retries = isAnalysisReport(run.artifacts.report) ? settings.confirmRetries : 0;
      const attempts = await probeConfirmed(run, next, retries, async (n) =>
        budget ? budget.reserveConfirmation(target.name, n) : true,
      );
      attempts.forEach((a, i) => costs.push({ target: target.name, attempt: i + 1, usd: attemptUsd(a) }));
      const render = deps.renderReportHtml;
      const confirmed = withConfirmation(
        attempts,
        render
          ? (report, first) =>
              first.artifacts.trace ? render(report, first.artifacts.trace, first.htmlOptions) : undefined
          : undefined,
      );
      const drifted = await withRunDrift(confirmed, deps.store, settings.region, deps.warn);
      notices.note(drifted);
      return drifted;
    },
    async end(summaries) {
      // targets that never reached the service this round (deadline) cost nothing: release their reservation
      const seen = new Set(costs.map((c) => c.target));
      const unspent = planned.filter((t) => !seen.has(t)).map((target) => ({ target, attempt: 1, usd: 0 }));
      await budget?.settle([...costs, ...unspent]);
      await notices.announce(summaries);
    },
  };
}
