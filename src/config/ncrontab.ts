/**
 * Six-field NCRONTAB as the Functions timer reads it: {second} {minute} {hour} {day} {month} {day-of-week}, UTC,
 * specials `* , - /` only. Every value is range-checked (`99 99 99 * * *` would pass a shape check and never
 * fire), and a schedule that fires every second is refused unless CANARY_ALLOW_EVERY_SECOND=true: a round
 * takes far longer than a second, so it is almost certainly a typo for a minute schedule.
 */
import { ConfigError } from '../errors.js';
import { shown } from './shown.js';

const SETTING = 'CANARY_SCHEDULE';
const FIELDS = [
  { name: 'second', min: 0, max: 59 },
  { name: 'minute', min: 0, max: 59 },
  { name: 'hour', min: 0, max: 23 },
  { name: 'day', min: 1, max: 31 },
  {
    name: 'month',
    min: 1,
    max: 12,
    names: ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'],
    base: 1,
  },
  { name: 'day-of-week', min: 0, max: 6, names: ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'], base: 0 },
] as const;

/** The values each field of a schedule matches (day-of-week 0 = Sunday), for what runs when and how often. */
export interface NcrontabFields {
  second: Set<number>;
  minute: Set<number>;
  hour: Set<number>;
  day: Set<number>;
  month: Set<number>;
  dayOfWeek: Set<number>;
  /** Which of day and day-of-week were restricted (not `*`). */
  restricted: { day: boolean; month: boolean; dayOfWeek: boolean };
}

/** Parses and validates a schedule; throws ConfigError naming the field and the bad value. */
export function ncrontabFields(schedule: string, options: { allowEverySecond?: boolean } = {}): NcrontabFields {
  const fields = schedule.trim().split(/\s+/);
  if (fields.length !== 6)
    throw new ConfigError(
      SETTING,
      `must have six fields (second minute hour day month day-of-week), got ${fields.length}: ${shown(schedule)}`,
    );
  const [second, minute, hour, day, month, dayOfWeek] = fields.map((f, i) => expand(f, FIELDS[i]!)) as [
    Set<number>,
    Set<number>,
    Set<number>,
    Set<number>,
    Set<number>,
    Set<number>,
  ];
  if (second.size === 60 && !options.allowEverySecond) {
    throw new ConfigError(
      SETTING,
      `${shown(schedule)} fires every second; a round cannot finish in a second (use e.g. "0 */10 * * * *"), or set ` +
        `CANARY_ALLOW_EVERY_SECOND=true if you really mean it`,
    );
  }
  return {
    second,
    minute,
    hour,
    day,
    month,
    dayOfWeek,
    restricted: { day: fields[3] !== '*', month: fields[4] !== '*', dayOfWeek: fields[5] !== '*' },
  };
}

/** Validates a schedule; throws ConfigError naming the field and the bad value. */
export function validateNcrontab(schedule: string, options: { allowEverySecond?: boolean } = {}): void {
  ncrontabFields(schedule, options);
}

type Field = (typeof FIELDS)[number];

/** The values a field matches; throws on bad syntax or out-of-range values. */
function expand(text: string, field: Field): Set<number> {
  const out = new Set<number>();
  for (const part of text.split(',')) {
    const m = /^([^/]+)(?:\/(\d+))?$/.exec(part);
    if (!m) throw bad(text, field, 'use digits and * , - /');
    const step = m[2] === undefined ? 1 : Number(m[2]);
    if (step < 1) throw bad(text, field, 'a step must be at least 1');
    let lo: number;
    let hi: number;
    if (m[1] === '*') [lo, hi] = [field.min, field.max];
    else {
      const range = m[1]!.split('-');
      if (range.length > 2) throw bad(text, field, 'use digits and * , - /');
      lo = value(range[0]!, text, field);
      hi = range.length === 2 ? value(range[1]!, text, field) : m[2] === undefined ? lo : field.max;
      if (hi < lo) throw bad(text, field, `range ${lo}-${hi} runs backwards`);
    }
    for (let v = lo; v <= hi; v += step) out.add(v);
  }
  return out;
}

function value(token: string, text: string, field: Field): number {
  let v: number;
  if (/^\d+$/.test(token)) v = Number(token);
  else {
    const names: readonly string[] | undefined = 'names' in field ? field.names : undefined;
    const i = names?.indexOf(token.toLowerCase()) ?? -1;
    if (i < 0 || !('base' in field)) throw bad(text, field, 'use digits and * , - /');
    v = i + field.base;
  }
  if (v < field.min || v > field.max)
    throw bad(text, field, `${field.name} must be from ${field.min} to ${field.max}, got ${v}`);
  return v;
}

function bad(text: string, field: Field, why: string): ConfigError {
  return new ConfigError(SETTING, `field ${shown(text)} (${field.name}) is not valid NCRONTAB: ${why}`);
}
