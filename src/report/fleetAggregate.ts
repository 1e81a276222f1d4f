/**
 * The fleet dashboard's numbers, aggregated from the daily index (one RunSummary per run): one row per
 * (target, region) with its runs binned into 10-minute slots over the last 24 hours and hourly slots over the last
 * 7 days, hourly series of time to first audio and longest gap, and each Azure target paired with its group's
 * baseline. "Not probed" lines (budget, quota, round full) are no runs: they are kept as the row's newest line when
 * they are newer than its last run, never binned. Rows are ordered by group (the group with the worst cell first),
 * the baseline first in its group, then the worst cell first: what needs a person is on top, the baseline beside
 * the targets it is compared with. Pure and linear in the number of summaries; duplicates (same run id, region and
 * target — a retried append) are counted once.
 */
import { median } from '../analysis/fields.js';
import type { Verdict } from '../analysis/findings.js';
import { isAzure } from '../realtime/flavours.js';
import type { RunSummary } from '../runSummary.js';

export const DAY_SLOT_MS = 10 * 60_000;
export const DAY_SLOTS = 144;
export const WEEK_SLOT_MS = 60 * 60_000;
export const WEEK_SLOTS = 168;

/** The runs of one slot of one row. */
export interface Cell {
  runs: number;
  fails: number;
  errors: number;
  /** The run a click opens: the worst (fail, then error, then pass), latest first. */
  run: RunSummary;
  /** Median time to first audio of the slot's runs, ms. */
  firstAudioMs: number | null;
  longestGapMs: number;
  minCoverage: number | null;
  /** Turns of the slot's runs, and how many of them failed (the heat map's failing-turn rate). */
  turns: number;
  failingTurns: number;
}

export interface WindowStats {
  runs: number;
  passing: number;
}

export interface FleetRow {
  target: string;
  region: string;
  flavour: string;
  group: string | undefined;
  baseline: boolean;
  /** The newest run (a "not probed" line when the row has no run in the window). */
  latest: RunSummary;
  /** The row's newest line when it is a "not probed" line newer than its last run. */
  notProbed: RunSummary | undefined;
  /** The newest run that carries a comparison with its baseline. */
  latestCompared: RunSummary | undefined;
  day: (Cell | undefined)[];
  week: (Cell | undefined)[];
  last24h: WindowStats;
  last7d: WindowStats;
  /** Per hourly slot: median time to first audio and longest gap (null without runs). */
  firstAudioSeries: (number | null)[];
  gapSeries: (number | null)[];
}

/** An Azure target next to its group's baseline, as seen from one region. */
export interface BaselinePair {
  row: FleetRow;
  baseline: FleetRow | undefined;
  /** The newest comparison text the round wrote for this target. */
  comparison: string | undefined;
}

export interface Fleet {
  now: Date;
  dayStartMs: number;
  weekStartMs: number;
  rows: FleetRow[];
  regions: string[];
  targets: string[];
  pairs: BaselinePair[];
  /** Summaries in the 7-day window after de-duplication. */
  runs: number;
  duplicates: number;
}

const RANK: Record<Verdict, number> = { fail: 2, error: 1, pass: 0 };

interface Acc {
  runs: RunSummary[];
}

/** Aggregates summaries for the dashboard at time `now`. */
export function aggregateFleet(summaries: readonly RunSummary[], now: Date): Fleet {
  const nowMs = now.getTime();
  const weekStartMs = nowMs - WEEK_SLOTS * WEEK_SLOT_MS;
  const dayStartMs = nowMs - DAY_SLOTS * DAY_SLOT_MS;
  const seen = new Set<string>();
  const byRow = new Map<string, { day: (Acc | undefined)[]; week: (Acc | undefined)[]; all: RunSummary[] }>();
  const notProbed = new Map<string, RunSummary>();
  let duplicates = 0;
  for (const s of summaries) {
    const at = Date.parse(s.startedAt);
    if (!(at >= weekStartMs && at <= nowMs)) continue;
    if (s.notProbed) {
      const key = `${s.target}\u0000${s.region}`;
      const known = notProbed.get(key);
      if (!known || at > Date.parse(known.startedAt)) notProbed.set(key, s);
      continue;
    }
    const id = `${s.runId}\u0000${s.region}\u0000${s.target}`;
    if (seen.has(id)) {
      duplicates++;
      continue;
    }
    seen.add(id);
    const key = `${s.target}\u0000${s.region}`;
    let row = byRow.get(key);
    if (!row) byRow.set(key, (row = { day: new Array(DAY_SLOTS), week: new Array(WEEK_SLOTS), all: [] }));
    row.all.push(s);
    const w = Math.min(WEEK_SLOTS - 1, Math.floor((at - weekStartMs) / WEEK_SLOT_MS));
    (row.week[w] ??= { runs: [] }).runs.push(s);
    if (at >= dayStartMs) {
      const d = Math.min(DAY_SLOTS - 1, Math.floor((at - dayStartMs) / DAY_SLOT_MS));
      (row.day[d] ??= { runs: [] }).runs.push(s);
    }
  }
  for (const key of notProbed.keys())
    if (!byRow.has(key)) byRow.set(key, { day: new Array(DAY_SLOTS), week: new Array(WEEK_SLOTS), all: [] });
  const rows = orderRows([...byRow].map(([key, r]) => toRow(r.all, r.day, r.week, notProbed.get(key))));
  return {
    now,
    dayStartMs,
    weekStartMs,
    rows,
    regions: [...new Set(rows.map((r) => r.region))].sort(),
    targets: [...new Set(rows.map((r) => r.target))],
    pairs: baselinePairs(rows),
    runs: seen.size,
    duplicates,
  };
}

