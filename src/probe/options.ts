/**
 * What a caller can ask of a probe session (ProbeOptions) and the defaults of what it leaves out: read by the
 * session (session.ts) and by the scripted turns (script.ts), and kept apart from both so neither imports the other.
 */
import type { OutputAudioFormat, OutputModality, TurnDetection } from '../realtime/events.js';
import type { PromptSpec } from '../prompts/catalog.js';
import type { SessionLimits, TransportKind } from '../trace/trace.js';
import type { TransportFactory } from './transport.js';

export type Pace = 'realtime' | 'burst';

export interface ProbeOptions {
  /** One prompt per turn; cycled when shorter than `turns`. */
  prompts: PromptSpec[];
  /** The wall clock that stamps the session's start (`startedAt`); the round passes its own. Default: the system clock. */
  now?: () => Date;
  turns?: number;
  turnDetection?: TurnDetection;
  modality?: OutputModality;
  /**
   * The output audio format asked for in `session.update` (WebSocket only): `pcm16` (default) or `pcmu` — G.711
   * μ-law, as telephony clients ask, which the recorder decodes to PCM16 while the service says it sends it.
   */
  outputFormat?: OutputAudioFormat;
  instructions?: string;
  voice?: string;
  /** Prompt audio chunk length, 20–100 ms. */
  chunkMs?: number;
  /** `realtime` (default): chunk k goes out at t0 + k·chunkMs, as a microphone sends; `burst`: as fast as possible. */
  pace?: Pace;
  turnTimeoutMs?: number;
  sessionTimeoutMs?: number;
  connectTimeoutMs?: number;
  /** How long the probe keeps listening after a turn's `response.done` for trailing events or another generation. */
  settleMs?: number;
  /**
   * After a response that ended in a spoken preamble (its last output item's `phase` is not `final_answer`), how
   * long the probe listens for the answer's second generation before the next prompt (default 8 000 ms, at most
   * {@link MAX_GENERATION_WINDOW_MS}):
   * reasoning models think 0.5–8 s between preamble and answer (issue 19's example: the answer 1.2 s after it).
   */
  generationWindowMs?: number;
  /**
   * WebRTC: how long after a turn's last `response.done` the probe waits for the answer to play out before it
   * records a `playout` timeout and goes on (default 60 000 ms: answers play in real time, the catalogue's longest
   * ~25 s).
   */
  playoutTimeoutMs?: number;
  /** Wait for `response.done` after the probe's own `response.cancel`. */
  cancelWaitMs?: number;
  insecureTls?: boolean;
  runId?: string;
  /** Per-session caps; any field left out keeps its default (DEFAULT_SESSION_LIMITS). */
  limits?: Partial<SessionLimits>;
  /** The wire: a transport kind (resolved in transports.ts) or a factory. Default `websocket`. */
  transport?: TransportKind | TransportFactory;
  /** Progress lines (turn n of N). */
  onProgress?: (line: string) => void;
  /**
   * Keep the output audio in a file in this folder while the session runs (a round's memory then does not grow
   * with the sessions in flight); the trace comes back with `spilledAudio`, read with loadTraceAudio.
   */
  audioSpillDir?: string;
}

/** The longest generation window a probe accepts (`generationWindowMs`). */
export const MAX_GENERATION_WINDOW_MS = 30_000;

export const PROBE_DEFAULTS = {
  turns: 3,
  turnDetection: 'manual' as TurnDetection,
  modality: 'audio' as OutputModality,
  outputFormat: 'pcm16' as OutputAudioFormat,
  instructions: 'You are a test voice. Answer the request fully, speaking clearly, without asking questions.',
  voice: 'alloy',
  chunkMs: 100,
  pace: 'realtime' as Pace,
  turnTimeoutMs: 30_000,
  sessionTimeoutMs: 180_000,
  connectTimeoutMs: 10_000,
  settleMs: 300,
  generationWindowMs: 8_000,
  cancelWaitMs: 2_000,
  playoutTimeoutMs: 60_000,
};

export type ResolvedProbeOptions = typeof PROBE_DEFAULTS & ProbeOptions;
