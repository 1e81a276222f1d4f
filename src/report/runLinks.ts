/**
 * The links of a report that sits in the store layout (src/sinks/layout.ts), as paths relative to its report.html:
 * the dashboard at the container root, the baseline's run of the same round (a sibling target folder), this
 * target's previous run, and `evidence.zip` next to it. Pure; the round passes the result as
 * `renderRunHtml(…, { links })`.
 */
import { DASHBOARD_PATH, REPORT_HTML, safeSegment } from '../sinks/layout.js';
import { encodePath } from './escape.js';
import { EVIDENCE_ZIP } from './evidence.js';
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
    ...(o.baseline ? { baseline: relativeTo(o.reportHtmlPath, `${dir}/${safeSegment(o.baseline)}/${REPORT_HTML}`) } : {}),
    ...(o.previousReportHtmlPath ? { previousRun: relativeTo(o.reportHtmlPath, o.previousReportHtmlPath) } : {}),
    ...(o.evidence === false ? {} : { evidence: EVIDENCE_ZIP }),
  };
}
