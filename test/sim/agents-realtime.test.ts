/**
 * Conformance with the OpenAI Agents SDK: `@openai/agents-realtime`'s WebSocket transport
 * (`OpenAIRealtimeWebSocket`) completes a turn against the simulator over loopback, beside the official `openai`
 * client test (openai-client.test.ts). On Node the transport connects with the `ws` package and an
 * `Authorization: Bearer` header; `url` points it at ws://127.0.0.1 instead of api.openai.com. Its own zod
 * schemas parse our frames: `turn_done` is only emitted when `response.done` parses.
 */
import { OpenAIRealtimeWebSocket } from '@openai/agents-realtime';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, type RunningSimulator } from '../../src/sim/index.js';
import { chunks, testCatalog } from './helpers.js';

const catalog = testCatalog();
let sim: RunningSimulator;
beforeAll(async () => {
  sim = await startSimulator({
    catalog,
    scenario: { name: 'fast', description: '', delivery: { speed: 20 } },
    scenarios: {
      'fast-reasoning': {
        name: 'fast-reasoning',
        description: '',
        delivery: { speed: 20 },
        reasoning: { preamble: true, reasoningMs: 300 },
      },
    },
  });
});
afterAll(() => sim?.close());

function withDeadline<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>(
    (_, reject) => (timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms waiting for ${what}`)), ms)),
  );
  return Promise.race([p, deadline]).finally(() => clearTimeout(timer));
}

describe('@openai/agents-realtime OpenAIRealtimeWebSocket', () => {
  it('completes a manual audio turn: audio, transcript, usage, turn_done', async () => {
    const transport = new OpenAIRealtimeWebSocket({ url: sim.url('openai-ga', { deployment: 'gpt-realtime-2' }) });
    const errors: unknown[] = [];
    const types: string[] = [];
    let audioBytes = 0;
    let transcript = '';
    transport.on('error', (e) => errors.push(e));
    transport.on('*', (e: { type: string }) => types.push(e.type));
    transport.on('audio', (e) => (audioBytes += e.data.byteLength));
    transport.on('audio_transcript_delta', (e) => (transcript += e.delta));
    const turnDone = new Promise<{ outputTokens: number; audioTokens: number }>((resolve) =>
      transport.on('turn_done', (e) => {
        const details = e.response.usage.outputTokensDetails;
        const audio = Array.isArray(details) ? undefined : details?.['audio_tokens'];
        resolve({ outputTokens: e.response.usage.outputTokens, audioTokens: typeof audio === 'number' ? audio : 0 });
      }),
    );
    await withDeadline(
      transport.connect({
        apiKey: 'sim-key',
        model: 'gpt-realtime-2',
        initialSessionConfig: {
          outputModalities: ['audio'],
          audio: { input: { turnDetection: null as never }, output: { voice: 'marin' } },
        },
      }),
      10_000,
      'connect',
    );
    expect(transport.status).toBe('connected');
    const pcm = catalog[0]!.pcm;
    const parts = chunks(pcm, 100);
    parts.forEach((c, i) =>
      transport.sendAudio(c.buffer.slice(c.byteOffset, c.byteOffset + c.byteLength) as ArrayBuffer, {
        commit: i === parts.length - 1,
      }),
    );
    transport.requestResponse();
    const done = await withDeadline(turnDone, 15_000, 'turn_done');
    transport.close();

    expect(errors).toEqual([]);
    expect(types[0]).toBe('session.created');
    expect(types).toContain('session.updated');
    expect(types).toContain('input_audio_buffer.committed');
    expect(types.indexOf('response.done')).toBeGreaterThan(types.indexOf('response.output_audio.done'));
    expect(transcript).toBe(catalog[0]!.answer);
    expect(audioBytes).toBeGreaterThan(48 * 500);
    expect(done.audioTokens).toBeGreaterThanOrEqual(Math.round(audioBytes / 48 / 50)); // 20 tokens per second of audio
    expect(done.outputTokens).toBeGreaterThan(done.audioTokens);
  });

  it('parses the reasoning wire (gpt-realtime-2.1: phase on items, commentary then final_answer) up to turn_done', async () => {
    const transport = new OpenAIRealtimeWebSocket({
      url: sim.url('openai-ga', { deployment: 'gpt-realtime-2.1', scenario: 'fast-reasoning' }),
    });
    const errors: unknown[] = [];
    transport.on('error', (e) => errors.push(e));
    const turnDone = new Promise<unknown[]>((resolve) =>
      transport.on('turn_done', (e) => resolve(e.response.output as unknown[])),
    );
    await withDeadline(
      transport.connect({
        apiKey: 'sim-key',
        model: 'gpt-realtime-2.1',
        initialSessionConfig: { outputModalities: ['audio'], audio: { input: { turnDetection: null as never } } },
      }),
      10_000,
      'connect',
    );
    const pcm = catalog[0]!.pcm;
    transport.sendAudio(pcm.buffer.slice(pcm.byteOffset, pcm.byteOffset + pcm.byteLength) as ArrayBuffer, {
      commit: true,
    });
    transport.requestResponse();
    const output = await withDeadline(turnDone, 15_000, 'turn_done');
    transport.close();
    expect(errors).toEqual([]);
    expect(output).toHaveLength(2); // both items survive the SDK's schemas
  });

  it("surfaces OpenAI's refusal of a wrong key (error invalid_api_key, then close 3000)", async () => {
    const transport = new OpenAIRealtimeWebSocket({ url: sim.url('openai-ga') });
    const errors: { error?: { error?: { code?: unknown } } }[] = [];
    transport.on('error', (e) => errors.push(e as never));
    const disconnected = new Promise<void>((resolve) => transport.on('disconnected' as never, () => resolve()));
    const connected = transport
      .connect({ apiKey: 'sk-not-the-key', model: 'gpt-realtime' })
      .catch((err: unknown) => err);
    await withDeadline(Promise.race([disconnected, connected.then(() => disconnected)]), 10_000, 'disconnect');
    await connected;
    expect(errors.map((e) => e.error?.error?.code)).toContain('invalid_api_key');
    expect(transport.status).toBe('disconnected');
  });
});
