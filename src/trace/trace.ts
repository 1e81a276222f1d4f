/**
 * The trace: everything the service did during one probe session, as data, with no judgement.
 *
 * Times `t` are milliseconds since the session started (monotonic clock, sub-millisecond resolution).
 * Audio is kept as bytes per turn (`outputAudio`, `promptAudio`); the event log keeps byte counts and
 * offsets into those buffers instead of a second, base64 copy.
 *
 * On disk: `events.jsonl` (the meta line, then one entry per line) plus `turn-<n>.wav` (output audio)
 * and `prompt-<n>.wav` (what was sent). See traceFile.ts.
 */
import type { AuthRecord } from '../realtime/auth.js';
import type { Dialect, Flavour } from '../realtime/flavours.js';
import type { OutputModality, TurnDetection } from '../realtime/events.js';

export const TRACE_FORMAT_VERSION = 1;

/** How the probe reached the service: a WebSocket, or WebRTC (Opus RTP + the `oai-events` data channel). */
export type TransportKind = 'websocket' | 'webrtc';

export interface TraceTarget {
  name: string;
  flavour: Flavour;
  dialect: Dialect;
  /** Absent in traces written before the transport seam: read as `websocket`. */
  transport?: TransportKind;
  /** The WebSocket URL with secrets removed. */
  url: string;
  host: string;
  deployment: string | undefined;
  /** Where the canary ran (e.g. an Azure region), if known. */
  region: string | undefined;
  /** A deprecation notice for the flavour (e.g. Azure preview), from the flavour table. Absent when none. */
  notice?: string;
  /** How the probe authenticated: the mode and the Entra ID token scope (never a key or token). Absent in older traces. */
  auth?: AuthRecord;
}

export interface TracePrompt {
  turn: number;
  id: string;
  text: string | undefined;
  /** Words or phrases a correct answer must contain. */
  expect: string[];
  /** Length of the prompt audio that was sent, in bytes (PCM16 24 kHz mono). */
  bytes: number;
}

export interface TraceOptions {
  turns: number;
  turnDetection: TurnDetection;
  modality: OutputModality;
  chunkMs: number;
  turnTimeoutMs: number;
  sessionTimeoutMs: number;
  connectTimeoutMs: number;
  /** How long the probe keeps listening after `response.done` before it starts the next turn. */
  settleMs: number;
  /** How long it listens for a second generation after a response that ended in a preamble. Absent in older traces. */
  generationWindowMs?: number;
  /**
   * How prompt audio was sent: `realtime` (absolute-clock pacing, as a microphone would) or `burst` (as fast as
   * the event loop allows). Absent in older traces: read as `burst`.
   */
  pace?: 'realtime' | 'burst';
  /** The per-session caps in force (see LimitExceededEntry). Absent in older traces. */
  limits?: SessionLimits;
}

/** Per-session bounds: past one, the probe stops reading, records a `limit-exceeded` entry and ends the session. */
export interface SessionLimits {
  /** Received events (recv + recv-invalid entries). */
  maxEvents: number;
  /** Bytes of received frames, summed; an audio delta's base64 is left out (its decoded audio counts against maxAudioBytes). */
  maxEventBytes: number;
  /** Decoded output audio bytes, all turns together. */
  maxAudioBytes: number;
}

export interface TraceMeta {
  kind: 'meta';
  formatVersion: typeof TRACE_FORMAT_VERSION;
  runId: string;
  tool: { name: string; version: string };
  target: TraceTarget;
  /** Wall-clock UTC time of t = 0. */
  startedAt: string;
  /** Epoch milliseconds of t = 0, with sub-millisecond precision (performance.timeOrigin + now()). */
  startEpochMs: number;
  options: TraceOptions;
  prompts: TracePrompt[];
}

