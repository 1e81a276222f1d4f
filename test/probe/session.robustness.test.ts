import { afterEach, describe, expect, it } from 'vitest';
import { createServer } from 'node:net';
import { resolveEndpoint } from '../../src/realtime/flavours.js';
import type { ProbeOptions } from '../../src/probe/options.js';
import { runProbe } from '../../src/probe/session.js';
import { entriesOfKind } from '../../src/trace/trace.js';
import { hostileServer, type Hostile } from './hostileServer.js';

const prompt = { id: 'p', text: 'p', answer: undefined, expect: [], pcm: Buffer.alloc(48 * 300) };
const fast: ProbeOptions = {
  prompts: [prompt],
  turns: 2,
  turnTimeoutMs: 400,
  cancelWaitMs: 300,
  connectTimeoutMs: 1000,
  settleMs: 20,
  sessionTimeoutMs: 5000,
  pace: 'burst',
};
const KEY = 'sk-test-SECRET-9f8e7d6c';
let server: Hostile | undefined;
afterEach(async () => server?.close());

function target(url: string) {
  return { name: 't', endpoint: resolveEndpoint({ endpoint: url }), auth: { mode: 'api-key' as const, key: KEY } };
}

describe('probe robustness', () => {
  it('records a rejected upgrade with status, headers and body, and never the key', async () => {
    server = await hostileServer({
      reject: {
        status: 401,
        body: `{"error":{"code":"401","message":"Access denied due to invalid subscription key ${KEY}"}}`,
        headers: { 'apim-request-id': 'req-123' },
      },
    });
    const trace = await runProbe(target(server.url), fast);
    const res = entriesOfKind(trace, 'upgrade-response')[0]!;
    expect(res.status).toBe(401);
    expect(res.headers['apim-request-id']).toBe('req-123');
    expect(res.body).toContain('Access denied');
    expect(JSON.stringify(trace.entries)).not.toContain(KEY);
    expect(entriesOfKind(trace, 'upgrade-request')[0]!.headers['api-key']).toBe('[redacted]');
    expect(server.lastHeaders()!['api-key']).toBe(KEY);
    expect(entriesOfKind(trace, 'session-end')[0]!.reason).toBe('rejected');
  });

  it('classifies a refused connection and a DNS failure instead of throwing', async () => {
    const port = await new Promise<number>((r) => {
      const s = createServer();
      s.listen(0, '127.0.0.1', () => {
        const p = (s.address() as { port: number }).port;
        s.close(() => r(p));
      });
    });
    const refused = await runProbe(target(`ws://127.0.0.1:${port}/v1/realtime?model=m`), fast);
    expect(entriesOfKind(refused, 'socket-error')[0]!.errorClass).toBe('refused');
    expect(entriesOfKind(refused, 'session-end')[0]!.reason).toBe('connect-failed');
    const dns = await runProbe(target('ws://no-such-host.invalid/v1/realtime?model=m'), fast);
    expect(entriesOfKind(dns, 'socket-error')[0]!.errorClass).toBe('dns');
  });

  it('records binary, malformed, typeless and oversize frames and keeps going', async () => {
    server = await hostileServer({
      upgradeHeaders: { 'x-request-id': 'xr-1' },
      onConnection: (ws) => {
        ws.send(JSON.stringify({ type: 'session.created', event_id: 'e1', session: { id: 'sess_1' } }));
        ws.send(Buffer.from([1, 2, 3]), { binary: true });
        ws.send('{not json');
        ws.send('[1,2]');
        ws.send('{"no":"type"}');
        ws.send(JSON.stringify({ type: 'x.unknown', pad: 'a'.repeat(17 * 1024 * 1024) }));
        ws.send(JSON.stringify({ type: 'brand.new.event', n: 1 }));
      },
    });
    // a 17 MiB frame follows the upgrade: give the handshake room on a loaded CI machine
    const trace = await runProbe(target(server.url), { ...fast, connectTimeoutMs: 3000 });
    const problems = entriesOfKind(trace, 'recv-invalid').map((e) => e.problem);
    expect(problems).toEqual(['binary-frame', 'malformed-json', 'not-an-object', 'missing-type', 'oversize-frame']);
    expect(trace.entries.some((e) => e.kind === 'recv' && e.type === 'brand.new.event')).toBe(true);
    expect(entriesOfKind(trace, 'upgrade-response')[0]!.headers['x-request-id']).toBe('xr-1');
    // no session.updated and no response.done: timeouts are recorded and the session ends by itself
    expect(entriesOfKind(trace, 'timeout').map((t) => t.scope)).toEqual(['session-updated', 'turn', 'cancel']);
    expect(entriesOfKind(trace, 'turn-end').map((t) => t.outcome)).toEqual(['timeout', 'skipped']);
    expect(entriesOfKind(trace, 'session-end')[0]!.reason).toBe('stalled');
  });

  it('records an abrupt drop as 1006 and skips the remaining turns', async () => {
    server = await hostileServer({
      onConnection: (ws) => {
        ws.send(JSON.stringify({ type: 'session.created', session: { id: 'sess_2' } }));
        ws.on('message', (m) => {
          const ev = JSON.parse(String(m)) as { type: string };
          if (ev.type === 'session.update') ws.send(JSON.stringify({ type: 'session.updated', session: {} }));
          if (ev.type === 'response.create') ws.terminate();
        });
      },
    });
    const trace = await runProbe(target(server.url), fast);
    const close = entriesOfKind(trace, 'close')[0]!;
    expect(close.code).toBe(1006);
    expect(close.initiatedBy).toBe('server');
    expect(entriesOfKind(trace, 'turn-end').map((t) => [t.turn, t.outcome])).toEqual([
      [1, 'closed'],
      [2, 'skipped'],
    ]);
    expect(entriesOfKind(trace, 'session-end')[0]!.reason).toBe('closed-by-server');
  });

  it('ends a session that never answers at the session deadline', async () => {
    server = await hostileServer({ onConnection: () => undefined });
    const started = Date.now();
    const trace = await runProbe(target(server.url), { ...fast, connectTimeoutMs: 300, sessionTimeoutMs: 2000 });
    expect(Date.now() - started).toBeLessThan(4000);
    expect(entriesOfKind(trace, 'timeout')[0]!.scope).toBe('session-created');
    expect(entriesOfKind(trace, 'session-end')).toHaveLength(1);
  });
});

