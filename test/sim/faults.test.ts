import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { speak, startSimulator, type Fault, type RunningSimulator, type Scenario } from '../../src/sim/index.js';
import { KEY, TestClient, decodeAudio, manualTurn, rmsFrames, sleep, testCatalog } from './helpers.js';

const catalog = testCatalog();
const prompt = catalog[2]!; // "Hello there. Nice to meet you."
const spoken = speak(prompt.answer!, 1);
const word = spoken.tokens[2]!; // " Nice": the gap goes into the middle of its voice
const GAP_AT = Math.round((word.startByte + word.endByte) / 2 / 48);
const GAP_MS = 1000;

const fast = (name: string, ...faults: Fault[]): Scenario => ({
  name,
  description: name,
  delivery: { speed: 20 },
  turns: [{ faults }],
});
const scenarios: Scenario[] = [
  fast('gap', { kind: 'silent-gap', atMs: GAP_AT, durationMs: GAP_MS }),
  fast('gap-noise', { kind: 'silent-gap', atMs: GAP_AT, durationMs: GAP_MS, noiseDbfs: -60 }),
  fast('truncate', { kind: 'truncate-audio', atMs: 1000 }),
  fast('no-done', { kind: 'no-response-done' }),
  fast('no-audio-done', { kind: 'no-audio-done' }),
  fast('drop', { kind: 'drop', atMs: 500 }),
  fast('close-1011', { kind: 'close', atMs: 500, code: 1011, reason: 'Internal server error' }),
  fast('close-1001', {
    kind: 'close',
    atMs: 500,
    code: 1001,
    reason: 'Your session hit the maximum duration of 60 minutes.',
  }),
  fast('failed', { kind: 'status', status: 'failed', atMs: 800 }),
  fast('incomplete', { kind: 'status', status: 'incomplete', atMs: 800 }),
  fast('cancelled-end', { kind: 'status', status: 'cancelled' }),
  fast('error', { kind: 'error-event', atMs: 500 }),
];

let sim: RunningSimulator;
beforeAll(async () => {
  sim = await startSimulator({ catalog, scenarios: Object.fromEntries(scenarios.map((s) => [s.name, s])) });
});
afterAll(() => sim.close());

const turn = (scenario: string, flavour: 'azure-ga' | 'openai-ga' = 'azure-ga'): Promise<TestClient> =>
  manualTurn(sim, scenario, flavour, prompt.pcm);

const audioOf = (c: TestClient): Buffer => decodeAudio(c.events, 'response.output_audio.delta');
const transcriptOf = (c: TestClient): unknown =>
  c.events.find((e) => e.type === 'response.output_audio_transcript.done')?.['transcript'];

describe('silent-gap', () => {
  it('digital silence of the injected length sits at exactly atMs * 48 bytes', async () => {
    const c = await turn('gap');
    await c.next('response.done');
    const audio = audioOf(c);
    const at = GAP_AT * 48;
    const end = at + GAP_MS * 48;
    expect(audio.length).toBe(spoken.pcm.length + GAP_MS * 48);
    expect(audio.subarray(at, end).every((b) => b === 0)).toBe(true);
    // Sample-exact: the audio around the gap is the answer's audio, unshifted before and shifted after.
    expect(audio.subarray(0, at).equals(spoken.pcm.subarray(0, at))).toBe(true);
    expect(audio.subarray(end).equals(spoken.pcm.subarray(at))).toBe(true);
    // Per 20 ms frame: voice right before and right after, a silent run of the gap's length in between.
    const frames = rmsFrames(audio.subarray(at - 20 * 48, end + 20 * 48));
    expect(frames[0]).toBeGreaterThan(-35);
    expect(frames.at(-1)).toBeGreaterThan(-35);
    expect(frames.slice(1, -1).every((db) => db < -90)).toBe(true);
    expect(frames.length - 2).toBe(GAP_MS / 20);
    expect(transcriptOf(c)).toBe(prompt.answer);
    c.close();
  });

  it('with noiseDbfs the gap holds noise at that level', async () => {
    const c = await turn('gap-noise');
    await c.next('response.done');
    const frames = rmsFrames(audioOf(c).subarray(GAP_AT * 48, (GAP_AT + GAP_MS) * 48));
    expect(frames).toHaveLength(GAP_MS / 20);
    for (const db of frames) expect(Math.abs(db + 60)).toBeLessThan(2);
    c.close();
  });
});

describe('truncate-audio', () => {
  it('audio stops at atMs while the transcript and a completed response.done with full usage still come', async () => {
    const c = await turn('truncate');
    const done = await c.next('response.done');
    expect(audioOf(c).length).toBe(1000 * 48);
    expect(audioOf(c).length).toBeLessThan(spoken.pcm.length);
    expect(transcriptOf(c)).toBe(prompt.answer);
    expect(c.events.some((e) => e.type === 'response.output_audio.done')).toBe(true);
    const r = done['response'] as any;
    expect(r.status).toBe('completed');
    // Usage counts the generated audio at 20 tokens/s (plus a few per item), not what was delivered.
    const generated = Math.round(spoken.pcm.length / 48 / 50);
    expect(r.usage.output_token_details.audio_tokens - generated).toBeGreaterThanOrEqual(1);
    expect(r.usage.output_token_details.audio_tokens - generated).toBeLessThanOrEqual(5);
    c.close();
  });
});

