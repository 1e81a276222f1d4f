/**
 * Which response and item a received event belongs to. The recorder normalizes both once
 * (`RecvEntry.responseId` / `itemId`); traces recorded before that carry them only inside the event, so this one
 * helper falls back to the event's own fields. Nothing else in src/report works the ids out.
 */
import { strAt } from '../analysis/fields.js';
import type { RecvEntry } from '../trace/trace.js';

/** The response of a received event, or undefined. */
export function responseIdOf(e: RecvEntry): string | undefined {
  return e.responseId ?? e.audio?.responseId ?? strAt(e.event, 'response_id') ?? strAt(e.event, 'response', 'id');
}

/** The item a received event names, or undefined. */
export function itemIdOf(e: RecvEntry): string | undefined {
  return e.itemId ?? e.audio?.itemId ?? strAt(e.event, 'item_id') ?? strAt(e.event, 'item', 'id');
}
