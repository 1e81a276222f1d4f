/**
 * Repeated audio: deltas that are an exact copy of an earlier delta of the same item — audio sent twice (the
 * listener hears the answer stutter). Real speech — natural pauses and their noise floor included — never repeats a
 * chunk byte for byte; a chunk that occurs three times or more is a stationary signal (a steady tone), not a resend,
 * and digital silence (all zeros) repeats naturally: neither is counted.
 */
import { BYTES_PER_MS } from '../audio/wav.js';
import { itemIdOf, responseIdOf } from '../trace/ids.js';
import { ms1 } from './fields.js';
import type { RepeatMetrics } from './metrics.js';
import type { AudioDelta, TurnView } from './turnView.js';

/** The second copies of the turn's deltas (digital silence aside) that occur exactly twice in their item. */
export function repeatedAudio(view: TurnView): RepeatMetrics {
  const copies = new Map<string, { pcm: Buffer; deltas: AudioDelta[] }[]>();
  for (const d of view.deltas) {
    const pcm = view.audio.subarray(d.audio.offset, d.audio.offset + d.audio.bytes);
    if (pcm.length < 2) continue;
    // A cheap fingerprint picks the candidates; only those are compared byte for byte.
    const key = `${responseIdOf(d) ?? ''}/${itemIdOf(d) ?? ''}/${pcm.length}/${fingerprint(pcm)}`;
    const groups = copies.get(key) ?? [];
    const same = groups.find((g) => g.pcm.equals(pcm));
    if (same) same.deltas.push(d);
    else copies.set(key, [...groups, { pcm, deltas: [d] }]);
  }
  const resent = [...copies.values()]
    .flat()
    .flatMap((g) => (g.deltas.length === 2 && !isDigitalSilence(g.pcm) ? [g.deltas[1]!] : []));
  const bytes = resent.reduce((s, d) => s + d.audio.bytes, 0);
  const first = Math.min(...resent.map((d) => d.audio.offset));
  return {
    deltas: resent.length,
    ms: ms1(bytes / BYTES_PER_MS),
    firstAtMs: resent.length ? ms1(first / BYTES_PER_MS) : null,
  };
}

/** Eight bytes from each of four places in the chunk, as text. */
function fingerprint(pcm: Buffer): string {
  const at = (i: number): string => pcm.toString('hex', Math.max(0, i), i + 8);
  const q = pcm.length >> 2;
  return `${at(0)}${at(q)}${at(2 * q)}${at(pcm.length - 8)}`;
}

function isDigitalSilence(pcm: Buffer): boolean {
  return pcm.every((byte) => byte === 0);
}
