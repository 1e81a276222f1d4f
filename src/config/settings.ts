/**
 * App settings of the scheduled canary (Functions app settings, or the environment locally). Parsed once,
 * validated at start, passed down — nothing reads process.env after this. Every setting is documented in
 * local.settings.example.json and the README.
 */
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DetectionConfig } from '../analysis/config.js';
import { ConfigError } from '../errors.js';
import { DEFAULT_FUNCTION_TIMEOUT_MS, parseTimeSpan, safetyMarginMs } from './hostTimeout.js';
import { validateNcrontab } from './ncrontab.js';
import { nameLooksLikeKey, shown } from './shown.js';
import {
  checkAppInsightsConnectionString,
  checkBlobPath,
  checkFolder,
  checkName,
  checkStorageConnectionString,
} from './settingChecks.js';
import { secretSettings } from './secrets.js';
import { loadAlertChannels, type AlertChannelSettings, type PagerDutySettings } from './alertChannels.js';
import { parseMutes, type Mute } from './mute.js';
import { parseModelRetirements } from './modelRetirements.js';
import { parseThresholds } from './thresholds.js';
import { loadQuotaSettings, type QuotaSettings } from './quotaBudgets.js';
import { parseTargets, type TargetConfig } from './targets.js';
import { MAX_GENERATION_WINDOW_MS, PROBE_DEFAULTS } from '../probe/options.js';
import { DEFAULT_PRICES, type PriceTable } from '../cost/prices.js';
import { parsePrices } from './prices.js';
import { canaryMode, loadQueueSettings, type CanaryMode, type QueueSettings } from './queueSettings.js';
import type { ModelRetirement } from '../realtime/lifecycle.js';
import type { StorageSettings } from '../store/storageSettings.js';
import type { LinkScope } from '../store/userDelegationLink.js';

export { validateNcrontab } from './ncrontab.js';

export const DEFAULT_SCHEDULE = '0 */10 * * * *';
/** The most sessions a round runs side by side (CANARY_CONCURRENCY). */
export const MAX_CONCURRENCY = 200;

export interface AlertRule {
  /** Open an alert after `k` failing runs of the last `n`. */
  k: number;
  n: number;
  reminderHours: number;
}

export interface CanarySettings {
  /** CANARY_MODE: `round` (one process probes every target each round) or `queue` (planner + prober), ./queueSettings.ts. */
  mode: CanaryMode;
  /** The probe queue (queue mode only). */
  queue: QueueSettings | undefined;
  region: string;
  schedule: string;
  /** Inline targets (CANARY_TARGETS); when absent, `configBlob` names a JSON blob holding them. */
  targets: TargetConfig[] | undefined;
  configBlob: string | undefined;
  prompts: string[];
  turns: number;
  turnTimeoutMs: number;
  /** How long a probe listens for the answer's second generation after a spoken preamble (CANARY_GENERATION_WINDOW_MS). */
  generationWindowMs: number;
  sessionTimeoutMs: number;
  /** The round writes what it has by this deadline: below the function timeout by a safety margin. */
  roundDeadlineMs: number;
  /** The host's function timeout the deadline was derived from (host.json or CANARY_FUNCTION_TIMEOUT). */
  functionTimeoutMs: number | undefined;
  concurrency: number;
  /** Client-side budget of one storage operation, retries included (CANARY_STORAGE_TIMEOUT_MS). */
  storageTimeoutMs: number;
  /** Overrides of the detection thresholds (CANARY_THRESHOLDS JSON, validated by src/config/thresholds.ts). */
  thresholds: Partial<DetectionConfig>;
  alertRule: AlertRule;
  storage: StorageSettings;
  spoolDir: string;
  /** The chat webhook (CANARY_WEBHOOK_URL in the chat format of CANARY_WEBHOOK_FORMAT), see ./alertChannels.ts. */
  webhook: AlertChannelSettings['webhook'];
  /** PagerDuty Events API v2, when CANARY_WEBHOOK_FORMAT lists pagerduty and its routing key is usable. */
  pagerDuty: PagerDutySettings | undefined;
  /** Maintenance windows (CANARY_MUTE): notifications of these targets and groups are held until they end. */
  mutes: Mute[];
  /** Minutes a report link in an alert stays valid. */
  linkTtlMinutes: number;
  /** What a report link authorizes: `container` (read-only; the report's audio plays) or just the `blob`. */
  linkScope: LinkScope;
  appInsightsConnectionString: string | undefined;
  /** The function app's own reports site (`https://<WEBSITE_HOSTNAME>` when CANARY_REPORTS_HTTP=on): links in alerts that do not expire. */
  reportsSiteUrl: string | undefined;
  /** Prices for the cost of each run: the shipped table with CANARY_PRICES merged over it. */
  prices: PriceTable;
  /** A blob (path in the store) with more prices, merged over `prices` at the start of each round (CANARY_PRICES_BLOB). */
  pricesBlob: string | undefined;
  /** Spend cap per UTC day for this canary's store, all regions together (CANARY_DAILY_BUDGET_USD); none when absent. */
  dailyBudgetUsd: number | undefined;
  /** Session budgets per deployment and per key (CANARY_MAX_SESSIONS_PER_…, CANARY_KEY_MAX_SESSIONS_PER_…), see ./quotaBudgets.ts. */
  quota: QuotaSettings;
  /** Confirmation probes after a failing one before it counts (CANARY_CONFIRM_RETRIES, default 1; 0 = off). */
  confirmRetries: number;
  /** The model-retirement table: the shipped rows with CANARY_MODEL_RETIREMENTS applied. */
  modelRetirements: ModelRetirement[];
  /** Ask OpenAI's `GET /v1/models/{id}` for a `shutdown_date`, once a day per model (CANARY_MODEL_LOOKUP=on; default off). */
  modelLookup: boolean;
  /**
   * Problems that disable one sink but not the round (a bad webhook URL disables alert delivery, a bad App
   * Insights connection string disables telemetry): logged as errors at the start of every round.
   */
  problems: ConfigError[];
}

