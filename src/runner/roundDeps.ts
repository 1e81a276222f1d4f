/**
 * The parts of a round that come from the settings, which ./createRound.ts puts together: the artifact store
 * (Blob Storage with managed identity, Azurite by connection string, or a local folder) behind a spool, with
 * client-side timeouts and the round's abort signal; where budget notices go (scrubbed of the settings' secrets,
 * ../config/secrets.ts); the credential for Entra targets. The sinks (telemetry among them) come from
 * ../sinks/createSinks.ts.
 */
import type { TokenCredential } from '@azure/identity';
import type { CanarySettings } from '../config/settings.js';
import { settingSecrets } from '../config/secrets.js';
import { azureCredential } from '../azure/credential.js';
import { createChannels as channelsFromSettings, type Channel } from '../sinks/alerts/channels.js';
import type { LineLog } from '../log.js';
import type { ArtifactStore } from '../store/artifactStore.js';
import { openStore } from '../store/openStore.js';
import type { SpoolingStore } from '../store/spool.js';

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
      e.event === 'uploaded' || e.event === 'dead-letter-retried' || e.event === 'leftovers-removed'
        ? log.info(`spool: ${e.event} ${e.path}${'removed' in e ? ` (${e.removed} file(s) a failed write left)` : ''}`)
        : log.warn(
            `spool: ${e.event} ${e.path}${'reason' in e ? ` (${e.reason})` : ''}` +
              ('retryAt' in e && e.retryAt ? `; tried again after ${e.retryAt}` : ''),
          ),
  });
}

/** Where notifications go (see ../sinks/alerts/channels.ts), with the settings' secrets scrubbed from them. */
export function createChannels(settings: CanarySettings, store: ArtifactStore, log: LineLog): Channel[] {
  return channelsFromSettings(settings, store, log, () => settingSecrets(settings));
}

export function entraCredential(settings: CanarySettings): () => TokenCredential {
  let cached: TokenCredential | undefined;
  return () =>
    (cached ??= azureCredential(settings.storage.kind === 'account-url' ? settings.storage.clientId : undefined));
}
