/**
 * Session budgets (issue 22 §1): how many sessions the canary may start per minute and per day on one deployment
 * and on one key, first probes and confirmation retries together. A session start is a request against the
 * provider's quota (Azure: per-deployment defaults of 3–20 requests per 60 s, Tier 1 gpt-realtime 200 RPM per
 * region and subscription; OpenAI: requests per day as low as 1,000, never shown in `rate_limits.updated`), so a
 * canary that ignores it throttles the production traffic it watches. Shipped defaults sit well under the lowest
 * documented tier; the settings below replace them for every target, a target's own fields for its deployment or
 * key. Parsed here; enforced by ../runner/quota.ts.
 */
import { ConfigError } from '../errors.js';
import { shown } from './shown.js';

/** A budget: at most `perMinute` session starts in any 60 s and `perDay` in any 24 h; absent: no limit. */
export interface SessionBudget {
  perMinute?: number;
  perDay?: number;
}

/** The global budgets (app settings); a value left unset takes the shipped default. */
export interface QuotaSettings {
  deployment: SessionBudget;
  key: SessionBudget;
}

/** One deployment: 2 starts a minute (Azure's lowest per-deployment default is 3 per 60 s), 2,000 a day. */
export const DEFAULT_DEPLOYMENT_BUDGET: Readonly<Required<SessionBudget>> = { perMinute: 2, perDay: 2_000 };
/**
 * One key: 100 starts a minute (half of Azure's Tier 1 200 RPM per region and subscription); per day only on
 * OpenAI keys, 800 (OpenAI's requests-per-day tier can be as low as 1,000; Azure documents no daily limit).
 */
export const DEFAULT_KEY_BUDGET: Readonly<SessionBudget> = { perMinute: 100 };
export const DEFAULT_OPENAI_KEY_PER_DAY = 800;

/** The four settings and the target fields that override them, side by side. */
export const QUOTA_SETTINGS = {
  deployment: { perMinute: 'CANARY_MAX_SESSIONS_PER_MINUTE', perDay: 'CANARY_MAX_SESSIONS_PER_DAY' },
  key: { perMinute: 'CANARY_KEY_MAX_SESSIONS_PER_MINUTE', perDay: 'CANARY_KEY_MAX_SESSIONS_PER_DAY' },
} as const;
export const QUOTA_TARGET_FIELDS = {
  deployment: { perMinute: 'maxSessionsPerMinute', perDay: 'maxSessionsPerDay' },
  key: { perMinute: 'keyMaxSessionsPerMinute', perDay: 'keyMaxSessionsPerDay' },
} as const;

/** The largest budget a setting or field may hold (per minute, per day). */
export const MAX_BUDGET = { perMinute: 100_000, perDay: 10_000_000 } as const;

/** Reads the four global budget settings (unset: undefined, the shipped default applies). */
export function loadQuotaSettings(env: Record<string, string | undefined>): QuotaSettings {
  const read = (name: string, max: number): number | undefined => {
    const raw = env[name]?.trim();
    return raw ? checkBudget(Number(raw), name, max, raw) : undefined;
  };
  return {
    deployment: {
      perMinute: read(QUOTA_SETTINGS.deployment.perMinute, MAX_BUDGET.perMinute),
      perDay: read(QUOTA_SETTINGS.deployment.perDay, MAX_BUDGET.perDay),
    },
    key: {
      perMinute: read(QUOTA_SETTINGS.key.perMinute, MAX_BUDGET.perMinute),
      perDay: read(QUOTA_SETTINGS.key.perDay, MAX_BUDGET.perDay),
    },
  };
}

/**
 * A budget value: a whole number from 1 to `max` (a target field's JSON number; a setting's text is read as a
 * number first and quoted, when short and plain, in the error).
 */
export function checkBudget(value: unknown, field: string, max: number, text?: string): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1 || value > max)
    throw new ConfigError(
      field,
      `must be a whole number of sessions from 1 to ${max}${text === undefined ? '' : `, got ${shown(text)}`}`,
    );
  return value;
}
