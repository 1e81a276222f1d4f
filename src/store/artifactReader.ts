/**
 * Read-only access to stored artifacts by byte range, for serving them over HTTP (the reports site,
 * ../handlers/reportsHttp.ts): an artifact's size and version, then the bytes asked for. Blob Storage through the
 * store's own client (./blobStore.ts), or a local folder. Nothing here writes; the caller checks which paths
 * may be read.
 */
import { open, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { blobService } from './blobStore.js';
import { isNotFound } from './storageErrors.js';
import type { StorageSettings } from './storageSettings.js';

/** One stored artifact: its size, its version, and its bytes [start, end] (inclusive). */
export interface StoredArtifact {
  size: number;
  etag: string | undefined;
  read(start: number, end: number): Promise<Buffer | NodeJS.ReadableStream>;
}

/** Looks an artifact up by its path in the store; `undefined` when there is none. */
export type ArtifactReader = (path: string) => Promise<StoredArtifact | undefined>;

/** Reading is for a person waiting on a page: fewer, shorter tries than a round's writes. */
const READ_RETRY = { maxTries: 2, tryTimeoutInMs: 10_000 };
const LOOKUP_TIMEOUT_MS = 15_000;
const DOWNLOAD_TIMEOUT_MS = 60_000;

/** A reader over the configured store. No I/O until the first lookup. */
export function openReader(storage: StorageSettings): ArtifactReader {
  if (storage.kind === 'local') {
    return async (path) => {
      const file = join(storage.dir, ...path.split('/'));
      const info = await stat(file).catch(() => undefined);
      if (!info?.isFile()) return undefined;
      return {
        size: info.size,
        etag: `"${info.size}-${info.mtimeMs}"`,
        // only the bytes asked for, streamed: a 1-byte range of a 200 MB WAV reads one byte, not the file
        // (opened here, so a file gone since stat fails the request, not the stream)
        read: async (s, e) => (await open(file)).createReadStream({ start: s, end: e }),
      };
    };
  }
  const container = blobService(storage, READ_RETRY).getContainerClient(storage.container);
  return async (path) => {
    const blob = container.getBlobClient(path);
    const props = await blob
      .getProperties({ abortSignal: AbortSignal.timeout(LOOKUP_TIMEOUT_MS) })
      .catch((err: unknown) => {
        if (isNotFound(err)) return undefined;
        throw err;
      });
    if (!props) return undefined;
    return {
      size: props.contentLength ?? 0,
      etag: props.etag,
      read: async (s, e) => {
        const res = await blob.download(s, e - s + 1, { abortSignal: AbortSignal.timeout(DOWNLOAD_TIMEOUT_MS) });
        return res.readableStreamBody ?? Buffer.alloc(0);
      },
    };
  };
}
