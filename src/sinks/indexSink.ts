/**
 * The index sink: a run's summary as one line of the daily index (`index/<yyyy-mm-dd>.jsonl`) and as
 * `latest/<region>/<target>.json`; a target the plan held back (budget) as an index line only.
 */
import { scrub } from '../realtime/redact.js';
import type { ArtifactStore } from '../store/artifactStore.js';
import { contentTypeFor, dailyIndexPath, latestPath } from '../store/layout.js';
import type { RunSink } from './runSink.js';

export function indexSink(store: ArtifactStore, budgetMs = 30_000): RunSink {
  return {
    name: 'index',
    budgetMs,
    stage: 'record',
    async onSummary(run, ctx) {
      const line = scrub(JSON.stringify(run.summary), run.secrets);
      await store.appendLine(dailyIndexPath(ctx.roundStartedAt), line);
      const latest = latestPath(run.summary.region, run.summary.target);
      await store.put(latest, line, contentTypeFor(latest));
    },
    // an index line (a dashboard cell) only: `latest/` keeps the target's last real run
    async onNotProbed(summary, ctx) {
      await store.appendLine(dailyIndexPath(ctx.roundStartedAt), JSON.stringify(summary));
    },
  };
}
