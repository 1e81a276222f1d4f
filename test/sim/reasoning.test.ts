/**
 * The reasoning generation on the wire (issue 19 §1): the model profile the URL's model picks, `phase` on every
 * output item wherever an item appears, the preamble / reasoning pause / final answer of one response (timing checked
 * exactly on the plan, loosely on the socket), reasoning tokens inside `output_token_details.text_tokens`, the
 * preamble-only turn, two generations for one turn (the second unasked), a silent second generation, and
 * `conversation_already_has_active_response` naming the client's event_id with nothing after it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sessionUpdateEvent } from '../../src/realtime/events.js';
import {
  PREAMBLES,
  REASONING_PAUSE_MS,
  speak,
  startSimulator,
  type Fault,
  type RunningSimulator,
  type Scenario,
} from '../../src/sim/index.js';
import { shapeTurn } from '../../src/sim/profiles.js';
import { createRng } from '../../src/sim/random.js';
import { planReasoningTurn } from '../../src/sim/turn-plan.js';
import { KEY, TestClient, decodeAudio, sleep, testCatalog, type ServerEvent } from './helpers.js';

const catalog = testCatalog();
const prompt = catalog[2]!; // "Hello there. Nice to meet you."
const AUDIO = 'response.output_audio.delta';
const PAUSE = 1500;

const reasoning = (name: string, ...faults: Fault[]): Scenario => ({
  name,
  description: name,
  profile: 'reasoning',
  reasoning: { preamble: true, reasoningMs: PAUSE },
  delivery: { speed: 20 },
  ...(faults.length ? { turns: [{ faults }] } : {}),
});
const scenarios: Scenario[] = [
  { name: 'fast', description: '', delivery: { speed: 20 } },
  reasoning('r-pinned'),
  reasoning('r-gap', { kind: 'silent-gap', atMs: 600, durationMs: 1000 }),
  reasoning('r-preamble-only', { kind: 'preamble-only' }),
  reasoning('r-two', { kind: 'second-generation', afterMs: 1200 }),
  reasoning('r-two-silent', { kind: 'second-generation', afterMs: 300, audio: false }),
];

let sim: RunningSimulator;
beforeAll(async () => {
  sim = await startSimulator({ catalog, scenarios: Object.fromEntries(scenarios.map((s) => [s.name, s])) });
  await sim.warmed;
});
afterAll(() => sim.close());

/** A manual GA turn on `deployment` (the model the URL names) with `scenario`; resolves after `response.created`. */
async function turn(scenario: string, deployment = 'gpt-realtime-2.1', effort?: string): Promise<TestClient> {
  const c = await TestClient.open(sim.url('azure-ga', { scenario, deployment }), { headers: { 'api-key': KEY } });
  const update = sessionUpdateEvent('ga', {
    instructions: '',
    voice: 'alloy',
    turnDetection: 'manual',
    modality: 'audio',
  });
  if (effort) (update['session'] as Record<string, unknown>)['reasoning'] = { effort };
  c.send(update);
  await c.next('session.updated');
  c.appendPcm(prompt.pcm);
  c.send({ type: 'input_audio_buffer.commit' });
  c.send({ type: 'response.create', event_id: 'evt_client_create_1' });
  await c.next('response.created');
  return c;
}

/** Every item an event carries (`item`, or a response's `output`). */
function itemsOf(e: ServerEvent): Record<string, unknown>[] {
  const r = e['response'] as { output?: Record<string, unknown>[] } | undefined;
  if (r?.output) return r.output;
  const item = e['item'] as Record<string, unknown> | undefined;
  return item ? [item] : [];
}

const assistantItemEvents = (c: TestClient): ServerEvent[] =>
  c.events.filter(
    (e) =>
      [
        'response.output_item.added',
        'response.output_item.done',
        'conversation.item.added',
        'conversation.item.done',
      ].includes(e.type) && itemsOf(e)[0]?.['role'] === 'assistant',
  );

