/**
 * Records what the service does, as it happens: every frame with its receive time, audio decoded into
 * per-turn buffers (PCM16 24 kHz; G.711 μ-law expanded to it while the session says it sends `audio/pcmu`, as a
 * client that trusts `session.updated` plays it), sends with their send time and their `event_id`. No judgement: odd frames become explicit
 * entries. Bounded: past a per-session cap (SessionLimits) it records one `limit-exceeded` entry and ignores
 * everything after it; the transport then stops reading (`limitExceeded`).
 */
import { isRecord } from '../json.js';
import { MU_LAW_FORMAT_NAMES, normalizeEventType, sessionOutputFormat, EV } from '../realtime/events.js';
import { muLawToPcm16 } from '../audio/g711.js';
import type { Dialect } from '../realtime/flavours.js';
import { scrub } from '../realtime/redact.js';
import { eventItemId, eventResponseId, idFields } from '../trace/ids.js';
import type { AudioSpill } from './audioSpill.js';
import { decodePcmBase64, jsonDepthExceeds } from './safeJson.js';
import type {
  AudioRef,
  InvalidFrameProblem,
  LimitExceededEntry,
  RecvEntry,
  SendEntry,
  SessionLimits,
  Trace,
  TraceEntry,
  TraceMeta,
} from '../trace/trace.js';

type Clock = () => number;
type DistributiveOmit<T, K extends keyof TraceEntry> = T extends unknown ? Omit<T, K> : never;
export type NewEntry = DistributiveOmit<TraceEntry, 't' | 'turn'>;

/** Frames larger than this are recorded by size only, never parsed. */
export const DEFAULT_OVERSIZE_BYTES = 16 * 1024 * 1024;
const PREVIEW_CHARS = 200;

/**
 * Per-session caps. Sized for a 2 GB Flex Consumption instance (≈ 1.5 GB of heap) probing 8 targets at once:
 * 8 × (64 MiB of frames + 48 MiB of audio) ≈ 900 MiB even if every session hit both caps, leaving room for the
 * runtime and the round. A healthy 3-turn session uses ~1 500 events, ~5 MiB of frames and ~3 MiB of audio, so the
 * caps are 20–60 times what a real answer needs; 48 MiB of PCM16 24 kHz is 17 minutes of speech.
 */
export const DEFAULT_SESSION_LIMITS: SessionLimits = {
  maxEvents: 100_000,
  maxEventBytes: 64 * 1024 * 1024,
  maxAudioBytes: 48 * 1024 * 1024,
};

export interface RecorderOptions {
  oversizeBytes?: number;
  limits?: SessionLimits;
  /** Prefix of the client `event_id`s (`evt_<prefix>_<n>`), e.g. 8 hex characters of the run id. */
  eventIdPrefix?: string;
  /** Keep the output audio in this file instead of memory (the trace then carries `spilledAudio`). */
  spill?: AudioSpill;
}

const round3 = (x: number): number => Math.round(x * 1000) / 1000;
/** Server events that show the service's VAD has the current turn's input. */
const VAD_INPUT: ReadonlySet<string> = new Set([EV.speechStarted, EV.speechStopped, EV.committed]);

export class TraceRecorder {
  readonly entries: TraceEntry[] = [];
  /** The turn new entries belong to (0 before the first turn). */
  turn = 0;
  /**
   * The latest turn whose input the service has (see `inputGiven`): a response created now answers it. Until a turn's
   * input is given, a new response — a second generation arriving late — still belongs to the turn before.
   */
  #inputTurn = 0;
  readonly limits: SessionLimits;
  readonly #start: number;
  readonly #oversizeBytes: number;
  readonly #eventIdPrefix: string;
  readonly #spill: AudioSpill | undefined;
  readonly #audio = new Map<number, Buffer[]>();
  readonly #audioBytes = new Map<number, number>();
  readonly #prompts = new Map<number, Buffer>();
  readonly #responseTurn = new Map<string, number>();
  #sent = 0;
  #events = 0;
  #eventBytes = 0;
  #totalAudio = 0;
  #limit: LimitExceededEntry | undefined;
  /** The output format the probe last asked for, and the one the service last declared (wire names). */
  #requestedFormat: string | undefined;
  #declaredFormat: string | undefined;

  constructor(
    private readonly clock: Clock,
    private readonly dialect: Dialect,
    private readonly secrets: readonly string[],
    o: RecorderOptions = {},
  ) {
    this.#start = clock();
    this.#oversizeBytes = o.oversizeBytes ?? DEFAULT_OVERSIZE_BYTES;
    this.limits = o.limits ?? DEFAULT_SESSION_LIMITS;
    this.#eventIdPrefix = o.eventIdPrefix ?? 'probe';
    this.#spill = o.spill;
  }

