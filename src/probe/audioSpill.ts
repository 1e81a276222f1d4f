/**
 * A session's output audio kept on disk while the session runs, so a round's memory does not grow with the
 * sessions in flight (16 sessions hold about 50 MB of answer audio in memory). Chunks are appended to one file
 * per session in writes of {@link SPILL_WRITE_BYTES} or {@link SPILL_WRITE_CHUNKS}; the recorder writes, and the
 * trace's `loadTraceAudio` (src/trace/spilledAudio.ts) reads each turn back when the trace is analysed. The disk
 * never fails a recording: if the file cannot be opened or written, the audio from that chunk on stays in memory
 * and `problem` says why.
 */
import { closeSync, openSync, writevSync } from 'node:fs';
import type { SpilledAudio, SpillPart } from '../trace/trace.js';

/** Audio is written once this much is waiting (about 5 s of 24 kHz PCM16) … */
export const SPILL_WRITE_BYTES = 256 * 1024;
/** … or this many chunks (a flood of tiny deltas must not pile up chunk objects; also the usual IOV_MAX). */
export const SPILL_WRITE_CHUNKS = 1024;

export class AudioSpill {
  readonly #path: string;
  readonly #turns = new Map<number, SpillPart[]>();
  #fd: number | undefined;
  /** File position of the next chunk. */
  #pos = 0;
  #created = false;
  #pending: SpillPart[] = [];
  #pendingBytes = 0;
  #problem: string | undefined;
  readonly #writev: typeof writevSync;

  /** `writev` is the file write (tests hand in one that fails). */
  constructor(path: string, o: { writev?: typeof writevSync } = {}) {
    this.#path = path;
    this.#writev = o.writev ?? writevSync;
    try {
      // a new file of our own ('wx'): never an existing one
      this.#fd = openSync(path, 'wx', 0o600);
      this.#created = true;
    } catch (err) {
      this.#problem = `could not create ${path}: ${(err as Error).message}`;
    }
  }

  append(turn: number, pcm: Buffer): void {
    const part: SpillPart = { pos: this.#pos, len: pcm.length, buf: pcm };
    this.#pos += pcm.length;
    const parts = this.#turns.get(turn);
    if (parts) parts.push(part);
    else this.#turns.set(turn, [part]);
    if (this.#fd === undefined) return;
    this.#pending.push(part);
    this.#pendingBytes += pcm.length;
    if (this.#pendingBytes >= SPILL_WRITE_BYTES || this.#pending.length >= SPILL_WRITE_CHUNKS) this.#write();
  }

  /** Writes what is waiting and closes the file; the audio is then read with `loadTraceAudio` (src/trace/spilledAudio.ts). */
  finish(): SpilledAudio {
    this.#write();
    this.#close();
    return {
      path: this.#path,
      turns: this.#turns,
      created: this.#created,
      ...(this.#problem ? { problem: this.#problem } : {}),
    };
  }

  #write(): void {
    const pending = this.#pending;
    if (this.#fd === undefined || pending.length === 0) return;
    this.#pending = [];
    const bytes = this.#pendingBytes;
    this.#pendingBytes = 0;
    try {
      // synchronous: a few hundred KiB into the page cache takes microseconds, and the order of writes stays the order of chunks
      const written = this.#writev(
        this.#fd,
        pending.map((p) => p.buf!),
        pending[0]!.pos,
      );
      if (written !== bytes) throw new Error(`short write (${written} of ${bytes} bytes)`);
      for (const p of pending) delete p.buf;
    } catch (err) {
      // the chunks keep their bytes; everything after this stays in memory too
      this.#problem = `could not write ${this.#path}: ${(err as Error).message}`;
      this.#close();
    }
  }

  #close(): void {
    if (this.#fd === undefined) return;
    try {
      closeSync(this.#fd);
    } catch {
      // nothing left to lose: what was written is read back, what was not is in memory
    }
    this.#fd = undefined;
  }
}
