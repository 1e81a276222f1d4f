/**
 * The transport seam: how the scripted session reaches the service. The session (turns, deadlines, pacing,
 * the recorder) is the same for every transport; a transport only knows its wire.
 *
 * - WebSocket: the upgrade is the handshake; client events are JSON text frames; prompt audio goes as
 *   `input_audio_buffer.append` events; output audio arrives as base64 `…audio.delta` events.
 * - WebRTC: the handshake is HTTP (ephemeral key, SDP offer → answer) plus ICE/DTLS; client and server events
 *   travel on the `oai-events` data channel; prompt audio goes as paced Opus RTP; output audio arrives as RTP.
 *
 * Contract, for every implementation:
 * - `connect` records its handshake into the recorder (upgrade entries, or `http-exchange` entries and stage
 *   failures) and never throws for anything the network or the service does; it resolves within its deadline.
 * - Every server event is recorded (`rec.recordFrame` or equivalent) the moment it arrives, and every usable one
 *   is delivered to the waiter, from the first byte on.
 * - When the connection ends for any reason, a `close` entry is recorded once and `waiter.close()` is called.
 * - `close` is bounded: it resolves within a few seconds even if the peer never answers.
 * - Caps: after each recorded frame (or decoded audio) the transport checks `rec.limitExceeded`; once set it
 *   stops reading at once (pause, then close) and ends the connection, so a flooding peer cannot grow memory.
 * - Client events: `rec.recordSend` gives each its `event_id`; the transport sends exactly what it returned.
 *
 * Extension (additive, for the session to stay transport-agnostic): `TransportContext` is what every factory
 * gets, `TransportFactory` makes one transport per session; `transports.ts` maps a TransportKind to its factory.
 */
import type { ResolvedEndpoint } from '../realtime/flavours.js';
import type { TraceRecorder } from './recorder.js';
import type { Trace, TransportKind } from '../trace/trace.js';
import type { EventWaiter } from './waiter.js';

export type ConnectOutcome = { ok: true } | { ok: false; reason: 'rejected' | 'connect-failed' };

/** Where a slice of prompt audio sits in the turn's sent audio (`prompt-<n>.wav`). */
export interface PromptSlice {
  pcm: Buffer;
  /** Byte offset of `pcm` in the turn's sent audio. */
  offset: number;
}

export interface Transport {
  readonly kind: TransportKind;
  /** Opens the connection and records the handshake. */
  connect(): Promise<ConnectOutcome>;
  /** True while client events can be sent. */
  readonly isOpen: boolean;
  /** Sends one client event (the session has already recorded it). False when the transport is not open. */
  send(event: Record<string, unknown>): boolean;
  /**
   * Sends one slice of prompt audio, already paced by the session. The WebSocket sends (and records) an
   * `input_audio_buffer.append`; WebRTC encodes Opus and sends RTP.
   */
  sendAudio(slice: PromptSlice): void;
  /**
   * Optional: whether an answer is still playing out to the listener. WebRTC plays audio in real time, seconds after
   * `response.done`; true until `output_audio_buffer.stopped` (or, when the service sends no such events, until the
   * last RTP packet has played). Absent on the WebSocket, whose audio arrives as fast as it is made.
   */
  readonly playingOut?: boolean;
  /** Closes (client-initiated) and resolves once the close is recorded; bounded. */
  close(): Promise<void>;
  /** Optional: adds what the transport kept outside the recorder to the finished trace (WebRTC: `trace.rtp`). */
  complete?(trace: Trace): void;
}

/** What a transport is given for one session. */
export interface TransportContext {
  endpoint: ResolvedEndpoint;
  /** Flavour, auth and correlation headers for the handshake (auth included: mask before recording). */
  headers: Record<string, string>;
  rec: TraceRecorder;
  waiter: EventWaiter;
  /** Secret values to scrub from anything the transport records. */
  secrets: readonly string[];
  connectTimeoutMs: number;
  /** Accept self-signed certificates (the simulator's `--tls`). */
  insecureTls?: boolean;
}

/** Makes one session's transport; may load the transport's code on first use (WebRTC loads werift only then). */
export type TransportFactory = (ctx: TransportContext) => Transport | Promise<Transport>;
