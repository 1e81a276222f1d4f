/**
 * The fleet dashboard (`index.html` at the container root, and in the local output folder): region × target now,
 * every (target, region) over the last 24 hours and 7 days, sparklines of time to first audio and longest gap,
 * and each Azure target next to its baseline. Pure and self-contained; links are relative to the container root
 * (`RunSummary.reportHtmlPath`).
 *
 * DOM hooks: `table[data-testid=matrix]` with `a[data-testid=matrix-cell]` (`data-target`, `data-region`,
 * `data-run-id`, `data-verdict`); `tr[data-testid=fleet-row]` (`data-target`, `data-region`); the strips (see
 * ./fleetStrips.ts); `[data-testid=spark-first-audio]`, `[data-testid=spark-gap]`; `table[data-testid=baselines]`;
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

export interface DashboardOptions {
  /** Page title (default "Realtime canary"). */
  title?: string;
  /** Index lines that could not be read (shown in the footer). */
  skippedLines?: number;
  /** A latest run older than this is flagged stale (default 30 min). */
  staleAfterMs?: number;
  /** Spend per UTC day of this month from the ledgers, for the month-to-date total and projection. */
  monthSpend?: MonthSpend;
}

/** The dashboard page for `summaries` as of `now`. */
export function renderDashboard(summaries: readonly RunSummary[], now: Date, opts: DashboardOptions = {}): string {
  const fleet = aggregateFleet(
    summaries.filter((s) => !s.notProbed),
    now,
  );
  const title = opts.title ?? 'Realtime canary';
  const body = [
    `<header><h1>${escapeText(title)}</h1><p class="muted">As of ${escapeText(utc(now.getTime()))} ` +
      `· ${fleet.targets.length} target(s) · ${fleet.regions.length} region(s) · ${fleet.runs} run(s) in 7 days</p>${failingNow(fleet)}</header>`,
    matrix(fleet, now, opts.staleAfterMs ?? 30 * 60_000),
    heatMaps(fleet),
    `<section><h2>Last 24 hours <span class="muted small">(10-minute slots, oldest left)</span></h2>${rowsTable(fleet, 'day')}</section>`,
    `<section><h2>Last 7 days <span class="muted small">(hourly slots; sparklines: hourly median time to first ` +
      `audio, hourly longest gap)</span></h2>${rowsTable(fleet, 'week')}</section>`,
    baselines(fleet),
    dashboardCostHtml(summaries, now, opts.monthSpend?.days),
    driftMarkersHtml(summaries),
    `<footer class="muted small"><p><span class="key c-p"></span> pass <span class="key c-fx">` +
      `</span> some failing <span class="key c-f"></span> fail <span class="key c-e">` +
      `</span> error (probe could not run) <span class="key c-none"></span> no run. Hover a cell for its numbers, click it for the run's report.</p>` +
      `${opts.skippedLines ? `<p>${opts.skippedLines} index line(s) could not be read and are not shown.</p>` : ''}</footer>`,
    `<div data-testid="tooltip" class="tooltip" hidden></div>`,
    `<script type="application/json" id="fleet-data">${jsonForScript(stripPayload(fleet))}</script>`,
  ].join('\n');
  return htmlPage({ title: `${title} · dashboard`, css: DASHBOARD_CSS + HEAT_CSS, body, script: DASHBOARD_SCRIPT });
}

function failingNow(fleet: Fleet): string {
  if (!fleet.rows.length) return '<p>No runs in the last 7 days.</p>';
  const config = fleet.rows.filter((r) => kindOf(r.latest) === 'configuration');
  const capacity = fleet.rows.filter((r) => kindOf(r.latest) === 'capacity');
  const bad = fleet.rows.filter((r) => r.latest.verdict !== 'pass' && !kindOf(r.latest));
  const list = (rows: FleetRow[]): string =>
    rows
      .map(
        (r) => `<a ${reportLinkAttrs(r.latest.reportHtmlPath)}>${escapeText(r.target)} @ ${escapeText(r.region)}</a>`,
      )
      .join(', ');
  const parts = [
    bad.length
      ? `<p class="bad" data-testid="failing-now">Failing now: ${list(bad)}</p>`
      : '<p class="ok">Every correctly configured target passed its latest run.</p>',
    config.length
      ? `<p class="cfg" data-testid="misconfigured">Misconfigured (the canary could not authenticate or is set up ` +
        `wrong — not a service incident): ${list(config)}</p>`
      : '',
    capacity.length
      ? `<p class="cfg" data-testid="capacity">Capacity or quota (rate limited or no capacity — transient, not a service incident): ${list(capacity)}</p>`
      : '',
  ];
  return !bad.length && !config.length && !capacity.length
    ? '<p class="ok">Every target passed its latest run.</p>'
    : parts.join('');
}

