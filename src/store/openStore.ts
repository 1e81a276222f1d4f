/**
 * One place that turns resolved storage settings into the store a round writes through: Blob Storage
 * (Azure or Azurite) or a local folder, always wrapped in the spool so the round code is the same for both
 * and `flush()` can run at the start of every round.
 */
import type { TokenCredential } from '@azure/identity';
import { createBlobStore, type BlobStoreOptions } from './blobStore.js';
import { createLocalStore } from './localStore.js';
import { withSpool, type SpoolingStore, type SpoolOptions } from './spool.js';

/** Resolved storage settings (the config module parses app settings into this). */
export type StoreSettings =
  /** Azure: account URL (`https://<account>.blob.core.windows.net`) and a managed-identity credential. */
  | { kind: 'blob-entra'; accountUrl: string; credential: TokenCredential; container: string; spoolDir: string }
  /** Azurite / local development; `UseDevelopmentStorage=true` works (the SDK expands it to 127.0.0.1:10000). */
  | { kind: 'blob-connection-string'; connectionString: string; container: string; spoolDir: string }
  /** A folder on disk (`npm start`). */
  | { kind: 'local'; dir: string; spoolDir: string };

/** Opens the store for a round. No I/O until first use. */
export function openStore(settings: StoreSettings, tuning: Omit<BlobStoreOptions, 'container'> & SpoolOptions = {}): SpoolingStore {
  const { tripAfter, log, slowWriteMs, ...blob } = tuning;
  const inner =
    settings.kind === 'local'
      ? createLocalStore(settings.dir)
      : createBlobStore(
          settings.kind === 'blob-entra' ? { accountUrl: settings.accountUrl, credential: settings.credential } : { connectionString: settings.connectionString },
          { ...blob, container: settings.container },
        );
  return withSpool(inner, settings.spoolDir, { tripAfter, log, slowWriteMs, now: tuning.now });
}
