/**
 * The one turn line, printed wherever a turn is summed up in a line (the CLI's probe output, report.html's turn
 * header, the support case summary): the verdict, then the latencies a caller feels —
 * `PASS  first audio 480 ms · thought 2.8 s · answer at 4.9 s` on a reasoning turn, `PASS  first audio 480 ms` on
 * a turn without a spoken preamble. Callers may add their own numbers after the latencies.
 */
import { dur, sec } from './format.js';
import type { TimingMetrics } from './metrics.js';
import type { ReportTurn } from './report.js';

/** The latencies of a turn: first audio, and on a reasoning turn how long the model thought and when the answer began. */
export function latencyParts(timing: TimingMetrics): string[] {
  const parts: string[] = [];
  if (timing.firstAudioMs !== null) parts.push(`first audio ${dur(timing.firstAudioMs)}`);
  // A reasoning model's pause after its preamble is thinking, shown as such (not as a gap or a stall).
  if (timing.reasoningMs !== null) parts.push(`thought ${sec(timing.reasoningMs)}`);
  if (timing.reasoningMs !== null && timing.finalAnswerMs !== null)
    parts.push(`answer at ${sec(timing.finalAnswerMs)}`);
  return parts;
}

/**
 * `PASS  first audio 480 ms · thought 2.8 s · answer at 4.9 s`, then `extra` (e.g. `audio 8.1 s`) on the same line;
 * a turn that did not run says so: `ERROR  (not-started: the turn did not run)`.
 */
export function turnLine(
  turn: Pick<ReportTurn, 'verdict' | 'outcome' | 'metrics'>,
  extra: readonly string[] = [],
): string {
  const verdict = turn.verdict.toUpperCase();
  if (!turn.metrics) return `${verdict}  (${turn.outcome}: the turn did not run)`;
  const parts = [...latencyParts(turn.metrics.timing), ...extra];
  return parts.length ? `${verdict}  ${parts.join(' · ')}` : verdict;
}
