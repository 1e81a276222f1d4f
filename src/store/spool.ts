/**
 * Nothing lost while storage is down: a wrapper store that, when a write (`put` / `appendLine`) still fails
 * after the inner store's own retries, keeps it in a local spool folder instead, and uploads the spool on a
 * later run with `flush()` (oldest first; each entry removed only after its upload succeeded).
 *
 * Spool entry = `<stamp>.body` (the bytes) + `<stamp>.json` (operation, path, content type, time), the JSON
 * written last by atomic rename so a half-written entry is never uploaded. Stamps sort by time.
 *
 * After `tripAfter` consecutive failed writes the wrapper stops calling the inner store for writes and spools
 * directly, so one dead store costs the round one retry cycle, not one per artifact; a failed `flush()` trips
 * it too, which also keeps new writes behind older spooled ones. Reads, `updateJson` and `readLink` go to the
 * inner store unchanged (they throw when it is down: the caller decides).
 *
 * Reads and `updateJson` of a degraded wrapper fail at once with StoreUnavailableError (no network wait), and a
 * read that times out or finds the store unavailable trips the wrapper too: one black-holed store costs the
 * round one operation budget, not one per call.
 *
 * Several processes may share one spool folder (overlapping rounds on one machine): `flush()` claims each entry
 * by renaming its metadata file (atomic; only one process wins) before uploading it, so no entry is uploaded
 * twice. A claim left by a process that died is released after {@link STALE_CLAIM_MS}.
 *
 * Nothing is dropped: a write refused for authorization (401/403, a role assignment still propagating) stops
 * the flush like an outage and waits for a later round; an entry the store rejects for good, or whose path no
 * client can address, is moved to `<spoolDir>/dead/` and retried there with backoff; what a failed write left
 * behind is removed (./spoolHousekeeping.ts). `flush()` reports how many dead letters are waiting.
 *
 * Order caveat: a spooled `appendLine` uploaded by `flush()` lands after lines appended since; index readers
 * must not rely on line order. A flush interrupted between upload and removal uploads that entry again.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, readdir, readFile, rename, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { bodyParts, StoreUnavailableError, type ArtifactStore, type Body } from './artifactStore.js';
import {
  claim,
  deadLetterDelayMs,
  moveEntry,
  releaseStaleClaims,
  removeLeftovers,
  unaddressable,
} from './spoolHousekeeping.js';
import { isAuthorizationFailure } from './storageErrors.js';

/** The metadata file of one spooled write. */
export interface SpoolEntry {
  op: 'put' | 'append';
  path: string;
  contentType: string;
  spooledAt: string;
  /** Why the write was spooled (error name and message of the inner store, no secrets). */
  reason: string;
  /** Times it was dead-lettered, and when it is tried again (set in `dead/`). */
  deadLetters?: number;
  retryAt?: string;
}

/** Structured log events (no bodies, no secrets). */
export type SpoolEvent =
  | { event: 'spooled'; op: SpoolEntry['op']; path: string; reason: string }
  | { event: 'uploaded'; path: string }
  | { event: 'flush-stopped'; path: string; reason: string }
  | { event: 'dead-lettered'; path: string; reason: string; retryAt?: string }
  | { event: 'dead-letter-retried'; path: string }
  | { event: 'leftovers-removed'; path: string; removed: number }
  | { event: 'unavailable'; path: string; reason: string };

/** What {@link SpoolingStore.flush} did. */
export interface FlushResult {
  uploaded: number;
  /** Entries still spooled (store down again, or entries moved aside). */
  remaining: number;
  /** Entries moved to `<spoolDir>/dead/` by this flush because the store rejected them (not an outage). */
  deadLettered: number;
  /** Dead letters waiting in `<spoolDir>/dead/` after this flush (each retried with backoff). */
  deadLetters: number;
}

/** Options of {@link withSpool}. */
export interface SpoolOptions {
  /** Consecutive failed writes after which writes go straight to the spool (default 1). */
  tripAfter?: number;
  /** A write that succeeds but takes longer than this marks the store unavailable too (default 15 s). */
  slowWriteMs?: number;
  log?: (event: SpoolEvent) => void;
  now?: () => Date;
}

/** A store whose writes survive an outage of the inner store. */
export interface SpoolingStore extends ArtifactStore {
  /** Uploads spooled entries oldest first. Never throws for store failures. */
  flush(): Promise<FlushResult>;
  /** Number of entries waiting in the spool folder. */
  pending(): Promise<number>;
  /** True once writes go straight to the spool. */
  readonly degraded: boolean;
  /** Stop calling the inner store for the rest of this run (it is too slow or out of budget). */
  markUnavailable(reason: string): void;
}

