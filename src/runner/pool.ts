/**
 * Runs tasks with a concurrency bound and an overall deadline. A task not started by the deadline is not
 * started at all (its slot reports `not-started`); tasks already running are given their own deadlines by
 * the caller, so the pool always ends.
 */
export type PoolResult<T> =
  { status: 'done'; value: T } | { status: 'failed'; error: unknown } | { status: 'not-started' };

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

/** What a caller holding a slot can do: step out of it while it waits on something long (e.g. a re-probe). */
export interface SlotLease {
  /** Gives the slot up while `fn` runs and takes one again (waiting its turn) before returning. */
  outside<U>(fn: () => Promise<U>): Promise<U>;
}

/**
 * At most `n` callers inside `run` at a time; the others wait their turn in arrival order. The round uses it to
 * bound how many finished probes load their audio, analyse, render and write their artifacts at once (each holds
 * its audio, WAVs, evidence.zip and report while it does), so a round's memory does not scale with the probe
 * concurrency when probes end together.
 */
export class Slots {
  #free: number;
  readonly #waiting: (() => void)[] = [];

  constructor(n: number) {
    this.#free = Math.max(1, Math.floor(n));
  }

  async run<T>(fn: (lease: SlotLease) => Promise<T>): Promise<T> {
    await this.#acquire();
    const lease: SlotLease = {
      outside: async (inner) => {
        this.#release();
        try {
          return await inner();
        } finally {
          await this.#acquire();
        }
      },
    };
    try {
      return await fn(lease);
    } finally {
      this.#release();
    }
  }

  async #acquire(): Promise<void> {
    if (this.#free > 0) this.#free--;
    else await new Promise<void>((resolve) => this.#waiting.push(resolve));
  }

  #release(): void {
    const next = this.#waiting.shift();
    if (next) next();
    else this.#free++;
  }
}
