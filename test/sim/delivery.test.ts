import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sessionUpdateEvent } from '../../src/realtime/events.js';
import { speak, startSimulator, type Fault, type RunningSimulator, type Scenario } from '../../src/sim/index.js';
import { watchLoop, type LoopWatch } from '../helpers/loadAllowance.js';
import { KEY, TestClient, decodeAudio, sleep, testCatalog, tonePrompt } from './helpers.js';

const catalog = testCatalog();
const prompt = catalog[2]!;
const spoken = speak(prompt.answer!, 1);
const audioMs = spoken.pcm.length / 48;

const fast = (name: string, ...faults: Fault[]): Scenario => ({
  name,
  description: name,
  delivery: { speed: 20 },
  turns: [{ faults }],
});
const scenarios: Scenario[] = [
  fast('late', { kind: 'late-deltas', count: 2, afterMs: 150 }),
  fast('stall', { kind: 'stall', atMs: 500, durationMs: 1000 }),
  fast('text-only', { kind: 'text-only' }),
  fast('slow-first', { kind: 'slow-first-audio', delayMs: 1500 }),
  { name: 'multi', description: '', delivery: { speed: 20 }, multiItem: true },
  {
    name: 'gap-2',
    description: '',
    delivery: { speed: 20 },
    turns: [{ faults: [] }, { faults: [{ kind: 'silent-gap', atMs: 300, durationMs: 700 }] }],
  },
];

let sim: RunningSimulator;
/** The simulator shares this process's event loop: what the loop lost is added to each wall-clock bound. */
let loop: LoopWatch;
beforeAll(async () => {
  loop = watchLoop();
  sim = await startSimulator({ catalog, scenarios: Object.fromEntries(scenarios.map((s) => [s.name, s])) });
});
afterAll(() => (loop?.stop(), sim.close()));

async function session(scenario: string | undefined, s: RunningSimulator = sim): Promise<TestClient> {
  const c = await TestClient.open(s.url('openai-ga', scenario ? { scenario } : {}), {
    headers: { Authorization: `Bearer ${KEY}` },
  });
  c.send(sessionUpdateEvent('ga', { instructions: '', voice: 'alloy', turnDetection: 'manual', modality: 'audio' }));
  await c.next('session.updated');
  return c;
}

/** Plays one manual turn; resolves at `response.done` with the turn's events and the time response.create was sent. */
async function playTurn(c: TestClient, pcm = prompt.pcm): Promise<{ start: number; sentAt: number }> {
  c.appendPcm(pcm);
  c.send({ type: 'input_audio_buffer.commit' });
  const start = c.received.length;
  const sentAt = performance.now();
  c.send({ type: 'response.create' });
  await c.next('response.done', 20_000);
  return { start, sentAt };
}

const AUDIO = 'response.output_audio.delta';

describe('delivery', () => {
  it('healthy: first audio within 150–400 ms, then bursts faster than 3x real time', async () => {
    const c = await session('healthy');
    const { start, sentAt } = await playTurn(c);
    const deltas = c.received.slice(start).filter((r) => r.event.type === AUDIO);
    const first = deltas[0]!.at - sentAt;
    expect(first).toBeGreaterThanOrEqual(140);
    // 150–400 ms planned, plus 150 ms of loopback and scheduling, plus what the loop lost meanwhile
    expect(first).toBeLessThan(550 + loop.lostMs(sentAt, deltas[0]!.at));
    const span = deltas.at(-1)!.at - deltas[0]!.at;
    expect(span).toBeLessThan(audioMs / 3 + loop.lostMs(deltas[0]!.at, deltas.at(-1)!.at));
    c.close();
  });

  it('late-deltas: the last 2 audio deltas come after audio .done (and after response.done)', async () => {
    const c = await session('late');
    await playTurn(c);
    await sleep(300);
    const types = c.events.map((e) => e.type);
    const audioDone = types.indexOf('response.output_audio.done');
    const afterDone = types.slice(audioDone).filter((t) => t === AUDIO).length;
    expect(afterDone).toBe(2);
    expect(types.lastIndexOf(AUDIO)).toBeGreaterThan(types.indexOf('response.done'));
    expect(decodeAudio(c.events, AUDIO).equals(spoken.pcm)).toBe(true);
    c.close();
  });

  it("multi-item: two audio items, the first item's audio .done after the second item's first deltas, audio in playback order", async () => {
    const c = await session('multi');
    const { start } = await playTurn(c);
    const events = c.events.slice(start);
    const done = events.find((e) => e.type === 'response.done')!['response'] as any;
    expect(done.output).toHaveLength(2);
    const [first, second] = done.output.map((o: { id: string }) => o.id);
    const idx = (pred: (e: (typeof events)[number]) => boolean): number => events.findIndex(pred);
    const firstDoneAt = idx((e) => e.type === 'response.output_audio.done' && e['item_id'] === first);
    const secondDeltaAt = idx((e) => e.type === AUDIO && e['item_id'] === second);
    expect(secondDeltaAt).toBeGreaterThan(0);
    expect(firstDoneAt).toBeGreaterThan(secondDeltaAt);
    expect(decodeAudio(events, AUDIO).equals(spoken.pcm)).toBe(true);
    const transcripts = events
      .filter((e) => e.type === 'response.output_audio_transcript.done')
      .map((e) => e['transcript']);
    expect(transcripts.join(' ')).toBe(prompt.answer);
    c.close();
  });

  it('stall: delivery pauses for the stall duration, then resumes', async () => {
    const c = await session('stall');
    const { start, sentAt } = await playTurn(c);
    const at = c.received
      .slice(start)
      .filter((r) => r.event.type === AUDIO)
      .map((r) => r.at);
    const longest = Math.max(...at.slice(1).map((t, i) => t - at[i]!));
    // 1 s planned; a delta received late on either side of it moves it by what the loop lost
    const lost = loop.lostMs(sentAt, at.at(-1)!);
    expect(longest).toBeGreaterThan(950 - lost);
    expect(longest).toBeLessThan(1500 + lost);
    c.close();
  });

  it('text-only: transcript but no audio deltas; audio .done and response.done still come', async () => {
    const c = await session('text-only');
    const { start } = await playTurn(c);
    const types = c.events.slice(start).map((e) => e.type);
    expect(types).not.toContain(AUDIO);
    expect(types).toContain('response.output_audio.done');
    expect(types.filter((t) => t === 'response.output_audio_transcript.delta').length).toBe(spoken.tokens.length);
    c.close();
  });

  it('slow-first-audio: the first audio delta comes after delayMs', async () => {
    const c = await session('slow-first');
    const { start, sentAt } = await playTurn(c);
    const first = c.received.slice(start).find((r) => r.event.type === AUDIO)!;
    expect(first.at - sentAt).toBeGreaterThanOrEqual(1490);
    c.close();
  });

  it('faults are chosen per turn: only turn 2 has the gap', async () => {
    const c = await session('gap-2');
    const gaps: number[] = [];
    for (let t = 0; t < 3; t++) {
      const { start } = await playTurn(c);
      gaps.push(decodeAudio(c.events.slice(start), AUDIO).length - spoken.pcm.length);
    }
    expect(gaps).toEqual([0, 700 * 48, 0]);
    c.close();
  });
});

