/**
 * The fleet dashboard (`index.html` at the container root, and in the local output folder). It answers "what,
 * where, since when": what needs a person (./fleetGroups.ts: failing with what broke and when the alert opened,
 * capacity, misconfigured, not probed, muted, stale) with the time a fault takes to alert; region × target now,
 * grouped with each group's baseline first; each Azure target next to its baseline; time to first audio and to
 * the final answer per target and day (./fleetLatency.ts); every (target, region) over the last 24 hours and
 * 7 days; cost. Pure and self-contained; links are relative to the container root (`RunSummary.reportHtmlPath`).
 * Staleness is decided in the browser against its own clock (./dashboardScript.ts).
 *
 * DOM hooks: `table[data-testid=matrix]` with `tr[data-testid=matrix-row]` (`data-target`) and
 * `a[data-testid=matrix-cell]` (`data-target`, `data-region`, `data-run-id`, `data-verdict`, `data-state` —
 * failing, capacity, configuration, not-probed, pass —, `data-kind` for capacity and configuration, `data-at`,
 * `data-interval-ms`, `data-word`, `data-muted`; class `stale` and the text "stale" while stale);
 * `tr[data-testid=fleet-row]` (`data-target`, `data-region`); the strips (see ./fleetStrips.ts);
 * `[data-testid=spark-first-audio]`, `[data-testid=spark-gap]`; `table[data-testid=baselines]`;
 * `script#fleet-data` (the JSON payload); `[data-testid=tooltip]`.
 */
import { median } from '../analysis/fields.js';
import type { RunSummary } from '../runSummary.js';
import { DASHBOARD_SCRIPT } from './dashboardScript.js';
import { escapeAttr, escapeText, jsonForScript } from './escape.js';
import { aggregateFleet, type Fleet, type FleetRow, type WindowStats } from './fleetAggregate.js';
import { ms, percent, utc } from './format.js';
import { htmlPage } from './page.js';
import { reportLinkAttrs, stripAxis, stripPayload, stripSvg } from './fleetStrips.js';
import { sparkline } from './sparkline.js';
import { HEAT_CSS, heatMaps } from './heatMap.js';
import { dashboardCostHtml } from './costSection.js';
import { driftMarkersHtml } from './driftSection.js';
import type { MonthSpend } from '../cost/ledger.js';
import type { Projection } from '../cost/projection.js';
import type { Mute } from '../config/mute.js';
import { detectLine, statusHtml, type Detection } from './fleetGroups.js';
import { rowKey, rowStatus, type FleetContext, type RowStatus } from './fleetStatus.js';
import { latencyHtml } from './fleetLatency.js';

export interface DashboardOptions {
  /** Page title (default "Realtime canary"). */
  title?: string;
  /** Index lines that could not be read (shown in the footer). */
  skippedLines?: number;
  /** Spend per UTC day of this month from the ledgers, for the month-to-date total. */
  monthSpend?: MonthSpend;
  /** Per region, the interval of its schedule (its heartbeat's): a cell older than two of them is stale. */
  regionIntervals?: Readonly<Record<string, number>>;
  /** The interval of a region without a heartbeat (default 15 min: stale after 30 min). */
  defaultIntervalMs?: number;
  /** Targets probed at their own, longer interval (`every`, ms). */
  targetIntervals?: Readonly<Record<string, number>>;
  /** When the open alert of each `target\u0000region` opened (ISO). */
  openAlerts?: ReadonlyMap<string, string>;
  /** CANARY_MUTE as configured here. */
  mutes?: readonly Mute[];
  /** The configured schedule and alert rule: the time-to-detect line. */
  detection?: Detection;
  /** The month as `realtime-canary cost` projects it for this configuration and the fleet's regions. */
  projection?: Projection;
}

