import { describe, expect, it } from 'vitest';
import { analyze, oneTurn, turnFindings } from './helpers.js';
import { speech, type TraceBuilder } from './traceBuilder.js';

const NO_EXPECT = { prompts: [{ id: 'p', expect: [] }] };

/** 6 s of audio in 200 ms deltas every 50 ms from 510; after the 20th delta (at 1460) nothing until `resumeAt`. */
function gapTurn(resumeAt: number): TraceBuilder {
  const times = Array.from({ length: 30 }, (_, i) => (i < 20 ? 510 + i * 50 : resumeAt + (i - 20) * 50));
  return oneTurn({ pcm: speech(6000), transcript: 'One two three four five six.', times }, NO_EXPECT).b;
}

describe('probe_stall: the canary blocked itself', () => {
  it('a 5 s "stall" that the probe\'s own blocked event loop explains is reported as such and does not fail', () => {
    const b = gapTurn(6460);
    b.turn = 1;
    b.add(6455, { kind: 'probe-stall', durationMs: 4900 });
    b.add(8000, { kind: 'loop-delay', p50Ms: 0.4, p99Ms: 12.3, maxMs: 4900 });
    const a = analyze(b);
    expect(turnFindings(a)).toEqual([
      {
        code: 'probe_stall',
        severity: 'minor',
        turn: 1,
        durationMs: 4900,
        traceMs: 1555,
        message:
          'The canary itself was blocked for 4.9 s (its event loop did not run) at 6.4 s into the turn; that explains 4.9 s of the 5.0 s without audio, which is not counted against the service.',
      },
    ]);
    expect(a.turns[0]!.verdict).toBe('pass');
    expect(a.turns[0]!.metrics!.probe).toEqual({
      loopDelay: { p50Ms: 0.4, p99Ms: 12.3, maxMs: 4900 },
      stalls: [{ traceMs: 6455, durationMs: 4900 }],
      serverPings: 0,
    });
  });

  it('the same gap without a probe stall is a major service stall; with pings in it, the service was alive but silent', () => {
    const b = gapTurn(6460);
    b.turn = 1;
    b.add(3000, { kind: 'ping', from: 'server' });
    const f = turnFindings(analyze(b)).find((x) => x.code === 'delivery_stall')!;
    expect([f.severity, f.durationMs]).toEqual(['major', 5000]);
    expect(f.message).toBe(
      "No audio for 5.0 s after 4.0 s of the answer had arrived; the listener's buffer ran dry for 1.9 s; server pings kept arriving (1): the service was alive but silent.",
    );
  });

  it('a probe stall covering only part of a gap leaves the service its share', () => {
    // 5 s gap, the probe blocked for 420 ms of it: 4.6 s are the service's.
    const b = gapTurn(6460);
    b.turn = 1;
    b.add(3000, { kind: 'probe-stall', durationMs: 420 });
    const f = turnFindings(analyze(b));
    expect(f.map((x) => [x.code, x.severity, x.durationMs])).toEqual([
      ['delivery_stall', 'major', 4580],
      ['playback_underrun', 'major', 1850], // the listener ran dry at 4610, after the probe's stall: all the service's
      ['probe_stall', 'minor', 420],
    ]);
    expect(f[0]!.message).toContain('No audio for 4.6 s (420 ms of it the canary itself was blocked)');
    expect(f[2]!.message).toContain('The canary itself was blocked for 420 ms');
  });

  it('an underrun the probe explains is not a dropout of the service', () => {
    // One 300 ms dropout (a 590 ms delivery gap) while the probe was blocked for 350 ms.
    const times = [510, 1100, ...Array.from({ length: 8 }, (_, i) => 1150 + i * 50)];
    const { b } = oneTurn({ pcm: speech(2000), transcript: 'One two three.', times }, NO_EXPECT);
    b.turn = 1;
    b.add(1100, { kind: 'probe-stall', durationMs: 350 });
    const f = turnFindings(analyze(b));
    expect(f.map((x) => [x.code, x.severity])).toEqual([['probe_stall', 'minor']]);
    expect(f[0]!.message).toContain("that explains 290 ms of the listener's 290 ms dropout at 0.2 s into the answer");
  });

  it('a long probe stall that explains nothing is info; short ones are not reported', () => {
    const b = gapTurn(1510);
    b.turn = 1;
    b.add(700, { kind: 'probe-stall', durationMs: 60 });
    b.add(1200, { kind: 'probe-stall', durationMs: 250 });
    const f = turnFindings(analyze(b));
    expect(f.map((x) => [x.code, x.severity, x.durationMs])).toEqual([['probe_stall', 'info', 250]]);
    expect(f[0]!.message).toContain('events that arrived meanwhile were stamped late');
  });

  it('no probe entries: the probe metrics are empty, not missing', () => {
    expect(analyze(gapTurn(1510)).turns[0]!.metrics!.probe).toEqual({ loopDelay: null, stalls: [], serverPings: 0 });
  });
});

describe('keepalive during a setup stall', () => {
  it('session.updated never comes but the server kept pinging: said so', async () => {
    const { TraceBuilder } = await import('./traceBuilder.js');
    const b = new TraceBuilder().connect();
    b.send(70, 'session.update');
    b.add(20_300, { kind: 'ping', from: 'server' });
    b.add(10_070, { kind: 'pong', from: 'client' });
    b.add(30_070, { kind: 'timeout', scope: 'session-updated', waitingFor: 'session.updated', afterMs: 30_000 });
    b.turn = 1;
    b.endTurn(30_071, 'skipped').sessionEnd(30_072, 'stalled');
    expect(analyze(b).findings.map((f) => f.message)).toEqual([
      'session.updated did not arrive within 30.0 s; no turn could start; server pings kept arriving (1): the service was alive but silent.',
    ]);
  });
});