/** Wraps `inner` with a spool in `spoolDir` (created when first needed). */
export function withSpool(inner: ArtifactStore, spoolDir: string, options: SpoolOptions = {}): SpoolingStore {
  const tripAfter = options.tripAfter ?? 1;
  const now = options.now ?? (() => new Date());
  const log = options.log ?? (() => undefined);
  let failures = 0;
  let degraded = false;
  let unavailableReason = 'store marked unavailable earlier in this run';
  const slowWriteMs = options.slowWriteMs ?? 15_000;
  const markUnavailable = (reason: string): void => {
    if (!degraded) log({ event: 'unavailable', path: '', reason });
    degraded = true;
    unavailableReason = `store marked unavailable earlier in this run: ${reason}`;
  };
  let seq = 0;

  async function spool(
    op: SpoolEntry['op'],
    path: string,
    body: readonly Uint8Array[],
    contentType: string,
    reason: string,
  ): Promise<void> {
    await mkdir(spoolDir, { recursive: true });
    const stamp = `${String(now().getTime()).padStart(15, '0')}-${String(seq++).padStart(6, '0')}-${randomBytes(4).toString('hex')}`;
    const entry: SpoolEntry = { op, path, contentType, spooledAt: now().toISOString(), reason };
    try {
      await writeFile(join(spoolDir, `${stamp}.body`), body);
      await writeFile(join(spoolDir, `${stamp}.json.tmp`), JSON.stringify(entry));
      await rename(join(spoolDir, `${stamp}.json.tmp`), join(spoolDir, `${stamp}.json`));
    } catch (error) {
      // a full disk: remove the partial body and metadata, so the spool does not stay full for the next outage
      for (const f of [`${stamp}.body`, `${stamp}.json.tmp`]) await unlink(join(spoolDir, f)).catch(() => undefined);
      throw error;
    }
    log({ event: 'spooled', op, path, reason });
  }

  async function write(
    op: SpoolEntry['op'],
    path: string,
    body: readonly Uint8Array[],
    contentType: string,
    send: () => Promise<void>,
  ): Promise<void> {
    if (degraded) return spool(op, path, body, contentType, unavailableReason);
    const started = Date.now();
    try {
      await send();
      failures = 0;
      if (Date.now() - started > slowWriteMs) markUnavailable(`a write took ${Date.now() - started} ms (slow storage)`);
    } catch (error) {
      if (error instanceof RangeError || error instanceof TypeError) throw error; // our bug, not an outage
      if (++failures >= tripAfter) degraded = true;
      await spool(op, path, body, contentType, describe(error));
    }
  }

  /** A read (or state update) through the wrapper: fails fast once degraded, and an outage it meets trips it. */
  async function read<T>(operation: string, path: string, fn: () => Promise<T>): Promise<T> {
    if (degraded)
      throw new StoreUnavailableError(operation, path, {
        cause: new Error('store marked unavailable earlier in this run'),
      });
    try {
      return await fn();
    } catch (error) {
      if (error instanceof StoreUnavailableError) degraded = true;
      throw error;
    }
  }

  async function entries(): Promise<string[]> {
    try {
      return (await readdir(spoolDir)).filter((f) => f.endsWith('.json')).sort();
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw error;
    }
  }

  /**
   * Moves an entry the store rejects (or that cannot be read or addressed) to `<spoolDir>/dead/`, to be tried again
   * after {@link deadLetterDelayMs}; an entry whose metadata cannot be read stays there (counted, never retried).
   */
  async function deadLetter(stamp: string, name: string, reason: string, entry?: SpoolEntry): Promise<void> {
    const dead = join(spoolDir, 'dead');
    await mkdir(dead, { recursive: true });
    if (entry) {
      const deadLetters = (entry.deadLetters ?? 0) + 1;
      const retryAt = new Date(now().getTime() + deadLetterDelayMs(deadLetters)).toISOString();
      await writeFile(join(spoolDir, name), JSON.stringify({ ...entry, reason, deadLetters, retryAt }));
      log({ event: 'dead-lettered', path: entry.path, reason, retryAt });
    } else log({ event: 'dead-lettered', path: name, reason });
    await moveEntry(spoolDir, dead, stamp, name);
  }

  /** Puts the dead letters whose retry time has come back in the queue (their stamps keep them oldest first). */
  async function retryDeadLetters(): Promise<number> {
    const dead = join(spoolDir, 'dead');
    const names = (await readdir(dead).catch(() => [] as string[])).filter((n) => n.endsWith('.json'));
    let waiting = 0;
    for (const name of names) {
      const entry = await readFile(join(dead, name), 'utf8').then(
        (t) => JSON.parse(t) as SpoolEntry,
        () => undefined,
      );
      if (!entry || Date.parse(entry.retryAt ?? '') > now().getTime()) {
        waiting++;
        continue;
      }
      await moveEntry(dead, spoolDir, name.slice(0, -'.json'.length), name);
      log({ event: 'dead-letter-retried', path: entry.path });
    }
    return waiting;
  }

  async function flush(): Promise<FlushResult> {
    const result: FlushResult = { uploaded: 0, remaining: 0, deadLettered: 0, deadLetters: 0 };
    await releaseStaleClaims(spoolDir);
    const removed = await removeLeftovers(spoolDir, now().getTime());
    if (removed) log({ event: 'leftovers-removed', path: spoolDir, removed });
    const waiting = await retryDeadLetters();
    const done = (r: FlushResult): FlushResult => ({ ...r, deadLetters: waiting + r.deadLettered });
    const names = await entries();
    for (const [i, name] of names.entries()) {
      const stamp = name.slice(0, -'.json'.length);
      const claimed = await claim(spoolDir, name);
      if (claimed === undefined) continue; // another process is uploading it
      let entry: SpoolEntry;
      let body: Buffer;
      try {
        entry = JSON.parse(await readFile(join(spoolDir, claimed), 'utf8')) as SpoolEntry;
        body = await readFile(join(spoolDir, `${stamp}.body`));
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') continue; // flushed meanwhile by an overlapping run
        await deadLetter(stamp, claimed, describe(error));
        result.deadLettered++;
        continue;
      }
      const why = unaddressable(entry.path);
      if (why) {
        await deadLetter(stamp, claimed, `quarantined: ${why}`, entry);
        result.deadLettered++;
        continue;
      }
      try {
        if (entry.op === 'put') await inner.put(entry.path, body, entry.contentType);
        else await inner.appendLine(entry.path, body.toString('utf8'));
      } catch (error) {
        // an outage, or an identity whose role assignment is still propagating: keep it all for a later round
        if (error instanceof StoreUnavailableError || isAuthorizationFailure(error)) {
          degraded = true;
          await rename(join(spoolDir, claimed), join(spoolDir, name)).catch(() => undefined);
          log({ event: 'flush-stopped', path: entry.path, reason: describe(error) });
          result.remaining = names.length - i;
          return done(result);
        }
        await deadLetter(stamp, claimed, describe(error), entry);
        result.deadLettered++;
        continue;
      }
      await unlink(join(spoolDir, claimed)).catch(() => undefined);
      await unlink(join(spoolDir, `${stamp}.body`)).catch(() => undefined);
      log({ event: 'uploaded', path: entry.path });
      result.uploaded++;
    }
    return done(result);
  }

  return {
    description: `${inner.description} (spool: ${spoolDir})`,
    get degraded() {
      return degraded;
    },
    put: (path: string, body: Body, contentType: string) => {
      const parts = bodyParts(body);
      return write('put', path, parts, contentType, () => inner.put(path, parts, contentType));
    },
    appendLine: (path: string, line: string) =>
      write('append', path, bodyParts(line), 'application/x-ndjson', () => inner.appendLine(path, line)),
    get: (path) => read('get', path, () => inner.get(path)),
    readJson<T>(path: string) {
      return read('readJson', path, () => inner.readJson<T>(path));
    },
    updateJson<T>(path: string, fn: (current: T | undefined) => T) {
      return read('updateJson', path, () => inner.updateJson<T>(path, fn));
    },
    list: (prefix) => read('list', prefix, () => inner.list(prefix)),
    readLink: (path, ttl) => inner.readLink(path, ttl),
    flush,
    markUnavailable,
    pending: async () => (await entries()).length,
  };
}

/** Error name, message and its cause's code — enough to diagnose, with no request URLs. */
function describe(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  // a RestError carries its status itself; a StoreUnavailableError in its cause
  const from = (error.cause ?? error) as { code?: unknown; statusCode?: unknown };
  const fields = [from.statusCode, from.code].filter((x) => x !== undefined);
  const detail = fields.length ? ` (${fields.join(' ')})` : '';
  return `${error.name}: ${error.message}${detail}`;
}
