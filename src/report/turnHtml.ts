/**
 * One turn of the run report: verdict and key numbers, players for the answer and the prompt, the timeline, the
 * transcript (the part said after the audio stopped marked) and the turn's findings.
 *
 * DOM hooks: `article[data-testid=turn][data-turn]`, `audio[data-testid=audio-turn]`, `audio[data-testid=audio-prompt]`
 * (the URL is in `data-src`; the page script sets `src`), `[data-testid=transcript]`,
 * `mark[data-testid=transcript-after-audio]`.
 */
import type { ReportTurn } from '../analysis/report.js';
import { BYTES_PER_MS } from '../audio/wav.js';
import type { Trace } from '../probe/trace.js';
import { escapeAttr, escapeText } from './escape.js';
import { ms, percent } from './format.js';
import { timelineModel } from './timelineModel.js';
import { PX_PER_MS, timelineSvg } from './timelineSvg.js';
import { transcriptParts } from './transcriptSplit.js';

/** Where the page finds a turn's WAV files. */
export type AudioHref = (kind: 'turn' | 'prompt', turn: number) => string;

/** The default: `turn-<n>.wav` and `prompt-<n>.wav` next to the report. */
export const defaultAudioHref: AudioHref = (kind, turn) => `${kind}-${turn}.wav`;

/** The markup of one turn. */
export function turnHtml(trace: Trace, t: ReportTurn, audioHref: AudioHref): string {
  const prompt = t.promptText ? ` <span class="muted">${escapeText(t.promptId ?? '')}: “${escapeText(t.promptText)}”</span>` : '';
  const model = timelineModel(trace, t);
  const timeline = model
    ? `<div class="tl-wrap">${timelineSvg(model)}</div><p class="legend muted">Top: the answer audio by position (${PX_PER_MS * 1000} px per second) — waveform, silent gaps shaded, underruns marked where playback stopped. Bottom: the same audio by arrival on the wall clock since ${escapeText(model.anchor.label)} — received audio (solid), a listener playing it with a ${t.metrics?.playback.jitterBufferMs ?? 0} ms buffer (dashed), <code>.done</code> events. Click the audio lane to play from there.</p>`
    : '<p class="muted">This turn did not run.</p>';
  const n = escapeAttr(t.turn);
  return `<article class="turn" id="turn-${n}" data-testid="turn" data-turn="${n}">
<h3>Turn ${n} <span class="badge v-${escapeAttr(t.verdict)}">${escapeText(t.verdict)}</span>${prompt}</h3>
${kpis(t)}
<div class="players">${player(trace, t.turn, 'turn', audioHref)}${player(trace, t.turn, 'prompt', audioHref)}</div>
${timeline}
${transcript(trace, t)}
${t.findings.length ? `<ul class="turn-findings">${t.findings.map((f) => `<li><span class="sev sev-${escapeAttr(f.severity)}">${escapeText(f.severity)}</span> <code>${escapeText(f.code)}</code> ${escapeText(f.message)}</li>`).join('')}</ul>` : ''}
</article>`;
}

function kpis(t: ReportTurn): string {
  const m = t.metrics;
  if (!m) return `<p class="kpis muted">outcome: ${escapeText(t.outcome)}</p>`;
  const coverage = m.coverage.usageRatio ?? m.coverage.transcriptRatio;
  const status = m.terminal.status ?? (m.terminal.responseDone ? '—' : 'no response.done');
  const items: [string, string][] = [
    ['first audio', ms(m.timing.firstAudioMs)],
    ['audio', `${ms(m.audio.totalMs)} in ${m.audio.deltas} deltas`],
    ['longest silence', ms(m.silence.longestSilentRunMs)],
    ['underruns', m.playback.underruns.length ? `${m.playback.underruns.length} (${ms(m.playback.totalUnderrunMs)})` : 'none'],
    ['max delta gap', ms(m.delivery.audioGapMaxMs)],
    ['coverage', percent(coverage)],
    ['response', status],
    ['audio .done', m.terminal.audioDone === null ? '—' : m.terminal.audioDone ? 'yes' : 'missing'],
  ];
  return `<dl class="kpis">${items.map(([k, v]) => `<div><dt>${k}</dt><dd>${escapeText(v)}</dd></div>`).join('')}</dl>`;
}

