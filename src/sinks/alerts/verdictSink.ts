/**
 * The verdict sink: applies each final run to its (region, target) alert state — a durable write, in the `record`
 * stage beside the index line, so no notification can starve it (./alertSink.ts delivers afterwards). While the
 * state cannot be reached — storage down, an identity refused (401/403) while its role assignment propagates, or a
 * storm of conditional-write conflicts (412) — the verdict is kept in the verdict spool and applied, in run order,
 * by the first round that reaches the state again, so runs recorded meanwhile still count towards K-of-N.
 */
import { DeadlineError } from '../../deadline.js';
import type { RunSummary } from '../../runSummary.js';
import { ConcurrencyError, StoreUnavailableError, type ArtifactStore } from '../../store/artifactStore.js';
import { isAuthorizationFailure } from '../../store/storageErrors.js';
import type { VerdictSpool } from '../../store/verdictSpool.js';
import type { AlertRules } from './alertState.js';
import { applyRun } from './alertStore.js';
import type { RunSink, SinkContext } from '../runSink.js';

export interface VerdictSinkOptions {
  store: ArtifactStore;
  rules: AlertRules;
  verdicts: VerdictSpool;
  budgetMs?: number;
}

/** The state cannot be reached now, but may be on a later round: keep the verdict. */
function unreachable(err: unknown): boolean {
  return (
    err instanceof StoreUnavailableError ||
    err instanceof DeadlineError ||
    err instanceof ConcurrencyError ||
    isAuthorizationFailure(err)
  );
}

export function verdictSink(o: VerdictSinkOptions): RunSink {
  const apply = (s: RunSummary, ctx: SinkContext): Promise<unknown> =>
    applyRun(o.store, s, ctx.now(), o.rules, ctx.log);
  return {
    name: 'verdicts',
    budgetMs: o.budgetMs ?? 30_000,
    stage: 'record',
    async onSummary(run, ctx) {
      const { summary } = run;
      const earlier = await o.verdicts.take(summary.region, summary.target);
      try {
        for (const s of earlier.summaries) await apply(s, ctx);
        await apply(summary, ctx);
      } catch (err) {
        await earlier.release();
        if (!unreachable(err)) throw err;
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
    },
  };
}
