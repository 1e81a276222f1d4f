/**
 * Rates learned from a target's own healthy runs: its speaking rate (transcript characters per second of audio)
 * and its usage ratio (output audio tokens per second of audio). The median of at least `historyMinSamples`
 * healthy turns replaces the default; per prompt when there are enough samples of that prompt, else per target.
 */
import type { DetectionConfig } from './config.js';
import { median, ratio3 } from './fields.js';
import type { CoverageMetrics, RateSource } from './metrics.js';

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
  config: Pick<DetectionConfig, 'speechCharsPerSecond' | 'audioTokensPerSecond' | 'historyMinSamples'> &
    Partial<Pick<DetectionConfig, 'audioTokenOverheadPerItem'>>,
): Rates {
  const samples = history && (history.target === undefined || history.target === target) ? history.samples : [];
  const usable = samples.filter((s) => s.audioMs >= MIN_SAMPLE_AUDIO_MS);
  const chars = (s: HistorySample): number | undefined =>
    s.transcriptChars >= MIN_SAMPLE_CHARS ? (s.transcriptChars * 1000) / s.audioMs : undefined;
  // The same per-item overhead the coverage subtracts (one item per sample: most answers have one).
  const overhead = config.audioTokenOverheadPerItem ?? 0;
  const tokens = (s: HistorySample): number | undefined =>
    s.outputAudioTokens && s.outputAudioTokens > overhead
      ? ((s.outputAudioTokens - overhead) * 1000) / s.audioMs
      : undefined;
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
  const rates = (list: HistorySample[]): number[] =>
    list.map(rateOf).filter((r): r is number => r !== undefined && r > 0);
  const forPrompt = promptId === null ? [] : rates(samples.filter((s) => s.promptId === promptId));
  if (forPrompt.length >= minSamples) return { value: ratio3(median(forPrompt)!), source: 'learned-prompt' };
  const all = rates(samples);
  if (all.length >= minSamples) return { value: ratio3(median(all)!), source: 'learned-target' };
  return { value: fallback, source: 'default' };
}

/** The shape of a report this module reads samples from (structural, so it takes report.json as parsed JSON). */
export interface ReportLike {
  turns: {
    promptId: string | null;
    verdict: string;
    findings?: { code: string; severity: string }[];
    metrics: {
      audio: { totalMs: number };
      transcript: { length: number };
      usage: { outputAudioTokens: number | null };
      coverage?: Pick<CoverageMetrics, 'audioTokensSource' | 'transcriptRatio' | 'trailingTranscriptMs'>;
      terminal?: { deltasAfterAudioDone: number };
    } | null;
  }[];
  detection?: { config: SampleRules };
}

type SampleRules = Pick<DetectionConfig, 'trailingTranscriptMinMs' | 'transcriptCoverageMin'>;
type ReportTurnLike = ReportLike['turns'][number];

/**
 * Samples to learn a target's rates from: its passing turns that carried audio — and, while the token rate is
 * still the default, turns whose only failure is `audio_truncated` with no transcript evidence (the transcript
 * matches the audio, nothing trailed, nothing came after .done). Such a failure says more about a default rate
 * that does not fit this deployment than about the audio; learning from it lets the target correct the rate
 * instead of failing every turn forever. The median of the samples tolerates the occasional real cut.
 */
export function historySamples(report: ReportLike): HistorySample[] {
  return report.turns
    .filter(
      (t) =>
        t.metrics !== null &&
        t.metrics.audio.totalMs > 0 &&
        (t.verdict === 'pass' || failsOnDefaultUsageAlone(t, report.detection?.config)),
    )
    .map((t) => ({
      promptId: t.promptId,
      audioMs: t.metrics!.audio.totalMs,
      transcriptChars: t.metrics!.transcript.length,
      outputAudioTokens: t.metrics!.usage.outputAudioTokens,
    }));
}

function failsOnDefaultUsageAlone(t: ReportTurnLike, config: SampleRules | undefined): boolean {
  const c = t.metrics?.coverage;
  if (!config || !c || c.audioTokensSource !== 'default' || (t.metrics?.terminal?.deltasAfterAudioDone ?? 1) > 0)
    return false;
  const failing = (t.findings ?? []).filter((f) => f.severity === 'critical' || f.severity === 'major');
  return (
    failing.length > 0 &&
    failing.every((f) => f.code === 'audio_truncated') &&
    c.trailingTranscriptMs < config.trailingTranscriptMinMs &&
    (c.transcriptRatio === null || c.transcriptRatio >= config.transcriptCoverageMin)
  );
}

/** Alias used by the runner: the history of the target being probed. */
export type TargetHistory = DetectionHistory;
