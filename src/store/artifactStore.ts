/**
 * The one storage interface every sink writes through. Implementations: {@link ./blobStore.ts} (Azure Blob
 * Storage or Azurite), {@link ./localStore.ts} (a folder on disk) and {@link ./spool.ts} (a wrapper that keeps
 * writes in a local spool while the inner store is down). Paths are relative, `/`-separated, as produced by
 * {@link ./layout.ts}.
 */

/**
 * Raw bytes, UTF-8 text, or bytes in parts written one after the other (a WAV's header and the trace's own PCM,
 * evidence.zip's entries): a writer need not copy the audio into one more buffer to store it.
 */
export type Body = Buffer | string | readonly Uint8Array[];

/** Where artifacts, the index, `latest/` and alert state live. */
export interface ArtifactStore {
  /** What this store is, for logs (never a key, SAS or connection string), e.g. `blob:devstoreaccount1/canary`. */
  readonly description: string;

  /** Writes (replaces) one artifact. Retried on transient failures; throws when the store stays down. */
  put(path: string, body: Body, contentType: string): Promise<void>;

  /** Reads one artifact, or `undefined` if it does not exist. */
  get(path: string): Promise<Buffer | undefined>;

  /**
   * Appends one line (a trailing `\n` is added if missing) to a line-oriented artifact, creating it on first
   * use. Safe with concurrent appenders (in Azure an append blob: every line is one block). A retried append
   * after an ambiguous failure may store the line twice; readers of the index de-duplicate by run id + target.
   */
  appendLine(path: string, line: string): Promise<void>;

  /** Reads and parses a JSON artifact, or `undefined` if it does not exist. Throws InputError on bad JSON. */
  readJson<T>(path: string): Promise<T | undefined>;

  /**
   * Read-modify-write of a small JSON artifact with optimistic concurrency: read with its version (ETag),
   * call `fn`, write only if the version is unchanged (`ifMatch`, or `ifNoneMatch: '*'` for a new artifact),
   * and on a conflict re-read and call `fn` again. Concurrent updaters (other processes, other regions) all
   * land; none overwrites another. `fn` must be pure and may run several times; the value returned by its
   * last call is what was stored and is returned. Make `fn` idempotent (e.g. ignore a run id it has already
   * seen): a write whose response was lost and then retried could otherwise apply twice.
   */
  updateJson<T>(path: string, fn: (current: T | undefined) => T): Promise<T>;

  /** Paths of all artifacts whose path starts with `prefix`, sorted. */
  list(prefix: string): Promise<string[]>;

  /**
   * A short-lived, read-only URL for one artifact that someone without access to the store can open (the
   * report link in alerts), or `undefined` when the store cannot issue one. Implementations never issue an
   * account-key SAS. `ttlMinutes` is clamped to what the store supports.
   */
  readLink(path: string, ttlMinutes: number): Promise<string | undefined>;
}

/** The store could not be reached or kept failing after its retries. `cause` keeps the last error. */
export class StoreUnavailableError extends Error {
  override readonly name = 'StoreUnavailableError';
  constructor(
    readonly operation: string,
    readonly path: string,
    options?: { cause?: unknown },
  ) {
    super(`${operation} ${path}: storage unavailable`, options);
  }
}

/** `updateJson` gave up after too many conflicting concurrent writers. */
export class ConcurrencyError extends Error {
  override readonly name = 'ConcurrencyError';
  constructor(
    readonly path: string,
    readonly attempts: number,
  ) {
    super(`${path}: still conflicting after ${attempts} attempts`);
  }
}

/** A body as bytes to write in order, without copying: the Buffer or each part (UTF-8 for text). */
export function bodyParts(body: Body): readonly Uint8Array[] {
  return typeof body === 'string' ? [Buffer.from(body, 'utf8')] : Buffer.isBuffer(body) ? [body] : body;
}

/** A line terminated by exactly one `\n`. */
export function asLine(line: string): string {
  return line.endsWith('\n') ? line : `${line}\n`;
}
