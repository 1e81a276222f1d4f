/**
 * The measured facts of one turn, before any judgement. Durations are ms rounded to 0.1 ms; ratios to 0.001.
 * Absent values are `null` (never undefined), so every report has the same keys.
 */
import type { TurnOutcome } from '../trace/trace.js';
import type { DetectionConfig } from './config.js';
import type { Finding, Verdict } from './findings.js';
import type { ModelLifecycle } from './lifecycle.js';

/** What the latencies are measured from: `response.create` sent (manual turns), or the end of speech (server VAD). */
export type TimingAnchor = 'response.create' | 'speech_stopped' | 'last_append';

export interface TimingMetrics {
  anchor: TimingAnchor | null;
  /** Trace time of the anchor. */
  anchorTraceMs: number | null;
  /** Anchor → first audio delta. */
  firstAudioMs: number | null;
  /** Anchor → `response.done` (the last one of the turn). */
  responseDoneMs: number | null;
  /**
   * Anchor → first audio of the final answer: of the first item with audio that is not a spoken preamble
   * (`commentary`). Without phases (a non-reasoning model) the same as `firstAudioMs`; null when no answer audio came.
   */
  finalAnswerMs: number | null;
  /**
   * The model reasoning, as the listener hears it: from the end of the preamble's audio (through the playback model)
   * to the start of the final answer (its first delta plus the jitter buffer, as the listener started the first item),
   * summed over the preambles before it; null when no preamble preceded it.
   */
  reasoningMs: number | null;
}

export interface AudioMetrics {
  /** Output audio in ms (its decoded PCM16 24 kHz bytes / 48). */
  totalMs: number;
  /** Output audio bytes as received (PCM16: 48 per ms; G.711 μ-law the probe decoded: 8 per ms). */
  bytes: number;
  deltas: number;
  /** Deltas with an odd byte count (half a sample). */
  oddLengthDeltas: number;
  /** Distinct audio items that carried audio. */
  items: number;
  /** Deltas that repeat an earlier delta of their item byte for byte (digital silence aside). */
  repeated: RepeatMetrics;
  /**
   * The output format the probe asked for in `session.update`, as named on the wire (`audio/pcm`, `audio/pcmu`,
   * `pcm16`, `g711_ulaw`, …); null when it named none.
   */
  requestedFormat: string | null;
  /** The output format the service declared (`session.updated` / `session.created`); null when it named none. */
  declaredFormat: string | null;
}

export interface RepeatMetrics {
  deltas: number;
  /** Audio in those deltas. */
  ms: number;
  /** Position of the first of them in the output audio; null when none. */
  firstAtMs: number | null;
}

export type TranscriptSource = 'audio_transcript' | 'output_text' | 'none';

export interface TranscriptMetrics {
  text: string;
  /** Characters with whitespace runs collapsed and ends trimmed (the unit of the speaking rate). */
  length: number;
  source: TranscriptSource;
}

export interface UsageMetrics {
  /** `usage.output_token_details.audio_tokens`, summed over the turn's responses; null when absent or implausible. */
  outputAudioTokens: number | null;
  outputTextTokens: number | null;
  /** Usage numbers not taken at face value (negative, fractional, above 1e7, not a number). */
  ignored: IgnoredUsage[];
}

/** A usage count the analysis refused to believe. */
export interface IgnoredUsage {
  responseId: string | null;
  /** e.g. `output_token_details.audio_tokens`. */
  field: string;
  /** The value as text (e.g. `-5`, `1e+300`, `"100"`). */
  value: string;
}

/** A silent stretch inside the speech: offset and length in the output audio. */
export interface SilentRun {
  atMs: number;
  durationMs: number;
}

export interface SilenceMetrics {
  thresholdDbfs: number;
  frameMs: number;
  /** First and last non-silent audio (ms into the output audio); null when the audio is all silence. */
  speechStartMs: number | null;
  speechEndMs: number | null;
  /** Silence after the last non-silent audio, to the end of the audio; null when the audio is all silence. */
  trailingSilenceMs: number | null;
  /** Silent runs inside the speech of at least `minSilentGapMs`. */
  gaps: SilentRun[];
  /** Longest silent run inside the speech, of any length (natural pauses included). */
  longestSilentRunMs: number;
}

