/**
 * How analysis rounds the numbers it writes into report fields (durations to 0.1 ms, ratios and rates to 0.001),
 * and the one median. The typed reads of event payloads are src/json.ts.
 */

/** Rounds a duration to 0.1 ms. */
export function ms1(x: number): number {
  return Math.round(x * 10) / 10;
}

/** Rounds a ratio or a rate to 0.001. */
export function ratio3(x: number): number {
  return Math.round(x * 1000) / 1000;
}

/** The median of `xs` (the mean of the middle two for an even count); null when empty. */
export function median(xs: readonly number[]): number | null {
  if (!xs.length) return null;
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}
