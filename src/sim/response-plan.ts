/**
 * Plans one response as a timeline of steps (pure and deterministic): the answer's audio is cut into
 * deltas of 200–500 ms (the real service's size; `delivery.deltaMs` changes it), each word's transcript delta is placed
 * right before the delta that holds the start of
 * that word's voice, delivery times follow the scenario's speed and bursts, and faults are applied.
 *
 * Step times `at` are milliseconds after `response.create`. The runner turns steps into wire events.
 */
import { BYTES_PER_MS } from '../audio/wav.js';
import type { Rng } from './random.js';
import type { FailureKind } from './failures.js';
import type { Phase } from './payloads.js';
import type { Delivery, Fault } from './scenario.js';
import { outputAudioTokens } from './payloads.js';
import { fillerPcm, type SpokenAnswer, type SpokenToken } from './speech.js';

export type EndStatus = 'failed' | 'incomplete' | 'cancelled';

/** One thing the runner does at time `at`. */
export type Step =
  | { at: number; kind: 'open-item'; item: number }
  | { at: number; kind: 'text'; item: number; text: string }
  | { at: number; kind: 'audio'; item: number; pcm: Buffer }
  | { at: number; kind: 'audio-done'; item: number }
  | { at: number; kind: 'close-item'; item: number }
  | { at: number; kind: 'error'; code: string; message: string }
  | { at: number; kind: 'drop' }
  | { at: number; kind: 'close'; code: number; reason: string }
  /**
   * Ends the response; `closeOpen: 'completed'` first closes the open items as completed (a failed response listing
   * them); `failure` words a failed one (default `server_error`).
   */
  | {
      at: number;
      kind: 'end';
      status: EndStatus;
      reason: string | undefined;
      closeOpen?: 'completed';
      failure?: FailureKind;
    }
  | { at: number; kind: 'halt' }
  | { at: number; kind: 'response-done' };

/** What an output item will hold if the response completes. */
export interface PlannedItem {
  transcript: string;
  /** Audio the model generated for this item (what `usage` reports), in bytes. */
  audioBytes: number;
  /** A reasoning model's item phase (absent on the classic profile). */
  phase?: Phase;
}

export interface ResponsePlan {
  steps: Step[];
  items: PlannedItem[];
  /** The generated audio (gaps included), concatenated: what a perfect delivery would play. */
  pcm: Buffer;
  /** Reasoning tokens billed (inside `output_token_details.text_tokens`). */
  reasoningTokens?: number;
  /** PCM16 is sent whatever output format the session asked for (`ignore-output-format`). */
  ignoreOutputFormat?: boolean;
}

export interface PlanInput {
  spoken: SpokenAnswer;
  faults: readonly Fault[];
  delivery: Delivery | undefined;
  modality: 'audio' | 'text';
  rng: Rng;
}

/** Default generation speed, × real time. */
export const DEFAULT_SPEED = 4;
/** Default audio per delta, ms (real gpt-realtime-2: ~370 ms on average, openclaw#80505). */
export const DEFAULT_DELTA_MS = { min: 200, max: 500 } as const;

interface Chunk {
  item: number;
  start: number;
  end: number;
  firstOfItem: boolean;
  lastOfItem: boolean;
}

/** A fault that happens at an audio time: `step(at)` makes its step once the delivery time is known. */
type Marker = { atMs: number; step: (at: number) => Step };

function find<K extends Fault['kind']>(faults: readonly Fault[], kind: K): Extract<Fault, { kind: K }> | undefined {
  return faults.find((f): f is Extract<Fault, { kind: K }> => f.kind === kind);
}

function findAll<K extends Fault['kind']>(faults: readonly Fault[], kind: K): Extract<Fault, { kind: K }>[] {
  return faults.filter((f): f is Extract<Fault, { kind: K }> => f.kind === kind);
}

const toBytes = (ms: number): number => Math.floor((ms * BYTES_PER_MS) / 2) * 2;

