/**
 * `CANARY_THRESHOLDS`: overrides of the detection thresholds, parsed by one typed schema. The keys are those of
 * DEFAULT_DETECTION_CONFIG (src/analysis/config.ts); each has a range here, and the table's type makes a new
 * analysis key without a range a compile error. Unknown keys, non-numbers and out-of-range values are refused
 * naming the key — a typo must not silently fall back to a default.
 */
import { DEFAULT_DETECTION_CONFIG, type DetectionConfig } from '../analysis/config.js';
import { ConfigError } from '../errors.js';
import { isRecord, parseConfigJson } from '../json.js';
import { fieldOf, shownJson } from './shown.js';

/** The accepted range of one threshold (inclusive), and whether it must be a whole number. */
export interface ThresholdRange {
  min: number;
  max: number;
  integer?: boolean;
}

/** Ranges wide enough for any sensible tuning, narrow enough to refuse nonsense (0 ms frames, +200 dBFS). */
export const THRESHOLD_RANGES: Readonly<Record<keyof DetectionConfig, ThresholdRange>> = Object.freeze({
  frameMs: { min: 5, max: 100, integer: true },
  silenceDbfs: { min: -120, max: -10 },
  minSilentGapMs: { min: 100, max: 30_000 },
  jitterBufferMs: { min: 0, max: 5_000 },
  underrunReportMs: { min: 10, max: 30_000 },
  underrunMajorMs: { min: 10, max: 60_000 },
  stallMinMs: { min: 100, max: 60_000 },
  stallMaxMs: { min: 100, max: 120_000 },
  reasoningMaxMs: { min: 500, max: 120_000 },
  slowFirstAudioMs: { min: 100, max: 120_000 },
  audioDoneGraceMs: { min: 0, max: 30_000 },
  speechCharsPerSecond: { min: 1, max: 100 },
  audioTokensPerSecond: { min: 0.1, max: 1_000 },
  audioTokenOverheadPerItem: { min: 0, max: 100, integer: true },
  transcriptCoverageMin: { min: 0, max: 1 },
  learnedTranscriptCoverageMin: { min: 0, max: 1 },
  minImpliedSpeechMs: { min: 0, max: 600_000 },
  usageShortfallMinMs: { min: 0, max: 600_000 },
  usageShortfallFraction: { min: 0, max: 1 },
  defaultUsageCoverageFloor: { min: 0, max: 1 },
  trailingTranscriptMinMs: { min: 0, max: 600_000 },
  formatRatioTolerance: { min: 1.01, max: 2.4 },
  formatCheckMinMs: { min: 0, max: 600_000 },
  historyMinSamples: { min: 1, max: 1_000, integer: true },
  silentTailMinMs: { min: 100, max: 60_000 },
  silentTailSpeechMs: { min: 0, max: 60_000 },
});

const SETTING = 'CANARY_THRESHOLDS';

/** Parses the JSON text of CANARY_THRESHOLDS (empty = no overrides). Throws ConfigError naming the key. */
export function parseThresholds(raw: string | undefined): Partial<DetectionConfig> {
  const text = raw?.trim();
  if (!text) return {};
  const value = parseConfigJson(text, SETTING, 'must be a JSON object');
  if (!isRecord(value)) throw new ConfigError(SETTING, 'must be a JSON object (not an array or a scalar)');
  const out: Partial<DetectionConfig> = {};
  const known = Object.keys(DEFAULT_DETECTION_CONFIG);
  for (const [key, v] of Object.entries(value)) {
    if (!isThresholdKey(key))
      throw new ConfigError(fieldOf(SETTING, key), `is not a known threshold (known: ${known.join(', ')})`);
    const range = THRESHOLD_RANGES[key];
    if (typeof v !== 'number' || !Number.isFinite(v))
      throw new ConfigError(`${SETTING}.${key}`, `must be a number, got ${shownJson(v)}`);
    if (range.integer && !Number.isInteger(v))
      throw new ConfigError(`${SETTING}.${key}`, `must be a whole number, got ${v}`);
    if (v < range.min || v > range.max)
      throw new ConfigError(`${SETTING}.${key}`, `must be from ${range.min} to ${range.max}, got ${v}`);
    out[key] = v;
  }
  const merged = { ...DEFAULT_DETECTION_CONFIG, ...out };
  if (merged.underrunMajorMs < merged.underrunReportMs)
    throw new ConfigError(
      `${SETTING}.underrunMajorMs`,
      `must be at least underrunReportMs (${merged.underrunReportMs})`,
    );
  if (merged.stallMaxMs < merged.stallMinMs)
    throw new ConfigError(`${SETTING}.stallMaxMs`, `must be at least stallMinMs (${merged.stallMinMs})`);
  return out;
}

function isThresholdKey(key: string): key is keyof DetectionConfig {
  return Object.prototype.hasOwnProperty.call(THRESHOLD_RANGES, key);
}