/** The dashboard page for `summaries` as of `now`. */
export function renderDashboard(summaries: readonly RunSummary[], now: Date, opts: DashboardOptions = {}): string {
  const fleet = aggregateFleet(summaries, now);
  const ctx: FleetContext = {
    regionIntervals: opts.regionIntervals ?? {},
    defaultIntervalMs: opts.defaultIntervalMs ?? 15 * 60_000,
    targetIntervals: opts.targetIntervals ?? {},
    openAlerts: opts.openAlerts ?? new Map(),
    mutes: opts.mutes ?? [],
  };
  const statuses = new Map(fleet.rows.map((r) => [r, rowStatus(r, ctx, now)]));
  const title = opts.title ?? 'Realtime canary';
  const body = [
    `<header><h1>${escapeText(title)}</h1><p class="muted">As of ${escapeText(utc(now.getTime()))} ` +
      `· ${fleet.targets.length} target(s) · ${fleet.regions.length} region(s) · ${fleet.runs} run(s) in 7 days</p></header>`,
    fleet.rows.length
      ? statusHtml([...statuses.values()], opts.detection, baselineStatuses(fleet, statuses), now)
      : `<section data-testid="status">${opts.detection ? `<p data-testid="detect-line">${escapeText(detectLine(opts.detection))}</p>` : ''}<p>No runs in the last 7 days.</p></section>`,
    matrix(fleet, statuses),
    baselines(fleet),
    latencyHtml(
      fleet.rows.map((r) => r.target).filter((t, i, all) => all.indexOf(t) === i),
      summaries,
      now,
    ),
    heatMaps(fleet),
    `<section><h2>Last 24 hours <span class="muted small">(10-minute slots, oldest left)</span></h2>${rowsTable(fleet, 'day')}</section>`,
    `<section><h2>Last 7 days <span class="muted small">(hourly slots; sparklines: hourly median time to first ` +
      `audio, hourly longest gap)</span></h2>${rowsTable(fleet, 'week')}</section>`,
    dashboardCostHtml(summaries, now, { monthDays: opts.monthSpend?.days, projection: opts.projection }),
    driftMarkersHtml(summaries),
    `<footer class="muted small"><p><span class="key c-p"></span> pass <span class="key c-fx">` +
      `</span> some failing <span class="key c-f"></span> fail <span class="key c-e">` +
      `</span> error (probe could not run) <span class="key c-none"></span> no run · <span class="mx stale">stale</span> ` +
      `no run for more than two of its region's intervals (judged by your browser's clock). Hover a cell for its ` +
      `numbers, click it for the run's report.</p>` +
      `${opts.skippedLines ? `<p>${opts.skippedLines} index line(s) could not be read and are not shown.</p>` : ''}</footer>`,
    `<div data-testid="tooltip" class="tooltip" hidden></div>`,
    `<script type="application/json" id="fleet-data">${jsonForScript(stripPayload(fleet))}</script>`,
  ].join('\n');
  return htmlPage({ title: `${title} · dashboard`, css: DASHBOARD_CSS + HEAT_CSS, body, script: DASHBOARD_SCRIPT });
}

/** Each row's baseline in its region (the pair the baseline table draws). */
function baselineStatuses(fleet: Fleet, statuses: ReadonlyMap<FleetRow, RowStatus>): Map<FleetRow, RowStatus> {
  const out = new Map<FleetRow, RowStatus>();
  for (const p of fleet.pairs)
    if (p.baseline && p.baseline.region === p.row.region) out.set(p.row, statuses.get(p.baseline)!);
  return out;
}

const CELL_WORDS: Record<RowStatus['kind'], string> = {
  failing: '',
  pass: '',
  capacity: 'capacity',
  configuration: 'config',
  'not-probed': 'not probed',
};
const KIND_TIPS: Partial<Record<RowStatus['kind'], string>> = {
  configuration: 'configuration problem, not a service incident',
  capacity: 'capacity or quota, not a service incident',
  'not-probed': 'not probed this round',
};

