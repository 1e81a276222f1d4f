/**
 * The WebSocket transport: opens the socket and records the upgrade (the request with secrets masked, the
 * complete response, on a rejection its status and a body read for a bounded time), every frame from the first
 * byte on, pings and pongs, socket errors and the close. Never throws for anything the network or service does.
 * A 101 whose `Sec-WebSocket-Accept` is wrong is recorded as the 101 plus a `protocol` socket error saying so.
 */
import WebSocket from 'ws';
import type { ClientRequest, IncomingMessage } from 'node:http';
import { redactHeaders, redactUrl, scrub } from '../realtime/redact.js';
import { MAX_BODY_WAIT_MS, readRefusalBody } from './refusalBody.js';
import { classifySocketError } from './socketErrors.js';
import type { ConnectOutcome, PromptSlice, Transport, TransportContext } from './transport.js';

const CLOSE_WAIT_MS = 2_000;
/** Close code the probe sends when it stops reading at a session cap (policy violation). */
const LIMIT_CLOSE_CODE = 1008;

export function webSocketTransport(ctx: TransportContext): Transport {
  return new WebSocketTransport(ctx);
}

class WebSocketTransport implements Transport {
  readonly kind = 'websocket' as const;
  #ws: WebSocket | undefined;
  #opened = false;
  #clientClosing = false;
  #limitStopped = false;
  #closeRecorded: Promise<void>;
  #onClosed: () => void = () => undefined;

  constructor(private readonly ctx: TransportContext) {
    this.#closeRecorded = new Promise((resolve) => (this.#onClosed = resolve));
  }

  get isOpen(): boolean {
    return this.#ws?.readyState === WebSocket.OPEN && !this.#limitStopped;
  }

  connect(): Promise<ConnectOutcome> {
    const { rec, waiter, secrets, endpoint, headers, connectTimeoutMs } = this.ctx;
    rec.add({ kind: 'upgrade-request', url: redactUrl(endpoint.url), headers: redactHeaders(headers) });
    return new Promise((resolve) => {
      let settled = false;
      let rejecting: (() => void) | undefined;
      const done = (r: ConnectOutcome): void => {
        if (settled) return;
        settled = true;
        clearTimeout(deadline);
        resolve(r);
      };
      const ws = new WebSocket(endpoint.url, {
        headers,
        handshakeTimeout: connectTimeoutMs,
        // a single frame larger than the whole frame budget closes the socket with 1009 (recorded)
        maxPayload: Math.min(256 * 1024 * 1024, rec.limits.maxEventBytes),
        perMessageDeflate: false,
        rejectUnauthorized: !this.ctx.insecureTls,
      });
      this.#ws = ws;
      const bodyWaitMs = Math.min(MAX_BODY_WAIT_MS, Math.max(200, connectTimeoutMs / 2));
      // ws's handshake timeout is an idle timeout; this one is absolute
      const deadline = setTimeout(() => {
        if (settled || rejecting) return;
        rec.add({ kind: 'timeout', scope: 'connect', waitingFor: 'upgrade response', afterMs: connectTimeoutMs });
        ws.terminate();
        done({ ok: false, reason: 'connect-failed' });
      }, connectTimeoutMs + 500);
      ws.on('upgrade', (res: IncomingMessage) => {
        rec.add({
          kind: 'upgrade-response',
          status: res.statusCode ?? 101,
          statusText: res.statusMessage ?? '',
          headers: redactHeaders(res.headers),
        });
      });
      ws.on('unexpected-response', (req: ClientRequest, res: IncomingMessage) => {
        const t = rec.now();
        rejecting = readRefusalBody(res, bodyWaitMs, (text) => {
          if (settled) return;
          rec.add(
            {
              kind: 'upgrade-response',
              status: res.statusCode ?? 0,
              statusText: res.statusMessage ?? '',
              headers: redactHeaders(res.headers),
              body: scrub(text, secrets),
            },
            t,
          );
          req.destroy();
          done({ ok: false, reason: 'rejected' });
        });
      });
      ws.on('message', (data: Buffer, isBinary: boolean) => {
        if (this.#limitStopped) return;
        const entry = rec.recordFrame(data, isBinary);
        if (entry) waiter.deliver(entry);
        if (rec.limitExceeded) this.#stopForLimit();
      });
      ws.on('ping', () => {
        rec.recordKeepalive('ping', 'server');
        rec.recordKeepalive('pong', 'client'); // ws answers pings itself
        if (rec.limitExceeded) this.#stopForLimit();
      });
      ws.on('pong', () => {
        rec.recordKeepalive('pong', 'server');
        if (rec.limitExceeded) this.#stopForLimit();
      });
      ws.once('open', () => {
        this.#opened = true;
        done({ ok: true });
      });
      ws.on('error', (err: NodeJS.ErrnoException) => {
        if (rejecting) return rejecting(); // the rejection is recorded with what its body gave
        if (this.#opened || !settled) rec.add({ kind: 'socket-error', ...classifySocketError(err, secrets) });
        done({ ok: false, reason: 'connect-failed' });
      });
      ws.on('close', (code: number, reason: Buffer) => {
        if (this.#opened) {
          const limit = this.#limitStopped;
          rec.add({
            kind: 'close',
            code: limit ? LIMIT_CLOSE_CODE : code,
            reason: limit
              ? `probe stopped reading: ${rec.limitExceeded?.limit ?? 'limit'} exceeded`
              : scrub(reason.toString('utf8'), secrets),
            initiatedBy: this.#clientClosing ? 'client' : 'server',
          });
        }
        waiter.close();
        this.#onClosed();
        done({ ok: false, reason: 'connect-failed' });
      });
    });
  }

  send(event: Record<string, unknown>): boolean {
    if (!this.isOpen) return false;
    this.#ws!.send(JSON.stringify(event));
    return true;
  }

  sendAudio(slice: PromptSlice): void {
    if (!this.isOpen) return;
    const event = this.ctx.rec.recordSend(
      { type: 'input_audio_buffer.append', audio: slice.pcm.toString('base64') },
      { audioRef: { offset: slice.offset, bytes: slice.pcm.length } },
    );
    this.send(event);
  }

  /** A session cap was crossed: stop reading now, send a close frame, and drop the socket without waiting. */
  #stopForLimit(): void {
    const ws = this.#ws;
    if (this.#limitStopped || !ws) return;
    this.#limitStopped = true;
    this.#clientClosing = true;
    ws.pause();
    ws.close(LIMIT_CLOSE_CODE, 'limit exceeded');
    setTimeout(() => ws.terminate(), 100).unref();
  }

  async close(): Promise<void> {
    const ws = this.#ws;
    if (!ws || !this.#opened) return;
    if (ws.readyState === WebSocket.OPEN || ws.readyState === WebSocket.CONNECTING) {
      this.#clientClosing = true;
      ws.close(1000, 'probe finished');
      const t = setTimeout(() => {
        this.ctx.rec.add({ kind: 'timeout', scope: 'close', waitingFor: 'close frame', afterMs: CLOSE_WAIT_MS });
        ws.terminate();
      }, CLOSE_WAIT_MS);
      await this.#closeRecorded;
      clearTimeout(t);
    } else if (ws.readyState === WebSocket.CLOSING) {
      const t = setTimeout(() => ws.terminate(), CLOSE_WAIT_MS);
      await this.#closeRecorded;
      clearTimeout(t);
    }
  }
}
