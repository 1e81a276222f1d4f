/**
 * Where the canary keeps what it stores: the one storage-settings type. The config module parses the app
 * settings into it (../config/settings.ts); the store opens it for a round (./openStore.ts) and for reading
 * (./artifactReader.ts), building the Entra credential itself. It lives here, below config, so neither side
 * imports the other the wrong way.
 */

export type StorageSettings =
  /** Azure: the account URL (`https://<account>.blob.core.windows.net`) with Entra ID, pinned to the user-assigned identity `clientId` when given. */
  | { kind: 'account-url'; accountUrl: string; clientId: string | undefined; container: string }
  /** Azurite / local development; `UseDevelopmentStorage=true` works (the SDK expands it to 127.0.0.1:10000). */
  | { kind: 'connection-string'; connectionString: string; container: string }
  /** A folder on disk (`npm start`). */
  | { kind: 'local'; dir: string };

/** The Blob Storage (or Azurite) settings. */
export type BlobSettings = Exclude<StorageSettings, { kind: 'local' }>;
