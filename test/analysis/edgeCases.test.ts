import { describe, expect, it } from 'vitest';
import { analyze, COUNT, oneTurn, turnFindings } from './helpers.js';
import { answer, concat, silence, speech, TraceBuilder } from './traceBuilder.js';

const NO_EXPECT = { prompts: [{ id: 'p', expect: [] }] };

describe('two audio items in one response', () => {
  it("item 1's audio .done arriving after item 2's deltas started is healthy", () => {
    const b = new TraceBuilder(NO_EXPECT).connect();
    b.startTurn(100, 1)
      .send(110, 'response.create')
      .recv(130, 'response.created', { response: { id: 'resp_1' } });
    const [a, c] = [speech(1000), speech(1000)];
    const ids = (item: string) => ({ response_id: 'resp_1', item_id: item });
    b.recv(509, 'response.output_audio_transcript.delta', { ...ids('item_a'), delta: 'One two.' });
    for (let i = 0; i < 5; i++) b.delta(510 + i * 50, a.subarray(i * 9600, (i + 1) * 9600), 'resp_1', 'item_a');
    b.recv(759, 'response.output_audio_transcript.delta', { ...ids('item_b'), delta: 'Three four.' });
    b.delta(760, c.subarray(0, 9600), 'resp_1', 'item_b').delta(810, c.subarray(9600, 19_200), 'resp_1', 'item_b');
    b.recv(811, 'response.output_audio.done', ids('item_a')).recv(812, 'response.output_audio_transcript.done', {
      ...ids('item_a'),
      transcript: 'One two.',
    });
    for (let i = 2; i < 5; i++) b.delta(810 + (i - 1) * 50, c.subarray(i * 9600, (i + 1) * 9600), 'resp_1', 'item_b');
    b.recv(961, 'response.output_audio.done', ids('item_b')).recv(962, 'response.output_audio_transcript.done', {
      ...ids('item_b'),
      transcript: 'Three four.',
    });
    b.recv(963, 'response.done', {
      response: { id: 'resp_1', status: 'completed', usage: { output_token_details: { audio_tokens: 20 } } },
    });
    b.endTurn(1263).close(1270, 1000, '', 'client');
    const r = analyze(b);
    const t = r.turns[0]!;
    expect([t.findings, t.verdict, t.itemIds]).toEqual([[], 'pass', ['item_a', 'item_b']]);
    expect(t.metrics!.audio).toMatchObject({ totalMs: 2000, bytes: 96_000, deltas: 10, oddLengthDeltas: 0, items: 2 });
    expect(t.metrics!.transcript.text).toBe('One two. Three four.');
    expect(t.metrics!.terminal).toMatchObject({
      audioDone: true,
      responseDone: true,
      deltasAfterAudioDone: 0,
      audioAfterDoneMs: 0,
      lastDeltaToDoneMs: 3,
    });
    expect(t.metrics!.terminal.responses[0]!.items).toEqual([
      {
        itemId: 'item_a',
        audioMs: 1000,
        deltas: 5,
        audioDone: true,
        deltasAfterDone: 0,
        audioAfterDoneMs: 0,
        maxLatenessMs: null,
      },
      {
        itemId: 'item_b',
        audioMs: 1000,
        deltas: 5,
        audioDone: true,
        deltasAfterDone: 0,
        audioAfterDoneMs: 0,
        maxLatenessMs: null,
      },
    ]);
  });
});

describe('audio deltas after audio .done', () => {
  /** 2 s of speech in 10 deltas; audio .done after the 8th; the last two deltas `lateMs` after it. */
  function lateTurn(lateMs: number): TraceBuilder {
    const b = new TraceBuilder(NO_EXPECT).connect();
    const pcm = speech(2000);
    b.startTurn(100, 1)
      .send(110, 'response.create')
      .recv(130, 'response.created', { response: { id: 'resp_1' } });
    for (let i = 0; i < 8; i++) b.delta(510 + i * 50, pcm.subarray(i * 9600, (i + 1) * 9600));
    b.recv(870, 'response.output_audio.done', { response_id: 'resp_1', item_id: 'item_1' });
    b.delta(870 + lateMs, pcm.subarray(8 * 9600, 9 * 9600)).delta(870 + lateMs, pcm.subarray(9 * 9600));
    b.recv(871 + lateMs, 'response.done', {
      response: { id: 'resp_1', status: 'completed', usage: { output_token_details: { audio_tokens: 20 } } },
    });
    return b.endTurn(1200 + lateMs).close(1210 + lateMs, 1000, '', 'client');
  }

  it('within the 500 ms grace period: measured, not a fault', () => {
    const t = analyze(lateTurn(300)).turns[0]!;
    expect(t.metrics!.terminal).toMatchObject({ audioDone: true, deltasAfterAudioDone: 2, audioAfterDoneMs: 400 });
    expect(t.metrics!.terminal.responses[0]!.items[0]).toMatchObject({
      deltasAfterDone: 2,
      audioAfterDoneMs: 400,
      maxLatenessMs: 300,
    });
    expect([t.findings, t.verdict]).toEqual([[], 'pass']);
  });

  it('beyond the grace period: audio_truncated for a client that stops at .done', () => {
    expect(turnFindings(analyze(lateTurn(700)))).toEqual([
      {
        code: 'audio_truncated',
        severity: 'major',
        turn: 1,
        atMs: 1600,
        durationMs: 400,
        traceMs: 870,
        message:
          '400 ms of audio (2 deltas) arrived up to 700 ms after the audio .done of item item_1, beyond the 500 ms grace period; a client that stops at .done loses it.',
      },
    ]);
    expect(turnFindings(analyze(lateTurn(700), { audioDoneGraceMs: 800 }))).toEqual([]);
  });
});

