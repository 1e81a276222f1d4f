/**
 * The top of the fleet dashboard: "what, where, since when". One line with the time a fault takes to alert with
 * these settings, then the cells that need a person, in groups — failing now (each with what broke and when its
 * alert opened, and how its baseline fares), capacity or quota, misconfigured, not probed (with the reason), muted
 * (with the mute's end), and stale (no index line for more than two of its region's intervals: the canary there may
 * be dead). Every item carries its time and its region's interval, so the page script moves it to "Stale" (and back)
 * against the browser's clock (./dashboardScript.ts).
 *
 * DOM hooks: `[data-testid=detect-line]`; `[data-testid=all-clear]`; one `div[data-group]` per group
 * (`data-testid` failing-now, capacity, misconfigured, not-probed, muted, stale) with `ul`; items
 * `li[data-testid=status-item]` with `data-target`, `data-region`, `data-home`, `data-at`, `data-interval-ms`,
 * `data-muted-until` (muted only) and `data-kind` (the group it has when its mute ends); `span.ago[data-t]` ("(5 min
 * ago)", which the script keeps current).
 */
import { escapeAttr, escapeText } from './escape.js';
import type { FleetRow } from './fleetAggregate.js';
import { reportLinkAttrs } from './fleetStrips.js';
import { detectWindowMs, type HomeGroup, type RowStatus } from './fleetStatus.js';
import { utc } from './format.js';

/** The configured schedule and alert rule (the time-to-detect line). */
export interface Detection {
  schedule: string;
  intervalMs: number;
  k: number;
  n: number;
  /** Targets probed at their own interval (`every`, ms), which detect at their own pace. */
  every?: readonly { target: string; everyMs: number }[];
}

const GROUPS: Record<Exclude<HomeGroup, 'pass'> | 'stale', { testId: string; title: string; note: string }> = {
  failing: { testId: 'failing-now', title: 'Failing now', note: 'the service misbehaved' },
  stale: {
    testId: 'stale',
    title: 'Stale',
    note: 'no run for more than two of the region’s intervals — the canary there may be dead; neither failing nor passing',
  },
  capacity: {
    testId: 'capacity',
    title: 'Capacity or quota',
    note: 'rate limited or no capacity — transient, not a service incident',
  },
  configuration: {
    testId: 'misconfigured',
    title: 'Misconfigured',
    note: 'the canary could not authenticate or is set up wrong — not a service incident',
  },
  'not-probed': { testId: 'not-probed', title: 'Not probed', note: 'the round left these out; nothing was measured' },
  muted: { testId: 'muted', title: 'Muted', note: 'probed and reported; notifications held until the mute ends' },
};
const ORDER = ['failing', 'stale', 'capacity', 'configuration', 'not-probed', 'muted'] as const;

/** `10–20 min`, `30 s–1 min`, `2–4 h`: a span of time as a person reads it (one unit when both ends share it). */
export function spanText(fromMs: number, toMs: number): string {
  const unit = (v: number): [number, string] =>
    v >= 7_200_000 && v % 3_600_000 === 0
      ? [v / 3_600_000, 'h']
      : v >= 60_000
        ? [Math.round(v / 60_000), 'min']
        : [Math.round(v / 1000), 's'];
  const [a, ua] = unit(fromMs);
  const [b, ub] = unit(toMs);
  if (fromMs === toMs) return `${b} ${ub}`;
  return ua === ub ? `${a}–${b} ${ub}` : `${a} ${ua}–${b} ${ub}`;
}

/** "Time to detect with these settings: 10–20 min (…)". */
export function detectLine(d: Detection): string {
  const w = detectWindowMs(d.intervalMs, d.k);
  return (
    `Time to detect with these settings: ${spanText(w.fromMs, w.toMs)} — a run every ${spanText(d.intervalMs, d.intervalMs)} ` +
    `(CANARY_SCHEDULE ${d.schedule}) × an alert when ${d.k} of the last ${d.n} runs fail (CANARY_ALERT_RULE ${d.k}/${d.n}); ` +
    `plus the probe itself.` +
    (d.every?.length
      ? ` Targets with their own interval: ${d.every
          .map((e) => {
            const t = detectWindowMs(e.everyMs, d.k);
            return `${e.target} (every ${spanText(e.everyMs, e.everyMs)}) ${spanText(t.fromMs, t.toMs)}`;
          })
          .join(', ')}.`
      : '')
  );
}

