/**
 * An HTTP proxy in front of Azurite that answers some requests itself, as Azure Storage would, for the faults a
 * TCP proxy (./tcpProxy.ts) cannot make: a 403 while a role assignment propagates, a storm of 412s on every
 * conditional write. `fault(fn)` decides per request: a status (answered with the service's XML error body and
 * `x-ms-error-code`) or undefined (forwarded to Azurite). `answered` counts the faults served by status.
 *
 *   const faults = await startStorageFaults(azurite.port);
 *   faults.fault((r) => (r.conditional ? 412 : undefined));
 *   … connection string with faults.port …
 */
import { createServer, request, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

/** What the fault function sees of a request. */
export interface StorageRequest {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  /** An ETag-guarded update of a block blob (a PUT with If-Match or If-None-Match): alert state, ledger, claims. */
  conditional: boolean;
}

export interface StorageFaults {
  port: number;
  fault(fn: ((r: StorageRequest) => number | undefined) | undefined): void;
  /** Faults answered so far, by status. */
  readonly answered: Map<number, number>;
  close(): Promise<void>;
}

const CODES: Record<number, [string, string]> = {
  403: [
    'AuthorizationPermissionMismatch',
    'This request is not authorized to perform this operation using this permission.',
  ],
  412: ['ConditionNotMet', 'The condition specified using HTTP conditional header(s) is not met.'],
};

export async function startStorageFaults(targetPort: number): Promise<StorageFaults> {
  let decide: ((r: StorageRequest) => number | undefined) | undefined;
  const answered = new Map<number, number>();
  const server = createServer((req, res) => {
    const headers = req.headers;
    const conditional =
      req.method === 'PUT' && (headers['if-match'] !== undefined || headers['if-none-match'] !== undefined);
    const status = decide?.({ method: req.method ?? '', url: req.url ?? '', headers, conditional });
    if (status !== undefined) {
      req.resume();
      req.on('end', () => {
        answered.set(status, (answered.get(status) ?? 0) + 1);
        const [code, message] = CODES[status] ?? ['InternalError', 'The server encountered an internal error.'];
        const body = `<?xml version="1.0" encoding="utf-8"?><Error><Code>${code}</Code><Message>${message}</Message></Error>`;
        res.writeHead(status, {
          'content-type': 'application/xml',
          'x-ms-error-code': code,
          'x-ms-request-id': `fault-${answered.get(status)}`,
          'content-length': Buffer.byteLength(body),
        });
        res.end(body);
      });
      return;
    }
    const upstream = request(
      { host: '127.0.0.1', port: targetPort, method: req.method, path: req.url, headers },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    upstream.on('error', () => res.destroy());
    req.pipe(upstream);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    fault: (fn) => void (decide = fn),
    answered,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