describe('attribution and secrets in URLs', () => {
  it('keeps a late audio delta with the turn whose response it belongs to', async () => {
    server = await hostileServer({
      onConnection: (ws) => {
        ws.send(JSON.stringify({ type: 'session.created', session: { id: 'sess_late' } }));
        let n = 0;
        ws.on('message', (m) => {
          const ev = JSON.parse(String(m)) as { type: string };
          if (ev.type === 'session.update') ws.send(JSON.stringify({ type: 'session.updated', session: {} }));
          if (ev.type !== 'response.create') return;
          const id = `resp_${++n}`;
          const delta = (bytes: number) =>
            JSON.stringify({
              type: 'response.output_audio.delta',
              response_id: id,
              item_id: `item_${n}`,
              delta: Buffer.alloc(bytes, n).toString('base64'),
            });
          ws.send(JSON.stringify({ type: 'response.created', response: { id } }));
          ws.send(delta(4800));
          const done = () => ws.send(JSON.stringify({ type: 'response.done', response: { id, status: 'completed' } }));
          if (n === 1) {
            done();
            setTimeout(
              () =>
                ws.send(
                  JSON.stringify({
                    type: 'response.output_audio.delta',
                    response_id: 'resp_1',
                    item_id: 'item_1',
                    delta: Buffer.alloc(960, 1).toString('base64'),
                  }),
                ),
              250,
            ); // turn 2 has begun
          } else setTimeout(done, 600);
        });
      },
    });
    const trace = await runProbe(target(server.url), { ...fast, settleMs: 20, turnTimeoutMs: 2000 });
    expect(trace.outputAudio.get(1)!.length).toBe(4800 + 960);
    expect(trace.outputAudio.get(2)!.length).toBe(4800);
    const late = trace.entries.filter((e) => e.kind === 'recv' && e.audio?.bytes === 960);
    expect(late.map((e) => e.turn)).toEqual([1]);
  });

  it('scrubs a key given as api-key query parameter from everything recorded', async () => {
    const secret = 'query-secret-3e2d1c';
    server = await hostileServer({ reject: { status: 401, body: `bad key ${secret}` } });
    const url = `${server.url}&api-key=${secret}`;
    const trace = await runProbe(
      { name: 't', endpoint: resolveEndpoint({ endpoint: url }), auth: { mode: 'none' } },
      fast,
    );
    expect(entriesOfKind(trace, 'upgrade-response')[0]!.body).toBe('bad key [redacted]');
    expect(JSON.stringify(trace)).not.toContain(secret);
  });
});
