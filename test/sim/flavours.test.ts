import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dialectOf, isAzure, type Flavour } from '../../src/realtime/flavours.js';
import { sessionUpdateEvent, wireEventType } from '../../src/realtime/events.js';
import { startSimulator, type RunningSimulator } from '../../src/sim/index.js';
import { KEY, TestClient, decodeAudio, testCatalog, type ServerEvent } from './helpers.js';

const catalog = testCatalog();
let sim: RunningSimulator;

beforeAll(async () => {
  sim = await startSimulator({
    catalog,
    scenario: { name: 'fast', description: 'fast healthy delivery', delivery: { speed: 25 } },
  });
});
afterAll(() => sim.close());

function connect(flavour: Flavour): Promise<TestClient> {
  const headers: Record<string, string> = isAzure(flavour) ? { 'api-key': KEY } : { Authorization: `Bearer ${KEY}` };
  if (flavour === 'openai-beta') headers['OpenAI-Beta'] = 'realtime=v1';
  return TestClient.open(sim.url(flavour), { headers });
}

/** Removes consecutive repeats of delta types so the order of everything else is easy to compare. */
function shape(events: readonly ServerEvent[]): string[] {
  return events.map((e) => e.type).filter((t) => !t.endsWith('.delta'));
}

describe.each(['azure-ga', 'azure-preview', 'openai-ga'] as Flavour[])('%s: a 3-turn manual session', (flavour) => {
  const dialect = dialectOf(flavour);
  const w = (n: string): string => wireEventType(n, dialect) ?? `(none: ${n})`;

  it('completes every turn with the real names, order and payloads', async () => {
    const c = await connect(flavour);
    const created = await c.next('session.created');
    expect((created['session'] as { id: string }).id).toMatch(/^sess_[0-9A-Za-z]{21}$/);
    expect(created.event_id).toMatch(/^event_[0-9A-Za-z]{21}$/);
    expect(c.events[0]?.type).toBe('session.created');

    c.send(
      sessionUpdateEvent(dialect, {
        instructions: 'Answer briefly.',
        voice: 'alloy',
        turnDetection: 'manual',
        modality: 'audio',
      }),
    );
    const updated = await c.next('session.updated');
    const session = updated['session'] as Record<string, unknown>;
    if (dialect === 'ga') expect(session['type']).toBe('realtime');
    else expect(session['modalities']).toEqual(['audio', 'text']);

    for (const prompt of catalog) {
      c.appendPcm(prompt.pcm);
      c.send({ type: 'input_audio_buffer.commit' });
      const committed = await c.next('input_audio_buffer.committed');
      expect(committed['item_id']).toMatch(/^item_/);
      const userItem = await c.next(w('conversation.item.added'));
      expect((userItem['item'] as { role: string }).role).toBe('user');
      if (dialect === 'ga') await c.next('conversation.item.done');

      const start = c.received.length;
      c.send({ type: 'response.create' });
      const done = await c.next('response.done');
      // GA: rate_limits.updated comes after response.done (LLMGW: +43 ms); beta: right after response.created.
      const limits = await c.next('rate_limits.updated', 2000).catch(() => undefined);
      const events = c.events.slice(start);
      const expected =
        dialect === 'ga'
          ? [
              'response.created',
              'response.output_item.added',
              'conversation.item.added',
              'response.content_part.added',
              'response.output_audio.done',
              'response.output_audio_transcript.done',
              'response.content_part.done',
              'conversation.item.done',
              'response.output_item.done',
              'response.done',
              'rate_limits.updated',
            ]
          : [
              'response.created',
              'rate_limits.updated',
              'response.output_item.added',
              'conversation.item.created',
              'response.content_part.added',
              'response.audio.done',
              'response.audio_transcript.done',
              'response.content_part.done',
              'response.output_item.done',
              'response.done',
            ];
      expect(shape(events)).toEqual(expected);
      const limitNames = (
        events.find((e) => e.type === 'rate_limits.updated')?.['rate_limits'] as { name: string }[]
      ).map((l) => l.name);
      expect(limitNames).toEqual(dialect === 'ga' ? ['tokens'] : ['requests', 'tokens']);
      if (dialect === 'ga') expect(limits?.type).toBe('rate_limits.updated');
      // GA wire items carry no `object`; beta items do. GA text deltas carry an obfuscation string.
      const items = events.filter((e) => e['item'] !== undefined).map((e) => e['item'] as Record<string, unknown>);
      expect(items.length).toBeGreaterThanOrEqual(3);
      for (const it of items) expect(it['object']).toBe(dialect === 'ga' ? undefined : 'realtime.item');
      for (const d of events.filter((e) => e.type === w('response.output_audio_transcript.delta'))) {
        if (dialect === 'ga') expect(d['obfuscation']).toMatch(/^[0-9A-Za-z]{4,}$/);
        else expect(d['obfuscation']).toBeUndefined();
      }
      const deltaTypes = new Set(events.filter((e) => e.type.endsWith('.delta')).map((e) => e.type));
      expect(deltaTypes).toEqual(
        new Set([w('response.output_audio.delta'), w('response.output_audio_transcript.delta')]),
      );
      // Beta never sees GA names and vice versa.
      const names = events.map((e) => e.type).join(' ');
      if (dialect === 'beta') expect(names).not.toMatch(/output_audio|conversation\.item\.(added|done)/);
      else expect(names).not.toMatch(/response\.audio|conversation\.item\.created/);

      // The first delta is the first word's transcript, right before the first audio.
      const firstDelta = events.find((e) => e.type.endsWith('.delta'));
      expect(firstDelta?.type).toBe(w('response.output_audio_transcript.delta'));

      const response = done['response'] as Record<string, any>;
      expect(response['status']).toBe('completed');
      expect(response['status_details']).toBeNull();
      expect(response['id']).toMatch(/^resp_/);
      expect(response['conversation_id']).toMatch(/^conv_/);
      const transcript = events.find((e) => e.type === w('response.output_audio_transcript.done'))?.['transcript'];
      expect(transcript).toBe(prompt.answer);
      const item = response['output'][0];
      expect(item.content[0]).toEqual({ type: dialect === 'ga' ? 'output_audio' : 'audio', transcript: prompt.answer });
      expect(events.find((e) => e.type === 'response.content_part.added')?.['part']).toEqual({
        type: 'audio',
        transcript: '',
      });

      const audio = decodeAudio(events, w('response.output_audio.delta'));
      // 20 tokens per second of assistant audio (1 per 50 ms) plus a few special tokens for the item.
      const overhead = response['usage'].output_token_details.audio_tokens - Math.round(audio.length / 48 / 50);
      expect(overhead).toBeGreaterThanOrEqual(1);
      expect(overhead).toBeLessThanOrEqual(5);
      const deltas = events
        .filter((e) => e.type === w('response.output_audio.delta'))
        .map((e) => Buffer.from(e['delta'] as string, 'base64').length / 48);
      expect(Math.max(...deltas)).toBeLessThanOrEqual(500);
      expect(deltas.slice(0, -1).every((ms) => ms >= 200)).toBe(true);
      expect(Object.keys(response)).toEqual(
        dialect === 'ga'
          ? [
              'object',
              'id',
              'status',
              'status_details',
              'output',
              'conversation_id',
              'output_modalities',
              'max_output_tokens',
              'audio',
              'usage',
              'metadata',
            ]
          : [
              'object',
              'id',
              'status',
              'status_details',
              'output',
              'conversation_id',
              'modalities',
              'voice',
              'output_audio_format',
              'temperature',
              'max_output_tokens',
              'metadata',
              'usage',
            ],
      );
      expect(response['usage'].total_tokens).toBe(response['usage'].input_tokens + response['usage'].output_tokens);
    }
    c.close();
  });
});

describe('text-only sessions', () => {
  it.each(['azure-ga', 'azure-preview'] as Flavour[])('%s answers with text deltas', async (flavour) => {
    const dialect = dialectOf(flavour);
    const c = await connect(flavour);
    c.send(
      sessionUpdateEvent(dialect, { instructions: '', voice: 'alloy', turnDetection: 'manual', modality: 'text' }),
    );
    await c.next('session.updated');
    c.appendPcm(catalog[0]!.pcm);
    c.send({ type: 'input_audio_buffer.commit' });
    c.send({ type: 'response.create' });
    const done = await c.next('response.done');
    const types = new Set(c.events.map((e) => e.type));
    expect(types.has(wireEventType('response.output_text.delta', dialect)!)).toBe(true);
    expect(c.events.find((e) => e.type === wireEventType('response.output_text.done', dialect))?.['text']).toBe(
      catalog[0]!.answer,
    );
    expect([...types].some((t) => /audio\.(delta|done)$/.test(t))).toBe(false);
    expect((done['response'] as any).usage.output_token_details.audio_tokens).toBe(0);
    c.close();
  });
});
