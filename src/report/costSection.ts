/**
 * Cost in the HTML pages: the run report's cost table (tokens and dollars per turn, with the price date) and
 * the confirmation note. Pure: a report in, an HTML fragment out; everything from the service is escaped.
 */
import type { TokenCounts } from '../cost/runCost.js';
import { formatUsd } from '../cost/usd.js';
import type { Report } from '../analysis/report.js';
import type { RunSummary } from '../runSummary.js';
import type { Projection } from '../cost/projection.js';
import { projectionUsd } from '../cost/projectionText.js';
import { escapeAttr, escapeText } from './escape.js';

const tokenCells = (t: TokenCounts): string =>
  [t.textIn, t.cachedTextIn, t.audioIn, t.cachedAudioIn, t.textOut, t.audioOut]
    .map((n) => `<td class="num">${n}</td>`)
    .join('');

/** The run report's "Cost" section (and the confirmation attempts when a failure was re-probed). */
export function runCostHtml(report: Report): string {
  const c = report.cost;
  const confirmation = confirmationHtml(report);
  if (!c) return confirmation;
  const head = !('usd' in c)
    ? `<p data-testid="run-cost" data-usd="">No price: ${escapeText(c.noPrice)}</p>`
    : !c.perTurn.length
      ? `<p data-testid="run-cost" data-usd="">Cost unknown: no response carried usage (${escapeText(c.model)}).</p>`
      : `<p data-testid="run-cost" data-usd="${escapeAttr(c.usd)}">${escapeText(formatUsd(c.usd))} for this probe ` +
        `· ${escapeText(c.model)} at the prices of ${escapeText(c.pricesAsOf)} (USD per 1M tokens, price key ${escapeText(c.priceKey)})</p>`;
  const rows = c.perTurn.map(
    (t) =>
      `<tr><td>turn ${escapeText(t.turn)}</td>${tokenCells(t.tokens)}<td class="num">${t.usd === null ? '—' : escapeText(formatUsd(t.usd))}</td></tr>`,
  );
  const table =
    `<table class="rows"><thead><tr><th></th><th>text in</th><th>cached text</th><th>audio in</th>` +
    `<th>cached audio</th><th>text out</th><th>audio out</th><th>USD</th></tr></thead><tbody>${rows.join('')}</tbody></table>`;
  return (
    `<section id="cost">` +
    `<h2>Cost</h2>${head}${c.perTurn.length ? table : '<p class="muted">No response.done usage in this run.</p>'}</section>${confirmation}`
  );
}

function confirmationHtml(report: Report): string {
  const k = report.confirmation;
  if (!k) return '';
  const word =
    k.outcome === 'intermittent'
      ? "Intermittent: the first probe failed, the confirmation passed. The findings above are the first probe's evidence."
      : 'Confirmed: every confirmation probe failed too.';
  const rows = k.attempts.map((a) => {
    const headline = a.headline ? ` — ${escapeText(a.headline)}` : '';
    const session = a.sessionId ? ` · ${escapeText(a.sessionId)}` : '';
    const link = a.report ? ` · <a href="${escapeAttr(a.report.replace(/\.json$/, '.html'))}">report</a>` : '';
    const codes = escapeText(a.findingCodes.join(', '));
    return `<li>attempt ${escapeText(a.attempt)}: <b>${escapeText(a.verdict)}</b> ${codes}${headline}${session}${link}</li>`;
  });
  return (
    `<section id="confirmation" data-testid="confirmation" data-outcome="${escapeAttr(k.outcome)}">` +
    `<h2>Confirmation</h2><p>${escapeText(word)}</p><ul>${rows.join('')}</ul></section>`
  );
}

const DAY_MS = 86_400_000;

/** What the month section shows: spend so far this month, and the month as `realtime-canary cost` projects it. */
export interface MonthCost {
  /** Spend per UTC day from the spend ledgers (else the index lines of the window are summed). */
  monthDays?: Readonly<Record<string, number>>;
  /** `cost`'s projection of this configuration for the fleet's regions (../cost/projection.ts, the one formula). */
  projection?: Projection;
}

/**
 * The dashboard's "Cost" section: spend per target per UTC day over the last 7 days (from the index lines'
 * `costUsd`, all regions together; a run without usage or price is "unknown", never $0; "not probed" lines
 * counted in the cell), the month to date (from the spend ledgers when given, else the index lines of the window)
 * and the month's projection — the one `realtime-canary cost` prints for this configuration, never a second formula.
 */
