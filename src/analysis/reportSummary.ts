/**
 * The key numbers of a run, for alerts, cards and the daily index: failing turns, finding codes, a headline,
 * the longest silent gap, the worst coverage and the typical time to first audio.
 */
import { findingCodes, findingRank, isFailingSeverity, type Finding, type FindingCode } from './findings.js';
import { median, ms1 } from './fields.js';
import type { RunAnalysis } from './metrics.js';

export interface ReportSummary {
  turns: number;
  failingTurns: number;
  /** Turns that never ran (skipped after the session ended) or could not be judged. */
  errorTurns: number;
  /** Distinct finding codes of the run, most severe first. */
  findingCodes: FindingCode[];
  /** The most severe failing finding's message, prefixed with its turn; null when nothing fails. */
  headline: string | null;
  /** Longest `silent_gap` of the run, ms; 0 when none. */
  longestGapMs: number;
  /** Lowest coverage of a turn that carried audio: usage ratio when known, else transcript ratio; null when neither is known. */
  minCoverage: number | null;
  /** Median time to first audio over the turns that had audio. */
  medianFirstAudioMs: number | null;
}

/** The summary of an analysis. */
export function reportSummary(analysis: RunAnalysis): ReportSummary {
  const all: Finding[] = [...analysis.findings, ...analysis.turns.flatMap((t) => t.findings)];
  const worst = all
    .filter((f) => isFailingSeverity(f.severity))
    .sort((a, b) => findingRank(a) - findingRank(b) || (a.turn ?? 0) - (b.turn ?? 0))[0];
  const metrics = analysis.turns.flatMap((t) => (t.metrics ? [t.metrics] : []));
  const coverage = metrics
    .filter((m) => m.audio.bytes > 0)
    .map((m) => m.coverage.usageRatio ?? m.coverage.transcriptRatio)
    .filter((r): r is number => r !== null);
  const firstAudio = metrics.map((m) => m.timing.firstAudioMs).filter((x): x is number => x !== null);
  // the first-audio times are 0.1 ms already, so only the mean of an even count's middle two is rounded
  const medianFirstAudio = median(firstAudio);
  return {
    turns: analysis.turns.length,
    failingTurns: analysis.turns.filter((t) => t.verdict === 'fail').length,
    errorTurns: analysis.turns.filter((t) => t.verdict === 'error').length,
    findingCodes: findingCodes(all),
    headline: worst ? `${worst.turn === null ? '' : `Turn ${worst.turn}: `}${worst.message}` : null,
    longestGapMs: metrics.reduce((m, x) => Math.max(m, ...x.silence.gaps.map((g) => g.durationMs)), 0),
    minCoverage: coverage.length ? Math.min(...coverage) : null,
    medianFirstAudioMs: medianFirstAudio === null ? null : ms1(medianFirstAudio),
  };
}
