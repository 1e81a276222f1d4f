/**
 * Scenarios: what the simulator does to a connection, as data. A scenario may reject the upgrade, shape
 * the delivery of every response, and inject faults per turn (turn n = the n-th response on the
 * connection; turns beyond `turns` are healthy).
 *
 * Times called `atMs` are *audio time*: milliseconds into the response's output audio (48 bytes per ms),
 * which for a healthy delivery is also where a listener would hear it.
 */
import type { ProfileName } from './profiles.js';

/** One injected misbehaviour. */
export type Fault =
  /** Digital silence (or noise at `noiseDbfs`, e.g. −60) of `durationMs` inserted at byte `atMs * 48` of the output audio. */
  | { kind: 'silent-gap'; atMs: number; durationMs: number; noiseDbfs?: number }
  /** Audio deltas stop at `atMs`; the transcript continues; `audio.done` and `response.done` (`completed`, full usage) still come. */
  | { kind: 'truncate-audio'; atMs: number }
  /** The audio `.done` event is never sent. */
  | { kind: 'no-audio-done' }
  /** Nothing after the last delta (after audio `.done` too when `afterAudioDone`); the socket stays open. */
  | { kind: 'no-response-done'; afterAudioDone?: boolean }
  /** All delivery pauses for `durationMs` once audio time `atMs` is reached, then resumes. */
  | { kind: 'stall'; atMs: number; durationMs: number }
  /** The TCP socket is destroyed (no close frame) at audio time `atMs`: the client sees 1006. */
  | { kind: 'drop'; atMs: number }
  /** A close frame with `code` and `reason` at audio time `atMs` (3000 / 4000: OpenAI's auth / request-shape closes). */
  | { kind: 'close'; atMs: number; code: CloseCode; reason: string }
  /** The response ends at `atMs` (or after all deltas) with this status and matching `status_details`. */
  | { kind: 'status'; status: 'failed' | 'incomplete' | 'cancelled'; reason?: string; atMs?: number }
  /** An `error` event at audio time `atMs`; the response goes on. */
  | { kind: 'error-event'; atMs: number; code?: string; message?: string }
  /** Delivery at `speed` × real time (below 1 is slower than playback). */
  | { kind: 'slow-delivery'; speed: number }
  /** Transcript deltas but no audio deltas; audio `.done` and `response.done` still come. */
  | { kind: 'text-only' }
  /** The first audio delta comes `delayMs` after `response.create`. */
  | { kind: 'slow-first-audio'; delayMs: number }
  /**
   * Healthy variant: the last `count` audio deltas come `afterMs` (≤ 300) after audio `.done`. The other
   * `.done` events and `response.done` are not held back unless `holdResponseDone`.
   */
  | { kind: 'late-deltas'; count: number; afterMs: number; holdResponseDone?: boolean }
  /** The answer is split into two audio items; the first item's audio `.done` follows the second item's first deltas. */
  | { kind: 'two-items' }
  /**
   * The last `count` audio deltas are never sent; the transcript, audio `.done`, and `response.done` `completed`
   * with full usage still come (the community report of "the last one or two audio.delta packets").
   */
  | { kind: 'lose-last-deltas'; count: number }
  /**
   * From audio time `atMs` to the end of the turn the audio goes on as digital silence (or noise at `noiseDbfs`)
   * while the transcript continues; delta sizes, usage and `response.done` `completed` stay as healthy.
   */
  | { kind: 'silent-tail'; atMs: number; noiseDbfs?: number }
  /**
   * At audio time `atMs` the open item is closed as `completed` with the transcript so far, then
   * `response.done` `failed` (server_error) lists it in `output` (openai-realtime-api-beta#116).
   */
  | { kind: 'failed-after-partial'; atMs: number }
  /**
   * Azure's output cap: once the answer's output tokens (audio at 20/s plus text) exceed `maxOutputTokens`
   * (default 4096, reported for Azure gpt-realtime-2), `response.done` `incomplete` / `max_output_tokens`.
   */
  | { kind: 'output-cap'; maxOutputTokens?: number }
  /**
   * The reasoning generation's commonest complaint (community thread 1381276): the turn's response speaks only its
   * `commentary` preamble ("Let me check that for you.") and ends `completed`; no `final_answer` follows.
   */
  | { kind: 'preamble-only' }
  /**
   * Two message generations for one user turn (livekit/agents#5684, #5768): the response speaks only the preamble,
   * then `afterMs` (default 1200) after its `response.done` a second `response.created` arrives unasked (no
   * `response.create`) carrying the `final_answer`; with `audio: false` that answer has a transcript but no audio.
   * Between the two a `response.create` is refused with `conversation_already_has_active_response`.
   */
  | { kind: 'second-generation'; afterMs?: number; audio?: boolean }
  /**
   * Azure's capacity failure (Microsoft Q&A 5846034): `afterMs` (default 400) after `response.created`, `response.done`
   * `failed` with `inference_service_unavailable_error`; no output, input billed, zero output tokens.
   */
  | { kind: 'capacity-failure'; afterMs?: number }
  /**
   * A rate limit on the response: `response.done` `failed` with `rate_limit_exceeded` worded as the service words a
   * requests-per-minute (`rpm`) or requests-per-day (`rpd`) limit (openai-agents-js#1022); no output, nothing billed.
   */
  | { kind: 'rate-limit'; window: 'rpm' | 'rpd' }
  /** Every `every`-th audio delta (default 5) is sent twice, byte-identical, back to back; usage counts it once. */
  | { kind: 'repeat-deltas'; every?: number }
  /**
   * A requested G.711 output format (`audio/pcmu`, `audio/pcma`) is echoed as accepted but PCM16 24 kHz is sent
   * (PatterAI/Patter#154, AVA-AI-Voice-Agent-for-Asterisk PR 192); without the fault the simulator sends G.711.
   */
  | { kind: 'ignore-output-format' };

