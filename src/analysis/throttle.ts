/**
 * Throttling, told apart from a service fault: the service had no capacity for the request (Azure's
 * `inference_service_unavailable_error`, "The server is overloaded or not ready yet", input billed and no output), or
 * the caller ran out of quota (`rate_limit_exceeded`, requests per minute or per day, tokens per minute). Both are
 * transient capacity signals — retry, raise the quota or move region — never a server bug for a support case.
 * Pure: from an `error` object as the service sends it (in an `error` event or in `response.done`'s
 * `status_details`).
 */
import type { RecvEntry } from '../trace/trace.js';
import { EV } from '../realtime/events.js';
import { objAt, strAt } from '../json.js';
import { clip, maskKeys, quote } from './format.js';
import { retryAfterInText } from './retryAfter.js';

/** The finding a throttled request gets. */
export type ThrottleCode = 'rate_limited' | 'capacity_unavailable';

/** Which limit a rate-limit message names. */
export type RateLimitKind = 'RPM' | 'RPD' | 'TPM' | 'TPD';

/** What each limit is, in words, and how its message names it (RPD before RPM: "requests per day (RPD)"). */
export const RATE_LIMITS: readonly { kind: RateLimitKind; words: string; test: RegExp }[] = [
  { kind: 'RPD', words: 'requests per day', test: /requests per day|\bRPD\b/i },
  { kind: 'TPD', words: 'tokens per day', test: /tokens per day|\bTPD\b/i },
  { kind: 'RPM', words: 'requests per minute', test: /requests per min|\bRPM\b|call rate limit/i },
  { kind: 'TPM', words: 'tokens per minute', test: /tokens per min|\bTPM\b|token rate limit/i },
];

/** `error.code`s of a capacity failure (F1: distinct from `server_error`). */
const CAPACITY_CODES = new Set(['inference_service_unavailable_error']);
const CAPACITY_TYPES = new Set(['service_unavailable_error']);

/** A throttled request, as the analysis reports it. */
export interface Throttle {
  code: ThrottleCode;
  /** Rate limits: which one, when the message says (absent when it does not). */
  limit?: RateLimitKind;
  /** How long the service asked to wait ("Please try again in 1m26.4s"), ms. */
  retryAfterMs?: number;
  /** The service's own words, `type/code: “message”`, key-like text masked. */
  said: string;
}

/** The service's error fields, as strings when present. */
export interface ServiceError {
  type?: string;
  code?: string;
  message?: string;
}

/** The throttle an error object describes, or undefined when it is another error. */
export function throttleOf(e: ServiceError): Throttle | undefined {
  const text = e.message ?? '';
  const capacity = CAPACITY_CODES.has(e.code ?? '') || CAPACITY_TYPES.has(e.type ?? '');
  const rate =
    e.code === 'rate_limit_exceeded' ||
    e.type === 'rate_limit_error' ||
    /\brate limit (reached|exceeded)\b|\bexceeded (the |your )?(token |call )?rate limit\b/i.test(text);
  if (!capacity && !rate) return undefined;
  const kind = [e.type, e.code].filter(Boolean).join('/');
  const said = `${kind}${kind && text ? ': ' : ''}${text ? quote(clip(maskKeys(text), 240)) : ''}`;
  const retryAfterMs = retryAfterInText(text);
  const limit = rate ? RATE_LIMITS.find((l) => l.test.test(text))?.kind : undefined;
  return {
    code: capacity ? 'capacity_unavailable' : 'rate_limited',
    ...(limit ? { limit } : {}),
    ...(retryAfterMs !== undefined ? { retryAfterMs } : {}),
    said,
  };
}

/** The throttle of an `error` event, if it is one. */
export function throttleOfErrorEvent(e: RecvEntry): Throttle | undefined {
  if (e.type !== EV.error) return undefined;
  return throttleOf(serviceError(objAt(e.event, 'error')));
}

/** The throttle that failed a response (`response.done` `failed` with a throttling error), if any. */
export function throttleOfDone(done: RecvEntry | undefined): Throttle | undefined {
  if (!done || strAt(done.event, 'response', 'status') !== 'failed') return undefined;
  return throttleOf(serviceError(objAt(done.event, 'response', 'status_details', 'error')));
}

/** A rate limit's words: "requests per day (RPD)", or "a rate limit" when the message does not say which. */
export function limitWords(limit: RateLimitKind | undefined): string {
  const row = RATE_LIMITS.find((l) => l.kind === limit);
  return row ? `${row.words} (${row.kind})` : 'a rate limit';
}

function serviceError(o: Record<string, unknown> | undefined): ServiceError {
  const type = strAt(o, 'type');
  const code = strAt(o, 'code');
  const message = strAt(o, 'message');
  return { ...(type ? { type } : {}), ...(code ? { code } : {}), ...(message ? { message } : {}) };
}
