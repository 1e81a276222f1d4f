/**
 * Opens the WebSocket and records the upgrade: the request (secrets masked), the complete response,
 * and on a rejected upgrade its status and body. Network failures are classified, never thrown.
 */
import WebSocket from 'ws';
import type { IncomingMessage, ClientRequest } from 'node:http';
import { redactHeaders, redactUrl, scrub } from '../realtime/redact.js';
import type { SocketErrorClass } from './trace.js';
import type { TraceRecorder } from './recorder.js';
import type { EventWaiter } from './waiter.js';

export interface ConnectOptions {
  url: URL;
  headers: Record<string, string>;
  connectTimeoutMs: number;
  /** Accept self-signed certificates (the simulator's `--tls`). */
  insecureTls?: boolean;
  /** Largest frame the socket accepts at all; bigger frames close it with 1009 (recorded). */
  maxPayloadBytes?: number;
}

export type ConnectResult = { ok: true; ws: WebSocket } | { ok: false; reason: 'rejected' | 'connect-failed' };

const MAX_BODY = 64 * 1024;

/**
 * Opens the socket. Frames are recorded (and fed to `waiter`) from the first byte on, so events that arrive
 * together with the upgrade response are never lost.
 */
export function connect(o: ConnectOptions, rec: TraceRecorder, waiter: EventWaiter, secrets: readonly string[]): Promise<ConnectResult> {
  rec.add({ kind: 'upgrade-request', url: redactUrl(o.url), headers: redactHeaders(o.headers) });
  return new Promise((resolve) => {
    let settled = false;
    const done = (r: ConnectResult): void => {
      if (!settled) {
        settled = true;
        resolve(r);
      }
    };
    const ws = new WebSocket(o.url, {
      headers: o.headers,
      handshakeTimeout: o.connectTimeoutMs,
      maxPayload: o.maxPayloadBytes ?? 256 * 1024 * 1024,
      perMessageDeflate: false,
      rejectUnauthorized: !o.insecureTls,
    });
    ws.on('upgrade', (res: IncomingMessage) => {
      rec.add({ kind: 'upgrade-response', status: res.statusCode ?? 101, statusText: res.statusMessage ?? '', headers: redactHeaders(res.headers) });
    });
    ws.on('unexpected-response', (req: ClientRequest, res: IncomingMessage) => {
      const t = rec.now();
      const chunks: Buffer[] = [];
      let size = 0;
      const finish = (): void => {
        const body = scrub(Buffer.concat(chunks).toString('utf8').slice(0, MAX_BODY), secrets);
        rec.add({ kind: 'upgrade-response', status: res.statusCode ?? 0, statusText: res.statusMessage ?? '', headers: redactHeaders(res.headers), body }, t);
        req.destroy();
        done({ ok: false, reason: 'rejected' });
      };
      res.on('data', (c: Buffer) => {
        if (size < MAX_BODY) chunks.push(c);
        size += c.length;
      });
      res.on('end', finish);
      res.on('error', finish);
      res.on('aborted', finish);
    });
    ws.on('message', (data: Buffer, isBinary: boolean) => {
      const t = rec.now();
      const entry = rec.recordFrame(data, isBinary, t);
      if (entry) waiter.deliver(entry);
    });
    ws.once('open', () => done({ ok: true, ws }));
    ws.on('error', (err: NodeJS.ErrnoException) => {
      if (settled) return; // errors after open are recorded by the session
      rec.add({ kind: 'socket-error', ...classifySocketError(err, secrets) });
      done({ ok: false, reason: 'connect-failed' });
    });
  });
}

/** Puts a network error into a class a human (and the analysis) can act on. */
export function classifySocketError(err: NodeJS.ErrnoException, secrets: readonly string[] = []): { errorClass: SocketErrorClass; code: string | undefined; message: string } {
  const code = err.code ?? (err.cause as NodeJS.ErrnoException | undefined)?.code;
  const msg = scrub(err.message, secrets);
  let errorClass: SocketErrorClass = 'other';
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN' || code === 'EAI_NONAME') errorClass = 'dns';
  else if (code === 'ECONNREFUSED' || code === 'EHOSTUNREACH' || code === 'ENETUNREACH') errorClass = 'refused';
  else if (code === 'ECONNRESET' || code === 'EPIPE') errorClass = 'reset';
  else if (code === 'ETIMEDOUT' || /handshake has timed out/i.test(msg)) errorClass = 'timeout';
  else if (/CERT|SSL|TLS|SELF_SIGNED|UNABLE_TO_VERIFY/i.test(code ?? '') || /certificate|ssl|tls/i.test(msg)) errorClass = 'tls';
  else if (code?.startsWith('WS_ERR_') || /invalid (status|frame|opcode|utf-8)|max payload/i.test(msg)) errorClass = 'protocol';
  return { errorClass, code, message: msg };
}
