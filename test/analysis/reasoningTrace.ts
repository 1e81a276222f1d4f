/**
 * Reasoning-model turns for tests: assistant items with a `phase` (a spoken `commentary` preamble, then the
 * `final_answer`) on `response.output_item.added` / `.done`, `conversation.item.added` and `response.done` output,
 * with the reasoning pause between them placed as the listener hears it — and the 2.x generation's faults: a turn
 * that ends after the preamble, a generation announced without audio, a second response nobody asked for.
 */
import { TraceBuilder, realAudioTokens } from './traceBuilder.js';
import { BYTES_PER_MS } from './synthPcm.js';

/** The playback model's default jitter buffer: the listener starts playing this long after the first delta. */
export const LISTENER_JITTER_MS = 100;

export type Phase = 'commentary' | 'final_answer';

export interface PhasedItem {
  /** Omitted: the item carries no phase (a non-reasoning model). */
  phase?: Phase;
  pcm: Buffer;
  transcript: string;
  /**
   * Silence a listener hears between the previous item's audio and this one's, delivery being ahead of real time: this
   * item's first delta comes the previous item's length plus the pause after the previous item's first delta (as the
   * simulator times it: the listener starts each item at its first delta plus the same jitter buffer). Default 0.
   */
  pauseMs?: number;
  /** Explicit delta times (override the pacing). */
  times?: number[];
  /** Announce the item and its transcript but send none of its audio. */
  noAudio?: boolean;
  /** The item comes in a further response nobody asked for (no `response.create`), after the previous one's done. */
  newResponse?: boolean;
}

export interface PhasedTurn {
  turn: number;
  /** Turn start; `response.create` at +10. */
  at: number;
  items: PhasedItem[];
  /** `response.create` → first delta. Default 400. */
  firstAudioMs?: number;
  /** Bytes per delta (default 9600 = 200 ms) and wall time between deltas (default 50: 4× real time). */
  chunkBytes?: number;
  intervalMs?: number;
  /** Output audio tokens per response, overriding what the items' audio implies. */
  audioTokens?: number;
}

export interface PhasedPlayed {
  createAt: number;
  /** Each item's first delta time (undefined for an item without audio). */
  firstDeltaAt: (number | undefined)[];
  endAt: number;
}

interface Group {
  id: string;
  items: { spec: PhasedItem; id: string }[];
}

/** Plays one manual turn of a reasoning model into `b`. */
export function phasedAnswer(b: TraceBuilder, s: PhasedTurn): PhasedPlayed {
  b.startTurn(s.at, s.turn);
  b.send(s.at, 'input_audio_buffer.append', {}, { audioRef: { offset: 0, bytes: 48_000 } });
  b.send(s.at + 5, 'input_audio_buffer.commit');
  const createAt = s.at + 10;
  b.send(createAt, 'response.create');
  const groups: Group[] = [];
  s.items.forEach((spec, i) => {
    if (!groups.length || spec.newResponse) groups.push({ id: `resp_${s.turn}_${groups.length + 1}`, items: [] });
    groups[groups.length - 1]!.items.push({ spec, id: `item_${s.turn}_${i + 1}` });
  });
  const chunk = s.chunkBytes ?? 9600;
  const firstDeltaAt: (number | undefined)[] = [];
  let heardEnd: number | undefined; // when the previous item's audio ends, for a listener starting at its first delta
  let next = createAt + (s.firstAudioMs ?? 400);
  let lastDone = createAt;
  groups.forEach((g, gi) => {
    if (gi > 0) {
      const first = g.items[0]!.spec;
      next = Math.max(lastDone + 40, heardEnd === undefined ? next : heardEnd + (first.pauseMs ?? 0));
    }
    b.recv(gi === 0 ? createAt + 20 : next - 30, 'response.created', { response: { id: g.id, status: 'in_progress' } });
    let end = next;
    for (const { spec, id } of g.items) {
      if (heardEnd !== undefined) next = Math.max(next, heardEnd + (spec.pauseMs ?? 0));
      const n = Math.ceil(spec.pcm.length / chunk);
      const times = spec.times ?? Array.from({ length: n }, (_, k) => next + k * (s.intervalMs ?? 50));
      const ids = { response_id: g.id, item_id: id };
      const item = { id, type: 'message', role: 'assistant', ...(spec.phase ? { phase: spec.phase } : {}) };
      b.recv(times[0]! - 5, 'response.output_item.added', {
        response_id: g.id,
        item: { ...item, status: 'in_progress', content: [] },
      });
      b.recv(times[0]! - 4, 'conversation.item.added', { item: { ...item, status: 'in_progress', content: [] } });
      const words = spec.transcript.match(/\s*\S+/g) ?? [];
      let w = 0;
      for (let k = 0; k < n; k++) {
        for (; w < words.length && w < Math.ceil(((k + 1) * words.length) / n); w++)
          b.recv(times[k]! - 0.5, 'response.output_audio_transcript.delta', { ...ids, delta: words[w] });
        if (!spec.noAudio)
          b.delta(times[k]!, spec.pcm.subarray(k * chunk, Math.min((k + 1) * chunk, spec.pcm.length)), g.id, id);
      }
      const last = times[n - 1]!;
      if (!spec.noAudio) b.recv(last + 1, 'response.output_audio.done', ids);
      b.recv(last + 2, 'response.output_audio_transcript.done', { ...ids, transcript: spec.transcript });
      b.recv(last + 2.5, 'response.output_item.done', { response_id: g.id, item: { ...item, status: 'completed' } });
      firstDeltaAt.push(spec.noAudio ? undefined : times[0]);
      heardEnd = spec.noAudio ? last : times[0]! + spec.pcm.length / BYTES_PER_MS;
      end = last + 3;
      next = end;
    }
    const tokens = s.audioTokens ?? g.items.reduce((sum, x) => sum + realAudioTokens(x.spec.pcm), 0);
    lastDone = end + 3;
    b.recv(lastDone, 'response.done', {
      response: {
        id: g.id,
        status: 'completed',
        status_details: null,
        output: g.items.map(({ spec, id }) => ({
          id,
          type: 'message',
          role: 'assistant',
          status: 'completed',
          ...(spec.phase ? { phase: spec.phase } : {}),
          content: [{ type: 'output_audio', transcript: spec.transcript }],
        })),
        usage: { output_token_details: { audio_tokens: tokens, text_tokens: 20 } },
      },
    });
    next = lastDone + 1;
  });
  const endAt = lastDone + 300;
  b.endTurn(endAt);
  return { createAt, firstDeltaAt, endAt };
}

/** A session of one reasoning turn at t = 100, closed by the probe afterwards. */
export function phasedSession(spec: Omit<PhasedTurn, 'turn' | 'at'>, b = new TraceBuilder().connect()): TraceBuilder {
  const p = phasedAnswer(b, { turn: 1, at: 100, ...spec });
  return b.close(p.endAt + 5, 1000, 'probe finished', 'client').sessionEnd(p.endAt + 6);
}
