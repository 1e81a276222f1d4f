/**
 * G.711 at 8 kHz to and from the product's PCM16LE 24 kHz mono: the `audio/pcmu` (μ-law) and `audio/pcma` (A-law)
 * output formats of the Realtime API. Encoding (the simulator): each 8 kHz sample is the mean of three 24 kHz samples
 * (a crude low-pass before decimation, adequate for speech-like test audio), then companded as ITU-T G.711
 * specifies: one byte per sample, 8 bytes per millisecond (PCM16 at 24 kHz is 48). Decoding (the probe, for a
 * session that asked for `audio/pcmu`): expanded as G.711 specifies, then brought to 24 kHz by linear interpolation.
 */

export type G711Law = 'pcmu' | 'pcma';

/** Bytes per millisecond of G.711 at 8 kHz. */
export const G711_BYTES_PER_MS = 8;

const MU_BIAS = 0x84;
const MU_CLIP = 32635;

/** One linear 16-bit sample to μ-law. */
export function muLaw(sample: number): number {
  const sign = sample < 0 ? 0x80 : 0;
  let s = Math.min(MU_CLIP, Math.abs(sample)) + MU_BIAS;
  let exponent = 7;
  for (let mask = 0x4000; (s & mask) === 0 && exponent > 0; mask >>= 1) exponent--;
  const mantissa = (s >> (exponent + 3)) & 0x0f;
  s = ~(sign | (exponent << 4) | mantissa);
  return s & 0xff;
}

/** One linear 16-bit sample to A-law. */
export function aLaw(sample: number): number {
  const sign = sample >= 0 ? 0x80 : 0;
  const s = Math.min(32767, Math.abs(sample)) >> 3;
  let out: number;
  if (s < 32) out = s >> 1;
  else {
    let exponent = 1;
    while (s >> (exponent + 5) > 0 && exponent < 7) exponent++;
    out = (exponent << 4) | ((s >> exponent) & 0x0f);
  }
  return (out | sign) ^ 0x55;
}

/** PCM16LE 24 kHz mono to G.711 at 8 kHz (a trailing partial group of three samples is averaged as it is). */
export function pcm16ToG711(pcm: Buffer, law: G711Law): Buffer {
  const samples = Math.floor(pcm.length / 2);
  const out = Buffer.alloc(Math.ceil(samples / 3));
  const encode = law === 'pcmu' ? muLaw : aLaw;
  for (let o = 0; o < out.length; o++) {
    let sum = 0;
    let n = 0;
    for (let k = o * 3; k < Math.min(samples, o * 3 + 3); k++, n++) sum += pcm.readInt16LE(k * 2);
    out[o] = encode(Math.round(sum / n));
  }
  return out;
}

/** One μ-law byte to a linear 16-bit sample (ITU-T G.711). */
export function muLawToLinear(byte: number): number {
  const u = ~byte & 0xff;
  const magnitude = ((((u & 0x0f) << 3) + MU_BIAS) << ((u >> 4) & 7)) - MU_BIAS;
  return u & 0x80 ? -magnitude : magnitude;
}

/**
 * μ-law at 8 kHz to PCM16LE 24 kHz mono: three output samples per byte, interpolated linearly towards the next
 * sample (the last one of the chunk is held), so a chunk of N bytes is N/8 ms and 6·N bytes of PCM16.
 */
export function muLawToPcm16(g711: Buffer): Buffer {
  const out = Buffer.alloc(g711.length * 6);
  for (let i = 0; i < g711.length; i++) {
    const a = muLawToLinear(g711[i]!);
    const b = i + 1 < g711.length ? muLawToLinear(g711[i + 1]!) : a;
    for (let k = 0; k < 3; k++) out.writeInt16LE(Math.round(a + ((b - a) * k) / 3), (i * 3 + k) * 2);
  }
  return out;
}
