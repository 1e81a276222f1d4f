/**
 * Delivery timing on the wall clock: gaps between consecutive audio deltas of a response, and stretches with no
 * server event at all while a response is open. On a reasoning model the wait after a spoken preamble for the next
 * item is the model thinking (phases.ts), not delivery: it is left out of both — and so is the wait after a preamble
 * that is the response's last audio, until the response ends (the answer comes as another generation, or the
 * response fails: a capacity failure after "let me think" is the failure, not also a stall).
 */
import { itemIdOf } from '../trace/ids.js';
import type { TraceEntry } from '../trace/trace.js';
import { ms1 } from './fields.js';
import type { DeliveryMetrics } from './metrics.js';
import { reasoningStarts } from './phases.js';
import type { ResponseView } from './turnView.js';

/** A wall-clock stretch without audio (or without any event). */
export interface WallGap {
  /** Trace time the gap started (the previous delta or event). */
  fromMs: number;
  toMs: number;
  durationMs: number;
  /** Index of the delta after the gap in the response's deltas; -1 for the tail of an unfinished response. */
  nextDelta: number;
}

/** Gaps between consecutive audio deltas of one response, its reasoning pauses excepted. */
export function audioGaps(r: ResponseView): WallGap[] {
  const gaps: WallGap[] = [];
  const reasoning = reasoningStarts(r);
  for (let i = 1; i < r.deltas.length; i++) {
    if (reasoning.has(i)) continue;
    const from = r.deltas[i - 1]!.t;
    const to = r.deltas[i]!.t;
    gaps.push({ fromMs: from, toMs: to, durationMs: to - from, nextDelta: i });
  }
  return gaps;
}

/**
 * Stretches with no server event while `r` was open, from `from` (default: the response's open start) to its open end.
 * Every received entry of the turn counts, whatever response or type it belongs to. Nothing inside a reasoning pause
 * (from a preamble's last delta to the next item's first, both received events; or to the response's end when the
 * preamble was its last audio) is a gap.
 */
export function eventGaps(r: ResponseView, turnEntries: readonly TraceEntry[], from = r.openStart): WallGap[] {
  const pauses = [...reasoningStarts(r)].map((i) => ({ fromMs: r.deltas[i - 1]!.t, toMs: r.deltas[i]!.t }));
  const last = r.deltas[r.deltas.length - 1];
  if (last && r.items.find((i) => i.id === itemIdOf(last))?.phase === 'commentary')
    pauses.push({ fromMs: last.t, toMs: r.openEnd });
  const reasoning = (a: number, b: number): boolean => pauses.some((p) => p.fromMs <= a && b <= p.toMs);
  const gaps: WallGap[] = [];
  let prev = from;
  for (const e of turnEntries) {
    if ((e.kind !== 'recv' && e.kind !== 'recv-invalid') || e.t < from) continue;
    if (e.t > r.openEnd) break;
    if (e.t > prev && !reasoning(prev, e.t))
      gaps.push({ fromMs: prev, toMs: e.t, durationMs: e.t - prev, nextDelta: -1 });
    prev = e.t;
  }
  if (r.openEnd > prev && !reasoning(prev, r.openEnd))
    gaps.push({ fromMs: prev, toMs: r.openEnd, durationMs: r.openEnd - prev, nextDelta: -1 });
  return gaps;
}

/** Nearest-rank percentile (p in 0..100) of `values`; null when empty. */
export function percentile(values: readonly number[], p: number): number | null {
  if (!values.length) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[rank - 1]!;
}

/** Delivery metrics of a turn. */
export function deliveryMetrics(
  responses: readonly ResponseView[],
  turnEntries: readonly TraceEntry[],
): DeliveryMetrics {
  const audio = responses.flatMap((r) => audioGaps(r).map((g) => g.durationMs));
  const events = responses.flatMap((r) => eventGaps(r, turnEntries).map((g) => g.durationMs));
  const max = (xs: number[]): number | null => (xs.length ? ms1(xs.reduce((m, x) => Math.max(m, x), -Infinity)) : null);
  const p95 = percentile(audio, 95);
  return { audioGapMaxMs: max(audio), audioGapP95Ms: p95 === null ? null : ms1(p95), eventGapMaxMs: max(events) };
}
