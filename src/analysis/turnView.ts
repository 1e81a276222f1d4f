/**
 * One turn of a trace, regrouped for analysis: its responses, their audio items, deltas and terminal events.
 * Pure bookkeeping, no judgement.
 */
import { EV } from '../realtime/events.js';
import { eventResponseId, itemIdOf, responseIdOf } from '../trace/ids.js';
import type { AudioRef, RecvEntry, Trace, TraceEntry, TurnEndEntry, TurnStartEntry } from '../trace/trace.js';
import { objAt, strAt } from '../json.js';
import type { Phase } from './metrics.js';

/** A received audio delta (its bytes are in the turn's output audio). */
export type AudioDelta = RecvEntry & { audio: AudioRef };

/** A transcript or text delta. */
export interface TextDelta {
  t: number;
  itemId: string | undefined;
  text: string;
}

/** One output item that carried audio. */
export interface ItemView {
  id: string | undefined;
  deltas: AudioDelta[];
  /** The item's audio `.done`. */
  done: RecvEntry | undefined;
  /** `item.phase` on a reasoning model; undefined on others. */
  phase: Phase | undefined;
}

/** An assistant message item the service announced (`response.output_item.added`, or `response.done` output). */
export interface MessageView {
  id: string;
  phase: Phase | undefined;
  /** When it was first announced. */
  t: number;
}

export interface ResponseView {
  id: string | undefined;
  /** When the probe sent the `response.create` this response answers, if it did. */
  requestedAt: number | undefined;
  created: RecvEntry | undefined;
  done: RecvEntry | undefined;
  /** When the probe sent `response.cancel` itself (deadline), if it did. */
  cancelByProbeAt: number | undefined;
  deltas: AudioDelta[];
  items: ItemView[];
  /** Assistant message items announced for this response, audio or not, in announcement order. */
  messages: MessageView[];
  transcriptDeltas: TextDelta[];
  textDeltas: TextDelta[];
  /** Audio transcript / text `.done` payloads, in arrival order. */
  transcriptDone: TextDelta[];
  textDone: TextDelta[];
  /** The response counts as open from its request (or creation) … */
  openStart: number;
  /** … until `response.done`, the probe's own cancel, or the end of the turn, whichever came first. */
  openEnd: number;
}

export interface TurnView {
  turn: number;
  promptId: string | undefined;
  start: TurnStartEntry | undefined;
  end: TurnEndEntry | undefined;
  /** Entries tagged with this turn, in trace order. */
  entries: TraceEntry[];
  fromMs: number;
  toMs: number;
  audio: Buffer;
  deltas: AudioDelta[];
  responses: ResponseView[];
}

/** Turns of the trace: every prompted turn and every turn that has entries, in order. */
export function buildTurnViews(trace: Trace): TurnView[] {
  const byTurn = new Map<number, TraceEntry[]>();
  for (const e of trace.entries) {
    if (e.turn <= 0) continue;
    let list = byTurn.get(e.turn);
    if (!list) byTurn.set(e.turn, (list = []));
    list.push(e);
  }
  for (const p of trace.meta.prompts) if (!byTurn.has(p.turn)) byTurn.set(p.turn, []);
  const lastT = trace.entries.length ? trace.entries[trace.entries.length - 1]!.t : 0;
  const close = trace.entries.find((e) => e.kind === 'close');
  return [...byTurn.keys()]
    .sort((a, b) => a - b)
    .map((turn) => buildTurnView(trace, turn, byTurn.get(turn) ?? [], close?.t, lastT));
}