/** Close codes a `close` fault may send. */
export const CLOSE_CODES = [1000, 1001, 1011, 3000, 4000] as const;
export type CloseCode = (typeof CLOSE_CODES)[number];

/**
 * OpenAI's refusals after the 101 (LLMGW capture): `error` then close 3000 (auth) / 4000 (request shape) in the
 * same millisecond. On Azure paths the same problem is refused at HTTP level instead (401 / 404).
 */
export const OPENAI_REFUSALS = [
  'invalid_api_key',
  'missing_key',
  'invalid_model',
  'missing_model',
  'beta_api_shape_disabled',
  /** A retired model: OpenAI `model_not_found` ("has been deprecated") + 4000; Azure HTTP 404. */
  'model_not_found',
  /** A model that cannot do realtime: OpenAI `invalid_model` + 4000; Azure HTTP 400 `OpperationNotSupported`. */
  'model_cannot_realtime',
] as const;
export type OpenAIRefusal = (typeof OPENAI_REFUSALS)[number];

export type FaultKind = Fault['kind'];

/** Faults for one turn. */
export interface TurnPlan {
  faults: Fault[];
}

/** How responses are delivered. */
export interface Delivery {
  /** Generation speed, × real time (default 4). */
  speed?: number;
  /** Random extra delay per burst, 0…jitterMs (default 0). */
  jitterMs?: number;
  /** Audio per burst in ms; deltas of a burst go out back to back (default 0: one delta at a time). */
  burstMs?: number;
  /**
   * Audio per delta, ms, uniform in [min, max] (default 200–500, as the real service: gpt-realtime-2 averages
   * ~370 ms). `{ min: 100, max: 200 }` gives the simulator's old small deltas.
   */
  deltaMs?: { min: number; max: number };
}

/** Why a 403 was given (Azure's troubleshooting guide): a network rule, or a resource suspended for abuse. */
export const FORBIDDEN_REASONS = ['network', 'suspended'] as const;
export type ForbiddenReason = (typeof FORBIDDEN_REASONS)[number];

/** The upgrade is refused with this HTTP status. */
export interface UpgradeReject {
  status: 400 | 401 | 403 | 429 | 503;
  /** For a 403 without a `body`: which of Azure's 403s (default `network`). */
  reason?: ForbiddenReason;
  /** JSON body (default: the service's usual error body for the status). */
  body?: unknown;
  headers?: Record<string, string>;
}

