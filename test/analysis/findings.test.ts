import { describe, expect, it } from 'vitest';
import { analyze, COUNT, gapInTurn2Of3, oneTurn, turnFindings } from './helpers.js';
import { answer, concat, healthySession, noise, silence, speech } from './traceBuilder.js';

const MS = 48; // bytes per ms

describe('healthy speech stays quiet', () => {
  it('3 turns of speech with natural pauses up to 800 ms, bursty delivery: no findings, pass', () => {
    const a = analyze(healthySession(speech(12_000), COUNT, 3).b);
    expect(a.turns.map((t) => [t.findings, t.verdict])).toEqual([
      [[], 'pass'],
      [[], 'pass'],
      [[], 'pass'],
    ]);
    expect([a.findings, a.verdict]).toEqual([[], 'pass']);
  });

  it('fast speech (20 characters/s) is not truncation', () => {
    const a = analyze(oneTurn({ pcm: speech(7600), transcript: COUNT }).b);
    expect(a.turns[0]!.metrics!.coverage.transcriptRatio).toBe(0.755);
    expect(a.turns[0]!.findings).toEqual([]);
  });

  it('a deployment that counts half the documented rate (10 tokens/s) is not truncation: more audio than usage never is', () => {
    // The old simulator's accounting: 100 tokens for 10 s. Coverage 2.0 (less the 3 overhead tokens: 97 tokens ≈ 4.85 s).
    const a = analyze(oneTurn({ pcm: speech(10_000), transcript: COUNT, audioTokens: 100 }).b);
    expect(a.turns[0]!.metrics!.coverage).toMatchObject({
      audioTokensPerSecond: 20,
      usageImpliedMs: 4850,
      usageRatio: 2.062,
    });
    expect(a.turns[0]!.findings).toEqual([]);
  });

  it('a healthy real-shaped answer (20 tokens/s + 3 overhead tokens) covers 100 %', () => {
    const a = analyze(oneTurn({ pcm: speech(10_000), transcript: COUNT }).b);
    expect(a.turns[0]!.metrics!.usage.outputAudioTokens).toBe(203);
    expect(a.turns[0]!.metrics!.coverage).toMatchObject({ usageImpliedMs: 10_000, usageRatio: 1 });
    expect(a.turns[0]!.findings).toEqual([]);
  });

  it('overhead of 0 or 8 tokens instead of the assumed 3 is not truncation', () => {
    for (const audioTokens of [200, 208])
      expect(turnFindings(analyze(oneTurn({ pcm: speech(10_000), transcript: COUNT, audioTokens }).b))).toEqual([]);
  });

  it('usage six tokens (300 ms) over the audio is not truncation, ten tokens (500 ms: two short real deltas lost) is', () => {
    expect(turnFindings(analyze(oneTurn({ pcm: speech(10_000), transcript: COUNT, audioTokens: 209 }).b))).toEqual([]);
    expect(
      turnFindings(analyze(oneTurn({ pcm: speech(10_000), transcript: COUNT, audioTokens: 213 }).b)).map((f) => f.code),
    ).toEqual(['audio_truncated']);
  });
});

describe('silent_gap', () => {
  it('reports offset and length of a 2.3 s gap at 4.1 s in turn 2 of 3 only', () => {
    const a = analyze(gapInTurn2Of3());
    expect(a.turns.map((t) => t.verdict)).toEqual(['pass', 'fail', 'pass']);
    expect(turnFindings(a, 2)).toEqual([
      {
        code: 'silent_gap',
        severity: 'major',
        turn: 2,
        atMs: 4100,
        durationMs: 2300,
        message: '2.3 s of silence (below -50 dBFS) at 4.1 s into the answer; speech resumes after it.',
      },
    ]);
    expect(a.verdict).toBe('fail');
  });

  it('noise-floor silence (−60 dBFS) is a gap too', () => {
    const a = analyze(oneTurn({ pcm: concat(speech(3000), noise(1500, -60), speech(5500)), transcript: COUNT }).b);
    expect(turnFindings(a).map((f) => [f.code, f.atMs, f.durationMs])).toEqual([['silent_gap', 3000, 1500]]);
  });
});

