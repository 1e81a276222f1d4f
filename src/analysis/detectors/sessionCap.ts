/**
 * `session_max_duration`: the service ended the session at (what it called) its maximum duration — its own finding,
 * not a `connection_dropped`. The message says whether the session really ran to the cap it names (the canary's
 * session is too long) or was cut far short of it (the service ended it early). See ../sessionCap.ts.
 */
import type { Finding } from '../findings.js';
import { ms1 } from '../fields.js';
import { clip, maskKeys, quote, span } from '../format.js';
import { sessionCap } from '../sessionCap.js';
import { closeContext } from './connection.js';
import type { RunDetector } from './types.js';

export const sessionMaxDuration: RunDetector = {
  name: 'session_max_duration',
  detect({ trace, views }): Finding[] {
    const cap = sessionCap(trace);
    if (!cap) return [];
    const { during, skipped, where, rest } = cap.close
      ? closeContext(views, cap.close)
      : { during: undefined, skipped: 0, where: '', rest: '' };
    const how = cap.close ? `close ${cap.close.code} ` : '';
    const named = cap.capMs !== undefined ? ` of ${span(cap.capMs)}` : '';
    const verdict = cap.reachedCap
      ? "the session ran as long as the service allows: the canary's session is too long for it (fewer turns or a " +
        'lower CANARY_SESSION_TIMEOUT_MS), not an outage'
      : `far short of the maximum${named} it names: the service ended the session early`;
    return [
      {
        code: 'session_max_duration',
        severity: during || skipped ? 'critical' : 'major',
        turn: during?.turn ?? null,
        traceMs: ms1(cap.t),
        durationMs: ms1(cap.elapsedMs),
        message:
          `The service ended the session at its maximum duration (${how}${quote(clip(maskKeys(cap.said), 120))}) ` +
          `after ${span(cap.elapsedMs)}${where}${rest} — ${verdict}.`,
      },
    ];
  },
};
