/**
 * Waits for server events with deadlines. Every wait ends: with the event, at its deadline, or when the
 * socket closes — so nothing a server does (or fails to do) can hang the probe. Waits look back to a mark,
 * so an event that arrived before the wait began (e.g. in the same packet as the upgrade) is not missed.
 */
import type { RecvEntry } from '../trace/trace.js';

/** `next`: the mark just after the matching event (a later wait from there sees only what came after it). */
export type WaitResult = { kind: 'event'; entry: RecvEntry; next: number } | { kind: 'timeout' } | { kind: 'closed' };

interface Pending {
  match: (e: RecvEntry) => boolean;
  finish: (r: WaitResult) => void;
}

export class EventWaiter {
  readonly #seen: RecvEntry[] = [];
  readonly #pending = new Set<Pending>();
  #closed = false;

  /** Feeds a received event to the waits that match it. */
  deliver(entry: RecvEntry): void {
    const next = this.#seen.push(entry);
    for (const p of [...this.#pending]) if (p.match(entry)) p.finish({ kind: 'event', entry, next });
  }

  /** The socket is gone (or the session deadline passed): every current and future wait ends with `closed`. */
  close(): void {
    this.#closed = true;
    for (const p of [...this.#pending]) p.finish({ kind: 'closed' });
  }

  get closed(): boolean {
    return this.#closed;
  }

  /** A position in the event stream; pass it to `waitFor` to accept events from there on. */
  mark(): number {
    return this.#seen.length;
  }

  waitFor(match: (e: RecvEntry) => boolean, timeoutMs: number, since = this.mark()): Promise<WaitResult> {
    for (let i = Math.max(0, since); i < this.#seen.length; i++)
      if (match(this.#seen[i]!)) return Promise.resolve({ kind: 'event', entry: this.#seen[i]!, next: i + 1 });
    if (this.#closed) return Promise.resolve({ kind: 'closed' });
    return new Promise((resolve) => {
      const p: Pending = {
        match,
        finish: (r) => {
          clearTimeout(timer);
          this.#pending.delete(p);
          resolve(r);
        },
      };
      const timer = setTimeout(() => p.finish({ kind: 'timeout' }), Math.max(0, timeoutMs));
      this.#pending.add(p);
    });
  }

  /** Resolves after `ms`, or earlier when the socket closes. */
  sleep(ms: number): Promise<void> {
    return this.waitFor(() => false, ms).then(() => undefined);
  }
}
