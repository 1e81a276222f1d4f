/**
 * The demo's account of the steps the Function runs around each probe (../runner/costHooks.ts), read from the last
 * round and the store: which failures a confirmation probe confirmed or found intermittent, the spend the day's
 * ledger recorded, the drift fingerprints kept per target, and the models that retire soon.
 */
import { retirementPhrase } from '../analysis/lifecycle.js';
import { spentUsd } from '../cost/ledger.js';
import { formatUsd } from '../cost/usd.js';
import type { RoundResult } from '../runner/round.js';
import type { RunSummary } from '../runSummary.js';
import type { ArtifactStore } from '../store/artifactStore.js';
import { ledgerDay, readLedger } from '../store/budgetLedger.js';
import { fingerprintPath, ledgerPath } from '../store/layout.js';

const DRIFT = new Set<string>(['model_changed', 'behaviour_changed']);

/** One line per step: confirmation, budget, drift, model lifecycle. */
export async function hookLines(
  r: RoundResult,
  store: ArtifactStore,
  region: string,
  budgetUsd: number | undefined,
  now = new Date(),
): Promise<string[]> {
  const summaries = r.outcomes.map((o) => o.summary);
  const again = summaries.filter((s) => (s.attempts ?? 1) > 1);
  const listed = (what: string, list: RunSummary[]): string[] =>
    list.length ? [`${what} ${list.map((s) => s.target).join(', ')}`] : [];
  const outcomes = [
    ...listed(
      'confirmed:',
      again.filter((s) => !s.intermittent),
    ),
    ...listed(
      'intermittent (the confirmation passed):',
      again.filter((s) => s.intermittent),
    ),
  ];
  const day = ledgerDay(now);
  const ledger = await readLedger(store, day).catch(() => undefined);
  const probes = Object.values(ledger?.settled ?? {}).reduce((n, t) => n + t.probes, 0);
  const kept = await Promise.all(
    summaries.map(
      async (s) => (await store.readJson(fingerprintPath(region, s.target)).catch(() => undefined)) !== undefined,
    ),
  );
  const drifted = summaries.filter((s) => s.findingCodes.some((c) => DRIFT.has(c))).map((s) => s.target);
  const retiring = summaries.flatMap((s) =>
    s.retirement
      ? [`${s.target} runs ${retirementPhrase(s.retirement.model, s.retirement.retiresOn, s.startedAt)}`]
      : [],
  );
  const change = drifted.length ? `changed: ${drifted.join(', ')}` : 'no model or behaviour change';
  const spent = ledger && formatUsd(spentUsd(ledger), { digits: 4, grouping: false });
  const spend = spent
    ? `${spent} spent today over ${probes} probe(s), in ${ledgerPath(day)}`
    : `no spend ledger for ${day}`;
  const cap =
    budgetUsd === undefined
      ? 'no daily budget set (CANARY_DAILY_BUDGET_USD)'
      : `daily budget ${formatUsd(budgetUsd, { digits: 2, grouping: false })}`;
  return [
    `confirmation: ${again.length ? `${again.length} failure(s) probed again before counting; ${outcomes.join('; ')}` : 'no failure to probe again'}`,
    `budget: ${spend}; ${cap}`,
    `drift: ${kept.filter(Boolean).length} of ${summaries.length} targets have a model fingerprint; ${change}`,
    `lifecycle: ${retiring.length ? retiring.join('; ') : 'no model retires within 30 days'}`,
  ];
}
