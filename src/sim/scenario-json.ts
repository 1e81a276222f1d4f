/**
 * Scenarios from JSON: `scenarioFromJson` / `validateScenario` check a user's scenario against the types of
 * scenario.ts (the fault field table there drives the fault checks); every error names the offending field,
 * e.g. `scenario.turns[0].faults[1].atMs`.
 */
import { ConfigError } from '../errors.js';
import { isRecord, parseConfigJson } from '../json.js';
import {
  FAULT_FIELDS,
  FAULT_KINDS,
  FORBIDDEN_REASONS,
  OPENAI_REFUSALS,
  OPT_MS,
  type Delivery,
  type Fault,
  type FaultKind,
  type FieldSpec,
  type OpenAIRefusal,
  type Scenario,
  type UpgradeReject,
} from './scenario.js';
import { PROFILE_NAMES } from './profiles.js';

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
    'profile',
    'reasoning',
    'everyTurn',
    'maxSessionMs',
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
  checkField(`${path}.profile`, raw['profile'], { type: 'string', optional: true, oneOf: PROFILE_NAMES });
  if (raw['profile'] !== undefined) out.profile = raw['profile'] as Scenario['profile'];
  if (raw['reasoning'] !== undefined) out.reasoning = validateReasoning(`${path}.reasoning`, raw['reasoning']);
  checkField(`${path}.maxSessionMs`, raw['maxSessionMs'], { type: 'number', min: 1, max: 3_600_000, optional: true });
  if (raw['maxSessionMs'] !== undefined) out.maxSessionMs = raw['maxSessionMs'] as number;
  if (raw['everyTurn'] !== undefined) {
    const every = raw['everyTurn'];
    if (!Array.isArray(every)) throw new ConfigError(`${path}.everyTurn`, 'must be an array of faults');
    out.everyTurn = every.map((f: unknown, j) => validateFault(`${path}.everyTurn[${j}]`, f));
  }
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

function validateReasoning(path: string, r: unknown): NonNullable<Scenario['reasoning']> {
  if (!isRecord(r)) throw new ConfigError(path, 'must be an object { "preamble"?: boolean, "reasoningMs"?: ms }');
  checkKeys(path, r, ['preamble', 'reasoningMs']);
  checkField(`${path}.preamble`, r['preamble'], { type: 'boolean', optional: true });
  checkField(`${path}.reasoningMs`, r['reasoningMs'], { ...OPT_MS, max: 60_000 });
  return r as NonNullable<Scenario['reasoning']>;
}

function validateUpgrade(path: string, u: unknown): UpgradeReject {
  if (!isRecord(u)) throw new ConfigError(path, 'must be an object with a "status"');
  checkKeys(path, u, ['status', 'reason', 'body', 'headers']);
  checkField(`${path}.status`, u['status'], { type: 'code', values: [400, 401, 403, 429, 503] });
  checkField(`${path}.reason`, u['reason'], { type: 'string', optional: true, oneOf: FORBIDDEN_REASONS });
  if (u['reason'] !== undefined && u['status'] !== 403)
    throw new ConfigError(`${path}.reason`, 'only applies to status 403');
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
