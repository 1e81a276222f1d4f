/**
 * The demo's stale region: a fixture, said to be one wherever it shows. `npm start` writes, after its rounds, a
 * region named `stale-fixture` whose canary "stopped" three hours ago — an hour of passing runs of the demo's first
 * targets ending then, and that region's heartbeat (the watchdog's record of its last round, every 10 minutes) — so
 * the dashboard shows what a dead region looks like: its cells STALE, listed under "Stale", neither failing nor
 * passing. Run ids start with `fixture-`; links go to the dashboard itself (there is no report behind them).
 */
import type { ArtifactStore } from '../store/artifactStore.js';
import { contentTypeFor, DASHBOARD_PATH, dailyIndexPath, heartbeatPath } from '../store/layout.js';
import type { Heartbeat } from '../sinks/alerts/watchdog.js';
import { noRunFigures, type RunSummary } from '../runSummary.js';
import type { HistoryTarget } from './demoHistory.js';

export const STALE_REGION = 'stale-fixture';
const INTERVAL_MS = 10 * 60_000;
const STOPPED_AGO_MS = 3 * 3_600_000;
const SCHEDULE = '0 */10 * * * *';

/** Index lines and a heartbeat for {@link STALE_REGION}: runs every 10 min for an hour, the last 3 h before `now`. */
export async function writeStaleRegion(
  store: ArtifactStore,
  targets: readonly HistoryTarget[],
  now: Date,
): Promise<{ region: string; lastRunAt: string; runs: number }> {
  const last = Math.floor((now.getTime() - STOPPED_AGO_MS) / INTERVAL_MS) * INTERVAL_MS;
  const lines: RunSummary[] = [];
  for (let at = last - 5 * INTERVAL_MS; at <= last; at += INTERVAL_MS) {
    const startedAt = new Date(at).toISOString();
    for (const t of targets.slice(0, 3))
      lines.push({
        ...noRunFigures(),
        runId: `fixture-${startedAt.replace(/[-:]/g, '').slice(0, 13)}Z`,
        startedAt,
        durationMs: 15_000,
        region: STALE_REGION,
        target: t.name,
        flavour: t.flavour,
        host: 'stale-fixture.example.invalid',
        deployment: 'gpt-realtime',
        group: t.group,
        baseline: t.baseline ?? false,
        verdict: 'pass',
        turns: 2,
        coverage: 1,
        timeToFirstAudioMs: 520,
        timing: { firstAudioMs: [510, 530], finalAnswerMs: [510, 530] },
        headline: undefined,
        reportPath: DASHBOARD_PATH,
        reportHtmlPath: DASHBOARD_PATH,
      });
  }
  for (const s of lines) await store.appendLine(dailyIndexPath(s.startedAt), JSON.stringify(s));
  const at = new Date(last + 15_000).toISOString();
  const hb: Heartbeat = {
    version: 1,
    region: STALE_REGION,
    at,
    roundId: lines.at(-1)!.runId,
    roundStartedAt: new Date(last).toISOString(),
    schedule: SCHEDULE,
    nextRunAt: new Date(last + INTERVAL_MS).toISOString(),
    intervalMs: INTERVAL_MS,
    silentAfter: new Date(last + 15_000 + 2 * INTERVAL_MS).toISOString(),
    targets: targets.slice(0, 3).map((t) => t.name),
  };
  await store.put(heartbeatPath(STALE_REGION), JSON.stringify(hb), contentTypeFor(heartbeatPath(STALE_REGION)));
  return { region: STALE_REGION, lastRunAt: new Date(last).toISOString(), runs: lines.length };
}
