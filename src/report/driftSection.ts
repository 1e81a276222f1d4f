/**
 * The dashboard's "Service changes": every run of the window whose findings say the service changed
 * (`model_changed`, `behaviour_changed`), and — once per target, region and model, from its newest run — a model that
 * retires soon (`model_retiring`, with the day and the replacement the run's summary carries); newest first, linked
 * to the report. Pure; everything escaped.
 */
import { retirementPhrase } from '../analysis/lifecycle.js';
import type { RunSummary } from '../runSummary.js';
import { escapeAttr, escapeText } from './escape.js';
import { reportLinkAttrs } from './fleetStrips.js';
import { utc } from './format.js';

const DRIFT = ['model_changed', 'behaviour_changed'];
const RETIRING = 'model_retiring';

export function driftMarkersHtml(summaries: readonly RunSummary[]): string {
  const newest = [...summaries].sort((a, b) => b.startedAt.localeCompare(a.startedAt));
  const changed = newest.filter((s) => s.findingCodes.some((c) => DRIFT.includes(c)));
  const retiring = new Map<string, RunSummary>();
  for (const s of newest) {
    const key = JSON.stringify([s.target, s.region, s.retirement?.model]);
    if (s.findingCodes.includes(RETIRING) && s.retirement && !retiring.has(key)) retiring.set(key, s);
  }
  if (!changed.length && !retiring.size) return '';
  const item = (s: RunSummary, code: string, what: string): string =>
    `<li data-testid="drift-marker" data-target="${escapeAttr(s.target)}" ` +
    `data-region="${escapeAttr(s.region)}" data-run-id="${escapeAttr(s.runId)}" ` +
    `data-code="${escapeAttr(code)}">${escapeText(utc(s.startedAt))} · ` +
    `<a ${reportLinkAttrs(s.reportHtmlPath)}>${escapeText(s.target)} ` +
    `@ ${escapeText(s.region)}</a>: ${escapeText(code)}${what}</li>`;
  const items = [
    ...[...retiring.values()].map((s) => {
      const r = s.retirement!;
      const next = r.replacement ? `; replacement ${r.replacement}` : '';
      return item(s, RETIRING, ` (${escapeText(retirementPhrase(r.model, r.retiresOn, s.startedAt) + next)})`);
    }),
    ...changed.map((s) => {
      const code = s.findingCodes.filter((c) => DRIFT.includes(c)).join(', ');
      return item(s, code, s.model ? ` (now ${escapeText(s.model)})` : '');
    }),
  ];
  return (
    `<section id="drift"><h2>Service changes <span class="muted small">(the model or behaviour changed since ` +
    `the last healthy run, or the model retires soon)</span></h2><ul>${items.join('')}</ul></section>`
  );
}
