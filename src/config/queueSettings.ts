/**
 * The queue mode's settings (issue 22): `CANARY_MODE` (`round`, the default: one process probes every target each
 * round; `queue`: a planner timer enqueues each due probe and a queue-triggered prober runs it), the queue's name,
 * its connection — `CANARY_QUEUE`, read the way the Functions host reads a binding's connection, so the trigger and
 * the planner use one setting: a connection string (Azurite, local), or the identity-based form
 * `CANARY_QUEUE__queueServiceUri` (+ `CANARY_QUEUE__clientId` for a user-assigned identity) — and how late a probe
 * may start before its message is dropped as stale.
 */
import { ConfigError } from '../errors.js';
import { checkStorageConnectionString } from './settingChecks.js';
import { shown } from './shown.js';

export type CanaryMode = 'round' | 'queue';

export type QueueConnection =
  | { kind: 'connection-string'; connectionString: string }
  | { kind: 'service-url'; serviceUrl: string; clientId: string | undefined };

export interface QueueSettings {
  /** CANARY_QUEUE_NAME (default `canary-probes`); the poison queue is `<name>-poison`. */
  name: string;
  connection: QueueConnection;
  /** CANARY_PROBE_LATE_MS: a message dequeued this long after its planned start is dropped (its `notAfter`). */
  lateMs: number;
}

export const DEFAULT_QUEUE_NAME = 'canary-probes';
/** Queue mode's planner runs every minute, at second 0 (NCRONTAB, UTC); each run plans up to the end of the next minute. */
export const PLANNER_SCHEDULE = '0 * * * * *';
export const DEFAULT_PROBE_LATE_MS = 60_000;

type Env = Record<string, string | undefined>;

/** CANARY_MODE, validated. */
export function canaryMode(env: Env): CanaryMode {
  const raw = env.CANARY_MODE?.trim().toLowerCase() || 'round';
  if (raw !== 'round' && raw !== 'queue')
    throw new ConfigError('CANARY_MODE', `must be "round" or "queue", got ${shown(env.CANARY_MODE!)}`);
  return raw;
}

/**
 * The mode the app registers its functions for, read once at start (undefined when invalid): an invalid CANARY_MODE
 * registers the round's timer, which says so at start (../functions/canaryTimer.ts) and fails each invocation
 * naming the setting.
 */
export function modeAtStart(env: Env): CanaryMode | undefined {
  try {
    return canaryMode(env);
  } catch {
    return undefined;
  }
}

/** The queue's settings: required in queue mode, undefined in round mode. */
export function loadQueueSettings(env: Env, mode: CanaryMode): QueueSettings | undefined {
  if (mode !== 'queue') return undefined;
  return { name: queueName(env), connection: queueConnection(env), lateMs: lateMs(env) };
}

/** The queue's name: 3–63 lowercase letters, digits and single hyphens (Storage's rule), room left for `-poison`. */
export function queueName(env: Env): string {
  const name = env.CANARY_QUEUE_NAME?.trim() || DEFAULT_QUEUE_NAME;
  if (!/^[a-z0-9](?:[a-z0-9]|-(?!-)){1,54}[a-z0-9]$/.test(name))
    throw new ConfigError(
      'CANARY_QUEUE_NAME',
      `must be 3–56 lowercase letters, digits and single hyphens (the poison queue adds "-poison"), got ${shown(name)}`,
    );
  return name;
}

function queueConnection(env: Env): QueueConnection {
  const cs = env.CANARY_QUEUE?.trim();
  if (cs) {
    checkStorageConnectionString(cs, 'CANARY_QUEUE', 'queue');
    if (!/(^|;)\s*(QueueEndpoint|AccountName)\s*=/i.test(cs) && !/UseDevelopmentStorage=true/i.test(cs))
      throw new ConfigError('CANARY_QUEUE', 'is a connection string without a queue endpoint or account name');
    return { kind: 'connection-string', connectionString: cs };
  }
  const url = env.CANARY_QUEUE__queueServiceUri?.trim();
  if (url) {
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      throw new ConfigError('CANARY_QUEUE__queueServiceUri', `is not a URL: ${shown(url)}`);
    }
    if (parsed.protocol !== 'https:' || parsed.search)
      throw new ConfigError(
        'CANARY_QUEUE__queueServiceUri',
        'must be the queue endpoint, https://<account>.queue.core.windows.net/, without a query (no SAS)',
      );
    return { kind: 'service-url', serviceUrl: url, clientId: env.CANARY_QUEUE__clientId?.trim() || undefined };
  }
  throw new ConfigError(
    'CANARY_QUEUE__queueServiceUri',
    'is required when CANARY_MODE is "queue" (the queue endpoint, with the app identity), or CANARY_QUEUE for a ' +
      'connection string (Azurite)',
  );
}

function lateMs(env: Env): number {
  const raw = env.CANARY_PROBE_LATE_MS?.trim();
  if (!raw) return DEFAULT_PROBE_LATE_MS;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 5_000 || n > 600_000)
    throw new ConfigError('CANARY_PROBE_LATE_MS', `must be a whole number from 5000 to 600000, got ${shown(raw)}`);
  return n;
}
