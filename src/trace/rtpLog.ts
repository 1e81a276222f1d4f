/**
 * The per-packet trace of received RTP, kept compactly: one fixed 24-byte little-endian record per packet
 * (a JSON line would be ~110 bytes, 50 of them a second) in `rtp-<n>.bin`, with an 8-byte header.
 *
 * Record: t f64 (ms since session start) · RTP timestamp u32 · PCM offset u32 (bytes into `turn-<n>.wav`) ·
 * sequence number u16 · payload size u16 · decoded PCM bytes u16 · flags u8 (1 marker, 2 undecodable) · payload type u8.
 */
import { InputError } from '../errors.js';

export const RTP_LOG_MAGIC = 'RTPL';
export const RTP_LOG_VERSION = 1;
export const RTP_RECORD_BYTES = 24;
const HEADER_BYTES = 8;

export interface RtpRecord {
  /** Receive time, ms since the session started. */
  t: number;
  seq: number;
  /** RTP timestamp (48 kHz clock). */
  timestamp: number;
  /** Payload bytes. */
  size: number;
  marker: boolean;
  payloadType: number;
  /** Where the packet's decoded audio sits in the turn's output audio. */
  pcmOffset: number;
  pcmBytes: number;
  /** The payload could not be decoded (its audio is missing from the WAV). */
  undecodable: boolean;
}

/** Appends records into a growing buffer (bounded by the caller's audio cap). */
export class RtpLogWriter {
  #buf = Buffer.alloc(HEADER_BYTES + 256 * RTP_RECORD_BYTES);
  #n = 0;

  constructor() {
    this.#buf.write(RTP_LOG_MAGIC, 0, 'latin1');
    this.#buf.writeUInt16LE(RTP_LOG_VERSION, 4);
    this.#buf.writeUInt16LE(RTP_RECORD_BYTES, 6);
  }

  get count(): number {
    return this.#n;
  }

  add(r: RtpRecord): void {
    const at = HEADER_BYTES + this.#n * RTP_RECORD_BYTES;
    if (at + RTP_RECORD_BYTES > this.#buf.length) {
      const bigger = Buffer.alloc(this.#buf.length * 2);
      this.#buf.copy(bigger);
      this.#buf = bigger;
    }
    const b = this.#buf;
    b.writeDoubleLE(r.t, at);
    b.writeUInt32LE(r.timestamp >>> 0, at + 8);
    b.writeUInt32LE(r.pcmOffset >>> 0, at + 12);
    b.writeUInt16LE(r.seq & 0xffff, at + 16);
    b.writeUInt16LE(Math.min(r.size, 0xffff), at + 18);
    b.writeUInt16LE(Math.min(r.pcmBytes, 0xffff), at + 20);
    b.writeUInt8((r.marker ? 1 : 0) | (r.undecodable ? 2 : 0), at + 22);
    b.writeUInt8(r.payloadType & 0x7f, at + 23);
    this.#n++;
  }

  /** The log file's bytes. */
  bytes(): Buffer {
    return Buffer.from(this.#buf.subarray(0, HEADER_BYTES + this.#n * RTP_RECORD_BYTES));
  }
}

/** Reads an RTP log. Throws InputError naming `source` when the bytes are not one. */
export function readRtpLog(buf: Buffer, source = 'rtp log'): RtpRecord[] {
  if (buf.length < HEADER_BYTES || buf.toString('latin1', 0, 4) !== RTP_LOG_MAGIC)
    throw new InputError(source, `is not an RTP log (no "${RTP_LOG_MAGIC}" header)`);
  const version = buf.readUInt16LE(4);
  const size = buf.readUInt16LE(6);
  if (version !== RTP_LOG_VERSION || size !== RTP_RECORD_BYTES)
    throw new InputError(
      source,
      `has RTP log version ${version} with ${size}-byte records; this build reads version ${RTP_LOG_VERSION}`,
    );
  if ((buf.length - HEADER_BYTES) % RTP_RECORD_BYTES !== 0)
    throw new InputError(source, `is truncated (${buf.length} bytes is not a whole number of records)`);
  const out: RtpRecord[] = [];
  for (let at = HEADER_BYTES; at < buf.length; at += RTP_RECORD_BYTES) {
    const flags = buf.readUInt8(at + 22);
    out.push({
      t: buf.readDoubleLE(at),
      timestamp: buf.readUInt32LE(at + 8),
      pcmOffset: buf.readUInt32LE(at + 12),
      seq: buf.readUInt16LE(at + 16),
      size: buf.readUInt16LE(at + 18),
      pcmBytes: buf.readUInt16LE(at + 20),
      marker: (flags & 1) !== 0,
      undecodable: (flags & 2) !== 0,
      payloadType: buf.readUInt8(at + 23),
    });
  }
  return out;
}
