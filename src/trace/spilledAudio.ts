/**
 * The read-back of a trace's answer audio kept on disk while its session ran (written by the probe's AudioSpill,
 * src/probe/audioSpill.ts; `Trace.spilledAudio` says where each turn's chunks sit in the file): it puts them
 * into `outputAudio` when the trace is analysed.
 */
import { open, unlink, type FileHandle } from 'node:fs/promises';
import type { SpilledAudio, Trace } from './trace.js';

/** Each turn's output audio, read back from the spill file (which is then removed: the round removes its folder anyway). */
async function loadSpilledAudio(s: SpilledAudio): Promise<Map<number, Buffer>> {
  const out = new Map<number, Buffer>();
  const onDisk = [...s.turns.values()].some((parts) => parts.some((p) => !p.buf));
  const file = onDisk ? await open(s.path, 'r') : undefined;
  try {
    for (const [turn, parts] of s.turns) {
      const audio = Buffer.allocUnsafe(parts.reduce((n, p) => n + p.len, 0));
      let at = 0;
      for (let i = 0; i < parts.length;) {
        const p = parts[i]!;
        if (p.buf) {
          p.buf.copy(audio, at);
          at += p.len;
          i++;
          continue;
        }
        // chunks of a turn that follow each other in the file are read at once
        let len = p.len;
        for (i++; i < parts.length && !parts[i]!.buf && parts[i]!.pos === p.pos + len; i++) len += parts[i]!.len;
        await readFully(file!, audio, at, len, p.pos, s.path);
        at += len;
      }
      out.set(turn, audio);
    }
  } finally {
    await file?.close();
  }
  if (s.created) await unlink(s.path).catch(() => undefined);
  return out;
}

/** Reads a trace's spilled output audio back into `outputAudio` (nothing to do for a trace kept in memory). */
export async function loadTraceAudio(trace: Trace): Promise<void> {
  const s = trace.spilledAudio;
  if (!s) return;
  trace.outputAudio = await loadSpilledAudio(s);
  delete trace.spilledAudio;
}

async function readFully(
  file: FileHandle,
  into: Buffer,
  at: number,
  len: number,
  pos: number,
  path: string,
): Promise<void> {
  for (let done = 0; done < len;) {
    const { bytesRead } = await file.read(into, at + done, len - done, pos + done);
    if (bytesRead === 0)
      throw new Error(`${path} ends at byte ${pos + done}, ${len - done} bytes of recorded audio are missing`);
    done += bytesRead;
  }
}
