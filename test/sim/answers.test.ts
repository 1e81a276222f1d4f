import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadCatalog } from '../../src/prompts/catalog.js';
import { sessionUpdateEvent } from '../../src/realtime/events.js';
import { createAnswerBook, DEFAULT_ANSWER, startSimulator, type RunningSimulator } from '../../src/sim/index.js';
import { KEY, TestClient, testCatalog } from './helpers.js';

describe('createAnswerBook', () => {
  const catalog = testCatalog();
  const book = createAnswerBook(catalog);

  it('matches committed audio by byte length, within one 100 ms chunk', () => {
    const p = catalog[1]!;
    expect(book.answer({ bytes: p.pcm.length }).promptId).toBe(p.id);
    expect(book.answer({ bytes: p.pcm.length - 4800 }).promptId).toBe(p.id);
    expect(book.answer({ bytes: p.pcm.length + 4800 }).promptId).toBe(p.id);
    expect(book.answer({ bytes: p.pcm.length + 4802 }).promptId).toBeUndefined();
  });

  it('falls back to the default answer, and matches text items by the prompt text', () => {
    expect(book.answer({ bytes: 1 }).text).toBe(DEFAULT_ANSWER);
    expect(book.answer({ text: '  name FOUR colours. ' }).promptId).toBe('colours');
    expect(createAnswerBook(catalog, 'Custom.').answer({ bytes: 0 }).text).toBe('Custom.');
  });
});

describe('the real prompt catalogue', () => {
  const catalog = loadCatalog();
  let sim: RunningSimulator;
  beforeAll(async () => {
    sim = await startSimulator({ scenario: { name: 'fast', description: '', delivery: { speed: 40 } } });
  });
  afterAll(() => sim.close());

  async function answerTo(pcm: Buffer, vad: boolean): Promise<unknown> {
    const c = await TestClient.open(sim.url('azure-preview'), { headers: { 'api-key': KEY } });
    c.send(
      sessionUpdateEvent('beta', {
        instructions: '',
        voice: 'alloy',
        turnDetection: vad ? 'server_vad' : 'manual',
        modality: 'text',
      }),
    );
    await c.next('session.updated');
    c.appendPcm(vad ? Buffer.concat([pcm, Buffer.alloc(48 * 800)]) : pcm);
    if (!vad) {
      c.send({ type: 'input_audio_buffer.commit' });
      c.send({ type: 'response.create' });
    }
    const done = await c.next('response.text.done', 20_000);
    c.close();
    return done['text'];
  }

  it('each prompt WAV gets its own answer (manual commit: byte length)', async () => {
    const answers = await Promise.all(catalog.map((p) => answerTo(p.pcm, false)));
    expect(answers).toEqual(catalog.map((p) => p.answer));
    for (const p of catalog) expect(p.answer!.toLowerCase()).toContain(p.expect[0]!);
  });

  it('under server VAD, by the length of the detected speech', async () => {
    const answers = await Promise.all(catalog.map((p) => answerTo(p.pcm, true)));
    expect(answers).toEqual(catalog.map((p) => p.answer));
  });
});

describe('onServerSend', () => {
  it('reports every event right before it is sent, with its id, wire type and epoch time', async () => {
    const seen: { eventId: string; type: string; epochMs: number }[] = [];
    const sim = await startSimulator({
      catalog: testCatalog(),
      onServerSend: (i) => seen.push(i),
      scenario: { name: 'f', description: '', delivery: { speed: 20 } },
    });
    const c = await TestClient.open(sim.url('azure-preview'), { headers: { 'api-key': KEY } });
    c.send(
      sessionUpdateEvent('beta', { instructions: '', voice: 'alloy', turnDetection: 'manual', modality: 'audio' }),
    );
    c.appendPcm(testCatalog()[0]!.pcm);
    c.send({ type: 'input_audio_buffer.commit' });
    c.send({ type: 'response.create' });
    await c.next('response.done');
    c.close();
    await sim.close();
    expect(seen.map((s) => s.eventId)).toEqual(c.events.map((e) => e.event_id));
    expect(seen.map((s) => s.type)).toEqual(c.events.map((e) => e.type));
    const now = performance.timeOrigin + performance.now();
    for (const s of seen) expect(now - s.epochMs).toBeLessThan(30_000);
  });
});
