import { describe, expect, it } from 'vitest';
import { DEFAULT_DETECTION_CONFIG } from '../../src/analysis/config.js';
import { dbfsOfPower, windowEnergy } from '../../src/analysis/pcm.js';
import { analyzeSilence } from '../../src/analysis/silence.js';
import { concat, noise, silence, speech, tone } from './traceBuilder.js';

const cfg = DEFAULT_DETECTION_CONFIG;

describe('RMS in dBFS', () => {
  it('measures a −20 dBFS tone and −60 dBFS noise per 1-ms window', () => {
    const level = (pcm: Buffer): number => {
      const e = windowEnergy(pcm);
      return dbfsOfPower(e.sums.reduce((s, x) => s + x, 0) / e.samples);
    };
    expect(windowEnergy(tone(100)).sums.length).toBe(100);
    expect(level(tone(100))).toBeCloseTo(-20, 1);
    expect(level(noise(100, -60))).toBeCloseTo(-60, 0);
    expect(dbfsOfPower(0)).toBe(-Infinity);
  });

  it('reads whole samples only: an odd byte count and an odd byte offset never crash', () => {
    const odd = concat(tone(10), Buffer.from([0x7f]));
    expect(windowEnergy(odd).samples).toBe(240);
    const shifted = Buffer.concat([Buffer.from([0]), tone(10)]).subarray(1);
    expect(shifted.byteOffset % 2).toBe(1);
    expect(windowEnergy(shifted).samples).toBe(240);
    expect(windowEnergy(shifted).sums).toEqual(windowEnergy(tone(10)).sums);
  });
});

describe('silent runs inside the speech', () => {
  it('finds a 2.3 s digital-silence gap at 4.1 s to the millisecond', () => {
    const s = analyzeSilence(concat(speech(4100), silence(2300), speech(3600)), cfg);
    expect(s.gaps).toEqual([{ atMs: 4100, durationMs: 2300 }]);
    expect(s.longestSilentRunMs).toBe(2300);
    expect([s.speechStartMs, s.speechEndMs]).toEqual([0, 10_000]);
  });

  it('counts low-level noise (−60 dBFS) as silence, not noise at −45 dBFS (unless the threshold says so)', () => {
    expect(analyzeSilence(concat(speech(3000), noise(1500, -60), speech(3000)), cfg).gaps).toEqual([
      { atMs: 3000, durationMs: 1500 },
    ]);
    expect(analyzeSilence(concat(speech(3000), noise(1500, -45), speech(3000)), cfg).gaps).toEqual([]);
    expect(
      analyzeSilence(concat(speech(3000), noise(1500, -45), speech(3000)), { ...cfg, silenceDbfs: -40 }).gaps,
    ).toEqual([{ atMs: 3000, durationMs: 1500 }]);
  });

  it('stays quiet on natural pauses (up to 800 ms) and reports from exactly 1000 ms', () => {
    const healthy = analyzeSilence(speech(15_000), cfg);
    expect(healthy.gaps).toEqual([]);
    expect(healthy.longestSilentRunMs).toBe(800);
    expect(analyzeSilence(concat(speech(2000), silence(999), speech(2000)), cfg).gaps).toEqual([]);
    expect(analyzeSilence(concat(speech(2000), silence(1000), speech(2000)), cfg).gaps).toEqual([
      { atMs: 2000, durationMs: 1000 },
    ]);
    expect(
      analyzeSilence(concat(speech(2000), silence(1000), speech(2000)), { ...cfg, minSilentGapMs: 1500 }).gaps,
    ).toEqual([]);
  });

  it('measures gaps that do not sit on frame boundaries', () => {
    expect(analyzeSilence(concat(speech(4110), silence(1337), speech(3000)), cfg).gaps).toEqual([
      { atMs: 4110, durationMs: 1337 },
    ]);
  });

  it('ignores leading and trailing silence', () => {
    const s = analyzeSilence(concat(silence(1500), speech(3000), noise(2000, -70)), cfg);
    expect(s.gaps).toEqual([]);
    expect([s.speechStartMs, s.speechEndMs]).toEqual([1500, 4500]);
  });

  it('reports several gaps in order', () => {
    const s = analyzeSilence(concat(speech(1000), silence(1200), speech(1500), noise(3800, -60), speech(1000)), cfg);
    expect(s.gaps).toEqual([
      { atMs: 1000, durationMs: 1200 },
      { atMs: 3700, durationMs: 3800 },
    ]);
  });

  it('handles all-silent, empty and odd-length audio', () => {
    expect(analyzeSilence(silence(3000), cfg)).toMatchObject({ speechStartMs: null, speechEndMs: null, gaps: [] });
    expect(analyzeSilence(Buffer.alloc(0), cfg)).toMatchObject({ speechStartMs: null, gaps: [] });
    expect(analyzeSilence(Buffer.from([1]), cfg)).toMatchObject({ speechStartMs: null, gaps: [] });
    const odd = concat(speech(2000), silence(1200), speech(2000), Buffer.from([0x55]));
    expect(analyzeSilence(odd, cfg).gaps).toEqual([{ atMs: 2000, durationMs: 1200 }]);
  });
});
