/**
 * G.711: the simulator's encoding (the standard's code points, a faithful round trip) and the probe's μ-law decoding
 * (every code point as the standard expands it, 8 kHz brought back to 24 kHz).
 */
import { describe, expect, it } from 'vitest';
import { aLaw, muLaw, muLawToLinear, muLawToPcm16, pcm16ToG711 } from '../../src/audio/g711.js';

/** Reference decoders (ITU-T G.711), written independently of the encoder. */
function muLawDecode(byte: number): number {
  const u = ~byte & 0xff;
  const magnitude = ((((u & 0x0f) << 3) + 0x84) << ((u >> 4) & 7)) - 0x84;
  return u & 0x80 ? -magnitude : magnitude;
}
function aLawDecode(byte: number): number {
  const a = byte ^ 0x55;
  const exponent = (a >> 4) & 7;
  const mantissa = a & 0x0f;
  const magnitude = exponent === 0 ? (mantissa << 4) + 8 : ((mantissa << 4) + 0x108) << (exponent - 1);
  return a & 0x80 ? magnitude : -magnitude;
}

describe('G.711', () => {
  it('encodes the standard code points', () => {
    expect(muLaw(0)).toBe(0xff);
    expect(muLaw(32767)).toBe(0x80);
    expect(muLaw(-32768)).toBe(0x00);
    expect(aLaw(0)).toBe(0xd5);
    expect(aLaw(32767)).toBe(0xaa);
    expect(aLaw(-32768)).toBe(0x2a);
  });

  it('round-trips within the companding step (about 1/16 of the magnitude)', () => {
    for (let x = -32000; x <= 32000; x += 37) {
      const tolerance = Math.max(40, Math.abs(x) / 14);
      expect(Math.abs(muLawDecode(muLaw(x)) - x)).toBeLessThanOrEqual(tolerance);
      expect(Math.abs(aLawDecode(aLaw(x)) - x)).toBeLessThanOrEqual(tolerance);
    }
  });

  it('turns 24 kHz PCM16 into 8 kHz bytes: one per three samples, each the companded mean', () => {
    const pcm = Buffer.alloc(2 * 6);
    [100, 200, 300, -3000, -3000, -3000].forEach((v, i) => pcm.writeInt16LE(v, i * 2));
    expect([...pcm16ToG711(pcm, 'pcmu')]).toEqual([muLaw(200), muLaw(-3000)]);
    expect([...pcm16ToG711(pcm, 'pcma')]).toEqual([aLaw(200), aLaw(-3000)]);
    expect(pcm16ToG711(Buffer.alloc(48 * 100), 'pcmu')).toHaveLength(8 * 100); // 100 ms: 48 → 8 bytes a ms
  });

  it('decodes every μ-law code point as the standard expands it', () => {
    for (let b = 0; b < 256; b++) expect(muLawToLinear(b)).toBe(muLawDecode(b));
  });

  it('brings μ-law at 8 kHz back to PCM16 at 24 kHz: 6 bytes per byte, interpolated, the length kept', () => {
    const bytes = Buffer.from([muLaw(0), muLaw(3000), muLaw(-3000)]);
    const pcm = muLawToPcm16(bytes);
    expect(pcm).toHaveLength(18);
    const samples = Array.from({ length: 9 }, (_, i) => pcm.readInt16LE(i * 2));
    const [a, b, c] = [...bytes].map(muLawDecode) as [number, number, number];
    expect(samples).toEqual([
      a,
      Math.round(a + (b - a) / 3),
      Math.round(a + (2 * (b - a)) / 3),
      b,
      Math.round(b + (c - b) / 3),
      Math.round(b + (2 * (c - b)) / 3),
      c,
      c,
      c,
    ]);
    // a 200 Hz tone survives the trip through 8 kHz μ-law: 100 ms in, 100 ms out, within the companding step
    const tone = Buffer.alloc(48 * 100);
    for (let i = 0; i < tone.length / 2; i++)
      tone.writeInt16LE(Math.round(8000 * Math.sin((2 * Math.PI * 200 * i) / 24000)), i * 2);
    const back = muLawToPcm16(pcm16ToG711(tone, 'pcmu'));
    expect(back).toHaveLength(tone.length);
    let err = 0;
    for (let i = 3; i < tone.length / 2 - 3; i++)
      err = Math.max(err, Math.abs(back.readInt16LE(i * 2) - tone.readInt16LE(i * 2)));
    expect(err).toBeLessThan(800);
  });
});