describe('audio_truncated', () => {
  it('the final 1.5 s of a 12 s answer cut, transcript and usage complete', () => {
    const a = analyze(oneTurn({ pcm: speech(12_000), transcript: COUNT, keepBytes: 10_500 * MS }).b);
    expect(a.turns[0]!.metrics!.coverage).toMatchObject({
      usageImpliedMs: 12_000,
      usageRatio: 0.875,
      trailingTranscriptChars: 17,
      trailingTranscriptMs: 1133.3,
    });
    expect(turnFindings(a)).toEqual([
      {
        code: 'audio_truncated',
        severity: 'major',
        turn: 1,
        atMs: 10_500,
        durationMs: 1500,
        message:
          'The audio ends at 10.5 s, about 1.5 s short: usage reports 243 audio tokens ≈ 12.0 s (received 88 %); 17 characters of transcript (≈ 1.1 s) arrived after the last audio delta.',
      },
    ]);
    expect(a.verdict).toBe('fail');
  });

  it('the final 1 s of a 10 s answer, on usage alone', () => {
    const a = analyze(oneTurn({ pcm: speech(9000), transcript: COUNT, audioTokens: 203 }).b);
    expect(turnFindings(a)).toEqual([
      {
        code: 'audio_truncated',
        severity: 'major',
        turn: 1,
        atMs: 9000,
        durationMs: 1000,
        message: 'The audio ends at 9.0 s, about 1.0 s short: usage reports 203 audio tokens ≈ 10.0 s (received 90 %).',
      },
    ]);
  });

  it('on the trailing transcript alone (no usage)', () => {
    const a = analyze(oneTurn({ pcm: speech(12_000), transcript: COUNT, keepBytes: 10_500 * MS, audioTokens: null }).b);
    expect(turnFindings(a).map((f) => [f.code, f.atMs, f.durationMs, f.message])).toEqual([
      [
        'audio_truncated',
        10_500,
        1133.3,
        'The audio ends at 10.5 s, about 1.1 s short: 17 characters of transcript (≈ 1.1 s) arrived after the last audio delta.',
      ],
    ]);
  });

  it('on transcript coverage alone: audio stops at 40 % (no usage, transcript not streamed after it)', () => {
    const a = analyze(oneTurn({ pcm: speech(4000), transcript: COUNT, audioTokens: null }).b);
    expect(turnFindings(a).map((f) => [f.code, f.durationMs, f.message])).toEqual([
      [
        'audio_truncated',
        6066.7,
        'The audio ends at 4.0 s, about 6.1 s short: the 151-character transcript implies ≈ 10.1 s (received 40 %).',
      ],
    ]);
  });

  it('a usage coverage below the floor still counts when the transcript went on after the audio', () => {
    // 25 % coverage would look like a mis-calibrated rate, but here the transcript kept coming after the audio stopped.
    const a = analyze(oneTurn({ pcm: speech(10_000), transcript: COUNT, keepBytes: 2500 * MS }).b);
    expect(a.turns[0]!.metrics!.coverage.usageRatio).toBe(0.25);
    expect(turnFindings(a).map((f) => [f.code, f.durationMs])).toEqual([['audio_truncated', 7500]]);
  });
});

describe('no_audio', () => {
  it('a completed response with a transcript but no audio deltas', () => {
    const a = analyze(oneTurn({ pcm: speech(10_000), transcript: COUNT, keepBytes: 0 }).b);
    expect(turnFindings(a)).toEqual([
      {
        code: 'no_audio',
        severity: 'critical',
        turn: 1,
        message: 'The response (status completed) carried no audio, although its transcript has 151 characters.',
      },
    ]);
    expect(a.turns[0]!.verdict).toBe('fail');
  });

  it('audio that is all below the silence threshold', () => {
    const a = analyze(
      oneTurn({ pcm: noise(3000, -60), transcript: 'Hello there.' }, { prompts: [{ id: 'hello', expect: [] }] }).b,
    );
    expect(turnFindings(a)).toEqual([
      {
        code: 'no_audio',
        severity: 'critical',
        turn: 1,
        durationMs: 3000,
        message: '3.0 s of audio arrived but all of it is below -50 dBFS.',
      },
    ]);
  });
});

