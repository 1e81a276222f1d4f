/**
 * Reads a run folder for `realtime-canary report`: one written by `probe` (events.jsonl) or one downloaded from
 * Blob Storage (events.jsonl.gz next to the WAVs, e.g. with `az storage blob download-batch`).
 */
import { access, readFile, readdir } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { parseWav } from '../audio/wav.js';
import { InputError } from '../errors.js';
import type { Trace } from '../trace/trace.js';
import { EVENTS_GZ, EVENTS_JSONL, promptWavName, turnWavName } from '../store/layout.js';
import { parseEvents, readTrace } from '../trace/traceFile.js';
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
  const { meta, entries } = parseEvents(text, path);
  const names = new Set(await readdir(dir));
  const wavs = async (name: (turn: number) => string): Promise<Map<number, Buffer>> => {
    const out = new Map<number, Buffer>();
    for (let turn = 0; turn <= meta.options.turns; turn++) {
      const file = join(dir, name(turn));
      if (names.has(name(turn))) out.set(turn, Buffer.from(parseWav(await readFile(file), file).data));
    }
    return out;
  };
  return { meta, entries, outputAudio: await wavs(turnWavName), promptAudio: await wavs(promptWavName) };
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
