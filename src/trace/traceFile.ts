/**
 * The trace on disk: `events.jsonl` (meta line first, then one entry per line), `turn-<n>.wav` (output
 * audio), `prompt-<n>.wav` (prompt audio) and, for WebRTC, `rtp-<n>.bin` (./rtpLog.ts); the names are the
 * layout's (src/store/layout.ts). Reading them back gives the same Trace, so analysis and reports work from
 * these files alone. Known secret values (and key-like text) are scrubbed from every line written.
 * Writing never throws on what a trace holds: an entry that cannot be serialized is written degraded ({@link safeStringify}).
 */
import { mkdir, readFile, writeFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { parseWav, wavParts } from '../audio/wav.js';
import { InputError } from '../errors.js';
import { scrub } from '../realtime/redact.js';
import { EVENTS_JSONL, promptWavName, rtpLogName, turnWavName } from '../store/layout.js';
import { idFields } from './ids.js';
import { TRACE_FORMAT_VERSION, type RecvEntry, type Trace, type TraceEntry, type TraceMeta } from './trace.js';

/** Entries serialized between two yields to the event loop. */
const SERIALIZE_SLICE = 2000;

/**
 * The events.jsonl text of a trace, every line scrubbed. It yields to the event loop every
 * {@link SERIALIZE_SLICE} entries: a flooded trace (100 000 entries) takes about a second to scrub, and other
 * sessions of the round must go on receiving meanwhile.
 */
export async function serializeEvents(trace: Trace, secrets: readonly string[] = []): Promise<string> {
  const entries = [trace.meta, ...trace.entries];
  const lines: string[] = [];
  for (let i = 0; i < entries.length; i += SERIALIZE_SLICE) {
    if (i > 0) await new Promise((resolve) => setImmediate(resolve));
    for (const e of entries.slice(i, i + SERIALIZE_SLICE)) lines.push(scrub(safeStringify(e), secrets));
  }
  return lines.join('\n') + '\n';
}

/** Parses events.jsonl text. Throws InputError naming the source and line. */
export function parseEvents(text: string, source = EVENTS_JSONL): { meta: TraceMeta; entries: TraceEntry[] } {
  const lines = text.split('\n').filter((l) => l.trim() !== '');
  if (lines.length === 0) throw new InputError(source, 'is empty');
  const parsed = lines.map((line, i) => {
    try {
      return JSON.parse(line) as { kind?: unknown };
    } catch {
      throw new InputError(`${source}:${i + 1}`, 'is not valid JSON');
    }
  });
  const meta = parsed[0] as TraceMeta;
  if (meta.kind !== 'meta') throw new InputError(`${source}:1`, 'must be the meta line ({"kind":"meta",…})');
  if (meta.formatVersion !== TRACE_FORMAT_VERSION) {
    throw new InputError(
      `${source}:1`,
      `has trace format version ${String(meta.formatVersion)}; this build reads version ${TRACE_FORMAT_VERSION}`,
    );
  }
  parsed.slice(1).forEach((e, i) => {
    if (typeof e.kind !== 'string') throw new InputError(`${source}:${i + 2}`, 'has no "kind"');
  });
  const entries = parsed.slice(1) as TraceEntry[];
  for (const e of entries) if (e.kind === 'recv') fillIds(e);
  return { meta, entries };
}

/** Traces written before the recorder stored normalized ids get them here (read with idFields, ./ids.ts). */
function fillIds(e: RecvEntry): void {
  if ('responseId' in e || 'itemId' in e || typeof e.event !== 'object' || e.event === null) return;
  Object.assign(e, idFields(e.event));
}

/**
 * The PCM of each of a trace's WAV files, by file name: `turn-<n>.wav` (output audio), then `prompt-<n>.wav`.
 * Writers write each as `wavParts(pcm)` (header, then the PCM as it sits), so the audio is never copied.
 */
export function* traceAudio(trace: Trace): Generator<[name: string, pcm: Buffer]> {
  for (const [turn, pcm] of trace.outputAudio) yield [turnWavName(turn), pcm];
  for (const [turn, pcm] of trace.promptAudio) yield [promptWavName(turn), pcm];
}

/** Writes the trace files into `dir` (created if needed). Returns the file names written. */
export async function writeTrace(dir: string, trace: Trace, secrets: readonly string[] = []): Promise<string[]> {
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, EVENTS_JSONL), await serializeEvents(trace, secrets));
  const wavs: string[] = [];
  for (const [name, pcm] of traceAudio(trace)) {
    await writeFile(join(dir, name), wavParts(pcm));
    wavs.push(name);
  }
  const rtp = [...(trace.rtp ?? [])].map(([turn, log]): [string, Buffer] => [rtpLogName(turn), log]);
  for (const [name, log] of rtp) await writeFile(join(dir, name), log);
  return [EVENTS_JSONL, ...wavs, ...rtp.map(([name]) => name)];
}

/** Reads a trace back from a run folder. */
export async function readTrace(dir: string): Promise<Trace> {
  let text: string;
  try {
    text = await readFile(join(dir, EVENTS_JSONL), 'utf8');
  } catch {
    throw new InputError(dir, `has no ${EVENTS_JSONL}; is it a run folder written by "realtime-canary probe"?`);
  }
  return readTraceFiles(dir, parseEvents(text, join(dir, EVENTS_JSONL)));
}

/**
 * The trace of a parsed event log and the files next to it in `dir`: the WAVs and, for WebRTC, the RTP logs (also
 * for a folder downloaded from the store, whose event log is events.jsonl.gz).
 */
export async function readTraceFiles(dir: string, { meta, entries }: Pick<Trace, 'meta' | 'entries'>): Promise<Trace> {
  const names = new Set(await readdir(dir));
  const readWavs = async (name: (turn: number) => string): Promise<Map<number, Buffer>> => {
    const out = new Map<number, Buffer>();
    for (let turn = 0; turn <= meta.options.turns; turn++) {
      if (!names.has(name(turn))) continue;
      const path = join(dir, name(turn));
      out.set(turn, Buffer.from(parseWav(await readFile(path), path).data));
    }
    return out;
  };
  const trace: Trace = {
    meta,
    entries,
    outputAudio: await readWavs(turnWavName),
    promptAudio: await readWavs(promptWavName),
  };
  if (meta.target.transport === 'webrtc') {
    trace.rtp = new Map();
    for (let turn = 0; turn <= meta.options.turns; turn++)
      if (names.has(rtpLogName(turn))) trace.rtp.set(turn, await readFile(join(dir, rtpLogName(turn))));
  }
  return trace;
}

/**
 * JSON.stringify that never throws: a value that cannot be serialized (too deep, circular, BigInt) keeps its
 * primitive top-level fields, and each field that fails alone is replaced by `{ "unserializable": reason }`.
 */
export function safeStringify(value: unknown): string {
  try {
    return JSON.stringify(value) ?? 'null';
  } catch (err) {
    const reason = String((err as Error).message ?? err).slice(0, 200);
    if (typeof value !== 'object' || value === null) return JSON.stringify({ unserializable: reason });
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      try {
        JSON.stringify(v);
        out[k] = v;
      } catch (e) {
        out[k] = { unserializable: String((e as Error).message ?? e).slice(0, 200) };
      }
    }
    return JSON.stringify(out);
  }
}
