/**
 * The dashboard's heat map: region × target, each cell two 7-day grids (one row per UTC day, one column per UTC
 * hour): the hourly failing-turn rate and the hourly worst silent gap — an incident shows as a block
 * of hot cells in one region while the others stay cool. Drawn as one `<path>` per colour class per grid; hover and
 * click are the page script's (hourly cells come from the payload's `week` cells, see ./fleetStrips.ts).
 *
 * DOM hooks: `section[data-testid=heat-maps]`, `table[data-testid=heat-map]` (two grids per region),
 * `svg[data-testid=heat]` with `data-metric`, `data-row` (index into the payload's rows), `data-start-hour` (the
 * grid cell of slot 0, counted from the first row's 00:00 UTC), `data-cell` (px per cell), `data-days`.
 */
import { escapeAttr, escapeText } from './escape.js';
import { WEEK_SLOTS, type Cell, type Fleet, type FleetRow } from './fleetAggregate.js';

export type HeatMetric = 'fail' | 'gap';

const CELL = 7;
const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;

/** The colour class of an hourly cell for a metric. */
export function heatClass(c: Cell, metric: HeatMetric): string {
  if (metric === 'gap' && c.errors === c.runs) return 'hn';
  if (metric === 'fail') {
    if (c.errors === c.runs) return 'he';
    const r = c.turns ? c.failingTurns / c.turns : 0;
    return r === 0 ? 'h0' : r <= 0.1 ? 'h1' : r <= 0.25 ? 'h2' : r <= 0.5 ? 'h3' : 'h4';
  }
  const g = c.longestGapMs;
  return g < 500 ? 'g0' : g < 1000 ? 'g1' : g < 2000 ? 'g2' : 'g3';
}

/** Geometry shared by the grids: the first day shown and where slot 0 falls. */
function grid(fleet: Fleet): { firstDayMs: number; startHour: number; days: number } {
  const firstDayMs = Math.floor(fleet.weekStartMs / DAY_MS) * DAY_MS;
  const startHour = Math.floor((fleet.weekStartMs - firstDayMs) / HOUR_MS);
  const days = Math.ceil((startHour + WEEK_SLOTS) / 24);
  return { firstDayMs, startHour, days };
}

function heatSvg(row: FleetRow, index: number, metric: HeatMetric, g: ReturnType<typeof grid>): string {
  const byClass = new Map<string, string[]>();
  row.week.forEach((c, slot) => {
    if (!c) return;
    const k = g.startHour + slot;
    const d = `M${(k % 24) * CELL} ${Math.floor(k / 24) * CELL}h${CELL - 1}v${CELL - 1}h-${CELL - 1}z`;
    const cls = heatClass(c, metric);
    byClass.set(cls, [...(byClass.get(cls) ?? []), d]);
  });
  const w = 24 * CELL;
  const h = g.days * CELL;
  const paths = [...byClass].map(([cls, d]) => `<path class="${cls}" d="${d.join('')}"/>`).join('');
  return (
    `<svg data-testid="heat" class="heat" data-metric="${metric}" data-row="${index}" ` +
    `data-start-hour="${g.startHour}" data-cell="${CELL}" data-days="${g.days}" width="${w}" height="${h}" ` +
    `viewBox="0 0 ${w} ${h}" role="img" ` +
    `aria-label="${escapeAttr(`${row.target} @ ${row.region}: hourly ${metric === 'fail' ? 'failing-turn rate' : 'worst gap'}`)}">` +
    `<path class="hn" d="${gridPath(g)}"/>${paths}</svg>`
  );
}

/** Background cells (no run) for every hour of the window. */
function gridPath(g: ReturnType<typeof grid>): string {
  let d = '';
  for (let k = g.startHour; k < g.startHour + WEEK_SLOTS; k++)
    d += `M${(k % 24) * CELL} ${Math.floor(k / 24) * CELL}h${CELL - 1}v${CELL - 1}h-${CELL - 1}z`;
  return d;
}

function dayLabels(g: ReturnType<typeof grid>): string {
  const labels = Array.from(
    { length: g.days },
    (_, i) =>
      `<text x="0" y="${i * CELL + CELL - 0.5}">${new Date(g.firstDayMs + i * DAY_MS).toISOString().slice(5, 10)}</text>`,
  );
  return `<svg class="heat-days" width="26" height="${g.days * CELL}" viewBox="0 0 26 ${g.days * CELL}">${labels.join('')}</svg>`;
}