export interface DeliveryMetrics {
  /** Wall-clock gaps between consecutive audio deltas of a response. */
  audioGapMaxMs: number | null;
  /** Nearest-rank 95th percentile of those gaps. */
  audioGapP95Ms: number | null;
  /** Longest wall-clock stretch with no server event at all while a response was open. */
  eventGapMaxMs: number | null;
}

/**
 * What an assistant output item is on a reasoning model (`item.phase`): a spoken preamble (`commentary`, "Let me
 * check that…") or the answer (`final_answer`).
 */
export type Phase = 'commentary' | 'final_answer';

/** One assistant item of the turn (announced, or carrying audio): its phase and its audio. */
export interface ItemAudioMetrics {
  responseId: string | null;
  itemId: string | null;
  /** Null when the item carries no phase (a non-reasoning model). */
  phase: Phase | null;
  /** Position of its first audio in the turn's output audio; null when it carried none. */
  atMs: number | null;
  audioMs: number;
  deltas: number;
  /** Its audio has speech (not all of it below `silenceDbfs`). */
  audible: boolean;
  firstDeltaTraceMs: number | null;
  lastDeltaTraceMs: number | null;
  /** When the modelled listener finished hearing its audio (the playback model). */
  heardEndTraceMs: number | null;
}

/** The silence between a spoken preamble and the next item, as the listener hears it: the model reasoning. */
export interface ReasoningPause {
  /** The commentary item before the pause, and the item after it. */
  afterItemId: string | null;
  beforeItemId: string | null;
  /** Position in the output audio where the pause falls (the next item's first audio). */
  atMs: number;
  /** Trace time the listener finished hearing the preamble. */
  traceMs: number;
  durationMs: number;
}

export interface PhaseMetrics {
  /** Some item carries a `phase`: the turn was answered by a reasoning model. */
  reasoning: boolean;
  /** Every assistant item of the turn, in the order they began. */
  items: ItemAudioMetrics[];
  /** Reasoning pauses (reasoning turns only). */
  pauses: ReasoningPause[];
}

/** A stretch where the modelled listener had nothing to play. */
export interface Underrun {
  /** Position in the output audio where playback stopped. */
  atMs: number;
  /** Trace time when the buffer ran dry. */
  traceMs: number;
  durationMs: number;
}

export interface PlaybackMetrics {
  jitterBufferMs: number;
  underruns: Underrun[];
  totalUnderrunMs: number;
}

/** Where a rate came from: the default, or learned from the target's history (for this prompt, or any prompt). */
export type RateSource = 'default' | 'learned-prompt' | 'learned-target';

export interface CoverageMetrics {
  charsPerSecond: number;
  charsPerSecondSource: RateSource;
  /** Speech the transcript implies at that rate; null without a transcript. */
  transcriptImpliedMs: number | null;
  /** Audio ms / transcript-implied ms. */
  transcriptRatio: number | null;
  audioTokensPerSecond: number;
  audioTokensSource: RateSource;
  /** Audio the usage tokens imply; null without usage. */
  usageImpliedMs: number | null;
  usageRatio: number | null;
  /** Output audio bytes per ms of usage-implied audio: ≈ 48 for PCM16 at 24 kHz, ≈ 8 for G.711; null without usage. */
  usageBytesPerMs: number | null;
  /** Transcript characters received after the response's last audio delta, and the speech they imply. */
  trailingTranscriptChars: number;
  trailingTranscriptMs: number;
}

export interface ExpectedContentMetrics {
  terms: string[];
  found: string[];
  missing: string[];
}

export interface StatusDetails {
  type: string | null;
  reason: string | null;
  errorType: string | null;
  errorCode: string | null;
  errorMessage: string | null;
}

export interface ItemTerminal {
  itemId: string | null;
  audioMs: number;
  deltas: number;
  audioDone: boolean;
  /** Deltas of this item received after its audio `.done`. */
  deltasAfterDone: number;
  audioAfterDoneMs: number;
  /** Latest of those deltas, ms after `.done`. */
  maxLatenessMs: number | null;
}

