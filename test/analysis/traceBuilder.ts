/**
 * Builds synthetic traces in code: a low-level builder (entries at exact times) and `answer()`, which plays one
 * whole turn — prompt appends, `response.create`, audio deltas with aligned transcript deltas, terminal events,
 * usage — with knobs for every fault the analysis must catch.
 */
import type { Trace, TraceEntry, TracePrompt, TurnOutcome, SessionEndEntry } from '../../src/trace/trace.js';
import type { OutputModality, TurnDetection } from '../../src/realtime/events.js';
import type { Flavour } from '../../src/realtime/flavours.js';
import { BYTES_PER_MS } from './synthPcm.js';

export * from './synthPcm.js';

type NewEntry = TraceEntry extends infer E ? (E extends TraceEntry ? Omit<E, 't' | 'turn'> : never) : never;

export interface BuilderOptions {
  modality?: OutputModality;
  turnDetection?: TurnDetection;
  prompts?: { id: string; expect?: string[]; text?: string }[];
  targetName?: string;
  /** Default `azure-ga`; an `openai-*` flavour also gets the OpenAI endpoint. */
  flavour?: Flavour;
}

export class TraceBuilder {
  readonly entries: TraceEntry[] = [];
  readonly outputAudio = new Map<number, Buffer>();
  turn = 0;

  constructor(readonly o: BuilderOptions = {}) {}

  add(t: number, entry: NewEntry, turn = this.turn): this {
    this.entries.push({ t, turn, ...entry } as TraceEntry);
    return this;
  }

  recv(t: number, type: string, event: Record<string, unknown> = {}): this {
    return this.add(t, { kind: 'recv', type, wireType: type, size: 100, event: { type, ...event } });
  }

  send(
    t: number,
    type: string,
    event: Record<string, unknown> = {},
    extra: { byProbe?: 'turn-timeout'; audioRef?: { offset: number; bytes: number } } = {},
  ): this {
    return this.add(t, { kind: 'send', type, event: { type, ...event }, ...extra });
  }

  /** Upgrade request/response (101 unless told) and `session.created`. */
  connect(o: { status?: number; headers?: Record<string, string>; body?: string; sessionId?: string } = {}): this {
    this.add(0, {
      kind: 'upgrade-request',
      url: 'wss://example.openai.azure.com/openai/v1/realtime?model=gpt-realtime',
      headers: { 'x-ms-client-request-id': 'client-req-1', 'api-key': '***' },
    });
    const status = o.status ?? 101;
    this.add(40, {
      kind: 'upgrade-response',
      status,
      statusText: status === 101 ? 'Switching Protocols' : 'Unauthorized',
      headers: o.headers ?? {},
      ...(o.body ? { body: o.body } : {}),
    });
    if (status === 101) this.recv(60, 'session.created', { session: { id: o.sessionId ?? 'sess_TEST1' } });
    return this;
  }

  startTurn(t: number, turn: number, promptId = this.promptId(turn)): this {
    this.turn = turn;
    return this.add(t, { kind: 'turn-start', promptId });
  }

  endTurn(t: number, outcome: TurnOutcome = 'response-done'): this {
    return this.add(t, { kind: 'turn-end', outcome });
  }

  /** An audio delta carrying `pcm`, appended to the current turn's output audio. */
  delta(t: number, pcm: Buffer, responseId = 'resp_1', itemId = 'item_1'): this {
    const prev = this.outputAudio.get(this.turn) ?? Buffer.alloc(0);
    this.outputAudio.set(this.turn, Buffer.concat([prev, pcm]));
    const event = { type: 'response.output_audio.delta', response_id: responseId, item_id: itemId };
    return this.add(t, {
      kind: 'recv',
      type: 'response.output_audio.delta',
      wireType: event.type,
      size: pcm.length,
      event,
      audio: { offset: prev.length, bytes: pcm.length, responseId, itemId },
    });
  }

  close(t: number, code: number, reason = '', initiatedBy: 'server' | 'client' = 'server'): this {
    return this.add(t, { kind: 'close', code, reason, initiatedBy });
  }

  sessionEnd(t: number, reason: SessionEndEntry['reason'] = 'completed'): this {
    return this.add(t, { kind: 'session-end', reason });
  }

