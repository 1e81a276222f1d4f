/**
 * When one turn's answer is over, as a real client decides it (script.ts runs the turns; the waits are here):
 * - A `response.create` refused with `conversation_already_has_active_response` (an `error` naming the create's
 *   `event_id`; no `response.created` or `response.done` follow it) is sent again once the active response is over,
 *   at most {@link MAX_CREATE_RETRIES} times — never left waiting for a `response.done` that cannot come.
 * - After the turn's `response.done`, a new `response.created` is another generation of the same turn (the
 *   recorder tags it with the turn), and the turn waits for its `response.done` too, at most
 *   {@link MAX_GENERATIONS} in all. The probe listens for one for `settleMs`, or for `generationWindowMs` when the
 *   response ended in a spoken preamble (its last output item's `phase` is not `final_answer`: a reasoning model
 *   said "let me think" and its answer may follow as a second response).
 * - The next prompt waits until the answers have played out to the listener (WebRTC: Transport.playingOut), at
 *   most `playoutTimeoutMs` after the last `response.done`.
 * Every wait has a deadline; nothing here throws.
 */
import { EV } from '../realtime/events.js';
import { responseIdOf } from '../trace/ids.js';
import type { RecvEntry, TurnOutcome } from '../trace/trace.js';
import type { ResolvedProbeOptions } from './options.js';
import type { TraceRecorder } from './recorder.js';
import type { Transport } from './transport.js';
import type { EventWaiter } from './waiter.js';

/** Times a refused `response.create` is sent again before the turn gives up (a timeout, then the usual cancel). */
export const MAX_CREATE_RETRIES = 3;
/** Responses one turn may have (the prompted one and the service's unprompted follow-ups). */
export const MAX_GENERATIONS = 4;
/** How often the playout state is looked at while nothing else happens. */
const PLAYOUT_POLL_MS = 20;
const REFUSED = 'conversation_already_has_active_response';

export interface AnswerDeps {
  transport: Transport;
  rec: TraceRecorder;
  waiter: EventWaiter;
  o: ResolvedProbeOptions;
  /** Records and sends one client event; the event as sent (with its `event_id`), undefined when not open. */
  send(event: Record<string, unknown>): Record<string, unknown> | undefined;
}

type Ended = Exclude<TurnOutcome, 'skipped'>;

/**
 * Waits from `since` on until this turn's answer is over: its `response.done`, its further generations, its
 * playout. `createId` is the `event_id` of the turn's `response.create` (manual turns): a refusal of it sends the
 * create again once the active response is over.
 */
export async function awaitTurn(d: AnswerDeps, since: number, createId: string | undefined): Promise<Ended> {
  const turn = d.rec.turn;
  let pending = createId;
  for (let retries = 0; ; retries++) {
    const id = pending;
    const r = await d.waiter.waitFor((e) => isDoneOf(e, turn) || isRefusalOf(e, id), d.o.turnTimeoutMs, since);
    if (r.kind === 'closed') return 'closed';
    if (r.kind === 'timeout') return timedOut(d, EV.responseDone);
    if (r.entry.type === EV.responseDone) return awaitGenerations(d, r.next, r.entry);
    d.rec.inputRefused();
    if (retries >= MAX_CREATE_RETRIES)
      return timedOut(d, `response.create accepted (refused ${retries + 1} times: ${REFUSED})`);
    // the active response is someone else's generation: let it end (and play out) before asking again
    const active = await d.waiter.waitFor((e) => e.type === EV.responseDone, d.o.turnTimeoutMs, r.next);
    if (active.kind === 'closed') return 'closed';
    if (active.kind === 'timeout') return timedOut(d, `${EV.responseDone} of the active response`);
    const quiet = await awaitGenerations(d, active.next, active.entry);
    if (quiet !== 'response-done') return quiet;
    since = d.waiter.mark();
    d.rec.inputGiven();
    const resent = d.send({ type: 'response.create' });
    if (!resent) return 'closed';
    d.rec.add({ kind: 'turn-clock', cause: 'resent' });
    pending = typeof resent.event_id === 'string' ? resent.event_id : undefined;
  }
}

