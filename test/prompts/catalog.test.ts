import { describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadCatalog, resolvePrompts } from '../../src/prompts/catalog.js';
import { encodeWav } from '../../src/audio/wav.js';

describe('prompts', () => {
  const catalog = loadCatalog();

  it('ships speech prompts as PCM16 24 kHz with expectations', () => {
    expect(catalog.length).toBeGreaterThanOrEqual(4);
    for (const p of catalog) {
      expect(p.pcm.length / 48).toBeGreaterThan(2000); // at least 2 s of speech
      expect(p.expect.length).toBeGreaterThan(0);
      expect(p.answer?.toLowerCase()).toContain(p.expect[0]);
    }
  });

  it('resolves ids and user WAV files, and names bad ones', () => {
    const dir = mkdtempSync(join(tmpdir(), 'rc-prompts-'));
    writeFileSync(join(dir, 'mine.wav'), encodeWav(Buffer.alloc(48 * 500)));
    writeFileSync(join(dir, 'short.wav'), encodeWav(Buffer.alloc(48 * 50)));
    const [a, b] = resolvePrompts(['planets', join(dir, 'mine.wav')], catalog);
    expect(a!.id).toBe('planets');
    expect(b!.id).toBe('mine');
    expect(() => resolvePrompts([join(dir, 'short.wav')], catalog)).toThrow(/short\.wav: holds 50 ms/);
    expect(() => resolvePrompts(['nope'], catalog)).toThrow(/prompt: "nope" is neither/);
    expect(() => resolvePrompts([join(dir, 'missing.wav')], catalog)).toThrow(/missing\.wav: cannot be read/);
  });
});
