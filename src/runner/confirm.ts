/**
 * Confirm before paging: a failing probe is probed again right away (CANARY_CONFIRM_RETRIES times at most, each
 * covered by the budget and the round deadline). A confirmation that passes makes the run an *intermittent* pass:
 * its report is still the first probe's, with that failure's findings as evidence, and a `confirmation` block that
 * lists every attempt; when every attempt fails the failure is *confirmed*. Only the run's final verdict reaches
 * the alert rules, so K-of-N counts confirmed failures. Configuration problems (a refused key, a missing secret)
 * are not re-probed: another attempt cannot fix them. Confirmation probes are stored next to the run's report in
 * `confirm-<n>/` (by the artifacts sink).
 */
import { costUsd } from '../analysis/cost.js';
import type { ConfirmationAttempt, Report } from '../analysis/report.js';
import type { RunSummary } from '../runSummary.js';
import type { ErrorReport } from '../sinks/runSink.js';
import { REPORT_JSON } from '../store/layout.js';
import { costFields } from '../cost/summaryFields.js';
import { tallyOf } from './comparison.js';
import type { TargetRun } from './targetRun.js';

/** Whether a run is worth confirming: it did not pass, and not because the canary is misconfigured. */
export function needsConfirmation(s: RunSummary): boolean {
  return s.verdict !== 'pass' && s.category !== 'configuration';
}

/**
 * Probes again while the last attempt needs confirming, retries remain and `mayRetry(attempt)` allows it;
 * `again` answers undefined when the attempt could not run (too little of the round left), which ends the loop.
 */
export async function probeConfirmed(first: TargetRun, again: (attempt: number) => Promise<TargetRun | undefined>, retries: number, mayRetry: (attempt: number) => Promise<boolean>): Promise<TargetRun[]> {
  const attempts = [first];
  while (needsConfirmation(attempts.at(-1)!.artifacts.summary) && attempts.length <= retries && (await mayRetry(attempts.length + 1))) {
    const next = await again(attempts.length + 1);
    if (!next) break;
    attempts.push(next);
  }
  return attempts;
}

export const confirmDir = (attempt: number): string => `confirm-${attempt}/`;

const isAnalysis = (r: Report | ErrorReport): r is Report => !('kind' in r && r.kind === 'error-report');

/** The actual cost of an attempt (null: no price; 0: it never reached the service). */
export function attemptUsd(run: TargetRun): number | null {
  const r = run.artifacts.report;
  if (isAnalysis(r)) return costUsd(r.cost) ?? null;
  return run.artifacts.trace ? null : 0;
}

/**
 * The run to publish for `attempts`: unchanged for a single attempt (or a first attempt without an analysis);
 * otherwise the first attempt's report with the confirmation block and the final verdict, its summary and tally
 * following it, and the later attempts as confirmations to store beside it.
 */
export function withConfirmation(attempts: readonly TargetRun[], render?: (report: Report, run: TargetRun) => string | undefined): TargetRun {
  const first = attempts[0]!;
  const report = first.artifacts.report;
  if (attempts.length < 2 || !isAnalysis(report)) return first;
  const list: ConfirmationAttempt[] = attempts.map((a, i) => {
    const s = a.artifacts.summary;
    const entry: ConfirmationAttempt = {
      attempt: i + 1, sessionId: s.sessionId ?? null, startedAt: s.startedAt, verdict: s.verdict,
      findingCodes: s.findingCodes, headline: s.headline ?? null, costUsd: attemptUsd(a),
    };
    if (i > 0) entry.report = confirmDir(i + 1) + REPORT_JSON;
    return entry;
  });
  const last = attempts.at(-1)!.artifacts.summary.verdict;
  const outcome = last === 'pass' ? 'intermittent' : 'confirmed';
  const confirmed: Report = { ...report, verdict: last === 'pass' ? 'pass' : report.verdict, confirmation: { outcome, firstVerdict: report.verdict, attempts: list } };
  const summary: RunSummary = { ...first.artifacts.summary, verdict: confirmed.verdict, ...costFields(confirmed) };
  if (last === 'pass') delete summary.category;
  const confirmations = attempts.slice(1).map((a, i) => ({ dir: confirmDir(i + 2), trace: a.artifacts.trace, report: a.artifacts.report }));
  const html = render ? render(confirmed, first) : first.artifacts.html;
  return { artifacts: { ...first.artifacts, summary, report: confirmed, html, confirmations }, tally: tallyOf(confirmed), report: confirmed };
}
