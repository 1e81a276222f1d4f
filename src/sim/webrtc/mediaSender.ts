/**
 * The simulator's outgoing audio on a WebRTC call: response audio (which the session produces faster than real
 * time, like the service) is queued and played out as 20 ms Opus RTP frames on an absolute clock, with the
 * turn's media faults applied. Tells the call when a response's playout starts and stops, for the
 * `output_audio_buffer.started` / `stopped` events.
 */
import { performance } from 'node:perf_hooks';
import type { RtpPacket } from 'werift';
import { FRAME_BYTES, FRAME_MS } from '../../media/frames.js';
import { FramePacer, OpusCodec, RtpStream } from '../../media/webrtc.js';
import type { MediaFault } from './mediaFaults.js';

/** Observer of every RTP packet the simulator sends (the benchmark compares arrival times against it). */
export type RtpSendObserver = (info: { callId: string; seq: number; timestamp: number; epochMs: number }) => void;

export interface MediaSenderDeps {
  callId: string;
  send(packet: RtpPacket): void;
  onStarted(responseId: string): void;
  onStopped(responseId: string): void;
  onRtpSend: RtpSendObserver | undefined;
  rnd: () => number;
}

interface Playout {
  responseId: string;
  faults: MediaFault[];
  pcm: Buffer[];
  queued: number;
  /** Frames taken from the queue so far (audio time = frames × 20 ms). */
  frames: number;
  /** Audio time reached, including DTX holes. */
  audioMs: number;
  done: boolean;
  started: boolean;
  stalled: Set<MediaFault>;
  lostFrames: number;
}

const JITTER_SEND_BOUND_MS = 5_000;

export class MediaSender {
  readonly #codec = new OpusCodec();
  readonly #stream: RtpStream;
  readonly #pacer = new FramePacer(() => this.#tick());
  #queue: Playout[] = [];
  #lastJitterSend = 0;
  #late: { at: number; packet: RtpPacket }[] = [];
  #lateTimer: NodeJS.Timeout | undefined;
  #closed = false;

  constructor(
    payloadType: number,
    private readonly deps: MediaSenderDeps,
  ) {
    this.#stream = new RtpStream(payloadType, deps.rnd);
  }

  /** Audio of a response, in order. */
  push(responseId: string, pcm: Buffer, faults: () => MediaFault[]): void {
    if (this.#closed) return;
    let p = this.#queue.find((q) => q.responseId === responseId);
    if (!p) {
      p = {
        responseId,
        faults: faults(),
        pcm: [],
        queued: 0,
        frames: 0,
        audioMs: 0,
        done: false,
        started: false,
        stalled: new Set(),
        lostFrames: 0,
      };
      this.#queue.push(p);
    }
    p.pcm.push(pcm);
    p.queued += pcm.length;
    this.#pacer.start();
  }

  /** No more audio for this response: the rest (padded to a frame) plays out, then `onStopped`. */
  end(responseId: string): void {
    const p = this.#queue.find((q) => q.responseId === responseId);
    if (p) p.done = true;
    this.#pacer.start();
  }

  /** Drops all queued audio (client `output_audio_buffer.clear`); true when something was playing. */
  clear(): boolean {
    const had = this.#queue.some((p) => p.started);
    this.#queue = [];
    return had;
  }

  close(): void {
    this.#closed = true;
    this.#pacer.stop();
    if (this.#lateTimer) clearTimeout(this.#lateTimer);
    this.#late = [];
    this.#codec.dispose();
  }

  /** One frame slot: false stops the pacer (nothing to play; it restarts on the next push). */
  #tick(): boolean {
    const p = this.#queue[0];
    if (!p || this.#closed) return false;
    const stall = p.faults.find((f) => f.kind === 'rtp-stall' && p.audioMs >= f.atMs && !p.stalled.has(f));
    if (stall && stall.kind === 'rtp-stall') {
      p.stalled.add(stall);
      this.#pacer.delay(stall.durationMs);
      return true;
    }
    const dtx = p.faults.find((f) => f.kind === 'rtp-dtx' && p.audioMs >= f.atMs && p.audioMs < f.atMs + f.durationMs);
    if (dtx) {
      p.audioMs += FRAME_MS; // a silent frame not sent: the timestamp moves on, the sequence does not
      this.#skipTs++;
      return true;
    }
    if (p.queued < FRAME_BYTES && !p.done) return false; // underflow: wait for more audio (stall-like, contiguous)
    if (p.queued === 0 && p.done) {
      this.#queue.shift();
      if (p.started) this.deps.onStopped(p.responseId);
      return this.#queue.length > 0;
    }
    const frame = this.#take(p);
    const lost = p.faults.some(
      (f) => f.kind === 'rtp-loss' && p.audioMs >= f.atMs && p.audioMs < f.atMs + f.durationMs,
    );
    const audioMs = p.audioMs;
    p.audioMs += FRAME_MS;
    p.frames++;
    if (lost) {
      this.#skipSeq++;
      this.#skipTs++;
      return true;
    }
    const packet = this.#stream.packet(this.#codec.encode(frame), {
      marker: !p.started,
      skipFrames: this.#skipTs,
      skipSeq: this.#skipSeq,
    });
    this.#skipTs = 0;
    this.#skipSeq = 0;
    const jitter = p.faults.find(
      (f) => f.kind === 'rtp-jitter' && audioMs >= f.atMs && audioMs < f.atMs + f.durationMs,
    );
    if (jitter && jitter.kind === 'rtp-jitter') this.#sendLate(packet, jitter.jitterMs);
    else if (this.#late.length) this.#sendLate(packet, 0);
    else this.#send(packet);
    if (!p.started) {
      p.started = true;
      this.deps.onStarted(p.responseId);
    }
    return true;
  }

  #skipTs = 0;
  #skipSeq = 0;

  /** Sends after a random delay up to `jitterMs`, never before an earlier late packet (one queue, order kept). */
  #sendLate(packet: RtpPacket, jitterMs: number): void {
    const now = performance.now();
    const at = Math.min(now + JITTER_SEND_BOUND_MS, Math.max(this.#lastJitterSend, now + this.deps.rnd() * jitterMs));
    this.#lastJitterSend = at;
    this.#late.push({ at, packet });
    if (!this.#lateTimer) this.#drainLate();
  }

  #drainLate = (): void => {
    this.#lateTimer = undefined;
    const now = performance.now();
    while (this.#late[0] && this.#late[0].at <= now + 0.5 && !this.#closed) this.#send(this.#late.shift()!.packet);
    if (this.#late[0] && !this.#closed)
      this.#lateTimer = setTimeout(this.#drainLate, Math.max(1, this.#late[0].at - now));
  };

  #send(packet: RtpPacket): void {
    this.deps.onRtpSend?.({
      callId: this.deps.callId,
      seq: packet.header.sequenceNumber,
      timestamp: packet.header.timestamp,
      epochMs: performance.timeOrigin + performance.now(),
    });
    this.deps.send(packet);
  }

  /** Takes up to one frame from the head of the queue (chunks are consumed in place, never re-concatenated). */
  #take(p: Playout): Buffer {
    const parts: Buffer[] = [];
    let need = FRAME_BYTES;
    while (need > 0 && p.pcm.length) {
      const head = p.pcm[0]!;
      if (head.length <= need) {
        parts.push(head);
        p.pcm.shift();
        need -= head.length;
      } else {
        parts.push(head.subarray(0, need));
        p.pcm[0] = head.subarray(need);
        need = 0;
      }
    }
    p.queued -= FRAME_BYTES - need;
    return parts.length === 1 ? parts[0]! : Buffer.concat(parts);
  }
}
