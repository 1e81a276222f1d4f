/**
 * A turn's transcript as the report shows it, drawn from what analysis computed: when analysis found the audio cut
 * short (`audio_truncated`), the last `coverage.trailingTranscriptChars` characters of `transcript.text` — the text
 * whose deltas arrived after the last audio delta — are what the service "said" but nobody heard. And the words
 * around each silent gap, placed by the gap's share of the speech ("after ‘Six.’"). Pure, no trace needed.
 */
import type { ReportTurn } from '../analysis/report.js';

export interface TranscriptParts {
  /** What the audio covered (or the whole transcript when nothing was cut). */
  heard: string;
  /** Text that arrived after the audio stopped; empty when nothing was cut or nothing came after. */
  afterAudio: string;
  /** Analysis judged the audio cut short (an `audio_truncated` finding). */
  cutShort: boolean;
}

/** The transcript of `turn`, split at the end of its audio when analysis judged it cut short. */
export function transcriptParts(turn: ReportTurn): TranscriptParts {
  const m = turn.metrics;
  const whole = m?.transcript.text ?? '';
  const cutShort = turn.findings.some((f) => f.code === 'audio_truncated');
  const trailing = Math.min(whole.length, Math.max(0, Math.round(m?.coverage.trailingTranscriptChars ?? 0)));
  if (!cutShort || trailing === 0 || m?.transcript.source !== 'audio_transcript')
    return { heard: whole, afterAudio: '', cutShort };
  const cut = wordStart(whole, whole.length - trailing);
  return { heard: whole.slice(0, cut).trim(), afterAudio: whole.slice(cut).trim(), cutShort };
}

/** The words just before and after a gap, e.g. `{ before: 'Five.', after: 'Six.' }`. */
export interface GapWords {
  atMs: number;
  durationMs: number;
  before: string;
  after: string;
}

/**
 * Where each silent gap falls in the transcript: the gap's position in the speech (gaps before it excluded) as a
 * share of all speech, applied to the transcript's length, snapped to a word boundary. An estimate — the transcript
 * has no timestamps — so the page says "≈".
 */
export function gapWords(turn: ReportTurn): GapWords[] {
  const m = turn.metrics;
  if (
    !m ||
    m.transcript.source !== 'audio_transcript' ||
    m.silence.speechStartMs === null ||
    m.silence.speechEndMs === null
  )
    return [];
  const text = m.transcript.text;
  const gaps = [...m.silence.gaps].sort((a, b) => a.atMs - b.atMs);
  const silent = gaps.reduce((s, g) => s + g.durationMs, 0);
  const speech = m.silence.speechEndMs - m.silence.speechStartMs - silent;
  if (!(speech > 0) || !text) return [];
  let before = 0;
  return gaps.map((g) => {
    const spoken = g.atMs - m.silence.speechStartMs! - before;
    before += g.durationMs;
    const cut = wordStart(text, Math.round((Math.min(Math.max(spoken, 0), speech) / speech) * text.length));
    return {
      atMs: g.atMs,
      durationMs: g.durationMs,
      before: lastWords(text.slice(0, cut)),
      after: firstWords(text.slice(cut)),
    };
  });
}

/** The nearest index ≥ `i` that starts a word (or the end). */
function wordStart(text: string, i: number): number {
  let j = Math.max(0, Math.min(text.length, i));
  while (j > 0 && j < text.length && !/\s/.test(text[j - 1]!)) j++;
  return j;
}

function lastWords(text: string, n = 2): string {
  return text.trim().split(/\s+/).filter(Boolean).slice(-n).join(' ');
}

function firstWords(text: string, n = 2): string {
  return text.trim().split(/\s+/).filter(Boolean).slice(0, n).join(' ');
}
