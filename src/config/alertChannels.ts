/**
 * Where notifications go, from the app settings: the chat webhook (CANARY_WEBHOOK_URL, posted as a Teams card or
 * generic JSON) and PagerDuty Events API v2 (routing key in CANARY_PAGERDUTY_ROUTING_KEY), chosen by
 * CANARY_WEBHOOK_FORMAT — `teams`, `json`, `pagerduty`, or a chat format and `pagerduty` together
 * (`teams,pagerduty`). A channel whose secret setting is unusable is a *problem*: that channel is disabled (its
 * notifications wait for it) while probing and the other channels go on. Errors name the setting, never its value.
 */
import { ConfigError } from '../errors.js';
import { checkWebhookUrl } from './settingChecks.js';
import { shown } from './shown.js';

/** The chat webhook's payload format. */
export type ChatFormat = 'teams' | 'json';
/** What CANARY_WEBHOOK_FORMAT may list. */
export type WebhookFormatName = ChatFormat | 'pagerduty';

/** PagerDuty's Events API v2 endpoint (EU accounts: `https://events.eu.pagerduty.com/v2/enqueue`). */
export const PAGERDUTY_EVENTS_URL = 'https://events.pagerduty.com/v2/enqueue';

export interface PagerDutySettings {
  /** The integration's routing key: a secret, never printed. */
  routingKey: string;
  /** The Events API v2 endpoint (CANARY_PAGERDUTY_URL). */
  url: string;
}

export interface AlertChannelSettings {
  /** The chat webhook, when CANARY_WEBHOOK_URL is set and usable. */
  webhook: { url: string; format: ChatFormat } | undefined;
  /** The chat format CANARY_WEBHOOK_FORMAT lists, if any (also when the URL is missing or unusable). */
  chatFormat: ChatFormat | undefined;
  /** PagerDuty, when CANARY_WEBHOOK_FORMAT lists it and the routing key is usable. */
  pagerDuty: PagerDutySettings | undefined;
  /** Whether CANARY_WEBHOOK_FORMAT lists `pagerduty` (also when its routing key is missing or unusable). */
  paging: boolean;
  /** Settings that disable one channel but not the round. */
  problems: ConfigError[];
}

type Env = Record<string, string | undefined>;

const FORMATS: readonly WebhookFormatName[] = ['teams', 'json', 'pagerduty'];
const FORMAT_HELP = 'must be "teams", "json", "pagerduty", or a chat format and pagerduty, e.g. "teams,pagerduty"';

/** The formats CANARY_WEBHOOK_FORMAT lists (default `teams`); throws ConfigError naming the setting. */
export function parseWebhookFormats(raw: string | undefined): WebhookFormatName[] {
  const given = (raw?.trim() || 'teams').split(',').map((f) => f.trim());
  const names = given.map((f) => f.toLowerCase());
  names.forEach((name, i) => {
    if (!FORMATS.includes(name as WebhookFormatName))
      throw new ConfigError('CANARY_WEBHOOK_FORMAT', `${FORMAT_HELP}; ${shown(given[i]!)} is not one of them`);
  });
  if (new Set(names).size !== names.length)
    throw new ConfigError('CANARY_WEBHOOK_FORMAT', `${FORMAT_HELP}; a format is listed twice`);
  if (names.includes('teams') && names.includes('json'))
    throw new ConfigError('CANARY_WEBHOOK_FORMAT', `${FORMAT_HELP}; teams and json share CANARY_WEBHOOK_URL: pick one`);
  return names as WebhookFormatName[];
}

/** The channels of the settings; see the module comment. */
export function loadAlertChannels(env: Env): AlertChannelSettings {
  const formats = parseWebhookFormats(env.CANARY_WEBHOOK_FORMAT);
  const chatFormat = formats.find((f): f is ChatFormat => f !== 'pagerduty');
  const paging = formats.includes('pagerduty');
  const problems: ConfigError[] = [];
  const webhookRaw = env.CANARY_WEBHOOK_URL?.trim();
  if (webhookRaw && !chatFormat)
    throw new ConfigError(
      'CANARY_WEBHOOK_FORMAT',
      `lists no chat format for CANARY_WEBHOOK_URL: use "teams,pagerduty" (or "json,pagerduty") to post to both, or unset CANARY_WEBHOOK_URL`,
    );
  let webhook: AlertChannelSettings['webhook'];
  try {
    if (webhookRaw && chatFormat) {
      checkWebhookUrl(webhookRaw);
      webhook = { url: webhookRaw, format: chatFormat };
    }
  } catch (err) {
    problems.push(disabled(err, 'alert delivery is disabled until it is fixed'));
  }
  let pagerDuty: PagerDutySettings | undefined;
  const key = env.CANARY_PAGERDUTY_ROUTING_KEY?.trim();
  if (paging) {
    try {
      const url = checkWebhookUrl(env.CANARY_PAGERDUTY_URL?.trim() || PAGERDUTY_EVENTS_URL, 'CANARY_PAGERDUTY_URL');
      pagerDuty = { routingKey: checkRoutingKey(key), url };
    } catch (err) {
      problems.push(disabled(err, 'paging is disabled until it is fixed'));
    }
  } else if (key)
    problems.push(
      new ConfigError(
        'CANARY_WEBHOOK_FORMAT',
        'does not list pagerduty although CANARY_PAGERDUTY_ROUTING_KEY is set, so nothing is paged (e.g. "teams,pagerduty")',
      ),
    );
  return { webhook, chatFormat, pagerDuty, paging, problems };
}

/**
 * CANARY_PAGERDUTY_ROUTING_KEY: the 32-character Integration Key of an Events API v2 integration (letters and
 * digits). Throws ConfigError without the value.
 */
export function checkRoutingKey(key: string | undefined): string {
  const setting = 'CANARY_PAGERDUTY_ROUTING_KEY';
  if (!key)
    throw new ConfigError(
      setting,
      'is not set: put the Integration Key of a PagerDuty Events API v2 integration in it',
    );
  if (key.startsWith('@Microsoft.KeyVault('))
    throw new ConfigError(
      setting,
      'is an unresolved Key Vault reference: grant the app\'s identity "Key Vault Secrets User" and set keyVaultReferenceIdentity',
    );
  if (!/^[A-Za-z0-9]{20,64}$/.test(key))
    throw new ConfigError(
      setting,
      `is not a PagerDuty routing key (expected the integration's 32 letters and digits, got ${key.length} characters; the value is not shown)`,
    );
  return key;
}

/** A setting's error restated as a problem that disables one channel, keeping the field. */
function disabled(err: unknown, consequence: string): ConfigError {
  if (!(err instanceof ConfigError)) throw err;
  return new ConfigError(
    err.field,
    `${err.message.slice(err.field.length + 2)}; ${consequence} (probing, reports, alert state and the other channels go on)`,
  );
}