/** What the handler knows besides the app settings. */
export interface SettingsContext {
  /** host.json's functionTimeout, if the app has one. */
  functionTimeoutMs?: number;
}

type Env = Record<string, string | undefined>;

export function loadSettings(env: Env, context: SettingsContext = {}): CanarySettings {
  const problems: ConfigError[] = [];
  // names (region, targets, groups) must not carry the value of a secret setting
  const secrets = secretSettings(env);
  const schedule = env.CANARY_SCHEDULE?.trim() || DEFAULT_SCHEDULE;
  validateNcrontab(schedule, { allowEverySecond: flag(env, 'CANARY_ALLOW_EVERY_SECOND') });
  const targetsJson = env.CANARY_TARGETS?.trim();
  const configBlob = blobPath(env, 'CANARY_CONFIG_BLOB');
  if (!targetsJson && !configBlob)
    throw new ConfigError(
      'CANARY_TARGETS',
      'is required (a JSON array of targets), or set CANARY_CONFIG_BLOB to a config blob path',
    );
  const channels = loadAlertChannels(env);
  problems.push(...channels.problems);
  const [k, n] = parseRule(env.CANARY_ALERT_RULE);
  const appInsights = env.APPLICATIONINSIGHTS_CONNECTION_STRING?.trim() || undefined;
  try {
    if (appInsights) checkAppInsightsConnectionString(appInsights);
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    problems.push(
      new ConfigError(err.field, `${err.message.slice(err.field.length + 2)}; telemetry is disabled until it is fixed`),
    );
  }
  const functionTimeoutMs = functionTimeout(env, context);
  const mode = canaryMode(env);
  return {
    mode,
    queue: loadQueueSettings(env, mode),
    region: checkName(env.CANARY_REGION?.trim() || 'local', 'CANARY_REGION', secrets),
    schedule,
    targets: targetsJson ? parseTargets(targetsJson, 'CANARY_TARGETS', secrets) : undefined,
    configBlob,
    prompts: (env.CANARY_PROMPTS?.trim() || 'count-to-twenty,nato-alphabet,days-of-week')
      .split(',')
      .map((p) => p.trim())
      .filter(Boolean),
    turns: int(env, 'CANARY_TURNS', 3, 1, 20),
    turnTimeoutMs: int(env, 'CANARY_TURN_TIMEOUT_MS', 30_000, 1000, 600_000),
    generationWindowMs: int(
      env,
      'CANARY_GENERATION_WINDOW_MS',
      PROBE_DEFAULTS.generationWindowMs,
      0,
      MAX_GENERATION_WINDOW_MS,
    ),
    sessionTimeoutMs: int(env, 'CANARY_SESSION_TIMEOUT_MS', 180_000, 1000, 1_800_000),
    roundDeadlineMs: roundDeadline(env, functionTimeoutMs),
    functionTimeoutMs,
    concurrency: int(env, 'CANARY_CONCURRENCY', 8, 1, MAX_CONCURRENCY),
    storageTimeoutMs: int(env, 'CANARY_STORAGE_TIMEOUT_MS', 20_000, 500, 120_000),
    thresholds: parseThresholds(env.CANARY_THRESHOLDS),
    alertRule: { k, n, reminderHours: int(env, 'CANARY_REMINDER_HOURS', 6, 1, 24 * 14) },
    storage: loadStorageSettings(env),
    spoolDir: folder(env, 'CANARY_SPOOL_DIR') ?? join(tmpdir(), 'realtime-canary-spool'),
    webhook: channels.webhook,
    pagerDuty: channels.pagerDuty,
    mutes: parseMutes(env.CANARY_MUTE),
    linkTtlMinutes: int(env, 'CANARY_LINK_TTL_MINUTES', 24 * 60, 5, 7 * 24 * 60),
    linkScope: linkScope(env.CANARY_LINK_SCOPE),
    appInsightsConnectionString: problems.some((p) => p.field === 'APPLICATIONINSIGHTS_CONNECTION_STRING')
      ? undefined
      : appInsights,
    reportsSiteUrl: onOff(env, 'CANARY_REPORTS_HTTP') ? reportsSiteUrl(env) : undefined,
    prices: env.CANARY_PRICES?.trim() ? parsePrices(env.CANARY_PRICES, 'CANARY_PRICES') : DEFAULT_PRICES,
    pricesBlob: blobPath(env, 'CANARY_PRICES_BLOB'),
    dailyBudgetUsd: usd(env, 'CANARY_DAILY_BUDGET_USD'),
    quota: loadQuotaSettings(env),
    confirmRetries: int(env, 'CANARY_CONFIRM_RETRIES', 1, 0, 3),
    modelRetirements: parseModelRetirements(env.CANARY_MODEL_RETIREMENTS),
    modelLookup: onOff(env, 'CANARY_MODEL_LOOKUP'),
    problems,
  };
}

