/**
 * Keeping the spool folder (./spool.ts) from filling up with what cannot be uploaded: files a failed write left
 * (a body without its metadata, a `.json.tmp`), removed once older than {@link LEFTOVER_AGE_MS} by their stamp;
 * paths no blob client can address, recognised before any network call so one such entry is quarantined instead
 * of stopping every flush; and dead letters, retried with backoff ({@link deadLetterDelayMs}) instead of kept
 * forever unretried; and the claims by which processes sharing the folder take entries one at a time.
 */
import { randomBytes } from 'node:crypto';
import { readdir, rename, stat, unlink, utimes } from 'node:fs/promises';
import { join } from 'node:path';

/** A claimed entry whose claimer has not finished within this long is given back to the queue. */
export const STALE_CLAIM_MS = 10 * 60_000;
const CLAIM_MARK = '.claimed-';
/** A leftover younger than this may still be written by an overlapping process: it is left alone. */
export const LEFTOVER_AGE_MS = 10 * 60_000;
/** The first retry of a dead letter waits this long; each later one twice as long, up to {@link DEAD_LETTER_MAX_MS}. */
export const DEAD_LETTER_FIRST_MS = 60 * 60_000;
export const DEAD_LETTER_MAX_MS = 24 * 60 * 60_000;
/** The longest blob name Azure Storage accepts. */
const MAX_BLOB_NAME = 1024;

/** When a spooled entry was written (its stamp starts with the epoch ms, zero-padded to 15 digits). */
export function stampTime(name: string): number | undefined {
  const ms = Number(name.slice(0, 15));
  return /^\d{15}-/.test(name) && Number.isFinite(ms) ? ms : undefined;
}

/** The wait before the `n`-th retry of a dead letter (n ≥ 1). */
export function deadLetterDelayMs(n: number): number {
  return Math.min(DEAD_LETTER_MAX_MS, DEAD_LETTER_FIRST_MS * 2 ** Math.max(0, n - 1));
}

/** Why a blob client could not address `path`, or undefined when it can (./layout.ts makes only addressable paths). */
export function unaddressable(path: string): string | undefined {
  if (typeof path !== 'string' || path.length === 0) return 'no path';
  if (path.length > MAX_BLOB_NAME) return `a path longer than ${MAX_BLOB_NAME} characters`;
  if (!wellFormed(path)) return 'a path that is not valid Unicode';
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f\\]/.test(path)) return 'a path with control characters or a backslash';
  if (path.split('/').some((s) => s === '' || s === '.' || s === '..')) return 'a path with an empty, . or .. segment';
  return undefined;
}

/** False for a lone UTF-16 surrogate, which no URL can carry (the blob client throws URIError on it). */
function wellFormed(path: string): boolean {
  try {
    encodeURIComponent(path);
    return true;
  } catch {
    return false;
  }
}

/**
 * Removes what failed writes left in `dir` (see the module comment), `now` on the spool's clock; returns how many
 * files it removed. The body of a complete entry (its metadata there, claimed or not) is never a leftover.
 */
export async function removeLeftovers(dir: string, now: number): Promise<number> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch {
    return 0;
  }
  const live = new Set(names.filter((n) => /\.json($|\.claimed-)/.test(n)).map((n) => n.slice(0, n.indexOf('.json'))));
  const stale = (n: string): boolean => {
    const t = stampTime(n);
    return t !== undefined && now - t > LEFTOVER_AGE_MS;
  };
  const leftovers = names.filter(
    (n) => stale(n) && (n.endsWith('.json.tmp') || (n.endsWith('.body') && !live.has(n.slice(0, -'.body'.length)))),
  );
  let removed = 0;
  for (const n of leftovers)
    if (
      await unlink(join(dir, n)).then(
        () => true,
        () => false,
      )
    )
      removed++;
  return removed;
}

/** Moves a spool entry's two files (body first, metadata last) from `from` to `to`. */
export async function moveEntry(from: string, to: string, stamp: string, meta: string): Promise<void> {
  await rename(join(from, `${stamp}.body`), join(to, `${stamp}.body`)).catch(() => undefined);
  await rename(join(from, meta), join(to, `${stamp}.json`)).catch(() => undefined);
}

/** Takes an entry for this process (atomic rename); undefined when another process took it first. */
export async function claim(spoolDir: string, name: string): Promise<string | undefined> {
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
export async function releaseStaleClaims(spoolDir: string): Promise<void> {
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