  target(): Trace['meta']['target'] {
    const name = this.o.targetName ?? 'test-target';
    if (this.o.flavour?.startsWith('openai')) {
      return {
        name,
        flavour: this.o.flavour,
        dialect: 'ga',
        url: 'wss://api.openai.com/v1/realtime?model=gpt-realtime',
        host: 'api.openai.com',
        deployment: undefined,
        region: undefined,
      };
    }
    return {
      name,
      flavour: this.o.flavour ?? 'azure-ga',
      dialect: 'ga',
      url: 'wss://example.openai.azure.com/openai/v1/realtime?model=gpt-realtime',
      host: 'example.openai.azure.com',
      deployment: 'gpt-realtime',
      region: 'swedencentral',
    };
  }

  promptId(turn: number): string {
    return this.o.prompts?.[(turn - 1) % this.o.prompts.length]?.id ?? 'count-to-twenty';
  }

  build(turns = Math.max(1, ...this.entries.map((e) => e.turn))): Trace {
    const prompts: TracePrompt[] = Array.from({ length: turns }, (_, i) => {
      const p = this.o.prompts?.[i % this.o.prompts.length];
      return {
        turn: i + 1,
        id: p?.id ?? 'count-to-twenty',
        text: p?.text ?? 'Count to twenty.',
        expect: p?.expect ?? ['twenty'],
        bytes: 48_000,
      };
    });
    return {
      meta: {
        kind: 'meta',
        formatVersion: 1,
        runId: 'run-test-1',
        tool: { name: 'realtime-canary', version: '0.1.0' },
        target: this.target(),
        startedAt: '2026-01-01T00:00:00.000Z',
        startEpochMs: Date.UTC(2026, 0, 1),
        options: {
          turns,
          turnDetection: this.o.turnDetection ?? 'manual',
          modality: this.o.modality ?? 'audio',
          chunkMs: 100,
          turnTimeoutMs: 30_000,
          sessionTimeoutMs: 180_000,
          connectTimeoutMs: 10_000,
          settleMs: 300,
        },
        prompts,
      },
      entries: [...this.entries].sort((a, b) => a.t - b.t),
      outputAudio: this.outputAudio,
      promptAudio: new Map(),
    };
  }
}

/** Tokens of per-item overhead the builder's default usage carries (the "special tokens" of the costs guide). */
export const AUDIO_TOKEN_OVERHEAD = 3;

/** Output audio tokens the real service reports for `pcm`: 1 per 50 ms, plus the per-item overhead. */
export function realAudioTokens(pcm: Buffer, overhead = AUDIO_TOKEN_OVERHEAD): number {
  return Math.round(pcm.length / BYTES_PER_MS / 50) + overhead;
}

export interface AnswerSpec {
  turn: number;
  /** Turn start. The prompt is appended at +0, committed at +5, `response.create` sent at +10. */
  at: number;
  /** The answer's audio as generated (what usage accounts for). */
  pcm: Buffer;
  transcript: string;
  /** `response.create` → first delta. Default 400. */
  firstAudioMs?: number;
  /** Audio per delta in bytes. Default 9600 (200 ms). */
  chunkBytes?: number;
  /** Wall time between deltas. Default 50. */
  intervalMs?: number;
  /** Explicit delta times (override `firstAudioMs` / `intervalMs`). */
  times?: number[];
  /** Deliver only the first `keepBytes` of the audio; transcript and usage stay complete. */
  keepBytes?: number;
  /**
   * Audio tokens in usage; default as the real service counts: the generated audio at 20 tokens per second (1 per
   * 50 ms) plus {@link AUDIO_TOKEN_OVERHEAD} tokens of per-item overhead. Null: no usage.
   */
  audioTokens?: number | null;
  status?: 'completed' | 'failed' | 'incomplete' | 'cancelled';
  statusDetails?: Record<string, unknown>;
  omitAudioDone?: boolean;
  omitResponseDone?: boolean;
  /** The `response.done` comes this long after the last delta. Default 3. */
  doneAfterMs?: number;
  responseId?: string;
  itemId?: string;
  modality?: OutputModality;
  /** Every n-th delta is sent twice, the copy byte-identical and right after it (repeated audio). */
  repeatEvery?: number;
}

