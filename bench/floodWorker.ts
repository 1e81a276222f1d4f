/**
 * A flooding Realtime endpoint on its own thread (for bench:round): accepts the upgrade, says session.created,
 * then sends small events as fast as the socket takes them for `seconds`, and closes. The probe's per-session
 * caps must stop it; the round around it must complete.
 */
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';
import { WebSocketServer } from 'ws';

export interface FloodThread {
  url: string;
  stop(): Promise<void>;
}

export async function startFloodThread(seconds: number): Promise<FloodThread> {
  const worker = new Worker(new URL(import.meta.url), { workerData: { seconds } });
  const port = await new Promise<number>((resolve, reject) => {
    worker.once('message', (m: { port: number }) => resolve(m.port));
    worker.once('error', reject);
  });
  return { url: `ws://127.0.0.1:${port}/openai/v1/realtime?model=flood`, stop: async () => void (await worker.terminate()) };
}

if (!isMainThread && parentPort) {
  const { seconds } = workerData as { seconds: number };
  const wss = new WebSocketServer({ port: 0, host: '127.0.0.1' });
  wss.on('connection', (ws) => {
    ws.send(JSON.stringify({ type: 'session.created', event_id: 'e0', session: { id: 'sess_flood' } }));
    const until = Date.now() + seconds * 1000;
    let n = 0;
    const blast = (): void => {
      while (ws.readyState === ws.OPEN && ws.bufferedAmount < 4 * 1024 * 1024 && Date.now() < until) {
        ws.send(`{"type":"response.output_audio_transcript.delta","event_id":"f${n++}","response_id":"resp_f","item_id":"item_f","delta":"flood "}`);
      }
      if (Date.now() >= until) return void ws.close(1000);
      if (ws.readyState === ws.OPEN) setImmediate(blast);
    };
    ws.once('message', () => blast());
  });
  wss.on('listening', () => parentPort!.postMessage({ port: (wss.address() as { port: number }).port }));
}
