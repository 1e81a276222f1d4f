/**
 * Untyped JSON, read safely, for the whole product (settings, scenario files, event payloads, stored blobs): whether a
 * value is a plain object, typed reads where a missing or mistyped field is `undefined` (never an exception, so a
 * malformed event from a misbehaving service cannot crash anything), and parsing a setting's JSON with an error that
 * names the setting.
 */
import { ConfigError } from './errors.js';

/** Whether `v` is a plain object (not null, not an array). */
export function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** The value at `path` if it is a plain object. */
export function objAt(value: unknown, ...path: string[]): Record<string, unknown> | undefined {
  const v = at(value, path);
  return isRecord(v) ? v : undefined;
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

/**
 * `text` parsed as JSON, or a {@link ConfigError} on `field` saying `problem` with the parser's reason, e.g.
 * `CANARY_TARGETS: is not valid JSON (Unexpected token …)`.
 */
export function parseConfigJson(text: string, field: string, problem = 'is not valid JSON'): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (err) {
    throw new ConfigError(field, `${problem} (${(err as Error).message})`);
  }
}
