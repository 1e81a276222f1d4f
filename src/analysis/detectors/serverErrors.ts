/**
 * `server_error_event`: `error` events and frames that could not be read. A `server_error` is critical; a
 * `response_cancel_not_active` right after the probe's own cancel is a harmless race (info); the rest are major.
 */
import type { RecvEntry, TraceEntry } from '../../probe/trace.js';
import { EV } from '../../realtime/events.js';
import type { Finding, Severity } from '../findings.js';
import { ms1, strAt } from '../fields.js';
import { clip, quote } from '../format.js';
import type { TurnDetector } from './types.js';

/** Findings for the `error` events and invalid frames among `entries`, attributed to `turn`. */
export function errorFindings(entries: readonly TraceEntry[], turn: number | null): Finding[] {
  const probeCancelled = entries.some((e) => e.kind === 'send' && e.type === 'response.cancel' && e.byProbe);
  const out: Finding[] = entries
    .filter((e): e is RecvEntry => e.kind === 'recv' && e.type === EV.error)
    .map((e) => {
      const type = strAt(e.event, 'error', 'type') ?? 'unknown';
      const code = strAt(e.event, 'error', 'code');
      const message = strAt(e.event, 'error', 'message');
      const severity: Severity = type === 'server_error' ? 'critical' : code === 'response_cancel_not_active' && probeCancelled ? 'info' : 'major';
      return {
        code: 'server_error_event' as const,
        severity,
        turn,
        traceMs: ms1(e.t),
        message: `The service sent an error event ${type}${code ? `/${code}` : ''}${message ? `: ${quote(clip(message))}` : ''}.`,
      };
    });
  const invalid = entries.filter((e) => e.kind === 'recv-invalid');
  if (invalid.length) {
    const kinds = [...new Set(invalid.map((e) => (e.kind === 'recv-invalid' ? e.problem : '')))].join(', ');
    out.push({
      code: 'server_error_event',
      severity: 'major',
      turn,
      traceMs: ms1(invalid[0]!.t),
      message: `The service sent ${invalid.length} frame${invalid.length > 1 ? 's' : ''} that could not be read (${kinds}).`,
    });
  }
  return out;
}

export const serverErrorEvent: TurnDetector = {
  name: 'server_error_event',
  detect: ({ view }) => errorFindings(view.entries, view.turn),
};
