/**
 * The response and item an event belongs to, for the whole product (probe, analysis, reports): `response_id`
 * (or `response.id` on response.created / response.done) and `item_id` (or `item.id`). An id is a non-empty
 * string; an empty string names nothing. The recorder works both out once per received event and stores them on
 * the entry (`RecvEntry.responseId` / `itemId`, via {@link idFields}); `readTrace` fills them for traces written
 * before that. Readers of a trace use {@link responseIdOf} / {@link itemIdOf}, which fall back, for entries without
 * a stored id (synthetic or hand-built ones), to the audio ref's id, then to the event's own fields.
 */
import { isRecord } from '../json.js';
import type { AudioRef, RecvEntry, SendEntry, TraceEntry } from './trace.js';

const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);
const field = (v: unknown, key: string): unknown => (isRecord(v) ? v[key] : undefined);

/** The response id a raw server event names, if any. */
export function eventResponseId(event: Record<string, unknown>): string | undefined {
  return str(field(event, 'response_id')) ?? str(field(field(event, 'response'), 'id'));
}

/** The item id a raw server event names, if any. */
export function eventItemId(event: Record<string, unknown>): string | undefined {
  return str(field(event, 'item_id')) ?? str(field(field(event, 'item'), 'id'));
}

/** The normalized ids of an event, as properties to spread into a recv entry (absent when none). */
export function idFields(event: Record<string, unknown>): Pick<RecvEntry, 'responseId' | 'itemId'> {
  const responseId = eventResponseId(event);
  const itemId = eventItemId(event);
  return { ...(responseId !== undefined ? { responseId } : {}), ...(itemId !== undefined ? { itemId } : {}) };
}

/** What a received entry (recorded, read back, or made by analysis) carries that names its response and item. */
export interface RecvIds {
  responseId?: string | undefined;
  itemId?: string | undefined;
  event: Record<string, unknown>;
  audio?: Pick<AudioRef, 'responseId' | 'itemId'> | undefined;
}

/** The response a received entry belongs to: its stored id, else its audio ref's, else the event's. */
export function responseIdOf(e: RecvIds): string | undefined {
  return str(e.responseId) ?? str(e.audio?.responseId) ?? eventResponseId(e.event);
}

/** The item a received entry names: its stored id, else its audio ref's, else the event's. */
export function itemIdOf(e: RecvIds): string | undefined {
  return str(e.itemId) ?? str(e.audio?.itemId) ?? eventItemId(e.event);
}

/** The client event an `error.event_id` (or any echoed client event id) names: the send entry that carried it. */
export function sendForEventId(entries: readonly TraceEntry[], eventId: string): SendEntry | undefined {
  return entries.find((e): e is SendEntry => e.kind === 'send' && e.event.event_id === eventId);
}
