/**
 * `session.update` as each dialect accepts it (protocol brief §2.1, §2.2, §1.4): GA requires
 * `session.type: "realtime"`; the beta/preview dialect rejects GA fields such as `session.type` with
 * `unknown_parameter`, and GA rejects beta fields the same way. Returns the merged session or the error.
 */
import { isRecord } from '../json.js';
import type { Dialect } from '../realtime/flavours.js';
import {
  BETA_FORMAT_NAMES,
  DEFAULT_VAD,
  EAGERNESS_SILENCE_MS,
  OUTPUT_FORMATS,
  type Eagerness,
  type OutputFormat,
  type SessionConfig,
  type VadConfig,
} from './session-payloads.js';
import { REASONING_EFFORTS, type ReasoningEffort } from './profiles.js';
import type { RequestError } from './protocol-errors.js';

export type UpdateResult = { ok: true; session: SessionConfig } | { ok: false; error: RequestError };

const GA_KEYS = [
  'type',
  'model',
  'output_modalities',
  'instructions',
  'audio',
  'tools',
  'tool_choice',
  'max_output_tokens',
  'tracing',
  'truncation',
  'prompt',
  'include',
  'reasoning',
  'parallel_tool_calls',
];
const BETA_KEYS = [
  'model',
  'modalities',
  'instructions',
  'voice',
  'input_audio_format',
  'output_audio_format',
  'input_audio_transcription',
  'input_audio_noise_reduction',
  'turn_detection',
  'tools',
  'tool_choice',
  'temperature',
  'max_response_output_tokens',
  'speed',
  'tracing',
  'include',
  'client_secret',
];

function invalid(code: string, message: string, param: string | null): { ok: false; error: RequestError } {
  return { ok: false, error: { type: 'invalid_request_error', code, message, param } };
}

const unknownParam = (param: string): { ok: false; error: RequestError } =>
  invalid('unknown_parameter', `Unknown parameter: '${param}'.`, param);

function invalidValue(param: string, value: unknown, supported: string): { ok: false; error: RequestError } {
  return invalid(
    'invalid_value',
    `Invalid value: ${JSON.stringify(value)}. Supported values are: ${supported}.`,
    param,
  );
}

/** Validates a `turn_detection` value; `undefined` means "not given". */
function turnDetection(
  raw: unknown,
  current: VadConfig | null,
  param: string,
): { ok: true; value: VadConfig | null } | { ok: false; error: RequestError } {
  if (raw === null) return { ok: true, value: null };
  if (!isRecord(raw)) return invalid('invalid_type', `Invalid type for '${param}': expected an object or null.`, param);
  if (raw['type'] !== 'server_vad' && raw['type'] !== 'semantic_vad')
    return invalidValue(`${param}.type`, raw['type'], "'server_vad' and 'semantic_vad'");
  const base = current ?? DEFAULT_VAD;
  const pick = <T>(key: keyof VadConfig, ok: (v: unknown) => boolean): T | undefined =>
    ok(raw[key]) ? (raw[key] as T) : undefined;
  const num = (v: unknown): boolean => typeof v === 'number' && Number.isFinite(v) && v >= 0;
  const bool = (v: unknown): boolean => typeof v === 'boolean';
  const create_response = pick<boolean>('create_response', bool) ?? base.create_response;
  const interrupt_response = pick<boolean>('interrupt_response', bool) ?? base.interrupt_response;
  if (raw['type'] === 'semantic_vad') {
    // semantic_vad has `eagerness` and no threshold / prefix / silence (NODE types).
    const stray = ['threshold', 'prefix_padding_ms', 'silence_duration_ms'].find((k) => raw[k] !== undefined);
    if (stray) return invalid('unknown_parameter', `Unknown parameter: '${param}.${stray}'.`, `${param}.${stray}`);
    const eagerness = raw['eagerness'] ?? 'auto';
    if (!(eagerness === 'low' || eagerness === 'medium' || eagerness === 'high' || eagerness === 'auto')) {
      return invalidValue(`${param}.eagerness`, eagerness, "'low', 'medium', 'high' and 'auto'");
    }
    const e: Eagerness = eagerness;
    return {
      ok: true,
      value: {
        type: 'semantic_vad',
        threshold: DEFAULT_VAD.threshold,
        prefix_padding_ms: DEFAULT_VAD.prefix_padding_ms,
        silence_duration_ms: EAGERNESS_SILENCE_MS[e],
        create_response,
        interrupt_response,
        eagerness: e,
      },
    };
  }
  if (raw['eagerness'] !== undefined)
    return invalid('unknown_parameter', `Unknown parameter: '${param}.eagerness'.`, `${param}.eagerness`);
  const serverBase = base.type === 'server_vad' ? base : DEFAULT_VAD;
  const threshold = pick<number>('threshold', num);
  if (threshold !== undefined && threshold > 1)
    return invalid(
      'decimal_above_max_value',
      `Invalid '${param}.threshold': decimal above maximum value. Expected a value <= 1, but got ${threshold} instead.`,
      `${param}.threshold`,
    );
  return {
    ok: true,
    value: {
      type: 'server_vad',
      threshold: threshold ?? serverBase.threshold,
      prefix_padding_ms: pick<number>('prefix_padding_ms', num) ?? serverBase.prefix_padding_ms,
      silence_duration_ms: pick<number>('silence_duration_ms', num) ?? serverBase.silence_duration_ms,
      create_response,
      interrupt_response,
    },
  };
}

