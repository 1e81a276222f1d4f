/**
 * Bounded waits: every await that touches the outside world (storage, webhooks, telemetry, a probe) goes through
 * {@link withDeadline}, so a call that never answers costs at most its budget. The abandoned work is not
 * awaited; callers that can cancel it pass the signal on (the blob store aborts its HTTP request).
 */

/** A wait ran out of its budget. `label` names what was waited for (never a URL or a secret). */
export class DeadlineError extends Error {
  override readonly name = 'DeadlineError';
  constructor(
    readonly label: string,
    readonly budgetMs: number,
  ) {
    super(`${label}: no answer within ${Math.max(0, Math.round(budgetMs))} ms`);
  }
}

/**
 * Resolves like `work(signal)`, or rejects with DeadlineError after `budgetMs` (the signal is aborted then, so
 * cancellable work stops). A budget ≤ 0 rejects at once without starting the work.
 */
export async function withDeadline<T>(
  label: string,
  budgetMs: number,
  work: (signal: AbortSignal) => Promise<T>,
  outer?: AbortSignal,
): Promise<T> {
  if (!(budgetMs > 0)) throw new DeadlineError(label, 0);
  if (outer?.aborted) throw new DeadlineError(label, 0);
  const abort = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const onOuter = (): void => abort.abort();
  outer?.addEventListener('abort', onOuter, { once: true });
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      abort.abort();
      reject(new DeadlineError(label, budgetMs));
    }, budgetMs);
    abort.signal.addEventListener('abort', () => reject(new DeadlineError(label, budgetMs)), { once: true });
  });
  timeout.catch(() => undefined); // settled after the race too (the finally aborts): never an unhandled rejection
  try {
    return await Promise.race([work(abort.signal), timeout]);
  } finally {
    clearTimeout(timer);
    outer?.removeEventListener('abort', onOuter);
    abort.abort();
  }
}

/** Milliseconds left until `at` on the real clock (never negative). */
export function msUntil(at: number): number {
  return Math.max(0, at - Date.now());
}
