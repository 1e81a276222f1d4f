/** Recorder timing error: probe receive time (epoch) minus the simulator's send time for each audio delta. */
import type { Trace } from '../src/trace/trace.js';

export interface LagStats {
  count: number;
  p50: number;
  p99: number;
  max: number;
}

export function lagStats(traces: Trace[], sentAt: Map<string, number>): LagStats {
  const lags: number[] = [];
  for (const trace of traces) {
    for (const e of trace.entries) {
      if (e.kind !== 'recv' || !e.audio) continue;
      const sent = sentAt.get(String(e.event.event_id));
      if (sent !== undefined) lags.push(trace.meta.startEpochMs + e.t - sent);
    }
  }
  lags.sort((a, b) => a - b);
  const q = (p: number): number => lags[Math.min(lags.length - 1, Math.floor(p * lags.length))] ?? NaN;
  return { count: lags.length, p50: q(0.5), p99: q(0.99), max: lags[lags.length - 1] ?? NaN };
}
