import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isAzure, type Flavour } from '../../src/realtime/flavours.js';
import { sessionUpdateEvent } from '../../src/realtime/events.js';
import { startSimulator, type RunningSimulator } from '../../src/sim/index.js';
import { KEY, TestClient, testCatalog } from './helpers.js';

const catalog = testCatalog();
let sim: RunningSimulator;
beforeAll(async () => {
  sim = await startSimulator({ catalog, scenario: { name: 'slowish', description: '', delivery: { speed: 2 } } });
});
afterAll(() => sim.close());

async function open(flavour: Flavour = 'openai-ga', manual = true): Promise<TestClient> {
  const headers: Record<string, string> = isAzure(flavour) ? { 'api-key': KEY } : { Authorization: `Bearer ${KEY}` };
  if (flavour === 'openai-beta') headers['OpenAI-Beta'] = 'realtime=v1';
  const c = await TestClient.open(sim.url(flavour), { headers });
  await c.next('session.created');
  if (manual) {
    const dialect = flavour === 'azure-ga' || flavour === 'openai-ga' ? 'ga' : 'beta';
    c.send(
      sessionUpdateEvent(dialect, { instructions: '', voice: 'alloy', turnDetection: 'manual', modality: 'audio' }),
    );
    await c.next('session.updated');
  }
  return c;
}

const errorOf = (e: Record<string, unknown>): Record<string, unknown> => e['error'] as Record<string, unknown>;

describe('errors with the real codes', () => {
  it('commit with under 100 ms of audio: input_audio_buffer_commit_empty', async () => {
    const c = await open('azure-ga');
    c.send({ type: 'input_audio_buffer.commit', event_id: 'evt_client_1' });
    let e = await c.next('error');
    expect(errorOf(e)).toEqual({
      type: 'invalid_request_error',
      code: 'input_audio_buffer_commit_empty',
      message: 'Expected at least 100ms of audio, but buffer only has 0.00ms of audio.',
      param: null,
      event_id: 'evt_client_1',
    });
    c.appendPcm(Buffer.alloc(50 * 48));
    c.send({ type: 'input_audio_buffer.commit' });
    e = await c.next('error');
    expect(errorOf(e)['message']).toBe('Expected at least 100ms of audio, but buffer only has 50.00ms of audio.');
    c.close();
  });

  it('response.create during a response: conversation_already_has_active_response; cancel ends it', async () => {
    const c = await open('azure-preview');
    c.appendPcm(catalog[1]!.pcm);
    c.send({ type: 'input_audio_buffer.commit' });
    c.send({ type: 'response.create' });
    const created = await c.next('response.created');
    const id = (created['response'] as { id: string }).id;
    c.send({ type: 'response.create' });
    const e = await c.next('error');
    expect(errorOf(e)['code']).toBe('conversation_already_has_active_response');
    expect(errorOf(e)['message']).toBe(
      `Conversation already has an active response in progress: ${id}. Wait until the response is finished before creating a new one.`,
    );
    await c.next('response.audio.delta');
    c.send({ type: 'response.cancel' });
    const done = await c.next('response.done');
    expect(done['response']).toMatchObject({
      id,
      status: 'cancelled',
      status_details: { type: 'cancelled', reason: 'client_cancelled' },
    });
    // Open items are closed truthfully before response.done.
    const types = c.events.map((e) => e.type);
    expect(types.indexOf('response.audio.done')).toBeLessThan(types.indexOf('response.done'));
    expect((done['response'] as any).output[0].status).toBe('incomplete');
    c.close();
  });

  it('response.cancel with nothing active: response_cancel_not_active', async () => {
    const c = await open('azure-preview');
    c.send({ type: 'response.cancel' });
    const e = await c.next('error');
    expect(errorOf(e)).toMatchObject({
      code: 'response_cancel_not_active',
      message: 'Cancellation failed: no active response found',
      type: 'invalid_request_error',
    });
    c.close();
  });

  it('input_audio_buffer.clear → cleared, and the buffer is empty afterwards', async () => {
    const c = await open('openai-ga');
    c.appendPcm(Buffer.alloc(500 * 48));
    c.send({ type: 'input_audio_buffer.clear' });
    await c.next('input_audio_buffer.cleared');
    c.send({ type: 'input_audio_buffer.commit' });
    expect(errorOf(await c.next('error'))['code']).toBe('input_audio_buffer_commit_empty');
    c.close();
  });
});

describe('session.update per dialect', () => {
  it('Azure preview rejects a GA session.type with unknown_parameter', async () => {
    const c = await open('azure-preview', false);
    c.send(sessionUpdateEvent('ga', { instructions: '', voice: 'alloy', turnDetection: 'manual', modality: 'audio' }));
    expect(errorOf(await c.next('error'))).toEqual({
      type: 'invalid_request_error',
      code: 'unknown_parameter',
      message: "Unknown parameter: 'session.type'.",
      param: 'session.type',
      event_id: null,
    });
    c.close();
  });

  it('GA requires session.type: "realtime"', async () => {
    const c = await open('azure-ga', false);
    c.send({ type: 'session.update', session: { instructions: 'x' } });
    expect(errorOf(await c.next('error'))).toMatchObject({ type: 'invalid_request_error', param: 'session.type' });
    c.send(
      sessionUpdateEvent('beta', { instructions: '', voice: 'alloy', turnDetection: 'manual', modality: 'audio' }),
    );
    expect(errorOf(await c.next('error'))).toMatchObject({ code: 'unknown_parameter', param: 'session.modalities' });
    c.send({
      type: 'session.update',
      session: { type: 'realtime', output_modalities: ['audio'], audio: { input: { turn_detection: null } } },
    });
    const s = (await c.next('session.updated'))['session'] as any;
    expect(s.audio.input.turn_detection).toBeNull();
    c.close();
  });
});

