/**
 * One turn of the run report: verdict and key numbers, players for the answer and the prompt, the timeline, each
 * silent gap with the words around it and a button that plays from 1 s before it, the transcript (the part said
 * after the audio stopped marked) and the turn's findings; with a baseline, its same-minute turn below on the same
 * scale (./baselineTurn.ts).
 *
 * DOM hooks: `article[data-testid=turn][data-turn]`, `[data-testid=turn-line]` (the one turn line,
 * ../analysis/turnLine.ts), `[data-testid=phase-legend]` (a reasoning turn's timeline legend), `audio[data-testid=audio-turn]`, `audio[data-testid=audio-prompt]`
 * (the URL is in `data-src`; the page script sets `src`), `[data-testid=transcript]`,
 * `mark[data-testid=transcript-after-audio]`, `li[data-testid=gap-words]` with `button[data-testid=play-gap]`
 * (`data-turn`, `data-seek-ms` = gap − 1000 ms, at least 0), `[data-testid=kpi-coverage]` (`title` says why n/a).
 */
import type { ReportTurn } from '../analysis/report.js';
import { turnLine } from '../analysis/turnLine.js';
import { BYTES_PER_MS } from '../audio/wav.js';
import { wavName } from '../store/layout.js';
import type { Trace, TransportKind } from '../trace/trace.js';
import { escapeAttr, escapeText } from './escape.js';
import { coverageFigure } from './figures.js';
import { ms } from './format.js';
import { timelineModel, type TimelineModel } from './timelineModel.js';
import { PX_PER_MS, timelineSvg } from './timelineSvg.js';
import { gapWords, transcriptParts } from './turnText.js';

/** Where the page finds a turn's WAV files. */
export type AudioHref = (kind: 'turn' | 'prompt', turn: number) => string;

/** The default: `turn-<n>.wav` and `prompt-<n>.wav` next to the report. */
export const defaultAudioHref: AudioHref = wavName;

/** The markup of one turn; `extra` (the baseline's same-minute turn) goes after the transcript. */
export function turnHtml(trace: Trace, t: ReportTurn, audioHref: AudioHref, extra = ''): string {
  const prompt = t.promptText
    ? ` <span class="muted">${escapeText(t.promptId ?? '')}: “${escapeText(t.promptText)}”</span>`
    : '';
  const timeline = timelineBlock(trace, t);
  const n = escapeAttr(t.turn);
  return `<article class="turn" id="turn-${n}" data-testid="turn" data-turn="${n}">
<h3>Turn ${n} <span class="badge v-${escapeAttr(t.verdict)}">${escapeText(t.verdict)}</span>${prompt}</h3>
<p class="turn-line" data-testid="turn-line">${escapeText(turnLine(t))}</p>
${kpis(t, trace.meta.target.transport)}
<div class="players">${player(trace, t.turn, 'turn', audioHref)}${player(trace, t.turn, 'prompt', audioHref)}</div>
${timeline}
${gapList(t)}
${transcript(t)}
${turnFindings(t)}
${extra}
</article>`;
}

/** The turn's own findings as a list (nothing when it has none). */
function turnFindings(t: ReportTurn): string {
  const items = t.findings.map(
    (f) =>
      `<li><span class="sev sev-${escapeAttr(f.severity)}">${escapeText(f.severity)}</span> ` +
      `<code>${escapeText(f.code)}</code> ${escapeText(f.message)}</li>`,
  );
  return items.length ? `<ul class="turn-findings">${items.join('')}</ul>` : '';
}

/** The timeline of a turn with its legend, or a note that it did not run. */
export function timelineBlock(trace: Trace, t: ReportTurn, testId = 'timeline', legend = true): string {
  const model = timelineModel(trace, t);
  if (model && !legend) return `<div class="tl-wrap">${timelineSvg(model, testId)}</div>`;
  return model
    ? `<div class="tl-wrap">${timelineSvg(model, testId)}</div><p class="legend muted">Top: the answer audio by ` +
        `position (${PX_PER_MS * 1000} px per second) — waveform, silent gaps shaded, underruns marked where ` +
        `playback stopped. Bottom: the same audio by arrival on the wall clock ` +
        `since ${escapeText(model.anchor.label)} — ${arrivalWords(model)}, a listener playing it with ` +
        `a ${t.metrics?.playback.jitterBufferMs ?? 0} ms buffer (dashed), <code>.done</code> events. Click the audio lane to play from there.</p>` +
        phaseLegend(model)
    : '<p class="muted">This turn did not run.</p>';
}

