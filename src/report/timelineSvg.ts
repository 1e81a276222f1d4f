/**
 * A turn's timeline as inline SVG, two lanes on one scale ({@link PX_PER_MS} user units per ms, x = {@link ORIGIN_X}
 * at 0 ms):
 *
 * - **audio** (x = position in the answer audio): the waveform envelope — one vertical bar per
 *   {@link BUCKET_MS} bucket, `M{x} {y1}V{y2}` with x the bucket's centre; buckets that are digital silence (all
 *   samples 0) have no bar at all, any other audio at least a hairline — silent gaps shaded and labelled with their
 *   length, playback underruns marked where playback stopped, missing audio after a cut drawn as a dashed box; on a
 *   reasoning model's turn the spoken preamble (`commentary`) and the final answer shaded in two tints, and the
 *   reasoning pause between them marked where the listener waited, labelled with its length ("reasoning 2.8 s");
 * - **arrival** (x = wall-clock ms since the anchor, usually `response.create`; y = audio position received):
 *   the received audio as a step line, one tick per delta, the modelled listener's playback position (dashed),
 *   underruns, delivery stalls and reasoning pauses shaded, audio `.done` and `response.done` as vertical lines, or
 *   flagged missing.
 *
 * DOM hooks (stable, for tests and tools): `svg[data-testid=timeline]` carries `data-turn`, `data-px-per-ms`,
 * `data-origin-x`, `data-bucket-ms`, `data-audio-ms`; gap rects `[data-testid=gap]` carry `data-gap-at-ms` and
 * `data-gap-ms`; underruns `[data-testid=underrun]` carry `data-at-ms`, `data-underrun-ms`; `[data-testid=waveform]`,
 * `[data-testid=arrivals]` (`data-count`, `data-unit`: deltas or RTP packets), `[data-testid=audio-done]` / `[data-testid=response-done]` (`data-missing`),
 * `[data-testid=missing-audio]`, `[data-testid=stall]`, `[data-testid=cursor]`; `[data-testid=phase]` (class
 * `phase-commentary` or `phase-final_answer`, `data-phase`, `data-from-ms`, `data-duration-ms`),
 * `[data-testid=reasoning-mark]` (audio lane: `data-at-ms`, `data-reasoning-ms`) and `[data-testid=reasoning]`
 * (arrival lane: `data-from-ms`, `data-duration-ms`, like the other shaded spans).
 */
import { sec } from '../analysis/format.js';
import { escapeAttr, escapeText } from './escape.js';
import { ms, num } from './format.js';
import { BUCKET_MS, type Span, type TimelineModel } from './timelineModel.js';

export { BUCKET_MS };
/** Horizontal scale of both lanes: 0.05 user units (CSS px at 100 % zoom) per ms, i.e. 50 px per second. */
export const PX_PER_MS = 0.05;
/** x of 0 ms on both lanes (room for the lane titles on the left). */
export const ORIGIN_X = 64;

const RIGHT = 24;
const HEIGHT = 214;
const AUDIO = { top: 30, mid: 60, half: 28 };
const ARRIVAL = { top: 114, bottom: 192 };
/** y below which a click is on the arrival lane (the page script seeks the audio on clicks above). */
const AUDIO_LANE_BOTTOM = 100;
const FULL_SCALE = 32768;

const x = (msValue: number): string => num(ORIGIN_X + msValue * PX_PER_MS, 2);
const w = (msValue: number): string => num(Math.max(msValue * PX_PER_MS, 0.5), 2);

