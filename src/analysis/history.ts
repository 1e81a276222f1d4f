/**
 * Rates learned from a target's own healthy runs: its speaking rate (transcript characters per second of audio)
 * and its usage ratio (output audio tokens per second of audio). The median of at least `historyMinSamples`
 * healthy turns replaces the default; per prompt when there are enough samples of that prompt, else per target.
 */
import type { DetectionConfig } from './config.js';
import type { RateSource } from './metrics.js';

/** One healthy turn of the target, as remembered by the caller (e.g. from earlier reports). */
export interface HistorySample {
  promptId: string | null;
  audioMs: number;
  transcriptChars: number;
  outputAudioTokens: number | null;
}

/** The history of one target. When `target` is set and differs from the trace's target, it is ignored. */
export interface DetectionHistory {
  target?: string;
  samples: HistorySample[];
}

export interface Rate {
  value: number;
  source: RateSource;
}

export interface Rates {
  charsPerSecond: Rate;
  audioTokensPerSecond: Rate;
}

/** Samples shorter than this say little about a rate. */
const MIN_SAMPLE_AUDIO_MS = 2000;
const MIN_SAMPLE_CHARS = 20;

/** The rates to judge a turn of `promptId` with. */
export function learnRates(
  history: DetectionHistory | undefined,
  target: string,
  promptId: string | null,
  config: Pick<DetectionConfig, 'speechCharsPerSecond' | 'audioTokensPerSecond' | 'historyMinSamples'>,
): Rates {
  const samples = history && (history.target === undefined || history.target === target) ? history.samples : [];
  const usable = samples.filter((s) => s.audioMs >= MIN_SAMPLE_AUDIO_MS);
  const chars = (s: HistorySample): number | undefined => (s.transcriptChars >= MIN_SAMPLE_CHARS ? (s.transcriptChars * 1000) / s.audioMs : undefined);
  const tokens = (s: HistorySample): number | undefined => (s.outputAudioTokens ? (s.outputAudioTokens * 1000) / s.audioMs : undefined);
  return {
    charsPerSecond: learn(usable, promptId, chars, config.speechCharsPerSecond, config.historyMinSamples),
    audioTokensPerSecond: learn(usable, promptId, tokens, config.audioTokensPerSecond, config.historyMinSamples),
  };
}

function learn(
  samples: HistorySample[],
  promptId: string | null,
  rateOf: (s: HistorySample) => number | undefined,
  fallback: number,
  minSamples: number,
): Rate {
  const rates = (list: HistorySample[]): number[] => list.map(rateOf).filter((r): r is number => r !== undefined && r > 0);
  const forPrompt = promptId === null ? [] : rates(samples.filter((s) => s.promptId === promptId));
  if (forPrompt.length >= minSamples) return { value: round3(median(forPrompt)), source: 'learned-prompt' };
  const all = rates(samples);
  if (all.length >= minSamples) return { value: round3(median(all)), source: 'learned-target' };
  return { value: fallback, source: 'default' };
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

function round3(x: number): number {
  return Math.round(x * 1000) / 1000;
}

/** The shape of a report this module reads samples from (structural, so it takes report.json as parsed JSON). */
export interface ReportLike {
  turns: {
    promptId: string | null;
    verdict: string;
    metrics: { audio: { totalMs: number }; transcript: { length: number }; usage: { outputAudioTokens: number | null } } | null;
  }[];
}

/** Healthy samples from a report: its passing turns that carried audio. */
export function historySamples(report: ReportLike): HistorySample[] {
  return report.turns
    .filter((t) => t.verdict === 'pass' && t.metrics !== null && t.metrics.audio.totalMs > 0)
    .map((t) => ({
      promptId: t.promptId,
      audioMs: t.metrics!.audio.totalMs,
      transcriptChars: t.metrics!.transcript.length,
      outputAudioTokens: t.metrics!.usage.outputAudioTokens,
    }));
}

/** Alias used by the runner: the history of the target being probed. */
export type TargetHistory = DetectionHistory;
