/**
 * A real local HTTP receiver standing in for a Teams Workflows (or generic) webhook. It records every request
 * and answers from a script: queue replies with `reply(...)` (used in order, then `defaultReply`, 202 unless
 * set). A reply can be a status with headers (e.g. 429 + `Retry-After`), or `{ hang: true }` to accept the
 * request and never answer. The URL carries a fake signature (`secret`) like a real Workflows URL, so tests
 * can check it never leaks.
 *
 *   const hook = await startWebhookReceiver();
 *   hook.reply({ status: 429, headers: { 'retry-after': '1' } }, { status: 202 });
 *   await postJson(hook.url, payload);
 *   expect(hook.requests).toHaveLength(2);
 *   await hook.close();
 */
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomBytes } from 'node:crypto';

export type ReceiverReply = { status: number; headers?: Record<string, string>; body?: string } | { hang: true };

export interface RecordedRequest {
  method: string;
  /** Path and query as received. */
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
  /** Milliseconds since the receiver started. */
  at: number;
  /** The body parsed as JSON (throws if it is not). */
  json<T = unknown>(): T;
}

export interface WebhookReceiver {
  /** Full webhook URL, including the fake `sig`. */
  url: string;
  /** The secret part of the URL (the `sig` value). */
  secret: string;
  requests: RecordedRequest[];
  reply(...replies: ReceiverReply[]): void;
  close(): Promise<void>;
}

export async function startWebhookReceiver(options: { defaultReply?: ReceiverReply } = {}): Promise<WebhookReceiver> {
  const queue: ReceiverReply[] = [];
  const requests: RecordedRequest[] = [];
  const started = Date.now();
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      requests.push({
        method: req.method ?? '',
        url: req.url ?? '',
        headers: req.headers,
        body,
        at: Date.now() - started,
        json: <T>() => JSON.parse(body) as T,
      });
      const reply = queue.shift() ?? options.defaultReply ?? { status: 202 };
      if ('hang' in reply) return; // keep the socket open, never answer
      res.writeHead(reply.status, { 'content-type': 'text/plain', ...reply.headers });
      res.end(reply.body ?? '');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  const secret = `sig${randomBytes(12).toString('hex')}`;
  return {
    url: `http://127.0.0.1:${port}/workflows/0a1b2c/triggers/manual/paths/invoke?api-version=2016-06-01&sp=%2Ftriggers%2Fmanual%2Frun&sv=1.0&sig=${secret}`,
    secret,
    requests,
    reply: (...replies) => void queue.push(...replies),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
