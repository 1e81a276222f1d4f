/**
 * Test helpers for the simulator: a minimal `ws` client that records server events, a refused-upgrade
 * probe, synthetic prompts and audio measurements. Deliberately independent of src/probe.
 */
import WebSocket from 'ws';
import type { PromptSpec } from '../../src/prompts/catalog.js';
import { sessionUpdateEvent } from '../../src/realtime/events.js';
import type { RunningSimulator } from '../../src/sim/index.js';

export const KEY = 'sim-key';

export interface ServerEvent {
  type: string;
  event_id: string;
  [key: string]: unknown;
}

export interface Received {
  event: ServerEvent;
  /** performance.now() at receipt. */
  at: number;
}

/** A recording WebSocket client. `next()` consumes events in order through a cursor. */
export class TestClient {
  readonly received: Received[] = [];
  closed: { code: number; reason: string } | undefined;
  /** performance.now() when the close arrived. */
  closedAt: number | undefined;
  /** Server pings received (performance.now() of each). */
  readonly pings: number[] = [];
  /** Headers of the 101 response. */
  upgradeHeaders: Record<string, unknown> = {};
  #cursor = 0;
  #wake: (() => void)[] = [];

  private constructor(readonly ws: WebSocket) {
    ws.on('message', (data) => {
      this.received.push({ event: JSON.parse(data.toString()) as ServerEvent, at: performance.now() });
      this.#notify();
    });
    ws.on('ping', () => this.pings.push(performance.now()));
    ws.on('close', (code, reason) => {
      this.closed = { code, reason: reason.toString() };
      this.closedAt = performance.now();
      this.#notify();
    });
    ws.on('error', () => {});
    ws.once('upgrade', (res) => (this.upgradeHeaders = res.headers));
  }

  get events(): ServerEvent[] {
    return this.received.map((r) => r.event);
  }

  static open(
    url: string,
    opts: { headers?: Record<string, string>; protocols?: string[]; ca?: string } = {},
  ): Promise<TestClient> {
    const ws = new WebSocket(url, opts.protocols ?? [], {
      headers: opts.headers ?? {},
      ...(opts.ca ? { ca: opts.ca } : {}),
    });
    const client = new TestClient(ws);
    return new Promise((resolve, reject) => {
      ws.once('open', () => resolve(client));
      ws.once('unexpected-response', (_req, res) => reject(new Error(`upgrade refused: ${res.statusCode}`)));
      ws.once('error', reject);
    });
  }

  #notify(): void {
    const wake = this.#wake;
    this.#wake = [];
    wake.forEach((w) => w());
  }

  #changed(timeoutMs: number): Promise<boolean> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => resolve(false), timeoutMs);
      this.#wake.push(() => {
        clearTimeout(timer);
        resolve(true);
      });
    });
  }

  send(event: Record<string, unknown>): void {
    this.ws.send(JSON.stringify(event));
  }

  /** The next event (after the cursor) matching `type` or `pred`; moves the cursor past it. */
  async next(match: string | ((e: ServerEvent) => boolean), timeoutMs = 10_000): Promise<ServerEvent> {
    const pred = typeof match === 'string' ? (e: ServerEvent) => e.type === match : match;
    const deadline = performance.now() + timeoutMs;
    for (;;) {
      for (let i = this.#cursor; i < this.received.length; i++) {
        const e = this.received[i]!.event;
        if (pred(e)) {
          this.#cursor = i + 1;
          return e;
        }
      }
      const left = deadline - performance.now();
      if (left <= 0 || this.closed)
        throw new Error(
          `timed out waiting for ${typeof match === 'string' ? match : 'event'}; got ${this.events.map((e) => e.type).join(', ')}`,
        );
      await this.#changed(left);
    }
  }

  /** Resolves with the close code and reason (or undefined on timeout). */
  async waitClose(timeoutMs = 10_000): Promise<{ code: number; reason: string } | undefined> {
    const deadline = performance.now() + timeoutMs;
    while (!this.closed && performance.now() < deadline) await this.#changed(deadline - performance.now());
    return this.closed;
  }

  /** Streams PCM as `input_audio_buffer.append` events of `chunkMs`. */
  appendPcm(pcm: Buffer, chunkMs = 100): void {
    for (const chunk of chunks(pcm, chunkMs))
      this.send({ type: 'input_audio_buffer.append', audio: chunk.toString('base64') });
  }

  close(): void {
    this.ws.terminate();
  }
}

