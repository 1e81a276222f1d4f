/**
 * Reasoning models (issue 19 §2): items with a `phase`, the reasoning pause between a spoken preamble and the final
 * answer measured as the listener hears it and never judged as a stall, underrun or gap — and the findings of the
 * new generation: long_reasoning, preamble_only, second_generation_silent.
 */
import { describe, expect, it } from 'vitest';
import { buildReport } from '../../src/analysis/report.js';
import { summarizeReport } from '../../src/analysis/summary.js';
import { analyze, turnFindings } from './helpers.js';
import { LISTENER_JITTER_MS, phasedSession, type PhasedTurn } from './reasoningTrace.js';
import { concat, noise, silence, speech, TraceBuilder } from './traceBuilder.js';

const NO_EXPECT = { prompts: [{ id: 'p', expect: [] }] };
const PREAMBLE = 'Let me think about that for a moment.';
const ANSWER = 'The capital of Australia is Canberra, not Sydney.';

/** A spoken preamble (1.5 s), `pauseMs` of reasoning as heard, then the final answer (6 s). */
function reasoningTurn(pauseMs: number, o: Partial<PhasedTurn> = {}, answer = speech(6000)): TraceBuilder {
  return phasedSession(
    {
      items: [
        { phase: 'commentary', pcm: speech(1500), transcript: PREAMBLE },
        { phase: 'final_answer', pcm: answer, transcript: ANSWER, pauseMs },
      ],
      ...o,
    },
    new TraceBuilder(NO_EXPECT).connect(),
  );
}

describe('a healthy reasoning turn: preamble, reasoning, answer', () => {
  it.each([500, 2800, 5000, 8000])('%i ms of reasoning passes and is reported within 50 ms', (pauseMs) => {
    const a = analyze(reasoningTurn(pauseMs));
    const t = a.turns[0]!;
    expect([t.findings, t.verdict, a.verdict]).toEqual([[], 'pass', 'pass']);
    const m = t.metrics!;
    expect(Math.abs(m.timing.reasoningMs! - pauseMs)).toBeLessThanOrEqual(50);
    // response.create at 110, first delta at 510; the answer's first delta the preamble's length plus the pause later.
    expect(m.timing.firstAudioMs).toBe(400);
    expect(m.timing.finalAnswerMs).toBeCloseTo(400 + 1500 + pauseMs, 0);
    expect(m.phases.reasoning).toBe(true);
    expect(m.phases.items.map((i) => [i.phase, i.audioMs, i.audible])).toEqual([
      ['commentary', 1500, true],
      ['final_answer', 6000, true],
    ]);
    expect(m.phases.pauses).toHaveLength(1);
    expect(m.phases.pauses[0]).toMatchObject({ afterItemId: 'item_1_1', beforeItemId: 'item_1_2', atMs: 1500 });
    // Neither a stall nor an underrun: the pause is left out of delivery and playback.
    expect(m.delivery.audioGapMaxMs).toBe(50);
    expect(m.playback.underruns).toEqual([]);
  });

  it('the turn line says it thought, and when the answer came', () => {
    const b = reasoningTurn(2800);
    const trace = b.build();
    const line = summarizeReport(buildReport(trace, analyze(b))).split('\n')[1]!;
    expect(line).toMatch(
      /^ {2}turn 1 p: PASS {2}first audio 400 ms · thought 2\.8 s · answer at 4\.7 s · audio 7\.5 s/,
    );
  });

  it("the preamble's trailing pause and the answer's leading one are not a silent gap", () => {
    const b = phasedSession(
      {
        items: [
          { phase: 'commentary', pcm: concat(speech(1500), noise(700, -60)), transcript: PREAMBLE },
          { phase: 'final_answer', pcm: concat(silence(700), speech(5000)), transcript: ANSWER, pauseMs: 2000 },
        ],
      },
      new TraceBuilder(NO_EXPECT).connect(),
    );
    const a = analyze(b);
    expect([turnFindings(a), a.turns[0]!.verdict]).toEqual([[], 'pass']);
    expect(a.turns[0]!.metrics!.silence).toMatchObject({ speechStartMs: 0, speechEndMs: 7900, gaps: [] });
  });

  it('two generations (the answer as a second response nobody asked for) are one healthy turn', () => {
    const b = phasedSession(
      {
        items: [
          { phase: 'commentary', pcm: speech(1500), transcript: PREAMBLE },
          { phase: 'final_answer', pcm: speech(6000), transcript: ANSWER, pauseMs: 1200, newResponse: true },
        ],
      },
      new TraceBuilder(NO_EXPECT).connect(),
    );
    const a = analyze(b);
    const t = a.turns[0]!;
    expect([t.findings, t.verdict, t.responseIds]).toEqual([[], 'pass', ['resp_1_1', 'resp_1_2']]);
    expect(Math.abs(t.metrics!.timing.reasoningMs! - 1200)).toBeLessThanOrEqual(50);
  });

  it('a non-reasoning answer in two items keeps judging the wait between them as delivery', () => {
    const items = [
      { pcm: speech(1500), transcript: PREAMBLE },
      { pcm: speech(6000), transcript: ANSWER, pauseMs: 2800 },
    ];
    const a = analyze(phasedSession({ items }, new TraceBuilder(NO_EXPECT).connect()));
    expect(a.turns[0]!.metrics!.phases.reasoning).toBe(false);
    expect(a.turns[0]!.metrics!.timing.reasoningMs).toBeNull();
    expect(turnFindings(a).map((f) => [f.code, f.severity])).toEqual([
      ['delivery_stall', 'major'],
      ['playback_underrun', 'major'],
    ]);
  });
});

