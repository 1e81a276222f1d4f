/** A deliberately misbehaving server for probe robustness tests (the simulator is well-behaved on purpose). */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';

export interface Hostile {
  url: string;
  close(): Promise<void>;
  /** Request headers of the last upgrade. */
  lastHeaders(): IncomingMessage['headers'] | undefined;
}

export async function hostileServer(opts: {
  /** Refuses the upgrade with this status, reason phrase (default `Nope`), body and headers. */
  reject?: { status: number; reason?: string; body: string; headers?: Record<string, string> };
  onConnection?: (ws: WebSocket, req: IncomingMessage) => void;
  upgradeHeaders?: Record<string, string>;
  /** Answers the upgrade by hand on the raw socket (e.g. a 101 with a wrong Sec-WebSocket-Accept). */
  rawUpgrade?: (req: IncomingMessage, socket: Duplex) => void;
}): Promise<Hostile> {
  let last: IncomingMessage['headers'] | undefined;
  const http = createServer((_req, res: ServerResponse) => res.writeHead(404).end());
  const wss = new WebSocketServer({ noServer: true });
  wss.on('headers', (headers) => {
    for (const [k, v] of Object.entries(opts.upgradeHeaders ?? {})) headers.push(`${k}: ${v}`);
  });
  const raw = new Set<Duplex>();
  http.on('upgrade', (req, socket, head) => {
    raw.add(socket);
    last = req.headers;
    if (opts.rawUpgrade) return opts.rawUpgrade(req, socket);
    if (opts.reject) {
      const h = Object.entries({ 'content-type': 'application/json', ...opts.reject.headers })
        .map(([k, v]) => `${k}: ${v}\r\n`)
        .join('');
      socket.end(
        `HTTP/1.1 ${opts.reject.status} ${opts.reject.reason ?? 'Nope'}\r\n${h}content-length: ${Buffer.byteLength(opts.reject.body)}\r\n\r\n${opts.reject.body}`,
      );
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => opts.onConnection?.(ws, req));
  });
  await new Promise<void>((r) => http.listen(0, '127.0.0.1', r));
  const port = (http.address() as AddressInfo).port;
  return {
    url: `ws://127.0.0.1:${port}/openai/v1/realtime?model=test`,
    lastHeaders: () => last,
    close: () =>
      new Promise((r) => {
        for (const c of wss.clients) c.terminate();
        for (const s of raw) s.destroy();
        wss.close();
        http.close(() => r());
        http.closeAllConnections();
      }),
  };
}
