/**
 * How often a six-field NCRONTAB schedule fires, on average, per day: the count of matching seconds × minutes ×
 * hours, times the share of days the day-of-month, month and day-of-week fields allow (a month of the rates
 * table's average length). Pure; the schedule is read by the one NCRONTAB parser in ./ncrontab.ts. What the cost
 * projection multiplies a run by (it takes the number, so cost/ needs no schedule parser).
 */
import { DAYS_PER_MONTH } from '../cost/rates.js';
import { ncrontabFields } from './ncrontab.js';

/** Average runs per day of a schedule. */
export function runsPerDay(schedule: string): number {
  const f = ncrontabFields(schedule, { allowEverySecond: true });
  const perDay = f.second.size * f.minute.size * f.hour.size;
  const days = f.restricted.day ? f.day.size / DAYS_PER_MONTH : 1;
  const months = f.restricted.month ? f.month.size / 12 : 1;
  const weekdays = f.restricted.dayOfWeek ? f.dayOfWeek.size / 7 : 1;
  return perDay * Math.min(1, days) * months * weekdays;
}
