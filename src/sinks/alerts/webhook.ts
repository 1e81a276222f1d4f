/**
 * Posting a JSON payload to a webhook (Teams Workflows or a generic receiver) with undici. Each attempt has
 * a timeout; 408, 429, 5xx, network errors and timeouts are retried with exponential backoff and full jitter,
 * honouring `Retry-After` (seconds or an HTTP date, capped); other statuses (4xx, 3xx) are final. Attempts
 * and total time are bounded. Remote failures never throw: the result says what happened.
 *
 * The webhook URL is a secret (Workflows URLs carry a `sig`): it never appears in a result, a log event or an
 * error text. Logs say "webhook", the attempt and the status; errors are reduced to their code.
 */
import { request, type Dispatcher } from 'undici';
import { TOOL_NAME, TOOL_VERSION } from '../../version.js';
import { fullJitterDelay, realSleep, type Sleep } from '../../store/backoff.js';
import { parseRetryAfter } from '../../analysis/retryAfter.js';

/** Retry, timeout and test hooks of {@link postJson}; defaults in parentheses. */
export interface WebhookOptions {
  /** Total attempts, the first included (default 4). */
  attempts?: number;
  /** Timeout per attempt: connect, headers and body (default 10 s). */
  attemptTimeoutMs?: number;
  /** Budget for all attempts and waits (default 60 s). */
  totalTimeoutMs?: number;
  /** Backoff base and cap (defaults 1 s and 15 s). */
  baseDelayMs?: number;
  maxDelayMs?: number;
  /** Longest `Retry-After` honoured (default 30 s); longer values are cut to this. */
  maxRetryAfterMs?: number;
  sleep?: Sleep;
  random?: () => number;
  /** Milliseconds clock (default Date.now). */
  now?: () => number;
  log?: (event: WebhookLogEvent) => void;
  dispatcher?: Dispatcher;
  /** Gives up (reason `deadline`) once aborted: the caller's budget is spent; no attempt starts after it. */
  signal?: AbortSignal;
}

/** What gets logged: never the URL. */
export interface WebhookLogEvent {
  sink: 'webhook';
  attempt: number;
  outcome: 'delivered' | 'retrying' | 'failed';
  status?: number;
  error?: string;
  delayMs?: number;
}

/** The outcome of {@link postJson}: delivered (2xx) or why not. No URL in it. */
export type DeliveryResult =
  | { delivered: true; status: number; attempts: number; elapsedMs: number }
  | {
      delivered: false;
      /** Last HTTP status, if the receiver answered. */
      status: number | undefined;
      attempts: number;
      elapsedMs: number;
      /** `rejected`: a final status (e.g. 400); `exhausted`: retries used up; `deadline`: total time used up. */
      reason: 'rejected' | 'exhausted' | 'deadline' | 'invalid-url';
      /** Code of the last transport error (e.g. `ECONNREFUSED`, `timeout`). */
      error?: string;
    };

const DEFAULTS = {
  attempts: 4,
  attemptTimeoutMs: 10_000,
  totalTimeoutMs: 60_000,
  baseDelayMs: 1_000,
  maxDelayMs: 15_000,
  maxRetryAfterMs: 30_000,
};

type Attempt = { status: number; retryAfter: string | undefined } | { error: string };

