/**
 * Delivery on the wall clock: stalls, the underruns a listener hears because of them, and slow first audio.
 * Time the probe's own event loop was blocked (`probe-stall`) is taken out of every gap and underrun first: what it
 * explains is the canary's doing, reported as `probe_stall` (detectors/probeStall.ts), not the service's.
 */
import { BYTES_PER_MS } from '../../audio/wav.js';
import { audioGaps, eventGaps, type WallGap } from '../delivery.js';
import type { Finding } from '../findings.js';
import { ms1 } from '../fields.js';
import { dur, sec } from '../format.js';
import { playResponse, type ModelledUnderrun } from '../playback.js';
import { blockedWithin, keepaliveClause, probeStalls, type BlockedInterval } from '../probeHealth.js';
import type { ResponseView } from '../turnView.js';
import type { TurnDetector } from './types.js';

/** Audio received (ms) from `r` up to trace time `t`. */
function audioBefore(r: ResponseView, t: number): number {
  let bytes = 0;
  for (const d of r.deltas) if (d.t <= t) bytes += d.audio.bytes;
  return bytes / BYTES_PER_MS;
}

function overlaps(a: WallGap, b: WallGap): boolean {
  return a.fromMs < b.toMs && b.fromMs < a.toMs;
}

/** A wall-clock gap less the time the probe was blocked within it. */
export function serviceGapMs(g: WallGap, stalls: readonly BlockedInterval[]): number {
  return g.durationMs - blockedWithin(stalls, g.fromMs, g.toMs);
}

/** An underrun less the time the probe was blocked while the listener waited. */
export function serviceUnderrunMs(
  u: ModelledUnderrun | { traceMs: number; durationMs: number },
  stalls: readonly BlockedInterval[],
): number {
  return u.durationMs - blockedWithin(stalls, u.traceMs, u.traceMs + u.durationMs);
}

/**
 * `delivery_stall`: while a response is open, a gap between audio deltas of at least `stallMinMs`, or a stretch of
 * `stallMaxMs` with no server event at all (counted from the first audio delta, so slow first audio is not also a
 * stall). Pages follow the listener: major when the listener's buffer ran dry (for at least `underrunReportMs`),
 * minor — reported, never failing the turn — when the audio already buffered covered it, however long it lasted.
 */
export const deliveryStall: TurnDetector = {
  name: 'delivery_stall',
  detect({ trace, view, config }): Finding[] {
    const out: Finding[] = [];
    const blocked = probeStalls(trace);
    for (const r of view.responses) {
      const { underruns, heardUntil } = playResponse(r, config.jitterBufferMs);
      const stalls: WallGap[] = [];
      for (const g of audioGaps(r)) {
        if (g.durationMs < config.stallMinMs) continue;
        stalls.push(g);
        const gapMs = serviceGapMs(g, blocked);
        if (gapMs < config.stallMinMs) continue; // the canary's own stall: see probe_stall
        const u = underruns.find((x) => x.delta === g.nextDelta);
        const starvedMs = u === undefined ? 0 : serviceUnderrunMs(u, blocked);
        const starved = starvedMs >= config.underrunReportMs;
        const at = r.deltas[g.nextDelta]!.audio.offset / BYTES_PER_MS;
        const effect = starved
          ? `the listener's buffer ran dry for ${dur(starvedMs)}`
          : 'the buffered audio covered it';
        const own = gapMs < g.durationMs ? ` (${dur(g.durationMs - gapMs)} of it the canary itself was blocked)` : '';
        out.push({
          code: 'delivery_stall',
          severity: starved ? 'major' : 'minor',
          turn: view.turn,
          atMs: ms1(at),
          durationMs: ms1(gapMs),
          traceMs: ms1(g.fromMs),
          message: `No audio for ${dur(gapMs)}${own} after ${sec(at)} of the answer had arrived; ${effect}${keepaliveClause(trace.entries, g.fromMs, g.toMs)}.`,
        });
      }
      const from = r.deltas[0]?.t ?? r.openStart;
      for (const g of eventGaps(r, view.entries, from)) {
        if (
          g.durationMs < config.stallMaxMs ||
          stalls.some((s) => overlaps(s, g)) ||
          serviceGapMs(g, blocked) < config.stallMaxMs
        )
          continue;
        const received = audioBefore(r, g.fromMs);
        const until = r.done && r.done.t <= g.toMs ? 'until response.done' : 'while the response stayed open';
        // The listener plays on while it has audio: the stall is heard only once the buffered audio ran out.
        const last = r.deltas.findLastIndex((d) => d.t <= g.fromMs);
        const dry = { traceMs: heardUntil[last] ?? g.fromMs, durationMs: g.toMs - (heardUntil[last] ?? g.fromMs) };
        const covered = serviceUnderrunMs(dry, blocked) < config.underrunReportMs;
        out.push({
          code: 'delivery_stall',
          severity: covered ? 'minor' : 'major',
          turn: view.turn,
          atMs: ms1(received),
          durationMs: ms1(g.durationMs),
          traceMs: ms1(g.fromMs),
          message:
            `No server event at all for ${dur(g.durationMs)} ${until}, after ${sec(received)} of ` +
            `audio${covered ? '; the buffered audio covered it' : ''}${keepaliveClause(trace.entries, g.fromMs, g.toMs)}.`,
        });
      }
    }
    return out;
  },
};

