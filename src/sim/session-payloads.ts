/**
 * The session's shapes as the simulator tracks and reports them, per dialect: turn detection, output formats, the
 * `session` object of `session.created` / `session.updated` (protocol brief §3.2; GA key order as captured).
 */
import type { Dialect } from '../realtime/flavours.js';
import type { ReasoningEffort } from './profiles.js';

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
  /** The output audio format asked for (default PCM16 24 kHz). */
  outputFormat: OutputFormat;
  /** `reasoning.effort` asked for (reasoning models; undefined: the model's default). */
  reasoningEffort: ReasoningEffort | undefined;
}

/** Output audio formats (GA names; beta: `pcm16`, `g711_ulaw`, `g711_alaw`). */
export const OUTPUT_FORMATS = ['audio/pcm', 'audio/pcmu', 'audio/pcma'] as const;
export type OutputFormat = (typeof OUTPUT_FORMATS)[number];
/** The beta dialect's name of each output format. */
export const BETA_FORMAT_NAMES: Readonly<Record<OutputFormat, string>> = {
  'audio/pcm': 'pcm16',
  'audio/pcmu': 'g711_ulaw',
  'audio/pcma': 'g711_alaw',
};

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

/** A GA `format` object: PCM carries its rate, G.711 formats do not. */
export function formatObject(f: OutputFormat): Record<string, unknown> {
  return f === 'audio/pcm' ? PCM_FORMAT : { type: f };
}

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
        output: { format: formatObject(s.outputFormat), voice: s.voice, speed: 1 },
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
    output_audio_format: BETA_FORMAT_NAMES[s.outputFormat],
    tool_choice: 'auto',
    temperature: 0.8,
    max_response_output_tokens: 'inf',
    speed: 1,
    tracing: null,
    tools: [],
  };
}