describe('missing terminal events', () => {
  it('no-response-done: nothing after the last delta for 2 s, socket open; the response stays active', async () => {
    const c = await turn('no-done');
    await c.next('response.output_audio.delta');
    await sleep(2000);
    const types = c.events.map((e) => e.type);
    expect(types).not.toContain('response.done');
    expect(types).not.toContain('response.output_audio.done');
    expect(types.at(-1)).toMatch(/\.delta$/);
    expect(audioOf(c).length).toBe(spoken.pcm.length);
    expect(c.ws.readyState).toBe(c.ws.OPEN);
    c.send({ type: 'response.create' });
    expect(((await c.next('error'))['error'] as any).code).toBe('conversation_already_has_active_response');
    c.send({ type: 'response.cancel' });
    expect(((await c.next('response.done'))['response'] as any).status).toBe('cancelled');
    c.close();
  });

  it('no-audio-done: everything but the audio .done', async () => {
    const c = await turn('no-audio-done');
    await c.next('response.done');
    const types = c.events.map((e) => e.type);
    expect(types).not.toContain('response.output_audio.done');
    expect(types).toContain('response.output_audio_transcript.done');
    c.close();
  });
});

describe('connection faults', () => {
  it('drop: the client sees 1006 (no close frame)', async () => {
    const c = await turn('drop');
    expect((await c.waitClose())?.code).toBe(1006);
    expect(audioOf(c).length).toBeGreaterThan(0);
    expect(audioOf(c).length).toBeLessThanOrEqual(700 * 48);
  });

  it.each([
    ['close-1011', 1011, 'Internal server error'],
    ['close-1001', 1001, 'Your session hit the maximum duration of 60 minutes.'],
  ] as const)('%s: a close frame with that code mid-response', async (scenario, code, reason) => {
    const c = await turn(scenario);
    expect(await c.waitClose()).toEqual({ code, reason });
    expect(c.events.map((e) => e.type)).not.toContain('response.done');
  });
});

describe('status faults', () => {
  it('failed on OpenAI: server_error in the 2025+ wording, naming the session id; nothing completed, so output is empty', async () => {
    const c = await turn('failed', 'openai-ga');
    const r = (await c.next('response.done'))['response'] as any;
    const sessionId = (c.events[0]!['session'] as { id: string }).id;
    expect(r.status).toBe('failed');
    expect(r.status_details.type).toBe('failed');
    expect(r.status_details.error).toMatchObject({ type: 'server_error', code: null });
    expect(r.status_details.error.message).toBe(
      'The server had an error while processing your request. Sorry about that! Please contact us through our help center at help.openai.com if the error persists. ' +
        `(include session ID in your message: ${sessionId}). We recommend you retry your request.`,
    );
    expect(r.output).toEqual([]);
    expect(audioOf(c).length).toBeLessThan(spoken.pcm.length);
    c.close();
  });

  it('failed on Azure: the Azure GA wording', async () => {
    const c = await turn('failed');
    const r = (await c.next('response.done'))['response'] as any;
    expect(r.status_details).toEqual({
      type: 'failed',
      error: { type: 'server_error', code: null, message: 'The server had an error while processing your request.' },
    });
    c.close();
  });

  it('incomplete at atMs: open items closed as incomplete, reason max_output_tokens, usage of what was sent', async () => {
    const c = await turn('incomplete');
    const r = (await c.next('response.done'))['response'] as any;
    expect(r.status_details).toEqual({ type: 'incomplete', reason: 'max_output_tokens' });
    expect(r.output[0].status).toBe('incomplete');
    const audio = audioOf(c);
    expect(audio.length).toBeLessThan(spoken.pcm.length);
    const sent = Math.round(audio.length / 48 / 50);
    expect(r.usage.output_token_details.audio_tokens - sent).toBeGreaterThanOrEqual(1);
    expect(r.usage.output_token_details.audio_tokens - sent).toBeLessThanOrEqual(5);
    c.close();
  });

  it('cancelled at the end: turn_detected', async () => {
    const c = await turn('cancelled-end');
    const r = (await c.next('response.done'))['response'] as any;
    expect(r.status_details).toEqual({ type: 'cancelled', reason: 'turn_detected' });
    c.close();
  });

  it('error-event: an error mid-response, and the response still completes', async () => {
    const c = await turn('error');
    const e = await c.next('error');
    expect(e['error']).toMatchObject({ type: 'server_error' });
    expect(((await c.next('response.done'))['response'] as any).status).toBe('completed');
    expect(audioOf(c).length).toBe(spoken.pcm.length);
    c.close();
  });
});
