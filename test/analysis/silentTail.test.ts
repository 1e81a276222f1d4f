import { describe, expect, it } from 'vitest';
import { analyze, COUNT, oneTurn, turnFindings } from './helpers.js';
import { realSession } from './realWire.js';
import { concat, noise, silence, speech } from './traceBuilder.js';

const pauses900 = [
  [300, 120],
  [260, 900],
  [340, 800],
  [280, 100],
  [320, 600],
] as const;

describe('silent_tail: the audio goes silent while the transcript goes on', () => {
  it('digital silence for the last 5 s of a 10 s answer whose transcript implies 10 s: failing', () => {
    const a = analyze(realSession([{ pcm: concat(speech(5000), silence(4990)), transcript: COUNT }]));
    expect(a.turns[0]!.metrics!.silence).toMatchObject({ speechEndMs: 5000, trailingSilenceMs: 4990, gaps: [] });
    expect(turnFindings(a)).toEqual([
      {
        code: 'silent_tail',
        severity: 'major',
        turn: 1,
        atMs: 5000,
        durationMs: 4990,
        message: expect.stringMatching(
          new RegExp(
            /^The audio goes silent at 5\.0 s and stays silent \(below -50 dBFS\) for the last 5\.0 s of the answer, /
              .source +
              /while the 151-character transcript implies ≈ 10\.1 s of speech and \d+ characters of transcript /
                .source +
              /\(≈ \d\.\d s\) arrived while the audio was silent: the voice stopped before the answer did\.$/.source,
          ),
        ),
      },
    ]);
    expect(a.turns[0]!.verdict).toBe('fail');
  });

  it('a low-level noise tail (−60 dBFS) is silence too', () => {
    const a = analyze(realSession([{ pcm: concat(speech(6000), noise(3990, -60)), transcript: COUNT }]));
    expect(turnFindings(a).map((f) => [f.code, f.severity, f.atMs, f.durationMs])).toEqual([
      ['silent_tail', 'major', 6000, 3990],
    ]);
  });

  it('the transcript streamed alongside the silent audio tells even when the speaking rate would not', () => {
    // A slow voice: 80 characters over 8 s of audio (10 characters/s); the last 3 s are silent while the words keep
    // coming. At the default 15 characters/s the transcript implies only 5.3 s, less than the 5 s of speech + 1 s.
    const text = 'One, two, three, four, five, six, seven, eight, nine, ten, eleven, twelve, go!!';
    const a = analyze(
      realSession([{ pcm: concat(speech(5000), silence(2770)), transcript: text, deltaMs: 370 }], {
        prompts: [{ id: 'p', expect: [] }],
      }),
    );
    const f = turnFindings(a);
    expect(f.map((x) => [x.code, x.atMs])).toEqual([['silent_tail', 5000]]);
    expect(f[0]!.message).not.toContain('transcript implies');
    expect(f[0]!.message).toMatch(/\d+ characters of transcript \(≈ \d\.\d s\) arrived while the audio was silent/);
  });

  it('a natural ending (600 ms of silence after the last word) passes', () => {
    const a = analyze(oneTurn({ pcm: concat(speech(9400), silence(600)), transcript: COUNT }).b);
    expect(a.turns[0]!.metrics!.silence.trailingSilenceMs).toBe(600);
    expect(turnFindings(a)).toEqual([]);
  });

  it('a second of trailing silence after an answer the transcript fully accounts for passes', () => {
    // 151 characters at 15/s ≈ 10.1 s; 10 s of speech, then 1.5 s of silence, the transcript all sent with the speech.
    const a = analyze(
      realSession([{ pcm: concat(speech(10_000), noise(1470, -60)), transcript: COUNT, spokenMs: 10_000 }]),
    );
    expect(a.turns[0]!.metrics!.silence.trailingSilenceMs).toBe(1470);
    expect(turnFindings(a)).toEqual([]);
  });

  it('healthy answers with natural pauses up to 900 ms pass', () => {
    const a = analyze(
      realSession([
        { pcm: speech(12_000, pauses900), transcript: COUNT },
        { pcm: speech(20_000, pauses900), transcript: `${COUNT} ${COUNT}` },
      ]),
    );
    expect(a.turns.map((t) => [t.verdict, t.findings, t.metrics!.silence.longestSilentRunMs])).toEqual([
      ['pass', [], 900],
      ['pass', [], 900],
    ]);
  });

  it('thresholds are configurable: silentTailMinMs', () => {
    const { b } = oneTurn({ pcm: concat(speech(5000), silence(900)), transcript: COUNT });
    expect(turnFindings(analyze(b)).map((f) => f.code)).not.toContain('silent_tail');
    expect(turnFindings(analyze(b, { silentTailMinMs: 800 })).map((f) => f.code)).toContain('silent_tail');
  });
});
