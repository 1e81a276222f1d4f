/**
 * Run-level detectors: the connection could not be made, it dropped, the session never got going, and error
 * events outside any turn. A drop during a turn is attributed to that turn.
 */
import type { CloseEntry, SocketErrorEntry, TimeoutEntry, UpgradeResponseEntry } from '../../trace/trace.js';
import { closeDuringTurn, isAbnormalClose } from '../connection.js';
import type { Finding } from '../findings.js';
import { ms1 } from '../fields.js';
import { clip, dur, maskKeys, quote, sec } from '../format.js';
import type { TurnView } from '../turnView.js';
import { keepaliveClause } from '../probeHealth.js';
import { entraScopeAdvice } from '../entraScope.js';
import { refusalAfterUpgrade } from '../refusal.js';
import { sessionCap } from '../sessionCap.js';
import { throttleOfErrorEvent } from '../throttle.js';
import { classifyUpgradeRefusal } from '../upgradeRefusal.js';
import { errorFindings } from './serverErrors.js';
import type { RunDetector } from './types.js';

/** A turn that never ran: skipped, or not started at all. */
export function neverRan(view: TurnView): boolean {
  return !view.start || view.end?.outcome === 'skipped';
}

/**
 * `connection_rejected`: the upgrade was answered with something other than 101 (but 429 / 503, which are throttling:
 * ./capacity.ts), no connection could be made, or the service refused the session right after a 101 (see refusal.ts).
 */
export const connectionRejected: RunDetector = {
  name: 'connection_rejected',
  detect({ trace, connection }): Finding[] {
    const refusal = refusalAfterUpgrade(trace);
    if (refusal) return [rejected(refusal.t, refusal.message)];
    if (connection.established) return [];
    const upgrade = trace.entries.find((e): e is UpgradeResponseEntry => e.kind === 'upgrade-response');
    if (upgrade && upgrade.status !== 101) {
      if (classifyUpgradeRefusal(upgrade, trace.meta.startEpochMs).throttle) return []; // rate_limited / capacity_unavailable
      const body = upgrade.body?.trim() ? `: ${quote(clip(maskKeys(upgrade.body), 120))}` : '';
      return [
        rejected(
          upgrade.t,
          `The WebSocket upgrade was rejected with HTTP ${upgrade.status} ${upgrade.statusText}${body}.${entraScopeAdvice(trace, upgrade.status)}`,
        ),
      ];
    }
    if (upgrade) {
      const end = connection.sessionEnd;
      return end?.reason === 'rejected'
        ? [
            rejected(
              end.traceMs,
              'The upgrade was answered 101 but the session was refused before it started (session ended: rejected).',
            ),
          ]
        : [];
    }
    const err = trace.entries.find((e): e is SocketErrorEntry => e.kind === 'socket-error');
    const timeout = trace.entries.find((e): e is TimeoutEntry => e.kind === 'timeout' && e.scope === 'connect');
    const end = connection.sessionEnd;
    if (err)
      return [
        rejected(
          err.t,
          `Could not connect: ${err.errorClass}${err.code ? ` ${err.code}` : ''} (${clip(maskKeys(err.message), 120)}).`,
        ),
      ];
    if (timeout) return [rejected(timeout.t, `Could not connect: no upgrade response within ${dur(timeout.afterMs)}.`)];
    if (end && (end.reason === 'rejected' || end.reason === 'connect-failed'))
      return [rejected(end.traceMs, `Could not connect (session ended: ${end.reason}).`)];
    return [];
  },
};

function rejected(t: number, message: string): Finding {
  return { code: 'connection_rejected', severity: 'critical', turn: null, traceMs: ms1(t), message };
}

/** Where in the session a close at `t` fell: the turn in progress, the later turns it skipped, in words. */
export interface CloseContext {
  during: TurnView | undefined;
  skipped: number;
  /** " during turn 2, 3.1 s into the turn" / " at 4.0 s into the session". */
  where: string;
  /** "; 2 later turns were skipped", or nothing. */
  rest: string;
}

