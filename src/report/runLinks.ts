/**
 * The links of a report that sits in the store layout (src/store/layout.ts), as paths relative to its report.html:
 * the dashboard at the container root, the baseline's run of the same round (a sibling target folder), this
 * target's previous run, and `evidence.zip` next to it; {@link storedRunOptions} adds the baseline's run. Pure; the
 * round passes the result to `renderRunHtml`.
 */
import { DASHBOARD_PATH, EVIDENCE_ZIP, REPORT_HTML, safeSegment } from '../store/layout.js';
import { baselineTimelines } from './baselineTurn.js';
import { encodePath } from './escape.js';
import type { Report } from '../analysis/report.js';
import type { Trace } from '../trace/trace.js';
import type { RunHtmlOptions } from './runHtml.js';
import type { RunLinks } from './runSections.js';

export interface StoreLinkInput {
  /** This report's path in the store, e.g. `runs/2026/12/01/<runId>/<region>/<target>/report.html`. */
  reportHtmlPath: string;
  /** The baseline target's name, when the report has a comparison (`report.comparison[0].baseline`). */
  baseline?: string;
  /** The previous run's report.html path in the store (its RunSummary's `reportHtmlPath`). */
  previousReportHtmlPath?: string;
  /** Whether evidence.zip is written next to report.html (default true). */
  evidence?: boolean;
}

/** `to` relative to the folder of `from` (both store paths, `/`-separated). */
export function relativeTo(from: string, to: string): string {
  const a = from.split('/').slice(0, -1);
  const b = to.split('/');
  let i = 0;
  while (i < a.length && i < b.length - 1 && a[i] === b[i]) i++;
  return encodePath([...a.slice(i).map(() => '..'), ...b.slice(i)].join('/'));
}

/** The links of a report stored at `reportHtmlPath`. */
export function storeLinks(o: StoreLinkInput): RunLinks {
  const dir = o.reportHtmlPath.split('/').slice(0, -2).join('/');
  return {
    dashboard: relativeTo(o.reportHtmlPath, DASHBOARD_PATH),
    ...(o.baseline
      ? { baseline: relativeTo(o.reportHtmlPath, `${dir}/${safeSegment(o.baseline)}/${REPORT_HTML}`) }
      : {}),
    ...(o.previousReportHtmlPath ? { previousRun: relativeTo(o.reportHtmlPath, o.previousReportHtmlPath) } : {}),
    ...(o.evidence === false ? {} : { evidence: EVIDENCE_ZIP }),
  };
}

/** What the round knows about one published run, for its report page. */
export interface StoredRun {
  report: Report;
  trace: Trace;
  /** Its report.html path in the store (`runPaths(…).reportHtml`). */
  reportHtmlPath: string;
}

/** A baseline's run as the round keeps it for the rest of the round: its report and drawn timelines, not its audio. */
export interface StoredBaseline {
  report: Report;
  reportHtmlPath: string;
  timelines: ReadonlyMap<number, string>;
}

/** What the round keeps of a baseline's run ({@link StoredBaseline}): its timelines drawn now, its trace let go. */
export function storedBaseline(run: StoredRun): StoredBaseline {
  return {
    report: run.report,
    reportHtmlPath: run.reportHtmlPath,
    timelines: baselineTimelines(run.report, run.trace),
  };
}

/**
 * The `renderRunHtml` options of a run stored at `run.reportHtmlPath`: its links (dashboard, previous run,
 * evidence.zip) and, when the report has a comparison and the round has the baseline's run, the baseline's
 * same-minute turns side by side. The round calls `renderRunHtml(report, trace, storedRunOptions(…))`.
 */
export function storedRunOptions(
  run: StoredRun,
  o: { baseline?: StoredBaseline; previousReportHtmlPath?: string; evidence?: boolean } = {},
): RunHtmlOptions {
  const links = storeLinks({
    reportHtmlPath: run.reportHtmlPath,
    ...(o.baseline ? { baseline: o.baseline.report.target.name } : {}),
    ...(o.previousReportHtmlPath ? { previousReportHtmlPath: o.previousReportHtmlPath } : {}),
    ...(o.evidence === undefined ? {} : { evidence: o.evidence }),
  });
  if (o.baseline) links.baseline = relativeTo(run.reportHtmlPath, o.baseline.reportHtmlPath);
  return {
    links,
    ...(o.baseline
      ? { baseline: { report: o.baseline.report, timelines: o.baseline.timelines, runHref: links.baseline! } }
      : {}),
  };
}
