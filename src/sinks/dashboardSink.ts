/**
 * The dashboard sink: after each round, reads the daily index of the last days from the store — with every region's
 * heartbeat (its schedule's interval: when a cell is stale), the alert state of each cell that is not passing (when
 * its alert opened) and the month's spend ledger — and writes the rendered fleet dashboard to `index.html` at the
 * store's root. With this app's settings it adds the time-to-detect line, the mutes and the month's projection as
 * `realtime-canary cost` computes it for the fleet's regions. The rendering is src/report's (pure); the I/O is here.
 */
import { renderDashboard, type DashboardOptions } from '../report/dashboardHtml.js';
import { summariesFromIndex, type FleetLoad } from '../report/fleetData.js';
import type { RunSummary } from '../runSummary.js';
import type { ArtifactStore } from '../store/artifactStore.js';
import { DASHBOARD_PATH, HEARTBEATS_PREFIX, alertStatePath, contentTypeFor, dailyIndexPath } from '../store/layout.js';
import { loadMonthSpend } from '../store/budgetLedger.js';
import type { CanarySettings } from '../config/settings.js';
import { nextRuns } from '../config/scheduleTimes.js';
import { parseEvery } from '../config/every.js';
import type { CataloguePrompt } from '../cost/projection.js';
import { projectSettings } from '../cost/settingsProjection.js';
import { rowKey } from '../report/fleetStatus.js';
import type { AlertState } from './alerts/alertState.js';
import { readStateOrSkip } from './alerts/alertStore.js';
import type { Heartbeat } from './alerts/watchdog.js';
import { MAX_WATCHED_REGIONS } from './alerts/watchdogSink.js';
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

/** What the sink knows of this app: its settings (schedule, alert rule, mutes, targets, prices) and prompts. */
export interface DashboardConfig {
  settings?: Pick<
    CanarySettings,
    'region' | 'schedule' | 'alertRule' | 'mutes' | 'targets' | 'turns' | 'prompts' | 'prices'
  >;
  /** The prompt catalogue (the projection's estimate); without it there is no projection. */
  catalog?: readonly CataloguePrompt[];
}

type WriteOptions = Omit<DashboardOptions, 'skippedLines'> & DashboardConfig;

/** Renders the dashboard from the store's index of the last 7 days and writes it to `index.html`. */
export async function writeDashboard(
  store: ArtifactStore,
  now: Date,
  opts: WriteOptions = {},
): Promise<DashboardWritten> {
  const { settings, catalog, ...given } = opts;
  const load = await loadFleet(store, now);
  const monthSpend = given.monthSpend ?? (await loadMonthSpend(store, now).catch(() => undefined));
  const regionIntervals = given.regionIntervals ?? (await readIntervals(store));
  const regions = [...new Set([...Object.keys(regionIntervals), ...load.summaries.map((s) => s.region)])].sort();
  const ownInterval = settings ? scheduleInterval(settings.schedule, now) : undefined;
  const every = (settings?.targets ?? []).flatMap((t) =>
    t.every === undefined ? [] : [{ target: t.name, everyMs: parseEvery(t.every, `${t.name}.every`) }],
  );
  const html = renderDashboard(load.summaries, now, {
    ...given,
    skippedLines: load.skippedLines,
    monthSpend: monthSpend && Object.keys(monthSpend.days).length ? monthSpend : undefined,
    regionIntervals,
    defaultIntervalMs: given.defaultIntervalMs ?? ownInterval,
    targetIntervals: given.targetIntervals ?? Object.fromEntries(every.map((e) => [e.target, e.everyMs])),
    openAlerts: given.openAlerts ?? (await readOpenAlerts(store, load.summaries)),
    mutes: given.mutes ?? settings?.mutes,
    detection:
      given.detection ??
      (settings && ownInterval
        ? {
            schedule: settings.schedule,
            intervalMs: ownInterval,
            k: settings.alertRule.k,
            n: settings.alertRule.n,
            every: every.filter((e) => e.everyMs !== ownInterval),
          }
        : undefined),
    projection:
      given.projection ??
      (settings?.targets && catalog ? projectSettings(settings, settings.targets, { regions, catalog }) : undefined),
  });
  await store.put(DASHBOARD_PATH, html, contentTypeFor(DASHBOARD_PATH));
  return {
    path: DASHBOARD_PATH,
    runs: load.summaries.length,
    skippedLines: load.skippedLines,
    bytes: Buffer.byteLength(html),
  };
}

/** The schedule's interval after `now` (undefined when it never fires again). */
function scheduleInterval(schedule: string, now: Date): number | undefined {
  const [a, b] = nextRuns(schedule, now, 2);
  return a && b ? b.getTime() - a.getTime() : undefined;
}

/** Each region's interval from its heartbeat (at most {@link MAX_WATCHED_REGIONS}; unreadable ones skipped). */
async function readIntervals(store: ArtifactStore): Promise<Record<string, number>> {
  const paths = (await store.list(HEARTBEATS_PREFIX)).slice(0, MAX_WATCHED_REGIONS);
  const beats = await Promise.all(paths.map((p) => readStateOrSkip<Heartbeat>(store, p)));
  const out: Record<string, number> = {};
  for (const hb of beats)
    if (hb && typeof hb.region === 'string' && typeof hb.intervalMs === 'number' && hb.intervalMs > 0)
      out[hb.region] = hb.intervalMs;
  return out;
}

/** When the open alert of each (target, region) whose newest run is not passing opened. */
async function readOpenAlerts(store: ArtifactStore, summaries: readonly RunSummary[]): Promise<Map<string, string>> {
  const newest = new Map<string, RunSummary>();
  for (const s of summaries) {
    if (s.notProbed) continue;
    const key = rowKey(s.target, s.region);
    const known = newest.get(key);
    if (!known || Date.parse(s.startedAt) > Date.parse(known.startedAt)) newest.set(key, s);
  }
  const failing = [...newest.values()].filter((s) => s.verdict !== 'pass');
  const states = await Promise.all(
    failing.map((s) => readStateOrSkip<AlertState>(store, alertStatePath(s.region, s.target))),
  );
  const out = new Map<string, string>();
  failing.forEach((s, i) => {
    const openedAt = states[i]?.open?.openedAt;
    if (typeof openedAt === 'string') out.set(rowKey(s.target, s.region), openedAt);
  });
  return out;
}

export function dashboardSink(store: ArtifactStore, config: DashboardConfig = {}, budgetMs = 30_000): RunSink {
  return {
    name: 'dashboard',
    budgetMs,
    stage: 'record',
    async onRoundEnd(_end, ctx) {
      await writeDashboard(store, ctx.now(), config);
    },
  };
}
