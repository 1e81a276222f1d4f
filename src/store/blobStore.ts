/**
 * ArtifactStore on Azure Blob Storage (or Azurite). In Azure it authenticates with an Entra TokenCredential
 * (managed identity) against the account URL; locally with a connection string. The container is created on
 * first use. Every operation is retried twice over: the SDK's own per-request retry policy (`sdkRetry`), and
 * around it our bounded retry on transient failures (network errors, 408, 429, 5xx), after which the store
 * throws StoreUnavailableError (the spool wrapper then keeps the write locally).
 *
 * Time is bounded on the client: each operation (all its tries together) runs under an AbortSignal that fires
 * after `operationTimeoutMs` or when the round's `signal` fires, whichever is first. The SDK's `tryTimeoutInMs`
 * only sets the server-side `timeout=` parameter, so without this a store that accepts connections and never
 * answers would hang the round.
 */
import type { TokenCredential } from '@azure/identity';
import { BlobServiceClient, type ContainerClient, type StorageRetryOptions } from '@azure/storage-blob';
import { azureCredential } from '../azure/credential.js';
import { DeadlineError, withDeadline } from '../deadline.js';
import { Readable } from 'node:stream';
import { asLine, bodyParts, StoreUnavailableError, type ArtifactStore, type Body } from './artifactStore.js';
import { retrying, type Sleep } from './backoff.js';
import { contentTypeFor } from './layout.js';
import { parseJson, updateJsonOptimistically, type VersionedAccess } from './optimisticUpdate.js';
import { isNotFound, isPreconditionFailure, isTransient } from './storageErrors.js';
import type { BlobSettings } from './storageSettings.js';
import { userDelegationLinks, type LinkMaker, type LinkScope } from './userDelegationLink.js';

/** Retry tuning of {@link createBlobStore} (the account and container are in its settings). */
export interface BlobStoreOptions {
  /** The Entra credential of an `account-url` store (default: {@link azureCredential} of its `clientId`; tests inject one). */
  credential?: TokenCredential;
  /** Per-request retry inside the SDK. Default {@link DEFAULT_SDK_RETRY}. */
  sdkRetry?: StorageRetryOptions;
  /** Our attempts per operation around the SDK's retries (default 2). */
  attempts?: number;
  /** Backoff between our attempts (default 500 ms base, 4 s cap, full jitter). */
  baseDelayMs?: number;
  maxDelayMs?: number;
  sleep?: Sleep;
  random?: () => number;
  now?: () => Date;
  /** What report links authorize (default `container`, so the report's audio plays; see userDelegationLink.ts). */
  linkScope?: LinkScope;
  /** Client-side budget of one operation, all tries included (default {@link DEFAULT_OPERATION_TIMEOUT_MS}). */
  operationTimeoutMs?: number;
  /** Aborts every operation in flight and fails new ones at once (the round's hard deadline). */
  signal?: AbortSignal;
}

/** One storage operation, all retries included, gives up after this long on the client. */
export const DEFAULT_OPERATION_TIMEOUT_MS = 20_000;

/**
 * SDK retry: 3 tries per request, 15 s per try, 0.5 s → 4 s exponential delays. With our 2 attempts around
 * it, a refused connection fails in ~4 s and a black-holed endpoint in at most ~95 s; the spool wrapper then
 * stops calling the store for the rest of the run.
 */
export const DEFAULT_SDK_RETRY: StorageRetryOptions = {
  maxTries: 3,
  tryTimeoutInMs: 15_000,
  retryDelayInMs: 500,
  maxRetryDelayInMs: 4_000,
};

/** Append blocks are limited to 4 MiB. */
const MAX_APPEND_BYTES = 4 * 1024 * 1024;

/**
 * Creates the store. No I/O happens until the first operation.
 *
 * `readLink` returns a user-delegation SAS URL (read-only) when the connection uses a TokenCredential, and
 * `undefined` with a connection string: this store never signs with the account key, so Azurite and local
 * development get no report links (the report path is shown instead).
 */
