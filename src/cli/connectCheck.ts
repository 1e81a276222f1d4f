/**
 * `validate --connect`: one short connection per target — the WebSocket upgrade and the first server event,
 * which must be `session.created` — then a clean close. Says OK or why not (HTTP status, close code, network
 * error), never the response body (services echo parts of keys) or a header value, and scrubbed of the key it
 * sent (a reason phrase or an event type may echo it). Bounded by one deadline.
 */
import WebSocket from 'ws';
import { authHeaders } from '../realtime/auth.js';
import { scrub } from '../realtime/redact.js';
import { targetSecrets, type ProbeTarget } from '../probe/session.js';

export type ConnectCheck = { ok: true; ms: number } | { ok: false; problem: string };

export async function connectCheck(target: ProbeTarget, timeoutMs: number, insecureTls = false): Promise<ConnectCheck> {
  let headers: Record<string, string>;
  try {
    headers = { ...target.endpoint.headers, ...(await authHeaders(target.auth, target.endpoint.flavour)) };
  } catch (err) {
    return { ok: false, problem: `no credentials: ${(err as Error).name}` };
  }
  const started = Date.now();
  return new Promise<ConnectCheck>((resolve) => {
    let settled = false;
    const ws = new WebSocket(target.endpoint.url, {
      headers,
      handshakeTimeout: timeoutMs,
      perMessageDeflate: false,
      rejectUnauthorized: !insecureTls,
      maxPayload: 16 * 1024 * 1024,
    });
    const finish = (r: ConnectCheck): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      ws.removeAllListeners();
      ws.on('error', () => undefined);
      ws.terminate();
      resolve(r.ok ? r : { ok: false, problem: scrub(r.problem, targetSecrets(target)) });
    };
    const timer = setTimeout(
      () => finish({ ok: false, problem: `no session.created within ${timeoutMs} ms` }),
      timeoutMs,
    );
    ws.on('unexpected-response', (_req, res) => {
      res.resume();
      finish({ ok: false, problem: `refused: HTTP ${res.statusCode ?? '?'} ${res.statusMessage ?? ''}`.trimEnd() });
    });
    ws.on('message', (data: WebSocket.RawData) => {
      let type: unknown;
      try {
        type = (JSON.parse(data.toString()) as { type?: unknown }).type;
      } catch {
        type = undefined;
      }
      if (type === 'session.created') finish({ ok: true, ms: Date.now() - started });
      else
        finish({
          ok: false,
          problem: `first event was ${typeof type === 'string' ? type.slice(0, 60) : 'not a JSON event'}, not session.created`,
        });
    });
    ws.on('close', (code: number) => finish({ ok: false, problem: `closed with code ${code} before session.created` }));
    ws.on('error', (err: Error & { code?: string }) =>
      finish({ ok: false, problem: `connection failed: ${err.code ?? err.message.slice(0, 80)}` }),
    );
  });
}
