/**
 * The baseline's same-minute turn, shown inside each turn of a report that has a comparison: the attribution
 * sentence the round wrote, the key numbers of both side by side, the baseline's player and (when the round drew
 * them) its timelines on the same scale right under the target's, and a link to the baseline's run. Pure.
 *
 * DOM hooks: `section[data-testid=baseline-turn][data-turn]`, `table[data-testid=baseline-compare]` (rows
 * `tr[data-fact]`, cells `td.target` / `td.baseline`), `audio[data-testid=audio-baseline]`,
 * `svg[data-testid=baseline-timeline]`, `a[data-testid=baseline-run]`.
 */
import type { Report, ReportTurn } from '../analysis/report.js';
import type { Trace, TransportKind } from '../trace/trace.js';
import { wavName } from '../store/layout.js';
import { escapeAttr, escapeText } from './escape.js';
import { ms } from './format.js';
import { isRelative, timelineBlock, turnFacts } from './turnHtml.js';

/** The baseline's run of the same round, as the round knows it. */
export interface BaselineRun {
  report: Report;
  /**
   * Its timeline blocks by turn ({@link baselineTimelines}), drawn once when the baseline finished so the round
   * need not keep its trace and audio; without them the comparison shows numbers and the player only.
   */
  timelines?: ReadonlyMap<number, string>;
  /** Its report.html, relative to this report (e.g. `../openai-baseline/report.html`) or absolute. */
  runHref: string;
  /** Its answer WAV of a turn; default `turn-<n>.wav` next to `runHref`. */
  audioHref?: (turn: number) => string;
}

/** The baseline's timeline of each of its turns, for {@link BaselineRun.timelines}. */
export function baselineTimelines(report: Report, trace: Trace): Map<number, string> {
  return new Map(report.turns.map((t) => [t.turn, timelineBlock(trace, t, 'baseline-timeline', false)]));
}

/** The baseline's turn matching `t` (same prompt, else the same turn number). */
export function baselineTurnOf(b: BaselineRun, t: ReportTurn): ReportTurn | undefined {
  return (
    b.report.turns.find((x) => x.turn === t.turn && x.promptId === t.promptId) ??
    b.report.turns.find((x) => x.promptId !== null && x.promptId === t.promptId) ??
    b.report.turns.find((x) => x.turn === t.turn)
  );
}

/** The comparison block of turn `t` (of a run over `transport`); empty when the baseline has no such turn. */
export function baselineTurnHtml(
  b: BaselineRun,
  t: ReportTurn,
  attribution: string | undefined,
  transport?: TransportKind,
): string {
  const bt = baselineTurnOf(b, t);
  if (!bt) return '';
  const name = b.report.target.name;
  const mine = new Map(turnFacts(t, transport).map(([k, v]) => [k, v]));
  const theirs = new Map(turnFacts(bt, b.report.target.transport).map(([k, v]) => [k, v]));
  const labels = [...new Set([...mine.keys(), ...theirs.keys()])];
  const rows = labels.map(
    (k) =>
      `<tr data-fact="${escapeAttr(k)}"><th>${escapeText(k)}</th><td ` +
      `class="target">${escapeText(mine.get(k) ?? '—')}</td><td class="baseline">${escapeText(theirs.get(k) ?? '—')}</td></tr>`,
  );
  const href = b.audioHref?.(bt.turn) ?? `${b.runHref.replace(/[^/]*$/, '')}${wavName('turn', bt.turn)}`;
  const rel = isRelative(href) ? ' data-rel="1"' : '';
  const audioMs = bt.metrics?.audio.totalMs ?? 0;
  const player =
    audioMs > 0
      ? `<figure><figcaption>Baseline answer, ${escapeText(ms(audioMs))}</figcaption>` +
        `<audio data-testid="audio-baseline" data-turn="${escapeAttr(t.turn)}" controls preload="none" ` +
        `data-src="${escapeAttr(href)}"${rel}></audio><p class="audio-error" hidden>The baseline's audio could not ` +
        `be loaded (its WAV is next to its report).</p></figure>`
      : '<p class="muted">The baseline\'s answer had no audio.</p>';
  const timeline = b.timelines?.get(bt.turn) ?? '';
  const runRel = isRelative(b.runHref) ? ' data-rel="1"' : '';
  return (
    `<section class="baseline-box" data-testid="baseline-turn" data-turn="${escapeAttr(t.turn)}">
<h4>Baseline at the same minute: ${escapeText(name)} <span ` +
    `class="badge v-${escapeAttr(bt.verdict)}">${escapeText(bt.verdict)}</span> <a data-testid="baseline-run" ` +
    `data-href="${escapeAttr(b.runHref)}"${runRel}>open its run</a></h4>
${attribution && t.verdict !== 'pass' ? `<p class="attribution" data-testid="attribution">${escapeText(attribution)}</p>` : ''}
<div class="compare"><table data-testid="baseline-compare"><thead><tr><th></th><th>this target</th>` +
    `<th>baseline ${escapeText(name)}</th></tr></thead><tbody>${rows.join('')}</tbody></table>
<div class="players">${player}</div></div>
${timeline ? `<p class="muted small">The baseline's turn ${escapeText(bt.turn)} on the same scale:</p>${timeline}` : ''}
</section>`
  );
}

/** CSS for the baseline block. */
export const BASELINE_CSS =
  `
.baseline-box{margin:14px 0 4px;padding:6px 0 2px;border-top:3px solid var(--accent)}
.baseline-box h4{margin:2px 0 6px}.baseline-box .compare{display:flex;flex-wrap:wrap;gap:8px 32px;align-items:flex-start}
.baseline-box table{font-size:12.5px}.baseline-box th,.baseline-box td{padding:1px 10px;vertical-align:middle}` +
  `.baseline-box td.baseline{color:var(--muted)}.baseline td{font-variant-numeric:tabular-nums}.attribution{font-weight:600;margin:4px 0 8px}
`;
