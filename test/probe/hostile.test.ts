/**
 * The probe against small hostile servers on loopback: deeply nested frames, invalid base64 audio, a 101 with a
 * wrong Sec-WebSocket-Accept, a 403 whose body never completes, pings. Each must become a clear trace entry,
 * never a throw, a hang or a misclassification; and the trace must still serialize.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { WebSocket } from 'ws';
import { resolveEndpoint } from '../../src/realtime/flavours.js';
import type { ProbeOptions } from '../../src/probe/options.js';
import { runProbe } from '../../src/probe/session.js';
import { entriesOfKind } from '../../src/trace/trace.js';
import { readTrace, serializeEvents, writeTrace } from '../../src/trace/traceFile.js';
import { lostInTrace } from '../helpers/loadAllowance.js';
import { hostileServer, type Hostile } from './hostileServer.js';

const prompt = { id: 'p', text: 'p', answer: undefined, expect: [], pcm: Buffer.alloc(48 * 200) };
const fast: ProbeOptions = {
  prompts: [prompt],
  turns: 1,
  turnTimeoutMs: 1500,
  cancelWaitMs: 300,
  connectTimeoutMs: 3000,
  settleMs: 50,
  sessionTimeoutMs: 8000,
  pace: 'burst',
};
const KEY = 'sk-hostile-KEY-0a1b2c3d4e5f60718293';
let server: Hostile | undefined;
afterEach(async () => server?.close());

const target = (url: string) => ({
  name: 't',
  endpoint: resolveEndpoint({ endpoint: url }),
  auth: { mode: 'api-key' as const, key: KEY },
});

/** A minimal GA server; `answer` sends the frames of one response. */
function scripted(answer: (ws: WebSocket, n: number) => void): (ws: WebSocket) => void {
  return (ws) => {
    ws.send(JSON.stringify({ type: 'session.created', session: { id: 'sess_h' } }));
    let n = 0;
    ws.on('message', (m) => {
      const ev = JSON.parse(String(m)) as { type: string };
      if (ev.type === 'session.update') ws.send(JSON.stringify({ type: 'session.updated', session: {} }));
      if (ev.type === 'response.create' || ev.type === 'input_audio_buffer.commit_vad') answer(ws, ++n);
    });
  };
}
const created = (id: string) => JSON.stringify({ type: 'response.created', response: { id, status: 'in_progress' } });
const done = (id: string) => JSON.stringify({ type: 'response.done', response: { id, status: 'completed' } });
const delta = (id: string, b64: string) =>
  JSON.stringify({ type: 'response.output_audio.delta', response_id: id, item_id: 'item_1', delta: b64 });

describe('hostile frames', () => {
  it('a frame nested 10 000 deep is kept as a scrubbed preview, never parsed, and the trace still serializes', async () => {
    const deep = `{"type":"x.deep","quote":"${KEY}","a":${'['.repeat(10_000)}${']'.repeat(10_000)}}`;
    server = await hostileServer({
      onConnection: scripted((ws) => {
        ws.send(created('resp_1'));
        ws.send(deep);
        ws.send(done('resp_1'));
      }),
    });
    const trace = await runProbe(target(server.url), fast);
    const bad = entriesOfKind(trace, 'recv-invalid');
    expect(bad.map((e) => e.problem)).toEqual(['too-deep']);
    expect(bad[0]!.size).toBe(Buffer.byteLength(deep));
    expect(bad[0]!.preview).toContain('x.deep');
    expect(bad[0]!.preview).not.toContain(KEY);
    expect(entriesOfKind(trace, 'turn-end')[0]!.outcome).toBe('response-done'); // the session went on
    const text = await serializeEvents(trace, [KEY]);
    expect(text).not.toContain(KEY);
    const dir = await mkdtemp(join(tmpdir(), 'rc-deep-'));
    await writeTrace(dir, trace, [KEY]);
    expect((await readTrace(dir)).entries.length).toBe(trace.entries.length);
  });

  it('invalid base64 and odd byte counts in audio deltas are recorded, nothing decoded', async () => {
    const good = Buffer.alloc(960, 7).toString('base64');
    server = await hostileServer({
      onConnection: scripted((ws) => {
        ws.send(created('resp_1'));
        ws.send(delta('resp_1', good));
        ws.send(delta('resp_1', 'this is not base64!!'));
        ws.send(delta('resp_1', Buffer.from([1, 2, 3]).toString('base64'))); // valid base64, 3 bytes: not PCM16
        ws.send(delta('resp_1', 'QUJD')); // 3 bytes again, unpadded form
        ws.send(delta('resp_1', good));
        ws.send(done('resp_1'));
      }),
    });
    const trace = await runProbe(target(server.url), fast);
    expect(entriesOfKind(trace, 'recv-invalid').map((e) => e.problem)).toEqual([
      'invalid-base64',
      'invalid-base64',
      'invalid-base64',
    ]);
    expect(trace.outputAudio.get(1)!.equals(Buffer.alloc(1920, 7))).toBe(true);
    const deltas = trace.entries.filter((e) => e.kind === 'recv' && e.type === 'response.output_audio.delta');
    expect(deltas.map((e) => (e.kind === 'recv' ? e.audio?.bytes : -1))).toEqual([
      960,
      undefined,
      undefined,
      undefined,
      960,
    ]);
  });
});

