/**
 * Reads a run folder for `realtime-canary report`: one written by `probe` (events.jsonl) or one downloaded from
 * Blob Storage (events.jsonl.gz next to the WAVs, e.g. with `az storage blob download-batch`).
 */
import { access, readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { parseWav } from '../audio/wav.js';
import { InputError } from '../errors.js';
import type { Trace } from '../probe/trace.js';
import { EVENTS_FILE, parseEvents, promptWavName, readTrace, turnWavName } from '../probe/traceFile.js';
import { gunzipText } from '../sinks/gzip.js';

export const GZ_EVENTS_FILE = `${EVENTS_FILE}.gz`;

/** The trace of a run folder; events.jsonl wins when both it and events.jsonl.gz are present. */
export async function readRunFolder(dir: string): Promise<Trace> {
  if ((await exists(join(dir, EVENTS_FILE))) || !(await exists(join(dir, GZ_EVENTS_FILE)))) return readTrace(dir);
  const path = join(dir, GZ_EVENTS_FILE);
  let text: string;
  try {
    text = await gunzipText(await readFile(path));
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

export async function exists(path: string): Promise<boolean> {
  return access(path).then(
    () => true,
    () => false,
  );
}
