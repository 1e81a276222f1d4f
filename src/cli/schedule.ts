/**
 * The next run times of a six-field NCRONTAB schedule (`{second} {minute} {hour} {day} {month} {day-of-week}`,
 * UTC, as the Functions timer reads CANARY_SCHEDULE), for `validate`'s plan. Pure: the start time is given. The
 * schedule is parsed and validated by the one NCRONTAB reader in ../config/ncrontab.ts; day and day-of-week must
 * both match.
 */
import { ncrontabFields } from '../config/ncrontab.js';

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
