/**
 * Shared parts for the scheduled-canary tests: real Azurite, a real webhook receiver, the simulator with a
 * short answer (so rounds take seconds), and a handler invoked with a real InvocationContext.
 */
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { InvocationContext, type Timer } from '@azure/functions';
import { BlobServiceClient } from '@azure/storage-blob';
import { startSimulator, type RunningSimulator } from '../../src/sim/index.js';
import { loadCatalog, type PromptSpec } from '../../src/prompts/catalog.js';
import { makeCanaryHandler, type HandlerOverrides } from '../../src/handlers/canaryRound.js';
import type { RoundResult } from '../../src/runner/round.js';
import { startAzurite, type Azurite } from '../helpers/azurite.js';
import { startWebhookReceiver, type WebhookReceiver } from '../helpers/webhookReceiver.js';

export const SIM_KEY = 'sim-secret-key-7c41d2';
export const CONTAINER = 'reports';

/** Azurite, a webhook receiver and the short simulator of one test file, and a round's settings on them. */
export interface RoundWorld {
  azurite: Azurite;
  hook: WebhookReceiver;
  sim: RunningSimulator;
  /** Settings of a one-turn round storing in Azurite and posting to the receiver, with a fresh spool; `over` wins. */
  env(over?: Record<string, string>): Promise<Record<string, string>>;
}

/** Starts the world before the file's tests and stops it after them. */
export function useRoundWorld(): RoundWorld {
  const world = {} as RoundWorld;
  world.env = async (over = {}) => ({
    SIM_KEY,
    CANARY_STORAGE_CONNECTION_STRING: world.azurite.connectionString,
    CANARY_TURNS: '1',
    CANARY_PROMPTS: 'count-to-twenty',
    CANARY_TURN_TIMEOUT_MS: '15000',
    CANARY_WEBHOOK_URL: world.hook.url,
    CANARY_SPOOL_DIR: await mkdtemp(join(tmpdir(), 'rc-spool-')),
    ...over,
  });
  beforeAll(async () => {
    [world.azurite, world.hook, world.sim] = await Promise.all([
      startAzurite(),
      startWebhookReceiver(),
      startShortSim(),
    ]);
  });
  afterAll(async () => {
    await Promise.all([world.azurite?.stop(), world.hook?.close(), world.sim?.close()]);
  });
  return world;
}

/** One catalogue prompt with a ~7 s answer; the `gap` scenario silences 2 s of it at 2.5 s. */
export function shortCatalog(): PromptSpec[] {
  const p = loadCatalog()[0]!;
  return [{ ...p, answer: 'Sure. One. Two. Three. Four. Five. Six. Seven. Eight. Nine. Ten.', expect: ['ten'] }];
}

export async function startShortSim(): Promise<RunningSimulator> {
  return startSimulator({
    port: 0,
    apiKey: SIM_KEY,
    catalog: shortCatalog(),
    scenarios: {
      gap: {
        name: 'gap',
        description: '2 s gap at 2.5 s in every turn',
        delivery: { speed: 6, burstMs: 500 },
        turns: [{ faults: [{ kind: 'silent-gap', atMs: 2500, durationMs: 2000 }] }],
      },
      fast: { name: 'fast', description: 'healthy, fast', delivery: { speed: 6, burstMs: 500 } },
    },
  });
}

export function timer(isPastDue = false): Timer {
  return { isPastDue, schedule: { adjustForDST: false }, scheduleStatus: { last: '', next: '', lastUpdated: '' } };
}

export interface Invocation {
  result: RoundResult;
  logs: string[];
}

/** Calls the real handler with a real InvocationContext and collects its log lines (into `logs`, also when it throws). */
export async function invoke(
  env: Record<string, string | undefined>,
  overrides: HandlerOverrides = {},
  logs: string[] = [],
): Promise<Invocation> {
  const context = new InvocationContext({
    functionName: 'canaryRound',
    invocationId: `t-${Math.random()}`,
    logHandler: (level, ...args) => logs.push(`${level}: ${args.join(' ')}`),
  });
  // burst pace: these rounds need the probe's speed, not real-time prompt audio (a test that needs pacing says so)
  const handler = makeCanaryHandler(() => env, { catalog: shortCatalog(), probe: { pace: 'burst' }, ...overrides });
  const result = await handler(timer(), context);
  return { result, logs };
}

/** Every blob in the container (default the fixture's) with its bytes. */
export async function allBlobs(connectionString: string, name = CONTAINER): Promise<Map<string, Buffer>> {
  const container = BlobServiceClient.fromConnectionString(connectionString).getContainerClient(name);
  const out = new Map<string, Buffer>();
  for await (const b of container.listBlobsFlat())
    out.set(b.name, await container.getBlobClient(b.name).downloadToBuffer());
  return out;
}