/** The status section. `baselines`: each row's baseline row in its region, when it has one. */
export function statusHtml(
  statuses: readonly RowStatus[],
  detection: Detection | undefined,
  baselines: ReadonlyMap<FleetRow, RowStatus>,
  now: Date,
): string {
  const byGroup = new Map<string, RowStatus[]>();
  for (const s of statuses) {
    const g = s.stale ? 'stale' : s.home;
    byGroup.set(g, [...(byGroup.get(g) ?? []), s]);
  }
  const groups = ORDER.map((g) => {
    const items = (byGroup.get(g) ?? []).sort(
      (a, b) => (a.openedAt ?? '\uffff').localeCompare(b.openedAt ?? '\uffff') || a.atMs - b.atMs,
    );
    const w = GROUPS[g];
    return (
      `<div class="group g-${g}" data-group="${g}" data-testid="${w.testId}"${items.length ? '' : ' hidden'}>` +
      `<h3>${escapeText(w.title)} <span class="count">${items.length}</span> <span class="muted small">` +
      `${escapeText(w.note)}</span></h3><ul>${items.map((s) => item(s, baselines.get(s.row), now)).join('')}</ul></div>`
    );
  });
  // passing cells are listed too, out of sight, so the page script can move one to "Stale" when its time is old
  const passing = (byGroup.get('pass') ?? []).map((s) => item(s, undefined, now)).join('');
  const clear = statuses.length > 0 && ![...byGroup.keys()].some((g) => g !== 'muted' && g !== 'pass');
  return (
    `<section data-testid="status" class="status"><h2>What needs a person</h2>` +
    (detection ? `<p data-testid="detect-line">${escapeText(detectLine(detection))}</p>` : '') +
    `<p data-testid="all-clear" class="ok"${clear ? '' : ' hidden'}>Every target passed its latest run, and every region ` +
    `ran on time.</p>${groups.join('')}<div data-group="pass" hidden><ul>${passing}</ul></div></section>`
  );
}

function item(s: RowStatus, baseline: RowStatus | undefined, now: Date): string {
  const r = s.row;
  const parts = [
    s.what ? `<span class="what">${escapeText(s.what)}</span>` : '',
    s.openedAt
      ? `alert opened ${escapeText(utc(s.openedAt))} <span class="ago" data-t="${Date.parse(s.openedAt)}">` +
        `(${escapeText(ago(now.getTime() - Date.parse(s.openedAt)))})</span>`
      : '',
    s.home === 'failing' || s.home === 'capacity' ? baselineText(baseline) : '',
    s.muted
      ? `muted until ${escapeText(utc(s.muted.until))} (${escapeText(s.muted.scope)}${s.muted.reason ? `: ${escapeText(s.muted.reason)}` : ''})`
      : '',
    `<span class="when" data-testid="last-line">last run ${escapeText(utc(s.atMs))}` +
      `<span class="stale-note"> — ${escapeText(staleNote(s, now))}</span></span>`,
  ].filter(Boolean);
  return (
    `<li data-testid="status-item" data-target="${escapeAttr(r.target)}" data-region="${escapeAttr(r.region)}" ` +
    `data-home="${s.home}" data-kind="${s.kind}" data-at="${s.atMs}" ` +
    `data-interval-ms="${s.intervalMs}" data-every="${escapeAttr(spanText(s.intervalMs, s.intervalMs))}"${s.muted ? ` data-muted-until="${Date.parse(s.muted.until)}"` : ''}>` +
    `<a ${reportLinkAttrs(r.latest.reportHtmlPath)}>${escapeText(r.target)} @ ${escapeText(r.region)}</a> ${parts.join(' · ')}</li>`
  );
}

function baselineText(b: RowStatus | undefined): string {
  if (!b) return '';
  const word = b.kind === 'pass' ? 'passes' : b.kind === 'not-probed' ? 'not probed' : `fails too (${b.what})`;
  return `baseline ${escapeText(b.row.target)} ${escapeText(word)}`;
}

/** "no run for 42 min; a run every 10 min" — the page script writes the same words against its own clock. */
function staleNote(s: Pick<RowStatus, 'atMs' | 'intervalMs'>, now: Date): string {
  return `no run for ${since(now.getTime() - s.atMs)}; a run every ${spanText(s.intervalMs, s.intervalMs)}`;
}

/** "42 min", "3 h" (the page script's `since` is the same). */
function since(ms: number): string {
  const min = Math.max(0, Math.round(ms / 60_000));
  return min < 120 ? `${min} min` : `${Math.round(min / 60)} h`;
}

const ago = (ms: number): string => `${since(ms)} ago`;
