/**
 * Target configuration for scheduled rounds (`CANARY_TARGETS` JSON or a config blob). Secrets only by
 * reference: `secretSetting` names an app setting (which Azure may back with a Key Vault reference).
 */
import { ConfigError } from '../errors.js';
import { isRecord, parseConfigJson } from '../json.js';
import { checkEntraScope, checkName, checkSettingName } from './settingChecks.js';
import type { SecretSetting } from './secrets.js';
import { fieldOf } from './shown.js';
import { parseEvery } from './every.js';
import { checkBudget, MAX_BUDGET, QUOTA_TARGET_FIELDS } from './quotaBudgets.js';
import { FLAVOURS, isAzure, type Dialect, type EndpointSpec, type Flavour } from '../realtime/flavours.js';
import type { TransportKind } from '../trace/trace.js';
import { OUTPUT_AUDIO_FORMATS, type OutputAudioFormat } from '../realtime/events.js';

export type AuthMode = 'api-key' | 'entra' | 'bearer' | 'none';

/** A target: where it is (the endpoint fields of {@link EndpointSpec}) plus how to authenticate and how to judge it. */
export interface TargetConfig extends EndpointSpec {
  /** Unique name; used in blob paths, alerts and the dashboard. */
  name: string;
  auth: AuthMode;
  /** Name of the app setting that holds the key or token (api-key / bearer). */
  secretSetting?: string;
  /**
   * Entra ID only: the token scope (default https://cognitiveservices.azure.com/.default; Azure's troubleshooting
   * guide names https://ai.azure.com/.default). An `https://` resource URI ending in `/.default`.
   */
  scope?: string;
  /** Targets in one group are compared in each round. */
  group?: string;
  /** The reference target of its group (e.g. OpenAI direct). */
  baseline?: boolean;
  /** Prompt ids for this target (default: the round's prompts). */
  prompts?: string[];
  turns?: number;
  /** Accept a self-signed certificate (the simulator with --tls). */
  insecureTls?: boolean;
  /**
   * How to reach the deployment: `websocket` (default), `webrtc`, or `both` — which parseTargets expands into
   * two targets in one group (`<name>` over WebSocket, `<name>-webrtc`), so each round compares the transports.
   */
  transport?: TransportKind | 'both';
  /** WebRTC only: STUN/TURN server URLs (none by default: no public STUN server is contacted). */
  iceServers?: string[];
  /** WebRTC, Azure only: `webrtcfilter=on` on the call (the data channel then carries ~11 event types; the sideband brings the rest). */
  webrtcFilter?: boolean;
  /** WebRTC only: also receive every event on the sideband WebSocket (`?call_id=`); implied by `webrtcFilter`. */
  sideband?: boolean;
  /**
   * The output audio format the probe asks for (WebSocket only): `pcm16` (default) or `pcmu` (G.711 μ-law, as
   * telephony clients ask), so a service that ignores the request and sends PCM16 shows as `audio_format_mismatch`.
   */
  outputFormat?: OutputAudioFormat;
  /** Spend cap of this target per UTC day in USD, all regions together (on top of CANARY_DAILY_BUDGET_USD). */
  dailyBudgetUsd?: number;
  /** How often this target is probed (`"5m"`, `"30m"`, `"1h"`; default: the round's schedule), see ./every.ts. */
  every?: string;
  /** Session budget of this target's deployment per minute / per day (overrides CANARY_MAX_SESSIONS_PER_…). */
  maxSessionsPerMinute?: number;
  maxSessionsPerDay?: number;
  /** Session budget of this target's key per minute / per day (overrides CANARY_KEY_MAX_SESSIONS_PER_…). */
  keyMaxSessionsPerMinute?: number;
  keyMaxSessionsPerDay?: number;
}

/** The target fields of the session budgets (./quotaBudgets.ts), each with its ceiling. */
const BUDGET_FIELDS = [
  QUOTA_TARGET_FIELDS.deployment.perMinute,
  QUOTA_TARGET_FIELDS.deployment.perDay,
  QUOTA_TARGET_FIELDS.key.perMinute,
  QUOTA_TARGET_FIELDS.key.perDay,
] as const;

const INLINE_SECRET_FIELDS = ['apiKey', 'api_key', 'api-key', 'key', 'token', 'secret', 'password', 'bearer'];
const KNOWN = new Set([
  'name',
  'endpoint',
  'resource',
  'deployment',
  'flavour',
  'dialect',
  'apiVersion',
  'auth',
  'secretSetting',
  'scope',
  'group',
  'baseline',
  'prompts',
  'turns',
  'insecureTls',
  'transport',
  'iceServers',
  'webrtcFilter',
  'sideband',
  'dailyBudgetUsd',
  'outputFormat',
  'every',
  ...BUDGET_FIELDS,
]);
const AUTH_MODES: readonly AuthMode[] = ['api-key', 'entra', 'bearer', 'none'];
/** The transports a target may name: every TransportKind (the compiler asks for a new one here) and `both`. */
const TRANSPORTS: Readonly<Record<TransportKind | 'both', true>> = { websocket: true, webrtc: true, both: true };
const TRANSPORT_NAMES = Object.keys(TRANSPORTS).map((k) => `"${k}"`);

