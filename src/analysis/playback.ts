/**
 * The playback model: a listener that starts playing a response's audio at its first delta plus a jitter buffer,
 * at real time, and stops whenever it needs audio that has not arrived yet. Each stop is an underrun — the
 * silence a user hears because of delivery, not because of the audio itself. Playback resumes the moment the
 * missing delta arrives (no re-buffering).
 */
import { BYTES_PER_MS } from '../audio/wav.js';
import { ms1 } from './fields.js';
import type { Underrun } from './metrics.js';
import type { AudioDelta } from './turnView.js';

/** A delta that arrived late for the listener. */
export interface ModelledUnderrun extends Underrun {
  /** Index of the delta the listener was waiting for. */
  delta: number;
}

/** Underruns of one response's deltas (in arrival order, which is playback order). */
export function modelPlayback(deltas: readonly AudioDelta[], jitterBufferMs: number): ModelledUnderrun[] {
  const underruns: ModelledUnderrun[] = [];
  if (!deltas.length) return underruns;
  // `playedUntil`: wall time at which the listener reaches the end of the audio received so far.
  let playedUntil = deltas[0]!.t + jitterBufferMs + deltas[0]!.audio.bytes / BYTES_PER_MS;
  for (let i = 1; i < deltas.length; i++) {
    const d = deltas[i]!;
    const durationMs = d.audio.bytes / BYTES_PER_MS;
    if (d.t > playedUntil + 1e-6) {
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
  }
  return underruns;
}
