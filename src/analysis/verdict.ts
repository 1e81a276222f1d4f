/**
 * Verdicts.
 *
 * Turn: `error` when the turn never ran (skipped after the session ended, or never started) or ran without the
 * probe getting as far as a response and nothing explains why; `fail` when any of its findings is critical or
 * major; else `pass`.
 *
 * Run: `error` when the probe could not run at all (`connection_rejected`, or no turn ever started); else `fail`
 * when any turn or run-level finding is critical or major; else `error` when a turn is `error` (e.g. the run was
 * aborted); else `pass`. Minor and info findings never fail a verdict.
 */
import { isFailingSeverity, type Finding, type Verdict } from './findings.js';
import type { TurnAnalysis } from './metrics.js';

/** The verdict of one turn. `ran`: the turn started and produced (or awaited) a response. */
export function turnVerdict(findings: readonly Finding[], ran: boolean): Verdict {
  if (findings.some((f) => isFailingSeverity(f.severity))) return 'fail';
  return ran ? 'pass' : 'error';
}

/** The verdict of the run. */
export function runVerdict(turns: readonly TurnAnalysis[], runFindings: readonly Finding[]): Verdict {
  const started = turns.some((t) => t.outcome !== 'not-started' && t.outcome !== 'skipped');
  if (!started || runFindings.some((f) => f.code === 'connection_rejected')) return 'error';
  const failing = [...runFindings, ...turns.flatMap((t) => t.findings)].some((f) => isFailingSeverity(f.severity));
  if (failing) return 'fail';
  return turns.some((t) => t.verdict === 'error') ? 'error' : 'pass';
}
