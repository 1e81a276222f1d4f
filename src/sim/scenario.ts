/**
 * Scenarios: what the simulator does to a connection, as data. A scenario may reject the upgrade, shape
 * the delivery of every response, and inject faults per turn (turn n = the n-th response on the
 * connection; turns beyond `turns` are healthy).
 *
 * Times called `atMs` are *audio time*: milliseconds into the response's output audio (48 bytes per ms),
 * which for a healthy delivery is also where a listener would hear it.
 */
import { ConfigError } from '../errors.js';

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
  /** A close frame with `code` and `reason` at audio time `atMs`. */
  | { kind: 'close'; atMs: number; code: 1000 | 1001 | 1011; reason: string }
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
  | { kind: 'two-items' };

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
  close: { atMs: MS, code: { type: 'code', values: [1000, 1001, 1011] }, reason: { type: 'string', maxBytes: 123 } },
  status: {
    status: { type: 'string', oneOf: ['failed', 'incomplete', 'cancelled'] },
    reason: { type: 'string', optional: true },
    atMs: OPT_MS,
  },
  'error-event': { atMs: MS, code: { type: 'string', optional: true }, message: { type: 'string', optional: true } },
  'slow-delivery': { speed: { type: 'number', min: 0.01, max: 1000 } },
  'text-only': {},
  'slow-first-audio': { delayMs: MS },
  'late-deltas': { count: { type: 'number', min: 1, max: 1000 }, afterMs: { type: 'number', min: 0, max: 300 }, holdResponseDone: { type: 'boolean', optional: true } },
  'two-items': {},
};

const FAULT_KINDS = Object.keys(FAULT_FIELDS) as FaultKind[];

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function checkField(path: string, value: unknown, spec: FieldSpec): void {
  if (value === undefined) {
    if (spec.type !== 'code' && spec.optional) return;
    throw new ConfigError(path, 'is required');
  }
  switch (spec.type) {
    case 'number':
      if (typeof value !== 'number' || !Number.isFinite(value)) throw new ConfigError(path, `must be a number, got ${JSON.stringify(value)}`);
      if (value < spec.min || value > spec.max) throw new ConfigError(path, `must be between ${spec.min} and ${spec.max}, got ${value}`);
      return;
    case 'string':
      if (typeof value !== 'string') throw new ConfigError(path, `must be a string, got ${JSON.stringify(value)}`);
      if (spec.oneOf && !spec.oneOf.includes(value)) throw new ConfigError(path, `must be one of ${spec.oneOf.join(', ')}, got "${value}"`);
      if (spec.maxBytes !== undefined && Buffer.byteLength(value) > spec.maxBytes) throw new ConfigError(path, `must be at most ${spec.maxBytes} bytes of UTF-8`);
      return;
    case 'boolean':
      if (typeof value !== 'boolean') throw new ConfigError(path, `must be true or false, got ${JSON.stringify(value)}`);
      return;
    case 'code':
      if (!spec.values.includes(value as number)) throw new ConfigError(path, `must be one of ${spec.values.join(', ')}, got ${JSON.stringify(value)}`);
  }
}

function checkKeys(path: string, obj: Record<string, unknown>, allowed: readonly string[]): void {
  for (const key of Object.keys(obj)) {
    if (!allowed.includes(key)) throw new ConfigError(`${path}.${key}`, `is not a known field (known: ${allowed.join(', ') || 'none'})`);
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
  checkKeys(path, raw, ['name', 'description', 'upgrade', 'turns', 'delivery', 'multiItem']);
  checkField(`${path}.name`, raw['name'], { type: 'string' });
  if (!/^[A-Za-z0-9._-]+$/.test(raw['name'] as string)) throw new ConfigError(`${path}.name`, 'may only hold letters, digits, ".", "_" and "-"');
  checkField(`${path}.description`, raw['description'], { type: 'string', optional: true });
  checkField(`${path}.multiItem`, raw['multiItem'], { type: 'boolean', optional: true });
  const out: Scenario = { name: raw['name'] as string, description: (raw['description'] as string | undefined) ?? '' };
  if (raw['multiItem'] !== undefined) out.multiItem = raw['multiItem'] as boolean;
  if (raw['upgrade'] !== undefined) out.upgrade = validateUpgrade(`${path}.upgrade`, raw['upgrade']);
  if (raw['delivery'] !== undefined) {
    const d = raw['delivery'];
    if (!isRecord(d)) throw new ConfigError(`${path}.delivery`, 'must be an object');
    checkKeys(`${path}.delivery`, d, ['speed', 'jitterMs', 'burstMs']);
    checkField(`${path}.delivery.speed`, d['speed'], { type: 'number', min: 0.01, max: 1000, optional: true });
    checkField(`${path}.delivery.jitterMs`, d['jitterMs'], { ...OPT_MS, max: 60_000 });
    checkField(`${path}.delivery.burstMs`, d['burstMs'], { ...OPT_MS, max: 60_000 });
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
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    throw new ConfigError('scenario', `is not valid JSON (${(err as Error).message})`);
  }
  return validateScenario(raw);
}
