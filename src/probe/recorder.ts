/**
 * Records what the service does, as it happens: every frame with its receive time, audio decoded into
 * per-turn buffers, sends with their send time. No judgement: odd frames become explicit entries.
 */
import { normalizeEventType, EV } from '../realtime/events.js';
import type { Dialect } from '../realtime/flavours.js';
import { scrub } from '../realtime/redact.js';
import type { RecvEntry, Trace, TraceEntry, TraceMeta, SendEntry } from './trace.js';

type Clock = () => number;
type DistributiveOmit<T, K extends keyof TraceEntry> = T extends unknown ? Omit<T, K> : never;
export type NewEntry = DistributiveOmit<TraceEntry, 't' | 'turn'>;

/** Frames larger than this are recorded by size only, never parsed. */
export const DEFAULT_OVERSIZE_BYTES = 16 * 1024 * 1024;
const PREVIEW_CHARS = 200;

const round3 = (x: number): number => Math.round(x * 1000) / 1000;

export class TraceRecorder {
  readonly entries: TraceEntry[] = [];
  /** The turn new entries belong to (0 before the first turn). */
  turn = 0;
  readonly #start: number;
  readonly #audio = new Map<number, Buffer[]>();
  readonly #audioBytes = new Map<number, number>();
  readonly #prompts = new Map<number, Buffer>();
  readonly #responseTurn = new Map<string, number>();

  constructor(
    private readonly clock: Clock,
    private readonly dialect: Dialect,
    private readonly secrets: readonly string[],
    private readonly oversizeBytes = DEFAULT_OVERSIZE_BYTES,
  ) {
    this.#start = clock();
  }

  /** ms since the session started, to the microsecond. */
  now(): number {
    return round3(this.clock() - this.#start);
  }

  add<E extends NewEntry>(entry: E, t = this.now(), turn = this.turn): E & { t: number; turn: number } {
    const full = { t, turn, ...entry } as E & { t: number; turn: number };
    this.entries.push(full as unknown as TraceEntry);
    return full;
  }

  /** Records a client event; appends keep a reference into the prompt audio instead of base64. */
  recordSend(event: Record<string, unknown>, extra: Pick<SendEntry, 'audioRef' | 'byProbe'> = {}): void {
    const stored = { ...event };
    if (extra.audioRef) delete stored.audio;
    this.add({ kind: 'send', type: String(event.type), event: stored, ...extra });
  }

  setPrompt(turn: number, pcm: Buffer): void {
    this.#prompts.set(turn, pcm);
  }

  /** Records one incoming frame. Returns the recv entry when the frame was a usable event. */
  recordFrame(data: Buffer, isBinary: boolean, t = this.now()): RecvEntry | undefined {
    const size = data.length;
    if (isBinary) return void this.add({ kind: 'recv-invalid', problem: 'binary-frame', size, preview: data.subarray(0, 32).toString('hex') }, t);
    if (size > this.oversizeBytes) return void this.add({ kind: 'recv-invalid', problem: 'oversize-frame', size, preview: this.#preview(data.subarray(0, PREVIEW_CHARS).toString('utf8')) }, t);
    const text = data.toString('utf8');
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      return void this.add({ kind: 'recv-invalid', problem: 'malformed-json', size, preview: this.#preview(text) }, t);
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
      return void this.add({ kind: 'recv-invalid', problem: 'not-an-object', size, preview: this.#preview(text) }, t);
    }
    const event = parsed as Record<string, unknown>;
    if (typeof event.type !== 'string') return void this.add({ kind: 'recv-invalid', problem: 'missing-type', size, preview: this.#preview(text) }, t);
    const type = normalizeEventType(event.type, this.dialect);
    const turn = this.#turnOf(type, event);
    if (type !== EV.audioDelta) return this.add({ kind: 'recv', type, wireType: event.type, size, event }, t, turn);

    const { delta, ...rest } = event;
    if (typeof delta !== 'string') {
      this.add({ kind: 'recv-invalid', problem: 'bad-audio', size, preview: `delta is ${typeof delta}` }, t, turn);
      return this.add({ kind: 'recv', type, wireType: event.type, size, event: rest }, t, turn);
    }
    const pcm = Buffer.from(delta, 'base64');
    const offset = this.#audioBytes.get(turn) ?? 0;
    const chunks = this.#audio.get(turn) ?? [];
    chunks.push(pcm);
    this.#audio.set(turn, chunks);
    this.#audioBytes.set(turn, offset + pcm.length);
    const audio = { offset, bytes: pcm.length, responseId: str(event.response_id), itemId: str(event.item_id) };
    return this.add({ kind: 'recv', type, wireType: event.type, size, event: rest, audio }, t, turn);
  }

  /**
   * The turn an event belongs to: the turn in which its response was created (so a late delta of turn 1
   * that arrives after turn 2 started still counts for turn 1), else the current turn.
   */
  #turnOf(type: string, event: Record<string, unknown>): number {
    const responseId = str(event.response_id) ?? str((event.response as { id?: unknown } | undefined)?.id);
    if (responseId === undefined) return this.turn;
    if (type === EV.responseCreated && !this.#responseTurn.has(responseId)) this.#responseTurn.set(responseId, this.turn);
    return this.#responseTurn.get(responseId) ?? this.turn;
  }

  #preview(text: string): string {
    return scrub(text.slice(0, PREVIEW_CHARS), this.secrets);
  }

  finish(meta: TraceMeta): Trace {
    const outputAudio = new Map<number, Buffer>();
    for (const [turn, chunks] of this.#audio) outputAudio.set(turn, Buffer.concat(chunks));
    return { meta, entries: this.entries, outputAudio, promptAudio: new Map(this.#prompts) };
  }
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' ? v : undefined;
}
