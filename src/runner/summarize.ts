/** A report's key numbers as the RunSummary the sinks consume (alerts, cards, index, telemetry). */
import type { Report } from '../analysis/report.js';
import type { RunPaths } from '../store/layout.js';
import type { RunSummary } from '../runSummary.js';
import { costFields } from '../cost/summaryFields.js';

export function summarize(report: Report, region: string, target: { group?: string; baseline?: boolean }, paths: Pick<RunPaths, 'reportJson' | 'reportHtml'>): RunSummary {
  const s = report.summary;
  return {
    runId: report.runId,
    startedAt: report.times.startedAt,
    durationMs: report.times.durationMs,
    region,
    target: report.target.name,
    flavour: report.target.flavour,
    host: report.target.host,
    deployment: report.target.deployment ?? undefined,
    group: target.group,
    baseline: target.baseline ?? false,
    verdict: report.verdict,
    findingCodes: s.findingCodes,
    headline: s.headline ?? undefined,
    turns: s.turns,
    failingTurns: s.failingTurns,
    longestGapMs: s.longestGapMs,
    coverage: s.minCoverage ?? undefined,
    timeToFirstAudioMs: s.medianFirstAudioMs ?? undefined,
    sessionId: report.correlation.sessionId ?? undefined,
    requestIds: report.correlation.requestIds,
    comparison: report.comparison?.map((c) => c.message).join(' ') || undefined,
    reportPath: paths.reportJson,
    reportHtmlPath: paths.reportHtml,
    ...costFields(report),
  };
}