/** What the arrival lane's solid line is: audio deltas, or (WebRTC) RTP packets. */
function arrivalWords(model: TimelineModel): string {
  return model.arrivalUnit === 'RTP packets'
    ? 'the RTP packets as they arrived (solid, a tick per packet)'
    : 'received audio (solid)';
}

/** On a reasoning model's turn: which tint is the spoken preamble, which the final answer, and what the pause is. */
function phaseLegend(model: TimelineModel): string {
  if (!model.phases.length && !model.reasoning.length) return '';
  return (
    `<p class="legend muted" data-testid="phase-legend"><span class="sw sw-commentary"></span> spoken preamble ` +
    `(<code>commentary</code>) · <span class="sw sw-final_answer"></span> final answer (<code>final_answer</code>) · ` +
    `<span class="reasoning-key">┆ reasoning</span>: the model thinking between them, as the listener waits — its ` +
    `length is labelled, and judged by <code>reasoningMaxMs</code>, not as a gap or a stall.</p>`
  );
}

/** Each silent gap: where, how long, the words around it, and a button that plays from 1 s before it. */
function gapList(t: ReportTurn): string {
  const gaps = gapWords(t);
  const all = t.metrics?.silence.gaps ?? [];
  if (!all.length) return '';
  const items = all.map((g) => {
    const w = gaps.find((x) => x.atMs === g.atMs);
    const words =
      w && (w.before || w.after)
        ? ` — ≈ after ‘${escapeText(w.before || '…')}’, before ‘${escapeText(w.after || '…')}’`
        : '';
    const seek = Math.max(0, Math.round(g.atMs - 1000));
    return (
      `<li data-testid="gap-words" data-gap-at-ms="${escapeAttr(g.atMs)}">` +
      `<b>${escapeText(ms(g.durationMs))} silent</b> at ${escapeText(ms(g.atMs))} into the answer${words} <button ` +
      `type="button" data-testid="play-gap" data-turn="${escapeAttr(t.turn)}" data-seek-ms="${seek}">▶ play from 1 s before the gap</button></li>`
    );
  });
  return `<ul class="gaps">${items.join('')}</ul>`;
}

/** One key number of a turn: label, value and (for figures that can be n/a) what it is measured against. */
export type TurnFact = [label: string, value: string, why?: string];

/**
 * The key numbers of a turn (the baseline comparison lists the same ones); empty for a turn that did not run. Over
 * WebRTC the audio came in RTP packets (analysis counts each as a delta of its as-heard view).
 */
export function turnFacts(t: ReportTurn, transport?: TransportKind): TurnFact[] {
  const m = t.metrics;
  if (!m) return [];
  const coverage = coverageFigure(m);
  const status = m.terminal.status ?? (m.terminal.responseDone ? '—' : 'no response.done');
  return [
    ['first audio', ms(m.timing.firstAudioMs)],
    ['audio', `${ms(m.audio.totalMs)} in ${m.audio.deltas} ${transport === 'webrtc' ? 'RTP packets' : 'deltas'}`],
    ['longest silence', ms(m.silence.longestSilentRunMs)],
    [
      'silent gaps',
      m.silence.gaps.length
        ? `${m.silence.gaps.length} (longest ${ms(Math.max(...m.silence.gaps.map((g) => g.durationMs)))})`
        : 'none',
    ],
    [
      'underruns',
      m.playback.underruns.length ? `${m.playback.underruns.length} (${ms(m.playback.totalUnderrunMs)})` : 'none',
    ],
    ['max delta gap', ms(m.delivery.audioGapMaxMs)],
    ['coverage', coverage.text, coverage.why],
    ['response', status],
    ['audio .done', m.terminal.audioDone === null ? '—' : m.terminal.audioDone ? 'yes' : 'missing'],
  ];
}

function kpis(t: ReportTurn, transport: TransportKind | undefined): string {
  if (!t.metrics) return `<p class="kpis muted">outcome: ${escapeText(t.outcome)}</p>`;
  const items = turnFacts(t, transport);
  const cells = items.map(([k, v, why]) => {
    const attrs = why ? ` data-testid="kpi-${k}" title="${escapeAttr(why)}"` : '';
    const note = why && v === 'n/a' ? ` <span class="muted small">(${escapeText(why)})</span>` : '';
    return `<div${attrs}><dt>${k}</dt><dd>${escapeText(v)}${note}</dd></div>`;
  });
  return `<dl class="kpis">${cells.join('')}</dl>`;
}

