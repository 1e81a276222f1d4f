/**
 * PCM16LE 24 kHz mono energy, computed once per 1-ms window (24 samples) in a single pass with no per-sample
 * allocation. Frames of any whole number of ms are sums of windows, and edges can be refined to 1 ms.
 */
import { SAMPLE_RATE } from '../audio/wav.js';

/** Samples per 1-ms window. */
export const SAMPLES_PER_MS = SAMPLE_RATE / 1000;

const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** Per-1-ms energy of the audio. */
export interface WindowEnergy {
  /** Sum of squared samples (full scale = 32768) per 1-ms window. */
  sums: Float64Array;
  /** Samples in the last window (24 unless the audio ends mid-window). */
  lastCount: number;
  /** Whole samples analysed (an odd trailing byte is ignored). */
  samples: number;
}

/** Energy per 1-ms window over the whole samples of `pcm`. */
export function windowEnergy(pcm: Uint8Array): WindowEnergy {
  const samples = pcm.length >> 1;
  const windows = Math.ceil(samples / SAMPLES_PER_MS);
  const sums = new Float64Array(windows);
  const view = int16View(pcm, samples);
  const dv = view ? undefined : new DataView(pcm.buffer, pcm.byteOffset, pcm.byteLength);
  for (let w = 0, i = 0; w < windows; w++) {
    const end = Math.min(i + SAMPLES_PER_MS, samples);
    let s = 0;
    if (view) {
      for (; i < end; i++) {
        const v = view[i]!;
        s += v * v;
      }
    } else {
      for (; i < end; i++) {
        const v = dv!.getInt16(i * 2, true);
        s += v * v;
      }
    }
    sums[w] = s;
  }
  const lastCount = samples - (windows - 1) * SAMPLES_PER_MS;
  return { sums, lastCount: windows ? lastCount : 0, samples };
}

/** An Int16 view on a little-endian platform: zero-copy when aligned, one copy when the bytes start at an odd offset. */
function int16View(pcm: Uint8Array, samples: number): Int16Array | undefined {
  if (!LITTLE_ENDIAN) return undefined;
  if (pcm.byteOffset % 2 === 0) return new Int16Array(pcm.buffer, pcm.byteOffset, samples);
  const copy = new Uint8Array(samples * 2);
  copy.set(pcm.subarray(0, samples * 2));
  return new Int16Array(copy.buffer, 0, samples);
}

/** Mean power (squared amplitude) that corresponds to an RMS level in dBFS (full scale 32768). */
export function powerOfDbfs(dbfs: number): number {
  const rms = 32768 * 10 ** (dbfs / 20);
  return rms * rms;
}

/** RMS level in dBFS of a mean power; −Infinity for digital silence. */
export function dbfsOfPower(meanPower: number): number {
  return meanPower > 0 ? 10 * Math.log10(meanPower / (32768 * 32768)) : -Infinity;
}