export function createBlobStore(settings: BlobSettings, options: BlobStoreOptions = {}): ArtifactStore {
  const service = blobService(settings, { ...DEFAULT_SDK_RETRY, ...options.sdkRetry }, options.credential);
  const container = service.getContainerClient(settings.container);
  const links: LinkMaker | undefined =
    settings.kind === 'account-url'
      ? userDelegationLinks(service, settings.container, options.now, options.linkScope)
      : undefined;
  return new BlobStore(container, `blob:${service.accountName}/${settings.container}`, links, options);
}

/** The one place a BlobServiceClient is made: from a connection string, or the account URL with an Entra credential. */
export function blobService(
  settings: BlobSettings,
  retryOptions: StorageRetryOptions,
  credential?: TokenCredential,
): BlobServiceClient {
  return settings.kind === 'connection-string'
    ? BlobServiceClient.fromConnectionString(settings.connectionString, { retryOptions })
    : new BlobServiceClient(settings.accountUrl, credential ?? azureCredential(settings.clientId), { retryOptions });
}

class BlobStore implements ArtifactStore, VersionedAccess {
  #container: ContainerClient;
  #links: LinkMaker | undefined;
  #options: BlobStoreOptions;
  #containerReady: Promise<void> | undefined;
  #appendBlobs = new Set<string>();

  constructor(
    container: ContainerClient,
    readonly description: string,
    links: LinkMaker | undefined,
    options: BlobStoreOptions,
  ) {
    this.#container = container;
    this.#links = links;
    this.#options = options;
  }

