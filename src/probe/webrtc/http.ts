/**
 * The HTTP exchanges of the WebRTC handshake (ephemeral key, SDP offer), each recorded as an `http-exchange`
 * entry like the WebSocket upgrade: request headers secrets-masked, all response headers, the body on error
 * (scrubbed, truncated). A network failure or the deadline becomes `status: 0` with `error`; nothing throws.
 * Answers are read up to {@link MAX_ANSWER} bytes (an SDP answer is a few KB): a larger one, or a successful answer
 * the caller's `check` finds unusable (not SDP, no ephemeral key), is recorded with its `problem` — the service's
 * answer is bad, which analysis tells apart from a blocked media path.
 */
import { redactHeaders, redactUrl, scrub } from '../../realtime/redact.js';
import type { TraceRecorder } from '../recorder.js';

const MAX_BODY = 64 * 1024;
/** The most of an answer the probe reads; past it the body is cancelled and the answer is a problem. */
export const MAX_ANSWER = 256 * 1024;

export interface HttpRequest {
  stage: string;
  url: URL;
  headers: Record<string, string>;
  body: string;
  timeoutMs: number;
  /** What is wrong with a successful (2xx) answer's body, or undefined when it is usable. */
  check?: (text: string) => string | undefined;
}

export interface HttpResult {
  status: number;
  headers: Headers;
  text: string;
  /** Why a successful answer cannot be used (too large, or what `check` said). */
  problem?: string;
}

/** What an exchange gave: the response's status and headers, the body of a refusal, or why there was none. */
export interface ExchangeResult {
  status: number;
  statusText: string;
  headers: Record<string, string | string[] | undefined>;
  body?: string;
  error?: string;
  problem?: string;
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
      ...(r.problem !== undefined ? { problem: scrub(r.problem, secrets) } : {}),
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
    const { text, complete } = await boundedText(res, MAX_ANSWER);
    const headers: Record<string, string> = {};
    res.headers.forEach((v, k) => (headers[k] = v));
    const failed = res.status < 200 || res.status >= 300;
    const problem = failed
      ? undefined
      : complete
        ? r.check?.(text)
        : `the answer is larger than ${MAX_ANSWER / 1024} KiB (the probe stopped reading it)`;
    recordExchange(
      rec,
      request,
      t0,
      {
        status: res.status,
        statusText: res.statusText,
        headers,
        ...(failed || problem ? { body: text.slice(0, MAX_BODY) } : {}),
        ...(problem ? { problem } : {}),
      },
      secrets(),
    );
    return { status: res.status, headers: res.headers, text, ...(problem ? { problem } : {}) };
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

/** The body as text, reading at most `max` bytes (then cancelling the rest): `complete` false when it was longer. */
async function boundedText(res: Response, max: number): Promise<{ text: string; complete: boolean }> {
  if (!res.body) return { text: '', complete: true };
  const reader = res.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return { text: Buffer.concat(chunks).toString('utf8'), complete: true };
    chunks.push(value);
    size += value.byteLength;
    if (size > max) {
      await reader.cancel().catch(() => undefined);
      return { text: Buffer.concat(chunks).subarray(0, max).toString('utf8'), complete: false };
    }
  }
}

const round1 = (x: number): number => Math.round(x * 10) / 10;
