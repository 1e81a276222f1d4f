/**
 * One normalized event vocabulary for the whole product. The GA names are the normalized names;
 * beta / Azure preview names are mapped here and nowhere else.
 */
import type { Dialect } from './flavours.js';

/** beta wire name → normalized (GA) name. Everything not listed is the same in both dialects. */
const BETA_TO_NORMALIZED: Readonly<Record<string, string>> = {
  'response.audio.delta': 'response.output_audio.delta',
  'response.audio.done': 'response.output_audio.done',
  'response.audio_transcript.delta': 'response.output_audio_transcript.delta',
  'response.audio_transcript.done': 'response.output_audio_transcript.done',
  'response.text.delta': 'response.output_text.delta',
  'response.text.done': 'response.output_text.done',
  'conversation.item.created': 'conversation.item.added',
};

const NORMALIZED_TO_BETA: Readonly<Record<string, string>> = Object.fromEntries(
  Object.entries(BETA_TO_NORMALIZED).map(([beta, ga]) => [ga, beta]),
);

/** Normalizes a server event type received in `dialect`. GA servers may still send `conversation.item.created`. */
export function normalizeEventType(wireType: string, _dialect: Dialect): string {
  return BETA_TO_NORMALIZED[wireType] ?? wireType;
}

/**
 * The wire name of a normalized server event in `dialect`, or `null` when the dialect has no such event
 * (beta has no `conversation.item.done`).
 */
export function wireEventType(normalized: string, dialect: Dialect): string | null {
  if (dialect === 'ga') return normalized;
  if (normalized === 'conversation.item.done') return null;
  return NORMALIZED_TO_BETA[normalized] ?? normalized;
}

/** Normalized names the analysis keys on. */
export const EV = {
  sessionCreated: 'session.created',
  sessionUpdated: 'session.updated',
  committed: 'input_audio_buffer.committed',
  speechStarted: 'input_audio_buffer.speech_started',
  speechStopped: 'input_audio_buffer.speech_stopped',
  itemAdded: 'conversation.item.added',
  itemDone: 'conversation.item.done',
  responseCreated: 'response.created',
  rateLimits: 'rate_limits.updated',
  outputItemAdded: 'response.output_item.added',
  outputItemDone: 'response.output_item.done',
  contentPartAdded: 'response.content_part.added',
  contentPartDone: 'response.content_part.done',
  audioDelta: 'response.output_audio.delta',
  audioDone: 'response.output_audio.done',
  transcriptDelta: 'response.output_audio_transcript.delta',
  transcriptDone: 'response.output_audio_transcript.done',
  textDelta: 'response.output_text.delta',
  textDone: 'response.output_text.done',
  responseDone: 'response.done',
  error: 'error',
} as const;

export type TurnDetection = 'manual' | 'server_vad';
export type OutputModality = 'audio' | 'text';

export interface SessionOptions {
  instructions: string;
  voice: string;
  turnDetection: TurnDetection;
  modality: OutputModality;
}

const SERVER_VAD = {
  type: 'server_vad',
  threshold: 0.5,
  prefix_padding_ms: 300,
  silence_duration_ms: 500,
  create_response: true,
};

/** The `session.update` client event in the shape each dialect expects. */
export function sessionUpdateEvent(dialect: Dialect, o: SessionOptions): Record<string, unknown> {
  const turnDetection = o.turnDetection === 'server_vad' ? { ...SERVER_VAD, interrupt_response: false } : null;
  if (dialect === 'ga') {
    return {
      type: 'session.update',
      session: {
        type: 'realtime',
        output_modalities: [o.modality],
        instructions: o.instructions,
        audio: {
          input: { format: { type: 'audio/pcm', rate: 24000 }, turn_detection: turnDetection },
          output: { format: { type: 'audio/pcm', rate: 24000 }, voice: o.voice },
        },
      },
    };
  }
  return {
    type: 'session.update',
    session: {
      modalities: o.modality === 'audio' ? ['text', 'audio'] : ['text'],
      instructions: o.instructions,
      voice: o.voice,
      input_audio_format: 'pcm16',
      output_audio_format: 'pcm16',
      turn_detection: turnDetection,
    },
  };
}