/** Where an audio delta's decoded bytes sit in the turn's output audio. */
export interface AudioRef {
  /** Byte offset in the turn's output audio (`turn-<n>.wav`). */
  offset: number;
  /** Bytes of decoded PCM16 24 kHz in the turn's output audio. */
  bytes: number;
  /**
   * Bytes as they came over the wire, when the probe decoded them (G.711 μ-law, 1 byte per 8 kHz sample, in a
   * session that said it sends `audio/pcmu`); absent when the wire carried PCM16 as it is.
   */
  wireBytes?: number;
  responseId: string | undefined;
  itemId: string | undefined;
}

interface Base {
  /** ms since the session started. */
  t: number;
  /** 1-based turn the entry belongs to; 0 before the first turn started. */
  turn: number;
}

export interface UpgradeRequestEntry extends Base {
  kind: 'upgrade-request';
  url: string;
  /** Request headers, secrets masked. */
  headers: Record<string, string>;
}

export interface UpgradeResponseEntry extends Base {
  kind: 'upgrade-response';
  status: number;
  statusText: string;
  headers: Record<string, string>;
  /** Response body of a rejected upgrade (truncated to 64 KiB, secrets scrubbed). */
  body?: string;
}

export interface SendEntry extends Base {
  kind: 'send';
  type: string;
  /** The client event as sent; for `input_audio_buffer.append` the `audio` field is replaced by `audioRef`. */
  event: Record<string, unknown>;
  /** For appends: which slice of the prompt audio was sent. */
  audioRef?: { offset: number; bytes: number };
  /** Set when the probe itself sent a `response.cancel` (e.g. after a turn deadline). */
  byProbe?: 'turn-timeout';
}

export interface RecvEntry extends Base {
  kind: 'recv';
  /** Normalized (GA) event type. */
  type: string;
  /** The type as it came on the wire. */
  wireType: string;
  /** Frame size in bytes. */
  size: number;
  /**
   * The response this event belongs to (`response_id`, or `response.id` on response.created/done), worked out
   * once by the recorder; everyone reads it through `responseIdOf` (./ids.ts) instead of digging in `event`.
   * Absent when none.
   */
  responseId?: string;
  /** The item this event names (`item_id`, or `item.id`), worked out once by the recorder; read with `itemIdOf`. Absent when none. */
  itemId?: string;
  /** The event as received, except that audio deltas lose their base64 `delta` (see `audio`). */
  event: Record<string, unknown>;
  audio?: AudioRef;
}

export type InvalidFrameProblem =
  | 'binary-frame'
  | 'malformed-json'
  | 'not-an-object'
  | 'missing-type'
  | 'oversize-frame'
  | 'bad-audio'
  /** The audio delta's `delta` is not valid base64 (or not whole PCM16 samples); nothing was decoded. */
  | 'invalid-base64'
  /** JSON nested deeper than the recorder accepts; kept as a preview only, never parsed into the trace. */
  | 'too-deep';

export interface InvalidFrameEntry extends Base {
  kind: 'recv-invalid';
  problem: InvalidFrameProblem;
  size: number;
  /** The first characters of the frame (secrets scrubbed), for the human reading the trace. */
  preview: string;
}

/** `playout`: WebRTC, the answer was still playing out to the listener when the probe stopped waiting for it. */
export type TimeoutScope =
  'connect' | 'session-created' | 'session-updated' | 'turn' | 'cancel' | 'session' | 'close' | 'media' | 'playout';

export interface TimeoutEntry extends Base {
  kind: 'timeout';
  scope: TimeoutScope;
  /** What the probe was waiting for, e.g. `response.done`. */
  waitingFor: string;
  afterMs: number;
}

export type SocketErrorClass = 'dns' | 'refused' | 'tls' | 'reset' | 'timeout' | 'protocol' | 'auth' | 'other';

export interface SocketErrorEntry extends Base {
  kind: 'socket-error';
  errorClass: SocketErrorClass;
  code: string | undefined;
  message: string;
}

