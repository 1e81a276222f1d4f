/**
 * Real-time pacing and the probe's own loop delay, against a loopback server: appends follow the audio clock
 * (chunk k at t0 + k·chunkMs) — never early, in order, and a late chunk does not delay the rest (a 700 ms block
 * mid-prompt is caught up, where relative sleeps would carry it to the end), VAD trailing silence included; burst
 * mode does not wait; a 300 ms block of the event loop during a turn becomes a `probe-stall` entry and shows in the
 * turn's `loop-delay`. These hold on a busy machine: how *few* milliseconds late the chunks are is a speed target,
 * measured by `npm run bench:probe` (bench/pacing.ts), not asserted here.
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
  it('real time: append k leaves at t0 + k·chunkMs, never early, in order, every offset once', async () => {
    server = await hostileServer({ onConnection: answering() });
    const trace = await runProbe(
      { name: 'pace', endpoint: resolveEndpoint({ endpoint: server.url }), auth: { mode: 'none' } },
      opts(1500, { chunkMs: 20 }),
    );
    expect(trace.meta.options.pace).toBe('realtime');
    const sent = appends(trace);
    expect(sent).toHaveLength(75);
    expect(sent.map((s) => s.audioRef!.offset)).toEqual(sent.map((_, k) => k * 20 * 48));
    const t0 = entriesOfKind(trace, 'turn-start')[0]!.t; // the turn's audio clock starts here
    const late = sent.map((s, k) => s.t - t0 - k * 20);
    expect(Math.min(...late)).toBeGreaterThanOrEqual(-0.5); // never early: timers that fire early are waited out
    expect(sent.every((s, k) => k === 0 || s.t >= sent[k - 1]!.t)).toBe(true);
    // the whole prompt takes its audio's length: all 75 chunks cannot leave in the first half (burst would)
    expect(sent[74]!.t - t0).toBeGreaterThanOrEqual(74 * 20 - 0.5);
  });

  it('real time: a chunk held up by a blocked loop is caught up, not carried to the end of the prompt', async () => {
    const BLOCK_MS = 700;
    let blocked = false;
    server = await hostileServer({
      onConnection: (ws) => {
        answering()(ws);
        let n = 0;
        ws.on('message', (m) => {
          // the server shares the probe's process: blocking it here holds the probe's next chunks for 700 ms
          if (JSON.parse(String(m)).type !== 'input_audio_buffer.append' || ++n !== 10) return;
          blocked = true;
          const until = performance.now() + BLOCK_MS;
          while (performance.now() < until) {
            /* a busy neighbour */
          }
        });
      },
    });
    const trace = await runProbe(
      { name: 'catch-up', endpoint: resolveEndpoint({ endpoint: server.url }), auth: { mode: 'none' } },
      opts(2000, { chunkMs: 20 }),
    );
    expect(blocked).toBe(true);
    const sent = appends(trace);
    expect(sent).toHaveLength(100);
    const t0 = entriesOfKind(trace, 'turn-start')[0]!.t;
    const late = sent.map((s, k) => s.t - t0 - k * 20);
    expect(Math.min(...late)).toBeGreaterThanOrEqual(-0.5);
    // some chunk waited out the block…
    expect(Math.max(...late)).toBeGreaterThanOrEqual(BLOCK_MS / 2);
    // …and the last one is on the clock again: sleeping chunkMs after each send would leave it ≥ 700 ms late.
    // (Generous: a loaded machine may be a few hundred ms late at that moment, never the whole block plus drift.)
    expect(late[99]!).toBeLessThan(BLOCK_MS - 200);
    console.log(
      `pacing with a ${BLOCK_MS} ms block: worst chunk ${Math.max(...late).toFixed(1)} ms late, last chunk ${late[99]!.toFixed(1)} ms`,
    );
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
    const t0 = entriesOfKind(trace, 'turn-start')[0]!.t;
    // the 12 silence chunks follow the 4 prompt chunks on the same clock: never early, in order, 1.5 s in all
    sent.forEach((s, k) => expect(s.t - t0 - k * 100).toBeGreaterThanOrEqual(-0.5));
    expect(sent.map((s) => s.audioRef!.offset)).toEqual(sent.map((_, k) => k * 100 * 48));
    expect(sent[15]!.t - t0).toBeGreaterThanOrEqual(1499);
    expect(entriesOfKind(trace, 'turn-end')[0]!.outcome).toBe('response-done');
  });

  it('burst: the whole prompt goes out at once and the trace says so', async () => {
    server = await hostileServer({ onConnection: answering() });
    const trace = await runProbe(
      { name: 'burst', endpoint: resolveEndpoint({ endpoint: server.url }), auth: { mode: 'none' } },
      opts(6000, { pace: 'burst', chunkMs: 20 }),
    );
    const sent = appends(trace);
    expect(trace.meta.options.pace).toBe('burst');
    expect(sent).toHaveLength(300);
    // ahead of the audio clock: 6 s of audio gone in under half of that (real time cannot be early at all)
    expect(sent[299]!.t - sent[0]!.t).toBeLessThan(3000);
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
    expect(big[0]!.durationMs).toBeLessThan(1000); // the one block, not two added up (a loaded machine adds to it)
    const delay = entriesOfKind(trace, 'loop-delay');
    expect(delay).toHaveLength(1);
    expect(delay[0]!.maxMs).toBeGreaterThanOrEqual(250);
    expect(delay[0]!.p50Ms).toBeLessThan(50);
    const end = entriesOfKind(trace, 'turn-end')[0]!;
    expect(delay[0]!.t).toBeGreaterThanOrEqual(big[0]!.t);
    expect(delay[0]!.t).toBeLessThanOrEqual(end.t);
  });
});
