/**
 * The dashboard's I/O: reads the daily index blobs (`index/<yyyy-mm-dd>.jsonl`, one RunSummary per line) of the
 * last days from an ArtifactStore, and writes the rendered dashboard to `index.html` at the store's root.
 * Unreadable lines (a torn append, a foreign line) are skipped and counted, never fatal.
 */
import type { ArtifactStore } from '../sinks/artifactStore.js';
import { DASHBOARD_PATH, contentTypeFor, dailyIndexPath } from '../sinks/layout.js';
import type { RunSummary } from '../sinks/runSummary.js';
import { renderDashboard, type DashboardOptions } from './dashboardHtml.js';
import { loadMonthSpend } from '../sinks/budgetLedger.js';

const DAY_MS = 86_400_000;
const VERDICTS = new Set(['pass', 'fail', 'error']);

export interface FleetLoad {
  /** Summaries that started within the window, in index order (duplicates kept; the dashboard drops them). */
  summaries: RunSummary[];
  /** Lines that were not a RunSummary (bad JSON or missing fields). */
  skippedLines: number;
  /** Index files read (days without one are not counted). */
  files: number;
}

/** Reads the index files covering `[now − days, now]` and returns their summaries with what was skipped. */
export async function loadFleet(store: ArtifactStore, now: Date, days = 7): Promise<FleetLoad> {
  const from = now.getTime() - days * DAY_MS;
  const paths = new Set<string>();
  for (let t = from; t < now.getTime() + DAY_MS; t += DAY_MS) paths.add(dailyIndexPath(new Date(Math.min(t, now.getTime()))));
  const bodies = await Promise.all([...paths].map((p) => store.get(p)));
  const out: FleetLoad = { summaries: [], skippedLines: 0, files: 0 };
  for (const body of bodies) {
    if (!body) continue;
    out.files++;
    for (const line of body.toString('utf8').split('\n')) {
      if (!line.trim()) continue;
      const s = parseSummary(line);
      if (!s) {
        out.skippedLines++;
        continue;
      }
      const at = Date.parse(s.startedAt);
      if (at >= from && at <= now.getTime()) out.summaries.push(s);
    }
  }
  return out;
}

/** The RunSummaries of the last `days` days (bad index lines skipped; see {@link loadFleet} for the count). */
export async function loadFleetSummaries(store: ArtifactStore, now: Date, days = 7): Promise<RunSummary[]> {
  return (await loadFleet(store, now, days)).summaries;
}

/** One index line as a RunSummary, or undefined when it is not one (the fields the dashboard relies on are checked). */
export function parseSummary(line: string): RunSummary | undefined {
  let v: unknown;
  try {
    v = JSON.parse(line);
  } catch {
    return undefined;
  }
  if (v === null || typeof v !== 'object' || Array.isArray(v)) return undefined;
  const s = v as Record<string, unknown>;
  const strings = ['runId', 'startedAt', 'region', 'target', 'flavour', 'reportHtmlPath'] as const;
  if (!strings.every((k) => typeof s[k] === 'string' && s[k] !== '')) return undefined;
  if (!VERDICTS.has(s.verdict as string) || Number.isNaN(Date.parse(s.startedAt as string))) return undefined;
  if (typeof s.longestGapMs !== 'number') s.longestGapMs = 0;
  if (typeof s.baseline !== 'boolean') s.baseline = false;
  if (!Array.isArray(s.findingCodes)) s.findingCodes = [];
  return s as unknown as RunSummary;
}

export interface DashboardWritten {
  path: string;
  runs: number;
  skippedLines: number;
  bytes: number;
}

/** Renders the dashboard from the store's index of the last 7 days and writes it to `index.html`. */
export async function writeDashboard(store: ArtifactStore, now: Date, opts: Omit<DashboardOptions, 'skippedLines'> = {}): Promise<DashboardWritten> {
  const load = await loadFleet(store, now);
  const monthSpend = opts.monthSpend ?? (await loadMonthSpend(store, now).catch(() => undefined));
  const html = renderDashboard(load.summaries, now, { ...opts, skippedLines: load.skippedLines, monthSpend: monthSpend && Object.keys(monthSpend.days).length ? monthSpend : undefined });
  await store.put(DASHBOARD_PATH, html, contentTypeFor(DASHBOARD_PATH));
  return { path: DASHBOARD_PATH, runs: load.summaries.length, skippedLines: load.skippedLines, bytes: Buffer.byteLength(html) };
}
