/**
 * The WebRTC trace re-expressed for the existing detectors: each RTP packet becomes a synthetic audio delta
 * over the turn's media-timeline PCM (holes filled with silence, and each delta's bytes reaching up to the next
 * packet's RTP position, so the playback model plays a DTX or loss hole as silence in real time).
 * - as heard: the deltas carry the packets' arrival times;
 * - media timeline: the deltas carry the times the stream says (first arrival + RTP position).
 * The response and item of each talkspurt come from `output_audio_buffer.started` (else `response.created`).
 */
import { BYTES_PER_MS } from '../../audio/wav.js';
import { EV } from '../../realtime/events.js';
import { itemIdOf, responseIdOf } from '../../trace/ids.js';
import type { RecvEntry, Trace, TraceEntry } from '../../trace/trace.js';
import { readRtpLog } from '../../trace/rtpLog.js';
import { buildTalkspurts, mediaTimelinePcm, type Blocked, type Talkspurt } from './timeline.js';

/** The talkspurts of every turn that has an RTP log. */
export function turnTalkspurts(trace: Trace, jitterBufferMs: number): Map<number, Talkspurt[]> {
  const out = new Map<number, Talkspurt[]>();
  const blocked = probeBlocked(trace);
  for (const [turn, log] of trace.rtp ?? []) {
    const records = readRtpLog(log, `rtp log of turn ${turn}`);
    if (records.length) out.set(turn, buildTalkspurts(records, jitterBufferMs, blocked));
  }
  return out;
}

/** The intervals the probe's own event loop was blocked (`probe-stall` entries). */
export function probeBlocked(trace: Trace): Blocked[] {
  return trace.entries.flatMap((e) => (e.kind === 'probe-stall' ? [{ from: e.t - e.durationMs, to: e.t }] : []));
}

export function asHeardTrace(trace: Trace, spurts: Map<number, Talkspurt[]>): Trace {
  return synthesize(trace, spurts, (p) => p.t);
}

export function mediaTimelineTrace(trace: Trace, spurts: Map<number, Talkspurt[]>): Trace {
  return synthesize(trace, spurts, (p, s) => s.packets[0]!.t + p.mediaMs);
}

function synthesize(
  trace: Trace,
  spurts: Map<number, Talkspurt[]>,
  timeOf: (p: Talkspurt['packets'][number], s: Talkspurt) => number,
): Trace {
  const synthetic: TraceEntry[] = [];
  const outputAudio = new Map(trace.outputAudio);
  for (const [turn, list] of spurts) {
    const owners = speakers(trace, turn);
    let base = 0;
    list.forEach((s, i) => {
      const owner = owners[i] ?? owners[owners.length - 1];
      s.packets.forEach((p, k) => {
        const next = s.packets[k + 1];
        const bytes = next ? Math.round((next.mediaMs - p.mediaMs) * BYTES_PER_MS) : p.pcmBytes;
        const entry: RecvEntry = {
          kind: 'recv',
          t: timeOf(p, s),
          turn,
          type: EV.audioDelta,
          wireType: 'rtp',
          size: p.pcmBytes,
          event: { type: 'rtp' },
          ...(owner?.responseId ? { responseId: owner.responseId } : {}),
          audio: {
            offset: base + Math.round(p.mediaMs * BYTES_PER_MS),
            bytes,
            responseId: owner?.responseId,
            itemId: owner?.itemId,
          },
        };
        synthetic.push(entry);
      });
      base += Math.round(s.mediaMs * BYTES_PER_MS);
    });
    outputAudio.set(turn, mediaTimelinePcm(trace.outputAudio.get(turn) ?? Buffer.alloc(0), list));
  }
  const entries = mergeByTime(
    trace.entries,
    synthetic.sort((a, b) => a.t - b.t),
  );
  return { meta: trace.meta, entries, outputAudio, promptAudio: trace.promptAudio };
}

/** Which response (and its first output item) each talkspurt of a turn belongs to, in order. */
function speakers(trace: Trace, turn: number): { responseId: string | undefined; itemId: string | undefined }[] {
  const recv = trace.entries.filter((e): e is RecvEntry => e.kind === 'recv' && e.turn === turn);
  const started = recv.filter((e) => e.type === 'output_audio_buffer.started').map(responseIdOf);
  const ids = started.length ? started : recv.filter((e) => e.type === EV.responseCreated).map(responseIdOf);
  return ids.map((responseId) => {
    const added = recv.find((e) => e.type === EV.outputItemAdded && responseIdOf(e) === responseId);
    return { responseId, itemId: added && itemIdOf(added) };
  });
}

/** Merges two time-ordered entry lists (stable: at equal times the original entry comes first). */
function mergeByTime(a: readonly TraceEntry[], b: readonly TraceEntry[]): TraceEntry[] {
  const out: TraceEntry[] = [];
  let j = 0;
  for (const e of a) {
    while (j < b.length && b[j]!.t < e.t) out.push(b[j++]!);
    out.push(e);
  }
  while (j < b.length) out.push(b[j++]!);
  return out;
}
