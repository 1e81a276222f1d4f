/**
 * What the output audio bytes are: a requested G.711 format honoured (8 kHz μ-law, a sixth of PCM16's bytes, the same
 * usage), the same request echoed but ignored under `pcmu-ignored` (PCM16 24 kHz, byte for byte the answer's audio),
 * the beta dialect's format names, a bad format refused, and `repeated-audio` (every fifth delta twice, usage once).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pcm16ToG711 } from '../../src/audio/g711.js';
import { BUILTIN_SCENARIOS, speak, startSimulator, type RunningSimulator, type Scenario } from '../../src/sim/index.js';
import { KEY, TestClient, decodeAudio, manualTurn, testCatalog } from './helpers.js';

const catalog = testCatalog();
const prompt = catalog[2]!;
const spoken = speak(prompt.answer!, 1);
const AUDIO = 'response.output_audio.delta';
const fast = (name: string, extra: Partial<Scenario> = {}): Scenario => ({
  name,
  description: name,
  delivery: { speed: 20 },
  ...extra,
});
const scenarios = [
  fast('fast'),
  fast('fast-ignored', { everyTurn: [{ kind: 'ignore-output-format' }] }),
  fast('fast-repeat', { turns: [{ faults: [{ kind: 'repeat-deltas', every: 5 }] }] }),
];

let sim: RunningSimulator;
beforeAll(async () => {
  sim = await startSimulator({ catalog, scenarios: Object.fromEntries(scenarios.map((s) => [s.name, s])) });
});
afterAll(() => sim.close());

/** A GA turn whose session asks for `format` as output. */
async function turnWithFormat(
  scenario: string,
  format: Record<string, unknown>,
): Promise<{ c: TestClient; updated: any; done: any }> {
  const c = await TestClient.open(sim.url('openai-ga', { scenario }), { headers: { Authorization: `Bearer ${KEY}` } });
  c.send({
    type: 'session.update',
    session: { type: 'realtime', audio: { input: { turn_detection: null }, output: { format } } },
  });
  const updated = (await c.next('session.updated'))['session'];
  c.appendPcm(prompt.pcm);
  c.send({ type: 'input_audio_buffer.commit' });
  c.send({ type: 'response.create' });
  const done = (await c.next('response.done'))['response'];
  return { c, updated, done };
}

describe('output formats', () => {
  it('audio/pcmu is honoured: echoed, and the deltas are 8 kHz μ-law of the answer, with usage as for PCM16', async () => {
    const { c, updated, done } = await turnWithFormat('fast', { type: 'audio/pcmu' });
    expect(updated.audio.output.format).toEqual({ type: 'audio/pcmu' });
    expect(done.audio.output.format).toEqual({ type: 'audio/pcmu' });
    const bytes = decodeAudio(c.events, AUDIO);
    expect(bytes.equals(pcm16ToG711(spoken.pcm, 'pcmu'))).toBe(true); // deltas are cut on 3-sample boundaries
    expect(done.usage.output_token_details.audio_tokens).toBe(Math.round(spoken.pcm.length / 48 / 50) + 3);
    c.close();
  });

  it('pcmu-ignored: audio/pcmu is echoed as accepted, but PCM16 24 kHz is sent (6x the bytes for the same usage)', async () => {
    const { c, updated, done } = await turnWithFormat('fast-ignored', { type: 'audio/pcmu' });
    expect(updated.audio.output.format).toEqual({ type: 'audio/pcmu' });
    expect(done.audio.output.format).toEqual({ type: 'audio/pcmu' });
    const bytes = decodeAudio(c.events, AUDIO);
    expect(bytes.equals(spoken.pcm)).toBe(true);
    const usageMs = (done.usage.output_token_details.audio_tokens - 3) * 50;
    expect(bytes.length / 8 / usageMs).toBeCloseTo(6, 1); // read as the μ-law asked for: six times too long
    c.close();
  });

  it('the built-in pcmu-ignored scenario ignores the format on every turn', () => {
    expect(BUILTIN_SCENARIOS['pcmu-ignored']!.everyTurn).toEqual([{ kind: 'ignore-output-format' }]);
  });

  it('beta names: output_audio_format g711_alaw is echoed and A-law is sent', async () => {
    const c = await TestClient.open(sim.url('azure-preview', { scenario: 'fast' }), { headers: { 'api-key': KEY } });
    c.send({ type: 'session.update', session: { turn_detection: null, output_audio_format: 'g711_alaw' } });
    expect(((await c.next('session.updated'))['session'] as any).output_audio_format).toBe('g711_alaw');
    c.appendPcm(prompt.pcm);
    c.send({ type: 'input_audio_buffer.commit' });
    c.send({ type: 'response.create' });
    const done = (await c.next('response.done'))['response'] as any;
    expect(done.output_audio_format).toBe('g711_alaw');
    expect(decodeAudio(c.events, 'response.audio.delta').equals(pcm16ToG711(spoken.pcm, 'pcma'))).toBe(true);
    c.close();
  });

  it('an unknown format is refused whole, naming the parameter', async () => {
    const c = await TestClient.open(sim.url('openai-ga', { scenario: 'fast' }), {
      headers: { Authorization: `Bearer ${KEY}` },
    });
    c.send({
      type: 'session.update',
      event_id: 'evt_fmt',
      session: { type: 'realtime', audio: { output: { format: { type: 'audio/opus' } } } },
    });
    expect((await c.next('error'))['error']).toMatchObject({
      code: 'invalid_value',
      param: 'session.audio.output.format.type',
      event_id: 'evt_fmt',
    });
    c.close();
  });
});

describe('repeated audio', () => {
  it.each([
    ['fast', 'fast-repeat'],
    ['healthy', 'repeated-audio'],
  ])(
    'every fifth delta is sent twice, byte-identical and back to back; usage counts it once (%s vs %s)',
    async (base, faulty) => {
      const plain = await manualTurn(sim, base, 'openai-ga', prompt.pcm);
      const plainDone = (await plain.next('response.done'))['response'] as any;
      const rep = await manualTurn(sim, faulty, 'openai-ga', prompt.pcm);
      const repDone = (await rep.next('response.done'))['response'] as any;
      const deltas = (c: TestClient): string[] =>
        c.events.filter((e) => e.type === AUDIO).map((e) => e['delta'] as string);
      const expected = deltas(plain).flatMap((d, i) => ((i + 1) % 5 === 0 ? [d, d] : [d]));
      expect(deltas(plain).length).toBeGreaterThanOrEqual(5);
      expect(deltas(rep)).toEqual(expected);
      expect(repDone.usage.output_token_details).toEqual(plainDone.usage.output_token_details);
      plain.close();
      rep.close();
    },
  );
});
