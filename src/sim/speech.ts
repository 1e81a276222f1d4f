/**
 * A speech-like voice for the simulator's answers: not a constant tone, but words and pauses.
 *
 * Each word is a voiced segment (fundamental 100–180 Hz with a few harmonics and a slight pitch fall,
 * amplitude modulated at the syllable rate, with an attack/decay envelope, RMS ≈ −20 dBFS) lasting
 * 60–90 ms per letter with a 220 ms floor. Words are separated by 80–150 ms gaps; punctuation adds
 * natural pauses (`,` 300–450 ms; `. ! ? ; :` 500–800 ms). Gaps hold very low noise (≈ −80 dBFS), so
 * a natural pause is never digital silence and never louder than −70 dBFS.
 *
 * Output is PCM16LE, 24 kHz, mono. Everything derives from `seed`.
 */
import { endianness } from 'node:os';
import { SAMPLE_RATE } from '../audio/wav.js';
import { createRng, mixSeed, type Rng } from './random.js';

/** One transcript token (a word with its leading space and trailing punctuation) and where its voice sits. */
export interface SpokenToken {
  /** The transcript text of this token; concatenating all tokens gives the answer text. */
  text: string;
  /** Byte offset of the token's voiced segment in the answer's PCM. */
  startByte: number;
  /** Byte offset just past the voiced segment. */
  endByte: number;
}

/** An answer rendered as audio, with the transcript aligned to it. */
export interface SpokenAnswer {
  text: string;
  pcm: Buffer;
  tokens: SpokenToken[];
}

/** Speech level target: −20 dBFS RMS over a word. */
export const WORD_RMS = 0.1;
/** Level of the noise floor inside natural pauses (≈ −80 dBFS RMS). */
export const PAUSE_NOISE_RMS = 1e-4;
const HARMONICS = [1, 0.55, 0.35, 0.2, 0.12];
const MIN_WORD_MS = 220;
const TABLE_SIZE = 4096;
/** One period of the harmonic source, so synthesis is a table lookup rather than five sines a sample. */
const WAVETABLE = Float32Array.from({ length: TABLE_SIZE + 1 }, (_, i) =>
  HARMONICS.reduce((v, a, h) => v + a * Math.sin(((h + 1) * 2 * Math.PI * i) / TABLE_SIZE), 0),
);

/** Splits text into tokens that concatenate back to it (modulo surrounding whitespace). */
export function tokenize(text: string): string[] {
  return text.trim().match(/\s*\S+/g) ?? [];
}

/** Renders `text` as speech-like audio with token alignment. Deterministic for a given `seed`. */
export function speak(text: string, seed: number): SpokenAnswer {
  const rng = createRng(mixSeed('speech', seed, text));
  const tokens = tokenize(text);
  const parts: Float32Array[] = [];
  const spoken: SpokenToken[] = [];
  let samples = 0;
  tokens.forEach((token, i) => {
    const word = voicedWord(token, rng);
    spoken.push({ text: token, startByte: samples * 2, endByte: (samples + word.length) * 2 });
    parts.push(word);
    samples += word.length;
    const pause = noise(msToSamples(pauseAfterMs(token, i === tokens.length - 1, rng)), PAUSE_NOISE_RMS, rng);
    parts.push(pause);
    samples += pause.length;
  });
  return { text: tokens.join(''), pcm: toPcm16(parts, samples), tokens: spoken };
}

/** How long the speaker pauses after a token, from its trailing punctuation. */
function pauseAfterMs(token: string, last: boolean, rng: Rng): number {
  if (last) return 120;
  if (/[.!?;:]["')\]]*$/.test(token)) return rng.range(500, 800);
  if (/[,\u2014-]$/.test(token)) return rng.range(300, 450);
  return rng.range(80, 150);
}

function msToSamples(ms: number): number {
  return Math.round((ms * SAMPLE_RATE) / 1000);
}

/** One voiced word: harmonic source, pitch fall, syllable-rate modulation, attack/decay envelope. */
function voicedWord(token: string, rng: Rng): Float32Array {
  const letters = (token.match(/[\p{L}\p{N}]/gu) ?? []).length;
  if (letters === 0) return new Float32Array(0);
  const durMs = Math.max(MIN_WORD_MS, letters * rng.range(60, 90));
  const n = msToSamples(durMs);
  const syllables = Math.max(1, (token.toLowerCase().match(/[aeiouy]+/g) ?? []).length);
  const f0 = rng.range(100, 180);
  const vibratoHz = rng.range(4, 6);
  const out = new Float32Array(n);
  const attack = msToSamples(15);
  const decay = msToSamples(40);
  let phase = 0; // in cycles
  let energy = 0;
  for (let s = 0; s < n; s++) {
    const t = s / n;
    const f = f0 * (1 + 0.08 * (0.5 - t)) * (1 + 0.01 * Math.sin((2 * Math.PI * vibratoHz * s) / SAMPLE_RATE));
    phase = (phase + f / SAMPLE_RATE) % 1;
    const x = phase * TABLE_SIZE;
    const i = Math.floor(x);
    const a = WAVETABLE[i] ?? 0;
    let v = a + ((WAVETABLE[i + 1] ?? 0) - a) * (x - i);
    const syllable = Math.pow(Math.abs(Math.sin(Math.PI * syllables * t)), 0.8);
    const env = Math.min(1, s / attack, (n - s) / decay);
    v = v * (0.35 + 0.65 * syllable) * env + 0.05 * (rng.next() - 0.5);
    out[s] = v;
    energy += v * v;
  }
  const gain = WORD_RMS / Math.sqrt(energy / n || 1);
  for (let s = 0; s < n; s++) out[s] = (out[s] ?? 0) * gain;
  return out;
}

/** White noise (uniform) at the given RMS; 0 gives digital silence. */
export function noise(n: number, rms: number, rng: Rng): Float32Array {
  const out = new Float32Array(Math.max(0, n));
  const peak = rms * Math.sqrt(3);
  if (rms > 0) for (let s = 0; s < out.length; s++) out[s] = peak * (2 * rng.next() - 1);
  return out;
}

function toPcm16(parts: readonly Float32Array[], samples: number): Buffer {
  const ints = new Int16Array(samples);
  let o = 0;
  for (const part of parts) {
    for (let s = 0; s < part.length; s++) {
      const c = Math.max(-1, Math.min(1, part[s] ?? 0));
      ints[o++] = Math.round(c < 0 ? c * 32768 : c * 32767);
    }
  }
  if (endianness() === 'LE') return Buffer.from(ints.buffer, ints.byteOffset, ints.byteLength);
  const out = Buffer.alloc(samples * 2);
  ints.forEach((v, i) => out.writeInt16LE(v, i * 2));
  return out;
}

/** `bytes` of PCM16LE: digital silence (`noiseDbfs` undefined) or white noise at `noiseDbfs` RMS. */
export function fillerPcm(bytes: number, noiseDbfs: number | undefined, rng: Rng): Buffer {
  const rms = noiseDbfs === undefined ? 0 : Math.pow(10, noiseDbfs / 20);
  const samples = noise(Math.floor(bytes / 2), rms, rng);
  return toPcm16([samples], samples.length);
}
