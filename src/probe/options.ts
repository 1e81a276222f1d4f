/**
 * What a caller can ask of a probe session (ProbeOptions) and the defaults of what it leaves out: read by the
 * session (session.ts) and by the scripted turns (script.ts), and kept apart from both so neither imports the other.
 */
import type { OutputModality, TurnDetection } from '../realtime/events.js';
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
  instructions?: string;
  voice?: string;
  /** Prompt audio chunk length, 20–100 ms. */
  chunkMs?: number;
  /** `realtime` (default): chunk k goes out at t0 + k·chunkMs, as a microphone sends; `burst`: as fast as possible. */
  pace?: Pace;
  turnTimeoutMs?: number;
  sessionTimeoutMs?: number;
  connectTimeoutMs?: number;
  settleMs?: number;
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

export const PROBE_DEFAULTS = {
  turns: 3,
  turnDetection: 'manual' as TurnDetection,
  modality: 'audio' as OutputModality,
  instructions: 'You are a test voice. Answer the request fully, speaking clearly, without asking questions.',
  voice: 'alloy',
  chunkMs: 100,
  pace: 'realtime' as Pace,
  turnTimeoutMs: 30_000,
  sessionTimeoutMs: 180_000,
  connectTimeoutMs: 10_000,
  settleMs: 300,
  cancelWaitMs: 2_000,
};

export type ResolvedProbeOptions = typeof PROBE_DEFAULTS & ProbeOptions;