describe('model profiles', () => {
  it('gpt-realtime-2.1 gets the reasoning profile: phase on every assistant item, commentary then final_answer', async () => {
    const c = await turn('r-pinned');
    const done = await c.next('response.done');
    const events = assistantItemEvents(c);
    expect(events).toHaveLength(8); // four events per item, two items
    for (const e of events) expect(['commentary', 'final_answer']).toContain(itemsOf(e)[0]!['phase']);
    const output = (done['response'] as { output: Record<string, unknown>[] }).output;
    expect(output.map((it) => it['phase'])).toEqual(['commentary', 'final_answer']);
    // phase sits after role in the item, the content after it
    expect(Object.keys(output[0]!)).toEqual(['id', 'type', 'status', 'role', 'phase', 'content']);
    const transcripts = output.map((it) => (it['content'] as { transcript: string }[])[0]!.transcript);
    expect(PREAMBLES).toContain(transcripts[0]);
    expect(transcripts[1]).toBe(prompt.answer);
    c.close();
  });

  it.each([
    ['gpt-realtime', 'fast'],
    ['gpt-realtime-2', 'fast'],
    ['gpt-realtime-mini', 'fast'],
  ])('%s keeps the classic profile: one item, no phase key anywhere', async (deployment, scenario) => {
    const c = await turn(scenario, deployment);
    const done = await c.next('response.done');
    for (const e of assistantItemEvents(c)) expect(itemsOf(e)[0]).not.toHaveProperty('phase');
    expect((done['response'] as { output: unknown[] }).output).toHaveLength(1);
    c.close();
  });

  it('a scenario can force the profile whatever the model', async () => {
    const c = await turn('r-pinned', 'gpt-realtime');
    const done = await c.next('response.done');
    expect((done['response'] as { output: { phase: string }[] }).output.map((i) => i.phase)).toEqual([
      'commentary',
      'final_answer',
    ]);
    c.close();
  });
});

