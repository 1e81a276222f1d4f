/**
 * A small TCP proxy in front of a real service (Azurite) that can misbehave on command, for fault-injection
 * tests: `pass` forwards, `refuse` closes every new connection at once, `reset` forwards the request and then
 * resets the connection instead of answering, `hang` accepts and never answers (a black-holed endpoint),
 * `slow` forwards with `delayMs` added to every chunk of the answer. The mode applies to new connections and,
 * for `hang` / `reset`, also to connections already open.
 *
 *   const proxy = await startTcpProxy(azurite.port);
 *   proxy.mode('hang');
 *   … connection string with proxy.port …
 *   await proxy.close();
 */
import { connect, createServer, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';

export type ProxyMode = 'pass' | 'refuse' | 'reset' | 'hang' | 'slow';

export interface TcpProxy {
  port: number;
  mode(mode: ProxyMode, delayMs?: number): void;
  /** Connections accepted so far. */
  readonly connections: number;
  close(): Promise<void>;
}

export async function startTcpProxy(targetPort: number, host = '127.0.0.1'): Promise<TcpProxy> {
  let mode: ProxyMode = 'pass';
  let delayMs = 0;
  let connections = 0;
  const open = new Set<Socket>();
  const server = createServer((client) => {
    connections++;
    open.add(client);
    client.on('close', () => open.delete(client));
    client.on('error', () => undefined);
    if (mode === 'refuse') return void client.destroy();
    if (mode === 'hang') return void client.resume(); // read and drop everything, never answer
    const upstream = connect(targetPort, host);
    open.add(upstream);
    upstream.on('close', () => open.delete(upstream));
    upstream.on('error', () => client.destroy());
    client.on('close', () => upstream.destroy());
    client.on('data', (chunk: Buffer) => {
      if (mode === 'hang') return;
      upstream.write(chunk);
    });
    upstream.on('data', (chunk: Buffer) => {
      if (mode === 'hang') return;
      if (mode === 'reset') return void client.resetAndDestroy();
      if (mode === 'slow') {
        upstream.pause();
        setTimeout(() => {
          if (!client.destroyed) client.write(chunk);
          upstream.resume();
        }, delayMs);
        return;
      }
      client.write(chunk);
    });
    upstream.on('end', () => client.end());
  });
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  return {
    port: (server.address() as AddressInfo).port,
    mode: (m, d = 0) => {
      mode = m;
      delayMs = d;
    },
    get connections() {
      return connections;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of open) s.destroy();
        server.close(() => resolve());
      }),
  };
}
