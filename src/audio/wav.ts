/**
 * WAV files: PCM16 / 24 kHz / mono is the Realtime API's audio format. Prompts in other PCM layouts are
 * converted (mixed down, resampled, re-quantized); anything else is rejected naming the file and the problem.
 */
import { InputError } from '../errors.js';

export const SAMPLE_RATE = 24_000;
/** PCM16 mono at 24 kHz: 48 bytes per millisecond. */
export const BYTES_PER_MS = 48;

export function pcmDurationMs(bytes: number): number {
  return bytes / BYTES_PER_MS;
}

/** Encodes PCM16LE mono 24 kHz bytes as a WAV file. An odd byte count is kept exact (the RIFF pad byte follows). */
export function encodeWav(pcm: Uint8Array, sampleRate = SAMPLE_RATE): Buffer {
  return Buffer.concat(wavParts(pcm, sampleRate));
}

/**
 * The WAV file of `pcm` as parts to write one after the other — header, the PCM itself (not copied), and the RIFF
 * pad byte when the count is odd — for writers that need not hold a second copy of the audio (evidence.zip).
 */
export function wavParts(pcm: Uint8Array, sampleRate = SAMPLE_RATE): Uint8Array[] {
  const pad = pcm.length % 2;
  const header = Buffer.alloc(44);
  header.write('RIFF', 0, 'ascii');
  header.writeUInt32LE(36 + pcm.length + pad, 4);
  header.write('WAVE', 8, 'ascii');
  header.write('fmt ', 12, 'ascii');
  header.writeUInt32LE(16, 16);
  header.writeUInt16LE(1, 20); // PCM
  header.writeUInt16LE(1, 22); // mono
  header.writeUInt32LE(sampleRate, 24);
  header.writeUInt32LE(sampleRate * 2, 28);
  header.writeUInt16LE(2, 32);
  header.writeUInt16LE(16, 34);
  header.write('data', 36, 'ascii');
  header.writeUInt32LE(pcm.length, 40);
  return pad ? [header, pcm, new Uint8Array(1)] : [header, pcm];
}

export interface WavInfo {
  format: number;
  channels: number;
  sampleRate: number;
  bitsPerSample: number;
  /** Raw sample bytes of the data chunk (exact length from the chunk header). */
  data: Buffer;
}

const WAVE_FORMAT_PCM = 1;
const WAVE_FORMAT_FLOAT = 3;
const WAVE_FORMAT_EXTENSIBLE = 0xfffe;

/** Parses a RIFF/WAVE file. Throws InputError naming `source` when it is not one. */
export function parseWav(buf: Buffer, source = 'WAV'): WavInfo {
  if (buf.length < 12 || buf.toString('ascii', 0, 4) !== 'RIFF' || buf.toString('ascii', 8, 12) !== 'WAVE') {
    throw new InputError(source, 'is not a RIFF/WAVE file');
  }
  let fmt: Omit<WavInfo, 'data'> | undefined;
  let pos = 12;
  while (pos + 8 <= buf.length) {
    const id = buf.toString('ascii', pos, pos + 4);
    const size = buf.readUInt32LE(pos + 4);
    const body = pos + 8;
    if (id === 'fmt ') {
      if (size < 16) throw new InputError(source, 'has a truncated fmt chunk');
      let format = buf.readUInt16LE(body);
      if (format === WAVE_FORMAT_EXTENSIBLE && size >= 26) format = buf.readUInt16LE(body + 24);
      fmt = {
        format,
        channels: buf.readUInt16LE(body + 2),
        sampleRate: buf.readUInt32LE(body + 4),
        bitsPerSample: buf.readUInt16LE(body + 14),
      };
    } else if (id === 'data') {
      if (!fmt) throw new InputError(source, 'has a data chunk before its fmt chunk');
      const end = Math.min(body + size, buf.length);
      return { ...fmt, data: buf.subarray(body, end) };
    }
    pos = body + size + (size % 2);
  }
  throw new InputError(source, fmt ? 'has no data chunk' : 'has no fmt chunk');
}

/** Reads a WAV as PCM16 / 24 kHz / mono bytes, converting other PCM layouts. */
export function wavToPcm16(buf: Buffer, source = 'WAV'): Buffer {
  const w = parseWav(buf, source);
  if (w.format === WAVE_FORMAT_PCM && w.channels === 1 && w.sampleRate === SAMPLE_RATE && w.bitsPerSample === 16)
    return Buffer.from(w.data);
  if (w.format !== WAVE_FORMAT_PCM && w.format !== WAVE_FORMAT_FLOAT) {
    throw new InputError(
      source,
      `uses WAV format code ${w.format}; only PCM integer or float samples can be converted`,
    );
  }
  if (w.channels < 1) throw new InputError(source, 'declares zero channels');
  if (w.sampleRate < 8000 || w.sampleRate > 192_000)
    throw new InputError(source, `has an unsupported sample rate of ${w.sampleRate} Hz`);
  const mono = toMonoFloat(w, source);
  return floatToPcm16(resample(mono, w.sampleRate, SAMPLE_RATE));
}

function toMonoFloat(w: WavInfo, source: string): Float32Array {
  const bytes = w.bitsPerSample / 8;
  const isFloat = w.format === WAVE_FORMAT_FLOAT;
  const read = sampleReader(w.data, w.bitsPerSample, isFloat, source);
  const frames = Math.floor(w.data.length / (bytes * w.channels));
  const out = new Float32Array(frames);
  for (let f = 0; f < frames; f++) {
    let sum = 0;
    for (let c = 0; c < w.channels; c++) sum += read((f * w.channels + c) * bytes);
    out[f] = sum / w.channels;
  }
  return out;
}

function sampleReader(d: Buffer, bits: number, isFloat: boolean, source: string): (offset: number) => number {
  if (isFloat && bits === 32) return (o) => d.readFloatLE(o);
  if (isFloat && bits === 64) return (o) => d.readDoubleLE(o);
  if (!isFloat && bits === 8) return (o) => (d.readUInt8(o) - 128) / 128;
  if (!isFloat && bits === 16) return (o) => d.readInt16LE(o) / 32768;
  if (!isFloat && bits === 24) return (o) => d.readIntLE(o, 3) / 8388608;
  if (!isFloat && bits === 32) return (o) => d.readInt32LE(o) / 2147483648;
  throw new InputError(source, `has ${bits}-bit ${isFloat ? 'float' : 'integer'} samples, which cannot be converted`);
}

/** Linear-interpolation resampler; adequate for speech prompts. */
export function resample(input: Float32Array, from: number, to: number): Float32Array {
  if (from === to) return input;
  const outLen = Math.floor((input.length * to) / from);
  const out = new Float32Array(outLen);
  const step = from / to;
  for (let i = 0; i < outLen; i++) {
    const x = i * step;
    const i0 = Math.floor(x);
    const i1 = Math.min(i0 + 1, input.length - 1);
    const t = x - i0;
    out[i] = (input[i0] ?? 0) * (1 - t) + (input[i1] ?? 0) * t;
  }
  return out;
}

export function floatToPcm16(samples: Float32Array): Buffer {
  const out = Buffer.alloc(samples.length * 2);
  for (let i = 0; i < samples.length; i++) {
    const v = Math.max(-1, Math.min(1, samples[i] ?? 0));
    out.writeInt16LE(Math.round(v < 0 ? v * 32768 : v * 32767), i * 2);
  }
  return out;
}
