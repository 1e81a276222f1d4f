/**
 * A target's own interval (`"every": "30m"`): how often it is probed, in whole minutes from 1 minute to 1 day,
 * written with a unit — `m` minutes, `h` hours, `d` days (`"5m"`, `"30m"`, `"1h"`, `"1d"`). Without it a target is
 * probed at the round's schedule. Where its probes fall inside the interval is ../runner/plan.ts's stable jitter.
 */
import { ConfigError } from '../errors.js';
import { shown } from './shown.js';

const UNIT_MS = { m: 60_000, h: 3_600_000, d: 86_400_000 } as const;
export const MIN_EVERY_MS = 60_000;
export const MAX_EVERY_MS = 86_400_000;

/** The interval in ms; throws ConfigError naming `field` for anything else. */
export function parseEvery(raw: unknown, field: string): number {
  const m = typeof raw === 'string' ? /^\s*(\d{1,5})\s*([mhd])\s*$/.exec(raw) : null;
  const ms = m ? Number(m[1]) * UNIT_MS[m[2] as keyof typeof UNIT_MS] : NaN;
  if (!(ms >= MIN_EVERY_MS && ms <= MAX_EVERY_MS)) {
    const got = typeof raw === 'string' ? `, got ${shown(raw)}` : '';
    throw new ConfigError(field, `must be an interval like "5m", "30m" or "1h" (1 minute to 1 day)${got}`);
  }
  return ms;
}

/** An interval as a target writes it (`1h`, `90m`, `1d`). */
export function formatEvery(ms: number): string {
  if (ms % UNIT_MS.d === 0) return `${ms / UNIT_MS.d}d`;
  if (ms % UNIT_MS.h === 0) return `${ms / UNIT_MS.h}h`;
  return `${Math.round(ms / UNIT_MS.m)}m`;
}