/**
 * Parses and validates the targets JSON. Errors name the field, e.g. `CANARY_TARGETS[1].deployment`, never a value
 * that may be a secret; a name or group holding the value of one of `secrets` ([setting, value]) is refused.
 */
export function parseTargets(
  json: string,
  source = 'CANARY_TARGETS',
  secrets: readonly SecretSetting[] = [],
): TargetConfig[] {
  const raw = parseConfigJson(json, source);
  if (!Array.isArray(raw) || raw.length === 0)
    throw new ConfigError(source, 'must be a non-empty JSON array of targets');
  const parsed = raw.map((t, i) => parseTarget(t, `${source}[${i}]`, secrets));
  const seen = new Set<string>();
  const targets = parsed.flatMap((t, i) => expandTransports(t).map((x) => ({ x, i })));
  targets.forEach(({ x, i }) => {
    if (seen.has(x.name)) throw new ConfigError(`${source}[${i}].name`, `"${x.name}" is used by more than one target`);
    seen.add(x.name);
  });
  return targets.map(({ x }) => x);
}

/**
 * `transport: "both"` becomes two targets on the same deployment in one group: `<name>` over WebSocket (the
 * group's baseline unless the group has its own) and `<name>-webrtc`, so the round's comparison tells a
 * transport-specific fault from the model's.
 */
function expandTransports(t: TargetConfig): TargetConfig[] {
  if (t.transport !== 'both') return [t];
  const group = t.group ?? t.name;
  return [
    { ...t, transport: 'websocket', group, baseline: t.baseline ?? t.group === undefined },
    { ...t, name: `${t.name}-webrtc`, transport: 'webrtc', group, baseline: false },
  ];
}

