/**
 * Cost in the HTML pages: the run report's cost table (tokens and dollars per turn, with the price date) and
 * the confirmation note. Pure: a report in, an HTML fragment out; everything from the service is escaped.
 */
import type { TokenCounts } from '../cost/runCost.js';
import { formatUsd } from '../cost/usd.js';
import type { Report } from '../analysis/report.js';
import type { RunSummary } from '../runSummary.js';
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

/** Month-to-date spend and the month's projection (spend so far ÷ days elapsed × days in the month). */
export function monthProjection(
  days: Readonly<Record<string, number>>,
  now: Date,
): { mtdUsd: number; projectedUsd: number; daysInMonth: number } {
  const month = now.toISOString().slice(0, 7);
  const mtdUsd = Object.entries(days)
    .filter(([d]) => d.startsWith(month))
    .reduce((a, [, v]) => a + v, 0);
  const start = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1);
  const daysInMonth = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 0)).getUTCDate();
  const elapsed = Math.max(1 / 24, (now.getTime() - start) / DAY_MS);
  return { mtdUsd, projectedUsd: (mtdUsd / elapsed) * daysInMonth, daysInMonth };
}

/**
 * The dashboard's "Cost" section: spend per target per UTC day over the last 7 days (from the index lines'
 * `costUsd`, all regions together; "not probed: budget" lines counted in the cell), and the month so far with a
 * projection — from the spend ledgers when given (`monthDays`), else from the index lines of the window.
 */
export function dashboardCostHtml(
  summaries: readonly RunSummary[],
  now: Date,
  monthDays?: Readonly<Record<string, number>>,
): string {
  const days = Array.from({ length: 7 }, (_, i) =>
    new Date(now.getTime() - (6 - i) * DAY_MS).toISOString().slice(0, 10),
  );
  const targets = [...new Set(summaries.map((s) => s.target))].sort();
  const cell = new Map<string, { usd: number; runs: number; unpriced: number; skipped: number }>();
  const fromIndex: Record<string, number> = {};
  for (const s of summaries) {
    const day = s.startedAt.slice(0, 10);
    const key = `${s.target}\u0000${day}`;
    const c = cell.get(key) ?? { usd: 0, runs: 0, unpriced: 0, skipped: 0 };
    if (s.notProbed) c.skipped++;
    else if (s.costUsd === undefined) c.unpriced++;
    else {
      c.usd += s.costUsd;
      c.runs++;
      fromIndex[day] = (fromIndex[day] ?? 0) + s.costUsd;
    }
    cell.set(key, c);
  }
  const rows = targets.map((t) => {
    const cells = days.map((d) => {
      const c = cell.get(`${t}\u0000${d}`);
      if (!c)
        return `<td class="num muted" data-testid="cost-cell" data-target="${escapeAttr(t)}" data-day="${d}" data-usd="0">—</td>`;
      const notes = [
        c.unpriced ? `${c.unpriced} without price` : '',
        c.skipped ? `<span class="bad" data-testid="budget-skip">${c.skipped} not probed: budget</span>` : '',
      ]
        .filter(Boolean)
        .join('<br>');
      return (
        `<td class="num" data-testid="cost-cell" data-target="${escapeAttr(t)}" data-day="${d}" ` +
        `data-usd="${c.usd.toFixed(6)}" ` +
        `title="${escapeAttr(`${c.runs} priced run(s)`)}">${escapeText(formatUsd(c.usd))}${notes ? `<div class="small">${notes}</div>` : ''}</td>`
      );
    });
    return `<tr><th class="label">${escapeText(t)}</th>${cells.join('')}</tr>`;
  });
  const m = monthProjection(monthDays ?? fromIndex, now);
  const source = monthDays ? 'from the spend ledgers' : 'from the runs of the last 7 days only (no spend ledger yet)';
  const month =
    `<p data-testid="cost-month">Month to date: <b data-testid="cost-mtd" ` +
    `data-usd="${m.mtdUsd.toFixed(6)}">${escapeText(formatUsd(m.mtdUsd))}</b> · projected for the month: <b ` +
    `data-testid="cost-projection" ` +
    `data-usd="${m.projectedUsd.toFixed(6)}">${escapeText(formatUsd(m.projectedUsd))}</b> <span ` +
    `class="muted small">(${escapeText(source)}; spend so far ÷ days elapsed × ${m.daysInMonth} days)</span></p>`;
  const table = targets.length
    ? `<div class="scroll"><table data-testid="cost-table" class="rows"><thead><tr>` +
      `<th>target</th>${days.map((d) => `<th>${d.slice(5)}</th>`).join('')}</tr></thead><tbody>${rows.join('')}</tbody></table></div>`
    : '<p class="muted">No runs.</p>';
  return (
    `<section id="cost" data-testid="cost"><h2>Cost <span class="muted small">(USD per target per UTC day, ` +
    `all regions; probes of the canary only)</span></h2>${month}${table}</section>`
  );
}