describe('delivery_stall and playback_underrun', () => {
  it('two stalls that starve the listener (990 ms and 1.6 s underruns)', () => {
    const a = analyze(
      oneTurn(
        { pcm: speech(1000), transcript: 'One two three.', times: [510, 560, 2000, 2050, 4000] },
        { prompts: [{ id: 'p', expect: [] }] },
      ).b,
    );
    expect(turnFindings(a)).toEqual([
      {
        code: 'delivery_stall',
        severity: 'major',
        turn: 1,
        atMs: 400,
        durationMs: 1440,
        traceMs: 560,
        message: "No audio for 1.4 s after 0.4 s of the answer had arrived; the listener's buffer ran dry for 990 ms.",
      },
      {
        code: 'delivery_stall',
        severity: 'major',
        turn: 1,
        atMs: 800,
        durationMs: 1950,
        traceMs: 2050,
        message: "No audio for 2.0 s after 0.8 s of the answer had arrived; the listener's buffer ran dry for 1.6 s.",
      },
      {
        code: 'playback_underrun',
        severity: 'major',
        turn: 1,
        atMs: 800,
        durationMs: 2590,
        traceMs: 2400,
        message:
          'A listener with a 100 ms jitter buffer would hear 2 dropouts waiting for audio, 2.6 s in all; the longest 1.6 s at 0.8 s into the answer.',
      },
    ]);
  });

  it('a 1.5 s stall covered by the buffered audio is minor (reported, does not fail)', () => {
    const times = Array.from({ length: 30 }, (_, i) => 510 + i * 50 + (i >= 20 ? 1450 : 0));
    const a = analyze(
      oneTurn(
        { pcm: speech(6000), transcript: 'One two three four five six.', times },
        { prompts: [{ id: 'p', expect: [] }] },
      ).b,
    );
    expect(turnFindings(a)).toEqual([
      {
        code: 'delivery_stall',
        severity: 'minor',
        turn: 1,
        atMs: 4000,
        durationMs: 1500,
        traceMs: 1460,
        message: 'No audio for 1.5 s after 4.0 s of the answer had arrived; the buffered audio covered it.',
      },
    ]);
    expect(a.turns[0]!.verdict).toBe('pass');
  });

  it('a 3 s gap the buffered audio covered is minor too: pages follow the listener (issue 20)', () => {
    const times = Array.from({ length: 30 }, (_, i) => 510 + i * 50 + (i >= 20 ? 2950 : 0));
    const a = analyze(
      oneTurn(
        { pcm: speech(6000), transcript: 'One two three four five six.', times },
        { prompts: [{ id: 'p', expect: [] }] },
      ).b,
    );
    expect(turnFindings(a).map((f) => [f.code, f.severity, f.durationMs])).toEqual([['delivery_stall', 'minor', 3000]]);
    expect(turnFindings(a)[0]!.message).toContain('the buffered audio covered it');
    expect([a.turns[0]!.verdict, a.verdict]).toEqual(['pass', 'pass']);
  });
});

