/**
 * The socket a SimConnection talks to on a WebRTC call. Outgoing events: audio deltas become RTP (the media
 * sender), everything else goes on the `oai-events` data channel (only the filter's events with Azure's
 * `webrtcfilter=on`) and to every sideband WebSocket. Incoming: data-channel and sideband events, plus the
 * decoded prompt audio, which arrives as synthetic `input_audio_buffer.append` events so the session's VAD
 * and commit logic run unchanged.
 */
import type { SimSocket } from '../connection.js';

type Listener<A extends unknown[]> = (...args: A) => void;

export interface ChannelSocketDeps {
  /** Sends text on the data channel; false when it is not open. */
  sendChannel(text: string): boolean;
  /** Handles an outgoing server event; returns false to keep it off the data channel (audio, filtered). */
  onServerEvent(event: Record<string, unknown>, text: string): boolean;
  /** Closes the call (both close and terminate: WebRTC has no close code). */
  hangUp(): void;
}

/** Events that reach the data channel under `webrtcfilter=on` (Azure), by GA name. */
export const WEBRTC_FILTER_EVENTS: ReadonlySet<string> = new Set([
  'input_audio_buffer.speech_started',
  'input_audio_buffer.speech_stopped',
  'output_audio_buffer.started',
  'output_audio_buffer.stopped',
  'conversation.item.input_audio_transcription.completed',
  'conversation.item.added',
  'conversation.item.created',
  'response.output_text.delta',
  'response.output_text.done',
  'response.output_audio_transcript.delta',
  'response.output_audio_transcript.done',
]);

export class ChannelSocket implements SimSocket {
  readonly OPEN = 1 as const;
  readyState: 0 | 1 | 2 | 3 = 1;
  readonly #message: Listener<[Buffer | string, boolean]>[] = [];
  readonly #close: Listener<[]>[] = [];
  readonly #error: Listener<[Error]>[] = [];

  constructor(private readonly deps: ChannelSocketDeps) {}

  on(event: 'message', fn: (data: Buffer | string, isBinary: boolean) => void): this;
  on(event: 'close', fn: () => void): this;
  on(event: 'error', fn: (err: Error) => void): this;
  on(event: 'message' | 'close' | 'error', fn: Listener<never[]>): this {
    if (event === 'message') this.#message.push(fn as Listener<[Buffer | string, boolean]>);
    else if (event === 'close') this.#close.push(fn as Listener<[]>);
    else this.#error.push(fn as Listener<[Error]>);
    return this;
  }

  send(text: string): void {
    if (this.readyState !== this.OPEN) return;
    const event = JSON.parse(text) as Record<string, unknown>;
    if (this.deps.onServerEvent(event, text)) this.deps.sendChannel(text);
  }

  /** A client event (data channel or sideband) or synthetic append, handed to the session. */
  receive(text: string): void {
    if (this.readyState !== this.OPEN) return;
    for (const fn of this.#message) fn(text, false);
  }

  close(): void {
    this.terminate();
  }

  terminate(): void {
    if (this.readyState !== this.OPEN) return;
    this.readyState = 3;
    this.deps.hangUp();
    for (const fn of this.#close) fn();
  }

  /** The call ended from the peer's side. */
  closedByPeer(): void {
    if (this.readyState !== this.OPEN) return;
    this.readyState = 3;
    for (const fn of this.#close) fn();
  }
}
