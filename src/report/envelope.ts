/**
 * The waveform envelope of PCM16LE audio: the largest absolute sample per bucket. Pure and cheap (one pass over
 * the samples); the timeline draws it as one bar per bucket.
 */
import { BYTES_PER_MS } from '../audio/wav.js';

/** Peak |sample| (0 … 32768) of each `bucketMs` bucket of PCM16LE 24 kHz mono audio; a trailing odd byte is ignored. */
export function peakEnvelope(pcm: Uint8Array, bucketMs: number): Uint16Array {
  const bytesPerBucket = Math.max(2, Math.round(bucketMs * BYTES_PER_MS));
  const samples = Math.floor(pcm.length / 2);
  const out = new Uint16Array(Math.ceil(samples / (bytesPerBucket / 2)));
  const view = new DataView(pcm.buffer, pcm.byteOffset, samples * 2);
  for (let b = 0; b < out.length; b++) {
    const end = Math.min(samples * 2, (b + 1) * bytesPerBucket);
    let peak = 0;
    for (let i = b * bytesPerBucket; i < end; i += 2) {
      const v = view.getInt16(i, true);
      const a = v < 0 ? -v : v;
      if (a > peak) peak = a;
    }
    out[b] = peak;
  }
  return out;
}