/** A failing run that is not a service incident: `configuration` or `capacity` (the run's own classification). */
function kindOf(s: RunSummary): 'configuration' | 'capacity' | undefined {
  return s.verdict !== 'pass' && (s.category === 'configuration' || s.category === 'capacity') ? s.category : undefined;
}

const KIND_WORDS = {
  configuration: { cell: 'config', tip: 'configuration problem, not a service incident' },
  capacity: { cell: 'capacity', tip: 'capacity or quota, not a service incident' },
} as const;

function rate(s: WindowStats): string {
  if (!s.runs) return '—';
  const p = s.passing / s.runs;
  // 1007 of 1008 is not "100 %": near the top, one decimal, rounded down.
  const text = p < 1 && p >= 0.995 ? `${(Math.floor(p * 1000) / 10).toFixed(1)} %` : percent(p);
  return `${text} of ${s.runs}`;
}

function matrix(fleet: Fleet, now: Date, staleAfterMs: number): string {
  const byKey = new Map(fleet.rows.map((r) => [`${r.target}\u0000${r.region}`, r]));
  const head = fleet.regions.map((r) => `<th>${escapeText(r)}</th>`).join('');
  const rows = fleet.targets.map((target) => {
    const cells = fleet.regions.map((region) => {
      const r = byKey.get(`${target}\u0000${region}`);
      if (!r) return '<td class="muted">—</td>';
      const s = r.latest;
      const ageMs = now.getTime() - Date.parse(s.startedAt);
      const stale = ageMs > staleAfterMs ? ' stale' : '';
      const kind = kindOf(s);
      const tip = [
        `${s.target} @ ${s.region}: latest ` +
          `run ${s.verdict.toUpperCase()}${kind ? ` (${KIND_WORDS[kind].tip})` : ''} ` +
          `at ${utc(s.startedAt)} (${Math.round(ageMs / 60_000)} min ago)`,
        s.headline ?? '',
        `first audio ${ms(s.timeToFirstAudioMs ?? null)} · longest gap ${ms(s.longestGapMs)} · coverage ${percent(s.coverage ?? null)}`,
        `passing: 24 h ${rate(r.last24h)} · 7 d ${rate(r.last7d)}`,
        `run ${s.runId}`,
      ]
        .filter(Boolean)
        .join('\n');
      const cell = kind ? KIND_WORDS[kind].cell : undefined;
      const word = `${cell ?? escapeText(s.verdict)}${stale ? ' · stale' : ''}`;
      return (
        `<td><a data-testid="matrix-cell" ` +
        `class="mx v-${cell ?? escapeAttr(s.verdict)}${stale}" ${reportLinkAttrs(s.reportHtmlPath)} ` +
        `title="${escapeAttr(tip)}" data-target="${escapeAttr(s.target)}" data-region="${escapeAttr(s.region)}" ` +
        `data-run-id="${escapeAttr(s.runId)}" data-verdict="${escapeAttr(s.verdict)}"` +
        `${kind ? ` data-kind="${kind}"` : ''}>${word}</a>` +
        `<div class="small muted">24 h ${escapeText(rate(r.last24h))}<br>7 d ${escapeText(rate(r.last7d))}</div></td>`
      );
    });
    return `<tr><th>${escapeText(target)}</th>${cells.join('')}</tr>`;
  });
  return (
    `<section><h2>Now: latest run per region and target</h2><table data-testid="matrix" class="matrix"><thead>` +
    `<tr><th>target \\ region</th>${head}</tr></thead><tbody>${rows.join('')}</tbody></table></section>`
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
.mx.stale{opacity:.55;outline:2px dashed var(--muted)}.scroll{overflow-x:auto}` +
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
