/**
 * Checks of individual setting values that name the setting and never print the value when it may be a
 * secret: webhook URLs (parsed, host required, https), storage and App Insights connection strings, the
 * names of secret app settings (a key pasted where its setting's *name* belongs is refused), the names a
 * canary gives things — region, target, group — which end up in blob paths, log lines and card titles, and Entra ID
 * scopes.
 */
import { BlobServiceClient } from '@azure/storage-blob';
import { QueueServiceClient } from '@azure/storage-queue';
import { ConfigError } from '../errors.js';
import { FOUNDRY_ENTRA_SCOPE } from '../realtime/auth.js';
import { looksLikeSecret as keyLike } from '../realtime/redact.js';
import type { SecretSetting } from './secrets.js';
import { nameLooksLikeKey, shown } from './shown.js';

/**
 * Whether a value looks like a key or token rather than a setting name: the scrubber's own key patterns
 * (src/realtime/redact.ts), plus what no identifier looks like — setting names are identifiers
 * (`AOAI_KEY_SWEDEN`); keys are long runs mixing letters and digits (32-hex Azure keys, `sk-…`, JWTs `eyJ…`).
 */
export function looksLikeSecret(value: string): boolean {
  const v = value.trim();
  if (keyLike(v)) return true;
  if (/^(sk-|sk_|eyJ|Bearer\s)/.test(v)) return true;
  if (/^[0-9a-f]{32,}$/i.test(v)) return true;
  if (v.length >= 24 && /\d/.test(v) && /[A-Za-z]/.test(v) && !/_/.test(v)) return true;
  return v.length >= 40 && /[+/=]/.test(v);
}

/** An app setting name: what `secretSetting` must hold. Refuses a pasted key without echoing it. */
export function checkSettingName(name: string, field: string): void {
  if (looksLikeSecret(name)) {
    throw new ConfigError(
      field,
      'looks like a key or token, not the name of an app setting: put the secret in an app setting (or a Key Vault ' +
        'reference) and name that setting here (the value is not shown)',
    );
  }
  if (!/^[A-Za-z_][A-Za-z0-9_.:-]{0,127}$/.test(name))
    throw new ConfigError(field, 'must be the name of an app setting (letters, digits and _; the value is not shown)');
}

/** What a region, target or group name may hold: 1–63 letters, digits, `.`, `_` and `-`, starting with a letter or digit. */
export const SAFE_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$/;

/**
 * A region, target or group name: from the safe character set (no space, no line break, nothing a path or a card
 * title would read otherwise), not the value of a secret setting (`secrets`: [name, value] pairs), not key-like.
 * The error names the field and never the value.
 */
export function checkName(name: string, field: string, secrets: readonly SecretSetting[] = []): string {
  if (!SAFE_NAME.test(name))
    throw new ConfigError(
      field,
      `must be 1–63 letters, digits, ".", "_" or "-", starting with a letter or digit; got ${shown(name)}`,
    );
  refuseSecretValue(name, field, secrets, ': names end up in blob paths, logs and alerts');
  if (nameLooksLikeKey(name))
    throw new ConfigError(
      field,
      'looks like a key or token (20 or more letters and digits in a row): names end up in blob paths, logs and ' +
        'alerts; separate words with "-", "." or "_" (the value is not shown)',
    );
  return name;
}

/** A blob path inside the canary's container (no leading slash, no `..`, no URL, nothing key-like); the error never shows it. */
export function checkBlobPath(raw: string, setting: string): string {
  if (
    raw.length > 1024 ||
    raw.startsWith('/') ||
    raw.includes('\\') ||
    /^[a-z]+:\/\//i.test(raw) ||
    /[\x00-\x1f\x7f]/.test(raw) ||
    raw.split('/').some((seg) => seg === '..' || seg === '')
  ) {
    throw new ConfigError(
      setting,
      `must be a blob path inside the container, e.g. "config/prices.json", got ${shown(raw)}`,
    );
  }
  if (raw.split('/').some(nameLooksLikeKey))
    throw new ConfigError(setting, 'looks like a key or token, not a blob path (the value is not shown)');
  return raw;
}

/**
 * A local folder (CANARY_OUTPUT_DIR, CANARY_SPOOL_DIR): no control characters, and not holding the value of a
 * secret setting (`secrets`: [name, value]); any other path is the operator's choice.
 */
export function checkFolder(raw: string, setting: string, secrets: readonly SecretSetting[]): string {
  if (/[\x00-\x1f\x7f]/.test(raw))
    throw new ConfigError(setting, 'must be a folder path without control characters (the value is not shown)');
  refuseSecretValue(raw, setting, secrets, '');
  return raw;
}

/** Refuses a value holding the value of a secret setting (`secrets`: [name, value]), naming that setting. */
function refuseSecretValue(value: string, field: string, secrets: readonly SecretSetting[], why: string): void {
  const holds = secrets.find(([, secret]) => value.includes(secret));
  if (holds)
    throw new ConfigError(
      field,
      `holds the value of the secret app setting ${holds[0]}${why} (the value is not shown)`,
    );
}

