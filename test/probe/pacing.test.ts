/**
 * Real-time pacing and the probe's own loop delay, against a loopback server: appends follow the audio clock
 * (chunk k at t0 + k·chunkMs) without drift, VAD trailing silence included; burst mode does not wait; a 300 ms
 * block of the event loop during a turn becomes a `probe-stall` entry and shows in the turn's `loop-delay`.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { WebSocket } from 'ws';
import { resolveEndpoint } from '../../src/realtime/flavours.js';
import type { ProbeOptions } from '../../src/probe/options.js';
import { runProbe } from '../../src/probe/session.js';
import { entriesOfKind, type SendEntry, type Trace } from '../../src/trace/trace.js';
import { hostileServer, type Hostile } from './hostileServer.js';

let server: Hostile | undefined;
afterEach(async () => server?.close());

/** Answers response.create (or VAD speech end after `vadAfter` appends) with a short response. */
function answering(onCreate: (ws: WebSocket) => void = () => undefined) {
  return (ws: WebSocket): void => {
    ws.send(JSON.stringify({ type: 'session.created', session: { id: 'sess_p' } }));
    let n = 0;
    ws.on('message', (m) => {
      const ev = JSON.parse(String(m)) as {
        type: string;
        session?: { audio?: { input?: { turn_detection?: unknown } } };
      };
      if (ev.type === 'session.update') ws.send(JSON.stringify({ type: 'session.updated', session: {} }));
      if (ev.type !== 'response.create') return;
      const id = `resp_${++n}`;
      ws.send(JSON.stringify({ type: 'response.created', response: { id } }));
      onCreate(ws);
      setTimeout(() => ws.send(JSON.stringify({ type: 'response.done', response: { id, status: 'completed' } })), 600);
    });
  };
}

const opts = (pcmMs: number, o: Partial<ProbeOptions>): ProbeOptions => ({
  prompts: [{ id: 'p', text: 'p', answer: undefined, expect: [], pcm: Buffer.alloc(48 * pcmMs, 1) }],
  turns: 1,
  turnTimeoutMs: 5000,
  settleMs: 20,
  ...o,
});
const appends = (trace: Trace): SendEntry[] =>
  entriesOfKind(trace, 'send').filter((s) => s.type === 'input_audio_buffer.append');

