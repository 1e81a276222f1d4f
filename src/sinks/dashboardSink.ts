/**
 * The dashboard sink: after each round, reads the daily index of the last days from the store and writes the
 * rendered fleet dashboard to `index.html` at the store's root. The rendering is src/report's (pure); the I/O
 * is here.
 */
import { renderDashboard, type DashboardOptions } from '../report/dashboardHtml.js';
import { summariesFromIndex, type FleetLoad } from '../report/fleetData.js';
import type { RunSummary } from '../runSummary.js';
import type { ArtifactStore } from '../store/artifactStore.js';
import { DASHBOARD_PATH, contentTypeFor, dailyIndexPath } from '../store/layout.js';
import { loadMonthSpend } from '../store/budgetLedger.js';
import type { RunSink } from './runSink.js';

const DAY_MS = 86_400_000;

/** Reads the index files covering `[now − days, now]` and returns their summaries with what was skipped. */
export async function loadFleet(store: ArtifactStore, now: Date, days = 7): Promise<FleetLoad> {
  const from = now.getTime() - days * DAY_MS;
  const paths = new Set<string>();
  for (let t = from; t < now.getTime() + DAY_MS; t += DAY_MS)
    paths.add(dailyIndexPath(new Date(Math.min(t, now.getTime()))));
  const bodies = await Promise.all([...paths].map((p) => store.get(p)));
  return summariesFromIndex(
    bodies.map((b) => b?.toString('utf8')),
    from,
    now.getTime(),
  );
}

/** The RunSummaries of the last `days` days (bad index lines skipped; see {@link loadFleet} for the count). */
export async function loadFleetSummaries(store: ArtifactStore, now: Date, days = 7): Promise<RunSummary[]> {
  return (await loadFleet(store, now, days)).summaries;
}

export interface DashboardWritten {
  path: string;
  runs: number;
  skippedLines: number;
  bytes: number;
}

/** Renders the dashboard from the store's index of the last 7 days and writes it to `index.html`. */
export async function writeDashboard(
  store: ArtifactStore,
  now: Date,
  opts: Omit<DashboardOptions, 'skippedLines'> = {},
): Promise<DashboardWritten> {
  const load = await loadFleet(store, now);
  const monthSpend = opts.monthSpend ?? (await loadMonthSpend(store, now).catch(() => undefined));
  const html = renderDashboard(load.summaries, now, {
    ...opts,
    skippedLines: load.skippedLines,
    monthSpend: monthSpend && Object.keys(monthSpend.days).length ? monthSpend : undefined,
  });
  await store.put(DASHBOARD_PATH, html, contentTypeFor(DASHBOARD_PATH));
  return {
    path: DASHBOARD_PATH,
    runs: load.summaries.length,
    skippedLines: load.skippedLines,
    bytes: Buffer.byteLength(html),
  };
}

export function dashboardSink(store: ArtifactStore, budgetMs = 30_000): RunSink {
  return {
    name: 'dashboard',
    budgetMs,
    stage: 'record',
    async onRoundEnd(_end, ctx) {
      await writeDashboard(store, ctx.now());
    },
  };
}