/** Loopback hosts may use http (local receivers in tests and development); anything else must be https. */
export function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '[::1]' || /^127\.\d+\.\d+\.\d+$/.test(host);
}

/** CANARY_WEBHOOK_URL: a full https URL with a host. Throws ConfigError without the value (it carries a signature). */
export function checkWebhookUrl(raw: string, setting = 'CANARY_WEBHOOK_URL'): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ConfigError(setting, 'is not a URL (the value is not shown: it is a secret)');
  }
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && isLoopback(url.hostname)))
    throw new ConfigError(
      setting,
      `must be an https URL, got a ${url.protocol.replace(':', '')} URL (the value is not shown: it is a secret)`,
    );
  if (!url.hostname) throw new ConfigError(setting, 'has no host (the value is not shown: it is a secret)');
  return url.toString();
}

function fields(raw: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const pair of raw.split(';')) {
    const eq = pair.indexOf('=');
    if (eq > 0) out.set(pair.slice(0, eq).trim().toLowerCase(), pair.slice(eq + 1).trim());
  }
  return out;
}

/** CANARY_STORAGE_CONNECTION_STRING: `UseDevelopmentStorage=true`, or an account with a key or SAS and a valid endpoint. */
export function checkStorageConnectionString(
  raw: string,
  setting = 'CANARY_STORAGE_CONNECTION_STRING',
  service: 'blob' | 'queue' = 'blob',
): void {
  const f = fields(raw);
  if (f.get('usedevelopmentstorage')?.toLowerCase() === 'true') return;
  const Endpoint = service === 'blob' ? 'BlobEndpoint' : 'QueueEndpoint';
  const hint = `expected "AccountName=…;AccountKey=…;${Endpoint}=…" (or "UseDevelopmentStorage=true"); the value is not shown`;
  if (f.size === 0) throw new ConfigError(setting, `is not a storage connection string: ${hint}`);
  const endpoint = f.get(Endpoint.toLowerCase());
  if (!f.get('accountname') && !endpoint)
    throw new ConfigError(setting, `has neither AccountName nor ${Endpoint}: ${hint}`);
  if (!f.get('accountkey') && !f.get('sharedaccesssignature'))
    throw new ConfigError(setting, `has neither AccountKey nor SharedAccessSignature: ${hint}`);
  if (endpoint !== undefined && !/^https?:\/\/[^/\s]+/.test(endpoint))
    throw new ConfigError(setting, `has a ${Endpoint} that is not an http(s) URL: ${hint}`);
  const protocol = f.get('defaultendpointsprotocol');
  if (protocol !== undefined && protocol !== 'http' && protocol !== 'https')
    throw new ConfigError(setting, `has DefaultEndpointsProtocol ${shown(protocol)} (must be http or https)`);
  // what the SDK itself refuses (it reads an AccountKey only beside DefaultEndpointsProtocol, else wants a SAS) is
  // refused here, naming the setting, instead of an "Invalid BlobEndpoint" from the first round's store
  try {
    if (service === 'blob') BlobServiceClient.fromConnectionString(raw);
    else QueueServiceClient.fromConnectionString(raw);
  } catch (err) {
    const said = /^Invalid [A-Za-z]+/.exec(err instanceof Error ? err.message : '')?.[0] ?? 'it is not accepted';
    const keyWithoutProtocol = f.has('accountkey') && protocol === undefined;
    throw new ConfigError(
      setting,
      `is refused by the Storage SDK (${said})` +
        (keyWithoutProtocol ? ': an AccountKey needs DefaultEndpointsProtocol=https (or http) beside it' : '') +
        `; ${hint}`,
    );
  }
}

/** APPLICATIONINSIGHTS_CONNECTION_STRING: needs an InstrumentationKey and a valid IngestionEndpoint if given. */
export function checkAppInsightsConnectionString(raw: string, setting = 'APPLICATIONINSIGHTS_CONNECTION_STRING'): void {
  const f = fields(raw);
  if (!f.get('instrumentationkey'))
    throw new ConfigError(
      setting,
      'has no InstrumentationKey (copy the connection string from the Application Insights resource; the value is not shown)',
    );
  const ingestion = f.get('ingestionendpoint');
  if (ingestion !== undefined && !/^https:\/\/[^/\s]+/.test(ingestion))
    throw new ConfigError(setting, 'has an IngestionEndpoint that is not an https URL (the value is not shown)');
}

/** An Entra ID resource scope: an `https://` resource URI ending in `/.default` (a target's `scope`, `--scope`). */
export function checkEntraScope(scope: string, field: string): void {
  let ok = false;
  try {
    const u = new URL(scope);
    ok = u.protocol === 'https:' && !/\s/.test(scope) && scope.endsWith('/.default') && !u.search && !u.hash;
  } catch {
    ok = false;
  }
  if (!ok)
    throw new ConfigError(
      field,
      `must be an https:// resource scope ending in /.default, e.g. "${FOUNDRY_ENTRA_SCOPE}"`,
    );
}