  async put(path: string, body: Body, contentType: string): Promise<void> {
    const parts = bodyParts(body);
    // one part goes as it is; several are streamed in order from where they sit (a factory, so a retry starts over)
    const data = parts.length === 1 ? parts[0]! : () => Readable.from(parts, { objectMode: false });
    await this.#op('put', path, (abortSignal) =>
      this.#container.getBlockBlobClient(path).upload(
        data,
        parts.reduce((n, p) => n + p.byteLength, 0),
        { blobHTTPHeaders: { blobContentType: contentType }, abortSignal },
      ),
    );
  }

  async get(path: string): Promise<Buffer | undefined> {
    return this.#op('get', path, async (abortSignal) => {
      try {
        // one GET for the whole blob: downloadToBuffer asks for the size first and then for that many bytes, so a
        // blob another process rewrites in between reads torn (a prefix of a longer version) or answers 416
        const response = await this.#container.getBlobClient(path).download(0, undefined, { abortSignal });
        return await readAll(response.readableStreamBody);
      } catch (error) {
        if (isNotFound(error)) return undefined;
        throw error;
      }
    });
  }

  async appendLine(path: string, line: string): Promise<void> {
    const bytes = Buffer.from(asLine(line), 'utf8');
    if (bytes.length > MAX_APPEND_BYTES)
      throw new RangeError(`${path}: a line of ${bytes.length} bytes exceeds the 4 MiB append block limit`);
    await this.#op('appendLine', path, async (abortSignal) => {
      const blob = this.#container.getAppendBlobClient(path);
      const create = async (): Promise<void> => {
        await blob.createIfNotExists({ blobHTTPHeaders: { blobContentType: contentTypeFor(path) }, abortSignal });
        this.#appendBlobs.add(path);
      };
      if (!this.#appendBlobs.has(path)) await create();
      try {
        await blob.appendBlock(bytes, bytes.length, { abortSignal });
      } catch (error) {
        if (!isNotFound(error)) throw error;
        // Deleted since we created it (e.g. by lifecycle management): create it again.
        await create();
        await blob.appendBlock(bytes, bytes.length, { abortSignal });
      }
    });
  }

  async readJson<T>(path: string): Promise<T | undefined> {
    const body = await this.get(path);
    return body === undefined ? undefined : parseJson<T>(body, path);
  }

  updateJson<T>(path: string, fn: (current: T | undefined) => T): Promise<T> {
    return updateJsonOptimistically(this, path, fn, { sleep: this.#options.sleep, random: this.#options.random });
  }

  async readVersioned(path: string): Promise<{ body: Buffer; etag: string } | undefined> {
    return this.#op('read', path, async (abortSignal) => {
      try {
        const response = await this.#container.getBlobClient(path).download(0, undefined, { abortSignal });
        const body = await readAll(response.readableStreamBody);
        if (!response.etag) throw new Error(`${path}: the service returned no ETag`);
        return { body, etag: response.etag };
      } catch (error) {
        if (isNotFound(error)) return undefined;
        throw error;
      }
    });
  }

  async writeIfVersion(
    path: string,
    body: Buffer,
    contentType: string,
    expected: string | undefined,
  ): Promise<boolean> {
    return this.#op('conditional put', path, async (abortSignal) => {
      try {
        await this.#container.getBlockBlobClient(path).upload(body, body.length, {
          abortSignal,
          blobHTTPHeaders: { blobContentType: contentType },
          conditions: expected === undefined ? { ifNoneMatch: '*' } : { ifMatch: expected },
        });
        return true;
      } catch (error) {
        if (isPreconditionFailure(error)) return false;
        throw error;
      }
    });
  }

  async list(prefix: string): Promise<string[]> {
    return this.#op('list', prefix, async (abortSignal) => {
      const names: string[] = [];
      try {
        for await (const item of this.#container.listBlobsFlat({ prefix, abortSignal })) names.push(item.name);
      } catch (error) {
        if (isNotFound(error)) return [];
        throw error;
      }
      return names.sort();
    });
  }

  async readLink(path: string, ttlMinutes: number): Promise<string | undefined> {
    if (!this.#links) return undefined;
    const links = this.#links;
    return this.#op('readLink', path, () => links(path, ttlMinutes));
  }

  /**
   * Runs one operation with the container ensured, retrying transient failures, all under one client-side
   * deadline; wraps the final failure (a timeout counts as the store being unavailable).
   */
  async #op<T>(operation: string, path: string, fn: (signal: AbortSignal) => Promise<T>): Promise<T> {
    const budget = this.#options.operationTimeoutMs ?? DEFAULT_OPERATION_TIMEOUT_MS;
    try {
      return await withDeadline(
        `storage ${operation}`,
        budget,
        (signal) => this.#retried(signal, fn),
        this.#options.signal,
      );
    } catch (error) {
      if (error instanceof DeadlineError) throw new StoreUnavailableError(operation, path, { cause: error });
      if (isTransient(error)) throw new StoreUnavailableError(operation, path, { cause: error });
      throw error;
    }
  }

  #retried<T>(signal: AbortSignal, fn: (signal: AbortSignal) => Promise<T>): Promise<T> {
    return retrying(
      async () => {
        if (signal.aborted) throw new DeadlineError('storage', 0);
        await this.#ensureContainer(signal);
        return fn(signal);
      },
      {
        attempts: this.#options.attempts ?? 2,
        baseDelayMs: this.#options.baseDelayMs ?? 500,
        maxDelayMs: this.#options.maxDelayMs ?? 4_000,
        isRetryable: isTransient,
        sleep: this.#options.sleep,
        random: this.#options.random,
      },
    );
  }

  /**
   * Creates the container once per store. A refusal other than a transient one (e.g. 403 for an identity without
   * container rights) is taken to mean the infrastructure created it.
   */
  #ensureContainer(abortSignal: AbortSignal): Promise<void> {
    this.#containerReady ??= this.#container.createIfNotExists({ abortSignal }).then(
      () => undefined,
      (error: unknown) => {
        if (!isTransient(error)) return; // e.g. 403: no right to create containers, so it was provisioned
        this.#containerReady = undefined; // try again on the next operation
        throw error;
      },
    );
    return this.#containerReady;
  }
}

async function readAll(stream: NodeJS.ReadableStream | undefined): Promise<Buffer> {
  if (!stream) return Buffer.alloc(0);
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
  return Buffer.concat(chunks);
}
