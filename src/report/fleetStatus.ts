/**
 * What each (target, region) of the fleet dashboard is now, pure: the group its newest index line puts it in
 * (failing, capacity, configuration, not probed, muted, passing), the words that say what broke ("2.6 s silent gap
 * in 2 of 3 turns", the alert's own words), when its alert opened, and whether it is stale — no index line for more
 * than two of its region's intervals, or of its own `every` when that is longer (the watchdog's rule,
 * ../sinks/alerts/watchdog.ts). Staleness is decided again
 * in the browser against `Date.now()` by the page script with the same rule ({@link isStale}); what is computed
 * here is the page as of its rendering. Also the time a fault takes to alert with the configured schedule and rule.
 */
import type { Mute } from '../config/mute.js';
import type { RunSummary } from '../runSummary.js';
import { withMute } from '../sinks/alerts/mute.js';
import { capacityProblem, whatWentWrong } from '../sinks/alerts/notificationText.js';
import type { FleetRow } from './fleetAggregate.js';

/** The group a cell is listed in, stale aside (staleness moves a cell to "Stale" whatever its group). */
export type HomeGroup = 'failing' | 'capacity' | 'configuration' | 'not-probed' | 'muted' | 'pass';

/** What the page knows besides the index lines. */
export interface FleetContext {
  /** Per region, the interval of its schedule (its heartbeat's `intervalMs`). */
  regionIntervals: Readonly<Record<string, number>>;
  /** The interval of a region without a heartbeat. */
  defaultIntervalMs: number;
  /** Targets probed at their own, longer interval (`every`): a cell's interval is the longer of the two. */
  targetIntervals: Readonly<Record<string, number>>;
  /** Open alerts by `target\u0000region`: when each opened (ISO). */
  openAlerts: ReadonlyMap<string, string>;
  /** Mutes configured here (CANARY_MUTE); an index line's own `muted` counts too. */
  mutes: readonly Mute[];
}

export interface RowStatus {
  row: FleetRow;
  /** The group without staleness; `muted` hides the kind it would have (`kind`). */
  home: HomeGroup;
  kind: Exclude<HomeGroup, 'muted'>;
  /** Start of the cell's newest index line (a probe or a "not probed" line), epoch ms. */
  atMs: number;
  intervalMs: number;
  /** Stale as of the rendering. */
  stale: boolean;
  /** What broke, or why it was not probed; empty for a pass. */
  what: string;
  /** When the open alert of this cell opened (ISO). */
  openedAt?: string;
  muted?: { until: string; scope: string; reason?: string };
}

/** The one staleness rule (the page script applies the same): older than two of the region's intervals. */
export function isStale(atMs: number, intervalMs: number, nowMs: number): boolean {
  return nowMs - atMs > 2 * intervalMs;
}

/** A failing run that is not a service incident: `configuration` or `capacity` (the run's own classification). */
function problemKind(s: RunSummary): 'configuration' | 'capacity' | undefined {
  return s.verdict !== 'pass' && (s.category === 'configuration' || s.category === 'capacity') ? s.category : undefined;
}

export const rowKey = (target: string, region: string): string => `${target}\u0000${region}`;

/** The status of one row as of `now`. */
export function rowStatus(row: FleetRow, ctx: FleetContext, now: Date): RowStatus {
  const line = row.notProbed ?? row.latest;
  const atMs = Date.parse(line.startedAt);
  const intervalMs = Math.max(
    ctx.regionIntervals[row.region] ?? ctx.defaultIntervalMs,
    ctx.targetIntervals[row.target] ?? 0,
  );
  const kind: RowStatus['kind'] = row.notProbed
    ? 'not-probed'
    : (problemKind(row.latest) ?? (row.latest.verdict === 'pass' ? 'pass' : 'failing'));
  const what =
    kind === 'not-probed'
      ? notProbedReason(line)
      : kind === 'capacity'
        ? capacityProblem(line)
        : kind === 'configuration'
          ? (line.problem?.what ?? line.headline ?? 'configuration problem')
          : kind === 'failing'
            ? whatWentWrong(line)
            : '';
  const muted = muteOf(row, ctx.mutes, now);
  const openedAt = ctx.openAlerts.get(rowKey(row.target, row.region));
  return {
    row,
    home: muted && kind !== 'not-probed' ? 'muted' : kind,
    kind,
    atMs,
    intervalMs,
    stale: isStale(atMs, intervalMs, now.getTime()),
    what,
    ...(openedAt && kind !== 'pass' ? { openedAt } : {}),
    ...(muted ? { muted } : {}),
  };
}

/** "not probed: budget", "not probed: round full", "not probed: quota", … as the line says it. */
export function notProbedReason(s: RunSummary): string {
  return s.headline?.startsWith('not probed') ? s.headline : `not probed: ${s.notProbed ?? 'unknown reason'}`;
}

/** The mute covering the row now: a configured one, else the one its newest run carried, while it lasts. */
function muteOf(row: FleetRow, mutes: readonly Mute[], now: Date): RowStatus['muted'] {
  const m = withMute({ ...row.latest, muted: undefined }, mutes, now).muted ?? row.latest.muted;
  return m && Date.parse(m.until) > now.getTime() ? m : undefined;
}

/**
 * How long a fault present on every probe takes to alert: the K-th failing run of a window of N opens the alert,
 * so between (K − 1) and K intervals after it began, plus the probe's own length.
 */
export function detectWindowMs(intervalMs: number, k: number): { fromMs: number; toMs: number } {
  return { fromMs: (k - 1) * intervalMs, toMs: k * intervalMs };
}