/** After `done` (`since`: the mark just after it): follows further generations and the playout until the answer is over. */
async function awaitGenerations(d: AnswerDeps, since: number, done: RecvEntry): Promise<Ended> {
  const known = new Set<string>();
  const seenId = responseIdOf(done);
  if (seenId) known.add(seenId);
  let last = done;
  let from = since;
  for (let generations = 1; ; generations++) {
    const quietFor = endsInPreamble(d.rec, last) ? Math.max(d.o.settleMs, d.o.generationWindowMs) : d.o.settleMs;
    const quietUntil = last.t + quietFor;
    const playoutDeadline = last.t + d.o.playoutTimeoutMs;
    const isNew = (e: RecvEntry): boolean =>
      e.type === EV.responseCreated && !known.has(responseIdOf(e) ?? '') && generations < MAX_GENERATIONS;
    let next: RecvEntry | undefined;
    let at = from;
    for (;;) {
      const now = d.rec.now();
      const playing = d.transport.playingOut === true;
      if (now >= quietUntil && !playing) break;
      if (now >= playoutDeadline) {
        d.rec.add({
          kind: 'timeout',
          scope: 'playout',
          waitingFor: 'the answer to play out',
          afterMs: d.o.playoutTimeoutMs,
        });
        break;
      }
      const wait = now < quietUntil ? quietUntil - now : Math.min(PLAYOUT_POLL_MS, playoutDeadline - now);
      const r = await d.waiter.waitFor(isNew, Math.max(1, wait), at);
      if (r.kind === 'closed') return 'closed';
      if (r.kind === 'event') {
        next = r.entry;
        at = r.next;
        break;
      }
    }
    if (!next) return d.waiter.closed ? 'closed' : 'response-done';
    const id = responseIdOf(next);
    if (id) known.add(id);
    const nextDone = await d.waiter.waitFor(
      (e) => e.type === EV.responseDone && (id === undefined || responseIdOf(e) === id),
      d.o.turnTimeoutMs,
      at,
    );
    if (nextDone.kind === 'closed') return 'closed';
    if (nextDone.kind === 'timeout') return timedOut(d, EV.responseDone);
    last = nextDone.entry;
    from = nextDone.next;
  }
}

function timedOut(d: AnswerDeps, waitingFor: string): 'timeout' {
  d.rec.add({ kind: 'timeout', scope: 'turn', waitingFor, afterMs: d.o.turnTimeoutMs });
  return 'timeout';
}

/** A `response.done` of `turn` (the recorder tags it with the turn whose input its response answers). */
function isDoneOf(e: RecvEntry, turn: number): boolean {
  return e.type === EV.responseDone && e.turn === turn;
}

/** The refusal of the create `createId`: the error names it, or names no client event at all. */
function isRefusalOf(e: RecvEntry, createId: string | undefined): boolean {
  if (createId === undefined || e.type !== EV.error) return false;
  const error = e.event.error as { code?: unknown; event_id?: unknown } | undefined;
  return error?.code === REFUSED && (error.event_id === createId || error.event_id == null);
}

/**
 * Whether the response `done` ends in a spoken preamble: the `phase` of its last output item (from `response.done`,
 * else the last `response.output_item.*` of the response) is there and is not `final_answer`.
 */
function endsInPreamble(rec: TraceRecorder, done: RecvEntry): boolean {
  const output = (done.event.response as { output?: unknown } | undefined)?.output;
  let phase = Array.isArray(output) ? phaseOf(output[output.length - 1]) : undefined;
  if (phase === undefined) {
    const id = responseIdOf(done);
    for (let i = rec.entries.length - 1; i >= 0 && phase === undefined; i--) {
      const e = rec.entries[i]!;
      if (
        e.kind === 'recv' &&
        (e.type === EV.outputItemDone || e.type === EV.outputItemAdded) &&
        responseIdOf(e) === id
      )
        phase = phaseOf(e.event.item) ?? '';
    }
  }
  return phase !== undefined && phase !== '' && phase !== 'final_answer';
}

function phaseOf(item: unknown): string | undefined {
  const phase = (item as { phase?: unknown } | undefined)?.phase;
  return typeof phase === 'string' ? phase : undefined;
}
