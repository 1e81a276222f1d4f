/**
 * The probe's side of the output audio: every RTP packet gets a compact trace record (receive time, sequence
 * number, RTP timestamp, size, marker) and its Opus payload is decoded into the turn's PCM16 24 kHz output
 * audio. The first packet after a response starts clears that response's media deadline.
 */
import type { RtpPacket } from 'werift';
import { OpusCodec } from '../../media/webrtc.js';
import { RtpLogWriter } from '../../trace/rtpLog.js';

/** Where decoded output audio goes (the recorder's per-turn output audio). */
export interface MediaSink {
  /** Appends decoded PCM to `turn`'s output audio; returns the byte offset it starts at, undefined past the audio cap. */
  appendPcm(turn: number, pcm: Buffer, t: number): number | undefined;
}

export class RtpReceiver {
  readonly #codec = new OpusCodec();
  readonly #logs = new Map<number, RtpLogWriter>();
  #packets = 0;
  #disposed = false;

  constructor(
    private readonly sink: MediaSink,
    private readonly maxPackets: number,
  ) {}

  get packets(): number {
    return this.#packets;
  }

  /** Records and decodes one packet received at `t` for `turn`. False once the packet cap is reached. */
  receive(rtp: RtpPacket, t: number, turn: number): boolean {
    if (this.#disposed || this.#packets >= this.maxPackets) return false;
    this.#packets++;
    let pcm: Buffer | undefined;
    try {
      pcm = this.#codec.decode(rtp.payload);
    } catch {
      pcm = undefined;
    }
    const pcmOffset = pcm ? this.sink.appendPcm(turn, pcm, t) : 0;
    if (pcmOffset === undefined) return false;
    let log = this.#logs.get(turn);
    if (!log) this.#logs.set(turn, (log = new RtpLogWriter()));
    const h = rtp.header;
    log.add({
      t,
      seq: h.sequenceNumber,
      timestamp: h.timestamp,
      size: rtp.payload.length,
      marker: h.marker,
      payloadType: h.payloadType,
      pcmOffset,
      pcmBytes: pcm?.length ?? 0,
      undecodable: !pcm,
    });
    return true;
  }

  /** The per-turn logs (`rtp-<n>.bin` contents). */
  logs(): Map<number, Buffer> {
    return new Map([...this.#logs].map(([turn, w]) => [turn, w.bytes()]));
  }

  dispose(): void {
    if (this.#disposed) return;
    this.#disposed = true;
    this.#codec.dispose();
  }
}
