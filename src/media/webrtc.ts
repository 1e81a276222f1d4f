/**
 * What both ends of a WebRTC call share, the probe and the simulator (hence src/media/, outside both): Opus at
 * 24 kHz in 20 ms frames on a 48 kHz RTP clock (./frames.ts), the peer configuration (no public STUN by default;
 * loopback-only for tests; STUN/TURN servers when configured), reading the negotiated Opus payload type, outgoing
 * RTP packets, and an absolute-clock frame pacer.
 */
import { performance } from 'node:perf_hooks';
import OpusScript from 'opusscript';
import { RTCPeerConnection, RtpHeader, RtpPacket, useOPUS, type RTCRtpTransceiver } from 'werift';
import { FRAME_BYTES, FRAME_MS, TICKS_PER_FRAME } from './frames.js';

const SAMPLES_PER_FRAME = FRAME_BYTES / 2;
const OPUS_SET_BITRATE = 4002;
const OPUS_SET_COMPLEXITY = 4010;

/** ICE servers and candidate restrictions of one target (or the simulator). */
export interface IceConfig {
  /** STUN/TURN servers; empty by default (no public STUN server is ever contacted unless configured). */
  iceServers?: { urls: string; username?: string; credential?: string }[];
  /** Gather host candidates on this address only (e.g. 127.0.0.1 for loopback tests). */
  bindAddress?: string;
  /** Relay only (TURN), e.g. where outbound UDP is blocked. */
  relayOnly?: boolean;
  /** TURN transport, e.g. `tcp` or `tls` where UDP is blocked. */
  turnTransport?: 'udp' | 'tcp' | 'tls';
}

/** A werift peer connection with Opus only and the ICE configuration given. */
export function createPeer(ice: IceConfig, opts: { iceLite?: boolean } = {}): RTCPeerConnection {
  return new RTCPeerConnection({
    codecs: { audio: [useOPUS()], video: [] },
    // One ICE/DTLS transport for every m-line, as browsers and the service do. With werift's default (max-compat) each
    // m-line gathers its own transport first, and those left over after BUNDLE are never closed: their UDP sockets
    // would outlive the call in a long-lived Functions host.
    bundlePolicy: 'max-bundle',
    iceServers: ice.iceServers ?? [],
    iceUseIpv6: false,
    iceUseTcp: false,
    iceTcpPassive: false,
    iceInterfaceAddresses: ice.bindAddress ? { udp4: ice.bindAddress } : undefined,
    iceAdditionalHostAddresses: ice.bindAddress ? [ice.bindAddress] : undefined,
    iceFilterCandidatePair: ice.bindAddress ? (pair) => pair.localCandidate.host === ice.bindAddress : undefined,
    iceTransportPolicy: ice.relayOnly ? 'relay' : 'all',
    turnTransport: ice.turnTransport,
    iceLite: opts.iceLite ?? false,
  });
}

/** The Opus payload type the SDP negotiated for a transceiver (never assumed). */
export function negotiatedOpusPt(t: RTCRtpTransceiver): number | undefined {
  const codec = t.codecs.find((c) => /opus/i.test(c.mimeType));
  return codec?.payloadType;
}

/** Opus encoder + decoder for PCM16 24 kHz mono, 20 ms frames. */
export class OpusCodec {
  readonly #enc = new OpusScript(24000, 1, OpusScript.Application.VOIP);
  readonly #dec = new OpusScript(24000, 1, OpusScript.Application.VOIP);

  constructor() {
    // Complexity 2 at 32 kbit/s: a quarter of the default's CPU (≈0.2 ms a frame in WASM), ample for test speech.
    this.#enc.encoderCTL(OPUS_SET_COMPLEXITY, 2);
    this.#enc.encoderCTL(OPUS_SET_BITRATE, 32_000);
  }

  /** Encodes exactly one 20 ms frame (shorter input is padded with silence). */
  encode(frame: Buffer): Buffer {
    const pcm = frame.length === FRAME_BYTES ? frame : Buffer.concat([frame, Buffer.alloc(FRAME_BYTES - frame.length)]);
    return Buffer.from(this.#enc.encode(pcm, SAMPLES_PER_FRAME));
  }

  decode(payload: Buffer): Buffer {
    return Buffer.from(this.#dec.decode(payload));
  }

  dispose(): void {
    this.#enc.delete();
    this.#dec.delete();
  }
}

/** Builds RTP packets for one outgoing Opus stream. */
export class RtpStream {
  #seq: number;
  #ts: number;
  readonly ssrc: number;

  constructor(
    private readonly payloadType: number,
    rnd: () => number = Math.random,
  ) {
    this.#seq = Math.floor(rnd() * 0xffff);
    this.#ts = Math.floor(rnd() * 0xffffffff);
    this.ssrc = Math.floor(rnd() * 0xffffffff) >>> 0;
  }

  /** The next packet; `skipFrames` advances the timestamp (DTX), `skipSeq` the sequence number (loss) first. */
  packet(payload: Buffer, o: { marker?: boolean; skipFrames?: number; skipSeq?: number } = {}): RtpPacket {
    this.#seq = (this.#seq + (o.skipSeq ?? 0)) & 0xffff;
    this.#ts = (this.#ts + (o.skipFrames ?? 0) * TICKS_PER_FRAME) >>> 0;
    const header = new RtpHeader({
      payloadType: this.payloadType,
      sequenceNumber: this.#seq,
      timestamp: this.#ts,
      ssrc: this.ssrc,
      marker: o.marker ?? false,
    });
    this.#seq = (this.#seq + 1) & 0xffff;
    this.#ts = (this.#ts + TICKS_PER_FRAME) >>> 0;
    return new RtpPacket(header, payload);
  }
}

/**
 * Runs `tick(n)` for frame n at `start + n × 20 ms` on an absolute clock (drift-free: a late tick does not
 * delay the next one). `tick` returns false to stop. One timer at a time; `stop()` clears it.
 */
export class FramePacer {
  #timer: NodeJS.Timeout | undefined;
  #start = 0;
  #n = 0;
  #running = false;

  constructor(private readonly tick: (n: number) => boolean) {}

  get running(): boolean {
    return this.#running;
  }

  start(): void {
    if (this.#running) return;
    this.#running = true;
    this.#start = performance.now();
    this.#n = 0;
    this.#loop();
  }

  /** Moves the schedule later by `ms` (a stall): frames resume `ms` after they were due. */
  delay(ms: number): void {
    this.#start += ms;
  }

  stop(): void {
    this.#running = false;
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  #loop = (): void => {
    this.#timer = undefined;
    while (this.#running) {
      const due = this.#start + this.#n * FRAME_MS;
      const wait = due - performance.now();
      if (wait > 1.5) {
        this.#timer = setTimeout(this.#loop, wait - 1);
        return;
      }
      const n = this.#n++;
      if (!this.tick(n)) {
        this.#running = false;
        return;
      }
    }
  };
}