/** The SVG of one turn's timeline. */
export function timelineSvg(m: TimelineModel, testId = 'timeline'): string {
  const extentMs = Math.max(m.audioMs + (m.missing?.durationMs ?? 0), m.wallEndMs, 1000);
  const width = Math.ceil(ORIGIN_X + extentMs * PX_PER_MS + RIGHT);
  const parts = [
    `<svg data-testid="${testId}" class="timeline" data-turn="${m.turn}" data-px-per-ms="${PX_PER_MS}" ` +
      `data-origin-x="${ORIGIN_X}" data-bucket-ms="${m.bucketMs}" data-audio-ms="${m.audioMs}" ` +
      `data-audio-lane-bottom="${AUDIO_LANE_BOTTOM}" width="${width}" height="${HEIGHT}" viewBox="0 ` +
      `0 ${width} ${HEIGHT}" role="img" aria-label="Turn ${m.turn} timeline">`,
    `<text class="lane" x="4" y="${AUDIO.mid + 4}">audio</text><text class="lane" x="4" y="${(ARRIVAL.top + ARRIVAL.bottom) / 2 + 4}">arrival</text>`,
    axis(m.audioMs + (m.missing?.durationMs ?? 0), 12, 'top'),
    axis(m.wallEndMs, HEIGHT - 6, 'bottom'),
    audioLane(m),
    arrivalLane(m),
    `<line data-testid="cursor" class="cursor" x1="${ORIGIN_X}" x2="${ORIGIN_X}" y1="${AUDIO.top - 4}" ` +
      `y2="${AUDIO.mid + AUDIO.half + 4}" visibility="hidden"/>`,
    '</svg>',
  ];
  return parts.join('');
}

function axis(extentMs: number, y: number, side: 'top' | 'bottom'): string {
  const step = extentMs > 60_000 ? 10_000 : 5_000;
  const ticks: string[] = [];
  const labels: string[] = [];
  for (let t = 0; t <= extentMs + 1; t += 1000) {
    const major = t % step === 0;
    const y0 = side === 'top' ? y + 4 : y - 14;
    ticks.push(`M${x(t)} ${y0}v${major ? 6 : 3}`);
    if (major) labels.push(`<text x="${x(t)}" y="${y}" text-anchor="middle">${t / 1000} s</text>`);
  }
  return `<path class="tick" d="${ticks.join('')}"/>${labels.join('')}`;
}

function audioLane(m: TimelineModel): string {
  const out: string[] = [
    `<rect class="lane-bg" x="${ORIGIN_X}" y="${AUDIO.top}" width="${w(m.audioMs)}" height="${AUDIO.half * 2}"/>`,
  ];
  for (const p of m.phases)
    out.push(
      `<rect data-testid="phase" class="phase-${p.phase}" data-phase="${p.phase}" data-from-ms="${num(p.fromMs)}" ` +
        `data-duration-ms="${num(p.durationMs)}" x="${x(p.fromMs)}" y="${AUDIO.top}" width="${w(p.durationMs)}" height="${AUDIO.half * 2}"/>`,
    );
  for (const r of m.reasoning) {
    out.push(
      `<g data-testid="reasoning-mark" class="reasoning" data-at-ms="${num(r.atMs)}" data-reasoning-ms="${num(r.durationMs)}">` +
        `<path d="M${x(r.atMs)} ${AUDIO.top - 8}V${AUDIO.mid + AUDIO.half}"/>` +
        `<text x="${x(r.atMs)}" dx="4" y="${AUDIO.top - 3}">${escapeText(reasoningLabel(r.durationMs))}</text></g>`,
    );
  }
  for (const g of m.gaps) {
    out.push(
      `<g data-testid="gap" class="gap"><rect data-testid="gap-rect" data-gap-at-ms="${g.fromMs}" ` +
        `data-gap-ms="${g.durationMs}" x="${x(g.fromMs)}" y="${AUDIO.top - 10}" width="${w(g.durationMs)}" height="${AUDIO.half * 2 + 10}"/>` +
        `<text x="${x(g.fromMs + g.durationMs / 2)}" y="${AUDIO.top - 1}" text-anchor="middle">gap ${escapeText(ms(g.durationMs))}</text></g>`,
    );
  }
  for (const s of m.late) out.push(shaded('late', s, AUDIO.top, AUDIO.half * 2, `late ${ms(s.durationMs)}`));
  out.push(waveform(m));
  if (m.audioMs === 0) out.push(`<text class="warn" x="${ORIGIN_X + 6}" y="${AUDIO.mid + 4}">no audio received</text>`);
  if (m.missing) {
    const s = m.missing;
    out.push(
      `<g data-testid="missing-audio" data-at-ms="${s.fromMs}" data-missing-ms="${s.durationMs}">` +
        `<rect class="missing" x="${x(s.fromMs)}" y="${AUDIO.top}" width="${w(s.durationMs)}" height="${AUDIO.half * 2}"/>` +
        `<text class="warn" x="${x(s.fromMs)}" dx="4" y="${AUDIO.mid + 4}">audio ends here: ≈ ${escapeText(ms(s.durationMs))} missing</text></g>`,
    );
  }
  for (const u of m.underruns) {
    out.push(
      `<g data-testid="underrun" class="underrun" data-at-ms="${u.atMs}" data-underrun-ms="${u.durationMs}">` +
        `<path d="M${x(u.atMs)} ${AUDIO.top - 8}V${AUDIO.mid + AUDIO.half}"/>` +
        `<path class="tri" d="M${x(u.atMs)} ${AUDIO.top - 2}l-4 -6h8z"/>` +
        `<text x="${x(u.atMs)}" dx="5" y="${AUDIO.top - 3}">underrun ${escapeText(ms(u.durationMs))}</text></g>`,
    );
  }
  return out.join('');
}

