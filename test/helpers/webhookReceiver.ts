/**
 * A real local HTTP receiver standing in for a Teams Workflows (or generic) webhook. It records every request
 * and answers from a script: queue replies with `reply(...)` (used in order, then `defaultReply`, 202 unless
 * set). A reply can be a status with headers (e.g. 429 + `Retry-After`), or `{ hang: true }` to accept the
 * request and never answer. The URL carries a fake signature (`secret`) like a real Workflows URL, so tests
 * can check it never leaks. `script(fn)` answers from a function of the request instead (e.g. 400 for every
 * alert of one target, 202 for the rest); `countById()` counts the posted notifications by their `id` (JSON
 * payloads) or card title, to prove nothing was posted twice.
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
  /** The status answered (undefined while hanging). */
  status?: number;
}

export interface WebhookReceiver {
  /** Full webhook URL, including the fake `sig`. */
  url: string;
  /** The secret part of the URL (the `sig` value). */
  secret: string;
  requests: RecordedRequest[];
  reply(...replies: ReceiverReply[]): void;
  /** Answer every request from `fn` (queued replies still go first); `undefined` restores the default. */
  script(fn: ((req: RecordedRequest) => ReceiverReply) | undefined): void;
  /** Notifications the receiver accepted (answered 2xx), by id (JSON payload `id`, else the card's first text block). */
  countById(): Map<string, number>;
  close(): Promise<void>;
}

export async function startWebhookReceiver(options: { defaultReply?: ReceiverReply } = {}): Promise<WebhookReceiver> {
  const queue: ReceiverReply[] = [];
  const requests: RecordedRequest[] = [];
  let scripted: ((req: RecordedRequest) => ReceiverReply) | undefined;
  const started = Date.now();
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const recorded: RecordedRequest = {
        method: req.method ?? '',
        url: req.url ?? '',
        headers: req.headers,
        body,
        at: Date.now() - started,
        json: <T>() => JSON.parse(body) as T,
      };
      requests.push(recorded);
      const reply = queue.shift() ?? scripted?.(recorded) ?? options.defaultReply ?? { status: 202 };
      if ('hang' in reply) return; // keep the socket open, never answer
      recorded.status = reply.status;
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
    script: (fn) => void (scripted = fn),
    countById: () => {
      const out = new Map<string, number>();
      for (const r of requests) {
        if (r.status === undefined || r.status < 200 || r.status > 299) continue;
        const id = notificationKey(r.body);
        out.set(id, (out.get(id) ?? 0) + 1);
      }
      return out;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** The id of a posted notification: `id` of a JSON payload, else the title (first text block) of a Teams card. */
function notificationKey(body: string): string {
  try {
    const v = JSON.parse(body) as {
      id?: string;
      attachments?: { content?: { body?: { items?: { text?: string }[]; text?: string }[] } }[];
    };
    if (typeof v.id === 'string') return v.id;
    const first = v.attachments?.[0]?.content?.body?.[0];
    return first?.items?.[0]?.text ?? first?.text ?? body;
  } catch {
    return body;
  }
}
