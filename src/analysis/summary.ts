/**
 * A short human-readable summary of a report for the CLI: a headline, then a few lines per turn (the key numbers
 * and each finding), then run-level findings.
 */
import type { DetectionConfig } from './config.js';
import { audioBeyondUsageMs } from './coverage.js';
import type { Finding } from './findings.js';
import { dur, pct, sec, tail } from './format.js';
import type { TurnMetrics } from './metrics.js';
import type { Report, ReportTurn } from './report.js';
import { turnLine } from './turnLine.js';

const MARK: Record<Finding['severity'], string> = { critical: '✗', major: '✗', minor: '!', info: 'i' };

/** The summary as lines of text (no trailing newline). */
export function summarizeReport(report: Report): string {
  const t = report.target;
  const where = [t.flavour, t.host, t.deployment, t.region].filter((x): x is string => !!x).join(', ');
  const notRun = report.turns.filter((x) => x.verdict === 'error').length;
  // turns that could not run are said as such, not counted as "0 failing"
  const counts =
    notRun === report.turns.length && notRun > 0
      ? `${notRun} turn(s), none could run`
      : `${report.summary.turns} turn(s), ${report.summary.failingTurns} failing${notRun ? `, ${notRun} could not run` : ''}`;
  const lines = [
    `${report.verdict.toUpperCase()}${kindOf(report)}  ${t.name} (${where})  ${counts}` +
      (report.correlation.sessionId ? `  session ${report.correlation.sessionId}` : '') +
      (report.correlation.callId ? `  WebRTC call ${report.correlation.callId}` : ''),
  ];
  for (const turn of report.turns) lines.push(...turnLines(turn, report.detection.config));
  if (report.findings.length) {
    lines.push('  run:');
    lines.push(...report.findings.map(findingLine));
  }
  for (const c of report.comparison ?? []) lines.push(`  compared with ${c.baseline} (${c.group}): ${c.message}`);
  return lines.join('\n');
}

/** " (configuration)" / " (capacity)" after the verdict: the run's classification, when it is not an incident. */
function kindOf(report: Report): string {
  const category = report.problem?.category;
  return category && category !== 'incident' ? ` (${category})` : '';
}

function turnLines(turn: ReportTurn, config: DetectionConfig): string[] {
  const m = turn.metrics;
  const lines = [
    `  turn ${turn.turn}${turn.promptId ? ` ${turn.promptId}` : ''}: ${turnLine(turn, m ? keyNumbers(m, config) : [])}`,
  ];
  if (m?.transcript.text) lines.push(`      “${tail(m.transcript.text, 90)}”`);
  lines.push(...turn.findings.map(findingLine));
  return lines;
}

/** The CLI's numbers after the turn line's latencies. */
function keyNumbers(m: TurnMetrics, config: DetectionConfig): string[] {
  const parts = [`audio ${sec(m.audio.totalMs)}`];
  if (m.silence.gaps.length) parts.push(`longest gap ${sec(Math.max(...m.silence.gaps.map((g) => g.durationMs)))}`);
  const coverage = m.coverage.usageRatio ?? m.coverage.transcriptRatio;
  // Above 100 % is not healthier than 100 %: more audio than usage accounts for was sent twice or is not speech.
  const beyond =
    audioBeyondUsageMs(m.coverage, m.audio.totalMs, config) > 0 ? ' (more audio than usage accounts for)' : '';
  if (coverage !== null && m.audio.bytes > 0) parts.push(`coverage ${pct(coverage)}${beyond}`);
  if (m.delivery.audioGapMaxMs !== null) parts.push(`max delivery gap ${dur(m.delivery.audioGapMaxMs)}`);
  if (m.terminal.status) parts.push(`status ${m.terminal.status}`);
  else parts.push('no response.done');
  return parts;
}

function findingLine(f: Finding): string {
  return `    ${MARK[f.severity]} ${f.code} (${f.severity}): ${f.message}`;
}
