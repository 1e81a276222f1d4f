/**
 * The alert sink: delivers a target's pending notifications exactly once (./alertStore.ts), to every channel
 * (./channels.ts), after ./verdictSink.ts applied the run to the target's alert state (that durable write is in
 * the `record` stage; this one is a notification, with its own budget, run after every durable write of the
 * run). A channel disabled by a bad setting keeps its notifications pending without posting. While a target is
 * muted (CANARY_MUTE, `summary.muted`) its new notifications are held in its state instead (./mute.ts).
 */
import type { ArtifactStore } from '../../store/artifactStore.js';
import { deliverPending, targetStateRef } from './alertStore.js';
import type { Channel } from './channels.js';
import type { RunSink } from '../runSink.js';

/** Counts a round reports at its end. */
export interface AlertStats {
  delivered: number;
  pending: number;
}

export interface AlertSinkOptions {
  store: ArtifactStore;
  /** Where notifications go. */
  channels: readonly Channel[];
  stats: AlertStats;
  budgetMs?: number;
}

export function alertSink(o: AlertSinkOptions): RunSink {
  return {
    name: 'alerts',
    budgetMs: o.budgetMs ?? 60_000,
    stage: 'notify',
    async onSummary(run, ctx) {
      const { summary } = run;
      const r = await deliverPending(o.store, targetStateRef(summary.region, summary.target), o.channels, ctx.now, {
        signal: ctx.signal,
        log: ctx.log,
      });
      o.stats.delivered += r.delivered.length;
      o.stats.pending += r.pending.length;
    },
  };
}
