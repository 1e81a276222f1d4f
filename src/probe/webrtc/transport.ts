/**
 * The WebRTC transport: the real handshake (ephemeral key with the standard key or Entra, then the SDP offer to
 * `…/realtime/calls`; or the unified multipart form), ICE/DTLS/data-channel stages recorded by name, events on
 * the `oai-events` data channel through the recorder, prompt audio as paced Opus RTP, output RTP logged per
 * packet and decoded into the turn's output audio. See src/probe/transport.ts for the contract.
 */
import type { RTCDataChannel, RTCPeerConnection, RTCRtpTransceiver } from 'werift';
import type WebSocket from 'ws';
import { EV } from '../../realtime/events.js';
import type { ResolvedEndpoint } from '../../realtime/flavours.js';
import type { TraceRecorder } from '../recorder.js';
import { responseIdOf } from '../../trace/ids.js';
import type { Trace, TransportKind, WebRtcStage } from '../../trace/trace.js';
import type { ConnectOutcome, PromptSlice, Transport } from '../transport.js';
import type { EventWaiter } from '../waiter.js';
import { recordedPost } from './http.js';
import { FRAME_BYTES } from '../../media/frames.js';
import { createPeer, FramePacer, negotiatedOpusPt, OpusCodec, RtpStream, type IceConfig } from '../../media/webrtc.js';
import { PlayoutTracker } from './playout.js';
import { RtpReceiver, type MediaSink } from './receiver.js';
import { EventDedup, isAudioDelta, openSideband } from './sideband.js';
import { parseValue, sdpAnswerProblem, speaks, takeFrame, unifiedForm, waitFor } from './wire.js';
import { webrtcUrls } from './urls.js';

export interface WebRtcOptions {
  ice?: IceConfig;
  /** POST the unified multipart form (`sdp` + `session`) with the standard key instead of minting an ephemeral key. */
  unified?: boolean;
  /** Azure `webrtcfilter=on`: the data channel carries only ~11 event types, so the sideband is opened too. */
  filter?: boolean;
  /** Also receive every event of the call on the sideband WebSocket (`?call_id=`); on whenever `filter` is. */
  sideband?: boolean;
  /** Deadline for the first RTP packet after a response is created (default 5000 ms). */
  mediaTimeoutMs?: number;
}

export interface WebRtcTransportDeps {
  endpoint: ResolvedEndpoint;
  /** The standard-key (or Entra) headers of the target: `api-key` or `Authorization: Bearer`, plus flavour headers. */
  headers: Record<string, string>;
  rec: TraceRecorder;
  waiter: EventWaiter;
  /** Secret values to scrub; the ephemeral key is appended once minted. */
  secrets: string[];
  connectTimeoutMs: number;
  sink: MediaSink;
  /** Cap on received RTP packets (the session's audio cap / 20 ms). */
  maxPackets?: number;
  options?: WebRtcOptions;
}

const GATHER_DEADLINE_MS = 3_000;
const CLOSE_DEADLINE_MS = 2_000;
/** Longest wait at close for answers still playing out. */
const PLAYOUT_DRAIN_MAX_MS = 30_000;
/** An arrival gap after which the next packet starts another answer's talkspurt when one is due. */
const TALKSPURT_GAP_MS = 300;
/** Empty 20 ms frame slots before the prompt pacer stops (a talkspurt ends). */
const IDLE_TICKS = 8;

export class WebRtcTransport implements Transport {
  readonly kind: TransportKind = 'webrtc';
  readonly receiver: RtpReceiver;
  #pc: RTCPeerConnection | undefined;
  #dc: RTCDataChannel | undefined;
  #audio: RTCRtpTransceiver | undefined;
  #stream: RtpStream | undefined;
  readonly #encoder = new OpusCodec();
  readonly #pacer = new FramePacer(() => this.#sendFrame());
  #outAudio: Buffer[] = [];
  #framesQueued = 0;
  #framesSent = 0;
  #burstStart = true;
  /** Events waiting behind queued prompt audio; `createTurn` marks a `response.create` (of that turn). */
  #outEvents: { afterFrame: number; text: string; createTurn: number | undefined }[] = [];
  #closed = false;
  #clientClosing = false;
  #mediaTimer: NodeJS.Timeout | undefined;
  #queued: number[] = [];
  #playTurn: number | undefined;
  #lastRtpAt = 0;
  #sawMedia = false;
  readonly #playing = new Set<string>();
  readonly #playout = new PlayoutTracker(() => this.d.rec.now());
  #clockPoll: NodeJS.Timeout | undefined;
  #emptyTicks = 0;
  #released = false;
  #sideband: WebSocket | undefined;
  /** Each event once, whether the data channel or the sideband brought it first. */
  readonly #dedup = new EventDedup();