describe('bad client input never breaks the session', () => {
  it('malformed JSON, binary frames, unknown types, bad audio: error events, then business as usual', async () => {
    const c = await open('openai-ga');
    c.ws.send('{not json');
    expect(errorOf(await c.next('error'))).toMatchObject({ type: 'invalid_request_error', code: 'invalid_json' });
    c.ws.send(Buffer.from([1, 2, 3]));
    expect(errorOf(await c.next('error'))['type']).toBe('invalid_request_error');
    c.send({ type: 'no.such.event' });
    expect(errorOf(await c.next('error'))).toMatchObject({ code: 'invalid_value', param: 'type' });
    c.send({ noType: true });
    expect(errorOf(await c.next('error'))).toMatchObject({ code: 'missing_required_parameter', param: 'type' });
    c.ws.send('[1,2]');
    expect(errorOf(await c.next('error'))['param']).toBe('type');
    c.send({ type: 'input_audio_buffer.append', audio: '!!not base64!!' });
    expect(errorOf(await c.next('error'))).toMatchObject({ code: 'invalid_value', param: 'audio' });
    c.send({ type: 'input_audio_buffer.append' });
    expect(errorOf(await c.next('error'))).toMatchObject({ param: 'audio' });
    c.send({ type: 'session.update', session: 'x' });
    await c.next('error');
    c.send({
      type: 'conversation.item.create',
      item: { type: 'message', role: 'user', content: [{ type: 'input_text', text: catalog[0]!.text }] },
    });
    await c.next('conversation.item.added');
    c.send({ type: 'response.create' });
    const done = await c.next('response.done', 15_000);
    expect((done['response'] as any).status).toBe('completed');
    // The text item was matched to the prompt by its text.
    expect(c.events.find((e) => e.type === 'response.output_audio_transcript.done')?.['transcript']).toBe(
      catalog[0]!.answer,
    );
    expect(c.ws.readyState).toBe(c.ws.OPEN);
    c.close();
  });

  it('a client that vanishes mid-response leaves the server healthy', async () => {
    const c = await open('openai-ga');
    c.appendPcm(catalog[2]!.pcm);
    c.send({ type: 'input_audio_buffer.commit' });
    c.send({ type: 'response.create' });
    await c.next('response.output_audio.delta');
    c.close();
    const d = await open('openai-ga');
    d.appendPcm(catalog[0]!.pcm);
    d.send({ type: 'input_audio_buffer.commit' });
    d.send({ type: 'response.create' });
    expect(((await d.next('response.done', 15_000))['response'] as any).status).toBe('completed');
    d.close();
  });

  it('survives a barrage of odd events and still answers', async () => {
    const c = await open('azure-ga');
    const odd: unknown[] = [
      null,
      42,
      'str',
      [],
      {},
      { type: 42 },
      { type: '' },
      { type: 'x'.repeat(10_000) },
      { type: 'session.update' },
      { type: 'session.update', session: null },
      { type: 'session.update', session: { type: 'realtime', audio: 5 } },
      { type: 'session.update', session: { type: 'realtime', audio: { input: 5, output: [] } } },
      { type: 'session.update', session: { type: 'realtime', audio: { input: { turn_detection: 'on' } } } },
      {
        type: 'session.update',
        session: { type: 'realtime', audio: { input: { turn_detection: { type: 'server_vad', threshold: 7 } } } },
      },
      { type: 'session.update', session: { type: 'realtime', output_modalities: ['audio', 'text'] } },
      { type: 'session.update', session: { type: 'realtime', output_modalities: 'audio' } },
      { type: 'input_audio_buffer.append', audio: 12 },
      { type: 'input_audio_buffer.append', audio: '' },
      { type: 'input_audio_buffer.append', audio: 'AAA' },
      { type: 'input_audio_buffer.append', audio: 'AAE=' }, // one odd byte
      { type: 'conversation.item.create' },
      { type: 'conversation.item.create', item: { content: 'x' } },
      { type: 'conversation.item.create', item: { content: [null, 1, { text: 5 }] } },
      { type: 'conversation.item.delete' },
      { type: 'conversation.item.truncate', item_id: 5 },
      { type: 'response.create', response: 5 },
      { type: 'response.cancel', response_id: {} },
      { type: 'response.cancel' },
      { type: 'input_audio_buffer.commit', event_id: 7 },
    ];
    for (const o of odd) c.ws.send(JSON.stringify(o));
    c.send({ type: 'response.cancel' });
    await c.next(
      (e) =>
        e.type === 'response.done' || (e.type === 'error' && (e['error'] as any).code === 'response_cancel_not_active'),
    );
    expect(c.ws.readyState).toBe(c.ws.OPEN);
    c.send({ type: 'session.update', session: { type: 'realtime', audio: { input: { turn_detection: null } } } });
    await c.next('session.updated');
    c.send({ type: 'input_audio_buffer.clear' });
    c.appendPcm(catalog[0]!.pcm);
    c.send({ type: 'input_audio_buffer.commit' });
    await c.next('input_audio_buffer.committed');
    c.send({ type: 'response.create' });
    await c.next((e) => e.type === 'response.done' && (e['response'] as any).status === 'completed', 15_000);
    c.close();
  });
});