describe('hostile handshakes', () => {
  it('a 101 without a valid Sec-WebSocket-Accept is recorded as exactly that', async () => {
    server = await hostileServer({
      rawUpgrade: (_req, socket) =>
        socket.write(
          'HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: bm90LXRoZS1yaWdodC1kaWdlc3Q=\r\n\r\n',
        ),
    });
    const trace = await runProbe(target(server.url), fast);
    expect(entriesOfKind(trace, 'upgrade-response')[0]!.status).toBe(101);
    expect(entriesOfKind(trace, 'socket-error')[0]).toMatchObject({
      errorClass: 'protocol',
      message: 'Invalid Sec-WebSocket-Accept header',
    });
    expect(entriesOfKind(trace, 'session-end')[0]!.reason).toBe('connect-failed');
    expect(entriesOfKind(trace, 'close')).toHaveLength(0);
  });

  it('a 403 whose body never completes is the 403 rejection after a bounded wait, not a handshake timeout', async () => {
    server = await hostileServer({
      rawUpgrade: (_req, socket) =>
        socket.write(
          `HTTP/1.1 403 Forbidden\r\ncontent-type: application/json\r\ncontent-length: 5000\r\napim-request-id: 0f8fad5b-d9cb-469f-a165-70867728950e\r\n\r\n{"error":{"message":"no access, key ${KEY}`,
        ),
    });
    const started = Date.now();
    const trace = await runProbe(target(server.url), { ...fast, connectTimeoutMs: 10_000 });
    expect(Date.now() - started).toBeLessThan(6000); // the body wait (2 s) is bounded well inside the connect deadline
    const res = entriesOfKind(trace, 'upgrade-response')[0]!;
    expect(res.status).toBe(403);
    expect(res.headers['apim-request-id']).toBe('0f8fad5b-d9cb-469f-a165-70867728950e');
    expect(res.body).toContain('no access');
    expect(res.body).toContain('body incomplete');
    expect(res.body).not.toContain(KEY);
    expect(entriesOfKind(trace, 'timeout')).toHaveLength(0);
    expect(entriesOfKind(trace, 'socket-error')).toHaveLength(0);
    expect(entriesOfKind(trace, 'session-end')[0]!.reason).toBe('rejected');
  });

  it("records the server's pings and the pongs ws sends back, with their times", async () => {
    server = await hostileServer({
      onConnection: scripted((ws) => {
        ws.send(created('resp_1'));
        ws.ping(Buffer.from('abcd'));
        setTimeout(() => {
          ws.ping();
          ws.send(done('resp_1'));
        }, 100);
      }),
    });
    const trace = await runProbe(target(server.url), fast);
    const pings = entriesOfKind(trace, 'ping');
    expect(pings.map((p) => [p.from, p.turn])).toEqual([
      ['server', 1],
      ['server', 1],
    ]);
    expect(entriesOfKind(trace, 'pong').map((p) => p.from)).toEqual(['client', 'client']);
    // sent 100 ms apart; the first received late (the probe's loop blocked) shortens the interval by that much
    expect(pings[1]!.t - pings[0]!.t).toBeGreaterThanOrEqual(90 - lostInTrace(trace, 0, pings[1]!.t));
  });
});
