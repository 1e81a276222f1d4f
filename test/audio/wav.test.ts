import { describe, expect, it } from 'vitest';
import { encodeWav, parseWav, wavToPcm16 } from '../../src/audio/wav.js';
import { InputError } from '../../src/errors.js';

function wav(opts: { rate: number; channels: number; bits: number; format?: number; data: Buffer }): Buffer {
  const h = Buffer.alloc(44);
  h.write('RIFF', 0);
  h.writeUInt32LE(36 + opts.data.length, 4);
  h.write('WAVE', 8);
  h.write('fmt ', 12);
  h.writeUInt32LE(16, 16);
  h.writeUInt16LE(opts.format ?? 1, 20);
  h.writeUInt16LE(opts.channels, 22);
  h.writeUInt32LE(opts.rate, 24);
  h.writeUInt32LE((opts.rate * opts.channels * opts.bits) / 8, 28);
  h.writeUInt16LE((opts.channels * opts.bits) / 8, 32);
  h.writeUInt16LE(opts.bits, 34);
  h.write('data', 36);
  h.writeUInt32LE(opts.data.length, 40);
  return Buffer.concat([h, opts.data]);
}

describe('wav', () => {
  it('round-trips PCM16 bytes exactly, odd lengths included', () => {
    const pcm = Buffer.from([1, 2, 3, 4, 5]);
    const file = encodeWav(pcm);
    expect(file.length).toBe(44 + 6);
    expect(parseWav(file).data).toEqual(pcm);
    expect(wavToPcm16(file)).toEqual(pcm);
  });

  it('converts 16 kHz stereo to 24 kHz mono', () => {
    const frames = 1600; // 100 ms
    const data = Buffer.alloc(frames * 4);
    for (let i = 0; i < frames; i++) {
      data.writeInt16LE(1000, i * 4);
      data.writeInt16LE(3000, i * 4 + 2);
    }
    const pcm = wavToPcm16(wav({ rate: 16000, channels: 2, bits: 16, data }));
    expect(pcm.length).toBe(2400 * 2);
    expect(pcm.readInt16LE(200)).toBe(2000);
  });

  it('rejects what it cannot convert, naming the file and the problem', () => {
    expect(() => wavToPcm16(Buffer.from('not a wav at all'), 'x.wav')).toThrow(/x\.wav: is not a RIFF\/WAVE file/);
    expect(() =>
      wavToPcm16(wav({ rate: 8000, channels: 1, bits: 8, format: 7, data: Buffer.alloc(100) }), 'mulaw.wav'),
    ).toThrow(InputError);
    expect(() =>
      wavToPcm16(wav({ rate: 8000, channels: 1, bits: 8, format: 7, data: Buffer.alloc(100) }), 'mulaw.wav'),
    ).toThrow(/format code 7/);
  });
});
