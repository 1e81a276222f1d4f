/**
 * Detection thresholds, in one place, with their defaults and the reasoning behind them.
 *
 * Every number a detector compares against lives here, so a report can carry the exact configuration
 * it was judged with, and a target with unusual speech can be tuned without touching code. The speaking rate and the
 * audio token rates are facts money is computed from too: their defaults come from the one rates table
 * (../cost/rates.ts).
 */
import { AUDIO_TOKEN_OVERHEAD_PER_ITEM, OUTPUT_AUDIO_TOKENS_PER_S, SPEECH_CHARS_PER_S } from '../cost/rates.js';

/** Thresholds for the detectors. All durations in milliseconds. */
export interface DetectionConfig {
  /** RMS frame length for the silence analysis. Default 20 ms. */
  frameMs: number;
  /** A frame whose RMS is below this level (dBFS) is silent; low-level noise counts as silence. Default −50 dBFS. */
  silenceDbfs: number;
  /** Silent runs inside the speech are reported (`silent_gap`) from this length. Default 1000 ms (natural pauses stay below ~800 ms). */
  minSilentGapMs: number;
  /** The modelled listener starts playing this long after the first audio delta. Default 100 ms. */
  jitterBufferMs: number;
  /** A turn whose longest playback underrun reaches this gets a `playback_underrun` finding (minor). Default 200 ms. */
  underrunReportMs: number;
  /** The finding is `major` (fails the turn) when the longest underrun, or all of the turn's together, reach this. Default 1000 ms. */
  underrunMajorMs: number;
  /**
   * A gap between audio deltas of at least this, while the response is open, is a `delivery_stall`: minor when the
   * audio already buffered covered it (whatever its length: the listener heard nothing wrong), major when it made the
   * listener's buffer run dry (an underrun of at least `underrunReportMs`). Default 1000 ms.
   */
  stallMinMs: number;
  /**
   * Any stretch this long with no server event at all while a response is open is a `delivery_stall` (judged like a
   * gap). Default 3000 ms.
   */
  stallMaxMs: number;
  /**
   * On a reasoning model, the silence the listener hears between a spoken preamble (`commentary`) and the next item
   * is the model thinking: `long_reasoning` from this long. Default 10 000 ms: healthy reasoning pauses run up to
   * ~8 s (the acceptance range of issue 19), the margin covers the playback model's jitter buffer; dead air past
   * 10 s is what users report as broken (5–20 s after a preamble, field-2026-12.md F4). Also the extra time to first
   * audio a reasoning model that speaks no preamble is allowed before `slow_first_audio`.
   */
  reasoningMaxMs: number;
  /** `slow_first_audio` from this time to first audio. Default 3000 ms. */
  slowFirstAudioMs: number;
  /** Audio deltas up to this long after their item's audio `.done` are tolerated; later ones rule `audio_truncated`. Default 500 ms. */
  audioDoneGraceMs: number;
  /**
   * Default speaking rate, in transcript characters per second (whitespace collapsed, punctuation counted).
   * 15 ≈ 160 words per minute, the fast end of conversational TTS; used until history supplies a learned rate.
   */
  speechCharsPerSecond: number;
  /**
   * Default usage ratio: output audio tokens per second of assistant audio. OpenAI documents 1 token per 50 ms of
   * assistant audio (20/s; user audio is 1 per 100 ms); see docs/report-schema.md. Default 20.
   */
  audioTokensPerSecond: number;
  /**
   * Tokens per audio item that count in `usage` without being audio ("special tokens"); subtracted before the
   * usage-implied duration is computed. Default 3.
   */
  audioTokenOverheadPerItem: number;
  /** `audio_truncated` when audio < this fraction of the transcript-implied duration at the default rate. Default 0.7. */
  transcriptCoverageMin: number;
  /** The same, when the speaking rate was learned from the target's history. Default 0.8. */
  learnedTranscriptCoverageMin: number;
  /** The transcript comparison only applies when the transcript implies at least this much speech. Default 2000 ms. */
  minImpliedSpeechMs: number;
  /**
   * Usage shortfall (usage-implied − received audio) must reach this many ms … Default 350 ms: two real-sized deltas
   * (≈ 2 × 250 ms at the short end) must show, while an overhead anywhere from 0 to 8 tokens per item (± 250 ms around
   * the modelled 3) must not.
   */
  usageShortfallMinMs: number;
  /** … and this fraction of the usage-implied duration to rule `audio_truncated`. Default 0.015. */
  usageShortfallFraction: number;
  /**
   * With the default (unlearned) token ratio, a usage coverage below this floor is more likely a wrong ratio
   * than a cut, so it counts only together with a trailing transcript. Default 0.3 (the documented rate makes
   * a healthy answer ≈ 1.0; only a deployment counting 3× the documented rate would sit below it).
   */
  defaultUsageCoverageFloor: number;
  /** Transcript text that arrived after the last audio delta and implies at least this much speech rules `audio_truncated`. Default 700 ms. */
  trailingTranscriptMinMs: number;
  /**
   * `audio_format_mismatch` when the bytes per usage-implied ms are within this factor of another format's than the
   * one requested (PCM16 at 24 kHz: 48; G.711: 8) — ×6 apart, so 1.3 leaves no overlap and room for ±30 % of
   * accounting noise. Default 1.3.
   */
  formatRatioTolerance: number;
  /** … judged only when usage implies at least this much audio (a few tokens of overhead dominate shorter answers). Default 1000 ms. */
  formatCheckMinMs: number;
  /** Healthy samples needed before a learned rate replaces a default. Default 5. */
  historyMinSamples: number;
  /** Trailing silence (after the last non-silent audio, to the end of the audio) judged as a `silent_tail` from this long. Default 1000 ms. */
  silentTailMinMs: number;
  /** … when the transcript implies at least this much speech after the audio went silent. Default 1000 ms. */
  silentTailSpeechMs: number;
}

