/**
 * Conformance of the simulator with the captured 2026 GA wire (test/fixtures/real-wire/, written from BRAVE's
 * and LLMGW's frames): the sequence of event types of a healthy GA audio turn, the key order and values of each
 * frame type, OpenAI's refusals after the 101, and its upgrade headers.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sessionUpdateEvent } from '../../src/realtime/events.js';
import { startSimulator, type RunningSimulator } from '../../src/sim/index.js';
import { KEY, TestClient, decodeAudio, testCatalog, type ServerEvent } from './helpers.js';

const fixture = <T>(name: string): T =>
  JSON.parse(readFileSync(new URL(`../fixtures/real-wire/${name}`, import.meta.url), 'utf8')) as T;
interface TurnFixture {
  phases: Record<'connect' | 'session.update' | 'input_audio_buffer.commit' | 'response.create', string[]>;
  deltas: { types: string[]; first: string };
  keys: Record<string, string[]>;
  values: Record<string, unknown>;
  ids: { pattern: string };
  usage: { outputAudioTokensPerSecond: number; inputAudioTokensPerSecond: number };
}
interface RefusalFixture {
  cases: {
    name: string;
    request: { authorization?: string; model?: string | null; 'openai-beta'?: string };
    code: string | null;
    message: string;
    closeCode: number;
    closeReason: string;
  }[];
  error: Record<string, unknown>;
}
const turn = fixture<TurnFixture>('openai-ga-audio-turn.json');
const refusals = fixture<RefusalFixture>('openai-refusals.json');
const headers = fixture<{ present: Record<string, string>; absent: string[] }>('openai-upgrade-headers.json');

const catalog = testCatalog();
let sim: RunningSimulator;
beforeAll(async () => {
  sim = await startSimulator({ catalog, scenario: { name: 'fast', description: '', delivery: { speed: 20 } } });
});
afterAll(() => sim.close());

/** Event types with every run of delta events collapsed to `<deltas>`. */
function collapse(types: readonly string[], deltaTypes: readonly string[]): string[] {
  const out: string[] = [];
  for (const t of types) {
    const x = deltaTypes.includes(t) ? '<deltas>' : t;
    if (x !== '<deltas>' || out.at(-1) !== '<deltas>') out.push(x);
  }
  return out;
}

const keysOf = (v: unknown): string[] => Object.keys(v as Record<string, unknown>);

