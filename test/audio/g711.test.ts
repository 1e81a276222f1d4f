/** G.711 encoding of the simulator's G.711 output formats: the standard's code points, and a faithful round trip. */
import { describe, expect, it } from 'vitest';
import { aLaw, muLaw, pcm16ToG711 } from '../../src/audio/g711.js';

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
});