describe('what reasoning does not excuse', () => {
  it('a hole inside the final answer is a silent gap at its true position (±50 ms)', () => {
    const answer = concat(speech(2500), silence(1500), speech(3000));
    const a = analyze(reasoningTurn(2800, {}, answer));
    const gaps = turnFindings(a).filter((f) => f.code === 'silent_gap');
    expect(gaps).toHaveLength(1);
    // 1.5 s of preamble, then 2.5 s into the answer.
    expect(Math.abs(gaps[0]!.atMs! - 4000)).toBeLessThanOrEqual(50);
    expect(Math.abs(gaps[0]!.durationMs! - 1500)).toBeLessThanOrEqual(50);
    expect(a.turns[0]!.verdict).toBe('fail');
  });

  it('a stall inside the final answer that starves the listener is still a major delivery stall', () => {
    // 30 answer deltas at 4× real time; after the 10th, a 3 s wait: 2 s of answer was buffered, 1 s is heard.
    const answerStart = 510 + 1500 + 2000;
    const times = Array.from({ length: 30 }, (_, i) => answerStart + i * 50 + (i >= 10 ? 3000 : 0));
    const a = analyze(reasoningTurn(2000, {}, speech(6000)), {});
    expect(turnFindings(a)).toEqual([]);
    const stalled = phasedSession(
      {
        items: [
          { phase: 'commentary', pcm: speech(1500), transcript: PREAMBLE },
          { phase: 'final_answer', pcm: speech(6000), transcript: ANSWER, times },
        ],
      },
      new TraceBuilder(NO_EXPECT).connect(),
    );
    const found = turnFindings(analyze(stalled));
    expect(found.map((f) => [f.code, f.severity])).toEqual([
      ['delivery_stall', 'major'],
      ['playback_underrun', 'major'],
    ]);
    expect(found[0]!.atMs).toBe(1500 + 2000);
  });

  it('a reasoning pause past reasoningMaxMs is long_reasoning (major), not a stall', () => {
    const a = analyze(reasoningTurn(12_000));
    expect(turnFindings(a)).toEqual([
      {
        code: 'long_reasoning',
        severity: 'major',
        turn: 1,
        atMs: 1500,
        durationMs: 12_000,
        traceMs: 510 + LISTENER_JITTER_MS + 1500,
        message: `After its spoken preamble “${PREAMBLE}” the model was silent for 12.0 s before the final answer began (reasoning allowance 10.0 s): the caller heard dead air.`,
      },
    ]);
    expect(analyze(reasoningTurn(12_000), { reasoningMaxMs: 15_000 }).turns[0]!.verdict).toBe('pass');
  });

  it('a reasoning model that speaks no preamble may think before its first audio, within reasoningMaxMs', () => {
    const answerOnly = (firstAudioMs: number): TraceBuilder =>
      phasedSession(
        { items: [{ phase: 'final_answer', pcm: speech(4000), transcript: ANSWER }], firstAudioMs },
        new TraceBuilder(NO_EXPECT).connect(),
      );
    expect(turnFindings(analyze(answerOnly(8000)))).toEqual([]);
    const slow = turnFindings(analyze(answerOnly(14_000)));
    expect(slow.map((f) => f.code)).toEqual(['slow_first_audio']);
    expect(slow[0]!.message).toBe(
      'First audio arrived 14.0 s after response.create (threshold 3.0 s, plus 10.0 s for a reasoning model that answered without a spoken preamble).',
    );
  });
});

