/**
 * The sideband WebSocket of a WebRTC call (`…/realtime?call_id=rtc_…`, authenticated with the target's standard
 * key or Entra token): it receives every event of the call, which the data channel does not under Azure's
 * `webrtcfilter=on`. Its upgrade is recorded as an `http-exchange` entry (stage `sideband`) like the handshake's
 * POSTs: request headers masked, the response's status and headers, the body of a refusal (bounded).
 *
 * Events arrive on both the data channel and the sideband; {@link EventDedup} keeps the first copy of each
 * `event_id`, so the trace holds every event once whichever path brought it.
 */
import WebSocket from 'ws';
import type { TraceRecorder } from '../recorder.js';
import { MAX_BODY_WAIT_MS, readRefusalBody } from '../refusalBody.js';
import { recordExchange, type ExchangeResult } from './http.js';

/** Frames larger than this end the sideband (the recorder's own oversize rule applies below it). */
const MAX_FRAME = 32 * 1024 * 1024;

export interface SidebandHandlers {
  onMessage(data: Buffer): void;
  onClose(code: number, reason: string): void;
}

/**
 * Opens the sideband and records its upgrade. `ws` is undefined (and recorded) when it is refused (`status` is the
 * answer's HTTP status) or does not open in time (`status` 0).
 */
export function openSideband(
  rec: TraceRecorder,
  url: URL,
  headers: Record<string, string>,
  timeoutMs: number,
  secrets: () => readonly string[],
  on: SidebandHandlers,
): Promise<{ ws?: WebSocket; status: number }> {
  const t0 = rec.now();
  let status = 0;
  const record = (r: ExchangeResult): void => {
    status = r.status;
    recordExchange(rec, { stage: 'sideband', method: 'GET', url, headers }, t0, r, secrets());
  };
  return new Promise((resolve) => {
    let settled = false;
    const settle = (ws: WebSocket | undefined): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(ws ? { ws, status } : { status });
    };
    const ws = new WebSocket(url, {
      headers,
      handshakeTimeout: timeoutMs,
      maxPayload: MAX_FRAME,
      perMessageDeflate: false,
    });
    let refusing = false;
    const timer = setTimeout(() => {
      if (refusing) return; // a refusal is being read, under its own bound
      record({ status: 0, statusText: '', headers: {}, error: `the sideband did not open within ${timeoutMs} ms` });
      ws.terminate();
      settle(undefined);
    }, timeoutMs);
    ws.on('upgrade', (res) =>
      record({ status: res.statusCode ?? 101, statusText: res.statusMessage ?? '', headers: res.headers }),
    );
    ws.on('unexpected-response', (req, res) => {
      refusing = true;
      readRefusalBody(res, Math.min(MAX_BODY_WAIT_MS, timeoutMs), (body) => {
        record({ status: res.statusCode ?? 0, statusText: res.statusMessage ?? '', headers: res.headers, body });
        req.destroy();
        settle(undefined);
      });
    });
    let opened = false;
    ws.on('open', () => {
      opened = true;
      settle(ws);
    });
    ws.on('error', (err) => {
      if (!settled && !refusing) {
        const e = err as Error & { code?: string };
        record({ status: 0, statusText: '', headers: {}, error: `${e.code ?? e.name}: ${e.message}` });
        settle(undefined);
      }
    });
    ws.on('message', (data: Buffer, isBinary) => {
      if (!isBinary) on.onMessage(data);
    });
    ws.on('close', (code, reason) => {
      if (!refusing) settle(undefined); // a refusal settles once its body is recorded
      if (opened) on.onClose(code, reason.toString('utf8')); // a sideband that never opened is recorded above
    });
  });
}

/** Keeps the first copy of each server `event_id` (bounded: the ids of the last `keep` events). */
export class EventDedup {
  readonly #seen = new Set<string>();
  readonly #order: string[] = [];

  constructor(private readonly keep = 4096) {}

  /** True when this frame is the first copy (or carries no event id). */
  first(data: Buffer | string): boolean {
    const head = (typeof data === 'string' ? data : data.subarray(0, 512).toString('utf8')).slice(0, 512);
    const id = /"event_id"\s*:\s*"([^"\\]{1,128})"/.exec(head)?.[1];
    if (id === undefined) return true;
    if (this.#seen.has(id)) return false;
    this.#seen.add(id);
    this.#order.push(id);
    if (this.#order.length > this.keep) this.#seen.delete(this.#order.shift()!);
    return true;
  }
}

/** An audio delta on the sideband: the call's audio of record is its RTP, so such a copy is not recorded. */
export function isAudioDelta(data: Buffer): boolean {
  return /"type"\s*:\s*"response\.(output_)?audio\.delta"/.test(data.subarray(0, 256).toString('utf8'));
}
