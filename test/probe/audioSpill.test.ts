/**
 * Answer audio kept on disk while a session runs (src/probe/audioSpill.ts, read back by src/trace/spilledAudio.ts): what comes back is byte for byte
 * what a recorder keeping it in memory holds, turns interleaved (a late delta of turn 1 after turn 2 began), and
 * the disk never loses a recording: a folder that is not there, or writes that start failing, keep the audio in
 * memory and say why.
 */
import { describe, expect, it } from 'vitest';
import { writevSync } from 'node:fs';
import { mkdtemp, readdir, stat, truncate } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AudioSpill, SPILL_WRITE_BYTES, SPILL_WRITE_CHUNKS } from '../../src/probe/audioSpill.js';
import { loadTraceAudio } from '../../src/trace/spilledAudio.js';
import { TraceRecorder } from '../../src/probe/recorder.js';
import type { Trace } from '../../src/trace/trace.js';
import { testMeta } from '../helpers/traceMeta.js';

const meta = testMeta(2);

/** A 2-turn session's audio deltas (distinct bytes in every chunk), a late turn-1 delta after turn 2 began. */
function record(rec: TraceRecorder): void {
  const delta = (turn: number, response: string, n: number, bytes: number): void => {
    rec.turn = turn;
    const pcm = Buffer.alloc(bytes);
    for (let i = 0; i < bytes; i++) pcm[i] = (n * 31 + i) & 0xff;
    rec.recordFrame(
      Buffer.from(
        JSON.stringify({
          type: 'response.output_audio.delta',
          response_id: response,
          item_id: `item_${turn}`,
          delta: pcm.toString('base64'),
        }),
      ),
      false,
    );
  };
  rec.turn = 1;
  rec.recordFrame(Buffer.from(JSON.stringify({ type: 'response.created', response: { id: 'resp_1' } })), false);
  for (let n = 0; n < 60; n++) delta(1, 'resp_1', n, 4800); // 288 000 bytes: more than one write
  rec.turn = 2;
  rec.recordFrame(Buffer.from(JSON.stringify({ type: 'response.created', response: { id: 'resp_2' } })), false);
  for (let n = 60; n < 100; n++) {
    delta(2, 'resp_2', n, 4800);
    if (n === 70) delta(1, 'resp_1', 999, 960); // late: still turn 1's audio
  }
}

function inMemory(): Trace {
  const rec = new TraceRecorder(() => 0, 'ga', []);
  record(rec);
  return rec.finish(meta);
}

describe('answer audio spilled to disk', () => {
  it('reads back exactly what an in-memory recorder holds, the late delta in its own turn, and removes the file', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'rc-spill-'));
    const spill = new AudioSpill(join(dir, 's.pcm'));
    const rec = new TraceRecorder(() => 0, 'ga', [], { spill });
    record(rec);
    expect((await stat(join(dir, 's.pcm'))).size).toBeGreaterThanOrEqual(SPILL_WRITE_BYTES); // written while the session ran
    const trace = rec.finish(meta);
    expect(trace.outputAudio.size).toBe(0);
    expect(trace.spilledAudio?.problem).toBeUndefined();
    await loadTraceAudio(trace);
    const expected = inMemory();
    expect([...trace.outputAudio.keys()]).toEqual([1, 2]);
    for (const turn of [1, 2]) expect(trace.outputAudio.get(turn)!.equals(expected.outputAudio.get(turn)!)).toBe(true);
    expect(trace.outputAudio.get(1)!.length).toBe(60 * 4800 + 960);
    expect(trace.spilledAudio).toBeUndefined();
    expect(await readdir(dir)).toEqual([]);
  });

  it('writes a flood of tiny chunks in bounded writes and reads every byte back', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'rc-spill-'));
    const writes: number[] = [];
    const counting: typeof writevSync = (fd, buffers, position) => {
      writes.push(buffers.length);
      return writevSync(fd, buffers, position);
    };
    const spill = new AudioSpill(join(dir, 's.pcm'), { writev: counting });
    const expected = Buffer.alloc(10_000 * 2);
    for (let n = 0; n < 10_000; n++) {
      const chunk = Buffer.from([n & 0xff, (n >> 8) & 0xff]);
      chunk.copy(expected, n * 2);
      spill.append(1, chunk);
    }
    const trace = { ...inMemory(), outputAudio: new Map(), spilledAudio: spill.finish() };
    expect(writes.length).toBe(10); // 1024 chunks a write, never 10 000 waiting at once
    expect(Math.max(...writes)).toBe(SPILL_WRITE_CHUNKS);
    await loadTraceAudio(trace);
    expect(trace.outputAudio.get(1)!.equals(expected)).toBe(true);
  });

  it('keeps the audio in memory when the folder is not there, and says why', async () => {
    const rec = new TraceRecorder(() => 0, 'ga', [], {
      spill: new AudioSpill(join(tmpdir(), 'rc-no-such-folder', 's.pcm')),
    });
    record(rec);
    const trace = rec.finish(meta);
    expect(trace.spilledAudio?.problem).toMatch(/could not create .*rc-no-such-folder.*ENOENT/);
    await loadTraceAudio(trace);
    expect(trace.outputAudio.get(2)!.equals(inMemory().outputAudio.get(2)!)).toBe(true);
  });

  it('keeps every chunk when writes start failing mid-session: what was written is read back, the rest was kept', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'rc-spill-'));
    let calls = 0;
    const failing: typeof writevSync = (fd, buffers, position) => {
      if (++calls > 1) throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
      return writevSync(fd, buffers, position);
    };
    const rec = new TraceRecorder(() => 0, 'ga', [], {
      spill: new AudioSpill(join(dir, 's.pcm'), { writev: failing }),
    });
    record(rec);
    const trace = rec.finish(meta);
    expect(calls).toBe(2);
    expect(trace.spilledAudio?.problem).toMatch(/could not write .*ENOSPC/);
    await loadTraceAudio(trace);
    const expected = inMemory();
    for (const turn of [1, 2]) expect(trace.outputAudio.get(turn)!.equals(expected.outputAudio.get(turn)!)).toBe(true);
    expect(await readdir(dir)).toEqual([]);
  });

  it('names the file when audio on disk is missing', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'rc-spill-'));
    const rec = new TraceRecorder(() => 0, 'ga', [], { spill: new AudioSpill(join(dir, 's.pcm')) });
    record(rec);
    const trace = rec.finish(meta);
    await truncate(join(dir, 's.pcm'), 1000);
    await expect(loadTraceAudio(trace)).rejects.toThrow(/s\.pcm ends at byte 1000/);
  });
});
