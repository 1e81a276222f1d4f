/** Puts a network or handshake error into a class a human (and the analysis) can act on. Never throws. */
import { scrub } from '../realtime/redact.js';
import type { SocketErrorClass } from '../trace/trace.js';

export function classifySocketError(
  err: NodeJS.ErrnoException,
  secrets: readonly string[] = [],
): { errorClass: SocketErrorClass; code: string | undefined; message: string } {
  const code = err.code ?? (err.cause as NodeJS.ErrnoException | undefined)?.code;
  const msg = scrub(String(err.message), secrets);
  let errorClass: SocketErrorClass = 'other';
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN' || code === 'EAI_NONAME') errorClass = 'dns';
  else if (code === 'ECONNREFUSED' || code === 'EHOSTUNREACH' || code === 'ENETUNREACH') errorClass = 'refused';
  else if (code === 'ECONNRESET' || code === 'EPIPE') errorClass = 'reset';
  else if (code === 'ETIMEDOUT' || /handshake has timed out/i.test(msg)) errorClass = 'timeout';
  else if (/CERT|SSL|TLS|SELF_SIGNED|UNABLE_TO_VERIFY/i.test(code ?? '') || /certificate|ssl|tls/i.test(msg))
    errorClass = 'tls';
  else if (
    code?.startsWith('WS_ERR_') ||
    /invalid (status|frame|opcode|utf-8|upgrade header|sec-websocket)|max payload|subprotocol|extension/i.test(msg)
  )
    errorClass = 'protocol';
  return { errorClass, code, message: msg };
}