describe('preamble_only', () => {
  it('the caller hears "let me check" and nothing: major', () => {
    const b = phasedSession(
      { items: [{ phase: 'commentary', pcm: speech(1600), transcript: 'Let me check that for you.' }] },
      new TraceBuilder(NO_EXPECT).connect(),
    );
    const a = analyze(b);
    expect(turnFindings(a)).toEqual([
      {
        code: 'preamble_only',
        severity: 'major',
        turn: 1,
        atMs: 1600,
        traceMs: 510 + LISTENER_JITTER_MS + 1600,
        message:
          "The turn's only speech is the spoken preamble “Let me check that for you.” (1.6 s, phase commentary); " +
          'the response completed without a final answer, so the caller hears the preamble and then nothing.',
      },
    ]);
    expect([a.turns[0]!.verdict, a.verdict]).toEqual(['fail', 'fail']);
    expect(a.turns[0]!.metrics!.timing).toMatchObject({ finalAnswerMs: null, reasoningMs: null });
  });
});

describe('second_generation_silent', () => {
  it('a second response nobody asked for, announced with its transcript, never sends audio', () => {
    const b = phasedSession(
      {
        items: [
          { phase: 'commentary', pcm: speech(1500), transcript: PREAMBLE },
          { phase: 'final_answer', pcm: speech(4000), transcript: ANSWER, newResponse: true, noAudio: true },
        ],
      },
      new TraceBuilder(NO_EXPECT).connect(),
    );
    const a = analyze(b);
    const found = turnFindings(a);
    // Usage counts the answer's audio the service generated: the audio is also short of it.
    expect(found.map((f) => [f.code, f.severity])).toEqual([
      ['second_generation_silent', 'major'],
      ['audio_truncated', 'major'],
    ]);
    expect(buildReport(b.build(), a).summary.headline).toBe(`Turn 1: ${found[0]!.message}`);
    expect(found[0]!.message).toBe(
      "The turn's second generation (item item_1_2, final_answer, in a second response nobody asked for, resp_1_2) " +
        `carried no audio, although its transcript reads “${ANSWER}”: the caller heard only the first generation.`,
    );
  });

  it('a second item of the same response whose audio is all silence', () => {
    const b = phasedSession(
      {
        items: [
          { phase: 'commentary', pcm: speech(1500), transcript: PREAMBLE },
          { phase: 'final_answer', pcm: silence(3000), transcript: ANSWER, pauseMs: 1000 },
        ],
      },
      new TraceBuilder(NO_EXPECT).connect(),
    );
    const found = turnFindings(analyze(b)).filter((f) => f.code === 'second_generation_silent');
    expect(found).toHaveLength(1);
    expect(found[0]!.message).toContain('arrived silent (its 3.0 s of audio are all below -50 dBFS)');
    expect(found[0]!.atMs).toBe(1500);
  });
});
