/**
 * Runs tasks with a concurrency bound and an overall deadline. A task not started by the deadline is not
 * started at all (its slot reports `not-started`); tasks already running are given their own deadlines by
 * the caller, so the pool always ends.
 */
export type PoolResult<T> = { status: 'done'; value: T } | { status: 'failed'; error: unknown } | { status: 'not-started' };

export async function runPool<I, T>(
  items: readonly I[],
  concurrency: number,
  deadlineAt: number,
  task: (item: I, index: number) => Promise<T>,
  now: () => number = Date.now,
): Promise<PoolResult<T>[]> {
  const results: PoolResult<T>[] = items.map(() => ({ status: 'not-started' }));
  let next = 0;
  async function worker(): Promise<void> {
    while (next < items.length) {
      const i = next++;
      if (now() >= deadlineAt) continue;
      try {
        results[i] = { status: 'done', value: await task(items[i]!, i) };
      } catch (error) {
        results[i] = { status: 'failed', error };
      }
    }
  }
  await Promise.all(Array.from({ length: Math.max(1, Math.min(concurrency, items.length)) }, worker));
  return results;
}