describe('prompt pacing', () => {
  it('real time: append k leaves at t0 + k·chunkMs, within a few ms, without drift', async () => {
    server = await hostileServer({ onConnection: answering() });
    const trace = await runProbe(
      { name: 'pace', endpoint: resolveEndpoint({ endpoint: server.url }), auth: { mode: 'none' } },
      opts(1500, { chunkMs: 20 }),
    );
    expect(trace.meta.options.pace).toBe('realtime');
    const sent = appends(trace);
    expect(sent).toHaveLength(75);
    const t0 = entriesOfKind(trace, 'turn-start')[0]!.t; // the turn's audio clock starts here
    const errors = sent.map((s, k) => s.t - t0 - k * 20);
    expect(Math.min(...errors)).toBeGreaterThanOrEqual(-0.5); // never early
    expect(Math.max(...errors)).toBeLessThan(100); // one late tick on a loaded machine is noise, not drift (median and tail below catch drift)
    const median = [...errors].sort((a, b) => a - b)[Math.floor(errors.length / 2)]!;
    expect(median).toBeLessThan(5);
    // no drift: the last chunks are as close to their due time as the rest (relative sleeps would be ~80 ms late here)
    const tail = errors.slice(-10).reduce((a, b) => a + b, 0) / 10;
    expect(tail).toBeLessThan(10);
    console.log(
      `real-time pacing, 75 × 20 ms: max lateness ${Math.max(...errors).toFixed(2)} ms, mean of the last 10 ${tail.toFixed(2)} ms`,
    );
    expect(sent.map((s) => s.audioRef!.offset)).toEqual(sent.map((_, k) => k * 20 * 48));
  });

  it('real time with server VAD: the trailing silence is paced on the same clock', async () => {
    server = await hostileServer({
      onConnection: (ws) => {
        ws.send(JSON.stringify({ type: 'session.created', session: { id: 'sess_v' } }));
        let appended = 0;
        ws.on('message', (m) => {
          const ev = JSON.parse(String(m)) as { type: string };
          if (ev.type === 'session.update') ws.send(JSON.stringify({ type: 'session.updated', session: {} }));
          if (ev.type === 'input_audio_buffer.append' && ++appended === 16) {
            // prompt (400 ms) + all of the 1200 ms silence
            ws.send(JSON.stringify({ type: 'response.created', response: { id: 'resp_v' } }));
            ws.send(JSON.stringify({ type: 'response.done', response: { id: 'resp_v', status: 'completed' } }));
          }
        });
      },
    });
    const trace = await runProbe(
      { name: 'vad', endpoint: resolveEndpoint({ endpoint: server.url }), auth: { mode: 'none' } },
      opts(400, { turnDetection: 'server_vad' }),
    );
    const sent = appends(trace);
    expect(sent).toHaveLength(16);
    const t0 = sent[0]!.t;
    sent.forEach((s, k) => expect(s.t - t0 - k * 100).toBeLessThan(30));
    expect(sent[15]!.t - t0).toBeGreaterThanOrEqual(1499);
    expect(entriesOfKind(trace, 'turn-end')[0]!.outcome).toBe('response-done');
  });

  it('burst: the whole prompt goes out at once and the trace says so', async () => {
    server = await hostileServer({ onConnection: answering() });
    const trace = await runProbe(
      { name: 'burst', endpoint: resolveEndpoint({ endpoint: server.url }), auth: { mode: 'none' } },
      opts(1500, { pace: 'burst', chunkMs: 20 }),
    );
    const sent = appends(trace);
    expect(trace.meta.options.pace).toBe('burst');
    expect(sent[sent.length - 1]!.t - sent[0]!.t).toBeLessThan(750); // half the audio's duration
  });

  it('refuses chunks outside 20–100 ms', async () => {
    await expect(
      runProbe(
        {
          name: 'x',
          endpoint: resolveEndpoint({ endpoint: 'ws://127.0.0.1:9/v1/realtime?model=m' }),
          auth: { mode: 'none' },
        },
        opts(100, { chunkMs: 200 }),
      ),
    ).rejects.toThrow(/chunkMs must be 20–100/);
  });
});

describe("the probe's own event-loop delay", () => {
  it('a 300 ms block of the loop during a turn is a probe-stall entry, and the turn loop-delay shows it', async () => {
    let blockedAt = 0;
    server = await hostileServer({
      onConnection: answering(() =>
        setTimeout(() => {
          const until = performance.now() + 300;
          blockedAt = performance.now();
          while (performance.now() < until) {
            /* block the loop, as a busy neighbour would */
          }
        }, 100),
      ),
    });
    const trace = await runProbe(
      { name: 'stall', endpoint: resolveEndpoint({ endpoint: server.url }), auth: { mode: 'none' } },
      opts(200, { pace: 'burst' }),
    );
    expect(blockedAt).toBeGreaterThan(0);
    const stalls = entriesOfKind(trace, 'probe-stall');
    const big = stalls.filter((s) => s.durationMs >= 250);
    expect(big).toHaveLength(1);
    expect(big[0]!.turn).toBe(1);
    expect(big[0]!.durationMs).toBeLessThan(400);
    const delay = entriesOfKind(trace, 'loop-delay');
    expect(delay).toHaveLength(1);
    expect(delay[0]!.maxMs).toBeGreaterThanOrEqual(250);
    expect(delay[0]!.p50Ms).toBeLessThan(50);
    const end = entriesOfKind(trace, 'turn-end')[0]!;
    expect(delay[0]!.t).toBeGreaterThanOrEqual(big[0]!.t);
    expect(delay[0]!.t).toBeLessThanOrEqual(end.t);
  });
});
