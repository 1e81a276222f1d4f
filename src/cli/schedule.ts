/**
 * The next run times of a six-field NCRONTAB schedule (`{second} {minute} {hour} {day} {month} {day-of-week}`,
 * UTC, as the Functions timer reads CANARY_SCHEDULE), for `validate`'s plan. Pure: the start time is given.
 * Supports `*`, lists, ranges, steps and three-letter month/day names; day and day-of-week must both match.
 */
import { validateNcrontab } from '../config/settings.js';
import { ConfigError } from '../errors.js';

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const DAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];

interface Field {
  min: number;
  max: number;
  names?: string[];
  /** Value of the first name (1 for months, 0 for days). */
  nameBase?: number;
}

const FIELDS: Field[] = [
  { min: 0, max: 59 },
  { min: 0, max: 59 },
  { min: 0, max: 23 },
  { min: 1, max: 31 },
  { min: 1, max: 12, names: MONTHS, nameBase: 1 },
  { min: 0, max: 6, names: DAYS, nameBase: 0 },
];

/** The values a field allows. */
function expand(text: string, f: Field, index: number): Set<number> {
  const out = new Set<number>();
  const value = (v: string): number => {
    const named = f.names?.indexOf(v.toLowerCase()) ?? -1;
    const n = named >= 0 ? named + (f.nameBase ?? 0) : Number(v);
    const max = f.max === 6 && n === 7 ? 7 : f.max; // 7 is Sunday too
    if (!Number.isInteger(n) || n < f.min || n > max) throw new ConfigError('CANARY_SCHEDULE', `field ${index + 1} value "${v}" is outside ${f.min}–${f.max}`);
    return f.max === 6 ? n % 7 : n;
  };
  for (const part of text.split(',')) {
    const [range, stepText] = part.split('/');
    const step = stepText === undefined ? 1 : Number(stepText);
    if (!Number.isInteger(step) || step < 1) throw new ConfigError('CANARY_SCHEDULE', `field ${index + 1} step "${stepText}" must be a whole number ≥ 1`);
    let lo: number;
    let hi: number;
    if (range === '*') [lo, hi] = [f.min, f.max];
    else if (range!.includes('-')) [lo, hi] = range!.split('-').map(value) as [number, number];
    else [lo, hi] = [value(range!), stepText === undefined ? value(range!) : f.max];
    if (hi < lo) throw new ConfigError('CANARY_SCHEDULE', `field ${index + 1} range "${range}" runs backwards`);
    for (let v = lo; v <= hi; v += step) out.add(v);
  }
  return out;
}

/** The next `count` times strictly after `from` that match the schedule (searched up to 5 years ahead). */
export function nextRuns(schedule: string, from: Date, count: number): Date[] {
  validateNcrontab(schedule);
  const [sec, min, hour, day, month, dow] = schedule.trim().split(/\s+/).map((t, i) => expand(t, FIELDS[i]!, i)) as Set<number>[];
  const out: Date[] = [];
  const start = Math.floor(from.getTime() / 1000) * 1000 + 1000;
  const startDay = Date.UTC(from.getUTCFullYear(), from.getUTCMonth(), from.getUTCDate());
  const sorted = (s: Set<number>): number[] => [...s].sort((a, b) => a - b);
  const [secs, mins, hours] = [sorted(sec!), sorted(min!), sorted(hour!)];
  for (let d = 0; d < 366 * 5 && out.length < count; d++) {
    const date = new Date(startDay + d * 86_400_000);
    if (!month!.has(date.getUTCMonth() + 1) || !day!.has(date.getUTCDate()) || !dow!.has(date.getUTCDay())) continue;
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