describe('a healthy GA audio turn matches the captured one', () => {
  let events: ServerEvent[] = [];
  const phase: Record<string, ServerEvent[]> = {};

  beforeAll(async () => {
    const c = await TestClient.open(sim.url('openai-ga'), { headers: { Authorization: `Bearer ${KEY}` } });
    await c.next('session.created');
    phase['connect'] = [...c.events];
    let mark = c.events.length;
    c.send(
      sessionUpdateEvent('ga', {
        instructions: 'Answer briefly.',
        voice: 'alloy',
        turnDetection: 'manual',
        modality: 'audio',
      }),
    );
    await c.next('session.updated');
    phase['session.update'] = c.events.slice(mark);
    mark = c.events.length;
    c.appendPcm(catalog[2]!.pcm);
    c.send({ type: 'input_audio_buffer.commit' });
    await c.next('conversation.item.done');
    phase['input_audio_buffer.commit'] = c.events.slice(mark);
    mark = c.events.length;
    c.send({ type: 'response.create' });
    await c.next('response.done');
    await c.next('rate_limits.updated', 2000);
    await new Promise((r) => setTimeout(r, 150)); // nothing else may follow
    phase['response.create'] = c.events.slice(mark);
    events = c.events;
    c.close();
  });

  it.each(['connect', 'session.update', 'input_audio_buffer.commit', 'response.create'] as const)(
    '%s: the same sequence of event types',
    (name) => {
      expect(
        collapse(
          phase[name]!.map((e) => e.type),
          turn.deltas.types,
        ),
      ).toEqual(turn.phases[name]);
    },
  );

  it('deltas: only the captured delta types, the transcript first', () => {
    const deltas = phase['response.create']!.filter((e) => e.type.endsWith('.delta'));
    expect(new Set(deltas.map((e) => e.type))).toEqual(new Set(turn.deltas.types));
    expect(deltas[0]!.type).toBe(turn.deltas.first);
  });

  it('every frame type has the captured keys in the captured order', () => {
    const first = (type: string): ServerEvent => {
      const e = events.find((x) => x.type === type);
      if (!e) throw new Error(`no ${type}`);
      return e;
    };
    for (const type of Object.keys(turn.keys).filter(
      (k) => k.includes('.') && !k.startsWith('session.audio') && !k.startsWith('usage.'),
    )) {
      expect([type, keysOf(first(type))]).toEqual([type, turn.keys[type]]);
    }
    const session = first('session.created')['session'] as Record<string, any>;
    expect(keysOf(session)).toEqual(turn.keys['session']);
    expect(keysOf(session['audio'].input.turn_detection)).toEqual(turn.keys['session.audio.input.turn_detection']);
    const done = first('response.done')['response'] as Record<string, any>;
    expect(keysOf(done)).toEqual(turn.keys['response']);
    expect(keysOf(done['usage'])).toEqual(turn.keys['usage']);
    expect(keysOf(done['usage'].input_token_details)).toEqual(turn.keys['usage.input_token_details']);
    expect(keysOf(done['usage'].output_token_details)).toEqual(turn.keys['usage.output_token_details']);
    for (const e of events.filter((x) => x['item'] !== undefined)) expect(keysOf(e['item'])).toEqual(turn.keys['item']);
    for (const l of first('rate_limits.updated')['rate_limits'] as unknown[])
      expect(keysOf(l)).toEqual(turn.keys['rate_limit']);
  });

  it('the captured values: default VAD 0.5/300/200, audio/pcm 24 kHz, part type audio, tokens-only rate limits', () => {
    const find = (type: string): ServerEvent => events.find((x) => x.type === type)!;
    const session = find('session.created')['session'] as Record<string, any>;
    expect(session['audio'].input.turn_detection).toEqual(turn.values['session.audio.input.turn_detection']);
    expect(session['audio'].input.format).toEqual(turn.values['session.audio.input.format']);
    expect(find('response.content_part.added')['part']).toEqual(turn.values['response.content_part.added.part']);
    const userItem = phase['input_audio_buffer.commit']!.find((e) => e.type === 'conversation.item.added')![
      'item'
    ] as Record<string, unknown>;
    expect(userItem['content']).toEqual(turn.values['user item content']);
    const done = find('response.done')['response'] as Record<string, any>;
    expect(done['output'][0].content[0].type).toBe(turn.values['assistant item content type']);
    expect(done['status_details']).toBe(turn.values['response.done.status_details (completed)']);
    expect((find('response.created')['response'] as Record<string, unknown>)['usage']).toBe(
      turn.values['response.created.usage'],
    );
    expect((find('rate_limits.updated')['rate_limits'] as { name: string }[]).map((l) => l.name)).toEqual(
      turn.values['rate_limits names'],
    );
    const ids = new RegExp(turn.ids.pattern);
    for (const e of events) expect(e.event_id).toMatch(ids);
    expect(done['id']).toMatch(ids);
    expect(done['conversation_id']).toMatch(ids);
  });

  it('obfuscation pads each transcript delta; usage counts audio at the documented rates', () => {
    for (const d of events.filter((e) => e.type === 'response.output_audio_transcript.delta')) {
      expect(typeof d['obfuscation']).toBe('string');
      expect((d['delta'] as string).length + (d['obfuscation'] as string).length).toBeGreaterThanOrEqual(16);
    }
    const done = events.find((e) => e.type === 'response.done')!['response'] as Record<string, any>;
    const outMs = decodeAudio(phase['response.create']!, 'response.output_audio.delta').length / 48;
    const extraOut =
      done['usage'].output_token_details.audio_tokens - (outMs / 1000) * turn.usage.outputAudioTokensPerSecond;
    expect(extraOut).toBeGreaterThan(0);
    expect(extraOut).toBeLessThan(6);
    const inMs = catalog[2]!.pcm.length / 48;
    const extraIn =
      done['usage'].input_token_details.audio_tokens - (inMs / 1000) * turn.usage.inputAudioTokensPerSecond;
    expect(extraIn).toBeGreaterThan(0);
    expect(extraIn).toBeLessThan(6);
  });
});

describe('OpenAI refusals match the captured ones', () => {
  it.each(refusals.cases.map((c) => [c.name, c] as const))('%s', async (_name, c) => {
    const model = c.request.model === undefined ? 'gpt-realtime' : c.request.model;
    const url = `${sim.baseUrl}/v1/realtime${model === null ? '' : `?model=${model}`}`;
    const h: Record<string, string> = {};
    if (c.request.authorization)
      h['Authorization'] = c.request.authorization === 'Bearer <key>' ? `Bearer ${KEY}` : 'Bearer sk-wrong-0000';
    if (c.request['openai-beta']) h['OpenAI-Beta'] = c.request['openai-beta'];
    const client = await TestClient.open(url, { headers: h });
    await client.waitClose(5000);
    expect(client.events.map((e) => e.type)).toEqual(['error']);
    const error = client.events[0]!['error'] as Record<string, unknown>;
    expect(error).toMatchObject({ ...refusals.error, code: c.code });
    expect(String(error['message'])).toMatch(new RegExp(c.message));
    expect(client.closed).toEqual({ code: c.closeCode, reason: c.closeReason });
    for (const [name, pattern] of Object.entries(headers.present))
      expect([name, String(client.upgradeHeaders[name])]).toEqual([name, expect.stringMatching(new RegExp(pattern))]);
  });
});

describe('OpenAI upgrade headers match the captured ones', () => {
  it('has every captured header and none of those the real 101 never carries', async () => {
    const c = await TestClient.open(sim.url('openai-ga'), { headers: { Authorization: `Bearer ${KEY}` } });
    for (const [name, pattern] of Object.entries(headers.present))
      expect([name, String(c.upgradeHeaders[name])]).toEqual([name, expect.stringMatching(new RegExp(pattern))]);
    for (const name of headers.absent) expect([name, c.upgradeHeaders[name]]).toEqual([name, undefined]);
    expect(c.upgradeHeaders['sec-websocket-extensions']).toBeUndefined(); // the client offered no permessage-deflate
    c.close();
  });
});
