/**
 * One place that turns the storage settings into the store a round writes through: Blob Storage (Azure or
 * Azurite) or a local folder, always wrapped in the spool so the round code is the same for both and `flush()`
 * can run at the start of every round.
 */
import { createBlobStore, type BlobStoreOptions } from './blobStore.js';
import { createLocalStore } from './localStore.js';
import { withSpool, type SpoolingStore, type SpoolOptions } from './spool.js';
import type { StorageSettings } from './storageSettings.js';

/** Opens the store for a round, spooling into `spoolDir` while it is down. No I/O until first use. */
export function openStore(
  settings: StorageSettings,
  spoolDir: string,
  tuning: BlobStoreOptions & SpoolOptions = {},
): SpoolingStore {
  const { tripAfter, log, slowWriteMs, ...blob } = tuning;
  const inner = settings.kind === 'local' ? createLocalStore(settings.dir) : createBlobStore(settings, blob);
  return withSpool(inner, spoolDir, { tripAfter, log, slowWriteMs, now: tuning.now });
}
