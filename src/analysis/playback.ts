/**
 * The playback model: a listener that starts playing a response's audio at its first delta plus a jitter buffer,
 * at real time, and stops whenever it needs audio that has not arrived yet. Each stop is an underrun — the
 * silence a user hears because of delivery, not because of the audio itself. Playback resumes the moment the
 * missing delta arrives (no re-buffering).
 *
 * On a reasoning model the wait after a spoken preamble (`commentary`) for the next item is the model thinking, not
 * delivery: the listener starts that item as it started the first — at its first delta plus the jitter buffer — and
 * the silence before it is a reasoning pause (phases.ts), never an underrun.
 */
import { BYTES_PER_MS } from '../audio/wav.js';
import { ms1 } from './fields.js';
import type { Underrun } from './metrics.js';
import { reasoningStarts } from './phases.js';
import type { AudioDelta, ResponseView } from './turnView.js';

/** A delta that arrived late for the listener. */
export interface ModelledUnderrun extends Underrun {
  /** Index of the delta the listener was waiting for. */
  delta: number;
}

/** What the modelled listener did with one response's audio. */
export interface Playback {
  underruns: ModelledUnderrun[];
  /** Per delta (same index): the trace time the listener finished hearing it. */
  heardUntil: number[];
}

/**
 * The playback of one response's deltas (in arrival order, which is playback order). A delta whose index is in
 * `pauses` starts a new item after reasoning: played from its arrival plus the jitter buffer (or right after the
 * audio before it, if that is later), never an underrun.
 */
export function modelPlayback(
  deltas: readonly AudioDelta[],
  jitterBufferMs: number,
  pauses: ReadonlySet<number> = new Set(),
): Playback {
  const underruns: ModelledUnderrun[] = [];
  const heardUntil: number[] = [];
  if (!deltas.length) return { underruns, heardUntil };
  // `playedUntil`: wall time at which the listener reaches the end of the audio received so far.
  let playedUntil = deltas[0]!.t + jitterBufferMs + deltas[0]!.audio.bytes / BYTES_PER_MS;
  heardUntil.push(playedUntil);
  for (let i = 1; i < deltas.length; i++) {
    const d = deltas[i]!;
    const durationMs = d.audio.bytes / BYTES_PER_MS;
    if (pauses.has(i)) {
      playedUntil = Math.max(playedUntil, d.t + jitterBufferMs) + durationMs;
    } else if (d.t > playedUntil + 1e-6) {
      underruns.push({
        atMs: ms1(d.audio.offset / BYTES_PER_MS),
        traceMs: ms1(playedUntil),
        durationMs: ms1(d.t - playedUntil),
        delta: i,
      });
      playedUntil = d.t + durationMs;
    } else {
      playedUntil += durationMs;
    }
    heardUntil.push(playedUntil);
  }
  return { underruns, heardUntil };
}

/** The playback of response `r`, its reasoning pauses excepted. */
export function playResponse(r: ResponseView, jitterBufferMs: number): Playback {
  return modelPlayback(r.deltas, jitterBufferMs, reasoningStarts(r));
}