  /**
   * The current turn's input is with the service: the probe sent its `response.create` (manual turns), or the
   * service's VAD heard it (any `input_audio_buffer` speech or commit event; the recorder sees those itself).
   */
  inputGiven(): void {
    this.#inputTurn = this.turn;
  }

  /** The service refused the current turn's `response.create`: a response it starts now is still the turn before's. */
  inputRefused(): void {
    this.#inputTurn = this.turn - 1;
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

  /** The `limit-exceeded` entry once a cap was crossed: the transport must stop reading and close. */
  get limitExceeded(): LimitExceededEntry | undefined {
    return this.#limit;
  }

  /**
   * Records a client event and returns it as it must be sent: with an `event_id` (`evt_<prefix>_<n>`, unique in
   * the session) unless it has one. Appends keep a reference into the prompt audio instead of base64.
   */
  recordSend(
    event: Record<string, unknown>,
    extra: Pick<SendEntry, 'audioRef' | 'byProbe'> = {},
  ): Record<string, unknown> {
    const withId =
      typeof event.event_id === 'string' ? event : { event_id: `evt_${this.#eventIdPrefix}_${++this.#sent}`, ...event };
    const stored = { ...withId };
    if (extra.audioRef) delete stored.audio;
    if (event.type === 'session.update') this.#requestedFormat = sessionOutputFormat(event) ?? this.#requestedFormat;
    this.add({ kind: 'send', type: String(event.type), event: stored, ...extra });
    return withId;
  }

  setPrompt(turn: number, pcm: Buffer): void {
    this.#prompts.set(turn, pcm);
  }

  /** Records a WebSocket ping or pong (time only). Counts as an event towards the cap. */
  recordKeepalive(kind: 'ping' | 'pong', from: 'server' | 'client', t = this.now()): void {
    if (this.#admit(t)) this.add({ kind, from }, t);
  }

  /**
   * Records one incoming frame. Returns the recv entry when the frame was a usable event. Frame bytes count
   * against `maxEventBytes`, except an audio delta's base64, which is not kept (its decoded audio counts
   * against `maxAudioBytes`).
   */
  recordFrame(data: Buffer, isBinary: boolean, t = this.now()): RecvEntry | undefined {
    const size = data.length;
    if (!this.#admit(t)) return undefined;
    if (isBinary) return this.#invalid('binary-frame', size, data.subarray(0, 32).toString('hex'), t, false);
    if (size > this.#oversizeBytes)
      return this.#invalid('oversize-frame', size, data.subarray(0, PREVIEW_CHARS).toString('utf8'), t);
    const text = data.toString('utf8');
    if (jsonDepthExceeds(text)) return this.#invalid('too-deep', size, text, t);
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      return this.#invalid('malformed-json', size, text, t);
    }
    if (!isRecord(parsed)) return this.#invalid('not-an-object', size, text, t);
    const event = parsed;
    if (typeof event.type !== 'string') return this.#invalid('missing-type', size, text, t);
    const wireType = event.type;
    const type = normalizeEventType(wireType, this.dialect);
    const turn = this.#turnOf(type, event);
    if (type === EV.sessionCreated || type === EV.sessionUpdated)
      this.#declaredFormat = sessionOutputFormat(event) ?? this.#declaredFormat;
    const ids = idFields(event);
    const { delta, ...rest } = event;
    const isAudio = type === EV.audioDelta;
    if (!this.#admitBytes(isAudio && typeof delta === 'string' ? size - delta.length : size, t)) return undefined;
    if (!isAudio) return this.add({ kind: 'recv', type, wireType, size, ...ids, event }, t, turn);

    const recvRest = (): RecvEntry => this.add({ kind: 'recv', type, wireType, size, ...ids, event: rest }, t, turn);
    if (typeof delta !== 'string') {
      this.add({ kind: 'recv-invalid', problem: 'bad-audio', size, preview: `delta is ${typeof delta}` }, t, turn);
      return recvRest();
    }
    const muLaw = MU_LAW_FORMAT_NAMES.includes(this.#declaredFormat ?? this.#requestedFormat ?? '');
    const wire = decodePcmBase64(delta, muLaw ? 1 : 2);
    if (!wire) {
      const why =
        delta.length % 4 !== 0 ? `${delta.length} characters, not a multiple of 4` : 'not whole samples or not base64';
      this.add(
        {
          kind: 'recv-invalid',
          problem: 'invalid-base64',
          size,
          preview: this.#preview(`${why}: ${delta.slice(0, 60)}`),
        },
        t,
        turn,
      );
      return recvRest();
    }
    const pcm = muLaw ? muLawToPcm16(wire) : wire;
    const refIds = { responseId: eventResponseId(event), itemId: eventItemId(event) };
    const audio = this.#appendAudio(turn, pcm, muLaw ? { ...refIds, wireBytes: wire.length } : refIds, t);
    if (!audio) return undefined;
    return this.add({ kind: 'recv', type, wireType, size, ...ids, event: rest, audio }, t, turn);
  }

  /**
   * Appends decoded output PCM (PCM16 24 kHz mono) to a turn's output audio and returns where it sits — for a
   * transport whose audio is not base64 deltas (WebRTC decodes RTP itself and puts the ref on its own entries).
   * Undefined once the audio cap is crossed (the `limit-exceeded` entry is recorded).
   */
  recordOutputPcm(
    turn: number,
    pcm: Buffer,
    meta: { responseId?: string; itemId?: string } = {},
    t = this.now(),
  ): AudioRef | undefined {
    if (this.#limit) return undefined;
    return this.#appendAudio(turn, pcm, { responseId: meta.responseId, itemId: meta.itemId }, t);
  }

  #appendAudio(
    turn: number,
    pcm: Buffer,
    ids: Pick<AudioRef, 'responseId' | 'itemId' | 'wireBytes'>,
    t: number,
  ): AudioRef | undefined {
    if (this.#totalAudio + pcm.length > this.limits.maxAudioBytes) {
      this.#exceed('maxAudioBytes', this.#totalAudio + pcm.length, this.limits.maxAudioBytes, t);
      return undefined;
    }
    this.#totalAudio += pcm.length;
    const offset = this.#audioBytes.get(turn) ?? 0;
    this.#audioBytes.set(turn, offset + pcm.length);
    if (this.#spill) {
      this.#spill.append(turn, pcm);
    } else {
      const chunks = this.#audio.get(turn) ?? [];
      chunks.push(pcm);
      this.#audio.set(turn, chunks);
    }
    return { offset, bytes: pcm.length, ...ids };
  }

  /** Counts one received frame against the event cap; false (nothing to record) once a cap is crossed. */
  #admit(t: number): boolean {
    if (this.#limit) return false;
    if (this.#events + 1 > this.limits.maxEvents)
      return this.#exceed('maxEvents', this.#events + 1, this.limits.maxEvents, t);
    this.#events++;
    return true;
  }

  /** Counts bytes of a frame that the event log keeps against the frame-byte cap. */
  #admitBytes(bytes: number, t: number): boolean {
    if (this.#limit) return false;
    if (this.#eventBytes + bytes > this.limits.maxEventBytes)
      return this.#exceed('maxEventBytes', this.#eventBytes + bytes, this.limits.maxEventBytes, t);
    this.#eventBytes += bytes;
    return true;
  }

  #exceed(limit: keyof SessionLimits, value: number, max: number, t: number): false {
    if (!this.#limit) this.#limit = this.add({ kind: 'limit-exceeded', limit, value, max }, t);
    return false;
  }

  #invalid(problem: InvalidFrameProblem, size: number, text: string, t: number, scrubbed = true): undefined {
    if (this.#admitBytes(size, t))
      this.add({ kind: 'recv-invalid', problem, size, preview: scrubbed ? this.#preview(text) : text }, t);
    return undefined;
  }

  /**
   * The turn an event belongs to: the turn whose input its response answers (so a late delta of turn 1 that
   * arrives after turn 2 started still counts for turn 1, and so does a second response the service starts for
   * turn 1 while turn 2's prompt is still being sent), else the current turn.
   */
  #turnOf(type: string, event: Record<string, unknown>): number {
    if (VAD_INPUT.has(type)) this.inputGiven();
    const responseId = eventResponseId(event);
    if (responseId === undefined) return this.turn;
    if (type === EV.responseCreated && !this.#responseTurn.has(responseId))
      this.#responseTurn.set(responseId, this.#inputTurn > 0 ? this.#inputTurn : this.turn);
    return this.#responseTurn.get(responseId) ?? this.turn;
  }

  #preview(text: string): string {
    return scrub(text.slice(0, PREVIEW_CHARS), this.secrets);
  }

  finish(meta: TraceMeta): Trace {
    const outputAudio = new Map<number, Buffer>();
    for (const [turn, chunks] of this.#audio) outputAudio.set(turn, Buffer.concat(chunks));
    const trace: Trace = { meta, entries: this.entries, outputAudio, promptAudio: new Map(this.#prompts) };
    if (this.#spill) trace.spilledAudio = this.#spill.finish();
    return trace;
  }
}
