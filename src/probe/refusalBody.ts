/**
 * The body of a refused WebSocket upgrade (the WebSocket transport's and the WebRTC sideband's): at most 64 KiB,
 * read for at most `waitMs`, so a refusal whose body never completes is still recorded with what arrived.
 */
import type { IncomingMessage } from 'node:http';

const MAX_BODY = 64 * 1024;
/** Longest wait for the body of a rejected upgrade; what arrived by then is recorded. */
export const MAX_BODY_WAIT_MS = 2_000;

/**
 * Reads `res` and calls `done` once with its text (marked when incomplete). Returns a function that ends the read
 * now, with what arrived (e.g. when the socket errors first).
 */
export function readRefusalBody(res: IncomingMessage, waitMs: number, done: (text: string) => void): () => void {
  const chunks: Buffer[] = [];
  let size = 0;
  let finished = false;
  const finish = (complete: boolean): void => {
    if (finished) return;
    finished = true;
    clearTimeout(timer);
    const text = Buffer.concat(chunks).toString('utf8').slice(0, MAX_BODY);
    done(complete ? text : `${text}…[body incomplete after ${waitMs} ms]`);
  };
  const timer = setTimeout(() => finish(false), waitMs);
  res.on('data', (c: Buffer) => {
    if (size < MAX_BODY) chunks.push(c);
    size += c.length;
  });
  res.on('end', () => finish(true));
  res.on('error', () => finish(false));
  res.on('aborted', () => finish(false));
  return () => finish(false);
}
