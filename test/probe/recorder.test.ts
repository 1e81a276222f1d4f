/**
 * The recorder and the trace files on their own: event ids, normalized ids (also filled for old traces), the
 * depth check, decoded PCM from a transport without base64 deltas, and serializers that never throw.
 */
import { describe, expect, it } from 'vitest';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TraceRecorder } from '../../src/probe/recorder.js';
import { jsonDepthExceeds } from '../../src/probe/safeJson.js';
import { responseIdOf, itemIdOf, sendForEventId } from '../../src/trace/ids.js';
import { parseEvents, readTrace, safeStringify, serializeEvents, writeTrace } from '../../src/trace/traceFile.js';
import { itemAudio } from '../../src/trace/trace.js';
import { testMeta } from '../helpers/traceMeta.js';

let now = 0;
const recorder = (limits?: ConstructorParameters<typeof TraceRecorder>[3]) =>
  new TraceRecorder(() => now, 'ga', ['s3cret-value'], { eventIdPrefix: 'abcd1234', ...limits });
const frame = (o: unknown): Buffer => Buffer.from(JSON.stringify(o));
const meta = testMeta();

describe('recorder', () => {
  it('gives each client event a session-unique event_id, keeps one that is set, and records it in the send entry', () => {
    const rec = recorder();
    const a = rec.recordSend({ type: 'session.update' });
    const b = rec.recordSend(
      { type: 'input_audio_buffer.append', audio: 'AAAA' },
      { audioRef: { offset: 0, bytes: 3 } },
    );
    const c = rec.recordSend({ type: 'response.create', event_id: 'mine' });
    expect([a.event_id, b.event_id, c.event_id]).toEqual(['evt_abcd1234_1', 'evt_abcd1234_2', 'mine']);
    expect(b.audio).toBe('AAAA'); // what goes on the wire keeps its audio
    const sends = rec.entries.filter((e) => e.kind === 'send');
    expect(sends.map((s) => s.kind === 'send' && s.event.event_id)).toEqual([
      'evt_abcd1234_1',
      'evt_abcd1234_2',
      'mine',
    ]);
    expect(sends[1]!.kind === 'send' && 'audio' in sends[1]!.event).toBe(false);
    // an error echoing a client event id is tied to the send that caused it
    const err = rec.recordFrame(
      frame({ type: 'error', error: { code: 'invalid_value', event_id: 'evt_abcd1234_2' } }),
      false,
    )!;
    const cause = sendForEventId(rec.entries, String((err.event.error as { event_id: string }).event_id));
    expect(cause?.type).toBe('input_audio_buffer.append');
  });

  it('stores normalized response and item ids once, from either shape', () => {
    const rec = recorder();
    rec.turn = 1;
    const created = rec.recordFrame(frame({ type: 'response.created', response: { id: 'resp_1' } }), false)!;
    const added = rec.recordFrame(frame({ type: 'conversation.item.added', item: { id: 'item_1' } }), false)!;
    const delta = rec.recordFrame(
      frame({ type: 'response.output_audio.delta', response_id: 'resp_1', item_id: 'item_1', delta: 'AAAAAA==' }),
      false,
    )!;
    const session = rec.recordFrame(frame({ type: 'session.updated', session: { id: 'sess_1' } }), false)!;
    expect([created.responseId, created.itemId]).toEqual(['resp_1', undefined]);
    expect([added.responseId, added.itemId]).toEqual([undefined, 'item_1']);
    expect([delta.responseId, delta.itemId, delta.audio?.bytes]).toEqual(['resp_1', 'item_1', 4]);
    expect('responseId' in session || 'itemId' in session).toBe(false);
    expect(responseIdOf(delta)).toBe('resp_1');
  });

  it('appends decoded PCM from a transport with its own audio path, with a reference, within the audio cap', () => {
    const rec = recorder({ limits: { maxEvents: 100, maxEventBytes: 1e6, maxAudioBytes: 1000 } });
    const a = rec.recordOutputPcm(2, Buffer.alloc(480, 1), { responseId: 'resp_2', itemId: 'item_2' })!;
    const b = rec.recordOutputPcm(2, Buffer.alloc(480, 2), { responseId: 'resp_2', itemId: 'item_2' })!;
    expect([a.offset, a.bytes, b.offset, b.bytes, b.itemId]).toEqual([0, 480, 480, 480, 'item_2']);
    expect(rec.recordOutputPcm(2, Buffer.alloc(480))).toBeUndefined();
    expect(rec.limitExceeded).toMatchObject({ kind: 'limit-exceeded', limit: 'maxAudioBytes', value: 1440, max: 1000 });
    const trace = rec.finish(meta);
    expect(trace.outputAudio.get(2)!.equals(Buffer.concat([Buffer.alloc(480, 1), Buffer.alloc(480, 2)]))).toBe(true);
    expect(rec.recordFrame(frame({ type: 'x' }), false)).toBeUndefined(); // nothing after the cap
    expect(itemAudio({ ...trace, entries: [] }, 2, 'item_2').length).toBe(0); // refs live on the transport's own entries
  });

  it('counts pings and events against the event cap', () => {
    const rec = recorder({ limits: { maxEvents: 3, maxEventBytes: 1e6, maxAudioBytes: 1e6 } });
    rec.recordKeepalive('ping', 'server');
    rec.recordFrame(frame({ type: 'a' }), false);
    rec.recordFrame(frame({ type: 'b' }), false);
    rec.recordFrame(frame({ type: 'c' }), false);
    expect(rec.entries.map((e) => e.kind)).toEqual(['ping', 'recv', 'recv', 'limit-exceeded']);
  });
});

