/**
 * The dashboard's time strips: one SVG per (target, region) row and window, one cell per slot, drawn as one
 * `<path>` per colour class — a few thousand cells cost a few dozen elements. Hover and click are handled by the
 * page script from the compact JSON payload ({@link stripPayload}), which maps a slot to its runs and report link.
 *
 * DOM hooks: `svg[data-testid=strip]` with `data-kind` (`day` | `week`), `data-row` (index into the payload's rows),
 * `data-slots`, `data-pitch` (px per slot; slot `i` spans x = i·pitch … (i+1)·pitch − 1).
 */
import { encodePath, escapeAttr } from './escape.js';
import {
  DAY_SLOT_MS,
  DAY_SLOTS,
  WEEK_SLOT_MS,
  WEEK_SLOTS,
  type Cell,
  type Fleet,
  type FleetRow,
} from './fleetAggregate.js';

export type WindowKind = 'day' | 'week';

export const PITCH: Record<WindowKind, number> = { day: 5, week: 4 };
const HEIGHT = 16;
const SLOTS: Record<WindowKind, number> = { day: DAY_SLOTS, week: WEEK_SLOTS };

/** The colour class of a cell: p(ass), f(ail), e(rror); `x` when some of its runs passed. */
export function cellClass(c: Cell): string {
  const failing = c.fails + c.errors;
  const base = c.fails ? 'f' : c.errors ? 'e' : 'p';
  return failing > 0 && failing < c.runs ? `${base}x` : base;
}

/** One row's strip for a window. */
export function stripSvg(row: FleetRow, index: number, kind: WindowKind): string {
  const pitch = PITCH[kind];
  const slots = SLOTS[kind];
  const width = pitch * slots;
  const byClass = new Map<string, string[]>();
  (kind === 'day' ? row.day : row.week).forEach((c, i) => {
    if (!c) return;
    const cls = cellClass(c);
    const list = byClass.get(cls) ?? [];
    list.push(`M${i * pitch} 1h${pitch - 1}v${HEIGHT - 2}h-${pitch - 1}z`);
    byClass.set(cls, list);
  });
  const paths = [...byClass].map(([cls, d]) => `<path class="c-${cls}" d="${d.join('')}"/>`).join('');
  return (
    `<svg data-testid="strip" class="strip" data-kind="${kind}" data-row="${index}" data-slots="${slots}" ` +
    `data-pitch="${pitch}" width="${width}" height="${HEIGHT}" viewBox="0 0 ${width} ${HEIGHT}">` +
    `<rect class="c-none" y="1" width="${width}" height="${HEIGHT - 2}"/>${paths}</svg>`
  );
}

/** Hour (day strip) or day (week strip) labels above the strips. */
export function stripAxis(fleet: Fleet, kind: WindowKind): string {
  const pitch = PITCH[kind];
  const width = pitch * SLOTS[kind];
  const start = kind === 'day' ? fleet.dayStartMs : fleet.weekStartMs;
  const slotMs = kind === 'day' ? DAY_SLOT_MS : WEEK_SLOT_MS;
  const every = kind === 'day' ? 3 * 3_600_000 : 86_400_000;
  const labels: string[] = [];
  for (let t = Math.ceil(start / every) * every; t < start + SLOTS[kind] * slotMs; t += every) {
    const x = ((t - start) / slotMs) * pitch;
    const d = new Date(t).toISOString();
    const text = kind === 'day' ? `${d.slice(11, 16)}` : `${d.slice(5, 10)}`;
    labels.push(
      `<path d="M${x.toFixed(1)} 12v4"/><text x="${x.toFixed(1)}" y="10" text-anchor="middle">${text}</text>`,
    );
  }
  return `<svg class="axis" width="${width}" height="16" viewBox="0 0 ${width} 16">${labels.join('')}</svg>`;
}

/** A cell in the payload: `[slot, runs, fails, errors, runIndex, firstAudioMs, longestGapMs, minCoverage, turns, failingTurns]`. */
export type PayloadCell = [
  number,
  number,
  number,
  number,
  number,
  number | null,
  number,
  number | null,
  number,
  number,
];
/**
 * A run in the payload, strings as indexes into `strings`: `[hrefSegments, runId, startedAtSec, headline]` — the
 * report link is `hrefSegments.map(i => strings[i]).join('/')` (URL-encoded segments; empty: no link), the start
 * is seconds after `week.start`, the headline −1 when there is none.
 */
export type PayloadRun = [number[], number, number, number];

export interface StripPayload {
  day: { start: number; slotMs: number };
  week: { start: number; slotMs: number };
  rows: { target: string; region: string; day: PayloadCell[]; week: PayloadCell[] }[];
  runs: PayloadRun[];
  strings: string[];
}

/** The data the page script needs for tooltips and clicks: each referenced run once, each string once. */
export function stripPayload(fleet: Fleet): StripPayload {
  const runs: PayloadRun[] = [];
  const strings: string[] = [];
  const stringIndex = new Map<string, number>();
  const str = (v: string): number => {
    let i = stringIndex.get(v);
    if (i === undefined) stringIndex.set(v, (i = strings.push(v) - 1));
    return i;
  };
  const index = new Map<string, number>();
  const runIndex = (c: Cell): number => {
    const s = c.run;
    const key = `${s.runId}\u0000${s.region}\u0000${s.target}`;
    let i = index.get(key);
    if (i === undefined) {
      const href = reportHref(s.reportHtmlPath);
      const headline = s.verdict === 'pass' || !s.headline ? -1 : str(s.headline);
      i =
        runs.push([
          href ? href.split('/').map(str) : [],
          str(s.runId),
          Math.round((Date.parse(s.startedAt) - fleet.weekStartMs) / 1000),
          headline,
        ]) - 1;
      index.set(key, i);
    }
    return i;
  };
  const cells = (list: (Cell | undefined)[]): PayloadCell[] =>
    list.flatMap((c, slot) =>
      c
        ? [
            [
              slot,
              c.runs,
              c.fails,
              c.errors,
              runIndex(c),
              round(c.firstAudioMs),
              Math.round(c.longestGapMs),
              c.minCoverage === null ? null : Math.round(Math.min(1, c.minCoverage) * 1000) / 1000,
              c.turns,
              c.failingTurns,
            ] as PayloadCell,
          ]
        : [],
    );
  const rows = fleet.rows.map((r) => ({ target: r.target, region: r.region, day: cells(r.day), week: cells(r.week) }));
  return {
    day: { start: fleet.dayStartMs, slotMs: DAY_SLOT_MS },
    week: { start: fleet.weekStartMs, slotMs: WEEK_SLOT_MS },
    rows,
    runs,
    strings,
  };
}

function round(v: number | null): number | null {
  return v === null ? null : Math.round(v);
}

/**
 * A report link relative to the dashboard (the container root), URL-encoded; empty when the stored path is not a
 * plain relative path (absolute, a scheme such as `javascript:`, or `..` segments), so it is never linked.
 */
export function reportHref(path: string | undefined): string {
  if (
    !path ||
    path.startsWith('/') ||
    /^[a-z][a-z0-9+.-]*:/i.test(path) ||
    path.split('/').some((s) => s === '..' || s === '.')
  )
    return '';
  return encodePath(path);
}

/** `href="…" data-rel="1"` for an anchor to a run's report, or nothing when it has no usable link. */
export function reportLinkAttrs(path: string | undefined): string {
  const href = reportHref(path);
  return href ? `href="${escapeAttr(href)}" data-rel="1"` : '';
}