/** The function timeout: CANARY_FUNCTION_TIMEOUT (hh:mm:ss) wins over host.json; Flex's default otherwise. */
function functionTimeout(env: Env, context: SettingsContext): number | undefined {
  const raw = env.CANARY_FUNCTION_TIMEOUT?.trim();
  if (raw) return parseTimeSpan(raw, 'CANARY_FUNCTION_TIMEOUT');
  return context.functionTimeoutMs;
}

/**
 * The round deadline: CANARY_ROUND_DEADLINE_MS, which must leave the safety margin below the function timeout;
 * by default 9 min or the function timeout minus the margin, whichever is shorter.
 */
function roundDeadline(env: Env, functionTimeoutMs: number | undefined): number {
  const ceiling =
    (functionTimeoutMs ?? DEFAULT_FUNCTION_TIMEOUT_MS) -
    safetyMarginMs(functionTimeoutMs ?? DEFAULT_FUNCTION_TIMEOUT_MS);
  const max = Math.min(3_600_000, Math.max(5_000, ceiling));
  const raw = env.CANARY_ROUND_DEADLINE_MS?.trim();
  if (!raw) return Math.min(540_000, max);
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 5000)
    throw new ConfigError('CANARY_ROUND_DEADLINE_MS', `must be a whole number from 5000 to ${max}, got ${shown(raw)}`);
  if (n > max)
    throw new ConfigError(
      'CANARY_ROUND_DEADLINE_MS',
      `${n} ms leaves no safety margin below the function timeout (${functionTimeoutMs ?? DEFAULT_FUNCTION_TIMEOUT_MS} ms): at most ${max}`,
    );
  return n;
}

function blobPath(env: Env, name: string): string | undefined {
  const raw = env[name]?.trim();
  return raw ? checkBlobPath(raw, name) : undefined;
}

function folder(env: Env, name: string): string | undefined {
  const raw = env[name]?.trim();
  return raw ? checkFolder(raw, name, secretSettings(env)) : undefined;
}

function onOff(env: Env, name: string): boolean {
  const raw = env[name]?.trim().toLowerCase() || 'off';
  if (raw !== 'on' && raw !== 'off') throw new ConfigError(name, 'must be "on" or "off"');
  return raw === 'on';
}