/** Inserts silent gaps (sample-exact at `atMs * 48`), shifting the voice of later tokens. */
function applyGaps(spoken: SpokenAnswer, faults: readonly Fault[], rng: Rng): { pcm: Buffer; tokens: SpokenToken[] } {
  let pcm = spoken.pcm;
  let tokens = spoken.tokens.map((t) => ({ ...t }));
  for (const gap of findAll(faults, 'silent-gap').sort((a, b) => a.atMs - b.atMs)) {
    const at = Math.min(toBytes(gap.atMs), pcm.length);
    const filler = fillerPcm(toBytes(gap.durationMs), gap.noiseDbfs, rng);
    pcm = Buffer.concat([pcm.subarray(0, at), filler, pcm.subarray(at)]);
    tokens = tokens.map((t) => ({
      text: t.text,
      startByte: t.startByte >= at ? t.startByte + filler.length : t.startByte,
      endByte: t.endByte > at ? t.endByte + filler.length : t.endByte,
    }));
  }
  return { pcm, tokens };
}

/** From `atMs` to the end the audio is silence or noise (the voice stops; the tokens keep their positions). */
function applySilentTail(pcm: Buffer, faults: readonly Fault[], rng: Rng): Buffer {
  const tail = find(faults, 'silent-tail');
  if (!tail) return pcm;
  const at = Math.min(toBytes(tail.atMs), pcm.length);
  return Buffer.concat([pcm.subarray(0, at), fillerPcm(pcm.length - at, tail.noiseDbfs, rng)]);
}

/**
 * Where the output passes `maxOutputTokens` (audio at 20 tokens/s plus per-item overhead, text at 4 characters a
 * token), in audio ms on a 50 ms grid; undefined when the whole answer fits.
 */
export function outputCapMs(
  pcmBytes: number,
  tokens: readonly SpokenToken[],
  maxOutputTokens: number,
): number | undefined {
  const audioMs = pcmBytes / BYTES_PER_MS;
  for (let ms = 50; ms <= audioMs; ms += 50) {
    const chars = tokens.filter((t) => t.startByte < ms * BYTES_PER_MS).reduce((n, t) => n + t.text.length, 0);
    if (outputAudioTokens(ms, 1) + Math.ceil(chars / 4) > maxOutputTokens) return ms - 50;
  }
  return undefined;
}

/** Where the answer splits into two items: before the sentence start nearest the middle of the audio. */
function splitToken(tokens: readonly SpokenToken[], bytes: number): number {
  let best = -1;
  let bestDist = Infinity;
  for (let k = 1; k < tokens.length; k++) {
    const sentenceStart = /[.!?]$/.test(tokens[k - 1]?.text ?? '');
    const dist = Math.abs((tokens[k]?.startByte ?? 0) - bytes / 2) * (sentenceStart ? 1 : 3);
    if (dist < bestDist) [best, bestDist] = [k, dist];
  }
  return best;
}

function cutChunks(bounds: readonly number[], rng: Rng, size: { min: number; max: number }): Chunk[] {
  const chunks: Chunk[] = [];
  for (let item = 0; item + 1 < bounds.length; item++) {
    const [from, to] = [bounds[item] ?? 0, bounds[item + 1] ?? 0];
    for (let start = from; start < to;) {
      const end = Math.min(to, start + Math.max(2, toBytes(rng.int(Math.round(size.min), Math.round(size.max)))));
      chunks.push({ item, start, end, firstOfItem: start === from, lastOfItem: end === to });
      start = end;
    }
  }
  return chunks;
}

function markersOf(faults: readonly Fault[]): Marker[] {
  const markers: Marker[] = [];
  for (const f of faults) {
    if (f.kind === 'error-event') {
      const code = f.code ?? 'server_error';
      const message = f.message ?? 'The server had an error while processing your request. Sorry about that!';
      markers.push({ atMs: f.atMs, step: (at) => ({ at, kind: 'error', code, message }) });
    } else if (f.kind === 'drop') markers.push({ atMs: f.atMs, step: (at) => ({ at, kind: 'drop' }) });
    else if (f.kind === 'close')
      markers.push({ atMs: f.atMs, step: (at) => ({ at, kind: 'close', code: f.code, reason: f.reason }) });
    else if (f.kind === 'status' && f.atMs !== undefined)
      markers.push({ atMs: f.atMs, step: (at) => ({ at, kind: 'end', status: f.status, reason: f.reason }) });
    else if (f.kind === 'failed-after-partial')
      markers.push({
        atMs: f.atMs,
        step: (at) => ({ at, kind: 'end', status: 'failed', reason: undefined, closeOpen: 'completed' }),
      });
  }
  return markers.sort((a, b) => a.atMs - b.atMs);
}

