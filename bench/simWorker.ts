/**
 * The simulator on its own thread (its own event loop), as a remote service would be: the benchmarks measure
 * the recorder's timing error, not the time a shared event loop spends generating audio. Epoch times
 * (performance.timeOrigin + now()) agree across threads to well under 0.1 ms.
 */
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';
import { startSimulator } from '../src/sim/index.js';

export interface SimThread {
  port: number;
  url(flavour: 'azure-ga' | 'azure-preview' | 'openai-ga' | 'openai-beta', scenario?: string): string;
  /** Stops the simulator and returns its send times by event id. */
  stop(): Promise<Map<string, number>>;
}

export async function startSimThread(apiKey: string): Promise<SimThread> {
  const worker = new Worker(new URL(import.meta.url), { workerData: { apiKey } });
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
  const sent: [string, number][] = [];
  const sim = await startSimulator({ port: 0, apiKey: (workerData as { apiKey: string }).apiKey, onServerSend: ({ eventId, epochMs }) => void sent.push([eventId, epochMs]) });
  port.postMessage({ port: sim.port });
  port.on('message', async () => {
    await sim.close();
    port.postMessage({ sent });
  });
}
