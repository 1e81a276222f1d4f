import { describe, expect, it } from 'vitest';
import { createRng } from '../../src/sim/random.js';
import { planResponse, speak, type Step } from '../../src/sim/index.js';
import { rmsFrames } from './helpers.js';

const ANSWER = 'Sure. One, two, three. Wednesday is the middle of the week.';
const spoken = speak(ANSWER, 1);

function rmsDb(pcm: Buffer): number {
  let sum = 0;
  for (let i = 0; i + 1 < pcm.length; i += 2) sum += (pcm.readInt16LE(i) / 32768) ** 2;
  return 10 * Math.log10(sum / (pcm.length / 2) + 1e-20);
}

/** Fundamental frequency by autocorrelation over lags for 90–200 Hz. */
function f0(pcm: Buffer): number {
  const x = Array.from({ length: pcm.length / 2 }, (_, i) => pcm.readInt16LE(i * 2));
  let best = 0;
  let bestLag = 0;
  for (let lag = 120; lag <= 267; lag++) {
    let r = 0;
    for (let i = 0; i + lag < x.length; i++) r += x[i]! * x[i + lag]!;
    if (r > best) [best, bestLag] = [r, lag];
  }
  return 24000 / bestLag;
}

describe('speak: the answer sounds like speech', () => {
  it('tokens rebuild the text and point into the audio', () => {
    expect(spoken.tokens.map((t) => t.text).join('')).toBe(ANSWER);
    for (const t of spoken.tokens) {
      expect(t.startByte % 2).toBe(0);
      expect(t.endByte).toBeGreaterThan(t.startByte);
      expect(t.endByte).toBeLessThanOrEqual(spoken.pcm.length);
    }
  });

  it('words: voiced at about −20 dBFS, 100–180 Hz, 60–90 ms a letter with a floor, modulated', () => {
    for (const t of spoken.tokens) {
      const voice = spoken.pcm.subarray(t.startByte, t.endByte);
      expect(Math.abs(rmsDb(voice) + 20)).toBeLessThan(1.5);
      const hz = f0(voice.subarray(voice.length / 4, (voice.length * 3) / 4));
      expect(hz).toBeGreaterThan(90);
      expect(hz).toBeLessThan(200);
      const letters = (t.text.match(/[a-z]/gi) ?? []).length;
      const ms = (t.endByte - t.startByte) / 48;
      expect(ms).toBeGreaterThanOrEqual(Math.max(220, letters * 60) - 1);
      expect(ms).toBeLessThanOrEqual(Math.max(220, letters * 90) + 1);
      const frames = rmsFrames(voice);
      expect(Math.max(...frames) - Math.min(...frames)).toBeGreaterThan(6); // attack/decay and syllables
    }
  });

  it('pauses: 80–150 ms between words, 300–800 ms at punctuation, below −70 dBFS', () => {
    spoken.tokens.slice(0, -1).forEach((t, i) => {
      const next = spoken.tokens[i + 1]!;
      const gap = spoken.pcm.subarray(t.endByte, next.startByte);
      const ms = gap.length / 48;
      if (/[.,]$/.test(t.text)) {
        expect(ms).toBeGreaterThanOrEqual(300);
        expect(ms).toBeLessThanOrEqual(800);
      } else {
        expect(ms).toBeGreaterThanOrEqual(80);
        expect(ms).toBeLessThanOrEqual(150);
      }
      expect(rmsDb(gap)).toBeLessThan(-70);
    });
  });

  it('is deterministic per seed', () => {
    expect(speak(ANSWER, 1).pcm.equals(spoken.pcm)).toBe(true);
    expect(speak(ANSWER, 2).pcm.equals(spoken.pcm)).toBe(false);
  });
});

describe('planResponse', () => {
  const plan = planResponse({
    spoken,
    faults: [],
    delivery: { speed: 4, burstMs: 500, jitterMs: 5 },
    modality: 'audio',
    rng: createRng(3),
  });
  const old = planResponse({
    spoken,
    faults: [],
    delivery: { speed: 4, deltaMs: { min: 100, max: 200 } },
    modality: 'audio',
    rng: createRng(3),
  });
  const sizes = (p: typeof plan): number[] =>
    p.steps.filter((s): s is Extract<Step, { kind: 'audio' }> => s.kind === 'audio').map((s) => s.pcm.length / 48);

  it('cuts deltas of 200–500 ms by default (the real service averages ~370 ms), 100–200 ms when the delivery asks for them', () => {
    const real = sizes(plan).slice(0, -1);
    expect(real.length).toBeGreaterThan(3);
    for (const ms of real) (expect(ms).toBeGreaterThanOrEqual(200), expect(ms).toBeLessThanOrEqual(500));
    const mean = real.reduce((a, b) => a + b, 0) / real.length;
    expect(mean).toBeGreaterThan(280);
    expect(mean).toBeLessThan(420);
    const small = sizes(old).slice(0, -1);
    for (const ms of small) (expect(ms).toBeGreaterThanOrEqual(100), expect(ms).toBeLessThanOrEqual(200));
    expect(small.length).toBeGreaterThan(real.length * 1.5);
  });

  it("sends each word's transcript right before the delta holding its voice onset", () => {
    let offset = 0;
    const pending: string[] = [];
    const audio = plan.steps.filter((s): s is Extract<Step, { kind: 'audio' }> => s.kind === 'audio');
    for (const s of plan.steps) {
      if (s.kind === 'text') pending.push(s.text);
      if (s.kind !== 'audio') continue;
      const end = offset + s.pcm.length;
      const starting = spoken.tokens.filter((t) => t.startByte >= offset && t.startByte < end).map((t) => t.text);
      expect(pending).toEqual(starting);
      pending.length = 0;
      offset = end;
    }
    expect(Buffer.concat(audio.map((s) => s.pcm)).equals(spoken.pcm)).toBe(true);
  });

  it('delivers faster than real time, first audio within 150–400 ms, in time order', () => {
    const audio = plan.steps.filter((s) => s.kind === 'audio');
    expect(audio[0]!.at).toBeGreaterThanOrEqual(150);
    expect(audio[0]!.at).toBeLessThanOrEqual(400);
    expect(audio.at(-1)!.at - audio[0]!.at).toBeLessThan(spoken.pcm.length / 48 / 3);
    plan.steps.slice(1).forEach((s, i) => expect(s.at).toBeGreaterThanOrEqual(plan.steps[i]!.at));
    expect(plan.steps.at(-1)!.kind).toBe('response-done');
  });
});