/** A response refused before any output (capacity, rate limit): `response.done` `failed` after `afterMs`. */
function refusedPlan(faults: readonly Fault[]): ResponsePlan | undefined {
  const capacity = find(faults, 'capacity-failure');
  const limit = find(faults, 'rate-limit');
  if (!capacity && !limit) return undefined;
  const failure: FailureKind = capacity ? 'capacity' : limit?.window === 'rpd' ? 'rate-limit-rpd' : 'rate-limit-rpm';
  const at = capacity ? (capacity.afterMs ?? 400) : 30;
  return {
    steps: [{ at, kind: 'end', status: 'failed', reason: undefined, failure }],
    items: [],
    pcm: Buffer.alloc(0),
  };
}

/** Every `every`-th audio step is followed by a byte-identical copy at the same time. */
function repeatDeltas(steps: Step[], every: number): Step[] {
  let n = 0;
  return steps.flatMap((s) => (s.kind === 'audio' && ++n % every === 0 ? [s, { ...s }] : [s]));
}

/** Builds the timeline of one response. */
export function planResponse(input: PlanInput): ResponsePlan {
  const { faults, rng, modality } = input;
  const refused = refusedPlan(faults);
  if (refused) return refused;
  const gapped = applyGaps(input.spoken, faults, rng);
  const { tokens } = gapped;
  const pcm = applySilentTail(gapped.pcm, faults, rng);
  const split = find(faults, 'two-items') && tokens.length >= 2 ? splitToken(tokens, pcm.length) : -1;
  const bounds = split > 0 ? [0, tokens[split]?.startByte ?? 0, pcm.length] : [0, pcm.length];
  const itemTokens = bounds
    .slice(1)
    .map((_, i) => tokens.filter((_t, k) => (split > 0 ? (i === 0 ? k < split : k >= split) : true)));
  itemTokens.forEach((list) => {
    if (list[0]) list[0] = { ...list[0], text: list[0].text.trimStart() };
  });
  const items: PlannedItem[] = itemTokens.map((list, i) => ({
    transcript: list.map((t) => t.text).join(''),
    audioBytes: (bounds[i + 1] ?? 0) - (bounds[i] ?? 0),
  }));

  const speed = find(faults, 'slow-delivery')?.speed ?? input.delivery?.speed ?? DEFAULT_SPEED;
  const burstMs = input.delivery?.burstMs ?? 0;
  const jitterMs = input.delivery?.jitterMs ?? 0;
  const firstAudio = find(faults, 'slow-first-audio')?.delayMs ?? rng.range(150, 400);
  const stalls = findAll(faults, 'stall');
  const truncateAt = find(faults, 'truncate-audio');
  const truncBytes = truncateAt ? toBytes(truncateAt.atMs) : Infinity;
  const sendAudio = modality === 'audio' && !find(faults, 'text-only');
  const markers = markersOf(faults);
  const cap = find(faults, 'output-cap');
  const capMs = cap ? outputCapMs(pcm.length, tokens, cap.maxOutputTokens ?? 4096) : undefined;
  if (capMs !== undefined) {
    markers.push({
      atMs: capMs,
      step: (at) => ({ at, kind: 'end', status: 'incomplete', reason: 'max_output_tokens' }),
    });
    markers.sort((a, b) => a.atMs - b.atMs);
  }

  const chunks = cutChunks(bounds, rng, input.delivery?.deltaMs ?? DEFAULT_DELTA_MS);
  const steps: Step[] = [{ at: Math.min(firstAudio * 0.7, 150), kind: 'open-item', item: 0 }];
  const burstOf = (c: Chunk, i: number): number => (burstMs > 0 ? Math.floor(c.start / toBytes(burstMs)) : i);
  const burstEnd = new Map<number, number>();
  chunks.forEach((c, i) => burstEnd.set(burstOf(c, i), c.end));
  const firstEnd = chunks[0] ? (burstEnd.get(burstOf(chunks[0], 0)) ?? 0) : 0;
  const jitter = new Map<number, number>();
  let t = firstAudio;
  let secondItemDeltas = 0;
  let mi = 0;
  chunks.forEach((c, i) => {
    const b = burstOf(c, i);
    if (!jitter.has(b)) jitter.set(b, jitterMs > 0 ? rng.range(0, jitterMs) : 0);
    const startMs = c.start / BYTES_PER_MS;
    const stall = stalls.filter((s) => s.atMs <= startMs).reduce((sum, s) => sum + s.durationMs, 0);
    t = Math.max(
      t,
      firstAudio + ((burstEnd.get(b) ?? 0) - firstEnd) / BYTES_PER_MS / speed + (jitter.get(b) ?? 0) + stall,
    );
    for (; mi < markers.length && (markers[mi]?.atMs ?? 0) <= startMs; mi++)
      steps.push((markers[mi] as Marker).step(t));
    if (c.firstOfItem && c.item > 0) steps.push({ at: t, kind: 'open-item', item: c.item });
    for (const tok of itemTokens[c.item] ?? []) {
      if (tok.startByte >= c.start && (tok.startByte < c.end || c.lastOfItem))
        steps.push({ at: t, kind: 'text', item: c.item, text: tok.text });
    }
    if (sendAudio && c.start < truncBytes)
      steps.push({ at: t, kind: 'audio', item: c.item, pcm: pcm.subarray(c.start, Math.min(c.end, truncBytes)) });
    if (c.item === 1 && ++secondItemDeltas === 2) closeItem(steps, t, 0, faults, modality);
  });
  if (split > 0 && secondItemDeltas < 2) closeItem(steps, t, 0, faults, modality);
  const last = items.length - 1;
  t += 1;
  for (; mi < markers.length; mi++) steps.push((markers[mi] as Marker).step(t));

  const noDone = find(faults, 'no-response-done');
  if (noDone) {
    if (noDone.afterAudioDone && modality === 'audio') steps.push({ at: t, kind: 'audio-done', item: last });
    steps.push({ at: t, kind: 'halt' });
    return { steps, items, pcm };
  }
  const lose = find(faults, 'lose-last-deltas');
  if (lose) {
    const lost = new Set<Step>(steps.filter((s) => s.kind === 'audio').slice(-lose.count));
    const kept = steps.filter((s) => !lost.has(s));
    steps.length = 0;
    steps.push(...kept);
  }
  const late = find(faults, 'late-deltas');
  let doneAt = t;
  if (late) {
    const moved = new Set<Step>(steps.filter((s) => s.kind === 'audio').slice(-late.count));
    const kept = steps.filter((s) => !moved.has(s));
    steps.length = 0;
    steps.push(...kept, ...[...moved].map((s) => ({ ...s, at: t + late.afterMs })));
    if (late.holdResponseDone) doneAt = t + late.afterMs + 1;
  }
  closeItem(steps, t, last, faults, modality);
  const repeat = find(faults, 'repeat-deltas');
  if (repeat) steps.splice(0, steps.length, ...repeatDeltas(steps, repeat.every ?? 5));
  const status = faults.find(
    (f): f is Extract<Fault, { kind: 'status' }> => f.kind === 'status' && f.atMs === undefined,
  );
  steps.push(
    status
      ? { at: doneAt, kind: 'end', status: status.status, reason: status.reason }
      : { at: doneAt, kind: 'response-done' },
  );
  steps.sort((a, b) => a.at - b.at); // stable: equal times keep their planned order
  return { steps, items, pcm, ...(find(faults, 'ignore-output-format') ? { ignoreOutputFormat: true } : {}) };
}

function closeItem(
  steps: Step[],
  at: number,
  item: number,
  faults: readonly Fault[],
  modality: 'audio' | 'text',
): void {
  if (modality === 'audio' && !find(faults, 'no-audio-done')) steps.push({ at, kind: 'audio-done', item });
  steps.push({ at, kind: 'close-item', item });
}
