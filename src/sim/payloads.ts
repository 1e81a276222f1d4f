/**
 * Payload shapes of the simulator's server events, per dialect (protocol brief §3.2–3.4). Event *names* are
 * never decided here: callers pass normalized names to `wireEventType` (src/realtime/events.ts).
 */
import { AUDIO_TOKEN_OVERHEAD_PER_ITEM, INPUT_AUDIO_TOKENS_PER_S, OUTPUT_AUDIO_TOKENS_PER_S } from '../cost/rates.js';
import type { Dialect } from '../realtime/flavours.js';
import { BETA_FORMAT_NAMES, formatObject, type SessionConfig } from './session-payloads.js';

/** An output item's role in a reasoning model's answer (Azure "GPT Realtime 2.x": `commentary` or `final_answer`). */
export type Phase = 'commentary' | 'final_answer';

/**
 * GA wire items carry no `object` key (BRAVE, LLMGW); beta items carry `object: "realtime.item"`. A reasoning
 * model's items carry `phase` after `role` (no capture shows its place; the key is what clients read).
 */
function item(
  dialect: Dialect,
  fields: { id: string; status: string; role: string; phase?: Phase; content: unknown[] },
): Record<string, unknown> {
  const { id, ...rest } = fields;
  return dialect === 'ga'
    ? { id, type: 'message', ...rest }
    : { id, object: 'realtime.item', type: 'message', ...rest };
}

/** An assistant message item; `content` is empty while in progress. */
export function assistantItem(
  dialect: Dialect,
  it: {
    id: string;
    status: 'in_progress' | 'completed' | 'incomplete';
    modality: 'audio' | 'text';
    transcript: string;
    phase?: Phase;
  },
): Record<string, unknown> {
  const content =
    it.status === 'in_progress'
      ? []
      : it.modality === 'audio'
        ? [{ type: dialect === 'ga' ? 'output_audio' : 'audio', transcript: it.transcript }]
        : [{ type: dialect === 'ga' ? 'output_text' : 'text', text: it.transcript }];
  const phase = it.phase ? { phase: it.phase } : {};
  return item(dialect, { id: it.id, status: it.status, role: 'assistant', ...phase, content });
}

/** A user item made from committed input audio or from `conversation.item.create` (its content as given). */
export function userItem(
  dialect: Dialect,
  id: string,
  content: unknown[] = [{ type: 'input_audio', transcript: null }],
): Record<string, unknown> {
  return item(dialect, { id, status: 'completed', role: 'user', content });
}

/** The content part of `response.content_part.added` / `.done`. */
export function contentPart(modality: 'audio' | 'text', transcript: string): Record<string, unknown> {
  return modality === 'audio' ? { type: 'audio', transcript } : { type: 'text', text: transcript };
}

/** Rough text token count (4 characters a token). */
export function textTokens(text: string): number {
  return Math.ceil(text.length / 4);
}

/**
 * Output audio tokens for `audioMs` of assistant audio in `items` items, at the rates table's audio token rates
 * (../cost/rates.ts, OpenAI's "Managing costs" guide) plus its special tokens per audio item (output: per assistant
 * item; input: per user turn).
 */
export function outputAudioTokens(audioMs: number, items: number): number {
  return audioMs > 0
    ? Math.round((audioMs / 1000) * OUTPUT_AUDIO_TOKENS_PER_S) + AUDIO_TOKEN_OVERHEAD_PER_ITEM * items
    : 0;
}

/** Input transcription usage: whisper-1 bills by duration, the gpt-4o-*-transcribe models by tokens (LLMGW). */
export function transcriptionUsage(model: string, audioMs: number, transcript: string): Record<string, unknown> {
  if (model === 'whisper-1') return { type: 'duration', seconds: Math.ceil(audioMs / 1000) };
  const audio = Math.round((audioMs / 1000) * INPUT_AUDIO_TOKENS_PER_S);
  const out = textTokens(transcript);
  return {
    type: 'tokens',
    total_tokens: audio + out,
    input_tokens: audio,
    input_token_details: { text_tokens: 0, audio_tokens: audio },
    output_tokens: out,
  };
}

