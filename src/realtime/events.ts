/**
 * One normalized event vocabulary for the whole product. The GA names are the normalized names;
 * beta / Azure preview names are mapped here and nowhere else.
 */
import { strAt } from '../json.js';
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

/** The output audio formats the probe can ask for: PCM16 at 24 kHz (default), or G.711 μ-law at 8 kHz. */
export const OUTPUT_AUDIO_FORMATS = ['pcm16', 'pcmu'] as const;
export type OutputAudioFormat = (typeof OUTPUT_AUDIO_FORMATS)[number];

/** Each format as `session.update` names it: GA `audio.output.format`, beta `output_audio_format`. */
const OUTPUT_FORMAT_WIRE: Readonly<Record<OutputAudioFormat, { ga: Record<string, unknown>; beta: string }>> = {
  pcm16: { ga: { type: 'audio/pcm', rate: 24000 }, beta: 'pcm16' },
  pcmu: { ga: { type: 'audio/pcmu' }, beta: 'g711_ulaw' },
};

/** Wire names of G.711 μ-law output (GA, beta): audio the probe decodes to PCM16 when a session says it sends it. */
export const MU_LAW_FORMAT_NAMES: readonly string[] = ['audio/pcmu', 'g711_ulaw'];

/**
 * The output audio format a `session.update` asks for or a `session.created` / `session.updated` declares, as named
 * on the wire (GA `session.audio.output.format.type`, beta `session.output_audio_format`); undefined when none.
 */
export function sessionOutputFormat(event: Record<string, unknown>): string | undefined {
  return strAt(event, 'session', 'audio', 'output', 'format', 'type') ?? strAt(event, 'session', 'output_audio_format');
}

export interface SessionOptions {
  instructions: string;
  voice: string;
  turnDetection: TurnDetection;
  modality: OutputModality;
  /** Default `pcm16`. */
  outputFormat?: OutputAudioFormat;
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
  const output = OUTPUT_FORMAT_WIRE[o.outputFormat ?? 'pcm16'];
  if (dialect === 'ga') {
    return {
      type: 'session.update',
      session: {
        type: 'realtime',
        output_modalities: [o.modality],
        instructions: o.instructions,
        audio: {
          input: { format: { type: 'audio/pcm', rate: 24000 }, turn_detection: turnDetection },
          output: { format: output.ga, voice: o.voice },
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
      output_audio_format: output.beta,
      turn_detection: turnDetection,
    },
  };
}
