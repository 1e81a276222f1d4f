import { afterEach, describe, expect, it } from 'vitest';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resolveEndpoint } from '../../src/realtime/flavours.js';
import { runProbe } from '../../src/probe/session.js';
import { readTrace, writeTrace } from '../../src/trace/traceFile.js';
import { itemAudio } from '../../src/trace/trace.js';
import { hostileServer, type Hostile } from '../probe/hostileServer.js';

let server: Hostile | undefined;
afterEach(async () => server?.close());

/** A minimal beta-dialect server answering every response.create with three audio deltas. */
async function tinyServer(): Promise<Hostile> {
  return hostileServer({
    onConnection: (ws) => {
      ws.send(JSON.stringify({ type: 'session.created', session: { id: 'sess_rt' } }));
      let n = 0;
      ws.on('message', (m) => {
        const ev = JSON.parse(String(m)) as { type: string };
        if (ev.type === 'session.update') ws.send(JSON.stringify({ type: 'session.updated', session: {} }));
        if (ev.type !== 'response.create') return;
        n++;
        const ids = { response_id: `resp_${n}`, item_id: `item_${n}`, output_index: 0, content_index: 0 };
        ws.send(JSON.stringify({ type: 'response.created', response: { id: `resp_${n}`, status: 'in_progress' } }));
        for (const bytes of [4800, 4802, 960]) {
          ws.send(
            JSON.stringify({ type: 'response.audio.delta', ...ids, delta: Buffer.alloc(bytes, n).toString('base64') }),
          );
        }
        ws.send(JSON.stringify({ type: 'response.audio_transcript.done', ...ids, transcript: 'héllo <b>' }));
        ws.send(JSON.stringify({ type: 'response.audio.done', ...ids }));
        ws.send(JSON.stringify({ type: 'response.done', response: { id: `resp_${n}`, status: 'completed' } }));
      });
    },
  });
}

describe('trace files', () => {
  it('round-trips a recorded session through events.jsonl and WAV files losslessly', async () => {
    server = await tinyServer();
    const endpoint = resolveEndpoint({
      endpoint: server.url.replace('/openai/v1/realtime?model=test', '/openai/realtime?api-version=x&deployment=d'),
    });
    const prompt = { id: 'p', text: 't', answer: undefined, expect: ['hello'], pcm: Buffer.alloc(48 * 250, 3) };
    const trace = await runProbe(
      { name: 'rt', endpoint, auth: { mode: 'none' } },
      { prompts: [prompt], turns: 2, settleMs: 30, pace: 'burst' },
    );

    expect(trace.meta.target.dialect).toBe('beta');
    const deltas = trace.entries.filter((e) => e.kind === 'recv' && e.type === 'response.output_audio.delta');
    expect(deltas).toHaveLength(6);
    expect(trace.outputAudio.get(1)!.length).toBe(4800 + 4802 + 960);
    expect(itemAudio(trace, 2, 'item_2').equals(Buffer.alloc(10562, 2))).toBe(true);
    expect(JSON.stringify(trace.entries)).not.toMatch(/"delta":"AQEB/); // audio is kept as bytes, not base64

    const dir = await mkdtemp(join(tmpdir(), 'rc-trace-'));
    const files = await writeTrace(dir, trace);
    expect(files.sort()).toEqual(['events.jsonl', 'prompt-1.wav', 'prompt-2.wav', 'turn-1.wav', 'turn-2.wav']);
    const back = await readTrace(dir);
    expect(back).toEqual(trace);
    // receive times keep sub-millisecond resolution
    expect(trace.entries.some((e) => !Number.isInteger(e.t))).toBe(true);
  });

  it('names the file and line of a corrupt events.jsonl', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'rc-bad-'));
    await writeFile(join(dir, 'events.jsonl'), '{"kind":"meta","formatVersion":1,"options":{"turns":1}}\n{oops\n');
    await expect(readTrace(dir)).rejects.toThrow(/events\.jsonl:2: is not valid JSON/);
    await writeFile(join(dir, 'events.jsonl'), '{"kind":"meta","formatVersion":99}\n');
    await expect(readTrace(dir)).rejects.toThrow(/format version 99/);
    await expect(readTrace(join(dir, 'nope'))).rejects.toThrow(/has no events\.jsonl/);
    expect((await readFile(join(dir, 'events.jsonl'), 'utf8')).length).toBeGreaterThan(0);
  });
});
