/**
 * The dashboard's drift markers: every run of the window whose findings say the service changed
 * (`model_changed`, `behaviour_changed`), newest first, linked to its report. Pure; everything escaped.
 */
import type { RunSummary } from '../runSummary.js';
import { escapeAttr, escapeText } from './escape.js';
import { reportLinkAttrs } from './fleetStrips.js';
import { utc } from './format.js';

const DRIFT = ['model_changed', 'behaviour_changed'];

export function driftMarkersHtml(summaries: readonly RunSummary[]): string {
  const changed = summaries
    .filter((s) => s.findingCodes.some((c) => DRIFT.includes(c)))
    .sort((a, b) => b.startedAt.localeCompare(a.startedAt));
  if (!changed.length) return '';
  const items = changed.map((s) => {
    const code = s.findingCodes.filter((c) => DRIFT.includes(c)).join(', ');
    return (
      `<li data-testid="drift-marker" data-target="${escapeAttr(s.target)}" ` +
      `data-region="${escapeAttr(s.region)}" data-run-id="${escapeAttr(s.runId)}" ` +
      `data-code="${escapeAttr(code)}">${escapeText(utc(s.startedAt))} · ` +
      `<a ${reportLinkAttrs(s.reportHtmlPath)}>${escapeText(s.target)} ` +
      `@ ${escapeText(s.region)}</a>: ${escapeText(code)}${s.model ? ` (now ${escapeText(s.model)})` : ''}</li>`
    );
  });
  return (
    `<section id="drift"><h2>Service changes <span class="muted small">(the model or behaviour changed since ` +
    `the last healthy run)</span></h2><ul>${items.join('')}</ul></section>`
  );
}
