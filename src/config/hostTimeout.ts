/**
 * The Functions host kills an invocation at host.json's `functionTimeout`; the round must end before that with
 * a margin (artifacts written, spool flushed). This reads the timeout and derives the longest allowed round
 * deadline. Plain parsing here; the handler does the file read.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError } from '../errors.js';
import { parseConfigJson } from '../json.js';
import { shown } from './shown.js';

/** Flex Consumption's default when host.json sets none (30 min). */
export const DEFAULT_FUNCTION_TIMEOUT_MS = 30 * 60_000;

/** `hh:mm:ss` (or `d.hh:mm:ss`) → ms; `-1` (unbounded) → undefined. Throws ConfigError naming `source`. */
export function parseTimeSpan(text: string, source: string): number | undefined {
  const t = text.trim();
  if (t === '-1') return undefined;
  const m = /^(?:(\d+)\.)?(\d{1,2}):(\d{2}):(\d{2})$/.exec(t);
  if (!m) throw new ConfigError(source, `must be a time span hh:mm:ss (or -1), got ${shown(t)}`);
  const [d, h, min, s] = [m[1] ?? '0', m[2]!, m[3]!, m[4]!].map(Number) as [number, number, number, number];
  if (min > 59 || s > 59) throw new ConfigError(source, 'has minutes or seconds above 59');
  const ms = (((d * 24 + h) * 60 + min) * 60 + s) * 1000;
  if (ms <= 0) throw new ConfigError(source, 'must be longer than zero');
  return ms;
}

/** The margin kept below the function timeout: 10 %, at least 30 s. */
export function safetyMarginMs(functionTimeoutMs: number): number {
  return Math.max(30_000, Math.round(functionTimeoutMs * 0.1));
}

/** `functionTimeout` from a host.json text, or undefined when it has none (or is unbounded). */
export function functionTimeoutFromHostJson(text: string): number | undefined {
  const parsed = parseConfigJson(text, 'host.json');
  const v = (parsed as { functionTimeout?: unknown } | null)?.functionTimeout;
  if (v === undefined) return undefined;
  if (typeof v !== 'string') throw new ConfigError('host.json.functionTimeout', 'must be a string hh:mm:ss');
  return parseTimeSpan(v, 'host.json.functionTimeout');
}

/** Reads host.json from the app root (the Functions host's working folder), if there is one. */
export function readHostFunctionTimeout(dir = process.cwd()): number | undefined {
  let text: string;
  try {
    text = readFileSync(join(dir, 'host.json'), 'utf8');
  } catch {
    return undefined;
  }
  return functionTimeoutFromHostJson(text);
}
