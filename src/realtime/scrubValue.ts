/**
 * Scrubbing at the exits that take structured data (alert-state blobs, webhook payloads, telemetry, index
 * lines): every string inside a JSON-like value goes through the one scrubber beside it (./redact.ts), and
 * so do the round's log lines ({@link scrubbingLog}) and the errors the Function throws ({@link scrubError}), so a
 * key the service echoed back in an error message or a header never leaves the process.
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

/** A log whose every line is scrubbed with the secrets known at the time it is written. */
export function scrubbingLog(log: LineLog, secrets: () => readonly string[]): LineLog {
  return {
    info: (m) => log.info(scrub(m, secrets())),
    warn: (m) => log.warn(scrub(m, secrets())),
    error: (m) => log.error(scrub(m, secrets())),
  };
}