function buildTurnView(
  trace: Trace,
  turn: number,
  entries: TraceEntry[],
  closeAt: number | undefined,
  lastT: number,
): TurnView {
  const start = entries.find((e): e is TurnStartEntry => e.kind === 'turn-start');
  const end = entries.find((e): e is TurnEndEntry => e.kind === 'turn-end');
  const fromMs = start?.t ?? entries[0]?.t ?? lastT;
  const toMs = end?.t ?? entries[entries.length - 1]?.t ?? fromMs;
  const prompt = trace.meta.prompts.find((p) => p.turn === turn);
  const responses = groupResponses(entries);
  const turnTimeout = entries.find((e) => e.kind === 'timeout' && e.scope === 'turn')?.t;
  const giveUp = [turnTimeout, closeAt, end?.t].filter((t): t is number => t !== undefined);
  for (const r of responses) {
    const stops = [r.done?.t, r.cancelByProbeAt, ...giveUp.filter((t) => t >= r.openStart)].filter(
      (t): t is number => t !== undefined,
    );
    r.openEnd = stops.length ? Math.min(...stops) : Math.max(toMs, lastEventAt(r));
  }
  return {
    turn,
    promptId: start?.promptId ?? prompt?.id,
    start,
    end,
    entries,
    fromMs,
    toMs,
    audio: trace.outputAudio.get(turn) ?? Buffer.alloc(0),
    deltas: responses.flatMap((r) => r.deltas).sort((a, b) => a.t - b.t),
    responses,
  };
}

function lastEventAt(r: ResponseView): number {
  return Math.max(
    r.openStart,
    r.deltas[r.deltas.length - 1]?.t ?? 0,
    r.transcriptDeltas[r.transcriptDeltas.length - 1]?.t ?? 0,
  );
}

function groupResponses(entries: TraceEntry[]): ResponseView[] {
  const responses: ResponseView[] = [];
  /** `item.phase` by item id, from every event that describes an item (conversation events name no response). */
  const phases = new Map<string, Phase>();
  const byId = new Map<string, ResponseView>();
  const pendingCreates: { t: number; eventId: unknown }[] = [];
  let current: ResponseView | undefined;

  const get = (id: string | undefined, t: number): ResponseView => {
    if (id === undefined && current) return current;
    const known = id === undefined ? undefined : byId.get(id);
    if (known) return known;
    const r = newResponse(id, t, pendingCreates.shift()?.t);
    responses.push(r);
    if (id !== undefined) byId.set(id, r);
    current = r;
    return r;
  };

  for (const e of entries) {
    if (e.kind === 'send') {
      if (e.type === 'response.create') pendingCreates.push({ t: e.t, eventId: e.event.event_id });
      if (e.type === 'response.cancel' && e.byProbe) {
        // The probe's cancel names no response: it hits the open one, or the one its response.create asked for.
        const id = eventResponseId(e.event);
        if (id !== undefined || current || pendingCreates.length) get(id, e.t).cancelByProbeAt ??= e.t;
      }
      continue;
    }
    if (e.kind !== 'recv') continue;
    if (isRefusal(e)) {
      // a create refused because a response was active opens nothing (the probe sends it again)
      const named = strAt(e.event, 'error', 'event_id');
      const i = named === undefined ? pendingCreates.length - 1 : pendingCreates.findIndex((c) => c.eventId === named);
      if (i >= 0) pendingCreates.splice(i, 1);
      continue;
    }
    switch (e.type) {
      case EV.responseCreated:
        get(responseIdOf(e), e.t).created ??= e;
        break;
      case EV.audioDelta:
        if (isAudioRef(e.audio)) addDelta(get(responseIdOf(e), e.t), { ...e, audio: e.audio });
        break;
      case EV.audioDone:
        audioItem(get(responseIdOf(e), e.t), itemIdOf(e)).done ??= e;
        break;
      case EV.transcriptDelta:
      case EV.textDelta:
      case EV.transcriptDone:
      case EV.textDone:
        addText(get(responseIdOf(e), e.t), e);
        break;
      case EV.outputItemAdded:
      case EV.outputItemDone: {
        const item = objAt(e.event, 'item');
        notePhase(phases, item);
        // Item events never open a response: they join the one they name, or the open one.
        const id = responseIdOf(e);
        const r = id === undefined ? current : byId.get(id);
        if (r && item) addMessage(r, item, e.t);
        break;
      }
      case EV.itemAdded:
      case EV.itemDone:
        notePhase(phases, objAt(e.event, 'item'));
        break;
      case EV.responseDone: {
        const r = get(responseIdOf(e), e.t);
        r.done ??= e;
        const output = objAt(e.event, 'response')?.['output'];
        for (const item of Array.isArray(output) ? output : []) {
          notePhase(phases, item);
          addMessage(r, item, e.t);
        }
        if (current === r) current = undefined;
        break;
      }
    }
  }
  // A response.create that never got an answer still opened a response.
  for (const { t } of pendingCreates) responses.push(newResponse(undefined, t, t));
  for (const r of responses) {
    for (const item of r.items) item.phase = item.id === undefined ? undefined : phases.get(item.id);
    for (const m of r.messages) m.phase ??= phases.get(m.id);
  }
  return responses;
}

