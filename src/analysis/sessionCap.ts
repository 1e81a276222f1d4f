/**
 * The session cap: the service ends a session at its maximum duration — OpenAI with close 1001 "Your session hit the
 * maximum duration of 60 minutes." (2024's beta sent an `error` `session_expired` first), Azure reportedly at about
 * 30 minutes. Whether that is the canary's doing depends on how long the session really lasted: a session that ran
 * to the cap it names was simply as long as the service allows (a configuration of the canary: fewer turns or a
 * lower CANARY_SESSION_TIMEOUT_MS, whose ceiling is 30 minutes); one cut far short of that cap was ended early by
 * the service under the wrong name (an incident). Pure.
 */
import type { CloseEntry, RecvEntry, Trace } from '../trace/trace.js';
import { EV } from '../realtime/events.js';
import { strAt } from '../json.js';

/** "maximum duration of 60 minutes" (any unit), or the phrase alone. */
const CAP_TEXT = /maximum duration(?: of (\d+(?:\.\d+)?)\s*(second|minute|hour)s?)?/i;
const UNIT_MS = { second: 1000, minute: 60_000, hour: 3_600_000 } as const;

/** The shortest cap on record (the 2024 beta's 15 minutes): a session shorter than this cannot have reached one. */
const SHORTEST_CAP_MS = 15 * 60_000;

/** A session the service ended at (what it called) its maximum duration. */
export interface SessionCap {
  /** The close that ended it (absent when only the `error` came before the socket ended otherwise). */
  close: CloseEntry | undefined;
  /** The `session_expired` error, if the service sent one. */
  error: RecvEntry | undefined;
  /** Trace time the session ended. */
  t: number;
  /** What the service said (the close reason or the error's message). */
  said: string;
  /** The cap the service named, ms (undefined when it named none). */
  capMs: number | undefined;
  /** From `session.created` (else the trace's start) to the end, ms. */
  elapsedMs: number;
  /** Whether the session really ran to the cap (the canary's session is too long), or was cut short. */
  reachedCap: boolean;
}

/** Whether an `error` event says the session hit its maximum duration. */
export function isSessionCapError(e: RecvEntry): boolean {
  if (e.type !== EV.error) return false;
  return (
    strAt(e.event, 'error', 'code') === 'session_expired' || CAP_TEXT.test(strAt(e.event, 'error', 'message') ?? '')
  );
}

/** The session cap of `trace`, if the service ended the session at its maximum duration. */
export function sessionCap(trace: Trace): SessionCap | undefined {
  const close = trace.entries.find((e): e is CloseEntry => e.kind === 'close');
  const error = trace.entries.find((e): e is RecvEntry => e.kind === 'recv' && isSessionCapError(e));
  const byClose = close && close.initiatedBy === 'server' && CAP_TEXT.test(close.reason) ? close : undefined;
  if (!byClose && !error) return undefined;
  const said = byClose ? byClose.reason : (strAt(error!.event, 'error', 'message') ?? 'session_expired');
  const m = CAP_TEXT.exec(said);
  const capMs = m?.[1] ? Number(m[1]) * UNIT_MS[m[2]!.toLowerCase() as keyof typeof UNIT_MS] : undefined;
  const created = trace.entries.find((e) => e.kind === 'recv' && e.type === EV.sessionCreated);
  const t = (byClose ?? close ?? error!).t;
  const elapsedMs = Math.max(0, t - (created?.t ?? 0));
  const reachedCap = elapsedMs >= (capMs !== undefined ? capMs * 0.9 : SHORTEST_CAP_MS);
  return { close: byClose ?? close, error, t, said, capMs, elapsedMs, reachedCap };
}
