/**
 * How the service words a response that does not complete and a session that ends, by failure class, with the
 * source of each shape:
 * - `server_error`: OpenAI's 2025+ wording (openai-realtime-api-beta#116), Azure GA's short form (MS Q&A 5821653).
 * - `capacity`: Azure's `inference_service_unavailable_error` (MS Q&A 5846034, field-2026-12.md §0.3): input billed,
 *   zero output.
 * - `rate-limit-rpm` / `rate-limit-rpd`: `rate_limit_exceeded` in `response.done` `failed` (livekit/agents PR 2967:
 *   "When Realtime API hits a rate limit or 'failure' of response.done"; a live log reads "response failed: [tokens]
 *   rate_limit_exceeded"), worded as openai-agents-js#1022 quotes it ("Rate limit reached for gpt-4o-mini-realtime in
 *   organization org-xx on requests per day (RPD): Limit 1000, Used 1000, Requested 1. Please try again in 1m26.4s.
 *   Visit https://platform.openai.com/account/rate-limits to learn more."; the per-minute form says "requests per min
 *   (RPM)"). The limit names an internal model family, not the model asked for. Nothing is billed (our reading).
 *   Azure's in-session wording is unconfirmed; the simulator uses OpenAI's on both.
 * - session expiry: `error` `session_expired`, then close 1001 with the same words (realtime-protocol.md rows 17–18).
 */
import type { ResponseStatus } from './payloads.js';

export type FailureKind = 'server_error' | 'capacity' | 'rate-limit-rpm' | 'rate-limit-rpd';

/** `status_details.error` of a failed response. */
export interface FailedError {
  type: string;
  code: string | null;
  message: string;
}

/** Who failed and where: the parts of the wording that vary. */
export interface FailureContext {
  azure: boolean;
  sessionId: string;
  model: string;
}

/** The `failed` message: Azure GA's short form (MS Q&A 5821653), OpenAI's 2025+ wording (openai-realtime-api-beta#116). */
export function failedMessage(azure: boolean, sessionId: string): string {
  return azure
    ? 'The server had an error while processing your request.'
    : 'The server had an error while processing your request. Sorry about that! Please contact us through our help ' +
        'center at help.openai.com if the error persists. ' +
        `(include session ID in your message: ${sessionId}). We recommend you retry your request.`;
}

/** The internal model family a rate limit names ("gpt-4o-mini-realtime" for gpt-realtime-mini, #1022). */
function limitFamily(model: string): string {
  return /mini/i.test(model) ? 'gpt-4o-mini-realtime' : 'gpt-4o-realtime';
}

/** The rate-limit message for a window, as openai-agents-js#1022 quotes the daily one. */
export function rateLimitMessage(window: 'rpm' | 'rpd', model: string): string {
  const [span, limit, wait] = window === 'rpd' ? ['day (RPD)', 1000, '1m26.4s'] : ['min (RPM)', 20, '2.5s'];
  return (
    `Rate limit reached for ${limitFamily(model)} in organization org-simulator on requests per ${span}: ` +
    `Limit ${limit}, Used ${limit}, Requested 1. Please try again in ${wait}. ` +
    'Visit https://platform.openai.com/account/rate-limits to learn more.'
  );
}

/** `status_details.error` for a failure class (`code` only for `server_error`, whose code may be given). */
export function failedError(kind: FailureKind, ctx: FailureContext, code: string | null = null): FailedError {
  switch (kind) {
    case 'server_error':
      return { type: 'server_error', code, message: failedMessage(ctx.azure, ctx.sessionId) };
    case 'capacity':
      return {
        type: 'service_unavailable_error',
        code: 'inference_service_unavailable_error',
        message: 'The server is overloaded or not ready yet. Please try again later.',
      };
    case 'rate-limit-rpm':
    case 'rate-limit-rpd':
      return {
        type: 'requests',
        code: 'rate_limit_exceeded',
        message: rateLimitMessage(kind === 'rate-limit-rpd' ? 'rpd' : 'rpm', ctx.model),
      };
  }
}

/** Whether the failed response bills its input (a capacity failure does; a rate-limited request is not run). */
export function billsInput(kind: FailureKind): boolean {
  return kind !== 'rate-limit-rpm' && kind !== 'rate-limit-rpd';
}

/** `status_details` for a final status, as the service words it. */
export function statusDetails(
  status: ResponseStatus,
  reason: string | undefined,
  ctx: FailureContext,
  failure: FailureKind = 'server_error',
): Record<string, unknown> | null {
  switch (status) {
    case 'in_progress':
    case 'completed':
      return null;
    case 'cancelled':
      return { type: 'cancelled', reason: reason ?? 'turn_detected' };
    case 'incomplete':
      return { type: 'incomplete', reason: reason ?? 'max_output_tokens' };
    case 'failed':
      return { type: 'failed', error: failedError(failure, ctx, reason ?? null) };
  }
}

/** The service's session cap, ms: OpenAI's 60 minutes (Azure's reported ~30 minutes is unconfirmed). */
export const MAX_SESSION_MS = 60 * 60_000;

/** What a session that hits its maximum duration receives: the `error` body and the close reason (1001). */
export function sessionExpired(): { error: FailedError & { param: null }; closeCode: 1001; closeReason: string } {
  const message = `Your session hit the maximum duration of ${MAX_SESSION_MS / 60_000} minutes.`;
  return {
    error: { type: 'invalid_request_error', code: 'session_expired', message, param: null },
    closeCode: 1001,
    closeReason: message,
  };
}
