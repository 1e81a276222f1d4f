/**
 * Coverage: how much of the answer the audio covers — against the speech its transcript implies at the
 * target's speaking rate, and against the audio its `usage` tokens imply (less a few tokens of per-item overhead).
 */
import type { DetectionConfig } from './config.js';
import { ms1, ratio3 } from './fields.js';
import type { Rates } from './history.js';
import type { CoverageMetrics } from './metrics.js';

export interface CoverageInput {
  audioMs: number;
  bytes: number;
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
    usageBytesPerMs: usageImpliedMs === null ? null : ratio3(input.bytes / usageImpliedMs),
    trailingTranscriptChars: input.trailingTranscriptChars,
    trailingTranscriptMs: cps > 0 ? ms1((input.trailingTranscriptChars * 1000) / cps) : 0,
  };
}

/**
 * Audio received beyond what usage accounts for (ms), when the excess reaches the tolerance a shortfall needs
 * (`usageShortfallMinMs` and `usageShortfallFraction` of the usage-implied length); 0 otherwise.
 */
export function audioBeyondUsageMs(
  c: Pick<CoverageMetrics, 'usageImpliedMs'>,
  audioMs: number,
  config: Pick<DetectionConfig, 'usageShortfallMinMs' | 'usageShortfallFraction'>,
): number {
  if (c.usageImpliedMs === null) return 0;
  const excess = audioMs - c.usageImpliedMs;
  return excess >= Math.max(config.usageShortfallMinMs, config.usageShortfallFraction * c.usageImpliedMs)
    ? ms1(excess)
    : 0;
}