export interface ResponseTerminal {
  responseId: string | null;
  responseDone: boolean;
  status: string | null;
  statusDetails: StatusDetails | null;
  /** The probe sent `response.cancel` itself (turn deadline) before `response.done`. */
  cancelledByProbe: boolean;
  lastDeltaToDoneMs: number | null;
  items: ItemTerminal[];
}

export interface TerminalMetrics {
  /** Every item that carried audio got its audio `.done`; null when no item carried audio. */
  audioDone: boolean | null;
  /** Every response got `response.done` (before any cancel by the probe); false when no response was created. */
  responseDone: boolean;
  /** Of the turn's last response. */
  status: string | null;
  statusDetails: StatusDetails | null;
  lastDeltaToDoneMs: number | null;
  deltasAfterAudioDone: number;
  audioAfterDoneMs: number;
  responses: ResponseTerminal[];
}

export interface ErrorEventSummary {
  traceMs: number;
  type: string | null;
  code: string | null;
  message: string | null;
}

export interface TurnConnectionMetrics {
  errorEvents: ErrorEventSummary[];
  invalidFrames: number;
  /** The WebSocket closed while this turn was in progress. */
  closedDuringTurn: boolean;
}

/** The canary's own health over the turn (it must not report its own stalls as the service's). */
export interface ProbeMetrics {
  /** The probe's event-loop delay over the turn (`loop-delay` entry); null when not recorded. */
  loopDelay: { p50Ms: number | null; p99Ms: number | null; maxMs: number | null } | null;
  /** Intervals in which the probe's event loop was blocked (`probe-stall`): ending at `traceMs`, `durationMs` long. */
  stalls: { traceMs: number; durationMs: number }[];
  /** WebSocket pings (or pongs) from the server during the turn. */
  serverPings: number;
}

export interface TurnMetrics {
  timing: TimingMetrics;
  audio: AudioMetrics;
  phases: PhaseMetrics;
  transcript: TranscriptMetrics;
  usage: UsageMetrics;
  silence: SilenceMetrics;
  delivery: DeliveryMetrics;
  playback: PlaybackMetrics;
  coverage: CoverageMetrics;
  /** Null when the prompt names nothing to expect. */
  expected: ExpectedContentMetrics | null;
  terminal: TerminalMetrics;
  connection: TurnConnectionMetrics;
  probe: ProbeMetrics;
}

/** How a turn went, as far as the probe got: the trace's outcome, or `not-started` when it never began. */
export type TurnStatus = TurnOutcome | 'not-started' | 'unfinished';

export interface TurnAnalysis {
  turn: number;
  promptId: string | null;
  outcome: TurnStatus;
  responseIds: string[];
  itemIds: string[];
  /** Null for a turn that never ran (skipped after the session ended). */
  metrics: TurnMetrics | null;
  findings: Finding[];
  verdict: Verdict;
}

export interface CloseSummary {
  traceMs: number;
  code: number;
  reason: string;
  initiatedBy: 'server' | 'client';
}

export interface SocketErrorSummary {
  traceMs: number;
  errorClass: string;
  code: string | null;
  message: string;
}

/** The connection as a whole. */
export interface ConnectionMetrics {
  upgradeStatus: number | null;
  /** A session was established (`session.created` received). */
  established: boolean;
  close: CloseSummary | null;
  /** Close other than 1000 (or 1005 sent by the probe itself): 1006 drops, 1001 / 1011 from the server, … */
  abnormalClose: boolean;
  socketErrors: SocketErrorSummary[];
  sessionEnd: { traceMs: number; reason: string } | null;
  errorEvents: number;
}

/** The analysis of one probe session. */
export interface RunAnalysis {
  turns: TurnAnalysis[];
  /** Run-level findings (`turn: null`); turn findings are in `turns[].findings`. */
  findings: Finding[];
  verdict: Verdict;
  connection: ConnectionMetrics;
  /** The thresholds the run was judged with. */
  config: DetectionConfig;
  /** The run's model in the retirement table; absent when the table does not know it. */
  lifecycle?: ModelLifecycle;
}