function modalityOf(
  list: unknown,
  param: string,
  allowBoth: boolean,
): { ok: true; value: 'audio' | 'text' } | { ok: false; error: RequestError } {
  const valid = Array.isArray(list) && list.length > 0 && list.every((m) => m === 'audio' || m === 'text');
  if (!valid || (!allowBoth && list.length > 1))
    return invalidValue(param, list, allowBoth ? "['text'] and ['audio', 'text']" : "['audio'] and ['text']");
  return { ok: true, value: list.includes('audio') ? 'audio' : 'text' };
}

/** GA `audio.output.format`: `{type: "audio/pcm", rate: 24000}`, `{type: "audio/pcmu"}` or `{type: "audio/pcma"}`. */
function gaOutputFormat(raw: unknown): { ok: true; value: OutputFormat } | { ok: false; error: RequestError } {
  const param = 'session.audio.output.format';
  if (!isRecord(raw)) return invalid('invalid_type', `Invalid type for '${param}': expected an object.`, param);
  const type = raw['type'];
  if (!OUTPUT_FORMATS.includes(type as OutputFormat))
    return invalidValue(`${param}.type`, type, OUTPUT_FORMATS.map((f) => `'${f}'`).join(', '));
  if (type === 'audio/pcm' && raw['rate'] !== undefined && raw['rate'] !== 24000)
    return invalidValue(`${param}.rate`, raw['rate'], '24000');
  return { ok: true, value: type as OutputFormat };
}

/** `reasoning.effort` (GA): one of minimal, low, medium, high, xhigh. */
function reasoningEffort(raw: unknown): { ok: true; value: ReasoningEffort } | { ok: false; error: RequestError } {
  const effort = isRecord(raw) ? raw['effort'] : undefined;
  if (!REASONING_EFFORTS.includes(effort as ReasoningEffort))
    return invalidValue('session.reasoning.effort', effort, REASONING_EFFORTS.map((e) => `'${e}'`).join(', '));
  return { ok: true, value: effort as ReasoningEffort };
}

function transcription(raw: unknown): string | null {
  return isRecord(raw) && typeof raw['model'] === 'string' ? raw['model'] : null;
}

/** Applies a `session.update` body in `dialect` to `current`. */
export function applySessionUpdate(dialect: Dialect, current: SessionConfig, raw: unknown): UpdateResult {
  if (!isRecord(raw)) return invalid('missing_required_parameter', "Missing required parameter: 'session'.", 'session');
  const allowed = dialect === 'ga' ? GA_KEYS : BETA_KEYS;
  const unknown = Object.keys(raw).find((k) => !allowed.includes(k));
  if (unknown) return unknownParam(`session.${unknown}`);
  const next: SessionConfig = { ...current };
  if (typeof raw['instructions'] === 'string') next.instructions = raw['instructions'];
  if (dialect === 'ga') {
    if (raw['type'] === undefined)
      return invalid('missing_required_parameter', "Missing required parameter: 'session.type'.", 'session.type');
    if (raw['type'] !== 'realtime')
      return invalidValue(
        'session.type',
        raw['type'],
        "'realtime' (the simulator does not offer 'transcription' sessions)",
      );
    if (raw['output_modalities'] !== undefined) {
      const m = modalityOf(raw['output_modalities'], 'session.output_modalities', false);
      if (!m.ok) return m;
      next.modality = m.value;
    }
    const audio = raw['audio'];
    if (audio !== undefined && !isRecord(audio))
      return invalid('invalid_type', "Invalid type for 'session.audio': expected an object.", 'session.audio');
    const input = isRecord(audio) ? audio['input'] : undefined;
    const output = isRecord(audio) ? audio['output'] : undefined;
    if (isRecord(input) && 'turn_detection' in input) {
      const td = turnDetection(input['turn_detection'], current.turnDetection, 'session.audio.input.turn_detection');
      if (!td.ok) return td;
      next.turnDetection = td.value;
    }
    if (isRecord(input) && 'transcription' in input) next.transcriptionModel = transcription(input['transcription']);
    if (isRecord(output) && typeof output['voice'] === 'string') next.voice = output['voice'];
    if (isRecord(output) && output['format'] !== undefined) {
      const f = gaOutputFormat(output['format']);
      if (!f.ok) return f;
      next.outputFormat = f.value;
    }
    if (raw['reasoning'] !== undefined) {
      const r = reasoningEffort(raw['reasoning']);
      if (!r.ok) return r;
      next.reasoningEffort = r.value;
    }
    return { ok: true, session: next };
  }
  if (raw['modalities'] !== undefined) {
    const m = modalityOf(raw['modalities'], 'session.modalities', true);
    if (!m.ok) return m;
    next.modality = m.value;
  }
  if ('turn_detection' in raw) {
    const td = turnDetection(raw['turn_detection'], current.turnDetection, 'session.turn_detection');
    if (!td.ok) return td;
    next.turnDetection = td.value;
  }
  if ('input_audio_transcription' in raw) next.transcriptionModel = transcription(raw['input_audio_transcription']);
  if (typeof raw['voice'] === 'string') next.voice = raw['voice'];
  if (raw['output_audio_format'] !== undefined) {
    const names = Object.entries(BETA_FORMAT_NAMES);
    const found = names.find(([, name]) => name === raw['output_audio_format']);
    if (!found)
      return invalidValue(
        'session.output_audio_format',
        raw['output_audio_format'],
        names.map(([, n]) => `'${n}'`).join(', '),
      );
    next.outputFormat = found[0] as OutputFormat;
  }
  return { ok: true, session: next };
}

/** The output modality a `response.create` asks for, if it overrides the session's. */
export function responseModality(dialect: Dialect, response: unknown): 'audio' | 'text' | undefined {
  if (!isRecord(response)) return undefined;
  const list = response[dialect === 'ga' ? 'output_modalities' : 'modalities'];
  if (!Array.isArray(list) || list.length === 0) return undefined;
  return list.includes('audio') ? 'audio' : 'text';
}