export interface Played {
  createAt: number;
  deltaTimes: number[];
  doneAt: number | undefined;
  endAt: number;
}

/** Plays one manual turn into `b` (see {@link AnswerSpec}). */
export function answer(b: TraceBuilder, s: AnswerSpec): Played {
  const responseId = s.responseId ?? `resp_${s.turn}`;
  const itemId = s.itemId ?? `item_${s.turn}`;
  const text = (s.modality ?? 'audio') === 'text';
  b.startTurn(s.at, s.turn);
  b.send(s.at, 'input_audio_buffer.append', {}, { audioRef: { offset: 0, bytes: 48_000 } });
  b.send(s.at + 5, 'input_audio_buffer.commit');
  const createAt = s.at + 10;
  b.send(createAt, 'response.create');
  b.recv(createAt + 20, 'response.created', {
    response: { id: responseId, status: 'in_progress', conversation_id: 'conv_1' },
  });
  const chunk = s.chunkBytes ?? 9600;
  const keep = text ? 0 : Math.min(s.keepBytes ?? s.pcm.length, s.pcm.length);
  const n = Math.ceil(s.pcm.length / chunk);
  const times =
    s.times ?? Array.from({ length: n }, (_, i) => createAt + (s.firstAudioMs ?? 400) + i * (s.intervalMs ?? 50));
  const words = s.transcript.match(/\s*\S+/g) ?? [];
  const ids = { response_id: responseId, item_id: itemId };
  const deltaTimes: number[] = [];
  let w = 0;
  for (let i = 0; i < n; i++) {
    const t = times[i]!;
    // Each word's transcript goes out just before the delta that holds its share of the audio.
    for (; w < words.length && w < Math.ceil(((i + 1) * words.length) / n); w++) {
      b.recv(t - 0.5, text ? 'response.output_text.delta' : 'response.output_audio_transcript.delta', {
        ...ids,
        delta: words[w],
      });
    }
    if (i * chunk < keep) {
      const pcm = s.pcm.subarray(i * chunk, Math.min((i + 1) * chunk, keep));
      b.delta(t, pcm, responseId, itemId);
      if (s.repeatEvery && (i + 1) % s.repeatEvery === 0) b.delta(t + 1, pcm, responseId, itemId);
      deltaTimes.push(t);
    }
  }
  const last = times[n - 1] ?? createAt + 400;
  if (!text && !s.omitAudioDone) b.recv(last + 1, 'response.output_audio.done', ids);
  b.recv(last + 2, text ? 'response.output_text.done' : 'response.output_audio_transcript.done', {
    ...ids,
    [text ? 'text' : 'transcript']: s.transcript,
  });
  let doneAt: number | undefined;
  if (!s.omitResponseDone) {
    doneAt = last + (s.doneAfterMs ?? 3);
    const tokens = s.audioTokens === undefined ? realAudioTokens(s.pcm) : s.audioTokens;
    const status = s.status ?? 'completed';
    b.recv(doneAt, 'response.done', {
      response: {
        id: responseId,
        status,
        status_details: s.statusDetails ?? (status === 'completed' ? null : { type: status }),
        conversation_id: 'conv_1',
        ...(tokens === null
          ? {}
          : { usage: { output_token_details: { audio_tokens: text ? 0 : tokens, text_tokens: 20 } } }),
      },
    });
  }
  const endAt = (doneAt ?? last) + 300;
  if (doneAt !== undefined) b.endTurn(endAt);
  return { createAt, deltaTimes, doneAt, endAt };
}

/** A complete healthy session of `turns` turns, one `answer()` each, closed by the probe. */
export function healthySession(
  pcm: Buffer,
  transcript: string,
  turns = 1,
  o: BuilderOptions = {},
): { b: TraceBuilder; played: Played[] } {
  const b = new TraceBuilder(o).connect();
  b.send(70, 'session.update');
  b.recv(90, 'session.updated');
  const played: Played[] = [];
  let at = 100;
  for (let turn = 1; turn <= turns; turn++) {
    const p = answer(b, { turn, at, pcm, transcript });
    played.push(p);
    at = p.endAt + 1;
  }
  b.close(at + 5, 1000, 'probe finished', 'client').sessionEnd(at + 6);
  return { b, played };
}