describe('one reasoning response: preamble, pause, final answer', () => {
  it("the plan puts the answer's first audio exactly at first audio + preamble audio + reasoning", () => {
    const shape = shapeTurn(
      'reasoning',
      { effort: 'low', pinned: { preamble: true, reasoningMs: 2800 }, forcePreamble: false },
      createRng(1),
    );
    const plan = planReasoningTurn({
      spoken: speak(prompt.answer!, 1),
      faults: [],
      delivery: { speed: 4, burstMs: 500 },
      modality: 'audio',
      rng: createRng(2),
      shape,
      preamble: speak(shape.preamble!, 1),
      preambleRng: createRng(3),
    });
    const audio = plan.steps.filter((s) => s.kind === 'audio');
    const firstOf = (item: number): number => audio.find((s) => s.item === item)!.at;
    const preambleMs = plan.items[0]!.audioBytes / 48;
    expect(plan.items.map((i) => i.phase)).toEqual(['commentary', 'final_answer']);
    expect(firstOf(1) - (firstOf(0) + preambleMs)).toBeCloseTo(2800, 6);
    // the commentary item is closed before the final answer's item opens, and the pause holds no step at all
    const closeAt = plan.steps.find((s) => s.kind === 'close-item' && s.item === 0)!.at;
    const openAt = plan.steps.find((s) => s.kind === 'open-item' && s.item === 1)!.at;
    expect(closeAt).toBeLessThan(openAt);
    expect(plan.steps.filter((s) => s.at > closeAt && s.at < openAt)).toEqual([]);
    expect(plan.reasoningTokens).toBe(140); // 2.8 s at 50 reasoning tokens a second
  });

  it("on the socket: the answer's audio waits for the pause; usage counts reasoning tokens inside text_tokens", async () => {
    const c = await turn('r-pinned');
    const done = await c.next('response.done', 15_000);
    const deltas = c.received.filter((r) => r.event.type === AUDIO);
    const [pre, ans] = [0, 1].map((i) => deltas.filter((r) => r.event['output_index'] === i));
    const preambleMs =
      decodeAudio(
        pre!.map((r) => r.event),
        AUDIO,
      ).length / 48;
    const heard = ans![0]!.at - (pre![0]!.at + preambleMs); // what a listener playing from the first delta hears
    expect(heard).toBeGreaterThan(PAUSE - 150); // timers never fire early; the first delta may be a little late
    expect(heard).toBeLessThan(PAUSE + 1500);
    const usage = (done['response'] as { usage: Record<string, any> }).usage;
    expect(usage.output_token_details).toEqual({
      text_tokens:
        Math.ceil(
          ((done['response'] as any).output as any[]).map((i) => i.content[0].transcript).join(' ').length / 4,
        ) + Math.round((PAUSE / 1000) * 50),
      audio_tokens: usage.output_token_details.audio_tokens,
    });
    expect(JSON.stringify(usage)).not.toContain('reasoning_tokens');
    c.close();
  });

  it("a fault's atMs is audio time inside the final answer (a gap lands in the answer, not the preamble)", async () => {
    const c = await turn('r-gap');
    await c.next('response.done', 15_000);
    const answerAudio = decodeAudio(
      c.events.filter((e) => e.type === AUDIO && e['output_index'] === 1),
      AUDIO,
    );
    const spoken = speak(prompt.answer!, 1);
    expect(answerAudio.length).toBe(spoken.pcm.length + 1000 * 48);
    expect(answerAudio.subarray(600 * 48, 1600 * 48).every((b) => b === 0)).toBe(true);
    c.close();
  });

  it('reasoning.effort picks the pause range; a bad effort is refused naming the parameter', async () => {
    for (const effort of ['minimal', 'high'] as const) {
      const { min, max } = REASONING_PAUSE_MS[effort];
      for (let seed = 1; seed <= 20; seed++) {
        const s = shapeTurn('reasoning', { effort, forcePreamble: false }, createRng(seed));
        expect(s.reasoningMs).toBeGreaterThanOrEqual(min);
        expect(s.reasoningMs).toBeLessThanOrEqual(max);
        expect(s.preamble !== undefined).toBe(s.reasoningMs >= 1500); // a preamble before longer reasoning
      }
    }
    const c = await TestClient.open(sim.url('azure-ga', { deployment: 'gpt-realtime-2.1' }), {
      headers: { 'api-key': KEY },
    });
    c.send({ type: 'session.update', event_id: 'evt_u', session: { type: 'realtime', reasoning: { effort: 'max' } } });
    const err = (await c.next('error'))['error'] as Record<string, unknown>;
    expect(err).toMatchObject({ code: 'invalid_value', param: 'session.reasoning.effort', event_id: 'evt_u' });
    c.close();
  });
});