/** A player for a turn's answer or prompt WAV (nothing when the trace has no such audio). */
export function player(
  trace: Trace,
  turn: number,
  kind: 'turn' | 'prompt',
  audioHref: AudioHref,
  testId = `audio-${kind}`,
): string {
  const pcm = (kind === 'turn' ? trace.outputAudio : trace.promptAudio).get(turn);
  if (!pcm || pcm.length === 0) return '';
  const href = audioHref(kind, turn);
  const rel = isRelative(href) ? ' data-rel="1"' : '';
  const label = `${kind === 'turn' ? 'Answer (as received)' : 'Prompt (as sent)'}, ${ms(pcm.length / BYTES_PER_MS)}`;
  // preload="none": nothing is fetched (or decoded) until someone presses play, so the page is ready at once.
  return (
    `<figure><figcaption>${label} · <a data-testid="download-${kind}" data-href="${escapeAttr(href)}"${rel} ` +
    `download>${escapeText(href.split('/').pop()?.split('?')[0] ?? href)}</a></figcaption>` +
    `<audio data-testid="${testId}" data-turn="${turn}" controls preload="none" data-src="${escapeAttr(href)}"${rel}></audio>` +
    `<p class="audio-error" hidden>The audio could not be loaded. Opened through a SAS link? A link to report.html ` +
    `alone does not authorize the WAV files next to it: use a link for the run folder (or container), or ` +
    `download ${escapeText(href)} from the storage account.</p></figure>`
  );
}

/** Relative URLs resolve against the report's own location (and get its SAS query, see the page script). */
export function isRelative(href: string): boolean {
  return !/^[a-z][a-z0-9+.-]*:/i.test(href) && !href.startsWith('/');
}

function transcript(t: ReportTurn): string {
  if (!t.metrics) return '';
  const parts = transcriptParts(t);
  const source = t.metrics.transcript.source === 'output_text' ? ' (output text)' : '';
  if (!parts.heard && !parts.afterAudio)
    return `<h4>Transcript${source}</h4><p data-testid="transcript" class="transcript muted">(none)</p>`;
  const after = parts.afterAudio
    ? ` <mark data-testid="transcript-after-audio" class="after" title="arrived after the last audio delta: never heard">${escapeText(parts.afterAudio)}</mark>`
    : '';
  const note = parts.afterAudio
    ? '<p class="muted small">The audio was cut short: the <mark class="after">marked</mark> text arrived after ' +
      'the last audio delta, so a listener never heard it.</p>'
    : parts.cutShort
      ? '<p class="muted small">The audio was cut short, but no transcript text arrived after the last audio ' +
        'delta, so the unheard part cannot be located in the text.</p>'
      : '';
  return `<h4>Transcript${source}</h4><p data-testid="transcript" class="transcript">${escapeText(parts.heard)}${after}</p>${note}`;
}

/** CSS for the turn sections. */
export const TURN_CSS =
  `
.turn{border-top:1px solid var(--line);padding-top:4px;margin-top:18px}.turn h4{margin:10px 0 4px;font-size:14px}
.turn-line{white-space:pre-wrap;font-weight:600;margin:2px 0}.reasoning-key{color:#8250df;font-weight:600}
.kpis{display:flex;flex-wrap:wrap;gap:6px 22px;margin:6px 0}.kpis div{min-width:90px}` +
  `.kpis dt{color:var(--muted);font-size:12px}.kpis dd{margin:0;font-weight:600}
.players{display:flex;flex-wrap:wrap;gap:12px 28px}.players figure{margin:4px 0}.players figcaption{font-size:12px;color:var(--muted)}
.players audio{width:340px;height:36px}.audio-error{color:var(--fail);max-width:340px;font-size:12px}
.legend{font-size:12px;margin:2px 0 8px}.transcript{background:var(--panel);padding:8px 10px;border-radius:6px;margin:4px 0}
mark.after{background:var(--mark);color:inherit;border-bottom:2px dashed var(--fail)}
mark.after[data-testid]::before{content:"not heard → ";font-size:11px;font-weight:600;color:var(--fail)}.small{font-size:12px}
.turn-findings{margin:6px 0;padding-left:18px}.gaps{margin:4px 0;padding-left:18px}.gaps button{margin-left:8px;font-size:12px;padding:1px 8px}
.kpis dd .small{font-weight:400}.sev{font-size:11px;font-weight:600;text-transform:uppercase}
.sev-critical,.sev-major{color:var(--fail)}.sev-minor{color:var(--error)}.sev-info{color:var(--muted)}
`;
