/**
 * A flooding Realtime endpoint in its own process (for bench:round): accepts the upgrade, says session.created,
 * then sends small events as fast as the socket takes them for `seconds`, and closes. The probe's per-session
 * caps must stop it; the round around it must complete. In its own process, its buffers are not counted in the
 * probe's RSS.
 */
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { WebSocketServer } from 'ws';
import { flavourUrl, type Flavour } from '../src/realtime/flavours.js';

export interface FloodProcess {
  url: string;
  /** The flavour its URL pretends to be. */
  flavour: Flavour;
  stop(): Promise<void>;
}

const CHILD_FLAG = '--rc-flood-process';
const FLAVOUR: Flavour = 'azure-ga';

export async function startFloodProcess(seconds: number): Promise<FloodProcess> {
  const child = fork(fileURLToPath(import.meta.url), [CHILD_FLAG, String(seconds)], {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const port = await new Promise<number>((resolve, reject) => {
    child.once('message', (m: { port: number }) => resolve(m.port));
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`the flooding endpoint exited (code ${code}) before listening`)));
  });
  return {
    url: flavourUrl(FLAVOUR, `ws://127.0.0.1:${port}`, 'flood').toString(),
    flavour: FLAVOUR,
    stop: () =>
      new Promise((resolve) =>
        child.exitCode !== null ? resolve() : (child.once('exit', () => resolve()), child.kill()),
      ),
  };
}

if (process.argv[2] === CHILD_FLAG) {
  const seconds = Number(process.argv[3]);
  const wss = new WebSocketServer({ port: 0, host: '127.0.0.1' });
  wss.on('connection', (ws) => {
    ws.send(JSON.stringify({ type: 'session.created', event_id: 'e0', session: { id: 'sess_flood' } }));
    const until = Date.now() + seconds * 1000;
    let n = 0;
    const blast = (): void => {
      while (ws.readyState === ws.OPEN && ws.bufferedAmount < 4 * 1024 * 1024 && Date.now() < until) {
        ws.send(
          `{"type":"response.output_audio_transcript.delta","event_id":"f${n++}","response_id":"resp_f","item_id":"item_f","delta":"flood "}`,
        );
      }
      if (Date.now() >= until) return void ws.close(1000);
      if (ws.readyState === ws.OPEN) setImmediate(blast);
    };
    ws.once('message', () => blast());
  });
  wss.on('listening', () => process.send!({ port: (wss.address() as { port: number }).port }));
}