/** POSTs `payload` as JSON. Resolves with the outcome; never rejects for remote failures. */
export async function postJson(url: string, payload: unknown, options: WebhookOptions = {}): Promise<DeliveryResult> {
  const o = { ...DEFAULTS, ...options };
  const now = options.now ?? Date.now;
  const sleep = options.sleep ?? realSleep;
  const log = options.log ?? (() => undefined);
  const start = now();
  const elapsed = (): number => now() - start;
  if (!isHttpUrl(url)) return { delivered: false, status: undefined, attempts: 0, elapsedMs: 0, reason: 'invalid-url' };
  const body = JSON.stringify(payload);
  let last: Attempt = { error: 'not_attempted' };
  for (let attempt = 1; attempt <= o.attempts; attempt++) {
    const remaining = o.totalTimeoutMs - elapsed();
    if (remaining <= 0 || options.signal?.aborted) return failed('deadline', last, attempt - 1);
    last = await attemptOnce(url, body, Math.min(o.attemptTimeoutMs, remaining), options.dispatcher, options.signal);
    const status = 'status' in last ? last.status : undefined;
    if (status !== undefined && status >= 200 && status < 300) {
      log({ sink: 'webhook', attempt, outcome: 'delivered', status });
      return { delivered: true, status, attempts: attempt, elapsedMs: elapsed() };
    }
    const error = 'error' in last ? last.error : undefined;
    if (status !== undefined && !isRetryableStatus(status)) {
      log({ sink: 'webhook', attempt, outcome: 'failed', status });
      return failed('rejected', last, attempt);
    }
    if (attempt === o.attempts) break;
    const retryAfter = 'retryAfter' in last ? parseRetryAfter(last.retryAfter, now()) : undefined;
    const delayMs =
      retryAfter !== undefined
        ? Math.min(retryAfter, o.maxRetryAfterMs)
        : fullJitterDelay(attempt, o.baseDelayMs, o.maxDelayMs, options.random);
    if (elapsed() + delayMs >= o.totalTimeoutMs) {
      log({ sink: 'webhook', attempt, outcome: 'failed', status, error });
      return failed('deadline', last, attempt);
    }
    log({ sink: 'webhook', attempt, outcome: 'retrying', status, error, delayMs });
    await sleep(delayMs);
    if (options.signal?.aborted) return failed('deadline', last, attempt);
  }
  log({ sink: 'webhook', attempt: o.attempts, outcome: 'failed', ...statusOrError(last) });
  return failed('exhausted', last, o.attempts);

  function failed(reason: 'rejected' | 'exhausted' | 'deadline', a: Attempt, attempts: number): DeliveryResult {
    return {
      delivered: false,
      reason,
      attempts,
      elapsedMs: elapsed(),
      status: 'status' in a ? a.status : undefined,
      ...('error' in a ? { error: a.error } : {}),
    };
  }
}

/** 408, 429 and 5xx are worth another attempt. */
export function isRetryableStatus(status: number): boolean {
  return status === 408 || status === 429 || status >= 500;
}

async function attemptOnce(
  url: string,
  body: string,
  timeoutMs: number,
  dispatcher: Dispatcher | undefined,
  outer?: AbortSignal,
): Promise<Attempt> {
  const abort = new AbortController();
  const timer = setTimeout(() => abort.abort(), timeoutMs);
  const onOuter = (): void => abort.abort();
  outer?.addEventListener('abort', onOuter, { once: true });
  try {
    const res = await request(url, {
      method: 'POST',
      body,
      headers: { 'content-type': 'application/json', 'user-agent': `${TOOL_NAME}/${TOOL_VERSION}` },
      signal: abort.signal,
      headersTimeout: timeoutMs,
      bodyTimeout: timeoutMs,
      ...(dispatcher ? { dispatcher } : {}),
    });
    await res.body.dump({ limit: 64 * 1024 }).catch(() => undefined);
    const retryAfter = res.headers['retry-after'];
    return { status: res.statusCode, retryAfter: Array.isArray(retryAfter) ? retryAfter[0] : retryAfter };
  } catch (error) {
    return { error: abort.signal.aborted ? 'timeout' : errorCode(error) };
  } finally {
    clearTimeout(timer);
    outer?.removeEventListener('abort', onOuter);
  }
}

/** The code of a transport error (`ECONNREFUSED`, `UND_ERR_SOCKET`, …), never its message (which may quote the URL). */
function errorCode(error: unknown): string {
  const e = error as { code?: unknown; name?: unknown; cause?: { code?: unknown } } | undefined;
  for (const c of [e?.code, e?.cause?.code, e?.name]) if (typeof c === 'string' && /^[A-Za-z0-9_]+$/.test(c)) return c;
  return 'network_error';
}

function statusOrError(a: Attempt): { status?: number; error?: string } {
  return 'status' in a ? { status: a.status } : { error: a.error };
}

function isHttpUrl(url: string): boolean {
  try {
    const u = new URL(url);
    return u.protocol === 'https:' || u.protocol === 'http:';
  } catch {
    return false;
  }
}
