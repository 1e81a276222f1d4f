/**
 * Repeated audio: deltas that are an exact copy of an earlier delta of the same item — audio sent twice (the
 * listener hears the answer stutter). Real speech — natural pauses and their noise floor included — never repeats a
 * chunk byte for byte; a chunk that occurs three times or more is a stationary signal (a steady tone), not a resend,
 * and digital silence (all zeros) repeats naturally: neither is counted.
 */
import { createHash } from 'node:crypto';
import { BYTES_PER_MS } from '../audio/wav.js';
import { itemIdOf, responseIdOf } from '../trace/ids.js';
import { ms1 } from './fields.js';
import type { RepeatMetrics } from './metrics.js';
import type { AudioDelta, TurnView } from './turnView.js';

/** The second copies of the turn's deltas (digital silence aside) that occur exactly twice in their item. */
export function repeatedAudio(view: TurnView): RepeatMetrics {
  const copies = new Map<string, AudioDelta[]>();
  for (const d of view.deltas) {
    const pcm = view.audio.subarray(d.audio.offset, d.audio.offset + d.audio.bytes);
    if (pcm.length < 2 || pcm.every((byte) => byte === 0)) continue;
    const key = `${responseIdOf(d) ?? ''}/${itemIdOf(d) ?? ''}/${createHash('sha256').update(pcm).digest('base64')}`;
    const list = copies.get(key);
    if (list) list.push(d);
    else copies.set(key, [d]);
  }
  const resent = [...copies.values()].filter((list) => list.length === 2).map((list) => list[1]!);
  const bytes = resent.reduce((s, d) => s + d.audio.bytes, 0);
  const first = Math.min(...resent.map((d) => d.audio.offset));
  return {
    deltas: resent.length,
    ms: ms1(bytes / BYTES_PER_MS),
    firstAtMs: resent.length ? ms1(first / BYTES_PER_MS) : null,
  };
}