export interface CloseEntry extends Base {
  kind: 'close';
  /** WebSocket close code; 1006 when the connection dropped without a close frame, 1005 when the frame had no code. */
  code: number;
  reason: string;
  /** Who started the closing handshake, as far as the probe can tell. */
  initiatedBy: 'server' | 'client';
}

/** A WebSocket ping or pong frame (time only): shows whether the transport was alive during a stall. */
export interface KeepaliveEntry extends Base {
  kind: 'ping' | 'pong';
  /** Who sent the frame. */
  from: 'server' | 'client';
}

/**
 * The probe's own event loop was blocked: a high-resolution ticker woke `durationMs` later than scheduled.
 * The blocked interval is [t − durationMs, t]. Only delays above the recorder's floor (e.g. 50 ms) are recorded.
 */
export interface ProbeStallEntry extends Base {
  kind: 'probe-stall';
  durationMs: number;
}

/** The probe's event-loop delay over one turn (recorded at the turn's end), so a report can show the canary was healthy. */
export interface LoopDelayEntry extends Base {
  kind: 'loop-delay';
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
}

/** A per-session cap was reached (see SessionLimits): the probe stopped reading and ended the session. */
export interface LimitExceededEntry extends Base {
  kind: 'limit-exceeded';
  limit: keyof SessionLimits;
  /** The value that crossed the cap. */
  value: number;
  max: number;
}

/**
 * One HTTP exchange of a handshake that is not a WebSocket upgrade (WebRTC: the ephemeral key, the SDP offer).
 * Recorded like the upgrade: request headers secrets-masked, all response headers, the body on error.
 */
export interface HttpExchangeEntry extends Base {
  kind: 'http-exchange';
  /** What the exchange was for, e.g. `client-secret`, `call`. */
  stage: string;
  method: string;
  url: string;
  requestHeaders: Record<string, string>;
  /** 0 when no response came (see `error`). */
  status: number;
  statusText: string;
  headers: Record<string, string>;
  /** Response body on error (truncated to 64 KiB, secrets scrubbed). */
  body?: string;
  /** Network failure or deadline, when there was no response. */
  error?: string;
  /**
   * A successful (2xx) answer the probe could not use: larger than it reads, not SDP, no ephemeral key. The service's
   * answer is bad (`body` holds its start); the media path was never tried.
   */
  problem?: string;
  /** How long the exchange took, ms. */
  durationMs: number;
}

/** WebRTC: the call the service created (`Location: …/rtc_…`); its id is what support asks for. */
export interface WebRtcCallEntry extends Base {
  kind: 'webrtc-call';
  callId: string;
  /** The `Location` header as received. */
  location: string;
}

/** The WebRTC connection stages, in the order they happen. */
export type WebRtcStage = 'gather' | 'ice' | 'dtls' | 'datachannel' | 'media';

/**
 * WebRTC: one connection stage finished (`ok`) or failed. A failure names the stage, so a blocked media path
 * (UDP blocked, no ICE connectivity, a DTLS/SRTP failure, no RTP within the deadline) is never read as a model outage.
 */
export interface WebRtcStageEntry extends Base {
  kind: 'webrtc-stage';
  stage: WebRtcStage;
  ok: boolean;
  /** Time since the stage started (for `ice`, since the SDP answer was applied). */
  durationMs: number;
  detail?: string;
}

export interface TurnStartEntry extends Base {
  kind: 'turn-start';
  promptId: string;
}

export type TurnOutcome = 'response-done' | 'timeout' | 'closed' | 'skipped';

/**
 * When the turn's clock starts, where that is later than the `response.create` the probe sent first: the moment the
 * service could begin this turn's answer. `resent`: the create was refused (`conversation_already_has_active_response`)
 * and sent again once the active response was over. `sent`: WebRTC, the create left the data channel behind the
 * prompt's RTP audio. `played-out`: WebRTC, the previous answer was still playing out when the create left, and ended
 * now. Analysis measures first audio and `response.done` from the turn's last clock before its first audio.
 */
export interface TurnClockEntry extends Base {
  kind: 'turn-clock';
  cause: 'resent' | 'sent' | 'played-out';
}

