/**
 * The connection: upgrade status, whether a session was established, how the socket closed, socket errors,
 * `error` events and invalid frames — for the run, and per turn.
 */
import type { CloseEntry, RecvEntry, Trace, UpgradeResponseEntry } from '../trace/trace.js';
import { EV } from '../realtime/events.js';
import { strAt } from '../json.js';
import { ms1 } from './fields.js';
import { maskKeys } from './format.js';
import type { ConnectionMetrics, ErrorEventSummary, TurnConnectionMetrics } from './metrics.js';
import type { TurnView } from './turnView.js';

/** Normal closes: 1000, or 1005 (no code) on a close the probe started. Everything else is abnormal. */
export function isAbnormalClose(close: Pick<CloseEntry, 'code' | 'initiatedBy'>): boolean {
  return !(close.code === 1000 || (close.code === 1005 && close.initiatedBy === 'client'));
}

/** Run-level connection metrics. */
export function connectionMetrics(trace: Trace): ConnectionMetrics {
  const upgrade = trace.entries.find((e): e is UpgradeResponseEntry => e.kind === 'upgrade-response');
  const close = trace.entries.find((e): e is CloseEntry => e.kind === 'close');
  const end = trace.entries.find((e) => e.kind === 'session-end');
  return {
    upgradeStatus: upgrade?.status ?? null,
    established: trace.entries.some((e) => e.kind === 'recv' && e.type === EV.sessionCreated),
    close: close
      ? { traceMs: ms1(close.t), code: close.code, reason: maskKeys(close.reason), initiatedBy: close.initiatedBy }
      : null,
    abnormalClose: close ? isAbnormalClose(close) : false,
    socketErrors: trace.entries.flatMap((e) =>
      e.kind === 'socket-error'
        ? [{ traceMs: ms1(e.t), errorClass: e.errorClass, code: e.code ?? null, message: maskKeys(e.message) }]
        : [],
    ),
    sessionEnd: end?.kind === 'session-end' ? { traceMs: ms1(end.t), reason: end.reason } : null,
    errorEvents: trace.entries.filter((e) => e.kind === 'recv' && e.type === EV.error).length,
  };
}

function maskOrNull(text: string | undefined): string | null {
  return text === undefined ? null : maskKeys(text);
}

/** An `error` event, summarized (anything key-like in its message masked). */
export function errorSummary(e: RecvEntry): ErrorEventSummary {
  return {
    traceMs: ms1(e.t),
    type: strAt(e.event, 'error', 'type') ?? null,
    code: strAt(e.event, 'error', 'code') ?? null,
    message: maskOrNull(strAt(e.event, 'error', 'message')),
  };
}

/** Whether the socket closed while `view` was in progress (between its start and its end). */
export function closeDuringTurn(view: TurnView, close: CloseEntry | undefined): boolean {
  if (!close || !view.start) return false;
  return close.t >= view.start.t && (!view.end || close.t <= view.end.t);
}

/** Per-turn connection metrics. */
export function turnConnectionMetrics(view: TurnView, close: CloseEntry | undefined): TurnConnectionMetrics {
  return {
    errorEvents: view.entries.filter((e): e is RecvEntry => e.kind === 'recv' && e.type === EV.error).map(errorSummary),
    invalidFrames: view.entries.filter((e) => e.kind === 'recv-invalid').length,
    closedDuringTurn: closeDuringTurn(view, close),
  };
}