function rate(s: WindowStats): string {
  if (!s.runs) return '—';
  const p = s.passing / s.runs;
  // 1007 of 1008 is not "100 %": near the top, one decimal, rounded down.
  const text = p < 1 && p >= 0.995 ? `${(Math.floor(p * 1000) / 10).toFixed(1)} %` : percent(p);
  return `${text} of ${s.runs}`;
}

function matrix(fleet: Fleet, statuses: ReadonlyMap<FleetRow, RowStatus>): string {
  const byKey = new Map(fleet.rows.map((r) => [rowKey(r.target, r.region), r]));
  const head = fleet.regions.map((r) => `<th>${escapeText(r)}</th>`).join('');
  const groupOf = new Map(fleet.rows.map((r) => [r.target, r.group]));
  let group: string | undefined | null = null;
  const rows = fleet.targets.map((target) => {
    const g = groupOf.get(target);
    const heading =
      g !== group && (g !== undefined || group !== null)
        ? `<tr class="grp"><th colspan="${fleet.regions.length + 1}">${g === undefined ? 'no group' : `group ${escapeText(g)}`}</th></tr>`
        : '';
    group = g;
    const cells = fleet.regions.map((region) => {
      const r = byKey.get(rowKey(target, region));
      return r ? matrixCell(r, statuses.get(r)!) : '<td class="muted">—</td>';
    });
    const base = fleet.rows.find((r) => r.target === target)?.baseline
      ? ' <span class="muted small">baseline</span>'
      : '';
    return `${heading}<tr data-testid="matrix-row" data-target="${escapeAttr(target)}"><th>${escapeText(target)}${base}</th>${cells.join('')}</tr>`;
  });
  return (
    `<section><h2>Now: latest run per region and target <span class="muted small">(grouped, each group's baseline ` +
    `first; what needs a person on top)</span></h2><table data-testid="matrix" class="matrix"><thead>` +
    `<tr><th>target \\ region</th>${head}</tr></thead><tbody>${rows.join('')}</tbody></table></section>`
  );
}

function matrixCell(r: FleetRow, st: RowStatus): string {
  const s = r.latest;
  const line = r.notProbed ?? s;
  const tip = [
    `${s.target} @ ${s.region}: ` +
      (r.notProbed
        ? `${st.what} at ${utc(line.startedAt)}; the last run before it ${s.notProbed ? '—' : s.verdict.toUpperCase()}`
        : `latest run ${s.verdict.toUpperCase()}${KIND_TIPS[st.kind] ? ` (${KIND_TIPS[st.kind]})` : ''} at ${utc(s.startedAt)}`),
    st.what && !r.notProbed ? st.what : '',
    s.headline && s.headline !== st.what && !s.notProbed ? s.headline : '',
    s.notProbed
      ? ''
      : `first audio ${ms(s.timeToFirstAudioMs ?? null)} · longest gap ${ms(s.longestGapMs)} · coverage ${percent(s.coverage ?? null)}`,
    `passing: 24 h ${rate(r.last24h)} · 7 d ${rate(r.last7d)}`,
    st.muted ? `muted until ${utc(st.muted.until)} (${st.muted.scope})` : '',
    `run ${s.runId}`,
  ]
    .filter(Boolean)
    .join('\n');
  const word = CELL_WORDS[st.kind] || s.verdict;
  const cls = st.kind === 'not-probed' ? 'np' : CELL_WORDS[st.kind] ? CELL_WORDS[st.kind] : s.verdict;
  const kind = st.kind === 'capacity' || st.kind === 'configuration' ? ` data-kind="${st.kind}"` : '';
  const notes = [
    st.muted
      ? `<span class="mute" data-testid="muted-until">muted until ${escapeText(utc(st.muted.until))}</span>`
      : '',
    r.notProbed ? `<span data-testid="not-probed-reason">${escapeText(st.what)}</span>` : '',
    `24 h ${escapeText(rate(r.last24h))}<br>7 d ${escapeText(rate(r.last7d))}`,
  ].filter(Boolean);
  return (
    `<td><a data-testid="matrix-cell" class="mx v-${escapeAttr(cls)}${st.stale ? ' stale' : ''}" ` +
    `${reportLinkAttrs(s.reportHtmlPath)} title="${escapeAttr(tip)}" data-target="${escapeAttr(s.target)}" ` +
    `data-region="${escapeAttr(s.region)}" data-run-id="${escapeAttr(s.runId)}" data-verdict="${escapeAttr(s.verdict)}"` +
    `${kind} data-state="${st.kind}" data-at="${st.atMs}" data-interval-ms="${st.intervalMs}" ` +
    `data-word="${escapeAttr(word)}"${st.muted ? ' data-muted="1"' : ''}>${st.stale ? 'stale' : escapeText(word)}</a>` +
    `<div class="small muted">${notes.join('<br>')}</div></td>`
  );
}