describe('empty transcript', () => {
  it('no transcript events: no ratio, no crash, and the expected word cannot be found', () => {
    const t = analyze(oneTurn({ pcm: speech(10_000), transcript: '' }).b).turns[0]!;
    expect(t.metrics!.transcript).toEqual({ text: '', length: 0, source: 'none' });
    expect(t.metrics!.coverage).toMatchObject({
      transcriptImpliedMs: null,
      transcriptRatio: null,
      trailingTranscriptChars: 0,
      usageRatio: 1,
    });
    expect(t.findings).toEqual([
      {
        code: 'expected_content_missing',
        severity: 'major',
        turn: 1,
        message: 'The transcript is empty, so “twenty” could not be found.',
      },
    ]);
  });

  it('with nothing expected, an empty transcript alone is no finding', () => {
    expect(turnFindings(analyze(oneTurn({ pcm: speech(10_000), transcript: '' }, NO_EXPECT).b))).toEqual([]);
  });
});

describe('odd-length deltas', () => {
  it('every delta odd: counted, and the gap is still measured on whole samples', () => {
    const pcm = concat(speech(4100), silence(2300), speech(3600));
    const t = analyze(oneTurn({ pcm, transcript: COUNT, chunkBytes: 9601 }).b).turns[0]!;
    expect(t.metrics!.audio).toMatchObject({ totalMs: 10_000, bytes: 480_000, deltas: 50, oddLengthDeltas: 50 });
    expect(t.findings.map((f) => [f.code, f.atMs, f.durationMs])).toEqual([['silent_gap', 4100, 2300]]);
  });

  it('an odd total byte count never crashes', () => {
    const t = analyze(
      oneTurn(
        { pcm: concat(speech(2000), Buffer.from([0x41])), transcript: 'One two three.', chunkBytes: 9601 },
        NO_EXPECT,
      ).b,
    ).turns[0]!;
    expect(t.metrics!.audio).toMatchObject({ totalMs: 2000, bytes: 96_001, deltas: 10, oddLengthDeltas: 9 });
    expect(t.metrics!.silence).toMatchObject({ speechStartMs: 0, speechEndMs: 2000, gaps: [] });
  });
});

describe('text-only responses when configured', () => {
  it('no audio is expected, so no_audio is not a fault; the text is the transcript', () => {
    const a = analyze(oneTurn({ pcm: speech(10_000), transcript: COUNT, modality: 'text' }, { modality: 'text' }).b);
    const t = a.turns[0]!;
    expect(t.metrics!.transcript).toEqual({ text: COUNT, length: 151, source: 'output_text' });
    expect(t.itemIds).toEqual(['item_1']);
    expect(t.metrics!.audio.bytes).toBe(0);
    expect(t.metrics!.timing.firstAudioMs).toBeNull();
    expect([t.findings, t.verdict, a.verdict]).toEqual([[], 'pass', 'pass']);
  });

  it('but the same response in audio mode is no_audio', () => {
    const a = analyze(oneTurn({ pcm: speech(10_000), transcript: COUNT, modality: 'text' }).b);
    expect(turnFindings(a).map((f) => f.code)).toEqual(['no_audio']);
  });
});

describe('turns skipped after the session ended', () => {
  it('the session stalled in turn 1 (cancel unanswered): turns 2 and 3 are error, the run fails', () => {
    const b = new TraceBuilder().connect();
    answer(b, { turn: 1, at: 100, pcm: speech(3000), transcript: 'One two three.', omitResponseDone: true });
    b.add(30_110, { kind: 'timeout', scope: 'turn', waitingFor: 'response.done', afterMs: 30_000 }).endTurn(
      30_110,
      'timeout',
    );
    b.send(30_111, 'response.cancel', {}, { byProbe: 'turn-timeout' });
    b.add(32_111, { kind: 'timeout', scope: 'cancel', waitingFor: 'response.done', afterMs: 2000 });
    for (const turn of [2, 3]) b.add(32_112, { kind: 'turn-end', outcome: 'skipped' }, turn);
    b.sessionEnd(32_113, 'stalled').close(32_200, 1000, 'probe finished', 'client');
    const a = analyze(b);
    expect(a.turns.map((t) => [t.turn, t.outcome, t.verdict, t.metrics === null])).toEqual([
      [1, 'timeout', 'fail', false],
      [2, 'skipped', 'error', true],
      [3, 'skipped', 'error', true],
    ]);
    expect(turnFindings(a).map((f) => [f.code, f.severity, f.durationMs])).toEqual([
      ['missing_response_done', 'critical', 30_000],
      ['delivery_stall', 'major', 28_898],
    ]);
    expect(turnFindings(a, 2)).toEqual([]);
    expect(a.verdict).toBe('fail');
  });

  it('an aborted run with nothing wrong is error, not pass', () => {
    const b = new TraceBuilder().connect();
    const p = answer(b, { turn: 1, at: 100, pcm: speech(10_000), transcript: COUNT });
    b.add(p.endAt + 1, { kind: 'turn-end', outcome: 'skipped' }, 2)
      .sessionEnd(p.endAt + 2, 'aborted')
      .close(p.endAt + 3, 1000, '', 'client');
    const a = analyze(b);
    expect(a.turns.map((t) => t.verdict)).toEqual(['pass', 'error']);
    expect(a.verdict).toBe('error');
  });
});
