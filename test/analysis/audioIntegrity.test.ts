/**
 * Audio that is not what usage accounts for (issue 19 §2): repeated audio (every fifth delta sent twice: "coverage
 * 119 %" must not read as healthy) and an output format other than the one requested (bytes vs usage ×6 / ×1/6).
 * The voice is the simulator's (speech-like, never periodic), as a real answer is.
 */
import { describe, expect, it } from 'vitest';
import { buildReport } from '../../src/analysis/report.js';
import { summarizeReport } from '../../src/analysis/summary.js';
import { speak } from '../../src/sim/speech.js';
import { analyze, COUNT, oneTurn, turnFindings } from './helpers.js';
import { answer, noise, realAudioTokens, TraceBuilder, type AnswerSpec } from './traceBuilder.js';

const NO_EXPECT = { prompts: [{ id: 'p', expect: [] }] };
const voice = speak(COUNT, 7).pcm;

function turnLine(b: TraceBuilder): string {
  return summarizeReport(buildReport(b.build(), analyze(b))).split('\n')[1]!;
}

describe('repeated_audio', () => {
  it('every fifth delta sent twice: major, at the first copy, and the turn line does not read as healthy', () => {
    const { b } = oneTurn({ pcm: voice, transcript: COUNT, repeatEvery: 5 }, NO_EXPECT);
    const a = analyze(b);
    const m = a.turns[0]!.metrics!;
    const deltas = Math.ceil(voice.length / 9600);
    const copies = Math.floor(deltas / 5);
    expect(m.audio.repeated).toEqual({ deltas: copies, ms: copies * 200, firstAtMs: 1000 });
    expect(m.coverage.usageRatio).toBeGreaterThan(1.15);
    const found = turnFindings(a);
    expect(found.map((f) => [f.code, f.severity, f.atMs, f.durationMs])).toEqual([
      ['repeated_audio', 'major', 1000, copies * 200],
    ]);
    expect(found[0]!.message).toMatch(
      new RegExp(`more audio arrived than usage accounts for \\(coverage 1\\d\\d %\\), and ${copies} deltas`),
    );
    expect([a.turns[0]!.verdict, a.verdict]).toEqual(['fail', 'fail']);
    expect(turnLine(b)).toMatch(/coverage 1\d\d % \(more audio than usage accounts for\)/);
  });

  it('the same answer sent once passes at ≈ 100 %, its turn line plain', () => {
    const { b } = oneTurn({ pcm: voice, transcript: COUNT }, NO_EXPECT);
    const a = analyze(b);
    expect([turnFindings(a), a.turns[0]!.metrics!.audio.repeated.deltas]).toEqual([[], 0]);
    expect(turnLine(b)).toMatch(/coverage 100 % · /);
  });

  it('more audio than usage without copies is a deployment counting fewer tokens, not repeated audio', () => {
    const spec: Omit<AnswerSpec, 'turn' | 'at'> = { pcm: voice, transcript: COUNT };
    const { b } = oneTurn({ ...spec, audioTokens: Math.round(realAudioTokens(voice) * 0.7) }, NO_EXPECT);
    expect(turnFindings(analyze(b))).toEqual([]);
  });
});

