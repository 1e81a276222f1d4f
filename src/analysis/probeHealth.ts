/**
 * The canary's own health during a turn, and the transport's: intervals in which the probe's event loop was blocked
 * (`probe-stall` entries), its per-turn event-loop delay (`loop-delay`), and WebSocket pings from the server. A
 * delivery gap the probe's own blocking explains is not a service fault; a stall during which server pings kept
 * arriving means the service was alive but silent.
 */
import type { Trace, TraceEntry } from '../trace/trace.js';
import { ms1 } from './fields.js';
import type { ProbeMetrics } from './metrics.js';
import type { TurnView } from './turnView.js';

/** An interval [fromMs, toMs] on the trace clock in which the probe's event loop was blocked. */
export interface BlockedInterval {
  fromMs: number;
  toMs: number;
  durationMs: number;
}

/** Every probe-stall of the trace, as intervals (malformed entries skipped). */
export function probeStalls(trace: Trace): BlockedInterval[] {
  const out: BlockedInterval[] = [];
  for (const e of trace.entries) {
    if (e.kind !== 'probe-stall') continue;
    const d = e.durationMs;
    if (typeof d !== 'number' || !Number.isFinite(d) || d <= 0 || !Number.isFinite(e.t)) continue;
    out.push({ fromMs: e.t - d, toMs: e.t, durationMs: d });
  }
  return out;
}

/** How much of [from, to] the probe spent blocked (overlaps of the intervals, which do not overlap each other). */
export function blockedWithin(stalls: readonly BlockedInterval[], from: number, to: number): number {
  let sum = 0;
  for (const s of stalls) sum += Math.max(0, Math.min(to, s.toMs) - Math.max(from, s.fromMs));
  return Math.min(sum, Math.max(0, to - from));
}

/** The stalls that overlap [from, to]. */
export function stallsWithin(stalls: readonly BlockedInterval[], from: number, to: number): BlockedInterval[] {
  return stalls.filter((s) => s.fromMs < to && s.toMs > from);
}

/** WebSocket pings (or pongs) the server sent within (from, to]. */
export function serverKeepalivesWithin(entries: readonly TraceEntry[], from: number, to: number): number {
  let n = 0;
  for (const e of entries)
    if ((e.kind === 'ping' || e.kind === 'pong') && e.from === 'server' && e.t > from && e.t <= to) n++;
  return n;
}

/** What a stall message says about the transport: pings arrived (alive but silent), or none did over a long stretch. */
export function keepaliveClause(entries: readonly TraceEntry[], from: number, to: number): string {
  const pings = serverKeepalivesWithin(entries, from, to);
  if (pings > 0) return `; server pings kept arriving (${pings}): the service was alive but silent`;
  const anyPing = entries.some((e) => (e.kind === 'ping' || e.kind === 'pong') && e.from === 'server');
  // The service pings about every 20 s: a longer silence without one says the transport was silent too.
  return anyPing && to - from > 25_000 ? '; not even a WebSocket ping arrived: the transport was silent too' : '';
}

/** The probe metrics of a turn: its loop-delay entry and the probe stalls within the turn. */
export function probeMetrics(trace: Trace, view: TurnView, stalls: readonly BlockedInterval[]): ProbeMetrics {
  const loop = view.entries.find((e) => e.kind === 'loop-delay');
  const num = (x: unknown): number | null => (typeof x === 'number' && Number.isFinite(x) ? ms1(x) : null);
  const within = stallsWithin(stalls, view.fromMs, view.toMs);
  return {
    loopDelay:
      loop?.kind === 'loop-delay' ? { p50Ms: num(loop.p50Ms), p99Ms: num(loop.p99Ms), maxMs: num(loop.maxMs) } : null,
    stalls: within.map((s) => ({ traceMs: ms1(s.toMs), durationMs: ms1(s.durationMs) })),
    serverPings: serverKeepalivesWithin(trace.entries, view.fromMs, view.toMs),
  };
}