function parseTarget(raw: unknown, at: string, secrets: readonly SecretSetting[]): TargetConfig {
  if (!isRecord(raw)) throw new ConfigError(at, 'must be an object');
  const o = raw;
  for (const key of Object.keys(o)) {
    if (INLINE_SECRET_FIELDS.includes(key)) {
      throw new ConfigError(
        `${at}.${key}`,
        'secrets are not allowed inline: put the value in an app setting (or Key Vault reference) and name that setting in "secretSetting"',
      );
    }
    if (!KNOWN.has(key))
      throw new ConfigError(fieldOf(at, key), `is not a known field (known: ${[...KNOWN].join(', ')})`);
  }
  const name = checkName(str(o, 'name', at, true)!, `${at}.name`, secrets);
  const auth = (str(o, 'auth', at) ?? 'api-key') as AuthMode;
  if (!AUTH_MODES.includes(auth)) throw new ConfigError(`${at}.auth`, `must be one of ${AUTH_MODES.join(', ')}`);
  const flavour = str(o, 'flavour', at) as Flavour | undefined;
  if (flavour && !FLAVOURS.includes(flavour))
    throw new ConfigError(`${at}.flavour`, `must be one of ${FLAVOURS.join(', ')}`);
  const dialect = str(o, 'dialect', at) as Dialect | undefined;
  if (dialect && dialect !== 'ga' && dialect !== 'beta')
    throw new ConfigError(`${at}.dialect`, 'must be "ga" or "beta"');
  const t: TargetConfig = {
    name,
    auth,
    flavour,
    dialect,
    endpoint: str(o, 'endpoint', at),
    resource: str(o, 'resource', at),
    deployment: str(o, 'deployment', at),
    apiVersion: str(o, 'apiVersion', at),
    secretSetting: str(o, 'secretSetting', at),
    scope: str(o, 'scope', at),
    group: optionalName(str(o, 'group', at), `${at}.group`, secrets),
    baseline: bool(o, 'baseline', at),
    insecureTls: bool(o, 'insecureTls', at),
  };
  if (!t.endpoint && !t.deployment)
    throw new ConfigError(`${at}.endpoint`, 'is required (or give resource + deployment)');
  if (t.secretSetting !== undefined) checkSettingName(t.secretSetting, `${at}.secretSetting`);
  if (t.scope !== undefined) {
    if (auth !== 'entra')
      throw new ConfigError(`${at}.scope`, `applies to "auth": "entra" only (this target's auth is "${auth}")`);
    checkEntraScope(t.scope, `${at}.scope`);
  }
  if ((auth === 'api-key' || auth === 'bearer') && !t.secretSetting)
    throw new ConfigError(
      `${at}.secretSetting`,
      `is required for auth "${auth}": name the app setting that holds the secret`,
    );
  if (o.prompts !== undefined) {
    if (!Array.isArray(o.prompts) || o.prompts.some((p) => typeof p !== 'string'))
      throw new ConfigError(`${at}.prompts`, 'must be an array of prompt ids');
    t.prompts = o.prompts as string[];
  }
  const transport = str(o, 'transport', at);
  if (transport !== undefined) {
    if (!Object.hasOwn(TRANSPORTS, transport)) {
      throw new ConfigError(
        `${at}.transport`,
        `must be ${TRANSPORT_NAMES.slice(0, -1).join(', ')} or ${TRANSPORT_NAMES.at(-1)}`,
      );
    }
    t.transport = transport as TransportKind | 'both';
  }
  if (o.iceServers !== undefined) {
    if (
      !Array.isArray(o.iceServers) ||
      o.iceServers.some((u) => typeof u !== 'string' || !/^(stun|stuns|turn|turns):/.test(u))
    ) {
      throw new ConfigError(`${at}.iceServers`, 'must be an array of stun:, stuns:, turn: or turns: URLs');
    }
    t.iceServers = o.iceServers as string[];
  }
  const webrtcFilter = bool(o, 'webrtcFilter', at);
  const sideband = bool(o, 'sideband', at);
  if ((webrtcFilter || sideband) && t.transport !== 'webrtc' && t.transport !== 'both')
    throw new ConfigError(
      `${at}.${webrtcFilter ? 'webrtcFilter' : 'sideband'}`,
      'applies to WebRTC only: set "transport": "webrtc" or "both"',
    );
  if (webrtcFilter && flavour !== undefined && !isAzure(flavour)) {
    throw new ConfigError(`${at}.webrtcFilter`, `is Azure's data-channel filter; flavour "${flavour}" has none`);
  }
  if (webrtcFilter) t.webrtcFilter = true;
  if (sideband) t.sideband = true;
  if (o.turns !== undefined) {
    if (!Number.isInteger(o.turns) || (o.turns as number) < 1 || (o.turns as number) > 20)
      throw new ConfigError(`${at}.turns`, 'must be a whole number from 1 to 20');
    t.turns = o.turns as number;
  }
  const outputFormat = str(o, 'outputFormat', at);
  if (outputFormat !== undefined) {
    if (!(OUTPUT_AUDIO_FORMATS as readonly string[]).includes(outputFormat))
      throw new ConfigError(`${at}.outputFormat`, `must be ${OUTPUT_AUDIO_FORMATS.map((f) => `"${f}"`).join(' or ')}`);
    if (outputFormat !== 'pcm16' && t.transport !== undefined && t.transport !== 'websocket')
      throw new ConfigError(
        `${at}.outputFormat`,
        'applies to the WebSocket only (WebRTC carries Opus): drop it or use "transport": "websocket"',
      );
    t.outputFormat = outputFormat as OutputAudioFormat;
  }
  if (o.dailyBudgetUsd !== undefined) {
    if (typeof o.dailyBudgetUsd !== 'number' || !Number.isFinite(o.dailyBudgetUsd) || o.dailyBudgetUsd <= 0)
      throw new ConfigError(`${at}.dailyBudgetUsd`, 'must be an amount in USD greater than 0');
    t.dailyBudgetUsd = o.dailyBudgetUsd;
  }
  if (o.every !== undefined) {
    parseEvery(o.every, `${at}.every`);
    t.every = o.every as string;
  }
  for (const f of BUDGET_FIELDS)
    if (o[f] !== undefined)
      t[f] = checkBudget(o[f], `${at}.${f}`, f.endsWith('PerDay') ? MAX_BUDGET.perDay : MAX_BUDGET.perMinute);
  return t;
}

function optionalName(name: string | undefined, field: string, secrets: readonly SecretSetting[]): string | undefined {
  return name === undefined ? undefined : checkName(name, field, secrets);
}

function str(o: Record<string, unknown>, key: string, at: string, required = false): string | undefined {
  const v = o[key];
  if (v === undefined || v === null) {
    if (required) throw new ConfigError(`${at}.${key}`, 'is required');
    return undefined;
  }
  if (typeof v !== 'string' || v.trim() === '') throw new ConfigError(`${at}.${key}`, 'must be a non-empty string');
  return v;
}

function bool(o: Record<string, unknown>, key: string, at: string): boolean | undefined {
  const v = o[key];
  if (v === undefined) return undefined;
  if (typeof v !== 'boolean') throw new ConfigError(`${at}.${key}`, 'must be true or false');
  return v;
}