describe('audio_format_mismatch', () => {
  const SIX_S = speak('One two three four five six seven eight nine ten eleven twelve thirteen.', 3).pcm;
  const tokens = realAudioTokens(SIX_S);

  it('G.711 bytes (8 per ms) where PCM16 was asked for: major, ahead of the truncation it also looks like', () => {
    const b = new TraceBuilder(NO_EXPECT).connect();
    b.send(70, 'session.update', { session: { audio: { output: { format: { type: 'audio/pcm', rate: 24000 } } } } });
    // As many bytes as G.711 takes for the answer (8 per ms), read as PCM16: noise.
    const g711 = noise(SIX_S.length / 48 / 6, -12);
    const turn = withTurn(b, { pcm: g711, transcript: 'One two three.', audioTokens: tokens, chunkBytes: 1600 });
    const a = analyze(turn);
    const m = a.turns[0]!.metrics!;
    expect(m.audio.requestedFormat).toBe('audio/pcm');
    expect(m.coverage.usageBytesPerMs).toBeCloseTo(8, 0);
    const found = turnFindings(a);
    expect(found[0]).toMatchObject({ code: 'audio_format_mismatch', severity: 'major' });
    expect(found[0]!.message).toContain('not in the format requested (audio/pcm, PCM16 at 24 kHz, 48 bytes per ms)');
    expect(found[0]!.message).toContain('— G.711 at 8 kHz');
    expect(buildReport(turn.build(), a).summary.headline).toBe(`Turn 1: ${found[0]!.message}`);
  });

  it('PCM16 (48 per ms) where audio/pcmu was asked for: ×6, major', () => {
    const b = new TraceBuilder(NO_EXPECT).connect();
    b.send(70, 'session.update', { session: { audio: { output: { format: { type: 'audio/pcmu' } } } } });
    const turn = withTurn(b, { pcm: SIX_S, transcript: 'One two three.' });
    const found = turnFindings(analyze(turn));
    expect(found.map((f) => [f.code, f.severity])).toEqual([['audio_format_mismatch', 'major']]);
    expect(found[0]!.message).toBe(
      'The audio is not in the format requested (audio/pcmu, G.711 at 8 kHz, 8 bytes per ms): 278300 bytes for the ' +
        '5.8 s usage accounts for (119 audio tokens) is 48.0 bytes per ms — PCM16 at 24 kHz. A client decoding it as ' +
        'requested plays noise.',
    );
  });

  it('the format the service declared counts too (beta names): it said G.711 and sent PCM16', () => {
    const b = new TraceBuilder(NO_EXPECT).connect();
    b.send(70, 'session.update', { session: { output_audio_format: 'pcm16' } });
    b.recv(90, 'session.updated', { session: { output_audio_format: 'g711_ulaw' } });
    const a = analyze(withTurn(b, { pcm: SIX_S, transcript: 'One two three.' }));
    expect(a.turns[0]!.metrics!.audio).toMatchObject({ requestedFormat: 'pcm16', declaredFormat: 'g711_ulaw' });
    const found = turnFindings(a);
    expect(found.map((f) => f.code)).toEqual(['audio_format_mismatch']);
    expect(found[0]!.message).toMatch(
      /^The audio is not in the format the service declared \(g711_ulaw, G\.711 at 8 kHz/,
    );
  });

  it('PCM16 asked, declared and sent is no finding', () => {
    const b = new TraceBuilder(NO_EXPECT).connect();
    b.send(70, 'session.update', { session: { audio: { output: { format: { type: 'audio/pcm', rate: 24000 } } } } });
    b.recv(90, 'session.updated', { session: { audio: { output: { format: { type: 'audio/pcm', rate: 24000 } } } } });
    expect(turnFindings(analyze(withTurn(b, { pcm: SIX_S, transcript: 'One two three.' })))).toEqual([]);
  });

  it('a cut leaving 1/6 of the audio while the transcript goes on is audio_truncated, not a format', () => {
    const { b } = oneTurn({ pcm: SIX_S, transcript: COUNT, keepBytes: SIX_S.length / 6 }, NO_EXPECT);
    expect(turnFindings(analyze(b)).map((f) => f.code)).toEqual(['audio_truncated']);
  });
});

/** One manual turn at t = 100 after whatever `b` already holds, closed by the probe. */
function withTurn(b: TraceBuilder, spec: Omit<AnswerSpec, 'turn' | 'at'>): TraceBuilder {
  const p = answer(b, { turn: 1, at: 100, ...spec });
  return b.close(p.endAt + 5, 1000, 'probe finished', 'client').sessionEnd(p.endAt + 6);
}