function waveform(m: TimelineModel): string {
  const bars: string[] = [];
  const bucketPx = m.bucketMs * PX_PER_MS;
  for (let i = 0; i < m.envelope.length; i++) {
    const peak = m.envelope[i]!;
    if (peak === 0) continue;
    const h = Math.max(0.4, (peak / FULL_SCALE) * AUDIO.half);
    bars.push(`M${num(ORIGIN_X + (i + 0.5) * bucketPx, 2)} ${num(AUDIO.mid - h)}V${num(AUDIO.mid + h)}`);
  }
  return `<path data-testid="waveform" class="wave" stroke-width="${num(bucketPx * 0.8, 2)}" d="${bars.join('')}"/>`;
}

/** "reasoning 2.8 s": seconds as the turn line writes "thought 2.8 s" (../analysis/turnLine.ts). */
function reasoningLabel(durationMs: number): string {
  return `reasoning ${sec(durationMs)}`;
}

function shaded(kind: string, s: Span, top: number, height: number, label: string): string {
  return (
    `<g data-testid="${kind}" class="${kind}" data-from-ms="${num(s.fromMs)}" data-duration-ms="${s.durationMs}">` +
    `<rect x="${x(s.fromMs)}" y="${top}" width="${w(s.durationMs)}" height="${height}"/>` +
    `<text x="${x(s.fromMs)}" dx="2" y="${top + height - 3}">${escapeText(label)}</text></g>`
  );
}

function arrivalLane(m: TimelineModel): string {
  const h = ARRIVAL.bottom - ARRIVAL.top;
  const y = (audioMs: number): string => num(ARRIVAL.bottom - (m.audioMs > 0 ? (audioMs / m.audioMs) * h : 0));
  const out: string[] = [
    `<rect class="lane-bg" x="${ORIGIN_X}" y="${ARRIVAL.top}" width="${w(m.wallEndMs)}" height="${h}"/>`,
  ];
  for (const u of m.underruns)
    out.push(
      shaded(
        'underrun-wall',
        { fromMs: u.wallMs, durationMs: u.durationMs },
        ARRIVAL.top,
        h,
        `underrun ${ms(u.durationMs)}`,
      ),
    );
  for (const s of m.stalls) out.push(shaded('stall', s, ARRIVAL.top, h, `stall ${ms(s.durationMs)}`));
  for (const r of m.reasoning)
    out.push(
      shaded('reasoning', { fromMs: r.wallMs, durationMs: r.durationMs }, ARRIVAL.top, h, reasoningLabel(r.durationMs)),
    );
  if (m.arrivals.length) {
    const steps = m.arrivals.map((a) => `H${x(a.atMs)}V${y(a.untilMs)}`).join('');
    const ticks = m.arrivals.map((a) => `M${x(a.atMs)} ${ARRIVAL.bottom}v-5`).join('');
    out.push(
      `<g data-testid="arrivals" data-count="${m.arrivals.length}" data-unit="${m.arrivalUnit}"><path class="arr" ` +
        `d="M${x(m.arrivals[0]!.atMs)} ${ARRIVAL.bottom}${steps}"/><path class="dtick" d="${ticks}"/></g>`,
    );
  }
  for (const line of m.playback) {
    out.push(`<path class="play" d="${line.map(([t, pos], i) => `${i ? 'L' : 'M'}${x(t)} ${y(pos)}`).join('')}"/>`);
  }
  out.push(marks('audio-done', m.audioDone, m.audioDoneMissing, 'no audio .done', ARRIVAL.top + 9, m.wallEndMs));
  out.push(
    marks('response-done', m.responseDone, m.responseDoneMissing, 'no response.done', ARRIVAL.top + 20, m.wallEndMs),
  );
  const unit = m.arrivalUnit === 'RTP packets' ? 'RTP' : 'deltas';
  out.push(`<text x="4" y="${ARRIVAL.bottom}">${m.arrivals.length} ${unit}</text>`);
  return out.join('');
}

