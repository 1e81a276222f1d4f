/**
 * The read-modify-write loop behind `ArtifactStore.updateJson`, written once against two primitives every
 * store provides: a read that returns the version (ETag) and a write that succeeds only if the version is
 * still the expected one. Conflicts are retried with a fresh read and a short jittered pause.
 */
import { InputError } from '../errors.js';
import { ConcurrencyError } from './artifactStore.js';
import { fullJitterDelay, realSleep, type Sleep } from './backoff.js';

/** Bytes plus the version they were read at. */
export interface Versioned {
  body: Buffer;
  etag: string;
}

/** The conditional primitives of a store. */
export interface VersionedAccess {
  readVersioned(path: string): Promise<Versioned | undefined>;
  /**
   * Writes `body` only if the stored version is `expected` (or, when `expected` is undefined, only if nothing
   * is stored yet). Resolves `false` when that precondition failed.
   */
  writeIfVersion(path: string, body: Buffer, contentType: string, expected: string | undefined): Promise<boolean>;
}

/** Tuning of {@link updateJsonOptimistically}. */
export interface OptimisticOptions {
  /** Conflicting attempts before giving up with ConcurrencyError (default 30). */
  maxAttempts?: number;
  sleep?: Sleep;
  random?: () => number;
}

/** Parses JSON bytes, naming the path on failure. */
export function parseJson<T>(body: Buffer, path: string): T {
  try {
    return JSON.parse(body.toString('utf8')) as T;
  } catch {
    throw new InputError(path, 'is not valid JSON');
  }
}

/** Applies `fn` to the stored JSON value under optimistic concurrency; returns the value stored. */
export async function updateJsonOptimistically<T>(
  access: VersionedAccess,
  path: string,
  fn: (current: T | undefined) => T,
  options: OptimisticOptions = {},
): Promise<T> {
  const maxAttempts = options.maxAttempts ?? 30;
  const sleep = options.sleep ?? realSleep;
  for (let attempt = 1; attempt <= maxAttempts; attempt++) {
    const current = await access.readVersioned(path);
    const next = fn(current === undefined ? undefined : parseJson<T>(current.body, path));
    const body = Buffer.from(JSON.stringify(next, null, 2) + '\n', 'utf8');
    if (await access.writeIfVersion(path, body, 'application/json', current?.etag)) return next;
    await sleep(fullJitterDelay(attempt, 20, 500, options.random));
  }
  throw new ConcurrencyError(path, maxAttempts);
}
