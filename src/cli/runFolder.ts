/**
 * Reads a run folder for `realtime-canary report`: one written by `probe` (events.jsonl) or one downloaded from
 * Blob Storage (events.jsonl.gz next to the WAVs and, for WebRTC, the RTP logs `rtp-<n>.bin`, e.g. with
 * `az storage blob download-batch`).
 */
import { access, readFile, readdir } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { InputError } from '../errors.js';
import type { Trace } from '../trace/trace.js';
import { EVENTS_GZ, EVENTS_JSONL } from '../store/layout.js';
import { parseEvents, readTrace, readTraceFiles } from '../trace/traceFile.js';
import { gunzip } from 'node:zlib';
import { promisify } from 'node:util';

/** The trace of a run folder; events.jsonl wins when both it and events.jsonl.gz are present. */
export async function readRunFolder(dir: string): Promise<Trace> {
  const plain = await exists(join(dir, EVENTS_JSONL));
  if (!plain && !(await exists(join(dir, EVENTS_GZ)))) {
    const below = await runFoldersBelow(dir);
    if (below.length) {
      const shown = below
        .slice(0, 5)
        .map((d) => relative(dir, d) || '.')
        .join(', ');
      throw new InputError(
        dir,
        `is not a run folder, but has ${below.length} below it (${shown}${below.length > 5 ? ', …' : ''}); pass one of them`,
      );
    }
  }
  if (plain || !(await exists(join(dir, EVENTS_GZ)))) return readTrace(dir);
  const path = join(dir, EVENTS_GZ);
  let text: string;
  try {
    text = (await promisify(gunzip)(await readFile(path))).toString('utf8');
  } catch (err) {
    throw new InputError(path, `is not a readable gzip file (${(err as Error).message})`);
  }
  return readTraceFiles(dir, parseEvents(text, path));
}

/**
 * Run folders (holding events.jsonl or events.jsonl.gz) under `dir`, e.g. a container downloaded with `az storage blob
 * download-batch`; bounded depth and count.
 */
export async function runFoldersBelow(dir: string, depth = 8, limit = 200): Promise<string[]> {
  const found: string[] = [];
  const walk = async (d: string, left: number): Promise<void> => {
    if (left < 0 || found.length >= limit) return;
    const entries = await readdir(d, { withFileTypes: true }).catch(() => []);
    if (entries.some((e) => e.isFile() && (e.name === EVENTS_JSONL || e.name === EVENTS_GZ))) {
      found.push(d);
      return;
    }
    for (const e of entries) if (e.isDirectory()) await walk(join(d, e.name), left - 1);
  };
  await walk(dir, depth);
  return found.sort();
}

export async function exists(path: string): Promise<boolean> {
  return access(path).then(
    () => true,
    () => false,
  );
}
