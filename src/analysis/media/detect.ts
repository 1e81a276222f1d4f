/**
 * Findings of the media path of one WebRTC turn, told apart by cause from the RTP log:
 * - `media_loss`: the sequence number jumped (audio missing on both timelines);
 * - `media_dtx`: the timestamp jumped without a sequence gap (the stream carried silence);
 * - `media_stall`: arrival stopped and resumed with contiguous timestamps, and the delay stayed (sender paused);
 * - `media_jitter`: packets came later than the playout buffer covers, and the delay then recovered.
 * Positions (`atMs`) are on the as-heard timeline of the talkspurt (ms of playout, underruns included), where the
 * listener's silence starts. Pure.
 */
import { FRAME_MS } from '../../media/frames.js';
import type { DetectionConfig } from '../config.js';
import type { Finding } from '../findings.js';
import { ms1 } from '../fields.js';
import { dur, sec } from '../format.js';
import { covered, type Blocked, type MediaPacket, type Talkspurt } from './timeline.js';

/** A loss shorter than this many packets is counted, not reported. */
const MIN_LOST_PACKETS = 3;
/** A timestamp jump shorter than this is ordinary framing, not DTX. */
const MIN_DTX_MS = 40;
/** How far after an underrun a recovering delay makes it jitter rather than a stall (ms of media). */
const RECOVERY_WINDOW_MS = 1_500;
/** Lateness above the path's best delay that starts a jitter excursion. */
const EXCURSION_MS = 20;
/** Underruns of one jitter burst closer than this (heard ms) are one finding. */
const JITTER_CLUSTER_MS = 2_000;

/**
 * Media findings of one turn. Arrival gaps mostly covered by `blocked` (the probe itself was not running) are
 * not blamed on the path.
 */
export function detectMedia(
  turn: number,
  spurts: readonly Talkspurt[],
  config: DetectionConfig,
  blocked: readonly Blocked[] = [],
): Finding[] {
  const out: Finding[] = [];
  let heardBase = 0;
  for (const s of spurts) {
    out.push(...detectSpurt(turn, s, config, heardBase, blocked));
    heardBase += s.heardMs;
  }
  return out;
}

/** Where the listener's silence before packet `i` starts on the as-heard timeline: the end of the packet before. */
function silenceStart(ps: readonly MediaPacket[], i: number): number {
  const prev = ps[i - 1];
  return prev ? prev.heardMs + FRAME_MS : 0;
}

function detectSpurt(
  turn: number,
  s: Talkspurt,
  c: DetectionConfig,
  base: number,
  blocked: readonly Blocked[],
): Finding[] {
  const out: Finding[] = [];
  const ps = s.packets;
  let best = Infinity; // the path's best delay (arrival − media time) so far
  let jitter: { atMs: number; traceMs: number; underrunMs: number; maxLateMs: number; lastHeard: number } | undefined;
  const flushJitter = (): void => {
    if (!jitter) return;
    const j = jitter;
    jitter = undefined;
    if (j.underrunMs < c.underrunReportMs) return;
    out.push({
      code: 'media_jitter',
      severity: j.underrunMs >= c.underrunMajorMs ? 'major' : 'minor',
      turn,
      atMs: ms1(base + j.atMs),
      durationMs: ms1(j.underrunMs),
      traceMs: ms1(j.traceMs),
      message:
        `RTP packets came up to ${dur(j.maxLateMs)} late (more than the ${dur(c.jitterBufferMs)} playout ` +
        `buffer) from ${sec(base + j.atMs)} of the answer as heard, then caught up; the listener heard ${dur(j.underrunMs)} of dropouts. Nothing was lost.`,
    });
  };
  let excursionStart = 0;
  for (let i = 0; i < ps.length; i++) {
    const p = ps[i]!;
    const late = p.t - p.mediaMs;
    if (late - best <= EXCURSION_MS) excursionStart = i + 1;
    const at = silenceStart(ps, i);
    if (p.lostBefore >= MIN_LOST_PACKETS) {
      const lostMs = p.lostBefore * 20;
      out.push({
        code: 'media_loss',
        severity: lostMs >= c.underrunReportMs ? 'major' : 'minor',
        turn,
        atMs: ms1(base + at),
        durationMs: ms1(lostMs),
        traceMs: ms1(ps[i - 1]!.t),
        message:
          `${p.lostBefore} RTP packets (${dur(lostMs)} of audio) were lost at ${sec(base + at)} of the ` +
          `answer as heard: the sequence number jumped by ${p.lostBefore + 1}.`,
      });
    } else if (p.lostBefore === 0 && p.dtxBeforeMs >= MIN_DTX_MS) {
      out.push({
        code: 'media_dtx',
        severity: p.dtxBeforeMs >= c.minSilentGapMs ? 'major' : 'info',
        turn,
        atMs: ms1(base + at),
        durationMs: ms1(p.dtxBeforeMs),
        traceMs: ms1(ps[i - 1]!.t),
        message:
          `The stream carried ${dur(p.dtxBeforeMs)} of silence (not sent, DTX) at ${sec(base + at)} of the ` +
          `answer as heard: the RTP timestamp jumped with no packet missing.`,
      });
    }
    if (p.underrunMs > 0 && i > 0 && !probeWasBlocked(blocked, ps[i - 1]!.t, p.t, p.excessMs)) {
      const recovers = ps
        .slice(i + 1)
        .find((q) => q.mediaMs - p.mediaMs <= RECOVERY_WINDOW_MS && q.t - q.mediaMs - best < (late - best) / 2);
      if (recovers) {
        const start = ps[Math.min(excursionStart, i)]!;
        const startIdx = ps.indexOf(start);
        if (!jitter || p.heardMs - jitter.lastHeard > JITTER_CLUSTER_MS) {
          flushJitter();
          jitter = {
            atMs: silenceStart(ps, startIdx),
            traceMs: start.t,
            underrunMs: 0,
            maxLateMs: 0,
            lastHeard: p.heardMs,
          };
        }
        jitter.underrunMs += p.underrunMs;
        jitter.maxLateMs = Math.max(jitter.maxLateMs, late - best);
        jitter.lastHeard = p.heardMs;
      } else if (p.underrunMs >= c.underrunReportMs && p.lostBefore === 0) {
        const silenceAt = silenceStart(ps, i);
        out.push({
          code: 'media_stall',
          severity: p.underrunMs >= c.underrunMajorMs ? 'major' : 'minor',
          turn,
          atMs: ms1(base + silenceAt),
          durationMs: ms1(p.underrunMs),
          traceMs: ms1(ps[i - 1]!.t),
          message:
            `RTP stopped for ${dur(p.excessMs + 20)} after ${sec(base + silenceAt)} of the answer as heard, ` +
            `then resumed with contiguous timestamps (sender or network paused; the audio itself is complete): the ` +
            `listener heard ${dur(p.underrunMs)} of silence.`,
        });
        best = late; // the path's delay moved: measure later lateness from here
      }
    }
    best = Math.min(best, late);
  }
  flushJitter();
  return out;
}

/** Whether the probe's loop was blocked for at least half of the gap's excess within [from, to]. */
function probeWasBlocked(blocked: readonly Blocked[], from: number, to: number, excessMs: number): boolean {
  return excessMs > 0 && covered(blocked, from, to) >= excessMs / 2;
}
