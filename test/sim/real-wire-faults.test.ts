/**
 * The fault kinds and behaviours added for the 2026 wire, each observed on the wire: lost last deltas (counted
 * against the healthy plan), silent tails (samples checked), a failed response listing its completed item, Azure's
 * output cap, OpenAI's 3000/4000 closes mid-session, semantic VAD, WebSocket pings and `error.event_id`.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  planResponse,
  speak,
  startSimulator,
  type Fault,
  type RunningSimulator,
  type Scenario,
} from '../../src/sim/index.js';
import { createRng, mixSeed } from '../../src/sim/random.js';
import { KEY, TestClient, decodeAudio, manualTurn, rmsFrames, sleep, testCatalog } from './helpers.js';

const catalog = testCatalog();
const prompt = catalog[2]!; // "Hello there. Nice to meet you."
const spoken = speak(prompt.answer!, 1);
const audioMs = spoken.pcm.length / 48;
const AUDIO = 'response.output_audio.delta';
const TAIL_AT = 1200;

const fast = (name: string, ...faults: Fault[]): Scenario => ({
  name,
  description: name,
  delivery: { speed: 20 },
  turns: [{ faults }],
});
const scenarios: Scenario[] = [
  fast('healthy-fast'),
  fast('lose-2', { kind: 'lose-last-deltas', count: 2 }),
  fast('tail', { kind: 'silent-tail', atMs: TAIL_AT }),
  fast('tail-noise', { kind: 'silent-tail', atMs: TAIL_AT, noiseDbfs: -60 }),
  fast('failed-partial', { kind: 'failed-after-partial', atMs: 900 }),
  fast('cap', { kind: 'output-cap', maxOutputTokens: 30 }),
  fast('cap-roomy', { kind: 'output-cap' }),
  fast('close-3000', { kind: 'close', atMs: 500, code: 3000, reason: 'invalid_request_error.invalid_api_key' }),
  fast('close-4000', { kind: 'close', atMs: 500, code: 4000, reason: 'invalid_request_error' }),
  { name: 'pings', description: '', pingIntervalMs: 200 },
];

let sim: RunningSimulator;
beforeAll(async () => {
  sim = await startSimulator({ catalog, scenarios: Object.fromEntries(scenarios.map((s) => [s.name, s])) });
});
afterAll(() => sim.close());

const turn = (scenario: string, flavour: 'azure-ga' | 'openai-ga' = 'openai-ga'): Promise<TestClient> =>
  manualTurn(sim, scenario, flavour, prompt.pcm);

const deltas = (c: TestClient): Buffer[] =>
  c.events.filter((e) => e.type === AUDIO).map((e) => Buffer.from(e['delta'] as string, 'base64'));
const transcriptOf = (c: TestClient): unknown =>
  c.events.find((e) => e.type === 'response.output_audio_transcript.done')?.['transcript'];
const responseOf = async (c: TestClient): Promise<Record<string, any>> =>
  (await c.next('response.done'))['response'] as Record<string, any>;

describe('lose-last-deltas', () => {
  it('the last 2 deltas never arrive; transcript, audio .done and a completed response.done with full usage do', async () => {
    const healthy = await turn('healthy-fast');
    const h = await responseOf(healthy);
    const c = await turn('lose-2');
    const r = await responseOf(c);
    await sleep(100);
    const [full, lost] = [deltas(healthy), deltas(c)];
    expect(lost.length).toBe(full.length - 2);
    const lostMs = (full.at(-1)!.length + full.at(-2)!.length) / 48;
    expect(lostMs).toBeGreaterThan(200); // real-sized deltas: the tail lost is several hundred ms
    expect(Buffer.concat(lost).equals(spoken.pcm.subarray(0, spoken.pcm.length - lostMs * 48))).toBe(true);
    expect(transcriptOf(c)).toBe(prompt.answer);
    expect(c.events.some((e) => e.type === 'response.output_audio.done')).toBe(true);
    expect(r.status).toBe('completed');
    expect(r.usage.output_token_details.audio_tokens).toBe(h.usage.output_token_details.audio_tokens);
    expect(r.usage.output_token_details.audio_tokens).toBeGreaterThanOrEqual(Math.round(audioMs / 50));
    healthy.close();
    c.close();
  });
});

describe('silent-tail', () => {
  it.each([
    ['tail', undefined],
    ['tail-noise', -60],
  ] as const)(
    '%s: from atMs to the end the audio is silence (or noise at noiseDbfs), at full length, while the transcript goes on',
    async (scenario, noise) => {
      const c = await turn(scenario);
      const r = await responseOf(c);
      const audio = decodeAudio(c.events, AUDIO);
      expect(audio.length).toBe(spoken.pcm.length);
      const at = TAIL_AT * 48;
      expect(audio.subarray(0, at).equals(spoken.pcm.subarray(0, at))).toBe(true);
      const tail = rmsFrames(audio.subarray(at));
      expect(tail.length).toBe(Math.floor((audio.length - at) / (20 * 48)));
      if (noise === undefined) expect(audio.subarray(at).every((b) => b === 0)).toBe(true);
      else for (const db of tail) expect(Math.abs(db - noise)).toBeLessThan(2);
      // Words the transcript still sends lie in the tail, where the original audio was voiced.
      const wordsInTail = spoken.tokens.filter((t) => t.startByte >= at);
      expect(wordsInTail.length).toBeGreaterThan(0);
      expect(Math.max(...rmsFrames(spoken.pcm.subarray(at)))).toBeGreaterThan(-30);
      expect(transcriptOf(c)).toBe(prompt.answer);
      expect(r.status).toBe('completed');
      c.close();
    },
  );
});

describe('failed-after-partial', () => {
  it('response.done failed lists the completed item with the transcript so far; the message names the session', async () => {
    const c = await turn('failed-partial');
    const r = await responseOf(c);
    expect(r.status).toBe('failed');
    expect(r.status_details).toMatchObject({ type: 'failed', error: { type: 'server_error', code: null } });
    expect(r.status_details.error.message).toContain(
      `include session ID in your message: ${(c.events[0]!['session'] as { id: string }).id}`,
    );
    expect(r.output).toHaveLength(1);
    expect(r.output[0]).toMatchObject({ type: 'message', status: 'completed', role: 'assistant' });
    const said = r.output[0].content[0].transcript as string;
    expect(said.length).toBeGreaterThan(0);
    expect(prompt.answer!.startsWith(said)).toBe(true);
    expect(said).not.toBe(prompt.answer);
    const types = c.events.map((e) => e.type);
    for (const t of [
      'response.output_audio.done',
      'response.output_audio_transcript.done',
      'response.content_part.done',
      'conversation.item.done',
      'response.output_item.done',
    ]) {
      expect([t, types.indexOf(t) < types.indexOf('response.done')]).toEqual([t, true]);
    }
    expect(decodeAudio(c.events, AUDIO).length).toBeLessThan(spoken.pcm.length);
    c.close();
  });
});

describe('output-cap', () => {
  it('Azure: incomplete / max_output_tokens once the output passes maxOutputTokens', async () => {
    const c = await turn('cap', 'azure-ga');
    const r = await responseOf(c);
    expect(r.status_details).toEqual({ type: 'incomplete', reason: 'max_output_tokens' });
    expect(r.output[0].status).toBe('incomplete');
    const sentMs = decodeAudio(c.events, AUDIO).length / 48;
    expect(sentMs).toBeLessThan(audioMs);
    expect(r.usage.output_tokens).toBeLessThanOrEqual(30 + 12); // the cap, give or take the delta in flight
    expect(r.usage.output_tokens).toBeGreaterThan(10);
    c.close();
  });

  it('an answer within the cap (default 4096) completes', async () => {
    const c = await turn('cap-roomy', 'azure-ga');
    expect((await responseOf(c)).status).toBe('completed');
    c.close();
  });

  it('the built-in output-cap scenario has a long answer that passes 4096 tokens about 3 minutes in', () => {
    const plan = planResponse({
      spoken: speak(BUILTIN_LONG, 1),
      faults: [{ kind: 'output-cap' }],
      delivery: undefined,
      modality: 'audio',
      rng: createRng(mixSeed('t', 1)),
    });
    const end = plan.steps.find((s) => s.kind === 'end');
    expect(end).toMatchObject({ kind: 'end', status: 'incomplete', reason: 'max_output_tokens' });
    const sent =
      plan.steps
        .filter((s) => s.at <= end!.at && s.kind === 'audio')
        .reduce((n, s) => n + (s as { pcm: Buffer }).pcm.length, 0) / 48;
    expect(sent).toBeGreaterThan(150_000);
    expect(sent).toBeLessThan(200_000);
  });
});

describe('OpenAI closes 3000 / 4000 mid-session', () => {
  it.each([
    ['close-3000', 3000, 'invalid_request_error.invalid_api_key'],
    ['close-4000', 4000, 'invalid_request_error'],
  ] as const)('%s', async (scenario, code, reason) => {
    const c = await turn(scenario);
    expect(await c.waitClose()).toEqual({ code, reason });
    expect(c.events.map((e) => e.type)).not.toContain('response.done');
  });
});

describe('session behaviours', () => {
  it('semantic VAD reports eagerness and no threshold or silence; a stray threshold is refused', async () => {
    const c = await TestClient.open(sim.url('openai-ga'), { headers: { Authorization: `Bearer ${KEY}` } });
    await c.next('session.created');
    c.send({
      type: 'session.update',
      event_id: 'evt_sem_1',
      session: { type: 'realtime', audio: { input: { turn_detection: { type: 'semantic_vad', eagerness: 'high' } } } },
    });
    const td = ((await c.next('session.updated'))['session'] as any).audio.input.turn_detection;
    expect(td).toEqual({ type: 'semantic_vad', eagerness: 'high', create_response: true, interrupt_response: true });
    c.send({
      type: 'session.update',
      event_id: 'evt_sem_2',
      session: { type: 'realtime', audio: { input: { turn_detection: { type: 'semantic_vad', threshold: 0.5 } } } },
    });
    const e = (await c.next('error'))['error'] as Record<string, unknown>;
    expect(e).toMatchObject({
      code: 'unknown_parameter',
      param: 'session.audio.input.turn_detection.threshold',
      event_id: 'evt_sem_2',
    });
    c.close();
  });

  it('the server pings at the scenario interval', async () => {
    const c = await TestClient.open(sim.url('openai-ga', { scenario: 'pings' }), {
      headers: { Authorization: `Bearer ${KEY}` },
    });
    await c.next('session.created');
    await sleep(1100);
    expect(c.pings.length).toBeGreaterThanOrEqual(3);
    expect(c.pings.length).toBeLessThanOrEqual(7);
    c.close();
  });

  it('the server option sets the default interval; 0 turns pings off; the default is ~20 s', async () => {
    const s = await startSimulator({ catalog, pingIntervalMs: 150 });
    const c = await TestClient.open(s.url('azure-ga'), { headers: { 'api-key': KEY } });
    await c.next('session.created');
    const quiet = await TestClient.open(sim.url('openai-ga'), { headers: { Authorization: `Bearer ${KEY}` } });
    await sleep(700);
    expect(c.pings.length).toBeGreaterThanOrEqual(2);
    expect(quiet.pings).toEqual([]); // sim's default (20.26 s) has not elapsed
    c.close();
    quiet.close();
    await s.close();
    const off = await startSimulator({
      catalog,
      pingIntervalMs: 0,
      scenario: { name: 'p', description: '', pingIntervalMs: 0 },
    });
    const o = await TestClient.open(off.url('azure-ga'), { headers: { 'api-key': KEY } });
    await sleep(300);
    expect(o.pings).toEqual([]);
    o.close();
    await off.close();
  });

  it('error.event_id echoes the client event_id (null when the client sent none)', async () => {
    const c = await TestClient.open(sim.url('openai-ga'), { headers: { Authorization: `Bearer ${KEY}` } });
    await c.next('session.created');
    c.send({ type: 'response.cancel', event_id: 'evt_probe_42' });
    expect(((await c.next('error'))['error'] as Record<string, unknown>)['event_id']).toBe('evt_probe_42');
    c.send({ type: 'response.cancel' });
    expect(((await c.next('error'))['error'] as Record<string, unknown>)['event_id']).toBeNull();
    c.close();
  });
});

const BUILTIN_LONG: string = (await import('../../src/sim/builtin-scenarios.js')).longAnswer();
