/**
 * The alert sink: applies each final run to its (region, target) alert state and delivers that target's
 * pending notifications exactly once (./alertStore.ts). While storage is down the verdict is kept in the
 * verdict spool and applied, in run order, by the first round that reaches the state again, so runs recorded
 * during an outage still count towards K-of-N. Delivery, to every channel (./channels.ts), has its own budget;
 * a channel disabled by a bad setting keeps its notifications pending without posting. While a target is muted
 * (CANARY_MUTE, `summary.muted`) its new notifications are held in its state instead (./mute.ts).
 */
import { DeadlineError } from '../../deadline.js';
import type { RunSummary } from '../../runSummary.js';
import { StoreUnavailableError, type ArtifactStore } from '../../store/artifactStore.js';
import type { VerdictSpool } from '../../store/verdictSpool.js';
import type { AlertRules } from './alertState.js';
import { applyRun, deliverPending, targetStateRef } from './alertStore.js';
import type { Channel } from './channels.js';
import type { RunSink, SinkContext } from '../runSink.js';

/** Counts a round reports at its end. */
export interface AlertStats {
  delivered: number;
  pending: number;
}

export interface AlertSinkOptions {
  store: ArtifactStore;
  rules: AlertRules;
  verdicts: VerdictSpool;
  /** Where notifications go. */
  channels: readonly Channel[];
  stats: AlertStats;
  budgetMs?: number;
}

function storeDown(err: unknown): boolean {
  return err instanceof StoreUnavailableError || err instanceof DeadlineError;
}

export function alertSink(o: AlertSinkOptions): RunSink {
  const apply = (s: RunSummary, ctx: SinkContext): Promise<unknown> =>
    applyRun(o.store, s, ctx.now(), o.rules, ctx.log);
  return {
    name: 'alerts',
    budgetMs: o.budgetMs ?? 60_000,
    stage: 'notify',
    async onSummary(run, ctx) {
      const { summary } = run;
      const earlier = await o.verdicts.take(summary.region, summary.target);
      try {
        for (const s of earlier.summaries) await apply(s, ctx);
        await apply(summary, ctx);
      } catch (err) {
        await earlier.release();
        if (!storeDown(err)) throw err;
        await o.verdicts.add(summary);
        ctx.log.warn(
          `alert state of ${summary.target} unreachable (${(err as Error).message}); its verdict is spooled and ` +
            `counts towards the alert rule when storage is back`,
        );
        return;
      }
      await earlier.done();
      if (earlier.summaries.length)
        ctx.log.info(
          `${summary.target}: ${earlier.summaries.length} verdict(s) recorded during a storage outage applied to the alert state`,
        );
      const r = await deliverPending(o.store, targetStateRef(summary.region, summary.target), o.channels, ctx.now, {
        signal: ctx.signal,
        log: ctx.log,
      });
      o.stats.delivered += r.delivered.length;
      o.stats.pending += r.pending.length;
    },
  };
}
