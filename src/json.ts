/**
 * Untyped JSON, read safely, for the whole product (settings, scenario files, event payloads, stored blobs): whether a
 * value is a plain object, typed reads where a missing or mistyped field is `undefined` (never an exception, so a
 * malformed event from a misbehaving service cannot crash anything), and parsing a setting's JSON with an error that
 * names the setting and never quotes its text.
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
 * `text` parsed as JSON, or a {@link ConfigError} on `field` saying `problem` with where the parser stopped and
 * none of the text, e.g. `CANARY_TARGETS: is not valid JSON (unexpected character)`: a setting may hold a key.
 */
export function parseConfigJson(text: string, field: string, problem = 'is not valid JSON'): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (err) {
    throw new ConfigError(field, `${problem} (${jsonSyntax(err)})`);
  }
}

/**
 * What is wrong with JSON text, from JSON.parse's error, without any of the text (the runtime quotes the first
 * characters of it): `unexpected character at line 1, column 3`.
 */
export function jsonSyntax(err: unknown): string {
  const message = err instanceof Error ? err.message : String(err);
  const at = /position (\d+)(?: \(line (\d+) column (\d+)\))?/.exec(message);
  const where = at ? (at[2] ? ` at line ${at[2]}, column ${at[3]}` : ` at character ${Number(at[1]) + 1}`) : '';
  const what = message
    .replace(/^Unexpected token.*$/s, 'unexpected character')
    .replace(/^Unexpected end of JSON input.*$/s, 'it ends too early')
    .split(/\s+in JSON\b|\s+at position|\s+is not valid JSON|,?\s*(?:\.\.\.)?"/)[0]!
    .slice(0, 80);
  return `${what.charAt(0).toLowerCase()}${what.slice(1)}${where}`;
}