function label(r: FleetRow): string {
  const tags = [r.flavour, r.baseline ? 'baseline' : ''].filter(Boolean).join(', ');
  return (
    `<th class="label"><a ${reportLinkAttrs(r.latest.reportHtmlPath)}>${escapeText(r.target)}</a>` +
    `<div class="small muted">@ ${escapeText(r.region)}${tags ? ` · ${escapeText(tags)}` : ''}</div></th>`
  );
}

function rowsTable(fleet: Fleet, kind: 'day' | 'week'): string {
  if (!fleet.rows.length) return '<p class="muted">No runs.</p>';
  const extraHead = kind === 'week' ? '<th>first audio</th><th>longest gap</th>' : '';
  const rows = fleet.rows.map((r, i) => {
    const stats = kind === 'day' ? r.last24h : r.last7d;
    const sparks =
      kind === 'week'
        ? `<td>${sparkline(r.firstAudioSeries, { width: 104, height: 22, testId: 'spark-first-audio', label: `${r.target} time to first audio` })}</td>` +
          `<td>${sparkline(r.gapSeries, { width: 104, height: 22, testId: 'spark-gap', label: `${r.target} longest gap` })}</td>`
        : '';
    return (
      `<tr data-testid="fleet-row" data-target="${escapeAttr(r.target)}" ` +
      `data-region="${escapeAttr(r.region)}">${label(r)}<td>${stripSvg(r, i, kind)}</td><td class="num">${escapeText(rate(stats))}</td>${sparks}</tr>`
    );
  });
  return (
    `<div class="scroll"><table class="rows"><thead><tr><th></th><th>${stripAxis(fleet, kind)}</th>` +
    `<th>passing</th>${extraHead}</tr></thead><tbody>${rows.join('')}</tbody></table></div>`
  );
}

function baselines(fleet: Fleet): string {
  if (!fleet.pairs.length)
    return '<section><h2>Azure targets vs baseline</h2><p class="muted">No Azure target with a baseline group in the window.</p></section>';
  const side = (r: FleetRow | undefined): string =>
    r
      ? `<td><a ${reportLinkAttrs(r.latest.reportHtmlPath)}>${escapeText(r.target)}</a> <span ` +
        `class="muted">@ ${escapeText(r.region)}</span></td><td class="num">${escapeText(rate(r.last24h))}</td>` +
        `<td class="num">${escapeText(ms(median24(r, 'first')))}</td><td class="num">${escapeText(ms(median24(r, 'gap')))}</td>`
      : '<td colspan="4" class="muted">no baseline run in the window</td>';
  const rows = fleet.pairs.map(
    (p) =>
      `<tr data-target="${escapeAttr(p.row.target)}" ` +
      `data-region="${escapeAttr(p.row.region)}">${side(p.row)}${side(p.baseline)}<td>${escapeText(p.comparison ?? '—')}</td></tr>`,
  );
  return (
    `<section><h2>Azure targets vs baseline <span class="muted small">(last 24 hours: passing, median first ` +
    `audio, worst gap)</span></h2><div class="scroll"><table data-testid="baselines" class="rows"><thead><tr>` +
    `<th>target</th><th>passing</th><th>first audio</th><th>worst gap</th><th>baseline</th><th>passing</th>` +
    `<th>first audio</th><th>worst gap</th><th>latest comparison</th></tr></thead><tbody>${rows.join('')}</tbody></table></div></section>`
  );
}

