/**
 * Pages follow the listener (issue 20 §2): a delivery stall the playback model says was inaudible — the buffered
 * audio covered it — stays in the report as a minor finding and never fails a turn by itself; a stall the caller
 * hears still fails.
 */
import { describe, expect, it } from 'vitest';
import { analyze, oneTurn, turnFindings } from './helpers.js';
import { speech } from './traceBuilder.js';

const NO_EXPECT = { prompts: [{ id: 'p', expect: [] }] };

describe('a stall the listener never heard', () => {
  it('a 4 s gap between deltas while 6 s were buffered: minor, the turn passes', () => {
    // 40 deltas of 200 ms at 4× real time; after the 30th (6 s of audio by ~2 s), a 4 s wait.
    const times = Array.from({ length: 40 }, (_, i) => 510 + i * 50 + (i >= 30 ? 4000 : 0));
    const a = analyze(oneTurn({ pcm: speech(8000), transcript: 'One two three four five six.', times }, NO_EXPECT).b);
    expect(turnFindings(a).map((f) => [f.code, f.severity, f.durationMs])).toEqual([['delivery_stall', 'minor', 4050]]);
    expect(a.turns[0]!.metrics!.playback.underruns).toEqual([]);
    expect([a.turns[0]!.verdict, a.verdict]).toEqual(['pass', 'pass']);
  });

  it('a 4 s wait for response.done with 8 s of audio still playing: minor, the turn passes', () => {
    const a = analyze(
      oneTurn({ pcm: speech(8000), transcript: 'One two three four five six.', doneAfterMs: 4000 }, NO_EXPECT).b,
    );
    const found = turnFindings(a);
    expect(found.map((f) => [f.code, f.severity])).toEqual([['delivery_stall', 'minor']]);
    expect(found[0]!.message).toBe(
      'No server event at all for 4.0 s until response.done, after 8.0 s of audio; the buffered audio covered it.',
    );
    expect(a.turns[0]!.verdict).toBe('pass');
  });
});

describe('a stall the caller hears', () => {
  it('a 4 s gap with only 1 s buffered: major, with the dropout, and the turn fails', () => {
    const times = Array.from({ length: 40 }, (_, i) => 510 + i * 50 + (i >= 5 ? 4000 : 0));
    const a = analyze(oneTurn({ pcm: speech(8000), transcript: 'One two three four five six.', times }, NO_EXPECT).b);
    expect(turnFindings(a).map((f) => [f.code, f.severity])).toEqual([
      ['delivery_stall', 'major'],
      ['playback_underrun', 'major'],
    ]);
    expect(a.turns[0]!.verdict).toBe('fail');
  });

  it('a 4 s wait for response.done after a 1 s answer has played out: major, as before', () => {
    const a = analyze(oneTurn({ pcm: speech(1000), transcript: 'One two.', doneAfterMs: 4000 }, NO_EXPECT).b);
    expect(turnFindings(a).map((f) => [f.code, f.severity])).toEqual([['delivery_stall', 'major']]);
    expect(a.turns[0]!.verdict).toBe('fail');
  });
});
