/** The cost, model and confirmation fields a report contributes to its RunSummary (absent fields are left out). */
import type { Report } from '../analysis/report.js';
import type { RunSummary } from '../runSummary.js';
import { roundUsd } from './usd.js';

export function costFields(report: Report): Pick<RunSummary, 'costUsd' | 'model' | 'attempts' | 'intermittent'> {
  const out: Pick<RunSummary, 'costUsd' | 'model' | 'attempts' | 'intermittent'> = {};
  const c = report.cost;
  if (c && 'usd' in c) out.costUsd = c.usd;
  if (c?.model) out.model = c.model;
  if (report.confirmation) {
    const costs = report.confirmation.attempts.map((a) => a.costUsd);
    if (costs.every((x): x is number => x !== null)) out.costUsd = roundUsd(costs.reduce((a, b) => a + b, 0));
    out.attempts = report.confirmation.attempts.length;
    if (report.confirmation.outcome === 'intermittent') out.intermittent = true;
  }
  return out;
}
