/**
 * The simulator on its own thread (its own event loop), as a remote service would be: the benchmarks measure
 * the recorder's timing error, not the time a shared event loop spends generating audio. Epoch times
 * (performance.timeOrigin + now()) agree across threads to well under 0.1 ms.
 */
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';
import { startSimulator, type Scenario } from '../src/sim/index.js';
import type { PromptSpec } from '../src/probe/prompts.js';

export interface SimThread {
  port: number;
  url(flavour: 'azure-ga' | 'azure-preview' | 'openai-ga' | 'openai-beta', scenario?: string): string;
  /** Stops the simulator and returns its send times by event id (empty when `recordSends` was off). */
  stop(): Promise<Map<string, number>>;
}

/** Optional simulator settings passed to the thread (everything must survive structured cloning). */
export interface SimThreadOptions {
  /** Extra named scenarios (plain data). */
  scenarios?: Record<string, Scenario>;
  /** Prompt catalogue to answer from (the PCM is rebuilt as a Buffer on the simulator's thread). */
  catalog?: readonly PromptSpec[];
  /** Seed for everything random (the simulator's default is 1). */
  seed?: number;
  /** Record every server event's send time for `stop()` (default true). */
  recordSends?: boolean;
}

interface WorkerInput {
  apiKey: string;
  scenarios?: Record<string, Scenario>;
  catalog?: (Omit<PromptSpec, 'pcm'> & { pcm: Uint8Array })[];
  seed?: number;
  recordSends?: boolean;
}

export async function startSimThread(apiKey: string, options: SimThreadOptions = {}): Promise<SimThread> {
  const data: WorkerInput = { apiKey };
  if (options.scenarios) data.scenarios = options.scenarios;
  if (options.catalog) data.catalog = options.catalog.map((p) => ({ ...p, pcm: new Uint8Array(p.pcm) }));
  if (options.seed !== undefined) data.seed = options.seed;
  if (options.recordSends !== undefined) data.recordSends = options.recordSends;
  const worker = new Worker(new URL(import.meta.url), { workerData: data });
  const port = await new Promise<number>((resolve, reject) => {
    worker.once('message', (m: { port: number }) => resolve(m.port));
    worker.once('error', reject);
  });
  const paths = { 'azure-ga': '/openai/v1/realtime?model=gpt-realtime', 'azure-preview': '/openai/realtime?api-version=2025-04-01-preview&deployment=gpt-realtime', 'openai-ga': '/v1/realtime?model=gpt-realtime', 'openai-beta': '/v1/realtime?model=gpt-realtime' };
  return {
    port,
    url: (flavour, scenario) => `ws://127.0.0.1:${port}${paths[flavour]}${scenario ? `&scenario=${scenario}` : ''}`,
    stop: () =>
      new Promise((resolve) => {
        worker.once('message', (m: { sent: [string, number][] }) => {
          void worker.terminate();
          resolve(new Map(m.sent));
        });
        worker.postMessage('stop');
      }),
  };
}

if (!isMainThread && parentPort) {
  const port = parentPort;
  const input = workerData as WorkerInput;
  const sent: [string, number][] = [];
  const record = input.recordSends !== false;
  const sim = await startSimulator({
    port: 0,
    apiKey: input.apiKey,
    ...(input.scenarios ? { scenarios: input.scenarios } : {}),
    ...(input.catalog ? { catalog: input.catalog.map((p) => ({ ...p, pcm: Buffer.from(p.pcm.buffer, p.pcm.byteOffset, p.pcm.byteLength) })) } : {}),
    ...(input.seed !== undefined ? { seed: input.seed } : {}),
    ...(record ? { onServerSend: ({ eventId, epochMs }: { eventId: string; epochMs: number }) => void sent.push([eventId, epochMs]) } : {}),
  });
  await sim.warmed; // a long answer renders once here, not in the middle of someone's turn
  port.postMessage({ port: sim.port });
  port.on('message', async () => {
    await sim.close();
    port.postMessage({ sent });
  });
}
