/** Number and time formatting shared by the report pages (durations and ratios as analysis writes them, see ../analysis/format.ts). */
import { dur, pct } from '../analysis/format.js';

/** `2026-11-24 02:20:13 UTC` (seconds precision) from an ISO time or epoch ms; `—` when invalid. */
export function utc(at: string | number): string {
  const d = new Date(at);
  if (Number.isNaN(d.getTime())) return '—';
  return `${d.toISOString().slice(0, 19).replace('T', ' ')} UTC`;
}

/** `2026-11-24T02:20:13.232Z` from epoch ms (ISO, millisecond precision); `—` when invalid. */
export function iso(epochMs: number): string {
  const d = new Date(epochMs);
  return Number.isNaN(d.getTime()) ? '—' : d.toISOString();
}

/** "740 ms" under a second, "2.3 s" above; `—` for null. */
export function ms(value: number | null | undefined): string {
  return value === null || value === undefined || !Number.isFinite(value) ? '—' : dur(value);
}

/**
 * "18.6 s": seconds with one decimal as `toFixed` rounds them, for a run's, a round's or a gap's length in logs,
 * tables and cards (finding messages use ../analysis/format.ts `sec`, which rounds to the nearest 0.1 s first).
 */
export function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}

/** "18.6 s" or "2 min 05 s" for a run's duration (to the second). */
export function duration(value: number): string {
  if (value < 60_000) return seconds(value);
  const s = Math.round(value / 1000);
  return `${Math.floor(s / 60)} min ${String(s % 60).padStart(2, '0')} s`;
}

/** "98 %" from a ratio, bounded to 0 … 100 %; `—` for null. */
export function percent(ratio: number | null | undefined): string {
  return ratio === null || ratio === undefined || !Number.isFinite(ratio) ? '—' : pct(Math.min(1, Math.max(0, ratio)));
}

/** A number rounded to at most `digits` decimals, without trailing zeros (for compact SVG coordinates). */
export function num(value: number, digits = 1): string {
  const f = 10 ** digits;
  return String(Math.round(value * f) / f);
}
