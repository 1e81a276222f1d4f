/**
 * The next run times of a six-field NCRONTAB schedule (`{second} {minute} {hour} {day} {month} {day-of-week}`,
 * UTC, as the Functions timer reads CANARY_SCHEDULE) — for `validate`'s plan — and from them when a region that
 * runs it counts as silent: the watchdog's deadline. Pure: the times are given. The schedule is parsed and
 * validated by the one NCRONTAB reader in ./ncrontab.ts; day and day-of-week must both match.
 */
import { ncrontabFields } from './ncrontab.js';

/** The next `count` times strictly after `from` that match the schedule (searched up to 5 years ahead). */
export function nextRuns(schedule: string, from: Date, count: number): Date[] {
  const f = ncrontabFields(schedule, { allowEverySecond: true });
  const sorted = (s: Set<number>): number[] => [...s].sort((a, b) => a - b);
  const [secs, mins, hours] = [sorted(f.second), sorted(f.minute), sorted(f.hour)];
  const out: Date[] = [];
  const start = Math.floor(from.getTime() / 1000) * 1000 + 1000;
  const startDay = Date.UTC(from.getUTCFullYear(), from.getUTCMonth(), from.getUTCDate());
  for (let d = 0; d < 366 * 5 && out.length < count; d++) {
    const date = new Date(startDay + d * 86_400_000);
    if (!f.month.has(date.getUTCMonth() + 1) || !f.day.has(date.getUTCDate()) || !f.dayOfWeek.has(date.getUTCDay()))
      continue;
    for (const h of hours) {
      for (const m of mins) {
        for (const s of secs) {
          const t = date.getTime() + ((h * 60 + m) * 60 + s) * 1000;
          if (t >= start) out.push(new Date(t));
          if (out.length === count) return out;
        }
      }
    }
  }
  return out;
}

/** When a region whose round ended at `at` counts as silent, and the interval that is based on. */
export interface SilenceDeadline {
  /** The schedule's next fire after the round started. */
  nextRunAt: string;
  /** The gap between that fire and the one after it. */
  intervalMs: number;
  /** Silent after this (see {@link silenceDeadline}). */
  silentAfter: string;
}

/**
 * The watchdog's deadline for a round that started at `roundStartedAt` and ended at `at`: silent once more than
 * two of its intervals have passed since `at`, and not before the next scheduled run has had a whole interval to
 * finish (a weekday-only schedule is not silent over the weekend). Undefined when the schedule never fires again.
 */
export function silenceDeadline(schedule: string, roundStartedAt: Date, at: Date): SilenceDeadline | undefined {
  const [next, after] = nextRuns(schedule, roundStartedAt, 2);
  if (!next || !after) return undefined;
  const intervalMs = after.getTime() - next.getTime();
  const silentAfter = Math.max(at.getTime() + 2 * intervalMs, next.getTime() + intervalMs);
  return { nextRunAt: next.toISOString(), intervalMs, silentAfter: new Date(silentAfter).toISOString() };
}
