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
 * Order caveat: a spooled `appendLine` uploaded by `flush()` lands after lines appended since; index readers
 * must not rely on line order. A flush interrupted between upload and removal uploads that entry again.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, readdir, readFile, rename, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { StoreUnavailableError, toBuffer, type ArtifactStore, type Body } from './artifactStore.js';

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
  | { event: 'dead-lettered'; path: string; reason: string };

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
}

/** Wraps `inner` with a spool in `spoolDir` (created when first needed). */
export function withSpool(inner: ArtifactStore, spoolDir: string, options: SpoolOptions = {}): SpoolingStore {
  const tripAfter = options.tripAfter ?? 1;
  const now = options.now ?? (() => new Date());
  const log = options.log ?? (() => undefined);
  let failures = 0;
  let degraded = false;
  let seq = 0;

  async function spool(op: SpoolEntry['op'], path: string, body: Buffer, contentType: string, reason: string): Promise<void> {
    await mkdir(spoolDir, { recursive: true });
    const stamp = `${String(now().getTime()).padStart(15, '0')}-${String(seq++).padStart(6, '0')}-${randomBytes(4).toString('hex')}`;
    await writeFile(join(spoolDir, `${stamp}.body`), body);
    const entry: SpoolEntry = { op, path, contentType, spooledAt: now().toISOString(), reason };
    await writeFile(join(spoolDir, `${stamp}.json.tmp`), JSON.stringify(entry));
    await rename(join(spoolDir, `${stamp}.json.tmp`), join(spoolDir, `${stamp}.json`));
    log({ event: 'spooled', op, path, reason });
  }

  async function write(op: SpoolEntry['op'], path: string, body: Buffer, contentType: string, send: () => Promise<void>): Promise<void> {
    if (degraded) return spool(op, path, body, contentType, 'store marked unavailable earlier in this run');
    try {
      await send();
      failures = 0;
    } catch (error) {
      if (error instanceof RangeError || error instanceof TypeError) throw error; // our bug, not an outage
      if (++failures >= tripAfter) degraded = true;
      await spool(op, path, body, contentType, describe(error));
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
    await rename(join(spoolDir, name), join(spoolDir, 'dead', name)).catch(() => undefined);
    log({ event: 'dead-lettered', path, reason });
  }

  async function flush(): Promise<FlushResult> {
    const result: FlushResult = { uploaded: 0, remaining: 0, deadLettered: 0 };
    const names = await entries();
    for (const [i, name] of names.entries()) {
      const stamp = name.slice(0, -'.json'.length);
      let entry: SpoolEntry;
      let body: Buffer;
      try {
        entry = JSON.parse(await readFile(join(spoolDir, name), 'utf8')) as SpoolEntry;
        body = await readFile(join(spoolDir, `${stamp}.body`));
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') continue; // flushed meanwhile by an overlapping run
        await deadLetter(stamp, name, describe(error));
        result.deadLettered++;
        continue;
      }
      try {
        if (entry.op === 'put') await inner.put(entry.path, body, entry.contentType);
        else await inner.appendLine(entry.path, body.toString('utf8'));
      } catch (error) {
        if (error instanceof StoreUnavailableError) {
          degraded = true;
          log({ event: 'flush-stopped', path: entry.path, reason: describe(error) });
          result.remaining = names.length - i;
          return result;
        }
        await deadLetter(stamp, name, describe(error), entry.path);
        result.deadLettered++;
        continue;
      }
      await unlink(join(spoolDir, name)).catch(() => undefined);
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
      const bytes = toBuffer(body);
      return write('put', path, bytes, contentType, () => inner.put(path, bytes, contentType));
    },
    appendLine: (path: string, line: string) =>
      write('append', path, Buffer.from(line, 'utf8'), 'application/x-ndjson', () => inner.appendLine(path, line)),
    get: (path) => inner.get(path),
    readJson<T>(path: string) {
      return inner.readJson<T>(path);
    },
    updateJson<T>(path: string, fn: (current: T | undefined) => T) {
      return inner.updateJson<T>(path, fn);
    },
    list: (prefix) => inner.list(prefix),
    readLink: (path, ttl) => inner.readLink(path, ttl),
    flush,
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
