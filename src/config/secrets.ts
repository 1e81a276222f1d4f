/**
 * The secret values a configuration holds, which every exit scrubs (../realtime/redact.ts): the value of every
 * app setting whose name says it is a secret (`…KEY…`, `…SECRET…`, `…TOKEN…`, `…PASSWORD…`, connection strings,
 * the webhook URL), of every setting a target names in `secretSetting`, and the parts of settings that are secrets
 * themselves (the webhook URL's signature, the PagerDuty routing key, account keys and SAS tokens, the
 * instrumentation key). Key Vault
 * references are not secrets (they name one) and are left out.
 */
import type { CanarySettings } from './settings.js';

type Env = Record<string, string | undefined>;

/** A secret app setting: its name and its value. */
export type SecretSetting = readonly [name: string, value: string];

const SECRET_NAME = /KEY|SECRET|TOKEN|PASSWORD|CONNECTION_STRING|WEBHOOK_URL/i;

/** The secret-named settings of `env` and those named in `also` (a target's `secretSetting`), as [name, value]. */
export function secretSettings(env: Env, also: readonly string[] = []): SecretSetting[] {
  const out: SecretSetting[] = [];
  for (const [name, value] of Object.entries(env)) {
    const v = value?.trim() ?? '';
    if (!SECRET_NAME.test(name) && !also.includes(name)) continue;
    // long, non-trivial values only: scrubbing "true" or a port number would corrupt every JSON document
    if (v.length >= 8 && !/^(true|false|\d+)$/i.test(v) && !v.startsWith('@Microsoft.KeyVault(')) out.push([name, v]);
  }
  return out;
}

/** The values of {@link secretSettings}, with the secrets inside them (see {@link withParts}). */
export function envSecrets(env: Env, also: readonly string[] = []): string[] {
  return unique(secretSettings(env, also).flatMap(([, value]) => withParts(value)));
}

/** Every secret value of the settings and their environment (see the file comment). */
export function settingSecrets(settings: CanarySettings, env: Env = {}): string[] {
  const named = (settings.targets ?? []).flatMap((t) => (t.secretSetting ? [t.secretSetting] : []));
  const held = [
    settings.webhook?.url,
    settings.pagerDuty?.routingKey,
    settings.storage.kind === 'connection-string' ? settings.storage.connectionString : undefined,
    settings.appInsightsConnectionString,
    settings.queue?.connection.kind === 'connection-string' ? settings.queue.connection.connectionString : undefined,
  ];
  return unique([...envSecrets(env, named), ...held.flatMap((v) => (v ? withParts(v) : []))]);
}

/**
 * A secret value and the secrets inside it, which may be written on their own: a URL's signature or code (a
 * webhook's `sig`), a connection string's AccountKey, SharedAccessSignature or InstrumentationKey.
 */
function withParts(value: string): string[] {
  const out = [value];
  if (/^https?:\/\//i.test(value)) {
    try {
      for (const [name, v] of new URL(value).searchParams) if (/^(sig|code|token|key)$/i.test(name) && v) out.push(v);
    } catch {
      // not a URL after all: the value alone
    }
  }
  for (const m of value.matchAll(/(?:AccountKey|SharedAccessSignature|InstrumentationKey)=([^;]+)/gi)) out.push(m[1]!);
  return out;
}

function unique(values: string[]): string[] {
  return [...new Set(values.filter((s) => s.length >= 4))];
}
