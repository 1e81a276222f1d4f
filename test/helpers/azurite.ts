/**
 * A real Azurite blob service for tests: `azurite-blob` 3.37 (the devDependency) run on this Node (22) in a
 * child process, in memory, on a port the OS picks (`--blobPort 0`; the actual port is read from its
 * "successfully listens on" line); with `queue: true` the queue service beside it (`--queuePort 0`, read the same
 * way). Optionally HTTPS (needed for OAuth) and `--oauth basic`, which accepts any unsigned JWT with the storage
 * audience (see ./entraToken.ts) and enables user-delegation keys.
 *
 *   const azurite = await startAzurite();
 *   const store = createBlobStore({ kind: 'connection-string', connectionString: azurite.connectionString, container: 'c' });
 *   …
 *   await azurite.stop();
 */
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const AZURITE_ACCOUNT = 'devstoreaccount1';
export const AZURITE_KEY = 'Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==';

export interface Azurite {
  /** Connection string for the well-known development account: the blob endpoint, and the queue's when started. */
  connectionString: string;
  /** `http(s)://127.0.0.1:<port>/devstoreaccount1` — the account URL for token-credential clients. */
  accountUrl: string;
  port: number;
  /** `http://127.0.0.1:<port>/devstoreaccount1` of the queue service, when started (`queue: true`). */
  queueUrl?: string;
  queuePort?: number;
  stop(): Promise<void>;
}

export interface AzuriteOptions {
  /** Serve HTTPS with this certificate (PEM files). The test process must trust it (see ./tlsCert.ts). */
  https?: { certPath: string; keyPath: string };
  /** `--oauth basic` (requires `https`). */
  oauth?: boolean;
  /** Start the queue service too (`azurite-queue --queuePort 0`, HTTP, in memory). */
  queue?: boolean;
  /** Startup timeout (default 30 s). */
  timeoutMs?: number;
}

/** Starts Azurite and resolves once it listens. Always `stop()` it (afterAll). */
export async function startAzurite(options: AzuriteOptions = {}): Promise<Azurite> {
  const args = ['--blobHost', '127.0.0.1', '--blobPort', '0', '--inMemoryPersistence', '--extentMemoryLimit', '256'];
  args.push('--silent', '--skipApiVersionCheck', '--loose', '--disableTelemetry');
  if (options.https) args.push('--cert', options.https.certPath, '--key', options.https.keyPath);
  if (options.oauth) args.push('--oauth', 'basic');
  const timeoutMs = options.timeoutMs ?? 30_000;
  const blob = await startService('blob', args, timeoutMs);
  const queueArgs = ['--queueHost', '127.0.0.1', '--queuePort', '0', '--inMemoryPersistence'];
  queueArgs.push('--silent', '--skipApiVersionCheck', '--loose', '--disableTelemetry');
  const queue = options.queue
    ? await startService('queue', queueArgs, timeoutMs).catch(async (err: unknown) => {
        await blob.stop();
        throw err;
      })
    : undefined;

  const port = Number(new URL(blob.endpoint).port);
  const accountUrl = `${blob.endpoint}/${AZURITE_ACCOUNT}`;
  const protocol = blob.endpoint.startsWith('https') ? 'https' : 'http';
  const queueUrl = queue ? `${queue.endpoint}/${AZURITE_ACCOUNT}` : undefined;
  return {
    port,
    accountUrl,
    connectionString:
      `DefaultEndpointsProtocol=${protocol};AccountName=${AZURITE_ACCOUNT};AccountKey=${AZURITE_KEY};BlobEndpoint=${accountUrl};` +
      (queueUrl ? `QueueEndpoint=${queueUrl};` : ''),
    ...(queueUrl ? { queueUrl, queuePort: Number(new URL(queue!.endpoint).port) } : {}),
    stop: async () => {
      await Promise.all([blob.stop(), queue?.stop()]);
    },
  };
}

/** One Azurite service (`blob` or `queue`) in a child process on this Node, once it says where it listens. */
async function startService(
  kind: 'blob' | 'queue',
  args: readonly string[],
  timeoutMs: number,
): Promise<{ endpoint: string; stop(): Promise<void> }> {
  const main = createRequire(import.meta.url).resolve(`azurite/dist/src/${kind}/main.js`);
  // The compile cache makes later boots ~25 % faster (Azurite loads a lot of code).
  const env = { ...process.env, NODE_COMPILE_CACHE: join(tmpdir(), 'realtime-canary-azurite-compile-cache') };
  const child = spawn(process.execPath, [main, ...args], { cwd: tmpdir(), stdio: ['ignore', 'pipe', 'pipe'], env });

  let output = '';
  const endpoint = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(
      () => fail(new Error(`Azurite ${kind} did not start within ${timeoutMs} ms:\n${output}`)),
      timeoutMs,
    );
    const onData = (chunk: Buffer): void => {
      output += chunk.toString();
      const m = /successfully listens on (https?:\/\/[^\s]+)/.exec(output);
      if (m?.[1]) {
        clearTimeout(timer);
        resolve(m[1].replace(/\/$/, ''));
      }
    };
    const fail = (error: Error): void => {
      clearTimeout(timer);
      child.kill('SIGKILL');
      reject(error);
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', (c: Buffer) => (output += c.toString()));
    child.once('exit', (code) => fail(new Error(`Azurite ${kind} exited (${code}) before listening:\n${output}`)));
    child.once('error', fail);
  });
  child.removeAllListeners('exit');
  return {
    endpoint,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        const kill = setTimeout(() => child.kill('SIGKILL'), 5_000);
        child.once('exit', () => {
          clearTimeout(kill);
          resolve();
        });
        child.kill('SIGTERM');
      }),
  };
}

/** A connection string for the development account pointing at a port where nothing listens (storage "down"). */
export function deadStorageConnectionString(port: number): string {
  return `DefaultEndpointsProtocol=http;AccountName=${AZURITE_ACCOUNT};AccountKey=${AZURITE_KEY};BlobEndpoint=http://127.0.0.1:${port}/${AZURITE_ACCOUNT};`;
}