describe('the depth check', () => {
  it('counts nesting outside strings only, escapes included', () => {
    expect(jsonDepthExceeds('{"a":[[1]]}', 3)).toBe(false);
    expect(jsonDepthExceeds('{"a":[[[1]]]}', 3)).toBe(true);
    expect(jsonDepthExceeds(`{"s":"${'['.repeat(100)}"}`, 3)).toBe(false);
    expect(jsonDepthExceeds(`{"s":"a\\"${'['.repeat(100)}"}`, 3)).toBe(false);
    expect(jsonDepthExceeds(`{"s":"a\\\\","t":${'['.repeat(5)}${']'.repeat(5)}}`, 3)).toBe(true);
    expect(jsonDepthExceeds('[]'.repeat(10_000), 3)).toBe(false); // wide, not deep
  });
});

describe('serializers on any trace', () => {
  it('serializeEvents and writeTrace never throw: unserializable parts are written degraded', async () => {
    const rec = recorder();
    let deep: unknown = 0;
    for (let i = 0; i < 20_000; i++) deep = [deep];
    const circular: Record<string, unknown> = { type: 'x' };
    circular.self = circular;
    rec.add({ kind: 'recv', type: 'x.deep', wireType: 'x.deep', size: 1, event: { type: 'x.deep', a: deep } });
    rec.add({ kind: 'recv', type: 'x', wireType: 'x', size: 1, event: circular });
    rec.add({
      kind: 'recv',
      type: 'x.big',
      wireType: 'x.big',
      size: 1,
      event: { type: 'x.big', n: 10n } as unknown as Record<string, unknown>,
    });
    const trace = rec.finish(meta);
    const text = await serializeEvents(trace);
    const lines = text
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { kind: string; type?: string; event?: { unserializable?: string } });
    expect(lines.map((l) => l.type)).toEqual([undefined, 'x.deep', 'x', 'x.big']);
    for (const l of lines.slice(1)) expect(l.event?.unserializable).toBeTruthy();
    const dir = await mkdtemp(join(tmpdir(), 'rc-safe-'));
    await writeTrace(dir, trace);
    expect((await readTrace(dir)).entries).toHaveLength(3);
    expect(safeStringify(10n)).toContain('unserializable');
  });

  it('readTrace fills normalized ids for traces written before the recorder stored them', async () => {
    const old = [
      JSON.stringify(meta),
      JSON.stringify({
        t: 1,
        turn: 1,
        kind: 'recv',
        type: 'response.created',
        wireType: 'response.created',
        size: 9,
        event: { type: 'response.created', response: { id: 'resp_old' } },
      }),
      JSON.stringify({
        t: 2,
        turn: 1,
        kind: 'recv',
        type: 'response.output_audio.delta',
        wireType: 'response.audio.delta',
        size: 9,
        event: { type: 'response.audio.delta', response_id: 'resp_old', item_id: 'item_old' },
        audio: { offset: 0, bytes: 0 },
      }),
      JSON.stringify({
        t: 3,
        turn: 1,
        kind: 'recv',
        type: 'session.updated',
        wireType: 'session.updated',
        size: 9,
        event: { type: 'session.updated' },
      }),
    ].join('\n');
    const { entries } = parseEvents(old);
    const recv = entries.filter((e) => e.kind === 'recv');
    expect(recv.map((e) => [responseIdOf(e), itemIdOf(e)])).toEqual([
      ['resp_old', undefined],
      ['resp_old', 'item_old'],
      [undefined, undefined],
    ]);
    expect(recv.map((e) => e.responseId)).toEqual(['resp_old', 'resp_old', undefined]);
    const dir = await mkdtemp(join(tmpdir(), 'rc-old-'));
    await writeFile(join(dir, 'events.jsonl'), old + '\n');
    expect((await readTrace(dir)).entries.filter((e) => e.kind === 'recv').map((e) => e.itemId)).toEqual([
      undefined,
      'item_old',
      undefined,
    ]);
  });
});
