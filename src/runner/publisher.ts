/**
 * How a round publishes through the fan-out (../sinks/fanOut.ts) so that no sink starves another. Durable writes
 * (the `record` stage: artifacts, the index line, the verdict) wait only for the upload of what earlier rounds
 * spooled (older writes land first; that upload runs beside the first probes, never in front of them). A run's
 * notifications (the `notify` stage: alerts, telemetry) start after its durable writes, in the background, and
 * must end {@link notificationReserveMs} before the round's deadline: a webhook that never answers cannot take the
 * time another run's index line, verdict or the dashboard needs. The round awaits `settled()` before its end.
 */
import { msUntil, withDeadline } from '../deadline.js';
import type { LineLog } from '../log.js';
import { errorText, fanOut, type FanOutContext, type Hook, type SinkFailure } from '../sinks/fanOut.js';
import type { RunSink } from '../sinks/runSink.js';
import { Slots } from './pool.js';
import type { RoundStore } from './round.js';

/** Time before the round's deadline kept free of notifications: 10 % of the deadline, 2 to 15 s. */
export function notificationReserveMs(roundDeadlineMs: number): number {
  return Math.min(15_000, Math.max(2_000, Math.round(roundDeadlineMs * 0.1)));
}

/** What the spool upload at the start of a round found. */
export interface SpoolReport {
  /** Writes waiting in the spool's dead/ folder (retried there with backoff). */
  deadLetters: number;
}

/**
 * Uploads what earlier rounds spooled, under `budgetMs`; never rejects. When it cannot finish, the store is marked
 * unavailable for the rest of the round, so this round's writes are spooled behind the older ones.
 */
export async function uploadSpool(store: RoundStore, budgetMs: number, log: LineLog): Promise<SpoolReport> {
  const flush = store.flush;
  if (!flush) return { deadLetters: 0 };
  try {
    const f = await withDeadline('spool upload', budgetMs, () => flush());
    if (f.uploaded > 0 || f.remaining > 0)
      log.info(`spool: uploaded ${f.uploaded} artifact(s) from earlier runs, ${f.remaining} still waiting`);
    const dead = f.deadLetters ?? 0;
    if (dead > 0)
      log.warn(
        `spool: ${dead} write(s) the store refused wait in the spool's dead/ folder; each is tried again with ` +
          `backoff (1 h, doubling to 24 h)`,
      );
    return { deadLetters: dead };
  } catch (err) {
    const why = `spool upload stopped: ${errorText(err)}`;
    store.markUnavailable?.(why);
    log.warn(`${why}; the rest waits for the next round`);
    return { deadLetters: 0 };
  }
}

export interface Publisher {
  /** Runs `hook` on the durable sinks (after the spool upload), then starts it on the notifying ones. */
  publish(what: string, hook: Hook): Promise<SinkFailure[]>;
  /** Resolves once every notification started has ended (each is bounded by its own deadline). */
  settled(): Promise<void>;
}

/** `notifying` bounds how many runs notify at once (the round's concurrency). */
export function publisher(
  sinks: readonly RunSink[],
  fc: FanOutContext,
  o: { ready: Promise<unknown>; notifyEndAt: number; notifying: number },
): Publisher {
  const notifying: Promise<unknown>[] = [];
  const slots = new Slots(o.notifying);
  return {
    async publish(what, hook) {
      await withDeadline('the spool upload', msUntil(fc.deadlineAt), () => o.ready).catch(() => undefined);
      const failures = await fanOut(sinks, what, hook, { ...fc, stages: ['record'] });
      const notify = { ...fc, stages: ['notify'] as const, deadlineAt: o.notifyEndAt };
      notifying.push(slots.run(() => fanOut(sinks, what, hook, notify)));
      return failures;
    },
    settled: async () => void (await Promise.all(notifying)),
  };
}
