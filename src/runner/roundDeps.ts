/**
 * The parts of a round that come from the settings, which ./createRound.ts puts together: the artifact store
 * (Blob Storage with managed identity, Azurite by connection string, or a local folder) behind a spool, with
 * client-side timeouts and the round's abort signal; where budget notices go; the credential for Entra targets;
 * and the secrets of the settings themselves, which every exit scrubs. The sinks (telemetry among them) come from
 * ../sinks/createSinks.ts.
 */
import type { TokenCredential } from '@azure/identity';
import type { CanarySettings } from '../config/settings.js';
import { azureCredential } from '../azure/credential.js';
import { createNotifier as notifierFromSettings, type Notifier } from '../sinks/createSinks.js';
import type { ArtifactStore } from '../store/artifactStore.js';
import { openStore } from '../store/openStore.js';
import type { SpoolingStore } from '../store/spool.js';
import type { LineLog } from '../log.js';

/** Store tuning a round uses (tests shorten it). */
export interface StoreTuning {
  /** Client-side budget of one storage operation, retries included. */
  operationTimeoutMs?: number;
  /** Aborts every storage operation (the round's hard deadline). */
  signal?: AbortSignal;
}

export function createStore(settings: CanarySettings, log: LineLog, tuning: StoreTuning = {}): SpoolingStore {
  return openStore(settings.storage, settings.spoolDir, {
    linkScope: settings.linkScope,
    ...tuning,
    log: (e) =>
      e.event === 'uploaded'
        ? log.info(`spool: uploaded ${e.path}`)
        : log.warn(`spool: ${e.event} ${e.path}${'reason' in e ? ` (${e.reason})` : ''}`),
  });
}

/** Where notifications go (see ../sinks/createSinks.ts); `undefined` when the webhook setting is invalid. */
export function createNotifier(settings: CanarySettings, store: ArtifactStore, log: LineLog): Notifier | undefined {
  return notifierFromSettings(settings, store, log, () => settingSecrets(settings));
}

export function entraCredential(settings: CanarySettings): () => TokenCredential {
  let cached: TokenCredential | undefined;
  return () =>
    (cached ??= azureCredential(settings.storage.kind === 'account-url' ? settings.storage.clientId : undefined));
}

/**
 * Secret values held by the settings themselves: the webhook URL and its signature, account keys, SAS tokens,
 * instrumentation keys, and the value of every app setting whose name says it is a secret (`…KEY…`,
 * `…SECRET…`, `…TOKEN…`, `…PASSWORD…`, connection strings).
 */
export function settingSecrets(settings: CanarySettings, env: Record<string, string | undefined> = {}): string[] {
  const out: string[] = [];
  for (const [name, value] of Object.entries(env)) {
    const v = value?.trim() ?? '';
    // long, non-trivial values only: scrubbing "true" or a port number would corrupt every JSON document
    if (
      /KEY|SECRET|TOKEN|PASSWORD|CONNECTION_STRING|WEBHOOK_URL/i.test(name) &&
      v.length >= 8 &&
      !/^(true|false|\d+)$/i.test(v)
    )
      out.push(v);
  }
  if (settings.webhook) {
    out.push(settings.webhook.url);
    try {
      for (const [name, value] of new URL(settings.webhook.url).searchParams)
        if (/^(sig|code|token|key)$/i.test(name) && value) out.push(value);
    } catch {
      // validated at start; nothing more to collect
    }
  }
  if (settings.storage.kind === 'connection-string') {
    out.push(settings.storage.connectionString);
    for (const m of settings.storage.connectionString.matchAll(/(?:AccountKey|SharedAccessSignature)=([^;]+)/gi))
      out.push(m[1]!);
  }
  if (settings.appInsightsConnectionString) {
    const key = /InstrumentationKey=([^;]+)/i.exec(settings.appInsightsConnectionString)?.[1];
    if (key) out.push(key);
  }
  return out.filter((s) => s.length >= 4);
}
