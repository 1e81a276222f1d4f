/**
 * `server_error_event`: `error` events and frames that could not be read. A `server_error` is critical; a
 * `response_cancel_not_active` right after the probe's own cancel is a harmless race (info), and so is a
 * `conversation_already_has_active_response` the probe answered by sending its create again; the rest are major.
 * Throttling errors (`rate_limited`, `capacity_unavailable`) and the session cap's `session_expired`
 * (`session_max_duration`) have findings of their own.
 */
import type { InvalidFrameEntry, InvalidFrameProblem, RecvEntry, TraceEntry } from '../../trace/trace.js';
import { EV } from '../../realtime/events.js';
import type { Finding, Severity } from '../findings.js';
import { strAt } from '../../json.js';
import { ms1 } from '../fields.js';
import { clip, maskKeys, quote } from '../format.js';
import { isSessionCapError } from '../sessionCap.js';
import { throttleOfErrorEvent } from '../throttle.js';
import type { TurnDetector } from './types.js';
import { isRefusal } from '../turnView.js';

/** Findings for the `error` events and invalid frames among `entries`, attributed to `turn`. */
export function errorFindings(entries: readonly TraceEntry[], turn: number | null): Finding[] {
  const probeCancelled = entries.some((e) => e.kind === 'send' && e.type === 'response.cancel' && e.byProbe);
  const resentAt = entries.filter((e) => e.kind === 'turn-clock' && e.cause === 'resent').map((e) => e.t);
  const out: Finding[] = entries
    .filter((e): e is RecvEntry => e.kind === 'recv' && e.type === EV.error)
    .filter((e) => !throttleOfErrorEvent(e) && !isSessionCapError(e))
    .map((e) => {
      const type = strAt(e.event, 'error', 'type') ?? 'unknown';
      const code = strAt(e.event, 'error', 'code');
      const message = strAt(e.event, 'error', 'message');
      const severity: Severity =
        type === 'server_error'
          ? 'critical'
          : (code === 'response_cancel_not_active' && probeCancelled) || (isRefusal(e) && resentAt.some((t) => t > e.t))
            ? 'info'
            : 'major';
      return {
        code: 'server_error_event' as const,
        severity,
        turn,
        traceMs: ms1(e.t),
        message: `The service sent an error event ${type}${code ? `/${code}` : ''}${message ? `: ${quote(clip(maskKeys(message)))}` : ''}.`,
      };
    });
  out.push(...invalidFrameFindings(entries, turn));
  return out;
}

/** What each special kind of unreadable frame means for the reader. */
const PROBLEM_TEXT: Partial<Record<InvalidFrameProblem, (n: number) => string>> = {
  'invalid-base64': (n) =>
    `${n} audio delta${n > 1 ? 's' : ''} carried a delta that is not valid base64 PCM16; nothing was decoded, ` +
    `so ${n > 1 ? 'their' : 'its'} audio is missing from the turn`,
  'too-deep': (n) =>
    `${n} frame${n > 1 ? 's were' : ' was'} JSON nested deeper than the canary reads; kept as a preview only, not parsed`,
};

/** Unreadable frames: one finding for each special problem (invalid base64, too deep), one for all the others. */
function invalidFrameFindings(entries: readonly TraceEntry[], turn: number | null): Finding[] {
  const invalid = entries.filter((e): e is InvalidFrameEntry => e.kind === 'recv-invalid');
  const out: Finding[] = [];
  const rest: InvalidFrameEntry[] = [];
  for (const [problem, text] of Object.entries(PROBLEM_TEXT) as [InvalidFrameProblem, (n: number) => string][]) {
    const these = invalid.filter((e) => e.problem === problem);
    if (these.length)
      out.push({
        code: 'server_error_event',
        severity: 'major',
        turn,
        traceMs: ms1(these[0]!.t),
        message: `The service sent frames the canary could not use: ${text(these.length)}.`,
      });
  }
  for (const e of invalid) if (!(e.problem in PROBLEM_TEXT)) rest.push(e);
  if (rest.length) {
    const kinds = [...new Set(rest.map((e) => String(e.problem)))].join(', ');
    out.push({
      code: 'server_error_event',
      severity: 'major',
      turn,
      traceMs: ms1(rest[0]!.t),
      message: `The service sent ${rest.length} frame${rest.length > 1 ? 's' : ''} that could not be read (${kinds}).`,
    });
  }
  return out.sort((a, b) => (a.traceMs ?? 0) - (b.traceMs ?? 0));
}

export const serverErrorEvent: TurnDetector = {
  name: 'server_error_event',
  detect: ({ view }) => errorFindings(view.entries, view.turn),
};
