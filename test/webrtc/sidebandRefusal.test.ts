/**
 * The sideband's upgrade as recorded when it does not open: a refusal (status, headers, body scrubbed) and a server
 * that accepts the connection and never answers (bounded by the deadline), against real loopback servers.
 */
import { createServer, type Server } from 'node:http';
import { createServer as createTcpServer, type Server as TcpServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TraceRecorder } from '../../src/probe/recorder.js';
import { openSideband } from '../../src/probe/webrtc/sideband.js';

const KEY = 'sideband-key-5f1a9c';
let refusing: Server;
let silent: TcpServer;
let stalling: Server;
const held: { destroy(): unknown }[] = []; // sockets kept open until the end
const port = (s: Server | TcpServer): number => (s.address() as { port: number }).port;

beforeAll(async () => {
  refusing = createServer((_req, res) => res.end());
  refusing.on('upgrade', (_req, socket) => {
    const body = JSON.stringify({ error: { code: 'call_not_found', message: `No call; your key ${KEY} is fine` } });
    socket.end(
      `HTTP/1.1 404 Not Found\r\ncontent-type: application/json\r\napim-request-id: apim-sb-1\r\ncontent-length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
    );
  });
  silent = createTcpServer((s) => void held.push(s)); // accepts, never answers
  stalling = createServer((_req, res) => res.end());
  stalling.on('upgrade', (_req, socket) => {
    held.push(socket);
    socket.write(
      'HTTP/1.1 403 Forbidden\r\ncontent-type: application/json\r\ncontent-length: 1000\r\n\r\n{"error":{"code":"Forbid',
    ); // and never the rest
  });
  await Promise.all(
    [refusing, stalling]
      .map((srv) => new Promise<void>((r) => srv.listen(0, '127.0.0.1', r)))
      .concat(new Promise<void>((r) => silent.listen(0, '127.0.0.1', r))),
  );
});
afterAll(async () => {
  held.forEach((s) => s.destroy());
  await Promise.all([
    new Promise((r) => refusing.close(r)),
    new Promise((r) => stalling.close(r)),
    new Promise((r) => silent.close(r)),
  ]);
});

const recorder = (): TraceRecorder => new TraceRecorder(() => performance.now(), 'ga', [KEY]);
const closes: number[] = [];
const noop = { onMessage: () => undefined, onClose: (code: number) => void closes.push(code) };

describe('openSideband', () => {
  it('records a refusal with its status, headers and scrubbed body, and opens nothing', async () => {
    const rec = recorder();
    const url = new URL(`ws://127.0.0.1:${port(refusing)}/openai/v1/realtime?call_id=rtc_unknown`);
    const { ws, status } = await openSideband(rec, url, { 'api-key': KEY }, 3_000, () => [KEY], noop);
    expect(ws).toBeUndefined();
    expect(status).toBe(404);
    const [entry] = rec.entries.filter((e) => e.kind === 'http-exchange');
    expect(entry).toMatchObject({
      stage: 'sideband',
      method: 'GET',
      status: 404,
      headers: { 'apim-request-id': 'apim-sb-1' },
      requestHeaders: { 'api-key': '[redacted]' },
    });
    expect(entry!.kind === 'http-exchange' && entry!.body).toContain('call_not_found');
    expect(JSON.stringify(rec.entries)).not.toContain(KEY);
  });

  it('gives up on a server that never answers at its deadline, and says so', async () => {
    const rec = recorder();
    const started = performance.now();
    const { ws, status } = await openSideband(
      rec,
      new URL(`ws://127.0.0.1:${port(silent)}/v1/realtime?call_id=rtc_x`),
      { Authorization: `Bearer ${KEY}` },
      400,
      () => [KEY],
      noop,
    );
    expect(ws).toBeUndefined();
    expect(status).toBe(0);
    expect(performance.now() - started).toBeLessThan(5_000);
    const [entry] = rec.entries.filter((e) => e.kind === 'http-exchange');
    expect(entry).toMatchObject({ stage: 'sideband', status: 0 });
    expect(entry!.kind === 'http-exchange' && entry!.error).toMatch(/did not open within 400 ms|timeout/i);
    expect(JSON.stringify(rec.entries)).not.toContain(KEY);
  });

  it('records a refusal whose body never completes once, with what arrived, at its bound', async () => {
    const rec = recorder();
    const { ws, status } = await openSideband(
      rec,
      new URL(`ws://127.0.0.1:${port(stalling)}/v1/realtime?call_id=rtc_y`),
      { 'api-key': KEY },
      600,
      () => [KEY],
      noop,
    );
    expect(ws).toBeUndefined();
    expect(status).toBe(403);
    const entries = rec.entries.filter((e) => e.kind === 'http-exchange');
    expect(entries).toHaveLength(1); // not also a "did not open" entry when the deadline passes mid-body
    expect(closes).toEqual([]); // onClose is for a sideband that was open: none of these was
    expect(entries[0]!.kind === 'http-exchange' && entries[0]!.body).toMatch(
      /^\{"error":\{"code":"Forbid…\[body incomplete after 600 ms\]$/,
    );
  });
});
