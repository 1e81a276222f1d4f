/**
 * Payload shapes of the simulator's server events, per dialect (protocol brief §3.2–3.4). Event *names* are
 * never decided here: callers pass normalized names to `wireEventType` (src/realtime/events.ts).
 */
import type { Dialect } from '../realtime/flavours.js';

/** Server VAD settings as the session reports them. */
export interface VadConfig {
  type: 'server_vad' | 'semantic_vad';
  threshold: number;
  prefix_padding_ms: number;
  silence_duration_ms: number;
  create_response: boolean;
  interrupt_response: boolean;
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

/** The service's default: server VAD on. */
export const DEFAULT_VAD: VadConfig = {
  type: 'server_vad',
  threshold: 0.5,
  prefix_padding_ms: 300,
  silence_duration_ms: 500,
  create_response: true,
  interrupt_response: true,
};

/** Output audio tokens per second of audio (the simulator's accounting; the service does not document one). */
export const AUDIO_TOKENS_PER_SECOND = 10;
const PCM_FORMAT = { type: 'audio/pcm', rate: 24000 };

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
          turn_detection: s.turnDetection ? { ...s.turnDetection, idle_timeout_ms: null } : null,
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
    turn_detection: s.turnDetection,
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

/** An assistant message item; `content` is empty while in progress. */
export function assistantItem(
  dialect: Dialect,
  it: { id: string; status: 'in_progress' | 'completed' | 'incomplete'; modality: 'audio' | 'text'; transcript: string },
): Record<string, unknown> {
  const content =
    it.status === 'in_progress'
      ? []
      : it.modality === 'audio'
        ? [{ type: dialect === 'ga' ? 'output_audio' : 'audio', transcript: it.transcript }]
        : [{ type: dialect === 'ga' ? 'output_text' : 'text', text: it.transcript }];
  return { id: it.id, object: 'realtime.item', type: 'message', status: it.status, role: 'assistant', content };
}

/** A user item made from committed input audio or from `conversation.item.create`. */
export function userItem(id: string, text: string | undefined): Record<string, unknown> {
  const content = text === undefined ? [{ type: 'input_audio', transcript: null }] : [{ type: 'input_text', text }];
  return { id, object: 'realtime.item', type: 'message', status: 'completed', role: 'user', content };
}

/** The content part of `response.content_part.added` / `.done`. */
export function contentPart(modality: 'audio' | 'text', transcript: string): Record<string, unknown> {
  return modality === 'audio' ? { type: 'audio', transcript } : { type: 'text', text: transcript };
}

/** Rough text token count (4 characters a token). */
export function textTokens(text: string): number {
  return Math.ceil(text.length / 4);
}

/** `usage` of `response.done`: audio tokens follow the audio at AUDIO_TOKENS_PER_SECOND. */
export function usage(u: { inputAudioMs: number; inputText: string; outputAudioMs: number; outputText: string }): Record<string, unknown> {
  const inAudio = Math.round((u.inputAudioMs / 1000) * AUDIO_TOKENS_PER_SECOND);
  const inText = textTokens(u.inputText);
  const outAudio = Math.round((u.outputAudioMs / 1000) * AUDIO_TOKENS_PER_SECOND);
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

/** `status_details` for a final status, as the service words it. */
export function statusDetails(status: ResponseStatus, reason: string | undefined, sessionId: string): Record<string, unknown> | null {
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
          message:
            'The server had an error while processing your request. Sorry about that! You can retry your request, or contact us through our help center at help.openai.com if the error persists. ' +
            `(Please include the session ID ${sessionId} in your message.)`,
        },
      };
  }
}

/** The `response` object of `response.created` / `response.done`. */
export function responseObject(
  dialect: Dialect,
  r: { id: string; status: ResponseStatus; statusDetails: Record<string, unknown> | null; output: unknown[]; conversationId: string; session: SessionConfig; usage: unknown },
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
    return {
      ...common,
      output_modalities: [r.session.modality],
      audio: { output: { format: PCM_FORMAT, voice: r.session.voice } },
      max_output_tokens: 'inf',
      metadata: null,
      usage: r.usage,
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

/** `rate_limits.updated` limits after `responses` responses. */
export function rateLimits(responses: number): unknown[] {
  return [
    { name: 'requests', limit: 20000, remaining: Math.max(0, 20000 - responses), reset_seconds: 0.003 },
    { name: 'tokens', limit: 10_000_000, remaining: Math.max(0, 10_000_000 - 4096 * responses), reset_seconds: 0.052 },
  ];
}

/** The body of an `error` event. */
export interface ErrorBody {
  type: 'invalid_request_error' | 'server_error';
  code: string | null;
  message: string;
  param: string | null;
  event_id: string | null;
}
