/**
 * The dashboard's latency table: per target and UTC day over the last 7 days (all regions together), the p50 and
 * p95 of the time to first audio and of the time to the final answer — the first audio of the answer proper, after
 * a reasoning model's spoken preamble and its thinking (the same as first audio for a model without phases). The
 * samples are the turns of the day's runs (`RunSummary.timing`); an older index line without per-turn figures
 * counts its median first audio once. Percentiles are nearest-rank (../analysis/delivery.ts). Pure.
 *
 * DOM hooks: `section[data-testid=latency]`, `td[data-testid=latency-cell]` with `data-target`, `data-day`,
 * `data-first-p50`, `data-first-p95`, `data-final-p50`, `data-final-p95` (ms; empty without samples), `data-turns`.
 */
import { percentile } from '../analysis/delivery.js';
import type { RunSummary } from '../runSummary.js';
import { escapeAttr, escapeText } from './escape.js';
import { ms } from './format.js';

const DAY_MS = 86_400_000;

/** p50 and p95 of a day's samples, ms (null without samples). */
export interface DayLatency {
  turns: number;
  first: { p50: number | null; p95: number | null };
  final: { p50: number | null; p95: number | null };
}

/** Per target, per UTC day (`yyyy-mm-dd`), the latency percentiles of its probed turns. */
export function dailyLatency(summaries: readonly RunSummary[]): Map<string, Map<string, DayLatency>> {
  const samples = new Map<string, { first: number[]; final: number[] }>();
  for (const s of summaries) {
    if (s.notProbed) continue;
    const key = `${s.target}\u0000${s.startedAt.slice(0, 10)}`;
    const acc = samples.get(key) ?? { first: [], final: [] };
    if (s.timing) {
      acc.first.push(...s.timing.firstAudioMs);
      acc.final.push(...s.timing.finalAnswerMs);
    } else if (typeof s.timeToFirstAudioMs === 'number') acc.first.push(s.timeToFirstAudioMs);
    samples.set(key, acc);
  }
  const out = new Map<string, Map<string, DayLatency>>();
  for (const [key, acc] of samples) {
    const [target, day] = key.split('\u0000') as [string, string];
    const days = out.get(target) ?? new Map<string, DayLatency>();
    days.set(day, {
      turns: acc.first.length,
      first: { p50: percentile(acc.first, 50), p95: percentile(acc.first, 95) },
      final: { p50: percentile(acc.final, 50), p95: percentile(acc.final, 95) },
    });
    out.set(target, days);
  }
  return out;
}

const attr = (v: number | null): string => (v === null ? '' : String(Math.round(v)));

/** The section: `targets` in the dashboard's order, the 7 UTC days up to `now`. */
export function latencyHtml(targets: readonly string[], summaries: readonly RunSummary[], now: Date): string {
  if (!targets.length) return '';
  const days = Array.from({ length: 7 }, (_, i) =>
    new Date(now.getTime() - (6 - i) * DAY_MS).toISOString().slice(0, 10),
  );
  const byTarget = dailyLatency(summaries);
  const rows = targets.map((t) => {
    const cells = days.map((d) => {
      const l = byTarget.get(t)?.get(d);
      const data =
        `data-testid="latency-cell" data-target="${escapeAttr(t)}" data-day="${d}" ` +
        `data-first-p50="${attr(l?.first.p50 ?? null)}" data-first-p95="${attr(l?.first.p95 ?? null)}" ` +
        `data-final-p50="${attr(l?.final.p50 ?? null)}" data-final-p95="${attr(l?.final.p95 ?? null)}" data-turns="${l?.turns ?? 0}"`;
      if (!l || !l.turns) return `<td class="num muted" ${data}>—</td>`;
      return (
        `<td class="num" ${data} title="${escapeAttr(`${l.turns} turn(s)`)}">${escapeText(`${ms(l.first.p50)} / ${ms(l.first.p95)}`)}` +
        `<div class="small muted">${escapeText(`answer ${ms(l.final.p50)} / ${ms(l.final.p95)}`)}</div></td>`
      );
    });
    return `<tr><th class="label">${escapeText(t)}</th>${cells.join('')}</tr>`;
  });
  return (
    `<section data-testid="latency"><h2>Latency <span class="muted small">(per target and UTC day, all regions: time ` +
    `to first audio p50 / p95; below it, time to the final answer p50 / p95 — after a reasoning model's preamble ` +
    `and thinking)</span></h2><div class="scroll"><table class="rows"><thead><tr><th>target</th>` +
    `${days.map((d) => `<th>${d.slice(5)}</th>`).join('')}</tr></thead><tbody>${rows.join('')}</tbody></table></div></section>`
  );
}
