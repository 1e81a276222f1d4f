/**
 * How often a six-field NCRONTAB schedule fires, on average, per day: the count of matching seconds × minutes ×
 * hours, times the share of days the day-of-month, month and day-of-week fields allow. Pure; the schedule is
 * assumed to have passed `validateNcrontab`.
 */
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
    for (let v = from; v <= to; v += step) out.add(v);
  }
  return out;
}

/** Average runs per day of a schedule. */
export function runsPerDay(schedule: string): number {
  const [sec, min, hour, dom, month, dow] = schedule.trim().split(/\s+/);
  if (dow === undefined) throw new ConfigError('CANARY_SCHEDULE', 'must have six fields');
  const perDay = fieldValues(sec!, 0, 59).size * fieldValues(min!, 0, 59).size * fieldValues(hour!, 0, 23).size;
  const days = dom === '*' ? 1 : fieldValues(dom!, 1, 31).size / 30.44;
  const months = month === '*' ? 1 : fieldValues(month!, 1, 12, MONTHS, 1).size / 12;
  const weekdays = dow === '*' ? 1 : new Set([...fieldValues(dow!, 0, 7, DAYS, 0)].map((d) => d % 7)).size / 7;
  return perDay * Math.min(1, days) * months * weekdays;
}
