/**
 * Confirm before paging: a failing probe is probed again right away (CANARY_CONFIRM_RETRIES times at most, each
 * covered by the budget and the round deadline). A confirmation that passes makes the run an *intermittent* pass:
 * its report is still the first probe's, with that failure's findings as evidence, and a `confirmation` block that
 * lists every attempt; when every attempt fails the failure is *confirmed*. Only the run's final verdict reaches
 * the alert rules, so K-of-N counts confirmed failures. Configuration problems (a refused key, a missing secret)
 * are not re-probed: another attempt cannot fix them; nor is a throttled run whose service asked to wait over a
 * minute. Capacity problems otherwise are, as incidents: they are transient. Confirmation probes are stored next to the run's report in
 * `confirm-<n>/` (by the artifacts sink).
 */
import type { ConfirmationAttempt, Report, ReportConfirmation } from '../analysis/report.js';
import { costUsd } from '../cost/runCost.js';
import { isAnalysisReport } from '../sinks/runSink.js';
import { confirmDir, REPORT_JSON } from '../store/layout.js';
import { summarize } from './summarize.js';
import type { TargetRun } from './targetRun.js';

/** A throttled run whose service asked to wait longer than this is not probed again at once (it cannot pass yet). */
export const CONFIRM_MAX_RETRY_AFTER_MS = 60_000;

/**
 * Whether a run is worth confirming: it did not pass, not because the canary is misconfigured, and not throttled
 * with a wait longer than {@link CONFIRM_MAX_RETRY_AFTER_MS} (a spent daily quota: probing again only spends more).
 */
export function needsConfirmation(run: TargetRun): boolean {
  const r = run.artifacts.report;
  if (r.verdict === 'pass') return false;
  if (!isAnalysisReport(r)) return r.category !== 'configuration';
  const p = r.problem;
  return p?.category !== 'configuration' && !((p?.retryAfterMs ?? 0) > CONFIRM_MAX_RETRY_AFTER_MS);
}

/**
 * Probes again while the last attempt needs confirming, retries remain and `mayRetry(attempt)` allows it;
 * `again` answers undefined when the attempt could not run (too little of the round left), which ends the loop.
 */
export async function probeConfirmed(
  first: TargetRun,
  again: (attempt: number) => Promise<TargetRun | undefined>,
  retries: number,
  mayRetry: (attempt: number) => Promise<boolean>,
): Promise<TargetRun[]> {
  const attempts = [first];
  while (needsConfirmation(attempts.at(-1)!) && attempts.length <= retries && (await mayRetry(attempts.length + 1))) {
    const next = await again(attempts.length + 1);
    if (!next) break;
    attempts.push(next);
  }
  return attempts;
}

/** The actual cost of an attempt (null: no price; 0: it never reached the service). */
export function attemptUsd(run: TargetRun): number | null {
  const r = run.artifacts.report;
  if (isAnalysisReport(r)) return costUsd(r.cost) ?? null;
  return run.artifacts.trace ? null : 0;
}

/**
 * The run to publish for `attempts`: unchanged for a single attempt (or a first attempt without an analysis);
 * otherwise the first attempt's report with the confirmation block and the final verdict ({@link confirmReport}),
 * and the later attempts as confirmations to store beside it.
 */
export function withConfirmation(
  attempts: readonly TargetRun[],
  render?: (report: Report, run: TargetRun) => string | undefined,
): TargetRun {
  const first = attempts[0]!;
  const report = first.artifacts.report;
  if (attempts.length < 2 || !isAnalysisReport(report)) return first;
  const confirmed = confirmReport(report, attempts.map(attemptEntry));
  const confirmations = attempts
    .slice(1)
    .map((a, i) => ({ dir: confirmDir(i + 2), trace: a.artifacts.trace, report: a.artifacts.report }));
  const html = render ? render(confirmed, first) : first.artifacts.html;
  return { ...first, artifacts: { ...first.artifacts, report: confirmed, html, confirmations } };
}

/**
 * The first attempt's report with the confirmation block: a passing last attempt makes it an intermittent pass,
 * otherwise the failure is confirmed and keeps the first verdict. Pure.
 */
export function confirmReport(report: Report, attempts: readonly ConfirmationAttempt[]): Report {
  const passed = attempts.at(-1)?.verdict === 'pass';
  const confirmation: ReportConfirmation = {
    outcome: passed ? 'intermittent' : 'confirmed',
    firstVerdict: report.verdict,
    attempts: [...attempts],
  };
  return { ...report, verdict: passed ? 'pass' : report.verdict, confirmation };
}

/** One attempt as the confirmation block lists it (from that attempt's own summary). */
function attemptEntry(run: TargetRun, i: number): ConfirmationAttempt {
  const s = summarize(run.artifacts.report, run.facts);
  const entry: ConfirmationAttempt = {
    attempt: i + 1,
    sessionId: s.sessionId ?? null,
    startedAt: s.startedAt,
    verdict: s.verdict,
    findingCodes: s.findingCodes,
    headline: s.headline ?? null,
    costUsd: attemptUsd(run),
  };
  if (i > 0) entry.report = confirmDir(i + 1) + REPORT_JSON;
  return entry;
}