function player(trace: Trace, turn: number, kind: 'turn' | 'prompt', audioHref: AudioHref): string {
  const pcm = (kind === 'turn' ? trace.outputAudio : trace.promptAudio).get(turn);
  if (!pcm || pcm.length === 0) return '';
  const href = audioHref(kind, turn);
  const rel = isRelative(href) ? ' data-rel="1"' : '';
  const label = `${kind === 'turn' ? 'Answer (as received)' : 'Prompt (as sent)'}, ${ms(pcm.length / BYTES_PER_MS)}`;
  // preload="none": nothing is fetched (or decoded) until someone presses play, so the page is ready at once.
  return `<figure><figcaption>${label} · <a data-testid="download-${kind}" data-href="${escapeAttr(href)}"${rel} download>${escapeText(href.split('/').pop()?.split('?')[0] ?? href)}</a></figcaption>` +
    `<audio data-testid="audio-${kind}" data-turn="${turn}" controls preload="none" data-src="${escapeAttr(href)}"${rel}></audio>` +
    `<p class="audio-error" hidden>The audio could not be loaded. Opened through a SAS link? A link to report.html alone does not authorize the WAV files next to it: use a link for the run folder (or container), or download ${escapeText(href)} from the storage account.</p></figure>`;
}

/** Relative URLs resolve against the report's own location (and get its SAS query, see the page script). */
export function isRelative(href: string): boolean {
  return !/^[a-z][a-z0-9+.-]*:/i.test(href) && !href.startsWith('/');
}

function transcript(trace: Trace, t: ReportTurn): string {
  if (!t.metrics) return '';
  const parts = transcriptParts(trace, t);
  const source = t.metrics.transcript.source === 'output_text' ? ' (output text)' : '';
  if (!parts.heard && !parts.afterAudio) return `<h4>Transcript${source}</h4><p data-testid="transcript" class="transcript muted">(none)</p>`;
  const after = parts.afterAudio
    ? ` <mark data-testid="transcript-after-audio" class="after" title="arrived after the last audio delta: never heard">${escapeText(parts.afterAudio)}</mark>`
    : '';
  const note = parts.afterAudio
    ? '<p class="muted small">The audio was cut short: the <mark class="after">marked</mark> text arrived after the last audio delta, so a listener never heard it.</p>'
    : parts.cutShort
      ? '<p class="muted small">The audio was cut short, but no transcript text arrived after the last audio delta, so the unheard part cannot be located in the text.</p>'
      : '';
  return `<h4>Transcript${source}</h4><p data-testid="transcript" class="transcript">${escapeText(parts.heard)}${after}</p>${note}`;
}

/** CSS for the turn sections. */
export const TURN_CSS = `
.turn{border-top:1px solid var(--line);padding-top:4px;margin-top:18px}.turn h4{margin:10px 0 4px;font-size:14px}
.kpis{display:flex;flex-wrap:wrap;gap:6px 22px;margin:6px 0}.kpis div{min-width:90px}.kpis dt{color:var(--muted);font-size:12px}.kpis dd{margin:0;font-weight:600}
.players{display:flex;flex-wrap:wrap;gap:12px 28px}.players figure{margin:4px 0}.players figcaption{font-size:12px;color:var(--muted)}
.players audio{width:340px;height:36px}.audio-error{color:var(--fail);max-width:340px;font-size:12px}
.legend{font-size:12px;margin:2px 0 8px}.transcript{background:var(--panel);padding:8px 10px;border-radius:6px;margin:4px 0}
mark.after{background:var(--mark);color:inherit;border-bottom:2px dashed var(--fail)}
mark.after[data-testid]::before{content:"not heard → ";font-size:11px;font-weight:600;color:var(--fail)}.small{font-size:12px}
.turn-findings{margin:6px 0;padding-left:18px}.sev{font-size:11px;font-weight:600;text-transform:uppercase}
.sev-critical,.sev-major{color:var(--fail)}.sev-minor{color:var(--error)}.sev-info{color:var(--muted)}
`;
