/**
 * Scrubbing at the exits that take structured data (alert-state blobs, webhook payloads, telemetry, index
 * lines): every string inside a JSON-like value goes through the one scrubber beside it (./redact.ts), and
 * so do the round's log lines ({@link scrubbingLog}, one line each) and the errors the Function throws
 * ({@link scrubError}), so a key the service echoed back in an error message or a header never leaves the process.
 */
import type { LineLog } from '../log.js';
import { scrub } from './redact.js';

/** A copy of `value` with every string scrubbed (object keys included). Plain data only (JSON-like). */
export function scrubValue<T>(value: T, secrets: readonly string[]): T {
  return walk(value, secrets) as T;
}

function walk(v: unknown, secrets: readonly string[]): unknown {
  if (typeof v === 'string') return scrub(v, secrets);
  if (Array.isArray(v)) return v.map((x) => walk(x, secrets));
  if (v !== null && typeof v === 'object' && !(v instanceof Date) && !Buffer.isBuffer(v)) {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) out[scrub(k, secrets)] = walk(x, secrets);
    return out;
  }
  return v;
}

/** `err` with its message and stack scrubbed (the same object, so its class and fields stay), for rethrowing. */
export function scrubError(err: unknown, secrets: readonly string[]): Error {
  if (!(err instanceof Error)) return new Error(scrub(String(err), secrets));
  err.message = scrub(err.message, secrets);
  if (err.stack) err.stack = scrub(err.stack, secrets);
  return err;
}

/** Line breaks and other control characters (not tab), which would start a forged line or recolour a terminal. */
const CONTROL = /[\u0000-\u0008\u000a-\u001f\u007f\u2028\u2029]/g;
const ESCAPES: Readonly<Record<string, string>> = { '\n': '\\n', '\r': '\\r' };

/** `m` on one line: each control character shown escaped (`\n`, `\r`, `\u001b`), so no message can forge a line. */
export function oneLine(m: string): string {
  return m.replace(CONTROL, (c) => ESCAPES[c] ?? `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/**
 * A log whose every line is scrubbed with the secrets known at the time it is written, and kept to one line: a
 * region, a blob name or a service's text with a line break in it cannot forge a log line.
 */
export function scrubbingLog(log: LineLog, secrets: () => readonly string[]): LineLog {
  return {
    info: (m) => log.info(oneLine(scrub(m, secrets()))),
    warn: (m) => log.warn(oneLine(scrub(m, secrets()))),
    error: (m) => log.error(oneLine(scrub(m, secrets()))),
  };
}
