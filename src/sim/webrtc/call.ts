/**
 * One simulated WebRTC call: answers the SDP offer as an ICE-lite peer, runs a SimConnection over the
 * `oai-events` data channel (through ChannelSocket), plays response audio as paced Opus RTP (MediaSender) with
 * the `output_audio_buffer.*` events, decodes the client's Opus into the session's input audio, and mirrors
 * every event to sideband WebSockets (`?call_id=`).
 */
import { performance } from 'node:perf_hooks';
import type { WebSocket } from 'ws';
import type { RTCDataChannel, RTCPeerConnection, RTCRtpTransceiver } from 'werift';
import { EV } from '../../realtime/events.js';
import type { Dialect, Flavour } from '../../realtime/flavours.js';
import { createPeer, negotiatedOpusPt, OpusCodec } from '../../media/webrtc.js';
import { eventResponseId } from '../../trace/ids.js';
import type { AnswerBook } from '../answers.js';
import { SimConnection } from '../connection.js';
import { createIdMinter, createRng, mixSeed } from '../random.js';
import type { Scenario } from '../scenario.js';
import type { SpokenAnswer } from '../speech.js';
import { ChannelSocket, WEBRTC_FILTER_EVENTS } from './channelSocket.js';
import { mediaFaultsForTurn, type WebRtcScenario } from './mediaFaults.js';
import { MediaSender, type RtpSendObserver } from './mediaSender.js';

export interface SimCallDeps {
  callId: string;
  flavour: Flavour;
  dialect: Dialect;
  model: string;
  scenario: Scenario;
  media: WebRtcScenario | undefined;
  /** Azure `webrtcfilter=on`. */
  filter: boolean;
  answers: AnswerBook;
  speak: (text: string) => SpokenAnswer;
  seed: number;
  ordinal: number;
  bindAddress: string;
  onRtpSend: RtpSendObserver | undefined;
  onEnded: () => void;
  log: (line: string) => void;
}

const GATHER_DEADLINE_MS = 3_000;
/** Commits wait this long after the last prompt RTP frame, so audio still in flight is counted. */
const COMMIT_SETTLE_MS = 60;
const AUDIO_DELTA_TYPES = new Set(['response.output_audio.delta', 'response.audio.delta']);

export class SimCall {
  readonly #pc: RTCPeerConnection;
  readonly #mint: (prefix: string) => string;
  readonly #sideband = new Set<WebSocket>();
  readonly #decoder = new OpusCodec();
  #socket: ChannelSocket | undefined;
  #dc: RTCDataChannel | undefined;
  #sender: MediaSender | undefined;
  #responses = 0;
  readonly #responseTurn = new Map<string, number>();
  #lastRtpAt = 0;
  #inbox: Promise<void> = Promise.resolve();
  #ended = false;

