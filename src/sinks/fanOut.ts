/**
 * The round's one fan-out point: calls one hook of every sink, each under its own deadline (its budget, cut
 * to what is left of the round), `Promise.allSettled`-style — a sink that throws or hangs is logged and
 * skipped, and never stops another sink or another target. `record` sinks complete before `notify` sinks.
 */
import { msUntil, withDeadline } from '../deadline.js';
import type { LineLog } from '../log.js';
import type { RunSink, SinkContext } from './runSink.js';

/** One sink that did not finish. */
export interface SinkFailure {
  sink: string;
  reason: string;
}

/** Where a fan-out runs: the round's log, clock and hard deadline. */
export interface FanOutContext {
  log: LineLog;
  now: () => Date;
  roundStartedAt: Date;
  /** Epoch ms (real clock) by which every call must have ended. */
  deadlineAt: number;
  /** The round's own signal (aborted at its deadline). */
  signal?: AbortSignal;
  /** The stages to run (default both, `record` first): a round runs a run's notifications after its durable writes. */
  stages?: readonly RunSink['stage'][];
}

export type Hook = (sink: RunSink, ctx: SinkContext) => Promise<void> | undefined;

/** Runs `hook` on every sink that has it; resolves (never rejects) with the failures. `what` names the call for logs. */
export async function fanOut(
  sinks: readonly RunSink[],
  what: string,
  hook: Hook,
  fc: FanOutContext,
): Promise<SinkFailure[]> {
  const failures: SinkFailure[] = [];
  for (const stage of fc.stages ?? (['record', 'notify'] as const)) {
    const group = sinks.filter((s) => s.stage === stage);
    const settled = await Promise.allSettled(
      group.map((sink) =>
        withDeadline(
          `${sink.name} sink (${what})`,
          Math.min(sink.budgetMs, msUntil(fc.deadlineAt)),
          async (signal) => {
            await hook(sink, { log: fc.log, now: fc.now, roundStartedAt: fc.roundStartedAt, signal });
          },
          fc.signal,
        ),
      ),
    );
    settled.forEach((r, i) => {
      if (r.status === 'fulfilled') return;
      const failure = { sink: group[i]!.name, reason: errorText(r.reason) };
      failures.push(failure);
      fc.log.error(`${failure.sink} sink failed (${what}): ${failure.reason}`);
    });
  }
  return failures;
}

export function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