/** Over the last 24 h: the median of the slots' median first audio, or the worst gap. */
function median24(r: FleetRow, what: 'first' | 'gap'): number | null {
  const cells = r.day.filter((c) => c !== undefined);
  if (what === 'gap') return cells.length ? Math.max(...cells.map((c) => c.longestGapMs)) : null;
  return median(cells.map((c) => c.firstAudioMs).filter((v): v is number => v !== null));
}

const DASHBOARD_CSS =
  `
body{max-width:1560px}.small{font-size:12px}.ok{color:var(--pass);font-weight:600}` +
  `.bad{color:var(--fail);font-weight:600}.cfg{color:var(--error);font-weight:600}` +
  `.v-config,.v-capacity{background:var(--error)}
.matrix td,.matrix th{text-align:center}.matrix tbody th{text-align:left}` +
  `.mx{display:inline-block;min-width:64px;padding:2px 8px;border-radius:10px;color:#fff;font-weight:600;` +
  `text-decoration:none;text-transform:uppercase;font-size:12px}
.mx.v-np{background:var(--none);color:var(--fg)}.mx.stale{background:repeating-linear-gradient(135deg,#6e7681 0 6px,#8b949e 6px 12px);` +
  `color:#fff;outline:2px dashed var(--muted);outline-offset:1px}.mx[data-muted]{box-shadow:0 0 0 2px var(--muted)}` +
  `.matrix tr.grp th{text-align:left;font-size:12px;color:var(--muted);padding-top:8px;border-bottom:1px solid var(--line)}
.status .group h3{font-size:14px;margin:10px 0 2px}.status ul{margin:0;padding-left:20px}.status li{margin:2px 0}` +
  `.g-failing h3{color:var(--fail)}.g-stale h3{color:var(--muted)}.g-capacity h3,.g-configuration h3{color:var(--error)}` +
  `.status .what{font-weight:600}.stale-note{display:none}[data-group=stale] .stale-note{display:inline}
.scroll{overflow-x:auto}` +
  `.rows td,.rows th{padding:2px 8px;vertical-align:middle}.rows .label{white-space:nowrap;text-align:left}.rows .label div{white-space:normal;max-width:210px}
.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}.strip{display:block;cursor:pointer}
.c-p{fill:var(--pass);background:var(--pass)}.c-fx{fill:var(--fail);opacity:.45;background:var(--fail)}.c-f{fill:var(--fail);background:var(--fail)}
.c-e{fill:var(--error);background:var(--error)}.c-ex{fill:var(--error);opacity:.45;background:var(--error)}.c-none{fill:var(--none);background:var(--none)}
.axis{display:block;overflow:visible}.axis text{fill:var(--muted);font-size:10px}.axis path{stroke:var(--muted)}
.spark{display:inline-flex;flex-direction:column;white-space:nowrap}.spark ` +
  `path{fill:none;stroke:var(--accent);stroke-width:1.3}.spark-text{font-size:11px;color:var(--muted);white-space:normal;max-width:120px;line-height:1.2}
.key{display:inline-block;width:12px;height:12px;vertical-align:middle;margin-left:10px;border-radius:2px}
.tooltip{position:fixed;z-index:10;pointer-events:none;background:var(--panel);color:var(--fg);border:1px solid ` +
  `var(--line);border-radius:6px;padding:6px 8px;font-size:12px;white-space:pre-line;max-width:420px;box-shadow:0 2px 8px rgba(0,0,0,.25)}
`;
