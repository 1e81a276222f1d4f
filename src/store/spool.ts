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
 * Order caveat: a spooled `appendLine` uploaded by `flush()` lands after lines appended since; index readers
 * must not rely on line order. A flush interrupted between upload and removal uploads that entry again.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, readdir, readFile, rename, stat, unlink, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { bodyParts, StoreUnavailableError, type ArtifactStore, type Body } from './artifactStore.js';

/** The metadata file of one spooled write. */
export interface SpoolEntry {
  op: 'put' | 'append';
  path: string;
  contentType: string;
  spooledAt: string;
  /** Why the write was spooled (error name and message of the inner store, no secrets). */
  reason: string;
}

/** Structured log events (no bodies, no secrets). */
export type SpoolEvent =
  | { event: 'spooled'; op: SpoolEntry['op']; path: string; reason: string }
  | { event: 'uploaded'; path: string }
  | { event: 'flush-stopped'; path: string; reason: string }
  | { event: 'dead-lettered'; path: string; reason: string }
  | { event: 'unavailable'; path: string; reason: string };

/** What {@link SpoolingStore.flush} did. */
export interface FlushResult {
  uploaded: number;
  /** Entries still spooled (store down again, or entries moved aside). */
  remaining: number;
  /** Entries moved to `<spoolDir>/dead/` because the store rejected them permanently (not an outage). */
  deadLettered: number;
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

/** A claimed entry whose claimer has not finished within this long is given back to the queue. */
export const STALE_CLAIM_MS = 10 * 60_000;
const CLAIM_MARK = '.claimed-';

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
    await writeFile(join(spoolDir, `${stamp}.body`), body);
    const entry: SpoolEntry = { op, path, contentType, spooledAt: now().toISOString(), reason };
    await writeFile(join(spoolDir, `${stamp}.json.tmp`), JSON.stringify(entry));
    await rename(join(spoolDir, `${stamp}.json.tmp`), join(spoolDir, `${stamp}.json`));
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

  /** Moves an entry the store rejects for good (or that cannot be read) to `<spoolDir>/dead/`. */
  async function deadLetter(stamp: string, name: string, reason: string, path = name): Promise<void> {
    await mkdir(join(spoolDir, 'dead'), { recursive: true });
    await rename(join(spoolDir, `${stamp}.body`), join(spoolDir, 'dead', `${stamp}.body`)).catch(() => undefined);
    await rename(join(spoolDir, name), join(spoolDir, 'dead', `${stamp}.json`)).catch(() => undefined);
    log({ event: 'dead-lettered', path, reason });
  }

  /** Takes an entry for this process (atomic rename); undefined when another process took it first. */
  async function claim(name: string): Promise<string | undefined> {
    const claimed = `${name}${CLAIM_MARK}${process.pid}-${randomBytes(4).toString('hex')}`;
    try {
      await rename(join(spoolDir, name), join(spoolDir, claimed));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw error;
    }
    const t = new Date();
    await utimes(join(spoolDir, claimed), t, t).catch(() => undefined);
    return claimed;
  }

  /** Gives back claims older than STALE_CLAIM_MS (their process died between claim and upload). */
  async function releaseStaleClaims(): Promise<void> {
    let names: string[];
    try {
      names = await readdir(spoolDir);
    } catch {
      return;
    }
    for (const claimed of names.filter((n) => n.includes(CLAIM_MARK))) {
      const age = await stat(join(spoolDir, claimed)).then(
        (s) => Date.now() - s.mtimeMs,
        () => 0,
      );
      if (age > STALE_CLAIM_MS)
        await rename(join(spoolDir, claimed), join(spoolDir, claimed.slice(0, claimed.indexOf(CLAIM_MARK)))).catch(
          () => undefined,
        );
    }
  }

  async function flush(): Promise<FlushResult> {
    const result: FlushResult = { uploaded: 0, remaining: 0, deadLettered: 0 };
    await releaseStaleClaims();
    const names = await entries();
    for (const [i, name] of names.entries()) {
      const stamp = name.slice(0, -'.json'.length);
      const claimed = await claim(name);
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
      try {
        if (entry.op === 'put') await inner.put(entry.path, body, entry.contentType);
        else await inner.appendLine(entry.path, body.toString('utf8'));
      } catch (error) {
        if (error instanceof StoreUnavailableError) {
          degraded = true;
          await rename(join(spoolDir, claimed), join(spoolDir, name)).catch(() => undefined);
          log({ event: 'flush-stopped', path: entry.path, reason: describe(error) });
          result.remaining = names.length - i;
          return result;
        }
        await deadLetter(stamp, claimed, describe(error), entry.path);
        result.deadLettered++;
        continue;
      }
      await unlink(join(spoolDir, claimed)).catch(() => undefined);
      await unlink(join(spoolDir, `${stamp}.body`)).catch(() => undefined);
      log({ event: 'uploaded', path: entry.path });
      result.uploaded++;
    }
    return result;
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
  const cause = error.cause as { code?: unknown; statusCode?: unknown } | undefined;
  const detail = cause ? ` (${[cause.statusCode, cause.code].filter((x) => x !== undefined).join(' ')})` : '';
  return `${error.name}: ${error.message}${detail}`;
}