function hourAxis(): string {
  const ticks = [0, 6, 12, 18].map((h) => `<text x="${h * CELL}" y="9">${String(h).padStart(2, '0')}</text>`).join('');
  return `<svg class="heat-axis" width="${24 * CELL}" height="11" viewBox="0 0 ${24 * CELL} 11">${ticks}</svg>`;
}

function table(fleet: Fleet): string {
  const g = grid(fleet);
  const index = new Map(fleet.rows.map((r, i) => [`${r.target}\u0000${r.region}`, i]));
  const head = fleet.regions.map((r) => `<th colspan="2" class="region">${escapeText(r)}</th>`).join('');
  const sub = fleet.regions
    .map(() => `<th>failing turns<br>${hourAxis()}</th><th>worst gap<br>${hourAxis()}</th>`)
    .join('');
  const rows = fleet.targets.map((target) => {
    const cells = fleet.regions.map((region) => {
      const i = index.get(`${target}\u0000${region}`);
      return i === undefined
        ? '<td colspan="2" class="muted">—</td>'
        : `<td>${heatSvg(fleet.rows[i]!, i, 'fail', g)}</td><td class="gap-col">${heatSvg(fleet.rows[i]!, i, 'gap', g)}</td>`;
    });
    return `<tr><th class="label">${escapeText(target)}</th><td>${dayLabels(g)}</td>${cells.join('')}</tr>`;
  });
  return (
    `<div class="scroll"><table data-testid="heat-map" class="heat-table"><thead><tr>` +
    `<th rowspan="2">target \\ region</th><th rowspan="2" class="small muted">UTC<br>day</th>${head}</tr>` +
    `<tr>${sub}</tr></thead><tbody>${rows.join('')}</tbody></table></div>`
  );
}

/** The heat map with its legend. */
export function heatMaps(fleet: Fleet): string {
  if (!fleet.rows.length) return '';
  const key = (cls: string, text: string): string => `<span class="hk ${cls}"></span>${escapeText(text)}`;
  return (
    `<section data-testid="heat-maps"><h2>Last 7 days by hour <span class="muted small">(each grid: one row ` +
    `per UTC day, one column per UTC hour; hover for the numbers, click for the worst run)</span></h2>
${table(fleet)}
<p class="small muted legend">Failing turns: ${key('h0', '0 %')} ${key('h1', '≤ 10 %')} ${key('h2', '≤ 25 %')} ` +
    `${key('h3', '≤ 50 %')} ${key('h4', '> 50 %')} ${key('he', 'could not run')} ` +
    `· Worst gap: ${key('g0', '< 0.5 s')} ${key('g1', '< 1 s')} ${key('g2', '< 2 s')} ${key('g3', '≥ 2 s')} · ${key('hn', 'no run')}</p></section>`
  );
}

export const HEAT_CSS =
  `
.heat-table td,.heat-table th{padding:2px 4px;border:0;vertical-align:top}.heat-table td.gap-col{padding-right:14px}
.heat-table th{font-size:11px;text-align:left;font-weight:600}.heat-table ` +
  `th.region{font-size:13px;color:var(--fg);border-bottom:1px solid var(--line)}.heat-table tbody th.label{font-size:12px;white-space:nowrap}
.heat{display:block;cursor:pointer}.heat-days text{fill:var(--muted);font-size:6.5px}.heat-axis text{fill:var(--muted);font-size:8px}
.hn{fill:var(--none);opacity:.45}.he{fill:var(--error);opacity:.8}.h0{fill:var(--pass);opacity:.55}` +
  `.h1{fill:#e3b341}.h2{fill:#f0883e}.h3{fill:#e5534b}.h4{fill:#a40e26}
.g0{fill:var(--pass);opacity:.55}.g1{fill:#9ecae1}.g2{fill:#4292c6}.g3{fill:#08306b}
@media (prefers-color-scheme:dark){.g3{fill:#c6dbef}.h4{fill:#ff7b72}}
.hk{display:inline-block;width:10px;height:10px;margin:0 3px 0 10px;vertical-align:middle;border-radius:2px}
.hk.hn{background:var(--none)}.hk.he{background:var(--error)}.hk.h0,.hk.g0{background:var(--pass);opacity:.55}` +
  `.hk.h1{background:#e3b341}.hk.h2{background:#f0883e}.hk.h3{background:#e5534b}.hk.h4{background:#a40e26}
.hk.g1{background:#9ecae1}.hk.g2{background:#4292c6}.hk.g3{background:#08306b}
`;
