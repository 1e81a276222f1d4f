/**
 * The HTTP exchanges of the WebRTC handshake (ephemeral key, SDP offer), each recorded as an `http-exchange`
 * entry like the WebSocket upgrade: request headers secrets-masked, all response headers, the body on error
 * (scrubbed, truncated). A network failure or the deadline becomes `status: 0` with `error`; nothing throws.
 */
import { redactHeaders, redactUrl, scrub } from '../../realtime/redact.js';
import type { TraceRecorder } from '../recorder.js';

const MAX_BODY = 64 * 1024;

export interface HttpRequest {
  stage: string;
  url: URL;
  headers: Record<string, string>;
  body: string;
  timeoutMs: number;
}

export interface HttpResult {
  status: number;
  headers: Headers;
  text: string;
}

/** What an exchange gave: the response's status and headers, the body of a refusal, or why there was none. */
export interface ExchangeResult {
  status: number;
  statusText: string;
  headers: Record<string, string | string[] | undefined>;
  body?: string;
  error?: string;
}

/** Records one exchange begun at `t0` as an `http-exchange` entry: headers masked, body and error scrubbed. */
export function recordExchange(
  rec: TraceRecorder,
  request: { stage: string; method: string; url: URL; headers: Record<string, string> },
  t0: number,
  r: ExchangeResult,
  secrets: readonly string[],
): void {
  rec.add(
    {
      kind: 'http-exchange',
      stage: request.stage,
      method: request.method,
      url: redactUrl(request.url),
      requestHeaders: redactHeaders(request.headers),
      status: r.status,
      statusText: r.statusText,
      headers: redactHeaders(r.headers),
      ...(r.body !== undefined ? { body: scrub(r.body, secrets) } : {}),
      ...(r.error !== undefined ? { error: scrub(r.error, secrets) } : {}),
      durationMs: round1(rec.now() - t0),
    },
    t0,
  );
}

/** Sends one POST and records it; undefined when no response came. */
export async function recordedPost(
  rec: TraceRecorder,
  r: HttpRequest,
  secrets: () => readonly string[],
): Promise<HttpResult | undefined> {
  const t0 = rec.now();
  const request = { stage: r.stage, method: 'POST', url: r.url, headers: r.headers };
  const ctrl = new AbortController();
  const timer = setTimeout(() => ctrl.abort(), r.timeoutMs);
  try {
    const res = await fetch(r.url, {
      method: 'POST',
      headers: r.headers,
      body: r.body,
      signal: ctrl.signal,
      redirect: 'manual',
    });
    const text = await res.text();
    const headers: Record<string, string> = {};
    res.headers.forEach((v, k) => (headers[k] = v));
    const failed = res.status < 200 || res.status >= 300;
    recordExchange(
      rec,
      request,
      t0,
      { status: res.status, statusText: res.statusText, headers, ...(failed ? { body: text.slice(0, MAX_BODY) } : {}) },
      secrets(),
    );
    return { status: res.status, headers: res.headers, text };
  } catch (err) {
    const e = err as Error & { cause?: { code?: string; message?: string } };
    const why = ctrl.signal.aborted
      ? `no response within ${r.timeoutMs} ms`
      : `${e.cause?.code ?? e.name}: ${e.cause?.message ?? e.message}`;
    recordExchange(rec, request, t0, { status: 0, statusText: '', headers: {}, error: why }, secrets());
    return undefined;
  } finally {
    clearTimeout(timer);
  }
}

const round1 = (x: number): number => Math.round(x * 10) / 10;