  constructor(private readonly d: WebRtcTransportDeps) {
    this.receiver = new RtpReceiver(d.sink, d.maxPackets ?? 360_000);
  }

  get isOpen(): boolean {
    return !this.#closed && this.#dc?.readyState === 'open';
  }

  get playingOut(): boolean {
    return !this.#closed && this.#playout.playing;
  }

  async connect(): Promise<ConnectOutcome> {
    const { rec, endpoint } = this.d;
    const o = this.d.options ?? {};
    const urls = webrtcUrls(endpoint, { filter: o.filter });
    const standard = this.d.headers;
    for (const [k, v] of Object.entries(standard))
      if (/^(authorization|api-key)$/i.test(k)) this.d.secrets.push(v.replace(/^Bearer\s+/i, ''));
    const secrets = (): readonly string[] => this.d.secrets;
    const session = { type: 'realtime', model: endpoint.deployment ?? 'gpt-realtime' };
    let callAuth = standard;
    if (!o.unified) {
      const res = await recordedPost(
        rec,
        {
          stage: 'client-secret',
          url: urls.clientSecrets,
          headers: { ...standard, 'content-type': 'application/json' },
          body: JSON.stringify({ session }),
          timeoutMs: this.d.connectTimeoutMs,
          check: (text) => (parseValue(text) ? undefined : 'the client_secrets answer has no "value" (ephemeral key)'),
        },
        secrets,
      );
      if (!res) return { ok: false, reason: 'connect-failed' };
      if (res.status < 200 || res.status >= 300 || res.problem) return { ok: false, reason: 'rejected' };
      const ek = parseValue(res.text)!;
      this.d.secrets.push(ek);
      callAuth = { Authorization: `Bearer ${ek}` };
    }

    const pc = (this.#pc = createPeer(o.ice ?? {}));
    this.#watchPeer(pc);
    const dc = (this.#dc = pc.createDataChannel('oai-events'));
    dc.onMessage.subscribe((data) => this.#dedup.first(data) && this.#onEvent(data));
    this.#audio = pc.addTransceiver('audio', { direction: 'sendrecv' });
    this.#audio.onTrack.subscribe((track) => track.onReceiveRtp.subscribe((rtp) => this.#onRtp(rtp)));
    const g0 = rec.now();
    await pc.setLocalDescription(await pc.createOffer());
    const gathered = await waitFor(
      pc.iceGatheringState === 'complete',
      pc.iceGatheringStateChange,
      (s) => s === 'complete',
      GATHER_DEADLINE_MS,
    );
    this.#stage(
      'gather',
      gathered,
      g0,
      gathered ? undefined : `ICE gathering did not complete within ${GATHER_DEADLINE_MS} ms`,
    );
    const offer = pc.localDescription?.sdp ?? '';

    const res = o.unified
      ? await recordedPost(
          rec,
          {
            stage: 'call',
            url: urls.calls,
            ...unifiedForm(standard, offer, session),
            timeoutMs: this.d.connectTimeoutMs,
            check: sdpAnswerProblem,
          },
          secrets,
        )
      : await recordedPost(
          rec,
          {
            stage: 'call',
            url: urls.calls,
            headers: { ...callAuth, 'content-type': 'application/sdp' },
            body: offer,
            timeoutMs: this.d.connectTimeoutMs,
            check: sdpAnswerProblem,
          },
          secrets,
        );
    if (!res) return this.#fail('connect-failed');
    if ((res.status !== 201 && res.status !== 200) || res.problem) return this.#fail('rejected');
    const location = res.headers.get('location') ?? '';
    const callId = location.split('/').pop() ?? '';
    if (callId) rec.add({ kind: 'webrtc-call', callId, location });
    // attached now, while ICE runs, so it hears the call's first events (which the filter keeps off the data channel)
    const sideband = o.sideband || o.filter ? this.#openSideband(urls.sideband(callId), callId) : undefined;

    const a0 = rec.now();
    try {
      await pc.setRemoteDescription({ type: 'answer', sdp: res.text });
    } catch (err) {
      rec.add({
        kind: 'webrtc-stage',
        stage: 'ice',
        ok: false,
        durationMs: 0,
        detail: `the SDP answer could not be applied: ${(err as Error).message}`,
      });
      return this.#fail('connect-failed');
    }
    const left = (): number => Math.max(0, this.d.connectTimeoutMs - (rec.now() - a0));
    const ice = await waitFor(
      pc.iceConnectionState === 'connected' || pc.iceConnectionState === 'completed',
      pc.iceConnectionStateChange,
      (s) => s === 'connected' || s === 'completed' || s === 'failed',
      left(),
    );
    if (!ice || pc.iceConnectionState === 'failed') {
      this.#stage(
        'ice',
        false,
        a0,
        pc.iceConnectionState === 'failed'
          ? 'ICE connectivity checks failed: no candidate pair works (UDP blocked, or no route to the service; TURN over TCP/TLS may be needed)'
          : `ICE did not connect within ${this.d.connectTimeoutMs} ms (UDP blocked?)`,
      );
      return this.#fail('connect-failed');
    }
    this.#stage('ice', true, a0);
    const dtls = pc.dtlsTransports[0];
    const d0 = rec.now();
    const dtlsOk = dtls
      ? await waitFor(
          dtls.state === 'connected',
          dtls.onStateChange,
          (s) => s === 'connected' || s === 'failed' || s === 'closed',
          left(),
        )
      : false;
    if (!dtlsOk || dtls?.state !== 'connected') {
      this.#stage(
        'dtls',
        false,
        d0,
        dtls?.state === 'failed'
          ? 'the DTLS handshake failed (certificate fingerprint mismatch or handshake error): no SRTP keys'
          : `DTLS did not connect within ${this.d.connectTimeoutMs} ms`,
      );
      return this.#fail('connect-failed');
    }
    this.#stage('dtls', true, d0);
    const c0 = rec.now();
    const open = await waitFor(dc.readyState === 'open', dc.stateChange, (s) => s === 'open' || s === 'closed', left());
    if (!open || dc.readyState !== 'open') {
      this.#stage(
        'datachannel',
        false,
        c0,
        `the oai-events data channel did not open within ${this.d.connectTimeoutMs} ms`,
      );
      return this.#fail('connect-failed');
    }
    this.#stage('datachannel', true, c0);
    if (sideband) {
      const outcome = await sideband;
      if (outcome !== 'open') return this.#fail(outcome);
    }
    this.#stream = new RtpStream(negotiatedOpusPt(this.#audio) ?? 111);
    return { ok: true };
  }

  send(event: Record<string, unknown>): boolean {
    if (!this.isOpen) return false;
    const text = JSON.stringify(event);
    const createTurn = event.type === 'response.create' ? this.d.rec.turn : undefined;
    if (this.#framesSent < this.#framesQueued)
      this.#outEvents.push({ afterFrame: this.#framesQueued, text, createTurn });
    else {
      this.#dc!.send(text);
      if (createTurn !== undefined) this.#createLeft(createTurn, false);
    }
    return true;
  }

  /**
   * A `response.create` left the data channel: the turn's clock starts now when it waited behind prompt audio, or
   * later, when the answer still playing out ends (until then the service could not start the next one).
   */
  #createLeft(turn: number, late: boolean): void {
    const t = this.d.rec.now();
    if (this.#clockPoll) clearInterval(this.#clockPoll);
    this.#clockPoll = undefined;
    if (!this.#playout.playing) {
      if (late) this.d.rec.add({ kind: 'turn-clock', cause: 'sent' }, t, turn);
      return;
    }
    const poll = (this.#clockPoll = setInterval(() => {
      const now = this.d.rec.now();
      if (this.#closed || now - t > PLAYOUT_DRAIN_MAX_MS) return void clearInterval(poll);
      if (this.#playout.playing) return;
      clearInterval(poll);
      const endedAt = Math.min(now, Math.max(t, this.#playout.endedAt));
      this.d.rec.add({ kind: 'turn-clock', cause: 'played-out' }, endedAt, turn);
    }, 20));
  }

  /** Queues prompt audio; it leaves as 20 ms Opus frames on an absolute clock, and later events wait for it. */
  sendAudio(slice: PromptSlice): void {
    if (!this.isOpen || !this.#stream) return;
    this.#outAudio.push(slice.pcm);
    this.#framesQueued += Math.ceil(slice.pcm.length / FRAME_BYTES);
    this.#pacer.start();
  }

  /** The RTP logs go into the trace beside the output audio. */
  complete(trace: Trace): void {
    trace.rtp = this.receiver.logs();
  }

  /** Resolves once the queued prompt audio has been sent (or after `maxMs`). */
  async drained(maxMs: number): Promise<void> {
    const until = Date.now() + maxMs;
    while (this.#framesSent < this.#framesQueued && !this.#closed && Date.now() < until)
      await new Promise((r) => setTimeout(r, 10));
  }

  /** Closes after the answers still playing out have ended (`output_audio_buffer.stopped`, bounded). */
  async close(): Promise<void> {
    if (this.#closed) return;
    const until = Date.now() + PLAYOUT_DRAIN_MAX_MS;
    while (!this.#closed && (this.#playout.playing || this.#queued.length > 0) && Date.now() < until)
      await new Promise((r) => setTimeout(r, 20));
    if (this.#closed) return;
    this.#clientClosing = true;
    const pc = this.#pc;
    await Promise.race([
      pc ? pc.close().catch(() => undefined) : Promise.resolve(),
      new Promise((r) => setTimeout(r, CLOSE_DEADLINE_MS)),
    ]);
    this.#onClosed(1000, 'probe finished');
  }

  #sendFrame(): boolean {
    const frame = takeFrame(this.#outAudio);
    if (!frame || !this.#stream || !this.#audio || this.#closed) {
      // Slices paced by the session arrive every chunk; a few empty frame slots keep the clock running between them.
      if (++this.#emptyTicks < IDLE_TICKS && !this.#closed) return true;
      this.#emptyTicks = 0;
      this.#burstStart = true;
      return false;
    }
    this.#emptyTicks = 0;
    const packet = this.#stream.packet(this.#encoder.encode(frame), { marker: this.#burstStart });
    this.#burstStart = false;
    void this.#audio.sender.sendRtp(packet).catch(() => undefined);
    this.#framesSent++;
    while (this.#outEvents[0] && this.#outEvents[0].afterFrame <= this.#framesSent) {
      const e = this.#outEvents.shift()!;
      if (this.#dc?.readyState !== 'open') continue;
      this.#dc.send(e.text);
      if (e.createTurn !== undefined) this.#createLeft(e.createTurn, true);
    }
    return true;
  }

  #onEvent(data: string | Buffer): void {
    const t = this.d.rec.now();
    if (this.#closed) return;
    const entry = this.d.rec.recordFrame(
      typeof data === 'string' ? Buffer.from(data, 'utf8') : data,
      typeof data !== 'string',
      t,
    );
    if (this.d.rec.limitExceeded) return void this.#stopForLimit();
    if (!entry) return;
    const responseId = responseIdOf(entry);
    if (entry.type === EV.responseCreated && speaks(entry.event)) {
      this.#queued.push(entry.turn);
      if (responseId) this.#playout.created(responseId, t);
      if (this.#playing.size === 0) this.#armMediaDeadline();
    }
    if (entry.type === EV.responseDone && responseId) this.#playout.done(responseId);
    if (entry.type === 'output_audio_buffer.started' && responseId) {
      this.#playing.add(responseId);
      this.#playout.started(responseId);
    }
    if (entry.type === 'output_audio_buffer.stopped' || entry.type === 'output_audio_buffer.cleared') {
      this.#playout.stopped(responseId, t);
      if (responseId) this.#playing.delete(responseId);
      if (responseId && this.#queued.length && this.#playing.size === 0) this.#armMediaDeadline();
    }
    this.d.waiter.deliver(entry);
  }

  /**
   * WebRTC plays each answer out in real time after its events, so one answer's audio may still be arriving when
   * the next turn's response is created. A talkspurt (marker bit, or a gap after which another answer is due)
   * belongs to the oldest created answer that has not started playing.
   */
  #onRtp(rtp: Parameters<RtpReceiver['receive']>[0]): void {
    const t = this.d.rec.now();
    if (this.#closed) return;
    if (!this.#sawMedia) {
      this.#sawMedia = true;
      this.d.rec.add(
        {
          kind: 'webrtc-stage',
          stage: 'media',
          ok: true,
          durationMs: 0,
          detail: `first RTP packet (payload type ${rtp.header.payloadType})`,
        },
        t,
      );
    }
    const newSpurt =
      this.#playTurn === undefined ||
      rtp.header.marker ||
      (this.#queued.length > 0 && t - this.#lastRtpAt > TALKSPURT_GAP_MS);
    if (newSpurt) {
      this.#playTurn = this.#queued.shift() ?? this.#playTurn ?? this.d.rec.turn;
      if (this.#mediaTimer) clearTimeout(this.#mediaTimer);
      this.#mediaTimer = undefined;
    }
    this.#lastRtpAt = t;
    this.#playout.rtp(t);
    if (!this.receiver.receive(rtp, t, this.#playTurn ?? this.d.rec.turn) || this.d.rec.limitExceeded)
      void this.#stopForLimit();
  }

  /** A response with audio must bring RTP within the deadline; else a `media` timeout names the stage. */
  #armMediaDeadline(): void {
    if (this.#mediaTimer) clearTimeout(this.#mediaTimer);
    const afterMs = this.d.options?.mediaTimeoutMs ?? 5_000;
    const turn = this.#queued[0] ?? this.d.rec.turn;
    this.#mediaTimer = setTimeout(() => {
      this.#mediaTimer = undefined;
      if (this.#closed) return;
      this.d.rec.add({ kind: 'timeout', scope: 'media', waitingFor: 'RTP audio', afterMs }, this.d.rec.now(), turn);
      this.d.rec.add(
        {
          kind: 'webrtc-stage',
          stage: 'media',
          ok: false,
          durationMs: afterMs,
          detail: `no RTP packet within ${afterMs} ms of response.created`,
        },
        this.d.rec.now(),
        turn,
      );
      this.#queued = []; // the answers that never started will not
      this.#playout.mediaGaveUp(this.d.rec.now());
    }, afterMs);
  }

  /** A session cap was crossed: stop reading at once and end the call. */
  async #stopForLimit(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#releaseAll();
    this.#clientClosing = true;
    await Promise.race([
      this.#pc?.close().catch(() => undefined),
      new Promise((r) => setTimeout(r, CLOSE_DEADLINE_MS)),
    ]);
    this.#closed = false;
    this.#onClosed(1009, 'session limit exceeded');
  }

  #watchPeer(pc: RTCPeerConnection): void {
    pc.connectionStateChange.subscribe((s) => {
      if (
        (s === 'failed' || s === 'disconnected' || s === 'closed') &&
        !this.#clientClosing &&
        this.#dc?.readyState === 'open'
      ) {
        this.d.rec.add({ kind: 'socket-error', errorClass: 'reset', code: undefined, message: `peer connection ${s}` });
        this.#onClosed(1006, `peer connection ${s}`);
      }
    });
  }

  /** Opens the sideband with the target's standard headers; what the connect outcome is when it does not open. */
  async #openSideband(url: URL, callId: string): Promise<'open' | 'rejected' | 'connect-failed'> {
    const { rec } = this.d;
    if (!callId) {
      rec.add({
        kind: 'socket-error',
        errorClass: 'protocol',
        code: undefined,
        message: 'the call answer has no Location with a call id: the sideband (?call_id=) cannot be opened',
      });
      return 'rejected';
    }
    const { ws, status } = await openSideband(rec, url, this.d.headers, this.d.connectTimeoutMs, () => this.d.secrets, {
      onMessage: (data) => !isAudioDelta(data) && this.#dedup.first(data) && this.#onEvent(data.toString('utf8')), // text frames
      onClose: (code, reason) => {
        if (this.#closed || this.#clientClosing) return;
        rec.add({
          kind: 'socket-error',
          errorClass: 'reset',
          code: undefined,
          message: `the sideband WebSocket closed during the call (${code}${reason ? ` ${reason}` : ''})`,
        });
        // with the filter on, the sideband is the only path for most events: the session cannot go on without it
        if (this.d.options?.filter) this.#onClosed(1006, 'sideband closed');
      },
    });
    if (!ws) return status >= 400 ? 'rejected' : 'connect-failed';
    if (this.#closed) ws.close(1000);
    else this.#sideband = ws;
    return 'open';
  }

  #stage(stage: WebRtcStage, ok: boolean, since: number, detail?: string): void {
    this.d.rec.add({
      kind: 'webrtc-stage',
      stage,
      ok,
      durationMs: Math.round((this.d.rec.now() - since) * 10) / 10,
      ...(detail ? { detail } : {}),
    });
  }

  #fail(reason: 'rejected' | 'connect-failed'): ConnectOutcome {
    this.#clientClosing = true;
    void this.#pc?.close().catch(() => undefined);
    this.#releaseAll();
    this.#closed = true;
    return { ok: false, reason };
  }

  #onClosed(code: number, reason: string): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#releaseAll();
    // however the call ended (the service hung up first, too), the peer connection is closed with it
    void this.#pc?.close().catch(() => undefined);
    this.d.rec.add({ kind: 'close', code, reason, initiatedBy: this.#clientClosing ? 'client' : 'server' });
    this.d.waiter.close();
  }

  #releaseAll(): void {
    this.#pacer.stop();
    this.#sideband?.close(1000, 'call ended');
    this.#sideband = undefined;
    if (this.#mediaTimer) clearTimeout(this.#mediaTimer);
    this.#mediaTimer = undefined;
    if (this.#clockPoll) clearInterval(this.#clockPoll);
    this.#clockPoll = undefined;
    if (!this.#released) this.#encoder.dispose();
    this.#released = true;
    this.receiver.dispose();
  }
}