  constructor(private readonly deps: SimCallDeps) {
    this.#mint = createIdMinter(createRng(mixSeed('rtc-events', deps.seed, deps.ordinal)));
    this.#pc = createPeer({ bindAddress: deps.bindAddress }, { iceLite: true });
    this.#pc.onDataChannel.subscribe((dc) => {
      if (dc.readyState === 'open') this.#onChannel(dc);
      else
        dc.stateChange
          .watch((s) => s === 'open')
          .then(
            () => this.#onChannel(dc),
            () => undefined,
          );
    });
    this.#pc.onTrack.subscribe((track) => track.onReceiveRtp.subscribe((rtp) => this.#onPromptRtp(rtp.payload)));
    this.#pc.connectionStateChange.subscribe((s) => {
      if (s === 'failed' || s === 'closed' || s === 'disconnected') this.end(`peer connection ${s}`);
    });
  }

  /** The SDP answer to `offer` (with host candidates); a `dtlsFailure` scenario corrupts its fingerprint. */
  async answer(offer: string): Promise<string> {
    await this.#pc.setRemoteDescription({ type: 'offer', sdp: offer });
    const audio = this.#pc.getTransceivers().find((t) => t.kind === 'audio');
    if (audio) this.#setupAudio(audio);
    await this.#pc.setLocalDescription(await this.#pc.createAnswer());
    await waitGathered(this.#pc);
    const sdp = this.#pc.localDescription?.sdp ?? '';
    return this.deps.media?.dtlsFailure
      ? sdp.replace(
          /(a=fingerprint:\S+ )([0-9A-Fa-f:]+)/g,
          (_m, p: string, fp: string) => p + fp.split(':').reverse().join(':'),
        )
      : sdp;
  }

  addSideband(ws: WebSocket): void {
    this.#sideband.add(ws);
    ws.on('close', () => this.#sideband.delete(ws));
    ws.on('message', (data) => this.#enqueue(data.toString()));
  }

  /** Hangs up: closes the session, the media and the peer connection; idempotent. */
  end(why: string): void {
    if (this.#ended) return;
    this.#ended = true;
    this.deps.log(`call ${this.deps.callId} ended: ${why}`);
    this.#socket?.closedByPeer();
    this.#sender?.close();
    this.#decoder.dispose();
    for (const ws of this.#sideband) ws.close(1000, 'call ended');
    void this.#pc.close().catch(() => undefined);
    this.deps.onEnded();
  }

  #setupAudio(t: RTCRtpTransceiver): void {
    t.setDirection(this.deps.media?.noMedia ? 'recvonly' : 'sendrecv');
    if (this.deps.media?.noMedia) return;
    this.#pc.connectionStateChange.subscribe((s) => {
      if (s !== 'connected' || this.#sender) return;
      const pt = negotiatedOpusPt(t) ?? 111;
      const rtpRng = createRng(mixSeed('rtp', this.deps.seed, this.deps.ordinal));
      this.#sender = new MediaSender(pt, {
        callId: this.deps.callId,
        send: (p) => void t.sender.sendRtp(p).catch(() => undefined),
        onStarted: (responseId) => this.#emitExtra('output_audio_buffer.started', responseId),
        onStopped: (responseId) => this.#emitExtra('output_audio_buffer.stopped', responseId),
        onRtpSend: this.deps.onRtpSend,
        rnd: rtpRng.next,
      });
    });
  }

  /** The client's Opus, decoded into the session's input audio. */
  #onPromptRtp(payload: Buffer): void {
    if (this.#ended || !this.#socket) return;
    this.#lastRtpAt = performance.now();
    let pcm: Buffer;
    try {
      pcm = this.#decoder.decode(payload);
    } catch {
      return; // a corrupt frame is lost audio, as on the service
    }
    this.#socket.receive(JSON.stringify({ type: 'input_audio_buffer.append', audio: pcm.toString('base64') }));
  }

  #onChannel(dc: RTCDataChannel): void {
    if (this.#dc) return;
    this.#dc = dc;
    this.#socket = new ChannelSocket({
      sendChannel: (text) => {
        if (dc.readyState !== 'open') return false;
        dc.send(text);
        return true;
      },
      onServerEvent: (event, text) => this.#onServerEvent(event, text),
      hangUp: () => this.end('closed by the simulator'),
    });
    dc.onMessage.subscribe((data) => this.#enqueue(typeof data === 'string' ? data : data.toString('utf8')));
    dc.stateChange.subscribe((s) => {
      if (s === 'closed') this.end('data channel closed');
    });
    const conn = new SimConnection({
      ws: this.#socket,
      flavour: this.deps.flavour,
      dialect: this.deps.dialect,
      model: this.deps.model,
      scenario: this.deps.scenario,
      answers: this.deps.answers,
      speak: this.deps.speak,
      seed: this.deps.seed,
      ordinal: this.deps.ordinal,
      onServerSend: undefined,
      log: this.deps.log,
    });
    conn.start();
  }

  /** Client events in order; a commit waits until the prompt's last RTP frames have landed. */
  #enqueue(text: string): void {
    this.#inbox = this.#inbox.then(async () => {
      if (this.#ended || !this.#socket) return;
      if (text.includes('input_audio_buffer.commit')) {
        const wait = this.#lastRtpAt + COMMIT_SETTLE_MS - performance.now();
        if (wait > 0) await new Promise((r) => setTimeout(r, Math.min(wait, COMMIT_SETTLE_MS)));
      }
      if (text.includes('output_audio_buffer.clear') && parseType(text) === 'output_audio_buffer.clear') {
        if (this.#sender?.clear()) this.#emitExtra('output_audio_buffer.cleared', undefined);
        return;
      }
      this.#socket.receive(text);
    });
  }

  /** Routes one outgoing server event; false keeps it off the data channel. */
  #onServerEvent(event: Record<string, unknown>, text: string): boolean {
    const type = String(event.type);
    const responseId = eventResponseId(event);
    if (type === EV.responseCreated && responseId) this.#responseTurn.set(responseId, ++this.#responses);
    if (AUDIO_DELTA_TYPES.has(type) && responseId) {
      const pcm = Buffer.from(String(event.delta ?? ''), 'base64');
      const turn = this.#responseTurn.get(responseId) ?? this.#responses;
      this.#sender?.push(responseId, pcm, () => mediaFaultsForTurn(this.deps.media, turn));
      return false;
    }
    if (type === EV.responseDone && responseId) {
      const status = (event.response as { status?: string } | undefined)?.status;
      if (status === 'cancelled' && this.#sender?.clear())
        queueMicrotask(() => this.#emitExtra('output_audio_buffer.cleared', responseId));
      else this.#sender?.end(responseId);
    }
    for (const ws of this.#sideband) if (ws.readyState === ws.OPEN) ws.send(text);
    return !this.deps.filter || WEBRTC_FILTER_EVENTS.has(type);
  }

  /** The WebRTC-only events, which the session machinery does not know. */
  #emitExtra(type: string, responseId: string | undefined): void {
    const text = JSON.stringify({
      type,
      event_id: this.#mint('event'),
      ...(responseId ? { response_id: responseId } : {}),
    });
    for (const ws of this.#sideband) if (ws.readyState === ws.OPEN) ws.send(text);
    if (this.#dc?.readyState === 'open') this.#dc.send(text);
  }
}

function parseType(text: string): string | undefined {
  try {
    return String((JSON.parse(text) as { type?: unknown }).type);
  } catch {
    return undefined;
  }
}

async function waitGathered(pc: RTCPeerConnection): Promise<void> {
  if (pc.iceGatheringState === 'complete') return;
  await pc.iceGatheringStateChange.watch((s) => s === 'complete', GATHER_DEADLINE_MS).catch(() => undefined);
}