export interface TurnEndEntry extends Base {
  kind: 'turn-end';
  outcome: TurnOutcome;
}

export interface SessionEndEntry extends Base {
  kind: 'session-end';
  /** Why the session ended: completed all turns, rejected, closed by the server, deadline, … */
  reason:
    | 'completed'
    | 'rejected'
    | 'connect-failed'
    | 'closed-by-server'
    | 'session-timeout'
    | 'stalled'
    | 'aborted'
    | 'limit-exceeded';
}

export type TraceEntry =
  | UpgradeRequestEntry
  | UpgradeResponseEntry
  | SendEntry
  | RecvEntry
  | InvalidFrameEntry
  | TimeoutEntry
  | SocketErrorEntry
  | CloseEntry
  | KeepaliveEntry
  | ProbeStallEntry
  | LoopDelayEntry
  | LimitExceededEntry
  | HttpExchangeEntry
  | WebRtcCallEntry
  | WebRtcStageEntry
  | TurnStartEntry
  | TurnClockEntry
  | TurnEndEntry
  | SessionEndEntry;

export interface Trace {
  meta: TraceMeta;
  entries: TraceEntry[];
  /** Output audio per turn (1-based), concatenated in arrival order: PCM16 24 kHz mono. */
  outputAudio: Map<number, Buffer>;
  /** Prompt audio sent per turn. */
  promptAudio: Map<number, Buffer>;
  /**
   * WebRTC: the output RTP packets per turn, as fixed-size binary records (`rtp-<n>.bin`; read them with
   * readRtpLog in ./rtpLog.ts). Absent for WebSocket traces.
   */
  rtp?: Map<number, Buffer>;
  /**
   * A round's probe keeps the output audio on disk while sessions run: until `loadTraceAudio` (./spilledAudio.ts)
   * reads it back, `outputAudio` is empty and this says where the audio is.
   */
  spilledAudio?: SpilledAudio;
}

/** One appended chunk: where it sits in the file, or (not written yet, or the disk refused it) its bytes. */
export interface SpillPart {
  pos: number;
  len: number;
  buf?: Buffer;
}

/** The answer audio of a finished session kept on disk (probe/audioSpill.ts): its file and where each turn's chunks are. */
export interface SpilledAudio {
  path: string;
  turns: Map<number, SpillPart[]>;
  /** Whether the file was created (and is ours to remove). */
  created: boolean;
  /** Why some or all of the audio stayed in memory (the file could not be opened or written). */
  problem?: string;
}

/** The entry type of one kind; works for entry types that carry several kinds (`ping` | `pong`). */
export type EntryOfKind<K extends TraceEntry['kind']> = TraceEntry extends infer E
  ? E extends { kind: infer EK }
    ? K extends EK
      ? E & { kind: K }
      : never
    : never
  : never;

/** The entries of one kind, typed. */
export function entriesOfKind<K extends TraceEntry['kind']>(trace: Trace, kind: K): EntryOfKind<K>[] {
  return trace.entries.filter((e): e is EntryOfKind<K> => e.kind === kind);
}

/** Received events of one normalized type. */
export function received(trace: Trace, type: string, turn?: number): RecvEntry[] {
  return trace.entries.filter(
    (e): e is RecvEntry => e.kind === 'recv' && e.type === type && (turn === undefined || e.turn === turn),
  );
}

/** The output audio of one item, rebuilt from the audio refs of the turn. */
export function itemAudio(trace: Trace, turn: number, itemId: string): Buffer {
  const audio = trace.outputAudio.get(turn) ?? Buffer.alloc(0);
  const parts = trace.entries
    .filter(
      (e): e is RecvEntry & { audio: AudioRef } => e.kind === 'recv' && e.turn === turn && e.audio?.itemId === itemId,
    )
    .map((e) => audio.subarray(e.audio.offset, e.audio.offset + e.audio.bytes));
  return Buffer.concat(parts);
}
