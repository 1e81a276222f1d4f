/**
 * Turn-taking like a real client, on a transport whose answers play out after `response.done` (as WebRTC's do):
 * the next prompt waits until the answer has played out, and a playout that never ends is given up at the turn
 * deadline (a `playout` timeout, `playoutTimeoutMs`), after which the session goes on.
 */
import { describe, expect, it } from 'vitest';
import { resolveEndpoint } from '../../src/realtime/flavours.js';
import { runProbe } from '../../src/probe/session.js';
import type { Transport, TransportContext } from '../../src/probe/transport.js';
import { entriesOfKind, received } from '../../src/trace/trace.js';

/** Answers each create at once; its audio "plays" for `playMs` after `response.done` (forever when undefined). */
function playingTransport(playMs: number | undefined, playedOutAt: number[]) {
  return (ctx: TransportContext): Transport => {
    let open = false;
    let n = 0;
    let until = -Infinity;
    const serverSends = (event: Record<string, unknown>): void => {
      const entry = ctx.rec.recordFrame(Buffer.from(JSON.stringify(event)), false);
      if (entry) ctx.waiter.deliver(entry);
    };
    return {
      kind: 'webrtc',
      get isOpen() {
        return open;
      },
      get playingOut() {
        const playing = ctx.rec.now() < until;
        if (!playing && until > -Infinity && playedOutAt.length < n) playedOutAt.push(ctx.rec.now());
        return playing;
      },
      async connect() {
        open = true;
        setTimeout(() => serverSends({ type: 'session.created', session: { id: 'sess_play' } }), 5);
        return { ok: true };
      },
      send(event) {
        if (!open) return false;
        if (event.type === 'session.update') setTimeout(() => serverSends({ type: 'session.updated', session: {} }), 1);
        if (event.type === 'response.create') {
          const id = `resp_${++n}`;
          setTimeout(() => {
            serverSends({ type: 'response.created', response: { id } });
            serverSends({ type: 'response.done', response: { id, status: 'completed' } });
            until = playMs === undefined ? Infinity : ctx.rec.now() + playMs;
          }, 5);
        }
        return true;
      },
      sendAudio() {},
      async close() {
        open = false;
        ctx.rec.add({ kind: 'close', code: 1000, reason: 'done', initiatedBy: 'client' });
        ctx.waiter.close();
      },
    };
  };
}

const options = (transport: ReturnType<typeof playingTransport>) => ({
  prompts: [{ id: 'p', text: 'p', answer: undefined, expect: [], pcm: Buffer.alloc(48 * 200, 1) }],
  turns: 2,
  pace: 'burst' as const,
  settleMs: 20,
  turnTimeoutMs: 800,
  playoutTimeoutMs: 900,
  sessionTimeoutMs: 10_000,
  transport,
});
const target = {
  name: 'play',
  endpoint: resolveEndpoint({ endpoint: 'ws://127.0.0.1:9/v1/realtime?model=m' }),
  auth: { mode: 'none' as const },
};

describe('the next prompt waits for the playout', () => {
  it('starts the next turn once the answer has played out, not at response.done', async () => {
    const playedOutAt: number[] = [];
    const trace = await runProbe(target, options(playingTransport(500, playedOutAt)));
    const done1 = received(trace, 'response.done', 1)[0]!;
    const start2 = entriesOfKind(trace, 'turn-start')[1]!;
    expect(start2.t - done1.t).toBeGreaterThanOrEqual(500);
    expect(start2.t).toBeGreaterThanOrEqual(playedOutAt[0]!);
    expect(entriesOfKind(trace, 'turn-end').map((e) => e.outcome)).toEqual(['response-done', 'response-done']);
    expect(entriesOfKind(trace, 'timeout')).toEqual([]);
  });

  it('gives up on a playout that never ends at its deadline, records it, and goes on', async () => {
    const trace = await runProbe(target, options(playingTransport(undefined, [])));
    const timeouts = entriesOfKind(trace, 'timeout');
    expect(timeouts.map((e) => [e.turn, e.scope, e.afterMs])).toEqual([
      [1, 'playout', 900],
      [2, 'playout', 900],
    ]);
    expect(entriesOfKind(trace, 'turn-end').map((e) => e.outcome)).toEqual(['response-done', 'response-done']);
    expect(entriesOfKind(trace, 'session-end')[0]!.reason).toBe('completed');
  });
});
