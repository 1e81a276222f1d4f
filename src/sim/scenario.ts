/**
 * Scenarios: what the simulator does to a connection, as data. A scenario may reject the upgrade, shape
 * the delivery of every response, and inject faults per turn (turn n = the n-th response on the
 * connection; turns beyond `turns` are healthy).
 *
 * Times called `atMs` are *audio time*: milliseconds into the response's output audio (48 bytes per ms),
 * which for a healthy delivery is also where a listener would hear it.
 */
import { ConfigError } from '../errors.js';
import { isRecord, parseConfigJson } from '../json.js';

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
  | { kind: 'output-cap'; maxOutputTokens?: number };

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

/** The upgrade is refused with this HTTP status. */
export interface UpgradeReject {
  status: 401 | 403 | 429 | 503;
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
}

/** The faults planned for `turn` (1-based). */
export function faultsForTurn(scenario: Scenario, turn: number): Fault[] {
  const faults = [...(scenario.turns?.[turn - 1]?.faults ?? [])];
  if (scenario.multiItem && !faults.some((f) => f.kind === 'two-items')) faults.push({ kind: 'two-items' });
  return faults;
}

type FieldSpec =
  | { type: 'number'; min: number; max: number; optional?: boolean }
  | { type: 'string'; optional?: boolean; oneOf?: readonly string[]; maxBytes?: number }
  | { type: 'boolean'; optional?: boolean }
  | { type: 'code'; values: readonly number[] };

const MS = { type: 'number', min: 0, max: 3_600_000 } as const;
const OPT_MS = { ...MS, optional: true } as const;

/** Field table per fault kind: the validator below is driven by it. */
const FAULT_FIELDS: { readonly [K in FaultKind]: Readonly<Record<string, FieldSpec>> } = {
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
};

const FAULT_KINDS = Object.keys(FAULT_FIELDS) as FaultKind[];

function checkField(path: string, value: unknown, spec: FieldSpec): void {
  if (value === undefined) {
    if (spec.type !== 'code' && spec.optional) return;
    throw new ConfigError(path, 'is required');
  }
  switch (spec.type) {
    case 'number':
      if (typeof value !== 'number' || !Number.isFinite(value))
        throw new ConfigError(path, `must be a number, got ${JSON.stringify(value)}`);
      if (value < spec.min || value > spec.max)
        throw new ConfigError(path, `must be between ${spec.min} and ${spec.max}, got ${value}`);
      return;
    case 'string':
      if (typeof value !== 'string') throw new ConfigError(path, `must be a string, got ${JSON.stringify(value)}`);
      if (spec.oneOf && !spec.oneOf.includes(value))
        throw new ConfigError(path, `must be one of ${spec.oneOf.join(', ')}, got "${value}"`);
      if (spec.maxBytes !== undefined && Buffer.byteLength(value) > spec.maxBytes)
        throw new ConfigError(path, `must be at most ${spec.maxBytes} bytes of UTF-8`);
      return;
    case 'boolean':
      if (typeof value !== 'boolean')
        throw new ConfigError(path, `must be true or false, got ${JSON.stringify(value)}`);
      return;
    case 'code':
      if (!spec.values.includes(value as number))
        throw new ConfigError(path, `must be one of ${spec.values.join(', ')}, got ${JSON.stringify(value)}`);
  }
}

function checkKeys(path: string, obj: Record<string, unknown>, allowed: readonly string[]): void {
  for (const key of Object.keys(obj)) {
    if (!allowed.includes(key))
      throw new ConfigError(`${path}.${key}`, `is not a known field (known: ${allowed.join(', ') || 'none'})`);
  }
}

function validateFault(path: string, raw: unknown): Fault {
  if (!isRecord(raw)) throw new ConfigError(path, 'must be an object with a "kind"');
  const kind = raw['kind'];
  if (typeof kind !== 'string' || !(FAULT_KINDS as string[]).includes(kind)) {
    throw new ConfigError(`${path}.kind`, `must be one of ${FAULT_KINDS.join(', ')}, got ${JSON.stringify(kind)}`);
  }
  const fields = FAULT_FIELDS[kind as FaultKind];
  checkKeys(path, raw, ['kind', ...Object.keys(fields)]);
  for (const [name, spec] of Object.entries(fields)) checkField(`${path}.${name}`, raw[name], spec);
  return raw as unknown as Fault;
}