describe('turns that end early or come twice', () => {
  it('preamble-only: one commentary item, response.done completed, and nothing after it', async () => {
    const c = await turn('r-preamble-only');
    const done = (await c.next('response.done'))['response'] as { status: string; output: any[]; usage: any };
    expect(done.status).toBe('completed');
    expect(done.output.map((i) => i.phase)).toEqual(['commentary']);
    expect(PREAMBLES).toContain(done.output[0].content[0].transcript);
    await sleep(2500);
    expect(c.events.filter((e) => e.type === 'response.created')).toHaveLength(1);
    expect(c.events.filter((e) => e.type === 'response.output_item.added')).toHaveLength(1);
    c.close();
  });

  // A response.create in the gap is refused naming its event_id, and nothing follows the refusal.
  it('two generations: a second response.created arrives unasked ~1.2 s after the first response.done', async () => {
    const c = await turn('r-two');
    const first = await c.next('response.done');
    const firstAt = c.received.find((r) => r.event === first)!.at;
    c.send({ type: 'response.create', event_id: 'evt_client_create_2' });
    const refusal = (await c.next('error'))['error'] as Record<string, unknown>;
    const second = await c.next('response.created', 5_000);
    const secondAt = c.received.find((r) => r.event === second)!.at;
    const secondId = (second['response'] as { id: string }).id;
    expect(refusal).toMatchObject({
      type: 'invalid_request_error',
      code: 'conversation_already_has_active_response',
      event_id: 'evt_client_create_2',
    });
    expect(refusal['message']).toContain(secondId); // the busy response is the one about to be created
    expect(secondAt - firstAt).toBeGreaterThan(1100);
    expect(secondAt - firstAt).toBeLessThan(3000);
    const done = (await c.next('response.done', 10_000))['response'] as { id: string; output: any[] };
    expect(done.id).toBe(secondId);
    expect((first['response'] as { id: string }).id).not.toBe(secondId);
    expect(done.output.map((i) => i.phase)).toEqual(['final_answer']);
    expect(done.output[0].content[0].transcript).toBe(prompt.answer);
    expect(
      decodeAudio(
        c.events.filter((e) => e.type === AUDIO && e['response_id'] === secondId),
        AUDIO,
      ).length,
    ).toBe(speak(prompt.answer!, 1).pcm.length);
    await sleep(500);
    expect(c.events.filter((e) => e.type === 'response.created')).toHaveLength(2);
    expect(c.events.filter((e) => e.type === 'response.done')).toHaveLength(2);
    c.close();
  });

  it('a silent second generation has its transcript but no audio deltas (audio .done still comes)', async () => {
    const c = await turn('r-two-silent');
    await c.next('response.done');
    const second = await c.next('response.created', 5_000);
    const id = (second['response'] as { id: string }).id;
    const done = (await c.next('response.done', 10_000))['response'] as { output: any[] };
    expect(done.output[0].content[0].transcript).toBe(prompt.answer);
    const ofSecond = c.events.filter((e) => e['response_id'] === id);
    expect(ofSecond.filter((e) => e.type === AUDIO)).toHaveLength(0);
    expect(ofSecond.filter((e) => e.type === 'response.output_audio.done')).toHaveLength(1);
    c.close();
  });

  it('classic too: a response.create during an active response is refused naming its event_id; nothing follows', async () => {
    const c = await turn('fast', 'gpt-realtime');
    c.send({ type: 'response.create', event_id: 'evt_client_again' });
    const err = (await c.next('error'))['error'] as Record<string, unknown>;
    expect(err).toMatchObject({ code: 'conversation_already_has_active_response', event_id: 'evt_client_again' });
    await c.next('response.done');
    await sleep(800);
    expect(c.events.filter((e) => e.type === 'response.created')).toHaveLength(1);
    expect(c.events.filter((e) => e.type === 'response.done')).toHaveLength(1);
    c.close();
  });
});

describe('the built-in reasoning scenarios, by name (at their own delivery speed)', () => {
  /** Per response on the connection: the phases of its output, and whether audio came with it. */
  async function signature(scenario: string, wait: (c: TestClient) => Promise<void>): Promise<string[]> {
    const c = await turn(scenario, 'gpt-realtime');
    await wait(c);
    const out = c.events
      .filter((e) => e.type === 'response.done')
      .map((e) => {
        const r = e['response'] as { id: string; status: string; output: { phase: string }[] };
        const audio = c.events.some((a) => a.type === AUDIO && a['response_id'] === r.id);
        return `${r.status}:${r.output.map((i) => i.phase).join('+')}${audio ? '' : ':no-audio'}`;
      });
    c.close();
    return out;
  }
  const doneTimes = (n: number) => async (c: TestClient) => {
    for (let i = 0; i < n; i++) await c.next('response.done', 15_000);
  };

  it.each([
    ['reasoning-healthy', 1, ['completed:commentary+final_answer']],
    ['reasoning-gap', 1, ['completed:commentary+final_answer']],
    ['preamble-only', 1, ['completed:commentary']],
    ['two-generations', 2, ['completed:commentary', 'completed:final_answer']],
    ['second-generation-silent', 2, ['completed:commentary', 'completed:final_answer:no-audio']],
  ] as const)('%s', async (scenario, responses, expected) => {
    expect(await signature(scenario, doneTimes(responses))).toEqual(expected);
  });
});
