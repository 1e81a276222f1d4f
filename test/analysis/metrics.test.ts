import { describe, expect, it } from 'vitest';
import type { TurnMetrics } from '../../src/analysis/metrics.js';
import { healthySession, silence, speech, TraceBuilder } from './traceBuilder.js';
import { analyze, COUNT, gapInTurn2Of3, oneTurn } from './helpers.js';

const oneTurn1 = (spec: Parameters<typeof oneTurn>[0]): TraceBuilder => oneTurn(spec).b;

function metricsOf(b: TraceBuilder, turn = 1): TurnMetrics {
  const m = analyze(b).turns[turn - 1]!.metrics;
  if (!m) throw new Error('no metrics');
  return m;
}

describe('metrics of a healthy turn (10 s of speech in 50 deltas of 200 ms, every 50 ms)', () => {
  const m = metricsOf(healthySession(speech(10_000), COUNT).b);

  it('timing from response.create', () => {
    expect(m.timing).toEqual({
      anchor: 'response.create',
      anchorTraceMs: 110,
      firstAudioMs: 400,
      responseDoneMs: 2853,
      // A non-reasoning answer is all final answer: it begins with the first audio, and nobody reasoned aloud.
      finalAnswerMs: 400,
      reasoningMs: null,
    });
  });

  it('audio, transcript and usage', () => {
    expect(m.audio).toEqual({
      totalMs: 10_000,
      bytes: 480_000,
      deltas: 50,
      oddLengthDeltas: 0,
      items: 1,
      repeated: { deltas: 0, ms: 0, firstAtMs: null },
      requestedFormat: null,
      declaredFormat: null,
    });
    expect(m.transcript).toEqual({ text: COUNT, length: 151, source: 'audio_transcript' });
    expect(m.usage).toEqual({ outputAudioTokens: 203, outputTextTokens: 20, ignored: [] });
  });

  it('silence: natural pauses only', () => {
    expect(m.silence).toEqual({
      thresholdDbfs: -50,
      frameMs: 20,
      speechStartMs: 0,
      speechEndMs: 10_000,
      trailingSilenceMs: 0,
      gaps: [],
      longestSilentRunMs: 800,
    });
  });

  it('delivery, playback', () => {
    // response.create 110 → response.created 130 → first transcript delta 509.5: the longest event-less stretch.
    expect(m.delivery).toEqual({ audioGapMaxMs: 50, audioGapP95Ms: 50, eventGapMaxMs: 379.5 });
    expect(m.playback).toEqual({ jitterBufferMs: 100, underruns: [], totalUnderrunMs: 0 });
  });

  it('coverage at the default rates (15 characters/s, 20 audio tokens/s less 3 tokens of overhead)', () => {
    expect(m.coverage).toEqual({
      charsPerSecond: 15,
      charsPerSecondSource: 'default',
      transcriptImpliedMs: 10_066.7,
      transcriptRatio: 0.993,
      audioTokensPerSecond: 20,
      audioTokensSource: 'default',
      usageImpliedMs: 10_000,
      usageRatio: 1,
      usageBytesPerMs: 48,
      trailingTranscriptChars: 0,
      trailingTranscriptMs: 0,
    });
    expect(m.expected).toEqual({ terms: ['twenty'], found: ['twenty'], missing: [] });
  });

  it('terminal events and connection', () => {
    expect(m.terminal).toMatchObject({
      audioDone: true,
      responseDone: true,
      status: 'completed',
      statusDetails: null,
      lastDeltaToDoneMs: 3,
      deltasAfterAudioDone: 0,
      audioAfterDoneMs: 0,
    });
    expect(m.terminal.responses).toEqual([
      {
        responseId: 'resp_1',
        responseDone: true,
        status: 'completed',
        statusDetails: null,
        cancelledByProbe: false,
        lastDeltaToDoneMs: 3,
        items: [
          {
            itemId: 'item_1',
            audioMs: 10_000,
            deltas: 50,
            audioDone: true,
            deltasAfterDone: 0,
            audioAfterDoneMs: 0,
            maxLatenessMs: null,
          },
        ],
      },
    ]);
    expect(m.connection).toEqual({ errorEvents: [], invalidFrames: 0, closedDuringTurn: false });
  });
});