/** Validates a scenario object (e.g. parsed from a user's JSON file). Errors name the offending field. */
export function validateScenario(raw: unknown, path = 'scenario'): Scenario {
  if (!isRecord(raw)) throw new ConfigError(path, 'must be a JSON object');
  checkKeys(path, raw, [
    'name',
    'description',
    'upgrade',
    'turns',
    'delivery',
    'multiItem',
    'refusal',
    'answer',
    'pingIntervalMs',
  ]);
  checkField(`${path}.name`, raw['name'], { type: 'string' });
  if (!/^[A-Za-z0-9._-]+$/.test(raw['name'] as string))
    throw new ConfigError(`${path}.name`, 'may only hold letters, digits, ".", "_" and "-"');
  checkField(`${path}.description`, raw['description'], { type: 'string', optional: true });
  checkField(`${path}.multiItem`, raw['multiItem'], { type: 'boolean', optional: true });
  const out: Scenario = { name: raw['name'] as string, description: (raw['description'] as string | undefined) ?? '' };
  if (raw['multiItem'] !== undefined) out.multiItem = raw['multiItem'] as boolean;
  if (raw['upgrade'] !== undefined) out.upgrade = validateUpgrade(`${path}.upgrade`, raw['upgrade']);
  checkField(`${path}.refusal`, raw['refusal'], { type: 'string', optional: true, oneOf: OPENAI_REFUSALS });
  if (raw['refusal'] !== undefined) out.refusal = raw['refusal'] as OpenAIRefusal;
  checkField(`${path}.answer`, raw['answer'], { type: 'string', optional: true, maxBytes: 200_000 });
  if (raw['answer'] !== undefined) {
    if (!/[\p{L}\p{N}]/u.test(raw['answer'] as string))
      throw new ConfigError(`${path}.answer`, 'must hold at least one word');
    out.answer = raw['answer'] as string;
  }
  checkField(`${path}.pingIntervalMs`, raw['pingIntervalMs'], { ...OPT_MS, max: 600_000 });
  if (raw['pingIntervalMs'] !== undefined) out.pingIntervalMs = raw['pingIntervalMs'] as number;
  if (raw['delivery'] !== undefined) {
    const d = raw['delivery'];
    if (!isRecord(d)) throw new ConfigError(`${path}.delivery`, 'must be an object');
    checkKeys(`${path}.delivery`, d, ['speed', 'jitterMs', 'burstMs', 'deltaMs']);
    checkField(`${path}.delivery.speed`, d['speed'], { type: 'number', min: 0.01, max: 1000, optional: true });
    checkField(`${path}.delivery.jitterMs`, d['jitterMs'], { ...OPT_MS, max: 60_000 });
    checkField(`${path}.delivery.burstMs`, d['burstMs'], { ...OPT_MS, max: 60_000 });
    const sizes = d['deltaMs'];
    if (sizes !== undefined) {
      if (!isRecord(sizes))
        throw new ConfigError(`${path}.delivery.deltaMs`, 'must be an object { "min": ms, "max": ms }');
      checkKeys(`${path}.delivery.deltaMs`, sizes, ['min', 'max']);
      checkField(`${path}.delivery.deltaMs.min`, sizes['min'], { type: 'number', min: 10, max: 10_000 });
      checkField(`${path}.delivery.deltaMs.max`, sizes['max'], { type: 'number', min: 10, max: 10_000 });
      if ((sizes['max'] as number) < (sizes['min'] as number))
        throw new ConfigError(`${path}.delivery.deltaMs.max`, 'must be at least deltaMs.min');
    }
    out.delivery = d as Delivery;
  }
  if (raw['turns'] !== undefined) {
    const turns = raw['turns'];
    if (!Array.isArray(turns)) throw new ConfigError(`${path}.turns`, 'must be an array of { "faults": [...] }');
    out.turns = turns.map((t: unknown, i) => {
      const tp = `${path}.turns[${i}]`;
      if (!isRecord(t)) throw new ConfigError(tp, 'must be an object with "faults"');
      checkKeys(tp, t, ['faults']);
      const faults = t['faults'] ?? [];
      if (!Array.isArray(faults)) throw new ConfigError(`${tp}.faults`, 'must be an array');
      return { faults: faults.map((f: unknown, j) => validateFault(`${tp}.faults[${j}]`, f)) };
    });
  }
  return out;
}

function validateUpgrade(path: string, u: unknown): UpgradeReject {
  if (!isRecord(u)) throw new ConfigError(path, 'must be an object with a "status"');
  checkKeys(path, u, ['status', 'body', 'headers']);
  checkField(`${path}.status`, u['status'], { type: 'code', values: [401, 403, 429, 503] });
  const headers = u['headers'];
  if (headers !== undefined) {
    if (!isRecord(headers)) throw new ConfigError(`${path}.headers`, 'must be an object of header names to strings');
    for (const [k, v] of Object.entries(headers)) checkField(`${path}.headers.${k}`, v, { type: 'string' });
  }
  return u as unknown as UpgradeReject;
}

/** Parses and validates a user-provided scenario from JSON text. Throws ConfigError naming the field. */
export function scenarioFromJson(text: string): Scenario {
  const raw = parseConfigJson(text, 'scenario');
  return validateScenario(raw);
}
