/**
 * Payload shapes of the simulator's server events, per dialect (protocol brief §3.2–3.4). Event *names* are
 * never decided here: callers pass normalized names to `wireEventType` (src/realtime/events.ts).
 */
import { AUDIO_TOKEN_OVERHEAD_PER_ITEM, INPUT_AUDIO_TOKENS_PER_S, OUTPUT_AUDIO_TOKENS_PER_S } from '../cost/rates.js';
import type { Dialect } from '../realtime/flavours.js';

export type Eagerness = 'low' | 'medium' | 'high' | 'auto';

/**
 * Turn detection as the simulator tracks it. `threshold` and `silence_duration_ms` drive the energy VAD for
 * both types; a `semantic_vad` session reports only `eagerness` (its silence comes from `eagerness`).
 */
export interface VadConfig {
  type: 'server_vad' | 'semantic_vad';
  threshold: number;
  prefix_padding_ms: number;
  silence_duration_ms: number;
  create_response: boolean;
  interrupt_response: boolean;
  eagerness?: Eagerness;
}

/** The session as the simulator tracks it (dialect-neutral). */
export interface SessionConfig {
  id: string;
  model: string;
  modality: 'audio' | 'text';
  voice: string;
  instructions: string;
  turnDetection: VadConfig | null;
  transcriptionModel: string | null;
  expiresAt: number;
}

/** The service's default: server VAD on, 0.5 / 300 / 200 ms (BRAVE and LLMGW `session.created`). */
export const DEFAULT_VAD: VadConfig = {
  type: 'server_vad',
  threshold: 0.5,
  prefix_padding_ms: 300,
  silence_duration_ms: 200,
  create_response: true,
  interrupt_response: true,
};

/** The silence the energy VAD waits for under `semantic_vad`, by eagerness (our model; the service's is semantic). */
export const EAGERNESS_SILENCE_MS: Readonly<Record<Eagerness, number>> = {
  low: 1000,
  medium: 500,
  high: 200,
  auto: 500,
};

const PCM_FORMAT = { type: 'audio/pcm', rate: 24000 };

/** `turn_detection` as a session reports it: GA key order for server VAD, `eagerness` only for semantic VAD. */
export function turnDetectionObject(dialect: Dialect, td: VadConfig | null): Record<string, unknown> | null {
  if (!td) return null;
  if (td.type === 'semantic_vad')
    return {
      type: 'semantic_vad',
      eagerness: td.eagerness ?? 'auto',
      create_response: td.create_response,
      interrupt_response: td.interrupt_response,
    };
  const common = {
    type: td.type,
    threshold: td.threshold,
    prefix_padding_ms: td.prefix_padding_ms,
    silence_duration_ms: td.silence_duration_ms,
  };
  return dialect === 'ga'
    ? {
        ...common,
        idle_timeout_ms: null,
        create_response: td.create_response,
        interrupt_response: td.interrupt_response,
      }
    : { ...common, create_response: td.create_response, interrupt_response: td.interrupt_response };
}

/** The `session` object of `session.created` / `session.updated`. */
export function sessionObject(dialect: Dialect, s: SessionConfig): Record<string, unknown> {
  if (dialect === 'ga') {
    return {
      type: 'realtime',
      object: 'realtime.session',
      id: s.id,
      model: s.model,
      output_modalities: [s.modality],
      instructions: s.instructions,
      tools: [],
      tool_choice: 'auto',
      max_output_tokens: 'inf',
      tracing: null,
      truncation: 'auto',
      prompt: null,
      expires_at: s.expiresAt,
      audio: {
        input: {
          format: PCM_FORMAT,
          transcription: s.transcriptionModel ? { model: s.transcriptionModel } : null,
          noise_reduction: null,
          turn_detection: turnDetectionObject('ga', s.turnDetection),
        },
        output: { format: PCM_FORMAT, voice: s.voice, speed: 1 },
      },
      include: null,
    };
  }
  return {
    id: s.id,
    object: 'realtime.session',
    expires_at: s.expiresAt,
    input_audio_noise_reduction: null,
    turn_detection: turnDetectionObject('beta', s.turnDetection),
    input_audio_format: 'pcm16',
    input_audio_transcription: s.transcriptionModel ? { model: s.transcriptionModel } : null,
    client_secret: null,
    include: null,
    model: s.model,
    modalities: s.modality === 'audio' ? ['audio', 'text'] : ['text'],
    instructions: s.instructions,
    voice: s.voice,
    output_audio_format: 'pcm16',
    tool_choice: 'auto',
    temperature: 0.8,
    max_response_output_tokens: 'inf',
    speed: 1,
    tracing: null,
    tools: [],
  };
}

/** GA wire items carry no `object` key (BRAVE, LLMGW); beta items carry `object: "realtime.item"`. */
function item(
  dialect: Dialect,
  fields: { id: string; status: string; role: string; content: unknown[] },
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
  },
): Record<string, unknown> {
  const content =
    it.status === 'in_progress'
      ? []
      : it.modality === 'audio'
        ? [{ type: dialect === 'ga' ? 'output_audio' : 'audio', transcript: it.transcript }]
        : [{ type: dialect === 'ga' ? 'output_text' : 'text', text: it.transcript }];
  return item(dialect, { id: it.id, status: it.status, role: 'assistant', content });
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

/** `usage` of `response.done`: input and output audio tokens at the rates table's rates, plus its special tokens per audio item. */
export function usage(u: {
  inputAudioMs: number;
  inputText: string;
  outputAudioMs: number;
  outputAudioItems: number;
  outputText: string;
}): Record<string, unknown> {
  const inAudio =
    u.inputAudioMs > 0
      ? Math.round((u.inputAudioMs / 1000) * INPUT_AUDIO_TOKENS_PER_S) + AUDIO_TOKEN_OVERHEAD_PER_ITEM
      : 0;
  const inText = textTokens(u.inputText);
  const outAudio = outputAudioTokens(u.outputAudioMs, u.outputAudioItems);
  const outText = textTokens(u.outputText);
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

/** The `failed` message: Azure GA's short form (MS Q&A 5821653), OpenAI's 2025+ wording (openai-realtime-api-beta#116). */
export function failedMessage(azure: boolean, sessionId: string): string {
  return azure
    ? 'The server had an error while processing your request.'
    : 'The server had an error while processing your request. Sorry about that! Please contact us through our help ' +
        'center at help.openai.com if the error persists. ' +
        `(include session ID in your message: ${sessionId}). We recommend you retry your request.`;
}

/** `status_details` for a final status, as the service words it. */
export function statusDetails(
  status: ResponseStatus,
  reason: string | undefined,
  sessionId: string,
  azure: boolean,
): Record<string, unknown> | null {
  switch (status) {
    case 'in_progress':
    case 'completed':
      return null;
    case 'cancelled':
      return { type: 'cancelled', reason: reason ?? 'turn_detected' };
    case 'incomplete':
      return { type: 'incomplete', reason: reason ?? 'max_output_tokens' };
    case 'failed':
      return {
        type: 'failed',
        error: {
          type: 'server_error',
          code: reason ?? null,
          message: failedMessage(azure, sessionId),
        },
      };
  }
}

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
      audio: { output: { format: PCM_FORMAT, voice: r.session.voice } },
      usage: r.usage,
      metadata: null,
    };
  }
  return {
    ...common,
    modalities: r.session.modality === 'audio' ? ['audio', 'text'] : ['text'],
    voice: r.session.voice,
    output_audio_format: 'pcm16',
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