function flag(env: Env, name: string): boolean {
  const raw = env[name]?.trim().toLowerCase();
  if (!raw) return false;
  if (raw === 'true' || raw === '1') return true;
  if (raw === 'false' || raw === '0') return false;
  throw new ConfigError(name, `must be true or false, got ${shown(env[name]!)}`);
}

/** Where the artifacts live (also read on its own by the reports HTTP function, which needs no targets). */
export function loadStorageSettings(env: Env): StorageSettings {
  const container = env.CANARY_CONTAINER?.trim() || 'reports';
  if (!/^[a-z0-9](?:[a-z0-9-]{1,61}[a-z0-9])$/.test(container) || nameLooksLikeKey(container))
    throw new ConfigError(
      'CANARY_CONTAINER',
      'must be a valid container name (3–63 lowercase letters, digits and hyphens)',
    );
  const cs = env.CANARY_STORAGE_CONNECTION_STRING?.trim();
  if (cs) {
    checkStorageConnectionString(cs);
    return { kind: 'connection-string', connectionString: cs, container };
  }
  const url = env.CANARY_STORAGE_ACCOUNT_URL?.trim();
  if (url) {
    if (!/^https?:\/\//.test(url))
      throw new ConfigError(
        'CANARY_STORAGE_ACCOUNT_URL',
        'must be the blob endpoint URL, e.g. https://<account>.blob.core.windows.net/',
      );
    return { kind: 'account-url', accountUrl: url, clientId: env.AZURE_CLIENT_ID?.trim() || undefined, container };
  }
  const dir = folder(env, 'CANARY_OUTPUT_DIR');
  if (dir) return { kind: 'local', dir };
  throw new ConfigError(
    'CANARY_STORAGE_ACCOUNT_URL',
    'is required in Azure (or CANARY_STORAGE_CONNECTION_STRING for Azurite, or CANARY_OUTPUT_DIR for a local folder)',
  );
}

function linkScope(raw: string | undefined): LinkScope {
  const v = raw?.trim() || 'container';
  if (v !== 'container' && v !== 'blob') throw new ConfigError('CANARY_LINK_SCOPE', 'must be "container" or "blob"');
  return v;
}

function parseRule(raw: string | undefined): [number, number] {
  const m = /^\s*(\d+)\s*(?:of|\/)\s*(\d+)\s*$/.exec(raw ?? '2/3');
  if (!m) throw new ConfigError('CANARY_ALERT_RULE', 'must look like "2/3" (open after 2 failing runs of the last 3)');
  const k = Number(m[1]);
  const n = Number(m[2]);
  if (k < 1 || n < k || n > 50) throw new ConfigError('CANARY_ALERT_RULE', 'needs 1 ≤ K ≤ N ≤ 50');
  return [k, n];
}

function int(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name]?.trim();
  if (!raw) return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min || n > max)
    throw new ConfigError(name, `must be a whole number from ${min} to ${max}, got ${shown(raw)}`);
  return n;
}

function usd(env: Env, name: string): number | undefined {
  const raw = env[name]?.trim();
  if (!raw) return undefined;
  const n = Number(raw);
  if (!Number.isFinite(n) || n <= 0)
    throw new ConfigError(name, `must be an amount in USD greater than 0, e.g. "25", got ${shown(raw)}`);
  return n;
}

/** Reads the secret a target refers to. The error names the setting, never the value. */
export function resolveSecret(setting: string, env: Env, at: string): string {
  const value = env[setting]?.trim();
  if (!value) throw new ConfigError(`${at}.secretSetting`, `app setting "${setting}" is not set or empty`);
  if (value.startsWith('@Microsoft.KeyVault('))
    throw new ConfigError(
      `${at}.secretSetting`,
      `app setting "${setting}" is an unresolved Key Vault reference: grant the app's identity "Key Vault Secrets User" and set keyVaultReferenceIdentity`,
    );
  return value;
}

/**
 * The base URL of the function app's reports site when it serves the reports (`CANARY_REPORTS_HTTP=on`, which the
 * Bicep sets only together with Entra sign-in) and the platform names the app's host (`WEBSITE_HOSTNAME`).
 */
export function reportsSiteUrl(env: Record<string, string | undefined>): string | undefined {
  const host = env.WEBSITE_HOSTNAME?.trim();
  return env.CANARY_REPORTS_HTTP?.trim() === 'on' && host && /^[A-Za-z0-9.-]+(:\d+)?$/.test(host)
    ? `https://${host}`
    : undefined;
}
