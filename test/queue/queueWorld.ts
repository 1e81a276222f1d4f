/**
 * Shared parts of the queue-mode tests: real Azurite (blob and queue), a real webhook receiver, the simulator
 * (the shipped catalogue, so processes that load the app's own catalogue get matching answers), the app's
 * settings in queue mode, and the built app run by bench/functionsHost.ts in child processes, the way the Functions
 * host runs it (package.json `main`, host.json `extensions.queues`).
 */
import { fork, type ChildProcess } from 'node:child_process';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { QueueServiceClient } from '@azure/storage-queue';
import { startSimulator, type RunningSimulator } from '../../src/sim/index.js';
import { startAzurite, type Azurite } from '../helpers/azurite.js';
import { startWebhookReceiver, type WebhookReceiver } from '../helpers/webhookReceiver.js';
import type { HostReport } from '../../bench/functionsHost.js';

export const SIM_KEY = 'sim-secret-key-4b19e7';
export const HOST = join(import.meta.dirname, '../../dist/bench/functionsHost.js');

export interface QueueWorld {
  azurite: Azurite;
  hook: WebhookReceiver;
  sim: RunningSimulator;
  /** Queue-mode settings on Azurite and the receiver, one-turn probes, a fresh spool; `over` wins. */
  env(over?: Record<string, string>): Promise<Record<string, string>>;
  queues(): QueueServiceClient;
}

export function useQueueWorld(): QueueWorld {
  const world = {} as QueueWorld;
  world.env = async (over = {}) => ({
    SIM_KEY,
    CANARY_MODE: 'queue',
    CANARY_QUEUE: world.azurite.connectionString,
    CANARY_STORAGE_CONNECTION_STRING: world.azurite.connectionString,
    CANARY_TURNS: '1',
    CANARY_PROMPTS: 'count-to-twenty',
    CANARY_TURN_TIMEOUT_MS: '15000',
    CANARY_CONFIRM_RETRIES: '0',
    CANARY_WEBHOOK_URL: world.hook.url,
    CANARY_SPOOL_DIR: await mkdtemp(join(tmpdir(), 'rc-qspool-')),
    ...over,
  });
  world.queues = () => QueueServiceClient.fromConnectionString(world.azurite.connectionString);
  beforeAll(async () => {
    [world.azurite, world.hook, world.sim] = await Promise.all([
      startAzurite({ queue: true }),
      startWebhookReceiver(),
      startSimulator({
        port: 0,
        apiKey: SIM_KEY,
        scenarios: {
          fast: { name: 'fast', description: 'healthy, fast', delivery: { speed: 6, burstMs: 500 } },
          slowgap: {
            name: 'slowgap',
            description: 'real time, 2 s gap at 1 s',
            delivery: { speed: 1, burstMs: 200 },
            turns: [{ faults: [{ kind: 'silent-gap', atMs: 1000, durationMs: 2000 }] }],
          },
          gap: {
            name: 'gap',
            description: '2 s gap at 1 s',
            delivery: { speed: 6, burstMs: 500 },
            turns: [{ faults: [{ kind: 'silent-gap', atMs: 1000, durationMs: 2000 }] }],
          },
        },
      }),
    ]);
  });
  afterAll(async () => {
    await Promise.all([world.azurite?.stop(), world.hook?.close(), world.sim?.close()]);
  });
  return world;
}

/** One app process run by the host stand-in; its reports as they arrive. */
export interface HostProcess {
  child: ChildProcess;
  reports: HostReport[];
  /** Resolves with the first report that matches (rejects after `timeoutMs`). */
  waitFor(match: (r: HostReport) => boolean, timeoutMs?: number): Promise<HostReport>;
  stop(): Promise<void>;
}

export function startHost(args: string[], env: Record<string, string>): HostProcess {
  const child = fork(HOST, args, { env: { ...process.env, ...env }, stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
  const reports: HostReport[] = [];
  const waiters: { match: (r: HostReport) => boolean; resolve: (r: HostReport) => void }[] = [];
  child.on('message', (r: HostReport) => {
    reports.push(r);
    for (const w of [...waiters]) if (w.match(r)) (waiters.splice(waiters.indexOf(w), 1), w.resolve(r));
  });
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  return {
    child,
    reports,
    waitFor: (match, timeoutMs = 60_000) =>
      new Promise((resolve, reject) => {
        const found = reports.find(match);
        if (found) return resolve(found);
        const timer = setTimeout(() => reject(new Error(`no matching host report within ${timeoutMs} ms`)), timeoutMs);
        waiters.push({ match, resolve: (r) => (clearTimeout(timer), resolve(r)) });
      }),
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) {
        if (child.connected) child.send({ stop: true });
        const kill = setTimeout(() => child.kill('SIGKILL'), 30_000);
        await exited;
        clearTimeout(kill);
      }
    },
  };
}