export function closeContext(views: readonly TurnView[], close: CloseEntry): CloseContext {
  const during = views.find((v) => closeDuringTurn(v, close));
  const skipped = views.filter((v) => neverRan(v) && v.turn > (during?.turn ?? 0) && v.fromMs >= close.t - 1e-6).length;
  const where = during
    ? ` during turn ${during.turn}, ${sec(close.t - during.fromMs)} into the turn`
    : ` at ${sec(close.t)} into the session`;
  const rest = skipped ? `; ${skipped} later turn${skipped > 1 ? 's were' : ' was'} skipped` : '';
  return { during, skipped, where, rest };
}

/**
 * `connection_dropped`: the server closed the socket (or it died, 1006) abnormally or before the probe was done.
 * Critical when a turn was in progress (attributed to it) or later turns were skipped; major otherwise. Not for a
 * refusal (`connection_rejected`), a session ended at its maximum duration (`session_max_duration`) or one the
 * service closed after throttling it before it started (`rate_limited`).
 */
export const connectionDropped: RunDetector = {
  name: 'connection_dropped',
  detect({ trace, views, connection, close }): Finding[] {
    if (!close || !(connection.established || connection.upgradeStatus === 101)) return [];
    if (refusalAfterUpgrade(trace) || sessionCap(trace)) return [];
    if (!connection.established && trace.entries.some((e) => e.kind === 'recv' && throttleOfErrorEvent(e))) return [];
    if (close.code !== 1006 && close.initiatedBy !== 'server') return [];
    const { during, skipped, where, rest } = closeContext(views, close);
    const early = connection.sessionEnd?.reason === 'closed-by-server';
    if (!isAbnormalClose(close) && !during && !skipped && !early) return [];
    const how =
      close.code === 1006
        ? '1006, no close frame'
        : `${close.code}${close.reason ? ` ${quote(clip(maskKeys(close.reason), 120))}` : ''}`;
    const err = connection.socketErrors.find((e) => e.traceMs <= close.t + 1e-6);
    const cause = err ? ` after a socket error (${err.errorClass}${err.code ? ` ${err.code}` : ''})` : '';
    return [
      {
        code: 'connection_dropped',
        severity: during || skipped ? 'critical' : 'major',
        turn: during?.turn ?? null,
        traceMs: ms1(close.t),
        message: `The connection closed (${how})${cause}${where}${rest}.`,
      },
    ];
  },
};

/** `delivery_stall` at setup: the upgrade succeeded but `session.created` / `session.updated` never came. */
export const sessionSetupStall: RunDetector = {
  name: 'delivery_stall',
  detect({ trace }): Finding[] {
    return trace.entries
      .filter(
        (e): e is TimeoutEntry =>
          e.kind === 'timeout' && (e.scope === 'session-created' || e.scope === 'session-updated'),
      )
      .map((e) => ({
        code: 'delivery_stall' as const,
        severity: 'critical' as const,
        turn: null,
        durationMs: ms1(e.afterMs),
        traceMs: ms1(e.t),
        message:
          `${e.waitingFor || (e.scope === 'session-created' ? 'session.created' : 'session.updated')} did ` +
          `not arrive within ${dur(e.afterMs)}; no turn could start${keepaliveClause(trace.entries, e.t - e.afterMs, e.t)}.`,
      }));
  },
};

/** `server_error_event` outside any turn (e.g. the session.update was refused); not the error a refusal quotes. */
export const setupErrors: RunDetector = {
  name: 'server_error_event',
  detect({ trace }): Finding[] {
    const quoted = refusalAfterUpgrade(trace)?.error;
    return errorFindings(
      trace.entries.filter((e) => e.turn <= 0 && e !== quoted),
      null,
    );
  },
};