export function chunks(pcm: Buffer, chunkMs: number): Buffer[] {
  const out: Buffer[] = [];
  for (let o = 0; o < pcm.length; o += chunkMs * 48) out.push(pcm.subarray(o, o + chunkMs * 48));
  return out;
}

/** Attempts an upgrade that should be refused; resolves with its HTTP status, headers and JSON body. */
export function refusedUpgrade(
  url: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; headers: Record<string, unknown>; body: unknown }> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { headers });
    ws.once('open', () => {
      ws.terminate();
      reject(new Error('upgrade was accepted'));
    });
    ws.once('error', () => {});
    ws.once('unexpected-response', (_req, res) => {
      let body = '';
      res.on('data', (d: Buffer) => (body += d.toString()));
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: body ? JSON.parse(body) : undefined }),
      );
    });
  });
}

/** A speech-like test prompt: a 150 Hz tone at −20 dBFS for `ms`, then 200 ms of silence. */
export function tonePrompt(ms: number): Buffer {
  const samples = Math.round(ms * 24);
  const out = Buffer.alloc((samples + 200 * 24) * 2);
  for (let i = 0; i < samples; i++)
    out.writeInt16LE(Math.round(4634 * Math.sin((2 * Math.PI * 150 * i) / 24000)), i * 2);
  return out;
}

/** A small catalogue with short answers, so tests run fast. */
export function testCatalog(): PromptSpec[] {
  return [
    { id: 'short', text: 'Say three numbers.', answer: 'One, two, three.', expect: ['three'], pcm: tonePrompt(600) },
    {
      id: 'colours',
      text: 'Name four colours.',
      answer: 'Red, green, blue. Yellow!',
      expect: ['yellow'],
      pcm: tonePrompt(1500),
    },
    {
      id: 'greeting',
      text: 'Greet me.',
      answer: 'Hello there. Nice to meet you.',
      expect: ['hello'],
      pcm: tonePrompt(2400),
    },
  ];
}

/** RMS in dBFS of each `frameMs` frame of PCM16LE 24 kHz mono. */
export function rmsFrames(pcm: Buffer, frameMs = 20): number[] {
  const bytes = frameMs * 48;
  const out: number[] = [];
  for (let o = 0; o + bytes <= pcm.length; o += bytes) {
    let sum = 0;
    for (let i = o; i < o + bytes; i += 2) sum += (pcm.readInt16LE(i) / 32768) ** 2;
    out.push(10 * Math.log10(sum / (bytes / 2) + 1e-20));
  }
  return out;
}

/** Concatenated decoded audio of the given delta events. */
export function decodeAudio(events: readonly ServerEvent[], deltaType: string): Buffer {
  return Buffer.concat(
    events.filter((e) => e.type === deltaType).map((e) => Buffer.from(e['delta'] as string, 'base64')),
  );
}

export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/**
 * One manual GA turn against `sim` with `scenario` (the prompt's audio appended, committed, response requested);
 * resolves with the client once `response.created` arrived.
 */
export async function manualTurn(
  sim: RunningSimulator,
  scenario: string,
  flavour: 'azure-ga' | 'openai-ga',
  pcm: Buffer,
): Promise<TestClient> {
  const headers: Record<string, string> =
    flavour === 'azure-ga' ? { 'api-key': KEY } : { Authorization: `Bearer ${KEY}` };
  const c = await TestClient.open(sim.url(flavour, { scenario }), { headers });
  c.send(sessionUpdateEvent('ga', { instructions: '', voice: 'alloy', turnDetection: 'manual', modality: 'audio' }));
  await c.next('session.updated');
  c.appendPcm(pcm);
  c.send({ type: 'input_audio_buffer.commit' });
  c.send({ type: 'response.create' });
  await c.next('response.created');
  return c;
}
