/**
 * Coverage: how much of the answer the audio covers — against the speech its transcript implies at the
 * target's speaking rate, and against the audio its `usage` tokens imply.
 */
import { ms1, ratio3 } from './fields.js';
import type { Rates } from './history.js';
import type { CoverageMetrics } from './metrics.js';

export interface CoverageInput {
  audioMs: number;
  transcriptChars: number;
  outputAudioTokens: number | null;
  trailingTranscriptChars: number;
}

/** Coverage ratios of one turn. */
export function coverageMetrics(input: CoverageInput, rates: Rates): CoverageMetrics {
  const cps = rates.charsPerSecond.value;
  const tps = rates.audioTokensPerSecond.value;
  const transcriptImpliedMs = input.transcriptChars > 0 ? (input.transcriptChars * 1000) / cps : null;
  const usageImpliedMs = input.outputAudioTokens ? (input.outputAudioTokens * 1000) / tps : null;
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
    trailingTranscriptMs: ms1((input.trailingTranscriptChars * 1000) / cps),
  };
}
