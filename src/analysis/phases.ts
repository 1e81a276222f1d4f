/**
 * Reasoning models, per item: each assistant item's phase (`commentary`: a spoken preamble; `final_answer`) and its
 * audio, and the pauses in which the model reasoned — from the end of a preamble's audio as the listener hears it
 * (the playback model) to when the listener starts the next item. Bookkeeping and measurement, no judgement: the detectors
 * (detectors/reasoning.ts) decide what is too long or missing.
 */
import { BYTES_PER_MS } from '../audio/wav.js';
import { itemIdOf } from '../trace/ids.js';
import type { DetectionConfig } from './config.js';
import { ms1 } from './fields.js';
import type { ItemAudioMetrics, Phase, PhaseMetrics, ReasoningPause, SilenceMetrics } from './metrics.js';
import type { Playback } from './playback.js';
import { SAMPLES_PER_MS } from './pcm.js';
import { analyzeSilence, noSpeech } from './silence.js';
import type { AudioDelta, ResponseView, TurnView } from './turnView.js';

/**
 * Indices of `r.deltas` that start a new item right after a commentary item's audio: the wait before each is the
 * model reasoning, not delivery.
 */
export function reasoningStarts(r: ResponseView): Set<number> {
  const starts = new Set<number>();
  const phase = new Map(r.items.map((i) => [i.id, i.phase]));
  for (let i = 1; i < r.deltas.length; i++) {
    const before = itemIdOf(r.deltas[i - 1]!);
    if (itemIdOf(r.deltas[i]!) !== before && phase.get(before) === 'commentary') starts.add(i);
  }
  return starts;
}

/** Whether any item of the turn carries a phase: the turn was answered by a reasoning model. */
export function isReasoningTurn(view: TurnView): boolean {
  return view.responses.some((r) => r.items.some((i) => i.phase) || r.messages.some((m) => m.phase));
}

/** One item's audio, with the silence analysis of that audio alone. */
interface ItemAudio {
  response: ResponseView;
  id: string | undefined;
  phase: Phase | undefined;
  deltas: AudioDelta[];
  firstSeen: number;
  silence: SilenceMetrics | undefined;
}

/**
 * The turn's assistant items (announced or carrying audio), in the order they began. Each item's audio is analysed
 * on its own — except the only item with audio of a turn without phases, whose audio is the turn's (`turnSilence`).
 */
function turnItems(view: TurnView, config: DetectionConfig, turnSilence: SilenceMetrics | undefined): ItemAudio[] {
  const out: ItemAudio[] = [];
  const single = turnSilence && view.responses.flatMap((r) => r.items).filter((i) => i.deltas.length).length === 1;
  const silenceOf = (deltas: readonly AudioDelta[]): SilenceMetrics | undefined => {
    if (!deltas.length) return undefined;
    if (single) return turnSilence;
    return analyzeSilence(
      Buffer.concat(deltas.map((d) => view.audio.subarray(d.audio.offset, d.audio.offset + d.audio.bytes))),
      config,
    );
  };
  for (const r of view.responses) {
    for (const item of r.items) {
      out.push({
        response: r,
        id: item.id,
        phase: item.phase,
        deltas: item.deltas,
        firstSeen: item.deltas[0]?.t ?? item.done?.t ?? r.openStart,
        silence: silenceOf(item.deltas),
      });
    }
    for (const m of r.messages) {
      const known = out.find((x) => x.response === r && x.id === m.id);
      if (known) known.firstSeen = Math.min(known.firstSeen, m.t);
      else out.push({ response: r, id: m.id, phase: m.phase, deltas: [], firstSeen: m.t, silence: undefined });
    }
  }
  return out.sort((a, b) => a.firstSeen - b.firstSeen);
}

/** A position in an item's own audio, as a position in the turn's output audio. */
function turnPosition(deltas: readonly AudioDelta[], localMs: number): number {
  let acc = 0;
  for (const d of deltas) {
    const ms = d.audio.bytes / BYTES_PER_MS;
    if (localMs <= acc + ms) return d.audio.offset / BYTES_PER_MS + (localMs - acc);
    acc += ms;
  }
  const last = deltas[deltas.length - 1];
  return last ? (last.audio.offset + last.audio.bytes) / BYTES_PER_MS + (localMs - acc) : localMs;
}

/** What {@link phaseMetrics} measured. */
export interface PhaseMeasure {
  metrics: PhaseMetrics;
  /** The turn's silence: judged per item on a reasoning turn, else the turn's audio as a whole. */
  silence: SilenceMetrics;
  /** Trace time of the final answer's first audio: the first item with audio that is not commentary. */
  answerTraceMs: number | null;
  /** The reasoning pauses before the final answer, summed; null when no preamble preceded it. */
  reasoningMs: number | null;
}

