/**
 * Terminal events: did each audio item get its audio `.done`, each response its `response.done`, with which
 * status; how long after the last delta; and which deltas arrived after their item's `.done`.
 */
import { BYTES_PER_MS } from '../audio/wav.js';
import type { RecvEntry } from '../trace/trace.js';
import { objAt, strAt } from '../json.js';
import { ms1 } from './fields.js';
import type {
  IgnoredUsage,
  ItemTerminal,
  ResponseTerminal,
  StatusDetails,
  TerminalMetrics,
  UsageMetrics,
} from './metrics.js';
import type { ItemView, ResponseView } from './turnView.js';

/** `response.status_details`, flattened. */
export function statusDetails(done: RecvEntry | undefined): StatusDetails | null {
  const sd = done ? objAt(done.event, 'response', 'status_details') : undefined;
  if (!sd) return null;
  return {
    type: strAt(sd, 'type') ?? null,
    reason: strAt(sd, 'reason') ?? null,
    errorType: strAt(sd, 'error', 'type') ?? null,
    errorCode: strAt(sd, 'error', 'code') ?? null,
    errorMessage: strAt(sd, 'error', 'message') ?? null,
  };
}

/** Whether the probe cancelled `r` itself before the service finished it. */
export function cancelledByProbe(r: ResponseView): boolean {
  return r.cancelByProbeAt !== undefined && (!r.done || r.cancelByProbeAt < r.done.t);
}

function itemTerminal(item: ItemView): ItemTerminal {
  const bytes = item.deltas.reduce((s, d) => s + d.audio.bytes, 0);
  const doneAt = item.done?.t;
  const late = doneAt === undefined ? [] : item.deltas.filter((d) => d.t > doneAt);
  return {
    itemId: item.id ?? null,
    audioMs: ms1(bytes / BYTES_PER_MS),
    deltas: item.deltas.length,
    audioDone: item.done !== undefined,
    deltasAfterDone: late.length,
    audioAfterDoneMs: ms1(late.reduce((s, d) => s + d.audio.bytes, 0) / BYTES_PER_MS),
    maxLatenessMs: late.length && doneAt !== undefined ? ms1(late[late.length - 1]!.t - doneAt) : null,
  };
}

function responseTerminal(r: ResponseView): ResponseTerminal {
  const last = r.deltas[r.deltas.length - 1];
  return {
    responseId: r.id ?? null,
    responseDone: r.done !== undefined,
    status: r.done ? (strAt(r.done.event, 'response', 'status') ?? null) : null,
    statusDetails: statusDetails(r.done),
    cancelledByProbe: cancelledByProbe(r),
    lastDeltaToDoneMs: r.done && last ? ms1(r.done.t - last.t) : null,
    items: r.items.filter((i) => i.deltas.length > 0).map(itemTerminal),
  };
}

/** Terminal-event metrics of a turn. */
export function terminalMetrics(responses: readonly ResponseView[]): TerminalMetrics {
  const list = responses.map(responseTerminal);
  const items = list.flatMap((r) => r.items);
  const lastDone = [...list].reverse().find((r) => r.responseDone);
  return {
    audioDone: items.length ? items.every((i) => i.audioDone) : null,
    responseDone: list.length > 0 && list.every((r) => r.responseDone && !r.cancelledByProbe),
    status: lastDone?.status ?? null,
    statusDetails: lastDone?.statusDetails ?? null,
    lastDeltaToDoneMs: lastDone?.lastDeltaToDoneMs ?? null,
    deltasAfterAudioDone: items.reduce((s, i) => s + i.deltasAfterDone, 0),
    audioAfterDoneMs: ms1(items.reduce((s, i) => s + i.audioAfterDoneMs, 0)),
    responses: list,
  };
}

/** Usage numbers above this are not taken at face value (no single response carries ten million tokens). */
export const MAX_PLAUSIBLE_TOKENS = 1e7;

/**
 * Output token usage summed over the turn's `response.done` events; null when none reported usage. A count that is
 * not a whole number between 0 and {@link MAX_PLAUSIBLE_TOKENS} (negative, fractional, 1e300, a string …) is never
 * taken at face value: it is listed in `ignored`, and the turn's sum of that field becomes null.
 */
export function usageMetrics(responses: readonly ResponseView[]): UsageMetrics {
  let audio: number | null = null;
  let text: number | null = null;
  let audioBad = false;
  let textBad = false;
  const ignored: IgnoredUsage[] = [];
  for (const r of responses) {
    const details = r.done ? objAt(r.done.event, 'response', 'usage', 'output_token_details') : undefined;
    if (!details) continue;
    const a = plausibleCount(details, 'audio_tokens', r, ignored);
    const t = plausibleCount(details, 'text_tokens', r, ignored);
    if (a === 'bad') audioBad = true;
    else if (a !== undefined) audio = (audio ?? 0) + a;
    if (t === 'bad') textBad = true;
    else if (t !== undefined) text = (text ?? 0) + t;
  }
  return { outputAudioTokens: audioBad ? null : audio, outputTextTokens: textBad ? null : text, ignored };
}

function plausibleCount(
  details: Record<string, unknown>,
  field: string,
  r: ResponseView,
  ignored: IgnoredUsage[],
): number | 'bad' | undefined {
  const v = details[field];
  if (v === undefined || v === null) return undefined;
  if (typeof v === 'number' && Number.isInteger(v) && v >= 0 && v <= MAX_PLAUSIBLE_TOKENS) return v;
  ignored.push({ responseId: r.id ?? null, field: `output_token_details.${field}`, value: describeValue(v) });
  return 'bad';
}

function describeValue(v: unknown): string {
  if (typeof v === 'string') return JSON.stringify(v.length > 40 ? `${v.slice(0, 39)}…` : v);
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return Array.isArray(v) ? 'an array' : typeof v === 'object' ? 'an object' : typeof v;
}
