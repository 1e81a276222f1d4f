/**
 * How long a service asked its caller to wait: the HTTP `Retry-After` header (seconds or a date), Azure's
 * `retry-after-ms`, and the "Please try again in 1m26.4s" / "Please retry after 10 seconds" of a rate-limit message.
 * Pure; read by the analysis (a throttled upgrade or response) and by the webhook sender (a throttled card).
 */

/**
 * Milliseconds to wait from a `Retry-After` value: delta-seconds (`"120"`) or an HTTP date, relative to
 * `nowMs`. `undefined` when absent or unparseable; never negative.
 */
export function parseRetryAfter(value: string | undefined, nowMs: number): number | undefined {
  if (value === undefined) return undefined;
  const v = value.trim();
  if (/^\d+$/.test(v)) return Number(v) * 1000;
  const at = Date.parse(v);
  return Number.isNaN(at) || !/[a-z]/i.test(v) ? undefined : Math.max(0, at - nowMs);
}

/** Longest wait believed (a day): anything longer is a garbled header, not advice. */
const MAX_WAIT_MS = 86_400_000;

/**
 * The wait an HTTP answer asks for: `retry-after-ms` (Azure OpenAI, milliseconds) first, else `Retry-After`, read
 * relative to `nowMs` (when the answer arrived). Header names in any case; undefined when neither is usable.
 */
export function retryAfterOfHeaders(headers: Readonly<Record<string, string>>, nowMs: number): number | undefined {
  const get = (name: string): string | undefined =>
    Object.entries(headers).find(([k]) => k.toLowerCase() === name)?.[1];
  const ms = get('retry-after-ms')?.trim();
  if (ms && /^\d+(\.\d+)?$/.test(ms)) return bounded(Number(ms));
  return bounded(parseRetryAfter(get('retry-after'), nowMs));
}

/** "try again in 1m26.4s" / "in 644ms" / "in 10s" / "retry after 10 seconds" / "in 2 minutes", in ms. */
const TRY_AGAIN =
  /\b(?:try again|retry)(?: after| in)+\s+((?:\d+(?:\.\d+)?\s*(?:h|hours?|m(?!s)|min(?:ute)?s?|s|sec(?:ond)?s?|ms)\s*)+)/i;
const PART = /(\d+(?:\.\d+)?)\s*(ms|h|hours?|min(?:ute)?s?|m|sec(?:ond)?s?|s)/gi;
const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** The wait a service's message asks for ("Please try again in 1m26.4s."), in ms; undefined when it names none. */
export function retryAfterInText(text: string | undefined): number | undefined {
  const m = text ? TRY_AGAIN.exec(text) : null;
  if (!m) return undefined;
  let total = 0;
  for (const [, n, unit] of m[1]!.matchAll(PART)) {
    const u = unit!.toLowerCase();
    total += Number(n) * UNIT_MS[u === 'ms' ? 'ms' : u[0]!]!;
  }
  return bounded(total);
}

function bounded(ms: number | undefined): number | undefined {
  return ms !== undefined && Number.isFinite(ms) && ms >= 0 && ms <= MAX_WAIT_MS ? Math.round(ms) : undefined;
}