describe('delivery gaps and the playback model', () => {
  it('max and nearest-rank p95 of the gaps between deltas', () => {
    // 21 deltas: 19 gaps of 50 ms and one of 300 ms → p95 is the 19th of 20 sorted gaps.
    const times = Array.from({ length: 21 }, (_, i) => 510 + i * 50 + (i >= 11 ? 250 : 0));
    const m = metricsOf(oneTurn1({ pcm: speech(4200), transcript: 'One two three.', times }));
    expect(m.delivery.audioGapMaxMs).toBe(300);
    expect(m.delivery.audioGapP95Ms).toBe(50);
  });

  it('models every underrun with its position, start and length', () => {
    // 200 ms deltas at 510, 560, then 2000 and 2050, then 4000. Playback starts at 610; the listener reaches the end
    // of delta 1 at 1010 and waits until 2000 (990 ms); it then plays until 2400, reaches the end of delta 3 at 2400
    // and waits until 4000 (1600 ms).
    const m = metricsOf(
      oneTurn1({ pcm: speech(1000), transcript: 'One two three.', times: [510, 560, 2000, 2050, 4000] }),
    );
    expect(m.playback.underruns).toEqual([
      { atMs: 400, traceMs: 1010, durationMs: 990 },
      { atMs: 800, traceMs: 2400, durationMs: 1600 },
    ]);
    expect(m.playback.totalUnderrunMs).toBe(2590);
    expect(m.delivery).toEqual({ audioGapMaxMs: 1950, audioGapP95Ms: 1950, eventGapMaxMs: 1950 });
  });

  it('a larger jitter buffer absorbs a short gap', () => {
    const times = [510, 560, 1100, 1150, 1200];
    expect(metricsOf(oneTurn1({ pcm: speech(1000), transcript: 'One two.', times })).playback.underruns).toEqual([
      { atMs: 400, traceMs: 1010, durationMs: 90 },
    ]);
    const b = oneTurn1({ pcm: speech(1000), transcript: 'One two.', times });
    expect(analyze(b, { jitterBufferMs: 200 }).turns[0]!.metrics!.playback.underruns).toEqual([]);
  });
});

describe('time to first audio in server-VAD mode', () => {
  function vadTurn(withSpeechStopped: boolean): TraceBuilder {
    const b = new TraceBuilder({ turnDetection: 'server_vad' }).connect();
    b.startTurn(100, 1);
    for (let i = 0; i < 5; i++)
      b.send(100 + i * 100, 'input_audio_buffer.append', {}, { audioRef: { offset: i * 4800, bytes: 4800 } });
    if (withSpeechStopped) b.recv(900, 'input_audio_buffer.speech_stopped', { audio_end_ms: 400, item_id: 'item_in' });
    b.recv(950, 'response.created', { response: { id: 'resp_1' } });
    b.delta(1300, speech(400));
    b.recv(1301, 'response.output_audio.done', { response_id: 'resp_1', item_id: 'item_1' });
    b.recv(1310, 'response.done', { response: { id: 'resp_1', status: 'completed' } });
    b.endTurn(1600);
    return b;
  }

  it('is measured from the speech_stopped receive time', () => {
    expect(metricsOf(vadTurn(true)).timing).toEqual({
      anchor: 'speech_stopped',
      anchorTraceMs: 900,
      firstAudioMs: 400,
      responseDoneMs: 410,
      finalAnswerMs: 400,
      reasoningMs: null,
    });
  });

  it('falls back to the last append sent', () => {
    expect(metricsOf(vadTurn(false)).timing).toEqual({
      anchor: 'last_append',
      anchorTraceMs: 500,
      firstAudioMs: 800,
      responseDoneMs: 810,
      finalAnswerMs: 800,
      reasoningMs: null,
    });
  });
});

describe('coverage with a learned rate', () => {
  const history = (cps: number, tps: number, promptId = 'count-to-twenty', n = 5) => ({
    // Usage as the service reports it: the audio at `tps` plus the 3 tokens of per-item overhead.
    samples: Array.from({ length: n }, () => ({
      promptId,
      audioMs: 10_000,
      transcriptChars: cps * 10,
      outputAudioTokens: tps * 10 + 3,
    })),
  });

  it('uses the rates learned from the target history, per prompt first', () => {
    const b = healthySession(speech(10_000), COUNT).b;
    // A deployment that counts 25 tokens/s: the 200 audio tokens of this answer imply 8 s.
    const c = analyze(b, {}, history(12, 25)).turns[0]!.metrics!.coverage;
    expect(c).toMatchObject({
      charsPerSecond: 12,
      charsPerSecondSource: 'learned-prompt',
      transcriptImpliedMs: 12_583.3,
      transcriptRatio: 0.795,
    });
    expect(c).toMatchObject({
      audioTokensPerSecond: 25,
      audioTokensSource: 'learned-prompt',
      usageImpliedMs: 8000,
      usageRatio: 1.25,
    });
  });

  it('falls back to the whole target, then to the defaults', () => {
    const b = healthySession(speech(10_000), COUNT).b;
    expect(analyze(b, {}, history(12, 20, 'planets')).turns[0]!.metrics!.coverage.charsPerSecondSource).toBe(
      'learned-target',
    );
    expect(analyze(b, {}, history(12, 20, 'planets', 4)).turns[0]!.metrics!.coverage.charsPerSecondSource).toBe(
      'default',
    );
    expect(
      analyze(b, {}, { target: 'other-target', ...history(12, 20) }).turns[0]!.metrics!.coverage.charsPerSecondSource,
    ).toBe('default');
  });
});

describe('a silent gap shows in the metrics of its turn only', () => {
  it('turn 2 of 3', () => {
    const a = analyze(gapInTurn2Of3());
    expect(a.turns.map((t) => t.metrics!.silence.gaps)).toEqual([[], [{ atMs: 4100, durationMs: 2300 }], []]);
  });
});
