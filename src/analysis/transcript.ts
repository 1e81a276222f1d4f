/**
 * What the response said, in text: the audio transcript (or, for text-only responses, the output text), and how
 * much of it arrived after the audio had stopped.
 */
import type { TranscriptMetrics } from './metrics.js';
import type { ResponseView, TextDelta } from './turnView.js';

/** Collapses whitespace runs and trims: the form the speaking rate is measured on. */
export function normalizeText(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

/** The turn's transcript: per item, the `.done` text when present, else the concatenated deltas. */
export function transcriptMetrics(responses: readonly ResponseView[]): TranscriptMetrics {
  const audio = normalizeText(responses.map((r) => joinItems(r.transcriptDeltas, r.transcriptDone)).join(' '));
  if (audio) return { text: audio, length: audio.length, source: 'audio_transcript' };
  const text = normalizeText(responses.map((r) => joinItems(r.textDeltas, r.textDone)).join(' '));
  if (text) return { text, length: text.length, source: 'output_text' };
  return { text: '', length: 0, source: 'none' };
}

function joinItems(deltas: readonly TextDelta[], done: readonly TextDelta[]): string {
  const order: (string | undefined)[] = [];
  for (const d of [...deltas, ...done]) if (!order.includes(d.itemId)) order.push(d.itemId);
  return order
    .map((itemId) => {
      const final = done.find((d) => d.itemId === itemId && d.text.trim() !== '');
      return final ? final.text : deltas.filter((d) => d.itemId === itemId).map((d) => d.text).join('');
    })
    .join(' ');
}

/** Transcript characters (whitespace collapsed) received after the last audio delta of each response. */
export function trailingTranscriptChars(responses: readonly ResponseView[]): number {
  let chars = 0;
  for (const r of responses) {
    const last = r.deltas[r.deltas.length - 1];
    if (!last) continue;
    const after = r.transcriptDeltas.filter((d) => d.t > last.t).map((d) => d.text).join('');
    chars += normalizeText(after).length;
  }
  return chars;
}
