/**
 * Terminal events: did each audio item get its audio `.done`, each response its `response.done`, with which
 * status; how long after the last delta; and which deltas arrived after their item's `.done`.
 */
import { BYTES_PER_MS } from '../audio/wav.js';
import type { RecvEntry } from '../probe/trace.js';
import { ms1, numAt, objAt, strAt } from './fields.js';
import type { ItemTerminal, ResponseTerminal, StatusDetails, TerminalMetrics, UsageMetrics } from './metrics.js';
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

/** Output token usage summed over the turn's `response.done` events; null when none reported usage. */
export function usageMetrics(responses: readonly ResponseView[]): UsageMetrics {
  let audio: number | null = null;
  let text: number | null = null;
  for (const r of responses) {
    const details = r.done ? objAt(r.done.event, 'response', 'usage', 'output_token_details') : undefined;
    const a = numAt(details, 'audio_tokens');
    const t = numAt(details, 'text_tokens');
    if (a !== undefined) audio = (audio ?? 0) + a;
    if (t !== undefined) text = (text ?? 0) + t;
  }
  return { outputAudioTokens: audio, outputTextTokens: text };
}
