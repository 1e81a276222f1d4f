/**
 * The one builder of a run's RunSummary (what the sinks consume: alerts, cards, index, telemetry): built once,
 * from the run's final report — after the drift, confirmation and group-comparison steps, which change the
 * report, never a summary — and the facts of the round the report does not hold.
 */
import { problemOf, type RunProblem } from '../analysis/problems.js';
import type { Report, ReportComparison } from '../analysis/report.js';
import { costFields } from '../cost/summaryFields.js';
import type { RunSummary } from '../runSummary.js';
import { isAnalysisReport, type ErrorReport } from '../sinks/runSink.js';
import { scrubValue } from '../realtime/scrubValue.js';
import type { RunPaths } from '../store/layout.js';

/** What a run's summary takes besides its report. */
export interface SummaryFacts {
  /** Where the canary ran (CANARY_REGION). */
  region: string;
  group?: string;
  baseline?: boolean;
  paths: Pick<RunPaths, 'reportJson' | 'reportHtml'>;
  /** Of an error report: how long the attempt took (an analysis report has `times.durationMs`). */
  durationMs?: number;
  /** Scrubbed from every string of the summary. */
  secrets?: readonly string[];
}

/**
 * The summary of `report`. `errorComparison`: an error run's same-round comparisons with its group (an error
 * report has no `comparison` of its own; an analysis report carries its comparisons, see ./comparison.ts).
 */
export function summarize(
  report: Report | ErrorReport,
  facts: SummaryFacts,
  errorComparison?: readonly ReportComparison[],
): RunSummary {
  const summary = isAnalysisReport(report)
    ? analysisSummary(report, facts)
    : errorSummary(report, facts, errorComparison);
  return scrubValue(summary, facts.secrets ?? []);
}

function analysisSummary(report: Report, f: SummaryFacts): RunSummary {
  const s = report.summary;
  const { attempts, intermittent, ...cost } = costFields(report);
  // the first probe's classification, left out once the run passes (an intermittent failure is a pass)
  const problem = report.verdict === 'pass' ? undefined : report.problem;
  return {
    runId: report.runId,
    startedAt: report.times.startedAt,
    durationMs: report.times.durationMs,
    region: f.region,
    target: report.target.name,
    flavour: report.target.flavour,
    host: report.target.host,
    deployment: report.target.deployment ?? undefined,
    group: f.group,
    baseline: f.baseline ?? false,
    verdict: report.verdict,
    findingCodes: s.findingCodes,
    headline: s.headline ?? undefined,
    turns: s.turns,
    failingTurns: s.failingTurns,
    longestGapMs: s.longestGapMs,
    coverage: s.minCoverage ?? undefined,
    timeToFirstAudioMs: s.medianFirstAudioMs ?? undefined,
    timing: turnTiming(report),
    sessionId: report.correlation.sessionId ?? undefined,
    ...(report.correlation.callId ? { callId: report.correlation.callId } : {}),
    requestIds: report.correlation.requestIds,
    comparison: messages(report.comparison),
    reportPath: f.paths.reportJson,
    reportHtmlPath: f.paths.reportHtml,
    ...cost,
    ...retirementOf(report),
    // the category, then the confirmation: the order of an index line's fields stays what it always was
    ...(problem ? { category: problem.category } : {}),
    ...problemSummary(problem),
    ...(attempts !== undefined ? { attempts } : {}),
    ...(intermittent ? { intermittent } : {}),
  };
}

/** The per-turn latencies the dashboard's percentiles are drawn from (turns that did not measure one are left out). */
function turnTiming(report: Report): NonNullable<RunSummary['timing']> {
  const of = (k: 'firstAudioMs' | 'finalAnswerMs'): number[] =>
    report.turns.flatMap((t) => {
      const v = t.metrics?.timing[k];
      return typeof v === 'number' ? [v] : [];
    });
  return { firstAudioMs: of('firstAudioMs'), finalAnswerMs: of('finalAnswerMs') };
}

/** The model's retirement, when the run announces it (`model_retiring`): the dashboard's "Service changes" line. */
function retirementOf(report: Report): Pick<RunSummary, 'retirement'> {
  const life = report.lifecycle;
  if (!life || !report.summary.findingCodes.includes('model_retiring')) return {};
  return {
    retirement: {
      model: life.model,
      retiresOn: life.retiresOn,
      ...(life.replacement ? { replacement: life.replacement } : {}),
    },
  };
}

/** The summary of a run that has no analysis (see ./errorRun.ts): an `error` line that says what failed. */
function errorSummary(
  report: ErrorReport,
  f: SummaryFacts,
  comparison: readonly ReportComparison[] | undefined,
): RunSummary {
  const e = report.error;
  return {
    runId: report.runId,
    startedAt: report.times.startedAt,
    durationMs: f.durationMs ?? 0,
    region: f.region,
    target: report.target.name,
    flavour: report.target.flavour,
    host: report.target.host,
    deployment: report.target.deployment ?? undefined,
    group: f.group,
    baseline: f.baseline ?? false,
    verdict: 'error',
    category: report.category,
    ...(report.category === 'configuration'
      ? problemSummary(problemOf('target-settings', { host: report.target.host }, { advice: e.fix }))
      : {}),
    findingCodes: [],
    headline: `${e.stage === 'configuration' ? 'configuration error' : `${e.stage} failed`}: ${e.message}`.slice(
      0,
      400,
    ),
    turns: 0,
    failingTurns: 0,
    longestGapMs: 0,
    coverage: undefined,
    timeToFirstAudioMs: undefined,
    sessionId: undefined,
    requestIds: {},
    comparison: messages(comparison),
    reportPath: f.paths.reportJson,
    reportHtmlPath: f.paths.reportHtml,
  };
}

/** The summary's `problem`: a configuration or capacity problem's words (an incident's are its findings). */
function problemSummary(problem: RunProblem | undefined): Pick<RunSummary, 'problem'> {
  if (!problem || problem.category === 'incident') return {};
  const { category: _, ...rest } = problem;
  return { problem: rest };
}

function messages(comparison: readonly ReportComparison[] | undefined): string | undefined {
  return comparison?.map((c) => c.message).join(' ') || undefined;
}
