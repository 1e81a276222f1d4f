/**
 * Per-session caps against flooding servers, with the default limits: small events, tiny audio deltas, huge
 * audio deltas. The session must end by itself with a `limit-exceeded` entry, a clean client close and
 * recorded sizes within the caps (sizes are asserted, not timing).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { resolveEndpoint } from '../../src/realtime/flavours.js';
import type { ProbeOptions } from '../../src/probe/options.js';
import { runProbe } from '../../src/probe/session.js';
import { DEFAULT_SESSION_LIMITS } from '../../src/probe/recorder.js';
import { entriesOfKind, type Trace } from '../../src/trace/trace.js';
import { hostileServer, type Hostile } from './hostileServer.js';

const prompt = { id: 'p', text: 'p', answer: undefined, expect: [], pcm: Buffer.alloc(48 * 200) };
const opts: ProbeOptions = {
  prompts: [prompt],
  turns: 2,
  turnTimeoutMs: 20_000,
  connectTimeoutMs: 5000,
  settleMs: 50,
  sessionTimeoutMs: 60_000,
  pace: 'burst',
};
let server: Hostile | undefined;
afterEach(async () => server?.close());

/** Sends `frame()` as fast as the socket drains, until the probe goes away. */
function flood(frame: () => string | Buffer) {
  return (ws: WebSocket): void => {
    ws.send(JSON.stringify({ type: 'session.created', session: { id: 'sess_flood' } }));
    const pump = (): void => {
      if (ws.readyState !== WebSocket.OPEN) return;
      for (let i = 0; i < 200 && ws.bufferedAmount < 8 * 1024 * 1024; i++) ws.send(frame());
      setTimeout(pump, ws.bufferedAmount < 8 * 1024 * 1024 ? 0 : 5);
    };
    pump();
  };
}

async function probeFlood(frame: () => string | Buffer): Promise<{ trace: Trace; rssGrowthMiB: number }> {
  server = await hostileServer({ onConnection: flood(frame) });
  const before = process.memoryUsage().rss;
  const trace = await runProbe(
    { name: 'flood', endpoint: resolveEndpoint({ endpoint: server.url }), auth: { mode: 'none' } },
    opts,
  );
  return { trace, rssGrowthMiB: (process.memoryUsage().rss - before) / 2 ** 20 };
}

function expectCleanStop(trace: Trace, limit: keyof typeof DEFAULT_SESSION_LIMITS): void {
  const hit = entriesOfKind(trace, 'limit-exceeded');
  expect(hit).toHaveLength(1);
  expect(hit[0]).toMatchObject({ limit, max: DEFAULT_SESSION_LIMITS[limit] });
  expect(hit[0]!.value).toBeGreaterThan(hit[0]!.max);
  expect(entriesOfKind(trace, 'session-end').map((e) => e.reason)).toEqual(['limit-exceeded']);
  expect(entriesOfKind(trace, 'close')[0]).toMatchObject({ code: 1008, initiatedBy: 'client' });
  // the flood may cross the cap during setup (both turns skipped) or in turn 1 (closed, then skipped)
  expect(
    entriesOfKind(trace, 'turn-end')
      .map((e) => e.outcome)
      .join(),
  ).toMatch(/^(closed|skipped),skipped$/);
  expect(trace.meta.options.limits).toEqual(DEFAULT_SESSION_LIMITS);
  // nothing recorded after the cap (other than the close and the session's own end entries)
  const after = trace.entries.slice(trace.entries.indexOf(hit[0]!) + 1);
  expect(after.filter((e) => e.kind === 'recv' || e.kind === 'recv-invalid')).toHaveLength(0);
  const received = trace.entries.filter((e) => e.kind === 'recv' || e.kind === 'recv-invalid');
  expect(received.length).toBeLessThanOrEqual(DEFAULT_SESSION_LIMITS.maxEvents);
  const kept = received.reduce((n, e) => n + (e.kind === 'recv' && e.audio ? 0 : e.size), 0); // audio deltas' base64 is not kept
  expect(kept).toBeLessThanOrEqual(DEFAULT_SESSION_LIMITS.maxEventBytes);
  const audio = [...trace.outputAudio.values()].reduce((n, b) => n + b.length, 0);
  expect(audio).toBeLessThanOrEqual(DEFAULT_SESSION_LIMITS.maxAudioBytes);
}

describe('per-session caps against flooding servers', () => {
  it('a flood of small events stops at the event cap', async () => {
    let n = 0;
    const { trace, rssGrowthMiB } = await probeFlood(() => JSON.stringify({ type: 'x.flood', n: n++ }));
    expectCleanStop(trace, 'maxEvents');
    console.log(`small-event flood: ${n} frames sent, RSS +${rssGrowthMiB.toFixed(0)} MiB`);
  }, 60_000);

  it('a flood of tiny audio deltas stops at the event cap with its audio kept', async () => {
    const frame = JSON.stringify({
      type: 'response.output_audio.delta',
      response_id: 'resp_f',
      item_id: 'item_f',
      delta: 'AAAAAA==',
    }); // 2 samples
    const { trace, rssGrowthMiB } = await probeFlood(() => frame);
    expectCleanStop(trace, 'maxEvents');
    const deltas = trace.entries.filter((e) => e.kind === 'recv' && e.audio);
    expect(deltas.length).toBeGreaterThan(DEFAULT_SESSION_LIMITS.maxEvents - 10);
    expect([...trace.outputAudio.values()].reduce((n, b) => n + b.length, 0)).toBe(deltas.length * 4);
    console.log(`tiny-delta flood: RSS +${rssGrowthMiB.toFixed(0)} MiB`);
  }, 60_000);

  it('huge audio deltas stop at the audio cap', async () => {
    const frame = JSON.stringify({
      type: 'response.output_audio.delta',
      response_id: 'resp_h',
      item_id: 'item_h',
      delta: Buffer.alloc(11 * 2 ** 20, 1).toString('base64'),
    });
    const { trace, rssGrowthMiB } = await probeFlood(() => frame);
    expectCleanStop(trace, 'maxAudioBytes');
    expect([...trace.outputAudio.values()].reduce((n, b) => n + b.length, 0)).toBe(4 * 11 * 2 ** 20); // four fit under 48 MiB, the fifth does not
    console.log(`huge-delta flood: RSS +${rssGrowthMiB.toFixed(0)} MiB`);
  }, 60_000);
});