/** How urgent a row's newest line is: an incident, capacity, configuration, not probed, passing. */
function urgency(r: FleetRow): number {
  if (r.notProbed) return 3;
  const s = r.latest;
  if (s.verdict === 'pass') return 4;
  return s.category === 'capacity' ? 1 : s.category === 'configuration' ? 2 : 0;
}

/** Groups together (the one with the most urgent row first), each group's baseline first, then the most urgent. */
function orderRows(rows: FleetRow[]): FleetRow[] {
  const groupRank = new Map<string, number>();
  for (const r of rows) groupRank.set(r.group ?? '', Math.min(groupRank.get(r.group ?? '') ?? 9, urgency(r)));
  // targets keep one position in every region: a target's urgency is its worst region's
  const targetRank = new Map<string, number>();
  for (const r of rows) targetRank.set(r.target, Math.min(targetRank.get(r.target) ?? 9, urgency(r)));
  const g = (r: FleetRow): number => groupRank.get(r.group ?? '')!;
  return rows.sort(
    (a, b) =>
      g(a) - g(b) ||
      (a.group ?? '\uffff').localeCompare(b.group ?? '\uffff') ||
      Number(b.baseline) - Number(a.baseline) ||
      targetRank.get(a.target)! - targetRank.get(b.target)! ||
      a.target.localeCompare(b.target) ||
      a.region.localeCompare(b.region),
  );
}

function toRow(
  all: RunSummary[],
  day: (Acc | undefined)[],
  week: (Acc | undefined)[],
  notProbed: RunSummary | undefined,
): FleetRow {
  const newer = (a: RunSummary, b: RunSummary): RunSummary =>
    Date.parse(b.startedAt) > Date.parse(a.startedAt) ? b : a;
  const latest = all.length ? all.reduce(newer) : notProbed!;
  const compared = all.filter((s) => s.comparison);
  const dayCells = Array.from(day, (a) => (a ? cell(a.runs) : undefined));
  const weekCells = Array.from(week, (a) => (a ? cell(a.runs) : undefined));
  const stats = (cells: (Cell | undefined)[]): WindowStats =>
    cells.reduce<WindowStats>(
      (s, c) => (c ? { runs: s.runs + c.runs, passing: s.passing + c.runs - c.fails - c.errors } : s),
      { runs: 0, passing: 0 },
    );
  return {
    target: latest.target,
    region: latest.region,
    flavour: latest.flavour,
    group: latest.group,
    baseline: latest.baseline,
    latest,
    notProbed: notProbed && (!all.length || newer(latest, notProbed) === notProbed) ? notProbed : undefined,
    latestCompared: compared.length ? compared.reduce(newer) : undefined,
    day: dayCells,
    week: weekCells,
    last24h: stats(dayCells),
    last7d: stats(weekCells),
    firstAudioSeries: weekCells.map((c) => c?.firstAudioMs ?? null),
    gapSeries: weekCells.map((c) => (c ? c.longestGapMs : null)),
  };
}

function cell(runs: RunSummary[]): Cell {
  let run = runs[0]!;
  let fails = 0;
  let errors = 0;
  let longestGapMs = 0;
  let minCoverage: number | null = null;
  let turns = 0;
  let failingTurns = 0;
  const firstAudio: number[] = [];
  for (const s of runs) {
    if (s.verdict === 'fail') fails++;
    else if (s.verdict === 'error') errors++;
    longestGapMs = Math.max(longestGapMs, s.longestGapMs || 0);
    // A run that could not probe (error) counts all its turns as failing; a missing count as one turn.
    const n = typeof s.turns === 'number' && s.turns > 0 ? s.turns : 1;
    turns += n;
    failingTurns +=
      s.verdict === 'error'
        ? n
        : Math.min(n, Math.max(0, typeof s.failingTurns === 'number' ? s.failingTurns : s.verdict === 'fail' ? 1 : 0));
    if (typeof s.coverage === 'number')
      minCoverage = minCoverage === null ? s.coverage : Math.min(minCoverage, s.coverage);
    if (typeof s.timeToFirstAudioMs === 'number') firstAudio.push(s.timeToFirstAudioMs);
    const worse = (RANK[s.verdict] ?? 0) - (RANK[run.verdict] ?? 0);
    if (worse > 0 || (worse === 0 && s.startedAt > run.startedAt)) run = s;
  }
  return {
    runs: runs.length,
    fails,
    errors,
    run,
    firstAudioMs: median(firstAudio),
    longestGapMs,
    minCoverage,
    turns,
    failingTurns,
  };
}

function baselinePairs(rows: FleetRow[]): BaselinePair[] {
  return rows
    .filter((r) => isAzure(r.flavour) && !r.baseline && r.group !== undefined)
    .map((row) => {
      const candidates = rows.filter((b) => b.baseline && b.group === row.group && b !== row);
      const baseline = candidates.find((b) => b.region === row.region) ?? candidates[0];
      return { row, baseline, comparison: row.latestCompared?.comparison };
    });
}