/** Per-item phase and audio metrics of a turn, its reasoning pauses, and its silence. */
export function phaseMetrics(
  view: TurnView,
  config: DetectionConfig,
  playbacks: ReadonlyMap<ResponseView, Playback>,
): PhaseMeasure {
  const reasoning = isReasoningTurn(view);
  const turnSilence = reasoning ? undefined : analyzeSilence(view.audio, config);
  const items = turnItems(view, config, turnSilence);
  const measured = items.map((x) => itemMetrics(x, playbacks.get(x.response)));
  const withAudio = measured.filter((x) => x.firstDeltaTraceMs !== null);
  const answer = withAudio.findIndex((x) => x.phase !== 'commentary');
  const found = reasoning ? pauses(withAudio, config.jitterBufferMs) : [];
  const before = found.filter((p) => p.index <= answer);
  return {
    metrics: { reasoning, items: measured, pauses: found.map(({ index: _index, ...p }) => p) },
    silence: turnSilence ?? itemSilence(items, view.audio.length, config),
    answerTraceMs: answer < 0 ? null : withAudio[answer]!.firstDeltaTraceMs,
    reasoningMs: answer < 0 || !before.length ? null : ms1(before.reduce((s, p) => s + p.durationMs, 0)),
  };
}

function itemMetrics(x: ItemAudio, playback: Playback | undefined): ItemAudioMetrics {
  const first = x.deltas[0];
  const last = x.deltas[x.deltas.length - 1];
  const heard = last ? playback?.heardUntil[x.response.deltas.indexOf(last)] : undefined;
  return {
    responseId: x.response.id ?? null,
    itemId: x.id ?? null,
    phase: x.phase ?? null,
    atMs: first ? ms1(first.audio.offset / BYTES_PER_MS) : null,
    audioMs: ms1(x.deltas.reduce((s, d) => s + d.audio.bytes, 0) / BYTES_PER_MS),
    deltas: x.deltas.length,
    audible: x.silence !== undefined && x.silence.speechStartMs !== null,
    firstDeltaTraceMs: first ? ms1(first.t) : null,
    lastDeltaTraceMs: last ? ms1(last.t) : null,
    heardEndTraceMs: heard === undefined ? null : ms1(heard),
  };
}

/**
 * The silence after each commentary item's audio (as heard) until the next item's first audio is heard: its first
 * delta plus the jitter buffer, the listener starting it as it started the first.
 */
function pauses(
  withAudio: readonly ItemAudioMetrics[],
  jitterBufferMs: number,
): (ReasoningPause & { index: number })[] {
  const out: (ReasoningPause & { index: number })[] = [];
  for (let i = 1; i < withAudio.length; i++) {
    const before = withAudio[i - 1]!;
    const next = withAudio[i]!;
    if (before.phase !== 'commentary' || before.heardEndTraceMs === null) continue;
    out.push({
      index: i,
      afterItemId: before.itemId,
      beforeItemId: next.itemId,
      atMs: next.atMs!,
      traceMs: before.heardEndTraceMs,
      durationMs: ms1(Math.max(0, next.firstDeltaTraceMs! + jitterBufferMs - before.heardEndTraceMs)),
    });
  }
  return out;
}

/**
 * The turn's silence judged inside each item: a preamble's trailing pause and the answer's leading one are not a
 * gap in the speech (the listener hears them as part of the reasoning pause). Positions are in the turn's audio.
 */
function itemSilence(items: readonly ItemAudio[], bytes: number, config: DetectionConfig): SilenceMetrics {
  const spoken = items
    .filter((x) => x.silence && x.silence.speechStartMs !== null)
    .sort((a, b) => a.deltas[0]!.audio.offset - b.deltas[0]!.audio.offset);
  const first = spoken[0];
  const last = spoken[spoken.length - 1];
  if (!first || !last) return noSpeech(config);
  const speechEndMs = ms1(turnPosition(last.deltas, last.silence!.speechEndMs!));
  return {
    thresholdDbfs: config.silenceDbfs,
    frameMs: config.frameMs,
    speechStartMs: ms1(turnPosition(first.deltas, first.silence!.speechStartMs!)),
    speechEndMs,
    trailingSilenceMs: ms1(Math.floor(bytes / 2) / SAMPLES_PER_MS - speechEndMs),
    gaps: spoken.flatMap((x) =>
      x.silence!.gaps.map((g) => ({ atMs: ms1(turnPosition(x.deltas, g.atMs)), durationMs: g.durationMs })),
    ),
    longestSilentRunMs: Math.max(...spoken.map((x) => x.silence!.longestSilentRunMs)),
  };
}
