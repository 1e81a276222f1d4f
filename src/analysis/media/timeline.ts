/**
 * The two views of a WebRTC turn's audio, from its RTP log:
 * - the **media timeline**: each packet placed by its RTP timestamp (what the stream carries; a DTX hole or a
 *   loss is a hole here, a sender stall is invisible);
 * - **as heard**: each packet placed by its arrival time through a playout model (a listener starts a talkspurt
 *   `jitterBufferMs` after its first packet, plays in real time, plays holes in the timeline as silence, and waits
 *   whenever the next packet has not arrived yet: an underrun).
 * Pure: records in, numbers out.
 */
import { BYTES_PER_MS } from '../../audio/wav.js';
import { FRAME_MS, TICKS_PER_MS } from '../../media/frames.js';
import type { RtpRecord } from '../../trace/rtpLog.js';

/** One packet on both timelines. */
export interface MediaPacket {
  /** Arrival, ms on the trace clock. */
  t: number;
  /** Unwrapped sequence number, relative to the talkspurt's first packet. */
  seq: number;
  /** Media time: ms of the talkspurt's stream at which this packet's audio starts (by RTP timestamp). */
  mediaMs: number;
  /** Sequence numbers skipped just before this packet (loss). */
  lostBefore: number;
  /** Stream time skipped just before this packet beyond the lost packets' share (DTX), ms. */
  dtxBeforeMs: number;
  /** Arrival gap beyond the media time elapsed since the previous packet, ms (negative: it caught up). */
  excessMs: number;
  /** When the listener starts playing it, trace clock. */
  playAt: number;
  /** Where it starts on the as-heard timeline (ms since the talkspurt's playout began). */
  heardMs: number;
  /** The listener waited this long for it (underrun), ms. */
  underrunMs: number;
  pcmOffset: number;
  pcmBytes: number;
}

/** One talkspurt: a run of packets from a marker packet (one response's playout). */
export interface Talkspurt {
  packets: MediaPacket[];
  /** Trace time the listener starts playing (first arrival + jitter buffer). */
  playStart: number;
  /** Length of the media timeline, ms. */
  mediaMs: number;
  /** Length of what the listener heard, underruns included, ms. */
  heardMs: number;
}

/** An interval in which the probe's own event loop was blocked (a `probe-stall` entry), trace clock. */
export interface Blocked {
  from: number;
  to: number;
}

/**
 * Splits the log into talkspurts (at marker bits) and models both timelines. Arrival delay that falls inside
 * `blocked` is the probe's own, not the path's: the listener model does not hear it.
 */
export function buildTalkspurts(
  records: readonly RtpRecord[],
  jitterBufferMs: number,
  blocked: readonly Blocked[] = [],
): Talkspurt[] {
  const spurts: RtpRecord[][] = [];
  for (const r of records) {
    if (r.marker || spurts.length === 0) spurts.push([]);
    spurts[spurts.length - 1]!.push(r);
  }
  return spurts.map((s) => model(s, jitterBufferMs, blocked));
}

/** Unwraps 16-bit sequence numbers and 32-bit timestamps (nearest to the previous), then puts packets in sequence order. */
function unwrap(records: readonly RtpRecord[]): { r: RtpRecord; seq: number; ticks: number }[] {
  const out: { r: RtpRecord; seq: number; ticks: number }[] = [];
  let seq = 0;
  let ticks = 0;
  let prev = records[0]!;
  for (const r of records) {
    const dSeq = ((r.seq - prev.seq + 0x8000) & 0xffff) - 0x8000;
    const dTicks = ((r.timestamp - prev.timestamp + 0x80000000) >>> 0) - 0x80000000;
    seq += dSeq;
    ticks += dTicks;
    out.push({ r, seq, ticks });
    prev = r;
  }
  const seen = new Set<number>();
  return out.sort((a, b) => a.seq - b.seq).filter((x) => (seen.has(x.seq) ? false : (seen.add(x.seq), true)));
}

function model(records: RtpRecord[], jitterBufferMs: number, blocked: readonly Blocked[]): Talkspurt {
  const packets: MediaPacket[] = [];
  const ordered = unwrap(records);
  const seq0 = ordered[0]!.seq;
  const ticks0 = ordered[0]!.ticks;
  const playStart = Math.min(...records.map((r) => r.t)) + jitterBufferMs;
  let prev: MediaPacket | undefined;
  for (const { r, seq: rawSeq, ticks } of ordered) {
    const seq = rawSeq - seq0;
    const mediaMs = (ticks - ticks0) / TICKS_PER_MS;
    const dSeq = prev ? seq - prev.seq : 0;
    const lostBefore = prev ? dSeq - 1 : 0;
    const dtxBeforeMs = prev ? Math.max(0, mediaMs - prev.mediaMs - dSeq * FRAME_MS) : 0;
    const due = prev ? prev.playAt + (mediaMs - prev.mediaMs) : playStart;
    const arrived = prev ? r.t - Math.min(Math.max(0, r.t - due), covered(blocked, prev.t, r.t)) : r.t;
    const playAt = Math.max(due, arrived);
    const underrunMs = prev ? Math.max(0, arrived - due) : 0;
    const excessMs = prev ? r.t - prev.t - (mediaMs - prev.mediaMs) : 0;
    const p: MediaPacket = {
      t: r.t,
      seq,
      mediaMs,
      lostBefore,
      dtxBeforeMs,
      excessMs,
      playAt,
      heardMs: playAt - playStart,
      underrunMs,
      pcmOffset: r.pcmOffset,
      pcmBytes: r.pcmBytes,
    };
    packets.push(p);
    prev = p;
  }
  const last = packets[packets.length - 1]!;
  const lastMs = last.pcmBytes / BYTES_PER_MS || FRAME_MS;
  return { packets, playStart, mediaMs: last.mediaMs + lastMs, heardMs: last.heardMs + lastMs };
}

/** How much of [from, to] the probe's loop was blocked. */
export function covered(blocked: readonly Blocked[], from: number, to: number): number {
  let sum = 0;
  for (const b of blocked) sum += Math.max(0, Math.min(to, b.to) - Math.max(from, b.from));
  return sum;
}

/** RFC 3550 interarrival jitter of a talkspurt, ms. */
export function rfc3550Jitter(s: Talkspurt): number {
  let j = 0;
  for (let i = 1; i < s.packets.length; i++) {
    const a = s.packets[i - 1]!;
    const b = s.packets[i]!;
    const d = Math.abs(b.t - a.t - (b.mediaMs - a.mediaMs));
    j += (d - j) / 16;
  }
  return j;
}

/** The media-timeline PCM of a turn: each packet's decoded audio at its RTP position, holes as silence. */
export function mediaTimelinePcm(arrivalPcm: Buffer, spurts: readonly Talkspurt[]): Buffer {
  const parts: Buffer[] = [];
  for (const s of spurts) {
    const out = Buffer.alloc(Math.round(s.mediaMs * BYTES_PER_MS));
    for (const p of s.packets)
      arrivalPcm.copy(out, Math.round(p.mediaMs * BYTES_PER_MS), p.pcmOffset, p.pcmOffset + p.pcmBytes);
    parts.push(out);
  }
  return Buffer.concat(parts);
}
