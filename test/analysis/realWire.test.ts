import { describe, expect, it } from 'vitest';
import { buildReport } from '../../src/analysis/report.js';
import { analyze, COUNT, turnFindings } from './helpers.js';
import { burstTimes, realSession } from './realWire.js';
import { concat, noise, speech, tone, TraceBuilder, BYTES_PER_MS } from './traceBuilder.js';

const failing = (a: ReturnType<typeof analyze>) =>
  a.turns.flatMap((t) => t.findings.filter((f) => f.severity === 'critical' || f.severity === 'major'));

describe('the real GA wire, first run, no history', () => {
  it('healthy real-shaped answers (370 ms deltas in bursts, 20 tokens/s + overhead): pass, coverage ≈ 100 %', () => {
    const b = realSession([
      { pcm: speech(10_000), transcript: COUNT },
      { pcm: speech(6290), transcript: 'Counting to twenty takes a while, so let me think through it first.' },
    ]);
    const a = analyze(b);
    expect(a.turns.map((t) => [t.verdict, t.findings])).toEqual([
      ['pass', []],
      ['pass', []],
    ]);
    expect(
      a.turns.map((t) => [t.metrics!.audio.deltas, t.metrics!.usage.outputAudioTokens, t.metrics!.coverage.usageRatio]),
    ).toEqual([
      [28, 203, 1],
      [17, 129, 0.998],
    ]);
    expect(a.turns[0]!.metrics!.coverage).toMatchObject({ audioTokensPerSecond: 20, audioTokensSource: 'default' });
    expect([a.findings, a.verdict]).toEqual([[], 'pass']);
  });

  it('the last 2 deltas (740 ms) never arrive, transcript and usage complete: audio_truncated on that turn only', () => {
    // Turn 2 of 3; the transcript ran ahead, so nothing of it trails the audio: the usage alone must tell.
    // 9990 ms in 27 deltas of 370 ms; usage 200 + 3 tokens.
    const b = realSession([
      { pcm: speech(9990), transcript: COUNT },
      { pcm: speech(9990), transcript: COUNT, dropLast: 2 },
      { pcm: speech(9990), transcript: COUNT },
    ]);
    const a = analyze(b);
    expect(a.turns.map((t) => t.verdict)).toEqual(['pass', 'fail', 'pass']);
    const m = a.turns[1]!.metrics!;
    expect([
      m.audio.totalMs,
      m.coverage.trailingTranscriptChars,
      m.coverage.usageImpliedMs,
      m.coverage.usageRatio,
    ]).toEqual([9250, 0, 10_000, 0.925]);
    expect(turnFindings(a, 2)).toEqual([
      {
        code: 'audio_truncated',
        severity: 'major',
        turn: 2,
        atMs: 9250,
        durationMs: 750,
        message:
          'The audio ends at 9.3 s, about 750 ms short: usage reports 203 audio tokens ≈ 10.0 s (received 93 %).',
      },
    ]);
  });

  it('the last 2 deltas of a 30 s answer are still caught, with 0 or 8 tokens of overhead instead of the assumed 3', () => {
    // 29 970 ms in 81 deltas; 2 lost = 740 ms, 29 230 ms received. Usage: 599 tokens of audio (29 950 ms) + the overhead;
    // the analysis takes 3 tokens off, so 0 overhead tokens read as 570 ms missing and 8 as 970 ms.
    for (const overhead of [0, 3, 8]) {
      const b = realSession([
        { pcm: speech(29_970), transcript: `${COUNT} ${COUNT} ${COUNT}`, dropLast: 2, audioTokens: 599 + overhead },
      ]);
      expect(turnFindings(analyze(b)).map((f) => [f.code, f.durationMs])).toEqual([
        ['audio_truncated', 720 + (overhead - 3) * 50],
      ]);
    }
  });

  it('healthy 30 s answers with 0 or 8 tokens of overhead do not fail', () => {
    for (const overhead of [0, 8]) {
      const b = realSession([
        { pcm: speech(29_970), transcript: `${COUNT} ${COUNT} ${COUNT}`, audioTokens: 599 + overhead },
      ]);
      expect(turnFindings(analyze(b))).toEqual([]);
    }
  });

  it('bursty delivery far ahead of real time: 9 deltas of 370 ms within 300 ms, then the rest, no failing finding', () => {
    // 30 s of speech with natural pauses of up to 900 ms; 82 deltas in bursts of 9 with 250 ms pauses: ~3 s for 30 s of audio.
    const pattern = [
      [300, 120],
      [260, 900],
      [340, 800],
      [280, 100],
      [320, 600],
    ] as const;
    const b = realSession([{ pcm: speech(30_000, pattern), transcript: `${COUNT} ${COUNT} ${COUNT}` }]);
    const a = analyze(b);
    expect(failing(a)).toEqual([]);
    expect(a.turns[0]!.metrics!.silence.longestSilentRunMs).toBe(900);
    expect(a.turns[0]!.metrics!.playback.underruns).toEqual([]);
  });

  it('a burst, then a 4 s wait with 3.3 s buffered: the stall and the dropout are measured to the millisecond', () => {
    // 9 deltas of 370 ms at 0–300 ms, the remaining 9 after a 4 s pause (the first at +4300).
    const times = [...burstTimes(9), ...burstTimes(9).map((t) => t + 4300)];
    const b = realSession(
      [{ pcm: speech(6660), transcript: 'One two three four five six seven eight nine ten.', times }],
      { prompts: [{ id: 'p', expect: [] }] },
    );
    const a = analyze(b);
    const stall = turnFindings(a).find((f) => f.code === 'delivery_stall')!;
    expect([stall.severity, stall.durationMs, stall.atMs]).toEqual(['major', 4000, 3330]);
    // Playback starts at the first delta + 100 ms and runs dry 3330 ms later (at +3430); audio resumes at +4300.
    expect(a.turns[0]!.metrics!.playback.underruns).toEqual([
      { atMs: 3330, traceMs: expect.any(Number), durationMs: 870 },
    ]);
  });

  it('a 1.5 s silent gap inside bursty 370 ms deltas is measured exactly, whatever the delta boundaries', () => {
    const pcm = concat(speech(4111), noise(1500, -60), speech(4389));
    const b = realSession([{ pcm, transcript: COUNT }]);
    expect(turnFindings(analyze(b)).map((f) => [f.code, f.atMs, f.durationMs])).toEqual([['silent_gap', 4111, 1500]]);
  });

  it('the report of a real-shaped session labels the OpenAI ids: session, cf-ray, responses, items; no invented x-request-id', () => {
    const b = realSession([{ pcm: speech(3000), transcript: 'One. Two. Three.' }], {
      prompts: [{ id: 'p', expect: [] }],
    });
    const trace = b.build();
    const report = buildReport(trace, analyze(b));
    expect(report.correlation).toMatchObject({
      sessionId: 'sess_Ct1OVZ9vNW62W3cUpSCqj',
      requestIds: { 'cf-ray': '9a1b2c3d4e5f6789-MAA' },
    });
    expect(Object.keys(report.correlation.requestIds)).not.toContain('x-request-id');
    expect(report.correlation.responseIds).toEqual(['resp_Ct1Ok1hbgNQBuFX2HeE0P9']);
    expect(report.correlation.itemIds).toEqual(['item_Ct1Ok1NEvGW5s0xZERnV95', 'item_user1']);
  });
});