export function dashboardCostHtml(summaries: readonly RunSummary[], now: Date, month: MonthCost = {}): string {
  const days = Array.from({ length: 7 }, (_, i) =>
    new Date(now.getTime() - (6 - i) * DAY_MS).toISOString().slice(0, 10),
  );
  const targets = [...new Set(summaries.map((s) => s.target))].sort();
  const cell = new Map<string, { usd: number; runs: number; unknown: number; skipped: Map<string, number> }>();
  const fromIndex: Record<string, number> = {};
  let unknownRuns = 0;
  for (const s of summaries) {
    const day = s.startedAt.slice(0, 10);
    const key = `${s.target}\u0000${day}`;
    const c = cell.get(key) ?? { usd: 0, runs: 0, unknown: 0, skipped: new Map<string, number>() };
    if (s.notProbed) c.skipped.set(s.notProbed, (c.skipped.get(s.notProbed) ?? 0) + 1);
    else if (s.costUsd === undefined) {
      c.unknown++;
      unknownRuns++;
    } else {
      c.usd += s.costUsd;
      c.runs++;
      fromIndex[day] = (fromIndex[day] ?? 0) + s.costUsd;
    }
    cell.set(key, c);
  }
  const rows = targets.map((t) => {
    const cells = days.map((d) => {
      const c = cell.get(`${t}\u0000${d}`);
      const at = `data-testid="cost-cell" data-target="${escapeAttr(t)}" data-day="${d}"`;
      if (!c) return `<td class="num muted" ${at} data-usd="0">—</td>`;
      const notes = [
        c.unknown && c.runs ? `+ ${c.unknown} of unknown cost` : '',
        ...[...c.skipped].map(
          ([why, n]) => `<span class="bad" data-testid="budget-skip">${n} not probed: ${escapeText(why)}</span>`,
        ),
      ]
        .filter(Boolean)
        .join('<br>');
      // only runs without usage or price (or nothing probed): the spend is unknown, not $0
      const amount = c.runs ? escapeText(formatUsd(c.usd)) : c.unknown ? 'unknown' : '—';
      return (
        `<td class="num" ${at} data-usd="${c.runs || !c.unknown ? c.usd.toFixed(6) : ''}" ` +
        `title="${escapeAttr(`${c.runs} priced run(s), ${c.unknown} without usage or price`)}">${amount}${notes ? `<div class="small">${notes}</div>` : ''}</td>`
      );
    });
    return `<tr><th class="label">${escapeText(t)}</th>${cells.join('')}</tr>`;
  });
  const table = targets.length
    ? `<div class="scroll"><table data-testid="cost-table" class="rows"><thead><tr>` +
      `<th>target</th>${days.map((d) => `<th>${d.slice(5)}</th>`).join('')}</tr></thead><tbody>${rows.join('')}</tbody></table></div>`
    : '<p class="muted">No runs.</p>';
  return (
    `<section id="cost" data-testid="cost"><h2>Cost <span class="muted small">(USD per target per UTC day, ` +
    `all regions; probes of the canary only)</span></h2>${monthHtml(now, month, fromIndex, unknownRuns)}${table}</section>`
  );
}

function monthHtml(now: Date, m: MonthCost, fromIndex: Readonly<Record<string, number>>, unknownRuns: number): string {
  const prefix = now.toISOString().slice(0, 7);
  const spent = Object.entries(m.monthDays ?? fromIndex).filter(([d]) => d.startsWith(prefix));
  const mtd = spent.reduce((a, [, v]) => a + v, 0);
  // no ledger and no priced run, only runs of unknown cost: the spend is unknown, not $0
  const known = spent.length > 0 || !unknownRuns;
  const source = m.monthDays ? 'from the spend ledgers' : 'from the runs of the last 7 days only (no spend ledger yet)';
  const unknown = unknownRuns ? `; ${unknownRuns} run(s) of the last 7 days of unknown cost are not in it` : '';
  const p = m.projection;
  const projection = p
    ? `projected for the month: <b data-testid="cost-projection" data-usd="${p.total.usdPerMonth.toFixed(6)}">` +
      `${escapeText(projectionUsd(p.total.usdPerMonth))}</b> <span class="muted small">(${escapeText(projectionBasis(p))})</span>`
    : `<span data-testid="cost-projection" data-usd="">projected for the month: see <code>realtime-canary cost</code> ` +
      `<span class="muted small">(this page was written without the configuration)</span></span>`;
  return (
    `<p data-testid="cost-month">Month to date: <b data-testid="cost-mtd" data-usd="${known ? mtd.toFixed(6) : ''}">` +
    `${known ? escapeText(formatUsd(mtd)) : 'unknown'}</b> <span class="muted small">(${escapeText(source + unknown)})</span> · ${projection}</p>`
  );
}

/** What the projection stands on, in the words `cost` uses. */
function projectionBasis(p: Projection): string {
  const unpriced = p.total.unpriced.length ? `; without price, not in the total: ${p.total.unpriced.join(', ')}` : '';
  return (
    `as \`realtime-canary cost\` projects this configuration: ${p.rows.length} target(s) × ${p.regions} region(s), ` +
    `schedule ${p.schedule} (${Math.round(p.runsPerDayPerRegion)} run(s) a day), prices of ${p.pricesAsOf}${unpriced}`
  );
}
