/**
 * Cost in the HTML pages: the run report's cost table (tokens and dollars per turn, with the price date) and
 * the confirmation note. Pure: a report in, an HTML fragment out; everything from the service is escaped.
 */
import { formatUsd, type TokenCounts } from '../analysis/cost.js';
import type { Report } from '../analysis/report.js';
import { escapeAttr, escapeText } from './escape.js';

const tokenCells = (t: TokenCounts): string =>
  [t.textIn, t.cachedTextIn, t.audioIn, t.cachedAudioIn, t.textOut, t.audioOut].map((n) => `<td class="num">${n}</td>`).join('');

/** The run report's "Cost" section (and the confirmation attempts when a failure was re-probed). */
export function runCostHtml(report: Report): string {
  const c = report.cost;
  const confirmation = confirmationHtml(report);
  if (!c) return confirmation;
  const priced = 'usd' in c;
  const head = priced
    ? `<p data-testid="run-cost" data-usd="${escapeAttr(c.usd)}">${escapeText(formatUsd(c.usd))} for this probe · ${escapeText(c.model)} at the prices of ${escapeText(c.pricesAsOf)} (USD per 1M tokens, price key ${escapeText(c.priceKey)})</p>`
    : `<p data-testid="run-cost" data-usd="">No price: ${escapeText(c.noPrice)}</p>`;
  const rows = c.perTurn.map((t) => `<tr><td>turn ${escapeText(t.turn)}</td>${tokenCells(t.tokens)}<td class="num">${t.usd === null ? '—' : escapeText(formatUsd(t.usd))}</td></tr>`);
  const table = `<table class="rows"><thead><tr><th></th><th>text in</th><th>cached text</th><th>audio in</th><th>cached audio</th><th>text out</th><th>audio out</th><th>USD</th></tr></thead><tbody>${rows.join('')}</tbody></table>`;
  return `<section id="cost"><h2>Cost</h2>${head}${c.perTurn.length ? table : '<p class="muted">No response.done usage in this run.</p>'}</section>${confirmation}`;
}

function confirmationHtml(report: Report): string {
  const k = report.confirmation;
  if (!k) return '';
  const word = k.outcome === 'intermittent' ? 'Intermittent: the first probe failed, the confirmation passed. The findings above are the first probe\'s evidence.' : 'Confirmed: every confirmation probe failed too.';
  const rows = k.attempts.map((a) => `<li>attempt ${escapeText(a.attempt)}: <b>${escapeText(a.verdict)}</b> ${escapeText(a.findingCodes.join(', '))}${a.headline ? ` — ${escapeText(a.headline)}` : ''}${a.sessionId ? ` · ${escapeText(a.sessionId)}` : ''}${a.report ? ` · <a href="${escapeAttr(a.report.replace(/\.json$/, '.html'))}">report</a>` : ''}</li>`);
  return `<section id="confirmation" data-testid="confirmation" data-outcome="${escapeAttr(k.outcome)}"><h2>Confirmation</h2><p>${escapeText(word)}</p><ul>${rows.join('')}</ul></section>`;
}