describe('playback_underrun on its own', () => {
  const NO_EXPECT = { prompts: [{ id: 'p', expect: [] }] };

  it('one dropout of 300 ms early in the answer is minor', () => {
    const a = analyze(
      oneTurn(
        {
          pcm: speech(2000),
          transcript: 'One two three.',
          times: [510, 1100, ...Array.from({ length: 8 }, (_, i) => 1150 + i * 50)],
        },
        NO_EXPECT,
      ).b,
    );
    expect(turnFindings(a)).toEqual([
      {
        code: 'playback_underrun',
        severity: 'minor',
        turn: 1,
        atMs: 200,
        durationMs: 290,
        traceMs: 810,
        message:
          'A listener with a 100 ms jitter buffer would hear a 290 ms dropout at 0.2 s into the answer, waiting for audio.',
      },
    ]);
    expect(a.turns[0]!.verdict).toBe('pass');
  });

  it('delivery slower than real time: many short dropouts add up to a major stutter', () => {
    // 200 ms of audio every 250 ms. The jitter buffer and the first deltas absorb the lag until delta 3; from then on
    // the listener runs dry for 50 ms before every delta: 27 × 50 ms, the first at 0.6 s into the answer (trace 1210).
    const times = Array.from({ length: 30 }, (_, i) => 510 + i * 250);
    const a = analyze(oneTurn({ pcm: speech(6000), transcript: 'One two three four five six.', times }, NO_EXPECT).b);
    const m = a.turns[0]!.metrics!;
    expect([m.playback.underruns.length, m.playback.totalUnderrunMs]).toEqual([27, 1350]);
    expect(turnFindings(a)).toEqual([
      {
        code: 'playback_underrun',
        severity: 'major',
        turn: 1,
        atMs: 600,
        durationMs: 1350,
        traceMs: 1210,
        message:
          'A listener with a 100 ms jitter buffer would hear 27 dropouts waiting for audio, 1.4 s in all; the longest 50 ms at 0.6 s into the answer.',
      },
    ]);
  });
});

describe('slow_first_audio', () => {
  it('first audio 4.2 s after response.create', () => {
    const a = analyze(oneTurn({ pcm: speech(10_000), transcript: COUNT, firstAudioMs: 4200 }).b);
    expect(turnFindings(a)).toEqual([
      {
        code: 'slow_first_audio',
        severity: 'major',
        turn: 1,
        durationMs: 4200,
        traceMs: 4310,
        message: 'First audio arrived 4.2 s after response.create (threshold 3.0 s).',
      },
    ]);
  });

  it('2.9 s is not slow; the threshold is configurable', () => {
    const { b } = oneTurn({ pcm: speech(10_000), transcript: COUNT, firstAudioMs: 2900 });
    expect(turnFindings(analyze(b))).toEqual([]);
    expect(turnFindings(analyze(b, { slowFirstAudioMs: 2000 })).map((f) => f.code)).toEqual(['slow_first_audio']);
  });
});

describe('expected_content_missing', () => {
  it('the answer stops before "twenty"', () => {
    const said = COUNT.replace(' Twenty.', '');
    const a = analyze(oneTurn({ pcm: speech(9500), transcript: said }).b);
    expect(turnFindings(a)).toEqual([
      {
        code: 'expected_content_missing',
        severity: 'major',
        turn: 1,
        message:
          'The 143-character transcript does not contain “twenty”; it ends “…Fourteen. Fifteen. Sixteen. Seventeen. Eighteen. Nineteen.”.',
      },
    ]);
  });
});

describe('audio_truncated does not fire on a mis-calibrated default ratio with fast speech', () => {
  it('10 tokens/s (half the documented rate), 17 characters/s, complete audio: no finding', () => {
    const a = analyze(oneTurn({ pcm: speech(8900), transcript: COUNT, audioTokens: 89 }).b);
    expect(a.turns[0]!.metrics!.coverage).toMatchObject({
      usageRatio: 2.07,
      transcriptRatio: 0.884,
      trailingTranscriptChars: 0,
    });
    expect(turnFindings(a)).toEqual([]);
  });

  it('a deployment counting 3.5× the documented rate sits below the floor: believed only with a trailing transcript', () => {
    // 70 tokens/s: coverage 0.29, under defaultUsageCoverageFloor 0.3 — more likely a wrong rate than 71 % of the audio lost.
    const a = analyze(oneTurn({ pcm: speech(8900), transcript: COUNT, audioTokens: 626 }).b);
    expect(a.turns[0]!.metrics!.coverage.usageRatio).toBe(0.286);
    expect(turnFindings(a)).toEqual([]);
  });
});
