/**
 * The next run times of a six-field NCRONTAB schedule (`{second} {minute} {hour} {day} {month} {day-of-week}`,
 * UTC, as the Functions timer reads CANARY_SCHEDULE), for `validate`'s plan. Pure: the start time is given.
 * Supports `*`, lists, ranges, steps and three-letter month/day names; day and day-of-week must both match.
 * (Integrator: `fieldValues` has the signature of the cost helper's src/cost/schedule.ts one — keep one of them.)
 */
import { validateNcrontab } from '../config/settings.js';
import { ConfigError } from '../errors.js';

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const DAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];

/** The values of one NCRONTAB field in [min, max]. */
export function fieldValues(field: string, min: number, max: number, names: readonly string[] = [], nameBase = min): Set<number> {
  const out = new Set<number>();
  const value = (s: string): number => {
    const i = names.indexOf(s.toLowerCase());
    const n = i >= 0 ? i + nameBase : Number(s);
    if (!Number.isInteger(n) || n < min || n > max) throw new ConfigError('CANARY_SCHEDULE', `value "${s}" is outside ${min}–${max}`);
    return n;
  };
  for (const part of field.split(',')) {
    const [range, stepText] = part.split('/');
    const step = stepText === undefined ? 1 : Number(stepText);
    if (!Number.isInteger(step) || step < 1) throw new ConfigError('CANARY_SCHEDULE', `step "${stepText}" must be a whole number ≥ 1`);
    let from = min;
    let to = max;
    if (range !== '*') {
      const [a, b] = range!.split('-');
      from = value(a!);
      to = b === undefined ? (stepText === undefined ? from : max) : value(b);
    }
    if (to < from) throw new ConfigError('CANARY_SCHEDULE', `range "${range}" runs backwards`);
    for (let v = from; v <= to; v += step) out.add(v);
  }
  return out;
}

/** The next `count` times strictly after `from` that match the schedule (searched up to 5 years ahead). */
export function nextRuns(schedule: string, from: Date, count: number): Date[] {
  validateNcrontab(schedule);
  const [sec, min, hour, dom, month, dow] = schedule.trim().split(/\s+/) as [string, string, string, string, string, string];
  const sorted = (s: Set<number>): number[] => [...s].sort((a, b) => a - b);
  const secs = sorted(fieldValues(sec, 0, 59));
  const mins = sorted(fieldValues(min, 0, 59));
  const hours = sorted(fieldValues(hour, 0, 23));
  const days = fieldValues(dom, 1, 31);
  const months = fieldValues(month, 1, 12, MONTHS, 1);
  const weekdays = new Set([...fieldValues(dow, 0, 7, DAYS, 0)].map((d) => d % 7));
  const out: Date[] = [];
  const start = Math.floor(from.getTime() / 1000) * 1000 + 1000;
  const startDay = Date.UTC(from.getUTCFullYear(), from.getUTCMonth(), from.getUTCDate());
  for (let d = 0; d < 366 * 5 && out.length < count; d++) {
    const date = new Date(startDay + d * 86_400_000);
    if (!months.has(date.getUTCMonth() + 1) || !days.has(date.getUTCDate()) || !weekdays.has(date.getUTCDay())) continue;
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
