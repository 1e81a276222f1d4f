/**
 * The official `openai` package's realtime WebSocket client completes a turn against the simulator.
 * That client only speaks wss://, so the simulator serves TLS with a self-signed certificate, trusted
 * here by passing it as `ca` through the client's `ws` options (the certificate is really verified, for
 * 127.0.0.1, so NODE_TLS_REJECT_UNAUTHORIZED is not needed).
 */
import OpenAI from 'openai';
import { OpenAIRealtimeWS } from 'openai/realtime/ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, type RunningSimulator } from '../../src/sim/index.js';
import { chunks, testCatalog } from './helpers.js';

const catalog = testCatalog();
let sim: RunningSimulator;
beforeAll(async () => {
  sim = await startSimulator({
    catalog,
    tls: true,
    scenario: { name: 'fast', description: '', delivery: { speed: 20 } },
  });
});
afterAll(() => sim?.close());

describe('the official openai realtime client', () => {
  it('serves wss with a certificate for 127.0.0.1', () => {
    expect(sim.baseUrl).toMatch(/^wss:\/\/127\.0\.0\.1:\d+$/);
    expect(sim.tlsCert).toContain('BEGIN CERTIFICATE');
  });

  it('completes a turn through OpenAIRealtimeWS', async () => {
    const client = new OpenAI({ apiKey: 'sim-key', baseURL: `https://127.0.0.1:${sim.port}/v1` });
    const rt = new OpenAIRealtimeWS({ model: 'gpt-realtime', options: { ca: sim.tlsCert } }, client);
    const errors: string[] = [];
    rt.on('error', (err) => errors.push(err.message));
    const types: string[] = [];
    let audioBytes = 0;
    let transcript = '';
    rt.on('event', (e) => types.push(e.type));
    rt.on('response.output_audio.delta', (e) => (audioBytes += Buffer.from(e.delta, 'base64').length));
    rt.on('response.output_audio_transcript.done', (e) => (transcript = e.transcript));
    const done = new Promise<{ status: string | undefined }>((resolve) =>
      rt.on('response.done', (e) => resolve({ status: e.response.status })),
    );
    await new Promise<void>((resolve, reject) => {
      rt.socket.once('open', () => resolve());
      rt.socket.once('error', reject);
    });
    rt.send({
      type: 'session.update',
      session: {
        type: 'realtime',
        output_modalities: ['audio'],
        audio: { input: { turn_detection: null }, output: { voice: 'marin' } },
      },
    });
    for (const c of chunks(catalog[0]!.pcm, 100))
      rt.send({ type: 'input_audio_buffer.append', audio: c.toString('base64') });
    rt.send({ type: 'input_audio_buffer.commit' });
    rt.send({ type: 'response.create' });
    const result = await done;
    rt.close();
    expect(errors).toEqual([]);
    expect(result.status).toBe('completed');
    expect(types[0]).toBe('session.created');
    expect(types).toContain('session.updated');
    expect(types).toContain('conversation.item.added');
    expect(transcript).toBe(catalog[0]!.answer);
    expect(audioBytes).toBeGreaterThan(48 * 500);
  });
});