/** The defaults; see each field's documentation. */
export const DEFAULT_DETECTION_CONFIG: Readonly<DetectionConfig> = Object.freeze({
  frameMs: 20,
  silenceDbfs: -50,
  minSilentGapMs: 1000,
  jitterBufferMs: 100,
  underrunReportMs: 200,
  underrunMajorMs: 1000,
  stallMinMs: 1000,
  stallMaxMs: 3000,
  reasoningMaxMs: 10_000,
  slowFirstAudioMs: 3000,
  audioDoneGraceMs: 500,
  speechCharsPerSecond: SPEECH_CHARS_PER_S,
  audioTokensPerSecond: OUTPUT_AUDIO_TOKENS_PER_S,
  audioTokenOverheadPerItem: AUDIO_TOKEN_OVERHEAD_PER_ITEM,
  transcriptCoverageMin: 0.7,
  learnedTranscriptCoverageMin: 0.8,
  minImpliedSpeechMs: 2000,
  usageShortfallMinMs: 350,
  usageShortfallFraction: 0.015,
  defaultUsageCoverageFloor: 0.3,
  trailingTranscriptMinMs: 700,
  formatRatioTolerance: 1.3,
  formatCheckMinMs: 1000,
  historyMinSamples: 5,
  silentTailMinMs: 1000,
  silentTailSpeechMs: 1000,
});

/** The defaults with `overrides` applied; undefined overrides are ignored. */
export function resolveConfig(overrides: Partial<DetectionConfig> = {}): DetectionConfig {
  const out: DetectionConfig = { ...DEFAULT_DETECTION_CONFIG };
  for (const key of Object.keys(overrides) as (keyof DetectionConfig)[]) {
    const value = overrides[key];
    if (typeof value === 'number' && Number.isFinite(value)) out[key] = value;
  }
  return out;
}