/** A named simulator behaviour. */
export interface Scenario {
  name: string;
  description: string;
  upgrade?: UpgradeReject;
  /** Index = turn − 1; turns beyond the list are healthy. */
  turns?: TurnPlan[];
  delivery?: Delivery;
  /** Every response carries two audio items (as `two-items` on every turn). */
  multiItem?: boolean;
  /** Refuse the connection as OpenAI does after the 101 (Azure paths: the HTTP refusal for the same problem). */
  refusal?: OpenAIRefusal;
  /** Answer every turn with this text instead of the catalogue's (e.g. a long answer for `output-cap`). */
  answer?: string;
  /** WebSocket ping interval for this scenario's connections, ms (0 = none; default: the simulator's, ~20 s). */
  pingIntervalMs?: number;
  /** Forces the model profile (default: the one of the model the URL names, see profiles.ts). */
  profile?: ProfileName;
  /** Reasoning profile only: the preamble forced on / off on every turn, and the reasoning pause pinned (ms). */
  reasoning?: { preamble?: boolean; reasoningMs?: number };
  /** Faults added to every turn (after the turn's own). */
  everyTurn?: Fault[];
  /** The session hits the service's maximum duration after this many ms (default 60 minutes, as OpenAI). */
  maxSessionMs?: number;
}

/** The faults planned for `turn` (1-based). */
export function faultsForTurn(scenario: Scenario, turn: number): Fault[] {
  const faults = [...(scenario.turns?.[turn - 1]?.faults ?? []), ...(scenario.everyTurn ?? [])];
  if (scenario.multiItem && !faults.some((f) => f.kind === 'two-items')) faults.push({ kind: 'two-items' });
  return faults;
}

/** How one field of a fault (or scenario) is validated. */
export type FieldSpec =
  | { type: 'number'; min: number; max: number; optional?: boolean }
  | { type: 'string'; optional?: boolean; oneOf?: readonly string[]; maxBytes?: number }
  | { type: 'boolean'; optional?: boolean }
  | { type: 'code'; values: readonly number[] };

export const MS = { type: 'number', min: 0, max: 3_600_000 } as const;
export const OPT_MS = { ...MS, optional: true } as const;

/** Field table per fault kind: the JSON validator (scenario-json.ts) is driven by it. */
export const FAULT_FIELDS: { readonly [K in FaultKind]: Readonly<Record<string, FieldSpec>> } = {
  'silent-gap': { atMs: MS, durationMs: MS, noiseDbfs: { type: 'number', min: -120, max: 0, optional: true } },
  'truncate-audio': { atMs: MS },
  'no-audio-done': {},
  'no-response-done': { afterAudioDone: { type: 'boolean', optional: true } },
  stall: { atMs: MS, durationMs: MS },
  drop: { atMs: MS },
  close: { atMs: MS, code: { type: 'code', values: CLOSE_CODES }, reason: { type: 'string', maxBytes: 123 } },
  status: {
    status: { type: 'string', oneOf: ['failed', 'incomplete', 'cancelled'] },
    reason: { type: 'string', optional: true },
    atMs: OPT_MS,
  },
  'error-event': { atMs: MS, code: { type: 'string', optional: true }, message: { type: 'string', optional: true } },
  'slow-delivery': { speed: { type: 'number', min: 0.01, max: 1000 } },
  'text-only': {},
  'slow-first-audio': { delayMs: MS },
  'late-deltas': {
    count: { type: 'number', min: 1, max: 1000 },
    afterMs: { type: 'number', min: 0, max: 300 },
    holdResponseDone: { type: 'boolean', optional: true },
  },
  'two-items': {},
  'lose-last-deltas': { count: { type: 'number', min: 1, max: 1000 } },
  'silent-tail': { atMs: MS, noiseDbfs: { type: 'number', min: -120, max: 0, optional: true } },
  'failed-after-partial': { atMs: MS },
  'output-cap': { maxOutputTokens: { type: 'number', min: 1, max: 1_000_000, optional: true } },
  'preamble-only': {},
  'second-generation': { afterMs: { ...OPT_MS, max: 60_000 }, audio: { type: 'boolean', optional: true } },
  'capacity-failure': { afterMs: { ...OPT_MS, max: 60_000 } },
  'rate-limit': { window: { type: 'string', oneOf: ['rpm', 'rpd'] } },
  'repeat-deltas': { every: { type: 'number', min: 1, max: 1000, optional: true } },
  'ignore-output-format': {},
};

export const FAULT_KINDS = Object.keys(FAULT_FIELDS) as FaultKind[];