/** A `response.create` refused with `conversation_already_has_active_response` (no response follows it). */
export function isRefusal(e: RecvEntry): boolean {
  return e.type === EV.error && strAt(e.event, 'error', 'code') === 'conversation_already_has_active_response';
}

/** The `phase` of an item payload, when it is one the analysis knows. */
function phaseOf(item: unknown): Phase | undefined {
  const phase = strAt(item, 'phase');
  return phase === 'commentary' || phase === 'final_answer' ? phase : undefined;
}

function notePhase(phases: Map<string, Phase>, item: unknown): void {
  const id = strAt(item, 'id');
  const phase = phaseOf(item);
  if (id && phase) phases.set(id, phase);
}

/** Records an assistant message item of `r` (other output items — function calls, reasoning — are not speech). */
function addMessage(r: ResponseView, item: unknown, t: number): void {
  const id = strAt(item, 'id');
  const role = strAt(item, 'role');
  if (!id || strAt(item, 'type') !== 'message' || (role !== undefined && role !== 'assistant')) return;
  if (!r.messages.some((m) => m.id === id)) r.messages.push({ id, phase: phaseOf(item), t });
}

/** An audio ref with usable numbers (a hostile or hand-edited trace may hold anything). */
function isAudioRef(a: AudioRef | undefined): a is AudioRef {
  return (
    a !== undefined &&
    a !== null &&
    typeof a === 'object' &&
    Number.isSafeInteger(a.offset) &&
    Number.isSafeInteger(a.bytes) &&
    a.offset >= 0 &&
    a.bytes >= 0
  );
}

function newResponse(id: string | undefined, t: number, requestedAt: number | undefined): ResponseView {
  return {
    id,
    requestedAt,
    created: undefined,
    done: undefined,
    cancelByProbeAt: undefined,
    deltas: [],
    items: [],
    messages: [],
    transcriptDeltas: [],
    textDeltas: [],
    transcriptDone: [],
    textDone: [],
    openStart: Math.min(t, requestedAt ?? t),
    openEnd: t,
  };
}

function audioItem(r: ResponseView, itemId: string | undefined): ItemView {
  let item = r.items.find((i) => i.id === itemId);
  if (!item) r.items.push((item = { id: itemId, deltas: [], done: undefined, phase: undefined }));
  return item;
}

function addDelta(r: ResponseView, d: AudioDelta): void {
  r.deltas.push(d);
  audioItem(r, itemIdOf(d)).deltas.push(d);
}

function addText(r: ResponseView, e: RecvEntry): void {
  const itemId = itemIdOf(e);
  if (e.type === EV.transcriptDelta) r.transcriptDeltas.push({ t: e.t, itemId, text: strAt(e.event, 'delta') ?? '' });
  else if (e.type === EV.textDelta) r.textDeltas.push({ t: e.t, itemId, text: strAt(e.event, 'delta') ?? '' });
  else if (e.type === EV.transcriptDone)
    r.transcriptDone.push({ t: e.t, itemId, text: strAt(e.event, 'transcript') ?? '' });
  else r.textDone.push({ t: e.t, itemId, text: strAt(e.event, 'text') ?? '' });
}
