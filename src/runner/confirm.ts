/**
 * Confirm before paging: a failing probe is probed again right away (CANARY_CONFIRM_RETRIES times at most, each
 * covered by the budget and the round deadline). A confirmation that passes makes the run an *intermittent* pass:
 * its report is still the first probe's, with that failure's findings as evidence, and a `confirmation` block that
 * lists every attempt; when every attempt fails the failure is *confirmed*. Only the run's final verdict reaches
 * the alert rules, so K-of-N counts confirmed failures. Confirmation probes are stored next to the run's report
 * in `confirm-<n>/`.
 */
import { runCost, costUsd } from '../analysis/cost.js';
import type { RunAnalysis } from '../analysis/metrics.js';
import type { PriceTable } from '../analysis/prices.js';
import type { ConfirmationAttempt, Report } from '../analysis/report.js';
import { strAt } from '../analysis/fields.js';
import { serializeEvents, traceWavs } from '../probe/traceFile.js';
import type { Trace } from '../probe/trace.js';
import { scrub } from '../realtime/redact.js';
import type { ArtifactStore } from '../sinks/artifactStore.js';
import { gzipText } from '../sinks/gzip.js';
import { EVENTS_GZ, REPORT_JSON, type RunPaths } from '../sinks/layout.js';
import { reportSummary } from '../analysis/reportSummary.js';

export interface Attempt {
  trace: Trace;
  analysis: RunAnalysis;
}

/** Probes once, then again while the last attempt failed, retries remain and `mayRetry(attempt)` allows it. */
export async function probeConfirmed(once: () => Promise<Attempt>, retries: number, mayRetry: (attempt: number) => Promise<boolean>): Promise<Attempt[]> {
  const attempts = [await once()];
  while (attempts.at(-1)!.analysis.verdict !== 'pass' && attempts.length <= retries && (await mayRetry(attempts.length + 1))) attempts.push(await once());
  return attempts;
}

export const confirmDir = (attempt: number): string => `confirm-${attempt}/`;

function sessionId(trace: Trace): string | null {
  for (const e of trace.entries) if (e.kind === 'recv' && e.type === 'session.created') return strAt(e.event, 'session', 'id') ?? null;
  return null;
}

/** The first attempt's report with the confirmation block and the final verdict; unchanged for a single attempt. */
export function withConfirmation(report: Report, attempts: readonly Attempt[], prices: PriceTable): Report {
  if (attempts.length < 2) return report;
  const list: ConfirmationAttempt[] = attempts.map((a, i) => {
    const s = reportSummary(a.analysis);
    const entry: ConfirmationAttempt = {
      attempt: i + 1, sessionId: sessionId(a.trace), startedAt: a.trace.meta.startedAt, verdict: a.analysis.verdict,
      findingCodes: s.findingCodes, headline: s.headline ?? null, costUsd: costUsd(runCost(a.trace, prices)) ?? null,
    };
    if (i > 0) entry.report = confirmDir(i + 1) + REPORT_JSON;
    return entry;
  });
  const last = attempts.at(-1)!.analysis.verdict;
  const outcome = last === 'pass' ? 'intermittent' : 'confirmed';
  return { ...report, verdict: last === 'pass' ? 'pass' : report.verdict, confirmation: { outcome, firstVerdict: report.verdict, attempts: list } };
}

/** Writes the confirmation attempts (events, audio, report.json) into `confirm-<n>/` of the run folder. */
export async function publishConfirmations(store: ArtifactStore, paths: RunPaths, attempts: readonly Attempt[], reports: readonly Report[], secrets: readonly string[]): Promise<void> {
  for (let i = 1; i < attempts.length; i++) {
    const dir = paths.dir + confirmDir(i + 1);
    const a = attempts[i]!;
    await store.put(dir + EVENTS_GZ, await gzipText(serializeEvents(a.trace, secrets)), 'application/gzip');
    for (const [name, wav] of traceWavs(a.trace)) await store.put(dir + name, wav, 'audio/wav');
    await store.put(dir + REPORT_JSON, scrub(JSON.stringify(reports[i], null, 2), secrets), 'application/json');
  }
}

/** The actual cost of each attempt, for the ledger (null: no price). */
export function attemptCosts(target: string, attempts: readonly Attempt[], prices: PriceTable): { target: string; attempt: number; usd: number | null }[] {
  return attempts.map((a, i) => ({ target, attempt: i + 1, usd: costUsd(runCost(a.trace, prices)) ?? null }));
}