/**
 * `usage` of `response.done`: input and output audio tokens at the rates table's rates, plus its special tokens per
 * audio item. A reasoning model's reasoning tokens are counted inside `output_token_details.text_tokens`
 * (realtime-wire-2026.md §1.2): the realtime usage has no `reasoning_tokens` field.
 */
export function usage(u: {
  inputAudioMs: number;
  inputText: string;
  outputAudioMs: number;
  outputAudioItems: number;
  outputText: string;
  reasoningTokens?: number;
}): Record<string, unknown> {
  const inAudio =
    u.inputAudioMs > 0
      ? Math.round((u.inputAudioMs / 1000) * INPUT_AUDIO_TOKENS_PER_S) + AUDIO_TOKEN_OVERHEAD_PER_ITEM
      : 0;
  const inText = textTokens(u.inputText);
  const outAudio = outputAudioTokens(u.outputAudioMs, u.outputAudioItems);
  const outText = textTokens(u.outputText) + (u.reasoningTokens ?? 0);
  return {
    total_tokens: inAudio + inText + outAudio + outText,
    input_tokens: inAudio + inText,
    output_tokens: outAudio + outText,
    input_token_details: {
      text_tokens: inText,
      audio_tokens: inAudio,
      image_tokens: 0,
      cached_tokens: 0,
      cached_tokens_details: { text_tokens: 0, audio_tokens: 0, image_tokens: 0 },
    },
    output_token_details: { text_tokens: outText, audio_tokens: outAudio },
  };
}

export type ResponseStatus = 'in_progress' | 'completed' | 'cancelled' | 'failed' | 'incomplete';

/** The `response` object of `response.created` / `response.done`. */
export function responseObject(
  dialect: Dialect,
  r: {
    id: string;
    status: ResponseStatus;
    statusDetails: Record<string, unknown> | null;
    output: unknown[];
    conversationId: string;
    session: SessionConfig;
    usage: unknown;
  },
): Record<string, unknown> {
  const common = {
    object: 'realtime.response',
    id: r.id,
    status: r.status,
    status_details: r.statusDetails,
    output: r.output,
    conversation_id: r.conversationId,
  };
  if (dialect === 'ga') {
    // Wire order (BRAVE): …, output_modalities, max_output_tokens, audio, usage, metadata.
    return {
      ...common,
      output_modalities: [r.session.modality],
      max_output_tokens: 'inf',
      audio: { output: { format: formatObject(r.session.outputFormat), voice: r.session.voice } },
      usage: r.usage,
      metadata: null,
    };
  }
  return {
    ...common,
    modalities: r.session.modality === 'audio' ? ['audio', 'text'] : ['text'],
    voice: r.session.voice,
    output_audio_format: BETA_FORMAT_NAMES[r.session.outputFormat],
    temperature: 0.8,
    max_output_tokens: 'inf',
    metadata: null,
    usage: r.usage,
  };
}

/**
 * `rate_limits.updated` limits after `responses` responses: GA has a `tokens` entry only (BRAVE, LLMGW); beta
 * had `requests` and `tokens` (community thread 1094267).
 */
export function rateLimits(dialect: Dialect, responses: number): unknown[] {
  const tokens = {
    name: 'tokens',
    limit: 10_000_000,
    remaining: Math.max(0, 10_000_000 - 4096 * responses),
    reset_seconds: 0.052,
  };
  if (dialect === 'ga') return [tokens];
  return [{ name: 'requests', limit: 20000, remaining: Math.max(0, 20000 - responses), reset_seconds: 0.003 }, tokens];
}

/** The body of an `error` event. */
export interface ErrorBody {
  type: 'invalid_request_error' | 'server_error';
  code: string | null;
  message: string;
  param: string | null;
  event_id: string | null;
}
