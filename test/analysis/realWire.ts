/**
 * Traces shaped like the 2026 GA wire (../shared/reference/realtime-wire-2026.md, real-wire/ captures): the OpenAI
 * 101 with Cloudflare headers and no x-request-id, the GA end-of-item order (content_part.done →
 * conversation.item.done → response.output_item.done → response.done → rate_limits.updated 43 ms later), `obfuscation`
 * on transcript deltas, the full GA `usage` object at 20 audio tokens per second plus a few tokens of overhead,
 * deltas of ~370 ms delivered in bursts far ahead of real time with the transcript running slightly ahead.
 */
import { BYTES_PER_MS, realAudioTokens, TraceBuilder, type BuilderOptions } from './traceBuilder.js';

/** The OpenAI 101 headers, as LLMGW captured them (values invented, names real). */
export const OPENAI_101_HEADERS: Record<string, string> = {
  server: 'cloudflare',
  'cf-ray': '9a1b2c3d4e5f6789-MAA',
  'x-openai-proxy-wasm': 'v0.1',
  'cf-cache-status': 'DYNAMIC',
  'strict-transport-security': 'max-age=31536000; includeSubDomains; preload',
  'x-content-type-options': 'nosniff',
  'set-cookie': '[redacted]',
  'alt-svc': 'h3=":443"; ma=86400',
};

/** A builder with the OpenAI GA target and its 101, without `session.created` (tests add what follows). */
export function openAiUpgrade(o: BuilderOptions = {}, at = 895.7): TraceBuilder {
  const b = new TraceBuilder({ flavour: 'openai-ga', ...o });
  b.add(0, {
    kind: 'upgrade-request',
    url: 'wss://api.openai.com/v1/realtime?model=gpt-realtime',
    headers: { authorization: '[redacted]' },
  });
  b.add(at, { kind: 'upgrade-response', status: 101, statusText: 'Switching Protocols', headers: OPENAI_101_HEADERS });
  return b;
}

/** An OpenAI GA session: 101, `session.created` 2.6 ms later, `session.updated` ~260 ms after the update. */
export function openAiSession(o: BuilderOptions = {}): TraceBuilder {
  const b = openAiUpgrade(o, 888);
  b.recv(890.6, 'session.created', {
    event_id: 'event_Ct1OVqJmiaDhg4nkh3JWr',
    session: { type: 'realtime', object: 'realtime.session', id: 'sess_Ct1OVZ9vNW62W3cUpSCqj', model: 'gpt-realtime' },
  });
  b.send(891, 'session.update', { session: { type: 'realtime' } });
  b.recv(1153.7, 'session.updated', { session: { type: 'realtime' } });
  return b;
}

export interface RealTurn {
  turn: number;
  at: number;
  pcm: Buffer;
  transcript: string;
  /** Audio per delta, ms. Default 370 (gpt-realtime-2, one client log). */
  deltaMs?: number;
  /** Delivery: bursts of `count` deltas spread over `withinMs`, then `pauseMs` of nothing. Default: 9 in 300 ms, 250 ms pause. */
  burst?: { count: number; withinMs: number; pauseMs: number };
  /** Explicit delta arrival times, relative to `response.create` (override `burst`). */
  times?: number[];
  /** The transcript is spread over the deltas of the first `spokenMs` of audio (default: all of it). */
  spokenMs?: number;
  /** The last N deltas never arrive (transcript and usage stay complete). */
  dropLast?: number;
  /** Output audio tokens; default the generated audio at 20/s + 3 tokens of overhead. */
  audioTokens?: number;
  /** Time to first audio after response.create. Default 520 (LLMGW: response.created 280 ms, first delta ~476 ms). */
  firstAudioMs?: number;
  status?: 'completed' | 'incomplete' | 'failed';
  statusDetails?: Record<string, unknown> | null;
}

/** Delta arrival times (relative to the first) for `n` deltas delivered in bursts. */
export function burstTimes(n: number, burst = { count: 9, withinMs: 300, pauseMs: 250 }): number[] {
  const out: number[] = [];
  const step = burst.count > 1 ? burst.withinMs / (burst.count - 1) : 0;
  for (let i = 0, t = 0; i < n; i++) {
    const k = i % burst.count;
    if (i > 0 && k === 0) t += burst.pauseMs;
    out.push(t + k * step);
    if (k === burst.count - 1) t += burst.withinMs;
  }
  return out;
}

