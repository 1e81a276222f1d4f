/**
 * The transport seam: the scripted session runs unchanged on a transport that is not a WebSocket. An in-memory
 * transport (events as objects, audio as decoded PCM through `rec.recordOutputPcm`) completes two turns, and
 * the trace says which transport it was.
 */
import { describe, expect, it } from 'vitest';
import { resolveEndpoint } from '../../src/realtime/flavours.js';
import { runProbe } from '../../src/probe/session.js';
import { entriesOfKind } from '../../src/trace/trace.js';
import { transportFactory } from '../../src/probe/transports.js';
import type { PromptSlice, Transport, TransportContext } from '../../src/probe/transport.js';

/** A transport whose "service" answers in-process, the way a WebRTC transport delivers data-channel events and RTP audio. */
function memoryTransport(log: { slices: PromptSlice[]; sent: Record<string, unknown>[] }) {
  return (ctx: TransportContext): Transport => {
    let open = false;
    let n = 0;
    const serverSends = (event: Record<string, unknown>): void => {
      const entry = ctx.rec.recordFrame(Buffer.from(JSON.stringify(event)), false);
      if (entry) ctx.waiter.deliver(entry);
    };
    return {
      kind: 'webrtc',
      get isOpen() {
        return open;
      },
      async connect() {
        ctx.rec.add({
          kind: 'http-exchange',
          stage: 'call',
          method: 'POST',
          url: 'http://x/v1/realtime/calls',
          requestHeaders: {},
          status: 201,
          statusText: 'Created',
          headers: {},
          durationMs: 1,
        });
        open = true;
        setTimeout(() => serverSends({ type: 'session.created', session: { id: 'sess_mem' } }), 5);
        return { ok: true };
      },
      send(event) {
        if (!open) return false;
        log.sent.push(event);
        if (event.type === 'session.update') setTimeout(() => serverSends({ type: 'session.updated', session: {} }), 1);
        if (event.type === 'response.create') {
          const id = `resp_${++n}`;
          setTimeout(() => {
            serverSends({ type: 'response.created', response: { id } });
            const ref = ctx.rec.recordOutputPcm(ctx.rec.turn, Buffer.alloc(4800, n), {
              responseId: id,
              itemId: `item_${n}`,
            });
            expect(ref).toMatchObject({ offset: 0, bytes: 4800 });
            serverSends({ type: 'response.done', response: { id, status: 'completed' } });
          }, 5);
        }
        return true;
      },
      sendAudio(slice) {
        if (open) log.slices.push(slice);
      },
      async close() {
        open = false;
        ctx.rec.add({ kind: 'close', code: 1000, reason: 'done', initiatedBy: 'client' });
        ctx.waiter.close();
      },
    };
  };
}

describe('the transport seam', () => {
  it('the scripted session completes its turns on a non-WebSocket transport', async () => {
    const log = { slices: [] as PromptSlice[], sent: [] as Record<string, unknown>[] };
    const pcm = Buffer.alloc(48 * 250, 5);
    const trace = await runProbe(
      {
        name: 'mem',
        endpoint: resolveEndpoint({ endpoint: 'ws://127.0.0.1:9/v1/realtime?model=m' }),
        auth: { mode: 'none' },
      },
      {
        prompts: [{ id: 'p', text: 'p', answer: undefined, expect: [], pcm }],
        turns: 2,
        settleMs: 10,
        pace: 'burst',
        transport: memoryTransport(log),
      },
    );
    expect(trace.meta.target.transport).toBe('webrtc');
    expect(entriesOfKind(trace, 'turn-end').map((e) => e.outcome)).toEqual(['response-done', 'response-done']);
    expect(entriesOfKind(trace, 'session-end')[0]!.reason).toBe('completed');
    expect(trace.outputAudio.get(1)!.equals(Buffer.alloc(4800, 1))).toBe(true);
    expect(trace.outputAudio.get(2)!.equals(Buffer.alloc(4800, 2))).toBe(true);
    // 250 ms of prompt in 100 ms slices per turn, placed by offset; client events went through send() with ids
    expect(log.slices.map((s) => [s.offset, s.pcm.length])).toEqual([
      [0, 4800],
      [4800, 4800],
      [9600, 2400],
      [0, 4800],
      [4800, 4800],
      [9600, 2400],
    ]);
    expect(log.sent.map((e) => e.type)).toEqual([
      'session.update',
      'input_audio_buffer.commit',
      'response.create',
      'input_audio_buffer.commit',
      'response.create',
    ]);
    expect(log.sent.every((e) => typeof e.event_id === 'string')).toBe(true);
    expect(entriesOfKind(trace, 'http-exchange')).toHaveLength(1);
    expect(entriesOfKind(trace, 'close')).toHaveLength(1);
  });

  it('resolves transport kinds through the registry', () => {
    expect(typeof transportFactory('websocket')).toBe('function');
    expect(() => transportFactory('nope' as 'webrtc')).toThrow(/transport: "nope" is not available/);
  });
});
