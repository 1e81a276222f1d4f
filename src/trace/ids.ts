/**
 * The response and item an event names, worked out in one place: `response_id` (or `response.id` on
 * response.created / response.done) and `item_id` (or `item.id`). The recorder stores them on each recv entry
 * once (`RecvEntry.responseId` / `itemId`); `readTrace` fills them for traces written before that.
 */
import type { RecvEntry, SendEntry, TraceEntry } from './trace.js';

const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);
const field = (v: unknown, key: string): unknown => (typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>)[key] : undefined);

/** The response id a raw server event names, if any. */
export function eventResponseId(event: Record<string, unknown>): string | undefined {
  return str(event.response_id) ?? str(field(event.response, 'id'));
}

/** The item id a raw server event names, if any. */
export function eventItemId(event: Record<string, unknown>): string | undefined {
  return str(event.item_id) ?? str(field(event.item, 'id'));
}

/** The normalized ids of an event, as properties to spread into a recv entry (absent when none). */
export function idFields(event: Record<string, unknown>): Pick<RecvEntry, 'responseId' | 'itemId'> {
  const responseId = eventResponseId(event);
  const itemId = eventItemId(event);
  return { ...(responseId !== undefined ? { responseId } : {}), ...(itemId !== undefined ? { itemId } : {}) };
}

/** The response a recv entry belongs to (its stored id, else worked out from the event). */
export function responseIdOf(entry: RecvEntry): string | undefined {
  return entry.responseId ?? eventResponseId(entry.event);
}

/** The item a recv entry names (its stored id, else worked out from the event). */
export function itemIdOf(entry: RecvEntry): string | undefined {
  return entry.itemId ?? eventItemId(entry.event);
}

/** The client event an `error.event_id` (or any echoed client event id) names: the send entry that carried it. */
export function sendForEventId(entries: readonly TraceEntry[], eventId: string): SendEntry | undefined {
  return entries.find((e): e is SendEntry => e.kind === 'send' && e.event.event_id === eventId);
}