/** Plays one manual GA turn into `b`; returns when response.done arrived and when the turn ended. */
export function realTurn(b: TraceBuilder, s: RealTurn): { doneAt: number; endAt: number; deltaTimes: number[] } {
  const rid = `resp_Ct1Ok${s.turn}hbgNQBuFX2HeE0P9`;
  const iid = `item_Ct1Ok${s.turn}NEvGW5s0xZERnV95`;
  const ids = { response_id: rid, item_id: iid, output_index: 0, content_index: 0 };
  const chunk = Math.round((s.deltaMs ?? 370) * BYTES_PER_MS);
  const n = Math.ceil(s.pcm.length / chunk);
  const createAt = s.at + 10;
  b.startTurn(s.at, s.turn);
  b.send(s.at, 'input_audio_buffer.append', {}, { audioRef: { offset: 0, bytes: 48_000 } });
  b.send(s.at + 5, 'input_audio_buffer.commit');
  b.recv(s.at + 260, 'input_audio_buffer.committed', { item_id: `item_user${s.turn}` });
  b.send(createAt, 'response.create');
  b.recv(createAt + 280, 'response.created', {
    response: {
      object: 'realtime.response',
      id: rid,
      status: 'in_progress',
      status_details: null,
      output: [],
      conversation_id: 'conv_Ct1O',
      usage: null,
    },
  });
  const first = createAt + (s.firstAudioMs ?? 520);
  b.recv(first - 3, 'response.output_item.added', {
    response_id: rid,
    output_index: 0,
    item: { id: iid, type: 'message', status: 'in_progress', role: 'assistant', content: [] },
  });
  b.recv(first - 2, 'conversation.item.added', {
    item: { id: iid, type: 'message', status: 'in_progress', role: 'assistant', content: [] },
  });
  b.recv(first - 1, 'response.content_part.added', { ...ids, part: { type: 'audio', transcript: '' } });
  const rel = s.times ?? burstTimes(n, s.burst);
  const words = s.transcript.match(/\s*\S+/g) ?? [];
  const keep = n - (s.dropLast ?? 0);
  const spoken = Math.min(n, Math.ceil(((s.spokenMs ?? Infinity) * BYTES_PER_MS) / chunk));
  const deltaTimes: number[] = [];
  let w = 0;
  for (let i = 0; i < n; i++) {
    const t = first + rel[i]!;
    // The transcript runs slightly ahead: the words of the next delta go out with this one.
    for (; w < words.length && w < Math.ceil(((i + 2) * words.length) / spoken); w++) {
      b.recv(t - 0.4, 'response.output_audio_transcript.delta', {
        ...ids,
        delta: words[w],
        obfuscation: 'LBqdwEYsSEHbF',
      });
    }
    if (i < keep) {
      b.delta(t, s.pcm.subarray(i * chunk, Math.min((i + 1) * chunk, s.pcm.length)), rid, iid);
      deltaTimes.push(t);
    }
  }
  const last = first + rel[n - 1]!;
  b.recv(last + 1, 'response.output_audio.done', ids);
  b.recv(last + 1.2, 'response.output_audio_transcript.done', { ...ids, transcript: s.transcript });
  b.recv(last + 1.3, 'response.content_part.done', { ...ids, part: { type: 'audio', transcript: s.transcript } });
  b.recv(last + 2.3, 'conversation.item.done', {
    item: { id: iid, type: 'message', status: 'completed', role: 'assistant' },
  });
  b.recv(last + 3.5, 'response.output_item.done', {
    response_id: rid,
    output_index: 0,
    item: { id: iid, status: 'completed' },
  });
  const audioTokens = s.audioTokens ?? realAudioTokens(s.pcm);
  const status = s.status ?? 'completed';
  const doneAt = last + 7.2;
  b.recv(doneAt, 'response.done', {
    response: {
      object: 'realtime.response',
      id: rid,
      status,
      status_details: s.statusDetails ?? null,
      output: [{ id: iid, type: 'message', status, role: 'assistant' }],
      conversation_id: 'conv_Ct1O',
      output_modalities: ['audio'],
      max_output_tokens: 'inf',
      usage: {
        total_tokens: 132 + audioTokens + 41,
        input_tokens: 132,
        output_tokens: audioTokens + 41,
        input_token_details: {
          text_tokens: 59,
          audio_tokens: 73,
          image_tokens: 0,
          cached_tokens: 64,
          cached_tokens_details: { text_tokens: 0, audio_tokens: 64, image_tokens: 0 },
        },
        output_token_details: { text_tokens: 41, audio_tokens: audioTokens },
      },
      metadata: null,
    },
  });
  b.recv(doneAt + 43, 'rate_limits.updated', {
    rate_limits: [{ name: 'tokens', limit: 40000, remaining: 38490, reset_seconds: 2.265 }],
  });
  const endAt = doneAt + 300;
  b.endTurn(endAt);
  return { doneAt, endAt, deltaTimes };
}

/** A whole OpenAI GA session of real-shaped turns, closed by the probe. */
export function realSession(turns: Omit<RealTurn, 'turn' | 'at'>[], o: BuilderOptions = {}): TraceBuilder {
  const b = openAiSession(o);
  let at = 1200;
  turns.forEach((spec, i) => {
    at = realTurn(b, { turn: i + 1, at, ...spec }).endAt + 1;
  });
  return b.close(at + 5, 1000, '', 'client').sessionEnd(at + 6);
}