function marks(
  id: string,
  list: { atMs: number; label: string }[],
  missing: boolean,
  missingLabel: string,
  labelY: number,
  endMs: number,
): string {
  const lines = list
    .map(
      (mk) =>
        `<path d="M${x(mk.atMs)} ${ARRIVAL.top}V${ARRIVAL.bottom}"/><text x="${x(mk.atMs)}" dx="3" y="${labelY}">${escapeText(mk.label)}</text>`,
    )
    .join('');
  const flag = missing
    ? `<text class="warn" x="${x(endMs)}" y="${labelY}" text-anchor="end">✕ ${escapeText(missingLabel)}</text>`
    : '';
  const at = list.map((mk) => num(mk.atMs)).join(' ');
  return `<g data-testid="${id}" class="mark${missing ? ' missing-mark' : ''}" data-missing="${missing}" data-at-ms="${escapeAttr(at)}">${lines}${flag}</g>`;
}

/** CSS for the timeline (uses the page theme's variables). */
export const TIMELINE_CSS = `
.tl-wrap{overflow-x:auto;border:1px solid var(--line);border-radius:6px;background:var(--panel);margin:6px 0}
.timeline{display:block;font:10px system-ui,sans-serif}.timeline text{fill:var(--muted)}.timeline .lane{font-weight:600;fill:var(--fg)}
.timeline .lane-bg{fill:var(--bg)}.timeline .tick{stroke:var(--muted);stroke-width:1}
.timeline .wave{stroke:var(--wave);fill:none}.timeline .gap rect{fill:var(--gap)}.timeline .gap text{fill:var(--fail);font-weight:600}
.timeline .late rect{fill:var(--under)}.timeline .missing{fill:none;stroke:var(--fail);stroke-dasharray:5 4}
.timeline .warn{fill:var(--fail);font-weight:600}.timeline .underrun path{stroke:var(--error);stroke-width:1.5}
.timeline .underrun .tri{fill:var(--error)}.timeline .underrun text{fill:var(--error);font-weight:600}
.timeline .underrun-wall rect,.timeline .stall rect{fill:var(--under)}.timeline .underrun-wall text,.timeline .stall text{fill:var(--error);font-weight:600}
.timeline .arr{fill:none;stroke:var(--accent);stroke-width:1.5}.timeline .dtick{stroke:var(--accent)}
.timeline .play{fill:none;stroke:var(--fg);stroke-dasharray:4 3;opacity:.7}.timeline .mark path{stroke:var(--pass);stroke-width:1.5}
.timeline .cursor{stroke:var(--fail);stroke-width:1.5}
.timeline .phase-commentary,.sw-commentary{fill:rgba(130,80,223,.2);background:rgba(130,80,223,.2)}
.timeline .phase-final_answer,.sw-final_answer{fill:rgba(31,136,61,.14);background:rgba(31,136,61,.14)}
.timeline .reasoning path{stroke:#8250df;stroke-width:1.5;stroke-dasharray:3 2}.timeline .reasoning rect{fill:rgba(130,80,223,.12)}
.timeline .reasoning text{fill:#8250df;font-weight:600}
.sw{display:inline-block;width:12px;height:10px;border:1px solid var(--line);vertical-align:-1px}
`;
