/**
 * A session the service refused after accepting the WebSocket upgrade. OpenAI answers a bad key, a bad or missing
 * model and the retired beta interface with a 101, then an `error` event and a close 3000 (authentication) or 4000
 * (request shape) in the same millisecond; a 101 whose handshake is invalid (e.g. a wrong `Sec-WebSocket-Accept`)
 * ends in a protocol error right after it. Either way no session ever existed: a configuration problem (or a broken
 * endpoint), never a dropped connection.
 */
import type { CloseEntry, RecvEntry, SocketErrorEntry, Trace, UpgradeResponseEntry } from '../trace/trace.js';
import { EV } from '../realtime/events.js';
import { isAzure, type Flavour } from '../realtime/flavours.js';
import { strAt } from '../json.js';
import { clip, maskKeys, quote } from './format.js';
import { throttleOfErrorEvent } from './throttle.js';

/** `error` codes that mean the service will not open this session, whatever the close says. */
export const FATAL_SESSION_ERROR_CODES: ReadonlySet<string> = new Set([
  'invalid_api_key',
  'invalid_model',
  'missing_model',
  'beta_api_shape_disabled',
  'model_not_found',
]);

/** Close codes with which OpenAI refuses a session after the 101: 3000 authentication, 4000 request shape. */
export const REFUSAL_CLOSE_CODES: ReadonlySet<number> = new Set([3000, 4000]);

export interface Refusal {
  /** `refused`: an `error` and/or a 3000 / 4000 close; `handshake`: the 101 itself was invalid. */
  kind: 'refused' | 'handshake';
  /** The refusing error's `code` (null codes and close-only refusals: undefined), e.g. `invalid_api_key`. */
  code: string | undefined;
  /** The close that came with it, if any. */
  close: CloseEntry | undefined;
  /** Trace time of the refusal (the error event, the close or the socket error). */
  t: number;
  message: string;
  /** The `error` event the refusal quotes, if any (not reported a second time as a server error). */
  error: RecvEntry | undefined;
}

/** Ends a sentence with a full stop unless it already ends with one. */
function stop(text: string): string {
  return /[.!?…]$/.test(text) ? text : `${text}.`;
}

/** Who refused, in words. */
export function serviceName(flavour: Flavour | string): string {
  try {
    return isAzure(flavour as Flavour) ? 'Azure OpenAI' : 'OpenAI';
  } catch {
    return 'The service';
  }
}

/** The refusal after a 101, if the trace shows one (before any `session.created`). */
export function refusalAfterUpgrade(trace: Trace): Refusal | undefined {
  const upgrade = trace.entries.find((e): e is UpgradeResponseEntry => e.kind === 'upgrade-response');
  if (!upgrade || upgrade.status !== 101) return undefined;
  const created = trace.entries.find((e) => e.kind === 'recv' && e.type === EV.sessionCreated);
  const before = (t: number): boolean => created === undefined || t < created.t;
  const errors = trace.entries.filter((e): e is RecvEntry => e.kind === 'recv' && e.type === EV.error && before(e.t));
  if (errors.some((e) => throttleOfErrorEvent(e))) return undefined; // throttled, not refused: rate_limited says so
  const close = trace.entries.find((e): e is CloseEntry => e.kind === 'close' && before(e.t));
  const fatal = errors.find((e) => FATAL_SESSION_ERROR_CODES.has(strAt(e.event, 'error', 'code') ?? ''));
  const refusedByClose = close !== undefined && REFUSAL_CLOSE_CODES.has(close.code);
  const who = serviceName(trace.meta.target.flavour);
  if (fatal || refusedByClose) {
    const err = fatal ?? errors[errors.length - 1];
    const code =
      (err && (strAt(err.event, 'error', 'code') ?? strAt(err.event, 'error', 'type'))) ||
      (close?.reason ? close.reason : `close ${close?.code ?? '?'}`);
    const text = err ? strAt(err.event, 'error', 'message') : undefined;
    const closed = close
      ? ` The service closed with ${close.code}${close.reason ? ` ${quote(clip(maskKeys(close.reason), 80))}` : ''}.`
      : '';
    return {
      kind: 'refused',
      code: err ? strAt(err.event, 'error', 'code') : undefined,
      close,
      t: err?.t ?? close!.t,
      error: err,
      message:
        `${stop(`${who} refused the session: ${clip(maskKeys(code), 80)}${text ? ` — ${clip(maskKeys(text), 200)}` : ''}`)}${closed} ` +
        `This is a configuration problem (key, model or API shape), not an outage.`,
    };
  }
  if (created) return undefined;
  const broken = trace.entries.find(
    (e): e is SocketErrorEntry => e.kind === 'socket-error' && (e.errorClass === 'protocol' || e.errorClass === 'auth'),
  );
  if (broken) {
    return {
      kind: 'handshake',
      code: undefined,
      close,
      t: broken.t,
      error: undefined,
      message:
        `The upgrade was answered 101 but the WebSocket handshake was invalid ` +
        `(${broken.errorClass}${broken.code ? ` ${broken.code}` : ''}: ${clip(maskKeys(broken.message), 160)}); no ` +
        `session was opened. Check the endpoint, or a proxy in between.`,
    };
  }
  return undefined;
}
