/**
 * The simulator in its own process, as a remote service would be: the benchmarks measure the recorder's timing
 * error, not the time a shared event loop spends generating audio, and the probe process's memory, not the
 * simulator's. Epoch times (performance.timeOrigin + now()) agree across processes to well under 0.1 ms.
 */
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { Scenario } from '../src/sim/index.js';
import type { PromptSpec } from '../src/prompts/catalog.js';
import { flavourUrl, type Flavour } from '../src/realtime/flavours.js';

export interface SimProcess {
  port: number;
  /** The URL of `flavour` naming model (or Azure deployment) `deployment` (default gpt-realtime). */
  url(flavour: Flavour, scenario?: string, deployment?: string): string;
  /** Stops the simulator and returns its send times by event id (empty when `recordSends` was off). */
  stop(): Promise<Map<string, number>>;
}

/** Optional simulator settings passed to the simulator process (everything must survive structured cloning). */
export interface SimProcessOptions {
  /** Extra named scenarios (plain data). */
  scenarios?: Record<string, Scenario>;
  /** Prompt catalogue to answer from (the PCM is rebuilt as a Buffer in the simulator process). */
  catalog?: readonly PromptSpec[];
  /** Seed for everything random (the simulator's default is 1). */
  seed?: number;
  /** Record every server event's send time for `stop()` (default true). */
  recordSends?: boolean;
}

interface ProcessInput {
  apiKey: string;
  scenarios?: Record<string, Scenario>;
  catalog?: (Omit<PromptSpec, 'pcm'> & { pcm: Uint8Array })[];
  seed?: number;
  recordSends?: boolean;
}

export async function startSimProcess(apiKey: string, options: SimProcessOptions = {}): Promise<SimProcess> {
  const data: ProcessInput = { apiKey };
  if (options.scenarios) data.scenarios = options.scenarios;
  if (options.catalog) data.catalog = options.catalog.map((p) => ({ ...p, pcm: new Uint8Array(p.pcm) }));
  if (options.seed !== undefined) data.seed = options.seed;
  if (options.recordSends !== undefined) data.recordSends = options.recordSends;
  // 'advanced' serialization carries the catalogue's Uint8Arrays as they are (structured clone)
  const child = fork(fileURLToPath(import.meta.url), [CHILD_FLAG], {
    serialization: 'advanced',
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const port = await new Promise<number>((resolve, reject) => {
    child.once('message', (m: { port: number }) => resolve(m.port));
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`the simulator process exited (code ${code}) before listening`)));
    child.send(data);
  });
  return {
    port,
    url: (flavour, scenario, deployment = 'gpt-realtime') => {
      const url = flavourUrl(flavour, `ws://127.0.0.1:${port}`, deployment);
      if (scenario) url.searchParams.set('scenario', scenario);
      return url.toString();
    },
    stop: () =>
      new Promise((resolve) => {
        child.once('message', (m: { sent: [string, number][] }) => {
          child.kill();
          resolve(new Map(m.sent));
        });
        child.send('stop');
      }),
  };
}

const CHILD_FLAG = '--rc-sim-process';

if (process.argv[2] === CHILD_FLAG) {
  const input = await new Promise<ProcessInput>((resolve) =>
    process.once('message', (m) => resolve(m as ProcessInput)),
  );
  // loaded here only: the benchmark's own process never holds the simulator's code (nor werift)
  const { startSimulator } = await import('../src/sim/index.js');
  const sent: [string, number][] = [];
  const record = input.recordSends !== false;
  const sim = await startSimulator({
    port: 0,
    apiKey: input.apiKey,
    ...(input.scenarios ? { scenarios: input.scenarios } : {}),
    ...(input.catalog
      ? {
          catalog: input.catalog.map((p) => ({
            ...p,
            pcm: Buffer.from(p.pcm.buffer, p.pcm.byteOffset, p.pcm.byteLength),
          })),
        }
      : {}),
    ...(input.seed !== undefined ? { seed: input.seed } : {}),
    ...(record
      ? {
          onServerSend: ({ eventId, epochMs }: { eventId: string; epochMs: number }) =>
            void sent.push([eventId, epochMs]),
        }
      : {}),
  });
  await sim.warmed; // a long answer renders once here, not in the middle of someone's turn
  process.send!({ port: sim.port });
  process.once('message', async () => {
    await sim.close();
    process.send!({ sent });
  });
}
