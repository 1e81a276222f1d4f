/**
 * The cost, model and confirmation fields a report contributes to its RunSummary (absent fields are left out). A
 * run whose responses carried no `usage` has no cost: `costUsd` is left out (shown as unknown), never $0.
 */
import type { Report } from '../analysis/report.js';
import type { RunSummary } from '../runSummary.js';
import { roundUsd } from './usd.js';

export function costFields(report: Report): Pick<RunSummary, 'costUsd' | 'model' | 'attempts' | 'intermittent'> {
  const out: Pick<RunSummary, 'costUsd' | 'model' | 'attempts' | 'intermittent'> = {};
  const c = report.cost;
  if (c && 'usd' in c && c.perTurn.length > 0) out.costUsd = c.usd;
  if (c?.model) out.model = c.model;
  if (report.confirmation) {
    const costs = report.confirmation.attempts.map((a) => a.costUsd);
    // priced attempts, at least one of them billed: the sum (attempts that never reached the service count 0)
    if (costs.every((x): x is number => x !== null) && (out.costUsd !== undefined || costs.some((x) => x > 0)))
      out.costUsd = roundUsd(costs.reduce((a, b) => a + b, 0));
    out.attempts = report.confirmation.attempts.length;
    if (report.confirmation.outcome === 'intermittent') out.intermittent = true;
  }
  return out;
}