describe('determinism', () => {
  it('the same seed gives the same audio bytes and event sequence; another seed does not', async () => {
    const run = async (seed: number): Promise<{ audio: Buffer; types: string[] }> => {
      const s = await startSimulator({
        catalog,
        seed,
        scenario: { name: 'jittery', description: '', delivery: { speed: 20, burstMs: 300, jitterMs: 10 } },
      });
      const c = await session(undefined, s);
      const { start } = await playTurn(c);
      const events = c.events.slice(start);
      c.close();
      await s.close();
      return { audio: decodeAudio(events, AUDIO), types: events.map((e) => e.type) };
    };
    const [a, b, other] = [await run(7), await run(7), await run(8)];
    expect(a.audio.length).toBeGreaterThan(0);
    expect(a.audio.equals(b.audio)).toBe(true);
    expect(a.types).toEqual(b.types);
    expect(a.audio.equals(other.audio)).toBe(false);
  });
});

describe('server VAD', () => {
  it('detects the end of speech and creates the response by itself', async () => {
    const c = await session('healthy');
    c.send(
      sessionUpdateEvent('ga', { instructions: '', voice: 'alloy', turnDetection: 'server_vad', modality: 'audio' }),
    );
    await c.next('session.updated');
    const spoken1500 = catalog[1]!; // a 1500 ms tone: answered by its speech length, not its byte length
    c.appendPcm(Buffer.concat([Buffer.alloc(300 * 48), spoken1500.pcm, Buffer.alloc(1000 * 48)]));
    const started = await c.next('input_audio_buffer.speech_started');
    expect(started['audio_start_ms']).toBe(300);
    const stopped = await c.next('input_audio_buffer.speech_stopped');
    expect(stopped['audio_end_ms']).toBe(300 + 1500 + 500); // the probe's session.update asks for 500 ms
    expect(stopped['item_id']).toBe(started['item_id']);
    const committed = await c.next('input_audio_buffer.committed');
    expect(committed['item_id']).toBe(started['item_id']);
    await c.next('conversation.item.added');
    await c.next('conversation.item.done');
    await c.next('response.created');
    await c.next('response.done', 20_000);
    expect(c.events.find((e) => e.type === 'response.output_audio_transcript.done')?.['transcript']).toBe(
      spoken1500.answer,
    );
    c.close();
  });

  it('speech during a response interrupts it: cancelled / turn_detected', async () => {
    const c = await session('healthy');
    c.send({
      type: 'session.update',
      session: { type: 'realtime', audio: { input: { turn_detection: { type: 'server_vad' } } } },
    });
    await c.next('session.updated');
    c.appendPcm(Buffer.concat([tonePrompt(600), Buffer.alloc(600 * 48)]));
    await c.next('response.created');
    c.appendPcm(tonePrompt(300));
    const done = await c.next('response.done');
    expect(done['response']).toMatchObject({
      status: 'cancelled',
      status_details: { type: 'cancelled', reason: 'turn_detected' },
    });
    c.close();
  });
});
