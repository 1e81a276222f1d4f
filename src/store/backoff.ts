/**
 * Retry timing shared by the stores and the webhook: exponential backoff with full jitter
 * (delay = random(0, min(max, base · 2^(retry-1)))), with the clock, sleep and randomness injectable so
 * tests can assert delays without waiting.
 */

/** Waits `ms` milliseconds. */
export type Sleep = (ms: number) => Promise<void>;

/** The real timer-based sleep. */
export const realSleep: Sleep = (ms) => new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));

/** Full-jitter delay before retry number `retry` (1 = the first retry). */
export function fullJitterDelay(
  retry: number,
  baseMs: number,
  maxMs: number,
  random: () => number = Math.random,
): number {
  const ceiling = Math.min(maxMs, baseMs * 2 ** Math.max(0, retry - 1));
  return Math.floor(random() * ceiling);
}

/** Options of {@link retrying}. */
export interface RetryOptions {
  /** Total attempts including the first (≥ 1). */
  attempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
  /** Whether an error is worth another attempt. */
  isRetryable: (error: unknown) => boolean;
  sleep?: Sleep;
  random?: () => number;
}

/** Calls `fn` until it succeeds, a non-retryable error occurs, or the attempts run out (then the last error is thrown). */
export async function retrying<T>(fn: (attempt: number) => Promise<T>, options: RetryOptions): Promise<T> {
  const sleep = options.sleep ?? realSleep;
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn(attempt);
    } catch (error) {
      if (attempt >= options.attempts || !options.isRetryable(error)) throw error;
      await sleep(fullJitterDelay(attempt, options.baseDelayMs, options.maxDelayMs, options.random));
    }
  }
}
