/**
 * ArtifactStore on a local folder, for `npm start`, local runs and the spool's own tests. Same semantics as
 * the blob store: whole-file writes are atomic (temp file + rename), appends use O_APPEND (one write per
 * line), and `updateJson` uses the same optimistic loop, with the version being a SHA-256 of the content and
 * the compare-and-write done under a lock file (`<file>.lock`, created with `wx`; a lock older than 30 s is
 * considered abandoned and broken). Safe for concurrent updaters in one process and across processes on one
 * machine.
 */
import { createHash, randomBytes } from 'node:crypto';
import { appendFile, mkdir, open, readdir, readFile, rename, rm, stat, unlink, writeFile } from 'node:fs/promises';
import { dirname, isAbsolute, relative, resolve, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import { asLine, bodyParts, type ArtifactStore, type Body } from './artifactStore.js';
import { fullJitterDelay, realSleep, type Sleep } from './backoff.js';
import { parseJson, updateJsonOptimistically, type Versioned, type VersionedAccess } from './optimisticUpdate.js';

const LOCK_SUFFIX = '.lock';
const TEMP_MARK = '.tmp-';
const STALE_LOCK_MS = 30_000;
const LOCK_TIMEOUT_MS = 60_000;

/** Options of {@link createLocalStore}. */
export interface LocalStoreOptions {
  sleep?: Sleep;
}

/**
 * A store rooted at `root` (created on first write). `readLink` returns a `file://` URL of the artifact: not a
 * SAS and only meaningful on this machine.
 */
export function createLocalStore(root: string, options: LocalStoreOptions = {}): ArtifactStore {
  return new LocalStore(resolve(root), options.sleep ?? realSleep);
}

class LocalStore implements ArtifactStore, VersionedAccess {
  readonly description: string;

  constructor(
    private readonly root: string,
    private readonly sleep: Sleep,
  ) {
    this.description = `local:${root}`;
  }

  async put(path: string, body: Body, _contentType: string): Promise<void> {
    await this.#writeAtomic(this.#file(path), bodyParts(body));
  }

  async get(path: string): Promise<Buffer | undefined> {
    try {
      return await readFile(this.#file(path));
    } catch (error) {
      if (isMissing(error)) return undefined;
      throw error;
    }
  }

  async appendLine(path: string, line: string): Promise<void> {
    const file = this.#file(path);
    await mkdir(dirname(file), { recursive: true });
    await appendFile(file, asLine(line), { encoding: 'utf8', flag: 'a' });
  }

  async readJson<T>(path: string): Promise<T | undefined> {
    const body = await this.get(path);
    return body === undefined ? undefined : parseJson<T>(body, path);
  }

  updateJson<T>(path: string, fn: (current: T | undefined) => T): Promise<T> {
    return updateJsonOptimistically(this, path, fn, { sleep: this.sleep });
  }

  async readVersioned(path: string): Promise<Versioned | undefined> {
    const body = await this.get(path);
    return body === undefined ? undefined : { body, etag: etagOf(body) };
  }

  async writeIfVersion(
    path: string,
    body: Buffer,
    _contentType: string,
    expected: string | undefined,
  ): Promise<boolean> {
    const file = this.#file(path);
    return this.#withLock(file, async () => {
      const current = await this.get(path);
      const currentTag = current === undefined ? undefined : etagOf(current);
      if (currentTag !== expected) return false;
      await this.#writeAtomic(file, body);
      return true;
    });
  }

  async list(prefix: string): Promise<string[]> {
    let entries: string[];
    try {
      entries = await readdir(this.root, { recursive: true });
    } catch (error) {
      if (isMissing(error)) return [];
      throw error;
    }
    const out: string[] = [];
    for (const entry of entries) {
      const path = entry.split(sep).join('/');
      if (!path.startsWith(prefix) || path.endsWith(LOCK_SUFFIX) || path.includes(TEMP_MARK)) continue;
      if ((await stat(resolve(this.root, entry)).catch(() => undefined))?.isFile()) out.push(path);
    }
    return out.sort();
  }

  async readLink(path: string, _ttlMinutes: number): Promise<string | undefined> {
    return pathToFileURL(this.#file(path)).href;
  }

  /** The file for a relative path; refuses anything that would leave the root. */
  #file(path: string): string {
    const file = resolve(this.root, path);
    const rel = relative(this.root, file);
    if (path === '' || rel === '' || rel.startsWith('..') || isAbsolute(rel)) {
      throw new RangeError(`artifact path escapes the store: ${JSON.stringify(path)}`);
    }
    return file;
  }

  async #writeAtomic(file: string, bytes: Buffer | readonly Uint8Array[]): Promise<void> {
    await mkdir(dirname(file), { recursive: true });
    const temp = `${file}${TEMP_MARK}${process.pid}-${randomBytes(4).toString('hex')}`;
    try {
      await writeFile(temp, bytes);
      await rename(temp, file);
    } catch (error) {
      await rm(temp, { force: true });
      throw error;
    }
  }

  async #withLock<T>(file: string, fn: () => Promise<T>): Promise<T> {
    const lock = file + LOCK_SUFFIX;
    await mkdir(dirname(file), { recursive: true });
    const started = Date.now();
    for (let attempt = 1; ; attempt++) {
      try {
        const handle = await open(lock, 'wx');
        await handle.close();
        break;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
        if ((await lockAge(lock)) > STALE_LOCK_MS) await unlink(lock).catch(() => undefined);
        if (Date.now() - started > LOCK_TIMEOUT_MS)
          throw new Error(`${lock}: could not take the lock within ${LOCK_TIMEOUT_MS} ms`);
        await this.sleep(fullJitterDelay(Math.min(attempt, 5), 5, 100));
      }
    }
    try {
      return await fn();
    } finally {
      await unlink(lock).catch(() => undefined);
    }
  }
}

/**
 * How long ago `lock` was taken, on the file system's own clock: its mtime against that of a file written now beside
 * it. Against Date.now() a share's clock, or a faked process clock, made a held lock look a year old, and it was
 * broken while held (updates lost). 0 when the lock is gone.
 */
async function lockAge(lock: string): Promise<number> {
  const taken = await stat(lock).catch(() => undefined);
  if (!taken) return 0;
  const probe = `${lock}${TEMP_MARK}now-${process.pid}-${randomBytes(4).toString('hex')}`; // listings skip it
  try {
    await writeFile(probe, '');
    return (await stat(probe)).mtimeMs - taken.mtimeMs;
  } catch {
    return 0;
  } finally {
    await rm(probe, { force: true });
  }
}

function etagOf(body: Buffer): string {
  return `"${createHash('sha256').update(body).digest('base64url')}"`;
}

function isMissing(error: unknown): boolean {
  return (error as NodeJS.ErrnoException | undefined)?.code === 'ENOENT';
}
