/**
 * The probe's own event-loop delay, so a report can tell "the canary itself was blocked for 420 ms" from a
 * service stall. A high-resolution ticker (every ~10 ms) records a `probe-stall` entry whenever it wakes more
 * than `stallFloorMs` late (bounded in count); `perf_hooks.monitorEventLoopDelay` gives the per-turn
 * p50 / p99 / max recorded as one `loop-delay` entry at each turn's end.
 */
import { monitorEventLoopDelay, performance, type IntervalHistogram } from 'node:perf_hooks';
import type { TraceRecorder } from './recorder.js';

/** Default of {@link LoopMonitorOptions.stallFloorMs}: lateness below it is only in the turn's `loop-delay`. */
export const STALL_FLOOR_MS = 50;

export interface LoopMonitorOptions {
  tickMs?: number;
  /** Only wake-ups later than this become `probe-stall` entries (default {@link STALL_FLOOR_MS}). */
  stallFloorMs?: number;
  /** At most this many `probe-stall` entries per session. */
  maxStalls?: number;
}

const ms3 = (x: number): number => Math.round(x * 1000) / 1000;

export class LoopMonitor {
  readonly #tickMs: number;
  readonly #floorMs: number;
  readonly #maxStalls: number;
  #stalls = 0;
  #timer: NodeJS.Timeout | undefined;
  #expected = 0;
  #histogram: IntervalHistogram | undefined;
  /** The ticker's worst lateness in the current turn. */
  #maxLate = 0;

  constructor(
    private readonly rec: Pick<TraceRecorder, 'add'>,
    o: LoopMonitorOptions = {},
  ) {
    this.#tickMs = o.tickMs ?? 10;
    this.#floorMs = o.stallFloorMs ?? STALL_FLOOR_MS;
    this.#maxStalls = o.maxStalls ?? 200;
  }

  start(): void {
    if (this.#timer) return;
    this.#histogram = monitorEventLoopDelay({ resolution: this.#tickMs });
    this.#histogram.enable();
    this.#schedule(performance.now());
  }

  /** Starts a new per-turn window. */
  turnStart(): void {
    this.#histogram?.reset();
    this.#maxLate = 0;
  }

  /** Records the `loop-delay` entry of the turn that just ended. */
  turnEnd(): void {
    const h = this.#histogram;
    if (!h) return;
    // The histogram holds whole intervals between its timer's wake-ups: the delay is what exceeds the resolution.
    const late = (ns: number): number => (h.count > 0 ? Math.max(0, ns / 1e6 - this.#tickMs) : 0);
    const p50Ms = ms3(late(h.percentile(50)));
    const p99Ms = ms3(late(h.percentile(99)));
    const maxMs = ms3(Math.max(late(h.max), this.#maxLate));
    this.rec.add({ kind: 'loop-delay', p50Ms, p99Ms, maxMs });
  }

  stop(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#histogram?.disable();
  }

  #schedule(from: number): void {
    this.#expected = from + this.#tickMs;
    this.#timer = setTimeout(() => this.#tick(), this.#tickMs);
    this.#timer.unref();
  }

  #tick(): void {
    const now = performance.now();
    const late = now - this.#expected;
    if (late > this.#maxLate) this.#maxLate = late;
    if (late >= this.#floorMs && this.#stalls < this.#maxStalls) {
      this.#stalls++;
      this.rec.add({ kind: 'probe-stall', durationMs: ms3(late) });
    }
    this.#schedule(now);
  }
}