/**
 * `playback_underrun`: one finding per turn in which the modelled listener ran out of audio — when the longest
 * dropout reaches `underrunReportMs` or all of them together reach `underrunMajorMs` (stutter from slow delivery).
 * Major when the longest or the total reaches `underrunMajorMs`, else minor. Every underrun is in the metrics.
 */
export const playbackUnderrun: TurnDetector = {
  name: 'playback_underrun',
  detect({ trace, view, metrics, config }): Finding[] {
    const blocked = probeStalls(trace);
    // Judged on the service's share of each underrun: the time the canary itself was blocked is not the service's.
    const underruns = metrics.playback.underruns
      .map((u) => ({ ...u, durationMs: ms1(serviceUnderrunMs(u, blocked)) }))
      .filter((u) => u.durationMs >= 1);
    const total = ms1(underruns.reduce((s, u) => s + u.durationMs, 0));
    const longest = underruns.reduce<(typeof underruns)[number] | undefined>(
      (m, u) => (!m || u.durationMs > m.durationMs ? u : m),
      undefined,
    );
    if (!longest || (longest.durationMs < config.underrunReportMs && total < config.underrunMajorMs)) return [];
    const major = longest.durationMs >= config.underrunMajorMs || total >= config.underrunMajorMs;
    const listener = `A listener with a ${dur(config.jitterBufferMs)} jitter buffer would hear`;
    const message =
      underruns.length === 1
        ? `${listener} a ${dur(longest.durationMs)} dropout at ${sec(longest.atMs)} into the answer, waiting for audio.`
        : `${listener} ${underruns.length} dropouts waiting for audio, ${dur(total)} in all; the ` +
          `longest ${dur(longest.durationMs)} at ${sec(longest.atMs)} into the answer.`;
    return [
      {
        code: 'playback_underrun',
        severity: major ? 'major' : 'minor',
        turn: view.turn,
        atMs: longest.atMs,
        durationMs: total,
        traceMs: longest.traceMs,
        message,
      },
    ];
  },
};

/**
 * `slow_first_audio`: time to first audio of at least `slowFirstAudioMs`. A reasoning model that speaks no preamble
 * thinks before its first audio, so when that audio is the final answer the model is allowed `reasoningMaxMs` more.
 */
export const slowFirstAudio: TurnDetector = {
  name: 'slow_first_audio',
  detect({ view, metrics, config }): Finding[] {
    const t = metrics.timing;
    const thinking =
      metrics.phases.reasoning &&
      metrics.phases.items.find((i) => i.firstDeltaTraceMs !== null)?.phase !== 'commentary';
    const threshold = config.slowFirstAudioMs + (thinking ? config.reasoningMaxMs : 0);
    const allowance = thinking
      ? `, plus ${sec(config.reasoningMaxMs)} for a reasoning model that answered without a spoken preamble`
      : '';
    if (t.firstAudioMs === null || t.firstAudioMs < threshold) return [];
    const from =
      t.anchor === 'response.create'
        ? 'response.create'
        : t.anchor === 'speech_stopped'
          ? 'the end of speech (speech_stopped)'
          : 'the last audio sent';
    return [
      {
        code: 'slow_first_audio',
        severity: 'major',
        turn: view.turn,
        durationMs: t.firstAudioMs,
        traceMs: ms1(view.deltas[0]!.t),
        message: `First audio arrived ${sec(t.firstAudioMs)} after ${from} (threshold ${sec(config.slowFirstAudioMs)}${allowance}).`,
      },
    ];
  },
};
