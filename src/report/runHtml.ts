/**
 * `report.html`: one run for people — what went wrong, where in the audio, what it sounded like, and every id
 * support asks for. Pure: a report and its trace in, one self-contained HTML string out (inline CSS, SVG and
 * script; the only requests the page makes are for the WAV files next to it, see {@link RunHtmlOptions.audioHref}).
 * Everything that came from the service is escaped.
 */
import type { Report } from '../analysis/report.js';
import type { Trace } from '../trace/trace.js';
import { BASELINE_CSS, baselineTurnHtml, type BaselineRun } from './baselineTurn.js';
import { reportProblem } from './configuration.js';
import { correlationOf } from './correlation.js';
import { escapeText } from './escape.js';
import { EVENT_TABLE_CSS, eventTable } from './eventTable.js';
import { htmlPage } from './page.js';
import { runCostHtml } from './costSection.js';
import { RUN_SCRIPT } from './runScript.js';
import { SECTIONS_CSS, correlationHtml, findingsHtml, headerHtml, type RunLinks } from './runSections.js';
import { supportSummary } from './supportSummary.js';
import { TIMELINE_CSS } from './timelineSvg.js';
import { TURN_CSS, defaultAudioHref, turnHtml, type AudioHref } from './turnHtml.js';

export type { AudioHref } from './turnHtml.js';
export type { BaselineRun } from './baselineTurn.js';
export type { RunLinks } from './runSections.js';

export interface RunHtmlOptions {
  /**
   * URL of a turn's answer (`'turn'`) or prompt (`'prompt'`) WAV. Default: `turn-<n>.wav` / `prompt-<n>.wav`,
   * relative to the report (the layout stores them side by side). Relative URLs get the page's query string
   * (a SAS token) appended by the page script; absolute URLs are used as they are.
   */
  audioHref?: AudioHref;
  /**
   * The group's baseline run of the same round (the round has it: `report.comparison[0].baseline` names it). Each
   * turn then shows the baseline's same-minute turn side by side, with the comparison's attribution sentence.
   */
  baseline?: BaselineRun;
  /**
   * Links to the baseline's run (default: `baseline.runHref`), this target's previous run, the dashboard and
   * `evidence.zip`; each is shown only when given.
   */
  links?: RunLinks;
}

/** The HTML report of one run. */
export function renderRunHtml(report: Report, trace: Trace, opts: RunHtmlOptions = {}): string {
  const audioHref = opts.audioHref ?? defaultAudioHref;
  const correlation = correlationOf(report, trace);
  const problem = reportProblem(report);
  const attribution = report.comparison?.[0]?.message;
  const links: RunLinks = { ...(opts.baseline ? { baseline: opts.baseline.runHref } : {}), ...opts.links };
  const turns = report.turns.map((t) =>
    turnHtml(
      trace,
      t,
      audioHref,
      opts.baseline ? baselineTurnHtml(opts.baseline, t, attribution, report.target.transport) : '',
    ),
  );
  const body = [
    headerHtml(report, links, problem),
    attribution && !problem
      ? `<p class="attribution-top" data-testid="comparison">Compared with the baseline at the same minute: ${escapeText(attribution)}</p>`
      : '',
    findingsHtml(report),
    `<section id="turns"><h2>Turns</h2>${turns.join('\n')}</section>`,
    correlationHtml(correlation, problem ? undefined : supportSummary(report, correlation), problem),
    runCostHtml(report),
    `<section id="events"><h2>Events</h2>${eventTable(trace)}</section>`,
    `<footer class="muted"><p>${escapeText(report.tool.name)} ${escapeText(report.tool.version)} · ` +
      `run ${escapeText(report.runId)} · report schema ${report.schemaVersion}. The same data is in report.json ` +
      `and events.jsonl next to this page.</p></footer>`,
  ].join('\n');
  return htmlPage({
    title: `${report.verdict.toUpperCase()} · ${report.target.name} · ${report.times.startedAt.slice(0, 16).replace('T', ' ')} UTC`,
    css:
      SECTIONS_CSS +
      TURN_CSS +
      BASELINE_CSS +
      TIMELINE_CSS +
      EVENT_TABLE_CSS +
      'footer{margin-top:32px;font-size:12px}.attribution-top{font-weight:600;border-left:3px solid var(--accent);padding-left:8px}',
    body,
    script: RUN_SCRIPT,
  });
}
