/**
 * Coverage: how much of the answer the audio covers — against the speech its transcript implies at the
 * target's speaking rate, and against the audio its `usage` tokens imply (less a few tokens of per-item overhead).
 */
import { ms1, ratio3 } from './fields.js';
import type { Rates } from './history.js';
import type { CoverageMetrics } from './metrics.js';

export interface CoverageInput {
  audioMs: number;
  transcriptChars: number;
  outputAudioTokens: number | null;
  trailingTranscriptChars: number;
  /** Distinct audio items of the turn (each carries a few tokens of overhead in usage). */
  audioItems: number;
  /** Overhead tokens per audio item, subtracted before the usage-implied duration is computed. */
  overheadTokensPerItem: number;
}

/** Coverage ratios of one turn. */
export function coverageMetrics(input: CoverageInput, rates: Rates): CoverageMetrics {
  const cps = rates.charsPerSecond.value;
  const tps = rates.audioTokensPerSecond.value;
  const transcriptImpliedMs = input.transcriptChars > 0 && cps > 0 ? (input.transcriptChars * 1000) / cps : null;
  const audioTokens = input.outputAudioTokens
    ? input.outputAudioTokens - input.overheadTokensPerItem * Math.max(1, input.audioItems)
    : 0;
  const usageImpliedMs = audioTokens > 0 && tps > 0 ? (audioTokens * 1000) / tps : null;
  return {
    charsPerSecond: cps,
    charsPerSecondSource: rates.charsPerSecond.source,
    transcriptImpliedMs: transcriptImpliedMs === null ? null : ms1(transcriptImpliedMs),
    transcriptRatio: transcriptImpliedMs === null ? null : ratio3(input.audioMs / transcriptImpliedMs),
    audioTokensPerSecond: tps,
    audioTokensSource: rates.audioTokensPerSecond.source,
    usageImpliedMs: usageImpliedMs === null ? null : ms1(usageImpliedMs),
    usageRatio: usageImpliedMs === null ? null : ratio3(input.audioMs / usageImpliedMs),
    trailingTranscriptChars: input.trailingTranscriptChars,
    trailingTranscriptMs: cps > 0 ? ms1((input.trailingTranscriptChars * 1000) / cps) : 0,
  };
}