describe('ids normalized by the recorder', () => {
  it('RecvEntry.responseId / itemId are what analysis groups by, with the event fields as the fallback', () => {
    // The recorder's ids win over (missing) event fields: two responses told apart only by them.
    const b = new TraceBuilder({ prompts: [{ id: 'p', expect: [] }] }).connect();
    b.startTurn(100, 1).send(110, 'response.create');
    const pcm = tone(1000);
    for (const [i, rid] of [
      [0, 'resp_a'],
      [1, 'resp_b'],
    ] as const) {
      const t = 200 + i * 1000;
      b.add(t, {
        kind: 'recv',
        type: 'response.created',
        wireType: 'response.created',
        size: 50,
        responseId: rid,
        event: { type: 'response.created' },
      });
      b.delta(t + 10, pcm, rid, `item_${rid}`);
      const last = b.entries[b.entries.length - 1]!;
      if (last.kind === 'recv') {
        last.event = { type: last.type };
        last.audio = { ...last.audio!, responseId: undefined, itemId: undefined };
        last.responseId = rid;
        last.itemId = `item_${rid}`;
      }
      b.add(t + 20, {
        kind: 'recv',
        type: 'response.output_audio.done',
        wireType: 'response.output_audio.done',
        size: 50,
        responseId: rid,
        itemId: `item_${rid}`,
        event: { type: 'response.output_audio.done' },
      });
      b.add(t + 30, {
        kind: 'recv',
        type: 'response.done',
        wireType: 'response.done',
        size: 50,
        responseId: rid,
        event: { type: 'response.done', response: { status: 'completed' } },
      });
    }
    b.endTurn(2500).close(2510, 1000, '', 'client');
    const t = analyze(b).turns[0]!;
    expect([t.responseIds, t.itemIds]).toEqual([
      ['resp_a', 'resp_b'],
      ['item_resp_a', 'item_resp_b'],
    ]);
    expect(
      t.metrics!.terminal.responses.map((r) => [r.responseId, r.responseDone, r.items.map((i) => i.audioDone)]),
    ).toEqual([
      ['resp_a', true, [true]],
      ['resp_b', true, [true]],
    ]);
    expect(t.findings).toEqual([]);
  });
});

void BYTES_PER_MS;
