/**
 * The prompt catalogue, in its own folder because both the probe (what it says) and the simulator (what it
 * answers) read it. The catalogue (`prompts/catalog.json`) lists the fixed spoken prompts: each one's id, its
 * text, a reference answer (what the simulator says) and what a correct answer must contain. Users may add their
 * own WAV files; a WAV that is not PCM16 / 24 kHz / mono is converted, or rejected with an error naming the file.
 */
import { readFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { InputError, ConfigError } from '../errors.js';
import { shownName } from '../config/shown.js';
import { wavToPcm16, BYTES_PER_MS } from '../audio/wav.js';
import { packageFile } from '../version.js';

export interface PromptSpec {
  id: string;
  text: string | undefined;
  /** The reference answer the simulator speaks; undefined for user prompts. */
  answer: string | undefined;
  /** Words or phrases a correct answer must contain (case-insensitive). */
  expect: string[];
  /** PCM16 24 kHz mono. */
  pcm: Buffer;
}

interface CatalogEntry {
  id: string;
  text: string;
  answer: string;
  expect: string[];
  file: string;
}

/** The repository's prompts folder (`prompts/`, next to package.json), found from the installed package. */
export function defaultPromptsDir(): string {
  const catalog = packageFile(join('prompts', 'catalog.json'));
  if (catalog === undefined) throw new ConfigError('prompts', 'cannot find prompts/catalog.json next to the installed package');
  return dirname(catalog);
}

const MIN_PROMPT_MS = 100;

export function loadCatalog(dir = defaultPromptsDir()): PromptSpec[] {
  const file = join(dir, 'catalog.json');
  let entries: CatalogEntry[];
  try {
    entries = JSON.parse(readFileSync(file, 'utf8')) as CatalogEntry[];
  } catch (err) {
    throw new InputError(file, `cannot be read as JSON (${(err as Error).message})`);
  }
  return entries.map((e) => ({ id: e.id, text: e.text, answer: e.answer, expect: e.expect, pcm: readPromptWav(join(dir, e.file)) }));
}

/** Reads a prompt WAV as PCM16 24 kHz mono, converting if needed. */
export function readPromptWav(path: string): Buffer {
  let buf: Buffer;
  try {
    buf = readFileSync(path);
  } catch (err) {
    throw new InputError(path, `cannot be read (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
  }
  const pcm = wavToPcm16(buf, path);
  if (pcm.length < MIN_PROMPT_MS * BYTES_PER_MS) {
    throw new InputError(path, `holds ${(pcm.length / BYTES_PER_MS).toFixed(0)} ms of audio; a prompt needs at least ${MIN_PROMPT_MS} ms`);
  }
  return pcm;
}

/** Resolves `--prompt` values: catalogue ids or paths to .wav files. */
export function resolvePrompts(refs: readonly string[], catalog: readonly PromptSpec[]): PromptSpec[] {
  return refs.map((ref) => {
    const known = catalog.find((p) => p.id === ref);
    if (known) return known;
    if (ref.toLowerCase().endsWith('.wav')) {
      return { id: basename(ref, '.wav'), text: undefined, answer: undefined, expect: [], pcm: readPromptWav(resolve(ref)) };
    }
    throw new ConfigError('prompt', `${shownName(ref)} is neither a catalogue id (${catalog.map((p) => p.id).join(', ')}) nor a .wav file`);
  });
}
