/**
 * Typed reads from untyped event payloads (`Record<string, unknown>`): a missing or mistyped field is
 * `undefined`, never an exception, so a malformed event from a misbehaving service cannot crash the analysis.
 */

/** The value at `path` if it is a plain object. */
export function objAt(value: unknown, ...path: string[]): Record<string, unknown> | undefined {
  const v = at(value, path);
  return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
}

/** The value at `path` if it is a string. */
export function strAt(value: unknown, ...path: string[]): string | undefined {
  const v = at(value, path);
  return typeof v === 'string' ? v : undefined;
}

/** The value at `path` if it is a finite number. */
export function numAt(value: unknown, ...path: string[]): number | undefined {
  const v = at(value, path);
  return typeof v === 'number' && Number.isFinite(v) ? v : undefined;
}

function at(value: unknown, path: string[]): unknown {
  let v = value;
  for (const key of path) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<string, unknown>)[key];
  }
  return v;
}

/** Rounds a duration to 0.1 ms. */
export function ms1(x: number): number {
  return Math.round(x * 10) / 10;
}

/** Rounds a ratio to 0.001. */
export function ratio3(x: number): number {
  return Math.round(x * 1000) / 1000;
}
